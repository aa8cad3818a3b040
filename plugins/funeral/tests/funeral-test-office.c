/* An office for the funeral plugin's integration tests.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <stdarg.h>

#include <glib/gstdio.h>

#include "funeral-test-office.h"
#include "mz-test-util.h"

const MzActor funeral_clerk = { "wang.clerk", "clerk", "s1", "127.0.0.1" };
const MzActor funeral_reviewer = { "li.reviewer", "supervisor", "s2", "127.0.0.1" };
const MzActor funeral_approver = { "zhao.approver", "supervisor", "s3", "127.0.0.1" };

static void
write_config (FuneralOffice *office,
              const char    *plugin_group)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n"
                                           "[plugins]\npath=%s\nenabled=funeral\n"
                                           "[store]\npath=%s\n"
                                           "[audit]\nkey_path=%s/office.key\n"
                                           "[plugin.funeral]\n%s\n",
                                           FUNERAL_PLUGIN_DIR, office->store_path, office->dir,
                                           plugin_group);

  g_file_set_contents (office->config_path, text, -1, &error);
  g_assert_no_error (error);
}

void
funeral_office_set_today (FuneralOffice *office,
                          const char    *today)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) noon = NULL;
  int y, m, d;

  g_assert_cmpint (sscanf (today, "%d-%d-%d", &y, &m, &d), ==, 3);
  noon = g_date_time_new (zone, y, m, d, 12, 0, 0);
  mz_services_set_now (office->services, g_date_time_to_unix (noon) * G_USEC_PER_SEC);
}

static void
stop (FuneralOffice *office)
{
  g_clear_pointer (&office->loader, mz_loader_free);
  g_clear_pointer (&office->services, mz_services_free);
  g_clear_pointer (&office->config, mz_config_free);
}

gboolean
funeral_office_try_start (FuneralOffice *office,
                          const char    *plugin_group,
                          const char    *today,
                          GError       **error)
{
  g_autoptr (GError) local = NULL;

  stop (office);
  write_config (office, plugin_group);
  office->config = mz_config_load (office->config_path, &local);
  g_assert_no_error (local);
  office->services = mz_services_new (office->config, &local);
  g_assert_no_error (local);
  office->loader = mz_loader_new (office->config, office->services);
  mz_loader_load_all (office->loader, &local);
  g_assert_no_error (local);
  funeral_office_set_today (office, today);
  return mz_loader_lookup (office->loader, "funeral", error) != NULL;
}

void
funeral_office_restart (FuneralOffice *office,
                        const char    *plugin_group,
                        const char    *today)
{
  g_autoptr (GError) error = NULL;

  funeral_office_try_start (office, plugin_group, today, &error);
  g_assert_no_error (error);
}

FuneralOffice *
funeral_office_new (const char *plugin_group,
                    const char *today)
{
  FuneralOffice *office = g_new0 (FuneralOffice, 1);
  g_autoptr (GError) error = NULL;

  office->dir = g_dir_make_tmp ("funeral-test-XXXXXX", &error);
  g_assert_no_error (error);
  office->config_path = g_build_filename (office->dir, "minzheng.conf", NULL);
  office->store_path = g_build_filename (office->dir, "office.db", NULL);
  funeral_office_restart (office, plugin_group, today);
  return office;
}

void
funeral_office_free (FuneralOffice *office)
{
  stop (office);
  mz_test_remove_tree (office->dir);
  g_free (office->dir);
  g_free (office->config_path);
  g_free (office->store_path);
  g_free (office);
}

gint64
funeral_office_act (FuneralOffice *office,
                    const MzActor *actor,
                    const char    *action,
                    gint64         record_id,
                    const char    *reason,
                    GError       **error,
                    ...)
{
  g_autoptr (GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  MzActRequest request = { "funeral", "application", action, record_id, 0, inputs, actor,
                           reason, NULL };
  MzActResult result;
  const char *field;
  va_list ap;

  va_start (ap, error);
  while ((field = va_arg (ap, const char *)) != NULL)
    g_hash_table_insert (inputs, (gpointer) field, va_arg (ap, char *));
  va_end (ap);

  if (!mz_services_act (office->services, &request, &result, error))
    return 0;
  return result.record_id;
}

char *
funeral_office_get (FuneralOffice *office,
                    gint64         record_id,
                    const char    *column)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT \"%s\" FROM funeral_application WHERE id = ?",
                                          column);
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (office->store_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, record_id);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

gint64
funeral_office_get_int (FuneralOffice *office,
                        gint64         record_id,
                        const char    *column)
{
  g_autofree char *text = funeral_office_get (office, record_id, column);

  g_assert_nonnull (text);
  return g_ascii_strtoll (text, NULL, 10);
}

void
funeral_test_id_number (guint    n,
                        gboolean male,
                        char     out[19])
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;

  /* Born in 1940 + n / 300 on 15 March, sequence from n. */
  g_snprintf (out, 19, "450222%04u0315%03u", 1940 + (n / 300) % 60, (n % 300) * 2 + (male ? 1 : 2));
  for (int i = 0; i < 17; i++)
    sum += (out[i] - '0') * weights[i];
  out[17] = "10X98765432"[sum % 11];
  out[18] = '\0';
}
