/* Selective deployment: an office that enables two business lines maps
 * exactly those two libraries, and a broken module beside healthy ones
 * costs only itself.  Each case runs in a fresh subprocess so that the
 * process's mapped files say what this load, and only it, opened.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "loader.h"
#include "services.h"
#include "loader-test-util.h"

static const char *const all_plugins[] = {
  "marriage", "funeral", "socorg", "placename", "vagrant", NULL,
};

static gboolean
plugin_built (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".so", NULL);
  g_autofree char *path = g_build_filename (MZ_PLUGIN_BUILD_DIR, name, file, NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* The two plugins the office enables: marriage and funeral as in the issue
 * when both are built, else the first two that are. */
static void
choose_two (const char *chosen[2])
{
  guint n = 0;

  if (plugin_built ("marriage") && plugin_built ("funeral"))
    {
      chosen[0] = "marriage";
      chosen[1] = "funeral";
      return;
    }
  for (guint i = 0; all_plugins[i] != NULL && n < 2; i++)
    if (plugin_built (all_plugins[i]))
      chosen[n++] = all_plugins[i];
  g_assert_cmpuint (n, ==, 2);
}

static gboolean
mapped (const char *maps,
        const char *name)
{
  g_autofree char *needle = g_strdup_printf ("/%s.so\n", name);

  return strstr (maps, needle) != NULL;
}

static void
load_and_check (const char *path,
                const char *enabled,
                const char *const *loaded,
                const char *const *not_mapped)
{
  g_autoptr (TestOffice) office = office_new (path, enabled, NULL);
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (MzServices) services = NULL;
  g_autoptr (MzLoader) loader = NULL;
  g_autofree char *maps = NULL;
  GError *error = NULL;

  config = mz_config_load (office->config, &error);
  g_assert_no_error (error);
  services = mz_services_new (config, &error);
  g_assert_no_error (error);
  loader = mz_loader_new (config, services);
  g_assert_true (mz_loader_load_all (loader, &error));
  g_assert_no_error (error);

  for (guint i = 0; loaded[i] != NULL; i++)
    {
      MzPlugin *plugin = mz_loader_lookup (loader, loaded[i], &error);

      g_assert_no_error (error);
      g_assert_cmpint (plugin->state, ==, MZ_PLUGIN_STATE_LOADED);
    }

  g_file_get_contents ("/proc/self/maps", &maps, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; loaded[i] != NULL; i++)
    g_assert_true (mapped (maps, loaded[i]));
  for (guint i = 0; not_mapped[i] != NULL; i++)
    if (mapped (maps, not_mapped[i]))
      g_error ("%s.so is mapped although the office does not enable it", not_mapped[i]);
}

static void
test_only_enabled_are_opened (void)
{
  const char *chosen[3] = { NULL, NULL, NULL };
  g_autoptr (GPtrArray) others = g_ptr_array_new ();
  g_autofree char *enabled = NULL;

  choose_two (chosen);
  for (guint i = 0; all_plugins[i] != NULL; i++)
    if (plugin_built (all_plugins[i]) && strcmp (all_plugins[i], chosen[0]) != 0
        && strcmp (all_plugins[i], chosen[1]) != 0)
      g_ptr_array_add (others, (gpointer) all_plugins[i]);
  /* A build made with -Dplugins=a,b leaves no plugin out, so there is
   * nothing to prove: say so instead of failing. */
  if (others->len == 0)
    {
      g_test_skip ("fewer than three plugins are built (meson option plugins)");
      return;
    }

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_ptr_array_add (others, NULL);

  enabled = g_strdup_printf ("%s; %s", chosen[0], chosen[1]);
  load_and_check (MZ_PLUGIN_BUILD_DIR, enabled, chosen, (const char *const *) others->pdata);
}

static void
test_broken_beside_healthy (void)
{
  const char *chosen[3] = { NULL, NULL, NULL };
  const char *const none[] = { NULL };
  g_autofree char *enabled = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  choose_two (chosen);
  enabled = g_strdup_printf ("%s; badmagic; unresolved; initfail; lonely; %s",
                             chosen[0], chosen[1]);
  load_and_check (MZ_PLUGIN_BUILD_DIR ";" MZ_FIXTURE_DIR, enabled, chosen, none);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fixture_log = test_fixture_log_init ();
  int status;

  g_unsetenv ("MINZHENG_PLUGIN_PATH");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/loader/selective/only-enabled-are-opened", test_only_enabled_are_opened);
  g_test_add_func ("/loader/selective/broken-beside-healthy", test_broken_beside_healthy);

  status = g_test_run ();
  if (fixture_log != NULL)
    g_remove (fixture_log);
  return status;
}
