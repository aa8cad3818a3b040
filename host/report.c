/* minzheng host — running the plugins' report sections under an authorizer.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "report.h"
#include "store-sqlite.h"

#include <string.h>

G_DEFINE_QUARK (mz-report-error-quark, mz_report_error)

/* A report query that runs longer than this is interrupted: a plugin's
 * report must not hold a reader (and the WAL) for ever. */
#define REPORT_QUERY_LIMIT_USEC (60 * G_USEC_PER_SEC)

/* Functions a report query may call: aggregates, NULL handling, text and
 * date helpers.  Everything else (load_extension, randomblob, zeroblob,
 * the sqlite_* introspection functions ...) is refused. */
static const char *const allowed_functions[] = {
  "count", "sum", "total", "min", "max", "avg", "group_concat",
  "coalesce", "ifnull", "nullif", "iif", "abs", "round",
  "length", "lower", "upper", "trim", "ltrim", "rtrim", "substr", "substring",
  "instr", "replace", "like", "glob", "printf", "format", "typeof", "cast",
  "date", "time", "datetime", "julianday", "strftime", "unixepoch",
  NULL
};

gboolean
mz_report_period_check (const char *from,
                        const char *to,
                        GError    **error)
{
  GDate dfrom, dto;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (from == NULL || to == NULL)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD,
                   "请用 --from 和 --to 给出统计期间的起止日期（YYYY-MM-DD） [report.period_missing]");
      return FALSE;
    }
  if (!mz_date_parse (from, &dfrom))
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD,
                   "起始日期“%s”不是有效日期，应为 YYYY-MM-DD [report.period_from]", from);
      return FALSE;
    }
  if (!mz_date_parse (to, &dto))
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD,
                   "截止日期“%s”不是有效日期，应为 YYYY-MM-DD [report.period_to]", to);
      return FALSE;
    }
  if (g_date_compare (&dfrom, &dto) > 0)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD,
                   "起始日期 %s 晚于截止日期 %s [report.period_order]", from, to);
      return FALSE;
    }
  return TRUE;
}

