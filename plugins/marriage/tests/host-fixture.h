/* marriage plugin tests — a real host around the real marriage.so: a
 * configuration naming the build directory, a fresh SQLite store in a
 * temporary directory, the loader, and a fixed clock.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <string.h>

#include "services.h"
#include "loader.h"
#include "mz-test-util.h"

typedef struct
{
  char *dir;
  char *db_path;
  MzConfig *config;
  MzServices *services;
  MzLoader *loader;
} HostFixture;

static const MzActor host_fixture_actor = { "clerk01", "supervisor", "session-1", "test" };

/* Microseconds since the epoch of 10:00 office time on @date. */
static inline gint64
host_fixture_usec (const char *date)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) dt = NULL;
  int y, m, d;

  g_assert_cmpint (sscanf (date, "%d-%d-%d", &y, &m, &d), ==, 3);
  dt = g_date_time_new (tz, y, m, d, 10, 0, 0);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static inline void
host_fixture_set_today (HostFixture *f, const char *date)
{
  mz_services_set_now (f->services, host_fixture_usec (date));
}

/* Opens the host on the store in @dir (which @f takes), with @extra
 * configuration lines (e.g. "[plugin.marriage]\npromised_days=1\n") or NULL. */
static inline void
host_fixture_open (HostFixture *f, char *dir, const char *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  const char *plugin_dir = g_getenv ("MARRIAGE_PLUGIN_DIR");

  g_assert_nonnull (plugin_dir);
  f->dir = dir;
  f->db_path = g_build_filename (f->dir, "office.db", NULL);
  text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n"
                          "[plugins]\npath=%s\nenabled=marriage\n"
                          "[store]\npath=%s\n"
                          "%s",
                          plugin_dir, f->db_path, extra != NULL ? extra : "");
  f->config = mz_config_load_from_data (text, "marriage-test.conf", &error);
  g_assert_no_error (error);
  f->services = mz_services_new (f->config, &error);
  g_assert_no_error (error);
  f->loader = mz_loader_new (f->config, f->services);
  g_assert_true (mz_loader_load_all (f->loader, &error));
  g_assert_no_error (error);
  g_assert_nonnull (mz_loader_lookup (f->loader, "marriage", &error));
  g_assert_no_error (error);
  host_fixture_set_today (f, "2021-05-10");
}

/* A fresh store in a new temporary directory. */
static inline void
host_fixture_setup_with (HostFixture *f, const char *extra)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("marriage-XXXXXX", &error);

  g_assert_no_error (error);
  host_fixture_open (f, dir, extra);
}

static inline void
host_fixture_setup (HostFixture *f, gconstpointer data)
{
  host_fixture_setup_with (f, NULL);
}

/* Stops the host, keeping the store. */
static inline void
host_fixture_close (HostFixture *f)
{
  g_clear_pointer (&f->loader, mz_loader_free);
  g_clear_pointer (&f->services, mz_services_free);
  g_clear_pointer (&f->config, mz_config_free);
  g_clear_pointer (&f->db_path, g_free);
}

static inline void
host_fixture_teardown (HostFixture *f, gconstpointer data)
{
  host_fixture_close (f);
  mz_test_remove_tree (f->dir);
  g_free (f->dir);
}

/* Acts with NULL-terminated field/value pairs; returns the new record id,
 * or 0 with @error set. */
static inline gint64
host_fixture_actv (HostFixture *f, const char *kind, const char *action, gint64 record_id,
                   const char *reason, GError **error, va_list ap)
{
  g_autoptr (GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  MzActRequest request = { 0 };
  MzActResult result = { 0 };
  const char *field;

  while ((field = va_arg (ap, const char *)) != NULL)
    g_hash_table_insert (inputs, (gpointer) field, va_arg (ap, char *));
  request.plugin = "marriage";
  request.kind = kind;
  request.action = action;
  request.record_id = record_id;
  request.inputs = inputs;
  request.actor = &host_fixture_actor;
  request.reason = reason;
  if (!mz_services_act (f->services, &request, &result, error))
    return 0;
  return result.record_id;
}

static inline gint64
host_fixture_act (HostFixture *f, const char *kind, const char *action, gint64 record_id,
                  GError **error, ...)
{
  va_list ap;
  gint64 id;

  va_start (ap, error);
  id = host_fixture_actv (f, kind, action, record_id, NULL, error, ap);
  va_end (ap);
  return id;
}

/* One text column of one record, read straight from the SQLite file. */
static inline char *
host_fixture_column (HostFixture *f, const char *table, gint64 id, const char *column)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT \"%s\" FROM \"%s\" WHERE id = ?", column, table);
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* The code part of a refusal, "marriage.under_age". */
static inline void
host_fixture_assert_code (GError *error, const char *code)
{
  g_autofree char *name = NULL;

  g_assert_nonnull (error);
  name = mz_error_code_name (error);
  if (g_strcmp0 (name, code) != 0)
    g_error ("expected [%s], got: %s", code, error->message);
}
