/* The office's configuration: what a good file gives, and that each bad
 * one is refused naming the file, the group, the key and what is expected.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "config.h"
#include "loader-test-util.h"

#define GOOD_OFFICE "[office]\nid = 450222\nname = 柳城县民政局\n"
#define GOOD_STORE "[store]\npath = office.db\n"

static char *tmp_dir;

static char *
write_config (const char *name,
              const char *text)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  GError *error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* Loading @text fails with @code, and the message names the file, then
 * "[group] key" when given, and says @expected. */
static void
assert_refused (const char   *text,
                MzConfigError code,
                const char   *group_key,
                const char   *expected)
{
  g_autofree char *path = write_config ("bad.conf", text);
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (GError) error = NULL;

  config = mz_config_load (path, &error);
  g_assert_null (config);
  g_assert_error (error, MZ_CONFIG_ERROR, (gint) code);
  if (!g_str_has_prefix (error->message, path))
    g_error ("message does not start with the file: %s", error->message);
  if (group_key != NULL && strstr (error->message, group_key) == NULL)
    g_error ("message does not name %s: %s", group_key, error->message);
  if (strstr (error->message, expected) == NULL)
    g_error ("message does not say “%s”: %s", expected, error->message);
  g_assert_true (g_str_has_suffix (error->message, "]"));
}

static void
test_good (void)
{
  g_autofree char *plugins = g_build_filename (tmp_dir, "lib", "plugins", NULL);
  g_autofree char *path = NULL;
  g_autofree char *store = g_build_filename (tmp_dir, "data", "office.db", NULL);
  g_autofree char *log = g_build_filename (tmp_dir, "log", "minzheng.log", NULL);
  g_autoptr (MzConfig) config = NULL;
  GError *error = NULL;
  const char *const *dirs;

  g_mkdir_with_parents (plugins, 0755);
  path = write_config ("good.conf",
                       GOOD_OFFICE
                       "[plugins]\npath = lib/plugins; " MZ_FIXTURE_DIR "\n"
                       "enabled = marriage; funeral ;\nrequired = marriage\n"
                       "[store]\npath = data/office.db\nsynchronous = FULL\n"
                       "[log]\ntarget = file:log/minzheng.log\n"
                       "[plugin.marriage]\narchive = 档案室\n"
                       "[audit]\nkey = office.key\n");
  config = mz_config_load (path, &error);
  g_assert_no_error (error);

  g_assert_cmpstr (mz_config_get_origin (config), ==, path);
  g_assert_cmpstr (mz_config_get_directory (config), ==, tmp_dir);
  g_assert_cmpstr (mz_config_get_office_id (config), ==, "450222");
  g_assert_cmpstr (mz_config_get_office_name (config), ==, "柳城县民政局");
  g_assert_cmpstr (mz_config_get_timezone (config), ==, "Asia/Shanghai");
  dirs = mz_config_get_plugin_dirs (config);
  g_assert_cmpuint (g_strv_length ((char **) dirs), ==, 2);
  g_assert_cmpstr (dirs[0], ==, plugins);
  g_assert_cmpstr (dirs[1], ==, MZ_FIXTURE_DIR);
  g_assert_cmpuint (g_strv_length ((char **) mz_config_get_enabled (config)), ==, 2);
  g_assert_cmpstr (mz_config_get_enabled (config)[1], ==, "funeral");
  g_assert_cmpstr (mz_config_get_required (config)[0], ==, "marriage");
  g_assert_cmpstr (mz_config_get_store_path (config), ==, store);
  g_assert_true (g_str_has_prefix (mz_config_get_log_target (config), "file:"));
  g_assert_cmpstr (mz_config_get_log_target (config) + 5, ==, log);
  g_assert_true (g_key_file_has_group (mz_config_get_key_file (config), "plugin.marriage"));
}

/* The example configuration shipped in conf/ is itself valid. */
static void
test_example (void)
{
  g_autofree char *example = g_build_filename (MZ_SOURCE_ROOT, "conf", "minzheng.conf", NULL);
  g_autoptr (MzConfig) config = NULL;
  GError *error = NULL;

  g_setenv ("MINZHENG_PLUGIN_PATH", MZ_PLUGIN_BUILD_DIR, TRUE);
  config = mz_config_load (example, &error);
  g_unsetenv ("MINZHENG_PLUGIN_PATH");
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) mz_config_get_enabled (config)), ==, 5);
}