void
mz_report_reader_harden (sqlite3 *db)
{
  g_return_if_fail (db != NULL);

  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_limit (db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_exec (db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL);
}

sqlite3 *
mz_report_reader_open (const char *path,
                       GError    **error)
{
  sqlite3 *db = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (db, 5000);
      mz_report_reader_harden (db);
      rc = sqlite3_exec (db, "PRAGMA query_only = ON", NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_STORE,
                   "无法以只读方式打开数据库 %s：%s [report.store]",
                   path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  return db;
}

static void
figure_free (gpointer data)
{
  MzReportFigure *figure = data;

  g_free (figure->key);
  g_free (figure->label);
  g_free (figure->unit);
  g_free (figure);
}

static MzReport *
section_new (const char *plugin,
             const char *title)
{
  MzReport *report = g_new0 (MzReport, 1);

  report->plugin = g_strdup (plugin);
  report->title = g_strdup (title != NULL ? title : plugin);
  report->figures = g_ptr_array_new_with_free_func (figure_free);
  report->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  report->personal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return report;
}

static void
section_free (gpointer data)
{
  MzReport *report = data;

  g_free (report->plugin);
  g_free (report->title);
  g_ptr_array_unref (report->figures);
  g_free (report->sentence);
  g_clear_error (&report->error);
  g_hash_table_unref (report->tables);
  g_hash_table_unref (report->personal);
  g_free (report->denied);
  g_free (report->figure_problem);
  g_free (report);
}

MzReportDoc *
mz_report_doc_new (const char *office_id,
                   const char *office_name,
                   const char *from,
                   const char *to,
                   gint64      generated_at)
{
  MzReportDoc *doc = g_new0 (MzReportDoc, 1);

  doc->office_id = g_strdup (office_id != NULL ? office_id : "");
  doc->office_name = g_strdup (office_name != NULL ? office_name : "");
  doc->from = g_strdup (from);
  doc->to = g_strdup (to);
  doc->generated_at = generated_at;
  doc->sections = g_ptr_array_new_with_free_func (section_free);
  return doc;
}

void
mz_report_doc_free (MzReportDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->office_id);
  g_free (doc->office_name);
  g_free (doc->from);
  g_free (doc->to);
  g_ptr_array_unref (doc->sections);
  g_free (doc);
}

/* Describes what the authorizer refused, in words a plugin author acts on. */
static char *
describe_denial (int         action,
                 const char *arg1,
                 const char *arg2)
{
  switch (action)
    {
    case SQLITE_READ:
      if (arg1 != NULL && arg2 != NULL && *arg2 != '\0')
        return g_strdup_printf ("读取表 %s 的列 %s", arg1, arg2);
      return g_strdup_printf ("读取表 %s", arg1 != NULL ? arg1 : "?");
    case SQLITE_FUNCTION:
      return g_strdup_printf ("调用函数 %s()", arg2 != NULL ? arg2 : "?");
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
      return g_strdup_printf ("写入表 %s", arg1 != NULL ? arg1 : "?");
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
      return g_strdup ("附加或分离数据库（ATTACH/DETACH）");
    case SQLITE_PRAGMA:
      return g_strdup_printf ("执行 PRAGMA %s", arg1 != NULL ? arg1 : "");
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
      return g_strdup ("控制事务");
    case SQLITE_RECURSIVE:
      return g_strdup ("递归查询（WITH RECURSIVE）");
    default:
      return g_strdup_printf ("修改数据库或其结构（SQLite 操作 %d）", action);
    }
}

/* The authorizer: SELECT, reads of the plugin's own tables in the main
 * database except their personal columns, and the functions listed above.
 * Reports print figures, never a person: a personal value read here would
 * escape the audit of personal reads.  SQLITE_DENY (not IGNORE) so that a
 * forbidden read fails loudly instead of reading NULLs. */
static int
report_authorize (void       *data,
                  int         action,
                  const char *arg1,
                  const char *arg2,
                  const char *db_name,
                  const char *trigger)
{
  MzReport *report = data;

  switch (action)
    {
    case SQLITE_SELECT:
      return SQLITE_OK;
    case SQLITE_READ:
      /* count(*) reads no column and SQLite names no database for it. */
      if (arg1 != NULL && (db_name == NULL || strcmp (db_name, "main") == 0)
          && g_hash_table_contains (report->tables, arg1))
        {
          g_autofree char *column = g_strconcat (arg1, ".", arg2 != NULL ? arg2 : "", NULL);

          if (!g_hash_table_contains (report->personal, column))
            return SQLITE_OK;
          if (report->denied == NULL)
            report->denied = g_strdup_printf ("读取个人信息 %s（报表只输出统计数字）", column);
          return SQLITE_DENY;
        }
      break;
    case SQLITE_FUNCTION:
      if (arg2 != NULL && g_strv_contains (allowed_functions, arg2))
        return SQLITE_OK;
      break;
    default:
      break;
    }
  if (report->denied == NULL)
    report->denied = describe_denial (action, arg1, arg2);
  return SQLITE_DENY;
}

static int
report_progress (void *data)
{
  gint64 *deadline = data;

  return g_get_monotonic_time () > *deadline ? 1 : 0;
}

static gboolean
query_failed (MzReport   *report,
              int         rc,
              GError    **error)
{
  if (report->denied != NULL)
    g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_DENIED,
                 "插件 %s 的报表查询被拒绝：不得%s（报表只能用 SELECT 读取本插件自己的表） "
                 "[report.denied]", report->plugin, report->denied);
  else if (rc == SQLITE_INTERRUPT)
    g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                 "插件 %s 的报表查询超过 %d 秒，已中止 [report.timeout]",
                 report->plugin, (int) (REPORT_QUERY_LIMIT_USEC / G_USEC_PER_SEC));
  else
    g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                 "插件 %s 的报表查询出错：%s [report.query]",
                 report->plugin, sqlite3_errmsg (report->db));
  return FALSE;
}

static gboolean
only_blanks (const char *tail)
{
  for (; tail != NULL && *tail != '\0'; tail++)
    if (!g_ascii_isspace (*tail) && *tail != ';')
      return FALSE;
  return TRUE;
}

