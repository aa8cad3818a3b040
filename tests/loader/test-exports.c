/* Every plugin exports exactly one symbol, mz_plugin_get_descriptor, as
 * `nm -D --defined-only` sees it: anything else would be a symbol another
 * library could bind to by accident.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include <glib.h>

static void
test_exports (gconstpointer data)
{
  const char *name = data;
  g_autofree char *file = g_strconcat (name, ".so", NULL);
  g_autofree char *path = g_build_filename (MZ_PLUGIN_BUILD_DIR, name, file, NULL);
  const char *argv[] = { "nm", "-D", "--defined-only", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) lines = NULL;
  guint symbols = 0;
  int status;
  GError *error = NULL;

  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = g_strsplit_set (lines[i], " \t", -1);
      guint n = g_strv_length (fields);

      if (lines[i][0] == '\0')
        continue;
      symbols++;
      if (strcmp (fields[n - 1], "mz_plugin_get_descriptor") != 0)
        g_error ("%s exports %s besides mz_plugin_get_descriptor", path, fields[n - 1]);
    }
  g_assert_cmpuint (symbols, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_auto (GStrv) plugins = g_strsplit (MZ_BUILT_PLUGINS, ";", -1);

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; plugins[i] != NULL; i++)
    {
      g_autofree char *file = g_strconcat (plugins[i], ".so", NULL);
      g_autofree char *path = g_build_filename (MZ_PLUGIN_BUILD_DIR, plugins[i], file, NULL);
      g_autofree char *test_path = g_strdup_printf ("/loader/exports/%s", plugins[i]);

      /* A plugin folder that builds no library yet has nothing to export. */
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_test_add_data_func (test_path, plugins[i], test_exports);
    }
  return g_test_run ();
}