static void
test_defaults_and_env (void)
{
  g_autofree char *path = write_config ("env.conf", GOOD_OFFICE "timezone = Asia/Urumqi\n"
                                        GOOD_STORE);
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (MzConfig) overridden = NULL;
  GError *error = NULL;

  g_setenv ("MINZHENG_CONFIG", path, TRUE);
  config = mz_config_load (NULL, &error);
  g_unsetenv ("MINZHENG_CONFIG");
  g_assert_no_error (error);
  g_assert_cmpstr (mz_config_get_origin (config), ==, path);
  g_assert_cmpstr (mz_config_get_timezone (config), ==, "Asia/Urumqi");
  g_assert_cmpstr (mz_config_get_log_target (config), ==, "stderr");
  g_assert_cmpstr (mz_config_get_plugin_dirs (config)[0], ==, MZ_PLUGINDIR);
  g_assert_cmpuint (g_strv_length ((char **) mz_config_get_enabled (config)), ==, 0);

  g_setenv ("MINZHENG_PLUGIN_PATH", MZ_FIXTURE_DIR ":" MZ_PLUGIN_BUILD_DIR, TRUE);
  overridden = mz_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mz_config_get_plugin_dirs (overridden)[0], ==, MZ_FIXTURE_DIR);
  g_assert_cmpstr (mz_config_get_plugin_dirs (overridden)[1], ==, MZ_PLUGIN_BUILD_DIR);

  g_setenv ("MINZHENG_PLUGIN_PATH", "/nonexistent/minzheng/plugins", TRUE);
  g_clear_pointer (&overridden, mz_config_free);
  overridden = mz_config_load (path, &error);
  g_unsetenv ("MINZHENG_PLUGIN_PATH");
  g_assert_error (error, MZ_CONFIG_ERROR, MZ_CONFIG_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, "$MINZHENG_PLUGIN_PATH"));
  g_assert_nonnull (strstr (error->message, "/nonexistent/minzheng/plugins"));
  g_clear_error (&error);
}

static void
test_not_found (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "absent.conf", NULL);
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (GError) error = NULL;

  config = mz_config_load (path, &error);
  g_assert_error (error, MZ_CONFIG_ERROR, MZ_CONFIG_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_nonnull (strstr (error->message, "--config FILE"));
}

static void
test_malformed (void)
{
  assert_refused ("[office\nid = 450222\n", MZ_CONFIG_ERROR_PARSE, NULL,
                  "expected “[group]” lines and “key = value” lines");
  assert_refused ("this is not a key file\n", MZ_CONFIG_ERROR_PARSE, NULL,
                  "not a valid configuration file");
}

static void
test_office (void)
{
  assert_refused ("[office]\nname = 柳城县民政局\n" GOOD_STORE, MZ_CONFIG_ERROR_MISSING_KEY,
                  "[office] id", "missing; expected the office's six-digit division code");
  assert_refused ("[office]\nid =\nname = x\n" GOOD_STORE, MZ_CONFIG_ERROR_MISSING_KEY,
                  "[office] id", "missing");
  assert_refused ("[office]\nid = 45022\nname = x\n" GOOD_STORE, MZ_CONFIG_ERROR_INVALID_VALUE,
                  "[office] id", "“45022” is not a division code");
  assert_refused ("[office]\nid = 45O222\nname = x\n" GOOD_STORE, MZ_CONFIG_ERROR_INVALID_VALUE,
                  "[office] id", "expected six digits (GB/T 2260)");
  assert_refused ("[office]\nid = 990222\nname = x\n" GOOD_STORE, MZ_CONFIG_ERROR_INVALID_VALUE,
                  "[office] id", "“990222” is not a division code");
  assert_refused ("[office]\nid = 450222\n" GOOD_STORE, MZ_CONFIG_ERROR_MISSING_KEY,
                  "[office] name", "expected the office's name");
  assert_refused (GOOD_OFFICE "timezone = Mars/Olympus\n" GOOD_STORE,
                  MZ_CONFIG_ERROR_INVALID_VALUE, "[office] timezone",
                  "expected an IANA name such as Asia/Shanghai");
  assert_refused (GOOD_OFFICE "nmae = typo\n" GOOD_STORE, MZ_CONFIG_ERROR_INVALID_VALUE,
                  "[office] nmae", "unknown key; this group takes only: id, name, timezone");
}