/* Prepares one statement for @report with the parameters bound as text. */
static sqlite3_stmt *
query_prepare (MzReport           *report,
               const char         *sql,
               const char *const  *params,
               GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  const char *tail = NULL;
  guint n_params = params != NULL ? g_strv_length ((char **) params) : 0;
  int rc;

  rc = sqlite3_prepare_v2 (report->db, sql, -1, &stmt, &tail);
  if (rc != SQLITE_OK || stmt == NULL)
    {
      if (rc == SQLITE_OK)
        g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                     "插件 %s 的报表查询是空的 [report.query]", report->plugin);
      else
        query_failed (report, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  if (!only_blanks (tail) || !sqlite3_stmt_readonly (stmt))
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                   "插件 %s 的报表查询须是一条只读的 SELECT 语句 [report.query]", report->plugin);
      sqlite3_finalize (stmt);
      return NULL;
    }
  if ((guint) sqlite3_bind_parameter_count (stmt) != n_params)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                   "插件 %s 的报表查询有 %d 个参数占位符，却给了 %u 个值 [report.query]",
                   report->plugin, sqlite3_bind_parameter_count (stmt), n_params);
      sqlite3_finalize (stmt);
      return NULL;
    }
  for (guint i = 0; i < n_params; i++)
    sqlite3_bind_text (stmt, (int) i + 1, params[i], -1, SQLITE_TRANSIENT);
  return stmt;
}

