/* Report sections on a real SQLite file: the authorizer, composition of
 * several sections, the three output formats, and a failing section.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "report.h"
#include "store-sqlite.h"
#include "mz-test-util.h"

typedef struct
{
  char *dir;
  char *path;
  MzStoreReader *reader;
} Fixture;

/* Two plugins' tables and one of the host's, as the store lays them out:
 * <plugin>_<kind> with the columns every record has. */
static const char schema[] =
  "CREATE TABLE marriage_registration (id INTEGER PRIMARY KEY, state TEXT, version INTEGER,"
  "  created_at TEXT, updated_at TEXT, registered_on TEXT, kind TEXT, man_id TEXT);"
  "CREATE TABLE funeral_case (id INTEGER PRIMARY KEY, state TEXT, version INTEGER,"
  "  created_at TEXT, updated_at TEXT, decided_on TEXT, amount INTEGER);"
  "CREATE TABLE audit_entry (seq INTEGER PRIMARY KEY, body TEXT);"
  "INSERT INTO audit_entry (body) VALUES ('secret');";

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  f->dir = g_dir_make_tmp ("mz-report-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "office.db", NULL);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, schema, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  /* 2021 H1: 7 marriages in the period, 2 divorces, 3 marriages outside it. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO marriage_registration (state, version,"
                                       " registered_on, kind) VALUES ('registered', 1, ?, ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (int i = 0; i < 12; i++)
    {
      const char *date = i < 3 ? "2020-12-31" : (i < 10 ? "2021-03-15" : "2021-06-30");

      sqlite3_bind_text (stmt, 1, date, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, i >= 10 ? "divorce" : "marriage", -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  /* 3 funeral reductions in the period: 1200.00 + 1172.00 + 1188.00 元. */
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO funeral_case (state, version, decided_on, amount) VALUES"
                                 " ('paid', 3, '2021-01-01', 120000),"
                                 " ('paid', 3, '2021-02-02', 117200),"
                                 " ('paid', 3, '2021-06-30', 118800),"
                                 " ('paid', 3, '2021-07-01', 99900)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->reader = mz_store_report_reader_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->reader);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  mz_store_reader_close (f->reader);
  mz_test_remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static const char *const marriage_tables[] = { "marriage_registration", NULL };
static const char *const funeral_tables[] = { "funeral_case", NULL };
static const char *const marriage_personal[] = { "marriage_registration.man_id", NULL };

static gboolean
marriage_build (MzReport   *report,
                const char *from,
                const char *to,
                gpointer    user_data,
                GError    **error)
{
  const char *const married[] = { from, to, "marriage", NULL };
  const char *const divorced[] = { from, to, "divorce", NULL };
  const char *sql = "SELECT count(*) FROM marriage_registration"
                    " WHERE registered_on BETWEEN ? AND ? AND kind = ?";
  gint64 m = 0, d = 0;
  g_autofree char *sentence = NULL;

  if (!mz_report_query_int64 (report, sql, married, &m, error)
      || !mz_report_query_int64 (report, sql, divorced, &d, error))
    return FALSE;
  mz_report_add_figure (report, "marriage.registered", "结婚登记", m, 0, "对");
  mz_report_add_figure (report, "marriage.divorced", "离婚登记", d, 0, "对");
  mz_report_add_figure (report, "marriage.on_time_rate", "按时办结率", 100, 0, "%");
  sentence = g_strdup_printf ("办理结婚登记 %" G_GINT64_FORMAT " 对，离婚登记 %" G_GINT64_FORMAT " 对。", m, d);
  mz_report_set_sentence (report, sentence);
  return TRUE;
}

typedef struct
{
  gint64 cases;
  gint64 fen;
} FuneralSums;

static gboolean
funeral_row (guint               n_columns,
             const char *const  *values,
             gpointer            user_data,
             GError            **error)
{
  FuneralSums *sums = user_data;

  g_assert_cmpuint (n_columns, ==, 2);
  sums->cases = g_ascii_strtoll (values[0], NULL, 10);
  sums->fen = values[1] != NULL ? g_ascii_strtoll (values[1], NULL, 10) : 0;
  return TRUE;
}

static gboolean
funeral_build (MzReport   *report,
               const char *from,
               const char *to,
               gpointer    user_data,
               GError    **error)
{
  const char *const period[] = { from, to, NULL };
  FuneralSums sums = { 0, 0 };

  if (!mz_report_query (report, "SELECT count(*), sum(amount) FROM funeral_case"
                        " WHERE decided_on >= ? AND decided_on <= ? AND state = 'paid'",
                        period, funeral_row, &sums, error))
    return FALSE;
  mz_report_add_figure (report, "funeral.reduced", "减免\"基本殡葬\"费用", sums.cases, 0, "例");
  /* fen → 万元 with one decimal: 356000 fen = 3560 元 = 0.356 万元 → 0.4 */
  mz_report_add_figure (report, "funeral.amount", "减免金额", (sums.fen + 50000) / 100000, 1, "万元");
  mz_report_add_figure (report, "funeral.amount_yuan", "减免金额（元）", sums.fen, 2, "元");
  mz_report_set_sentence (report, "为困难群众减免基本殡葬服务费用，\"惠民殡葬\"政策落实到位。");
  return TRUE;
}

static gboolean
sql_build (MzReport   *report,
           const char *from,
           const char *to,
           gpointer    user_data,
           GError    **error)
{
  gint64 n = 0;

  if (!mz_report_query_int64 (report, user_data, NULL, &n, error))
    return FALSE;
  mz_report_add_figure (report, "marriage.n", "数", n, 0, "");
  return TRUE;
}

/* Every forbidden statement fails the section with DENIED and a message
 * naming the plugin; the store is left unchanged. */
static void
test_authorizer_denies (Fixture      *f,
                        gconstpointer data)
{
  static const struct
  {
    const char *sql;
    const char *what;
  } cases[] = {
    { "SELECT count(*) FROM funeral_case", "funeral_case" },
    { "SELECT count(*) FROM audit_entry", "audit_entry" },
    { "SELECT body FROM audit_entry", "audit_entry" },
    { "SELECT count(*) FROM sqlite_master", "sqlite_master" },
    { "SELECT (SELECT max(amount) FROM funeral_case) FROM marriage_registration", "funeral_case" },
    { "SELECT count(*) FROM marriage_registration m JOIN audit_entry a ON a.seq = m.id", "audit_entry" },
    { "INSERT INTO marriage_registration (state) VALUES ('x')", "写入" },
    { "UPDATE marriage_registration SET state = 'x'", "写入" },
    { "DELETE FROM marriage_registration", "写入" },
    { "ATTACH DATABASE ':memory:' AS other", "ATTACH" },
    { "PRAGMA table_info(marriage_registration)", "PRAGMA" },
    { "PRAGMA query_only = OFF", "PRAGMA" },
    { "SELECT length(randomblob(10))", "randomblob" },
    { "SELECT load_extension('x')", "load_extension" },
    { "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c", "[report.denied]" },
    { "CREATE TABLE marriage_x (a)", "[report.denied]" },
    { "BEGIN", "事务" },
    { "SELECT count(DISTINCT man_id) FROM marriage_registration", "man_id" },
    { "SELECT count(*) FROM marriage_registration WHERE man_id LIKE '11%'", "个人信息" },
    { "SELECT max(man_id) FROM marriage_registration", "marriage_registration.man_id" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MzReportDoc) doc = mz_report_doc_new ("450222", "柳城县民政局", "2021-01-01",
                                                       "2021-06-30", 0);
      MzReportDef def = { "婚姻登记", sql_build, (gpointer) cases[i].sql };
      MzReport *section;
      g_autoptr (GError) error = NULL;

      g_test_message ("%s", cases[i].sql);
      section = mz_report_doc_run_section (doc, f->reader, "marriage", marriage_tables, marriage_personal, &def);
      g_assert_nonnull (section->error);
      g_assert_error (section->error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_DENIED);
      g_assert_nonnull (strstr (section->error->message, "marriage"));
      g_test_message ("%s", section->error->message);
      g_assert_nonnull (strstr (section->error->message, cases[i].what));
      g_assert_cmpuint (section->figures->len, ==, 0);
      g_assert_false (mz_report_doc_check (doc, &error));
      g_assert_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_INCOMPLETE);
    }

  /* Nothing was written: the marriage table still has its 12 rows, and the
   * connection is still usable for reads without the authorizer. */
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (mz_store_reader_db (f->reader),
                                         "SELECT count(*) FROM marriage_registration",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 12);
    sqlite3_finalize (stmt);
  }
}

/* A plugin that swallows the denial and returns TRUE still fails. */
static gboolean
swallowing_build (MzReport   *report,
                  const char *from,
                  const char *to,
                  gpointer    user_data,
                  GError    **error)
{
  gint64 n = 0;
  g_autoptr (GError) ignored = NULL;

  mz_report_query_int64 (report, "SELECT count(*) FROM audit_entry", NULL, &n, &ignored);
  mz_report_add_figure (report, "marriage.n", "数", n, 0, "");
  return TRUE;
}

static void
test_authorizer_swallowed (Fixture      *f,
                           gconstpointer data)
{
  g_autoptr (MzReportDoc) doc = mz_report_doc_new ("450222", "柳城县民政局", "2021-01-01",
                                                   "2021-06-30", 0);
  MzReportDef def = { "婚姻登记", swallowing_build, NULL };
  MzReport *section = mz_report_doc_run_section (doc, f->reader, "marriage", marriage_tables, marriage_personal, &def);

  g_assert_error (section->error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_DENIED);
  g_assert_cmpuint (section->figures->len, ==, 0);
}

/* Allowed: own table, aggregates, date functions, a non-recursive CTE. */
static void
test_authorizer_allows (Fixture      *f,
                        gconstpointer data)
{
  static const struct
  {
    const char *sql;
    gint64 expected;
  } cases[] = {
    { "SELECT count(*) FROM marriage_registration", 12 },
    { "SELECT count(*) FROM marriage_registration WHERE strftime('%Y', registered_on) = '2021'", 9 },
    { "WITH m AS (SELECT kind FROM marriage_registration) SELECT count(*) FROM m WHERE kind = 'divorce'", 2 },
    { "SELECT coalesce(sum(version), 0) FROM marriage_registration WHERE state LIKE 'reg%'", 12 },
    { "SELECT count(*) FROM marriage_registration WHERE 0", 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (MzReportDoc) doc = mz_report_doc_new ("450222", "柳城县民政局", "2021-01-01",
                                                       "2021-06-30", 0);
      MzReportDef def = { "婚姻登记", sql_build, (gpointer) cases[i].sql };
      MzReport *section = mz_report_doc_run_section (doc, f->reader, "marriage", marriage_tables, marriage_personal, &def);
      MzReportFigure *figure;

      g_test_message ("%s", cases[i].sql);
      g_assert_no_error (section->error);
      figure = g_ptr_array_index (section->figures, 0);
      g_assert_cmpint (figure->value, ==, cases[i].expected);
    }
}

static void
test_query_misuse (Fixture      *f,
                   gconstpointer data)
{
  static const char *const bad[] = {
    "SELECT count(*) FROM marriage_registration; SELECT 1",
    "SELECT count(*) FROM marriage_registration WHERE id = ?",
    "SELECT kind FROM marriage_registration",
    "SELECT nonsense FROM",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (MzReportDoc) doc = mz_report_doc_new ("450222", "柳城县民政局", "2021-01-01",
                                                       "2021-06-30", 0);
      MzReportDef def = { "婚姻登记", sql_build, (gpointer) bad[i] };
      MzReport *section = mz_report_doc_run_section (doc, f->reader, "marriage", marriage_tables, marriage_personal, &def);

      g_test_message ("%s", bad[i]);
      g_assert_error (section->error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY);
      g_assert_nonnull (strstr (section->error->message, "marriage"));
    }
}

static gboolean
failing_build (MzReport   *report,
               const char *from,
               const char *to,
               gpointer    user_data,
               GError    **error)
{
  mz_report_add_figure (report, "funeral.partial", "半成品", 1, 0, "件");
  return mz_rule_refuse (error, "funeral.config", "减免标准未配置");
}

/* 2021-07-01T02:03:04Z */
#define GENERATED_AT (G_GINT64_CONSTANT (1625104984) * G_USEC_PER_SEC)

static MzReportDoc *
compose (Fixture  *f,
         gboolean  funeral_fails)
{
  MzReportDoc *doc = mz_report_doc_new ("450222", "柳城县民政局", "2021-01-01", "2021-06-30",
                                        GENERATED_AT);
  MzReportDef marriage = { "婚姻登记", marriage_build, NULL };
  MzReportDef funeral = { "殡葬减免", funeral_fails ? failing_build : funeral_build, NULL };

  mz_report_doc_run_section (doc, f->reader, "marriage", marriage_tables, marriage_personal, &marriage);
  mz_report_doc_run_section (doc, f->reader, "funeral", funeral_tables, NULL, &funeral);
  return doc;
}

/* The expected outputs are written out by hand from the rows the fixture
 * inserted (7 marriages and 2 divorces in the period; 3 reductions of
 * 3560.00 元 in total), not produced by the code under test. */
static const char expected_json[] =
  "{\n"
  "  \"office\": {\"id\": \"450222\", \"name\": \"柳城县民政局\"},\n"
  "  \"from\": \"2021-01-01\",\n"
  "  \"to\": \"2021-06-30\",\n"
  "  \"generated_at\": \"2021-07-01T02:03:04Z\",\n"
  "  \"sections\": [\n"
  "    {\n"
  "      \"plugin\": \"marriage\",\n"
  "      \"title\": \"婚姻登记\",\n"
  "      \"figures\": [\n"
  "        {\"key\": \"marriage.registered\", \"label\": \"结婚登记\", \"value\": 7, \"unit\": \"对\"},\n"
  "        {\"key\": \"marriage.divorced\", \"label\": \"离婚登记\", \"value\": 2, \"unit\": \"对\"},\n"
  "        {\"key\": \"marriage.on_time_rate\", \"label\": \"按时办结率\", \"value\": 100, \"unit\": \"%\"}\n"
  "      ],\n"
  "      \"sentence\": \"办理结婚登记 7 对，离婚登记 2 对。\"\n"
  "    },\n"
  "    {\n"
  "      \"plugin\": \"funeral\",\n"
  "      \"title\": \"殡葬减免\",\n"
  "      \"figures\": [\n"
  "        {\"key\": \"funeral.reduced\", \"label\": \"减免\\\"基本殡葬\\\"费用\", \"value\": 3, \"unit\": \"例\"},\n"
  "        {\"key\": \"funeral.amount\", \"label\": \"减免金额\", \"value\": 0.4, \"unit\": \"万元\"},\n"
  "        {\"key\": \"funeral.amount_yuan\", \"label\": \"减免金额（元）\", \"value\": 3560.00, \"unit\": \"元\"}\n"
  "      ],\n"
  "      \"sentence\": \"为困难群众减免基本殡葬服务费用，\\\"惠民殡葬\\\"政策落实到位。\"\n"
  "    }\n"
  "  ]\n"
  "}\n";

static const char expected_text[] =
  "柳城县民政局（450222）工作统计\n"
  "统计期间：2021-01-01 至 2021-06-30\n"
  "生成时间：2021-07-01T02:03:04Z\n"
  "\n"
  "一、婚姻登记\n"
  "  结婚登记 7 对\n"
  "  离婚登记 2 对\n"
  "  按时办结率 100 %\n"
  "  办理结婚登记 7 对，离婚登记 2 对。\n"
  "\n"
  "二、殡葬减免\n"
  "  减免\"基本殡葬\"费用 3 例\n"
  "  减免金额 0.4 万元\n"
  "  减免金额（元） 3560.00 元\n"
  "  为困难群众减免基本殡葬服务费用，\"惠民殡葬\"政策落实到位。\n";

static const char expected_csv[] =
  "plugin,key,label,value,unit\r\n"
  "marriage,marriage.registered,结婚登记,7,对\r\n"
  "marriage,marriage.divorced,离婚登记,2,对\r\n"
  "marriage,marriage.on_time_rate,按时办结率,100,%\r\n"
  "funeral,funeral.reduced,\"减免\"\"基本殡葬\"\"费用\",3,例\r\n"
  "funeral,funeral.amount,减免金额,0.4,万元\r\n"
  "funeral,funeral.amount_yuan,减免金额（元）,3560.00,元\r\n";

static void
test_compose_formats (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr (MzReportDoc) doc = compose (f, FALSE);
  g_autofree char *json = mz_report_doc_format (doc, MZ_REPORT_FORMAT_JSON);
  g_autofree char *text = mz_report_doc_format (doc, MZ_REPORT_FORMAT_TEXT);
  g_autofree char *csv = mz_report_doc_format (doc, MZ_REPORT_FORMAT_CSV);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();

  g_assert_true (mz_report_doc_check (doc, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json, ==, expected_json);
  g_assert_cmpstr (text, ==, expected_text);
  g_assert_cmpstr (csv, ==, expected_csv);

  /* And it is JSON another system can read back. */
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
}

static void
test_compose_failing_section (Fixture      *f,
                              gconstpointer data)
{
  g_autoptr (MzReportDoc) doc = compose (f, TRUE);
  g_autofree char *json = mz_report_doc_format (doc, MZ_REPORT_FORMAT_JSON);
  g_autofree char *text = mz_report_doc_format (doc, MZ_REPORT_FORMAT_TEXT);
  g_autofree char *csv = mz_report_doc_format (doc, MZ_REPORT_FORMAT_CSV);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *funeral;

  g_assert_false (mz_report_doc_check (doc, &error));
  g_assert_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_INCOMPLETE);
  g_assert_nonnull (strstr (error->message, "funeral"));
  g_assert_null (strstr (error->message, "marriage"));
  g_clear_error (&error);

  /* The marriage section is whole; the funeral one names plugin and cause. */
  g_assert_nonnull (strstr (text, "一、婚姻登记\n  结婚登记 7 对\n"));
  g_assert_nonnull (strstr (text, "二、殡葬减免\n  （报表“殡葬减免”（插件 funeral）未能生成：减免标准未配置 [funeral.config]）\n"));
  g_assert_null (strstr (text, "半成品"));
  g_assert_cmpstr (csv, ==,
                   "plugin,key,label,value,unit\r\n"
                   "marriage,marriage.registered,结婚登记,7,对\r\n"
                   "marriage,marriage.divorced,离婚登记,2,对\r\n"
                   "marriage,marriage.on_time_rate,按时办结率,100,%\r\n");

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  funeral = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "sections"), 1);
  g_assert_cmpstr (json_object_get_string_member (funeral, "plugin"), ==, "funeral");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (funeral, "figures")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (funeral, "error"), "code"),
                   ==, "funeral.config");
}