static void
test_plugins (void)
{
  assert_refused (GOOD_OFFICE GOOD_STORE "[plugins]\npath = no/such/dir\n",
                  MZ_CONFIG_ERROR_INVALID_VALUE, "[plugins] path",
                  "no/such/dir” is not a directory; expected ';'-separated existing directories");
  assert_refused (GOOD_OFFICE GOOD_STORE "[plugins]\npath = ;\n",
                  MZ_CONFIG_ERROR_INVALID_VALUE, "[plugins] path", "empty");
  assert_refused (GOOD_OFFICE GOOD_STORE "[plugins]\nenabled = marriage\nrequired = funeral\n",
                  MZ_CONFIG_ERROR_INVALID_VALUE, "[plugins] required",
                  "names “funeral”, which is not in [plugins] enabled");
  assert_refused (GOOD_OFFICE GOOD_STORE "[plugins]\nenabled = marriage; funeral; marriage\n",
                  MZ_CONFIG_ERROR_INVALID_VALUE, "[plugins] enabled",
                  "names “marriage” twice");
  assert_refused (GOOD_OFFICE GOOD_STORE "[plugins]\nenable = marriage\n",
                  MZ_CONFIG_ERROR_INVALID_VALUE, "[plugins] enable", "unknown key");
}

static void
test_store_and_log (void)
{
  assert_refused (GOOD_OFFICE, MZ_CONFIG_ERROR_MISSING_KEY, "[store] path",
                  "expected the office's database file");
  assert_refused (GOOD_OFFICE GOOD_STORE "[log]\ntarget = printer\n",
                  MZ_CONFIG_ERROR_INVALID_VALUE, "[log] target",
                  "expected stderr, journal, file:PATH or syslog:HOST:PORT");
  assert_refused (GOOD_OFFICE GOOD_STORE "[log]\ntarget = syslog:localhost\n",
                  MZ_CONFIG_ERROR_INVALID_VALUE, "[log] target", "syslog:HOST:PORT");
  assert_refused (GOOD_OFFICE GOOD_STORE "[log]\ntarget = syslog:localhost:70000\n",
                  MZ_CONFIG_ERROR_INVALID_VALUE, "[log] target", "syslog:HOST:PORT");
}

/* Text configurations name their origin in messages, and resolve relative
 * paths against the origin's directory. */
static void
test_from_data (void)
{
  g_autofree char *origin = g_build_filename (tmp_dir, "inline.conf", NULL);
  g_autofree char *store = g_build_filename (tmp_dir, "office.db", NULL);
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (MzConfig) bad = NULL;
  g_autoptr (GError) error = NULL;

  config = mz_config_load_from_data (GOOD_OFFICE GOOD_STORE, origin, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mz_config_get_store_path (config), ==, store);

  bad = mz_config_load_from_data ("[office]\nid = 1\n", "test data", &error);
  g_assert_null (bad);
  g_assert_error (error, MZ_CONFIG_ERROR, MZ_CONFIG_ERROR_INVALID_VALUE);
  g_assert_true (g_str_has_prefix (error->message, "test data: [office] id"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_unsetenv ("MINZHENG_PLUGIN_PATH");
  g_unsetenv ("MINZHENG_CONFIG");
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("mz-config-XXXXXX", NULL);

  g_test_add_func ("/config/good", test_good);
  g_test_add_func ("/config/example", test_example);
  g_test_add_func ("/config/defaults-and-env", test_defaults_and_env);
  g_test_add_func ("/config/not-found", test_not_found);
  g_test_add_func ("/config/malformed", test_malformed);
  g_test_add_func ("/config/office", test_office);
  g_test_add_func ("/config/plugins", test_plugins);
  g_test_add_func ("/config/store-and-log", test_store_and_log);
  g_test_add_func ("/config/from-data", test_from_data);

  status = g_test_run ();
  mz_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
