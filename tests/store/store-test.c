/* Shared set-up for the store tests.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "store-test.h"

#include <dlfcn.h>
#include <stdarg.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

MzPlugin *
store_test_load_plugin (MzServices *services,
                        const char *path,
                        GError    **error)
{
  const MzPluginDescriptor *(*entry) (void);
  MzPlugin *plugin;
  void *handle = dlopen (path, RTLD_NOW | RTLD_LOCAL);

  if (handle == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "dlopen %s: %s", path, dlerror ());
      return NULL;
    }
  *(void **) &entry = dlsym (handle, MZ_PLUGIN_ENTRY_SYMBOL);
  g_assert_nonnull (entry);
  plugin = g_new0 (MzPlugin, 1);
  plugin->descriptor = entry ();
  g_assert_cmpuint (plugin->descriptor->magic, ==, MZ_PLUGIN_MAGIC);
  plugin->name = g_strdup (plugin->descriptor->name);
  plugin->path = g_strdup (path);
  plugin->handle = handle;
  plugin->state = MZ_PLUGIN_STATE_OPENED;
  mz_services_attach_plugin (services, plugin);
  if (!plugin->descriptor->init (plugin, mz_services_get_host (services), error))
    {
      store_test_plugin_free (services, plugin);
      return NULL;
    }
  plugin->state = MZ_PLUGIN_STATE_LOADED;
  return plugin;
}

void
store_test_plugin_free (MzServices *services,
                        MzPlugin   *plugin)
{
  if (plugin == NULL)
    return;
  mz_services_detach_plugin (services, plugin);
  g_free (plugin->name);
  g_free (plugin->path);
  g_free (plugin);
}

void
store_fixture_open (StoreFixture *fx)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *so = g_test_build_filename (G_TEST_BUILT, "store", "storetest.so", NULL);

  fx->config = mz_config_load (fx->config_path, &error);
  g_assert_no_error (error);
  fx->services = mz_services_new (fx->config, &error);
  g_assert_no_error (error);
  fx->plugin = store_test_load_plugin (fx->services, so, &error);
  g_assert_no_error (error);
  fx->host = mz_services_get_host (fx->services);
}

StoreFixture *
store_fixture_new (const char *extra)
{
  StoreFixture *fx = g_new0 (StoreFixture, 1);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  fx->dir = g_dir_make_tmp ("mz-store-XXXXXX", &error);
  g_assert_no_error (error);
  fx->config_path = g_build_filename (fx->dir, "office.conf", NULL);
  fx->db_path = g_build_filename (fx->dir, "office.db", NULL);
  text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n\n"
                          "[plugins]\nenabled=storetest\n\n"
                          "[store]\npath=office.db\n\n"
                          "[audit]\ncheckpoint_every=50\n\n%s",
                          extra != NULL ? extra : "");
  g_file_set_contents (fx->config_path, text, -1, &error);
  g_assert_no_error (error);
  store_fixture_open (fx);
  return fx;
}

void
store_fixture_close (StoreFixture *fx)
{
  if (fx->plugin != NULL)
    {
      store_test_plugin_free (fx->services, fx->plugin);
      fx->plugin = NULL;
    }
  g_clear_pointer (&fx->services, mz_services_free);
  g_clear_pointer (&fx->config, mz_config_free);
}

void
store_fixture_free (StoreFixture *fx)
{
  store_fixture_close (fx);
  mz_test_remove_tree (fx->dir);
  g_free (fx->dir);
  g_free (fx->config_path);
  g_free (fx->db_path);
  g_free (fx);
}

gboolean
store_test_act (StoreFixture *fx,
                const char   *user,
                const char   *role,
                const char   *action,
                gint64        id,
                gint64        version,
                const char   *reason,
                MzActResult  *result,
                GError      **error,
                ...)
{
  g_autoptr (GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  MzActor actor = { user, role, "test-session", "test" };
  MzActRequest request = { "storetest", "case", action, id, version, inputs, &actor, reason,
                           "test-correlation" };
  MzActResult local;
  va_list ap;
  const char *field;

  va_start (ap, error);
  while ((field = va_arg (ap, const char *)) != NULL)
    g_hash_table_insert (inputs, (gpointer) field, va_arg (ap, char *));
  va_end (ap);
  return mz_services_act (fx->services, &request, result != NULL ? result : &local, error);
}

char *
store_test_query (StoreFixture *fx,
                  const char   *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fx->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

gint64
store_test_query_int (StoreFixture *fx,
                      const char   *sql)
{
  g_autofree char *text = store_test_query (fx, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}