static gboolean
bad_figure_build (MzReport   *report,
                  const char *from,
                  const char *to,
                  gpointer    user_data,
                  GError    **error)
{
  mz_report_add_figure (report, user_data, "标签", 1, 0, "件");
  return TRUE;
}

/* A figure may not claim another plugin's key. */
static void
test_figure_key (Fixture      *f,
                 gconstpointer data)
{
  static const char *const bad_keys[] = { "funeral.reduced", "marriage", "marriage.", "marriage.Bad", "marriagex.a" };

  for (gsize i = 0; i < G_N_ELEMENTS (bad_keys); i++)
    {
      g_autoptr (MzReportDoc) doc = mz_report_doc_new ("450222", "柳城县民政局", "2021-01-01",
                                                       "2021-06-30", 0);
      MzReportDef def = { "婚姻登记", bad_figure_build, (gpointer) bad_keys[i] };
      MzReport *section = mz_report_doc_run_section (doc, f->reader, "marriage", marriage_tables, marriage_personal, &def);

      g_assert_error (section->error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_FIGURE);
    }
}

static void
test_value_format (void)
{
  static const struct
  {
    gint64 value;
    guint decimals;
    const char *text;
  } cases[] = {
    { 1062, 0, "1062" }, { 356, 1, "35.6" }, { 5, 2, "0.05" }, { -5, 2, "-0.05" },
    { 0, 3, "0.000" }, { 100, 2, "1.00" }, { -1062, 0, "-1062" },
    { G_MININT64, 0, "-9223372036854775808" }, { G_MININT64, 2, "-92233720368547758.08" },
    { G_MAXINT64, 6, "9223372036854.775807" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = mz_report_value_format (cases[i].value, cases[i].decimals);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_period (void)
{
  static const struct
  {
    const char *from;
    const char *to;
    gboolean ok;
  } cases[] = {
    { "2021-01-01", "2021-06-30", TRUE }, { "2021-01-01", "2021-01-01", TRUE },
    { "2020-02-29", "2020-12-31", TRUE }, { "2021-02-29", "2021-06-30", FALSE },
    { "2021-06-30", "2021-01-01", FALSE }, { "2021-1-1", "2021-06-30", FALSE },
    { "2021-01-01", "2021-06-31", FALSE }, { "2021-01-01", "tomorrow", FALSE },
    { NULL, "2021-06-30", FALSE }, { "2021-01-01", "2021-06-30x", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = mz_report_period_check (cases[i].from, cases[i].to, &error);

      g_test_message ("%s .. %s", cases[i].from, cases[i].to);
      g_assert_cmpint (ok, ==, cases[i].ok);
      if (!ok)
        g_assert_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/report/authorizer/denies", Fixture, NULL, fixture_set_up,
              test_authorizer_denies, fixture_tear_down);
  g_test_add ("/report/authorizer/swallowed-denial", Fixture, NULL, fixture_set_up,
              test_authorizer_swallowed, fixture_tear_down);
  g_test_add ("/report/authorizer/allows", Fixture, NULL, fixture_set_up,
              test_authorizer_allows, fixture_tear_down);
  g_test_add ("/report/query/misuse", Fixture, NULL, fixture_set_up,
              test_query_misuse, fixture_tear_down);
  g_test_add ("/report/compose/formats", Fixture, NULL, fixture_set_up,
              test_compose_formats, fixture_tear_down);
  g_test_add ("/report/compose/failing-section", Fixture, NULL, fixture_set_up,
              test_compose_failing_section, fixture_tear_down);
  g_test_add ("/report/figure/key", Fixture, NULL, fixture_set_up,
              test_figure_key, fixture_tear_down);
  g_test_add_func ("/report/value-format", test_value_format);
  g_test_add_func ("/report/period", test_period);
  return g_test_run ();
}