gboolean
mz_report_query (MzReport           *report,
                 const char         *sql,
                 const char *const  *params,
                 MzRowFunc           func,
                 gpointer            user_data,
                 GError            **error)
{
  sqlite3_stmt *stmt;
  g_autofree const char **values = NULL;
  int n_columns, rc;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (report->db != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stmt = query_prepare (report, sql, params, error);
  if (stmt == NULL)
    return FALSE;

  n_columns = sqlite3_column_count (stmt);
  values = g_new0 (const char *, n_columns + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < n_columns; i++)
        values[i] = (const char *) sqlite3_column_text (stmt, i);
      if (func != NULL && !func ((guint) n_columns, values, user_data, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      query_failed (report, rc, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

gboolean
mz_report_query_int64 (MzReport           *report,
                       const char         *sql,
                       const char *const  *params,
                       gint64             *out,
                       GError            **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (report->db != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = 0;
  stmt = query_prepare (report, sql, params, error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_count (stmt) > 0)
    {
      switch (sqlite3_column_type (stmt, 0))
        {
        case SQLITE_INTEGER:
          *out = sqlite3_column_int64 (stmt, 0);
          break;
        case SQLITE_NULL:
          break;
        default:
          ok = FALSE;
          g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                       "插件 %s 的报表查询结果“%s”不是整数 [report.not_integer]",
                       report->plugin, (const char *) sqlite3_column_text (stmt, 0));
          break;
        }
    }
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ok = query_failed (report, rc, error);
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
figure_key_ok (const char *plugin,
               const char *key)
{
  gsize n = strlen (plugin);

  if (strncmp (key, plugin, n) != 0 || key[n] != '.' || key[n + 1] == '\0')
    return FALSE;
  for (const char *p = key + n + 1; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* The host table's member returns nothing, so a malformed figure is kept
 * as the section's problem and fails the section once the callback ends. */
void
mz_report_add_figure (MzReport   *report,
                      const char *key,
                      const char *label,
                      gint64      value,
                      guint       decimals,
                      const char *unit)
{
  MzReportFigure *figure;

  g_return_if_fail (report != NULL);

  if (report->figure_problem != NULL)
    return;
  if (key == NULL || !figure_key_ok (report->plugin, key))
    report->figure_problem = g_strdup_printf ("指标键“%s”应为“%s.名称”（小写字母、数字、下划线）",
                                              key != NULL ? key : "", report->plugin);
  else if (label == NULL || *label == '\0' || !g_utf8_validate (label, -1, NULL))
    report->figure_problem = g_strdup_printf ("指标 %s 没有中文名称", key);
  else if (unit != NULL && !g_utf8_validate (unit, -1, NULL))
    report->figure_problem = g_strdup_printf ("指标 %s 的单位不是有效文本", key);
  else if (decimals > 6)
    report->figure_problem = g_strdup_printf ("指标 %s 的小数位数 %u 超过 6", key, decimals);
  else
    for (guint i = 0; i < report->figures->len; i++)
      {
        MzReportFigure *other = g_ptr_array_index (report->figures, i);

        if (strcmp (other->key, key) == 0)
          report->figure_problem = g_strdup_printf ("指标 %s 重复", key);
      }
  if (report->figure_problem != NULL)
    return;

  figure = g_new0 (MzReportFigure, 1);
  figure->key = g_strdup (key);
  figure->label = g_strdup (label);
  figure->value = value;
  figure->decimals = decimals;
  figure->unit = g_strdup (unit != NULL ? unit : "");
  g_ptr_array_add (report->figures, figure);
}

void
mz_report_set_sentence (MzReport   *report,
                        const char *sentence)
{
  g_return_if_fail (report != NULL);

  if (sentence != NULL && !g_utf8_validate (sentence, -1, NULL))
    {
      if (report->figure_problem == NULL)
        report->figure_problem = g_strdup ("报表说明文字不是有效的 UTF-8 文本");
      return;
    }
  g_free (report->sentence);
  report->sentence = g_strdup (sentence);
}

/* Decides whether the section stands.  A denial fails the section even
 * when the plugin's callback ignored the error and returned TRUE: a
 * report that probed for what it may not read is not to be trusted. */
static void
section_finish (MzReport *report,
                gboolean  ok,
                GError   *callback_error)
{
  if (report->denied != NULL)
    {
      ok = FALSE;
      if (callback_error == NULL
          || !g_error_matches (callback_error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_DENIED))
        {
          g_clear_error (&callback_error);
          g_set_error (&callback_error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_DENIED,
                       "插件 %s 的报表查询被拒绝：不得%s（报表只能用 SELECT 读取本插件自己的表） "
                       "[report.denied]", report->plugin, report->denied);
        }
    }
  else if (ok && report->figure_problem != NULL)
    {
      g_set_error (&callback_error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_FIGURE,
                   "插件 %s 的报表：%s [report.figure]", report->plugin, report->figure_problem);
      ok = FALSE;
    }
  else if (!ok && callback_error == NULL)
    g_set_error (&callback_error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_SECTION,
                 "插件 %s 的报表未能生成，插件没有说明原因 [report.failed]", report->plugin);

  if (ok)
    {
      g_clear_error (&callback_error);
      return;
    }
  report->error = g_error_new (callback_error->domain, callback_error->code,
                               "报表“%s”（插件 %s）未能生成：%s",
                               report->title, report->plugin, callback_error->message);
  g_error_free (callback_error);
  g_ptr_array_set_size (report->figures, 0);
  g_clear_pointer (&report->sentence, g_free);
}

MzReport *
mz_report_doc_run_section (MzReportDoc        *doc,
                           sqlite3            *reader,
                           const char         *plugin,
                           const char *const  *tables,
                           const char *const  *personal,
                           const MzReportDef  *def)
{
  MzReport *report;
  GError *callback_error = NULL;
  gint64 deadline;
  gboolean ok;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (plugin != NULL, NULL);
  g_return_val_if_fail (def != NULL && def->build != NULL, NULL);

  report = section_new (plugin, def->title);
  for (const char *const *t = tables; t != NULL && *t != NULL; t++)
    g_hash_table_add (report->tables, g_strdup (*t));
  for (const char *const *c = personal; c != NULL && *c != NULL; c++)
    g_hash_table_add (report->personal, g_strdup (*c));
  g_ptr_array_add (doc->sections, report);

  report->db = reader;
  deadline = g_get_monotonic_time () + REPORT_QUERY_LIMIT_USEC;
  sqlite3_set_authorizer (reader, report_authorize, report);
  sqlite3_progress_handler (reader, 10000, report_progress, &deadline);

  ok = def->build (report, doc->from, doc->to, def->user_data, &callback_error);

  sqlite3_progress_handler (reader, 0, NULL, NULL);
  sqlite3_set_authorizer (reader, NULL, NULL);
  report->db = NULL;

  section_finish (report, ok, callback_error);
  return report;
}

gboolean
mz_report_doc_check (MzReportDoc *doc,
                     GError     **error)
{
  g_autoptr (GString) failed = g_string_new (NULL);

  g_return_val_if_fail (doc != NULL, FALSE);

  for (guint i = 0; i < doc->sections->len; i++)
    {
      MzReport *report = g_ptr_array_index (doc->sections, i);

      if (report->error != NULL)
        g_string_append_printf (failed, "%s%s", failed->len > 0 ? "、" : "", report->plugin);
    }
  if (failed->len == 0)
    return TRUE;
  g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_INCOMPLETE,
               "报告不完整：插件 %s 的报表未能生成，其余部分已输出 [report.incomplete]", failed->str);
  return FALSE;
}
