/* A real host for the report, import and due tests.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "host-fixture.h"
#include "mz-test-util.h"

void
host_fixture_open (HostFixture *f,
                   const char  *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  f->dir = g_dir_make_tmp ("mz-report-host-XXXXXX", &error);
  g_assert_no_error (error);
  f->config_path = g_build_filename (f->dir, "minzheng.conf", NULL);
  f->store_path = g_build_filename (f->dir, "office.db", NULL);
  text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n\n"
                          "[plugins]\npath=%s\nenabled=testreg\n\n"
                          "[store]\npath=%s\nsynchronous=NORMAL\n\n"
                          "[audit]\nkey_path=%s/office.key\n\n%s",
                          TESTREG_DIR, f->store_path, f->dir, extra != NULL ? extra : "");
  g_file_set_contents (f->config_path, text, -1, &error);
  g_assert_no_error (error);

  f->config = mz_config_load (f->config_path, &error);
  g_assert_no_error (error);
  f->services = mz_services_new (f->config, &error);
  g_assert_no_error (error);
  f->loader = mz_loader_new (f->config, f->services);
  mz_loader_load_all (f->loader, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mz_services_lookup_kind (f->services, "testreg", "application"));
}

void
host_fixture_stop (HostFixture *f)
{
  if (f->loader != NULL)
    mz_loader_shutdown (f->loader);
  g_clear_pointer (&f->loader, mz_loader_free);
  g_clear_pointer (&f->services, mz_services_free);
  g_clear_pointer (&f->config, mz_config_free);
}

void
host_fixture_close (HostFixture *f)
{
  host_fixture_stop (f);
  mz_test_remove_tree (f->dir);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->config_path, g_free);
  g_clear_pointer (&f->store_path, g_free);
}

void
host_fixture_set_today (HostFixture *f,
                        const char  *date)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) noon = NULL;
  GDate d;

  g_assert_true (mz_date_parse (date, &d));
  noon = g_date_time_new (tz, g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d), 12, 0, 0);
  mz_services_set_now (f->services, g_date_time_to_unix (noon) * G_USEC_PER_SEC);
}

static sqlite3_stmt *
query (HostFixture *f,
       sqlite3    **db,
       const char  *sql)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->store_path, db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (*db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  return stmt;
}

gint64
host_fixture_count (HostFixture *f,
                    const char  *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = query (f, &db, sql);
  gint64 n = sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : -1;

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

char *
host_fixture_text (HostFixture *f,
                   const char  *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = query (f, &db, sql);
  char *text = sqlite3_step (stmt) == SQLITE_ROW ? g_strdup ((const char *) sqlite3_column_text (stmt, 0)) : NULL;

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

gint64
host_fixture_submit (HostFixture *f,
                     const char  *name,
                     const char  *applied_on)
{
  g_autoptr (GHashTable) inputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr (GError) error = NULL;
  const MzActor clerk = { "clerk1", "clerk", "s1", "127.0.0.1" };
  MzActRequest request = { 0 };
  MzActResult result = { 0 };
  static guint person = 1000;

  g_hash_table_insert (inputs, "name", g_strdup (name));
  g_hash_table_insert (inputs, "id_number", host_fixture_id_number (person++));
  g_hash_table_insert (inputs, "category", g_strdup ("dibao"));
  g_hash_table_insert (inputs, "applied_on", g_strdup (applied_on));
  request.plugin = "testreg";
  request.kind = "application";
  request.action = "submit";
  request.inputs = inputs;
  request.actor = &clerk;
  g_assert_true (mz_services_act (f->services, &request, &result, &error));
  g_assert_no_error (error);
  return result.record_id;
}

char *
host_fixture_id_number (guint n)
{
  static const int weights[] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char checks[] = "10X98765432";
  char body[18];
  int sum = 0;

  /* 450222, born 1980-01-01 plus n days' worth of sequence numbers. */
  g_snprintf (body, sizeof body, "45022219800101%03u", n % 1000);
  for (int i = 0; i < 17; i++)
    sum += (body[i] - '0') * weights[i];
  return g_strdup_printf ("%s%c", body, checks[sum % 11]);
}
