/* minzhengd and `mzctl plugins` / `mzctl plugin check`, run as real child
 * processes: start, ready, SIGTERM, exit status, and clear failures.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "loader-test-util.h"

typedef struct
{
  int status;   /* wait status */
  char *out;
  char *err;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Runs @argv (NULL-terminated) in @cwd and waits for it. */
static Run *
run (const char  *cwd,
     const char **argv)
{
  Run *r = g_new0 (Run, 1);
  GError *error = NULL;

  g_spawn_sync (cwd, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &r->status, &error);
  g_assert_no_error (error);
  return r;
}

static void
assert_exit (const Run *r,
             int        code)
{
  if (!WIFEXITED (r->status) || WEXITSTATUS (r->status) != code)
    g_error ("expected exit status %d, got wait status %d\nstdout: %s\nstderr: %s",
             code, r->status, r->out, r->err);
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, text);
}

/* The plugins the build made, ';'-separated. */
static char *
built_plugins (guint *n)
{
  g_auto (GStrv) all = g_strsplit (MZ_BUILT_PLUGINS, ";", -1);
  g_autoptr (GStrvBuilder) built = g_strv_builder_new ();
  g_auto (GStrv) names = NULL;

  for (guint i = 0; all[i] != NULL; i++)
    {
      g_autofree char *file = g_strconcat (all[i], ".so", NULL);
      g_autofree char *path = g_build_filename (MZ_PLUGIN_BUILD_DIR, all[i], file, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_strv_builder_add (built, all[i]);
    }
  names = g_strv_builder_end (built);
  *n = g_strv_length (names);
  return g_strjoinv ("; ", names);
}

/* minzhengd loads every built plugin and three fixtures that depend on one
 * another, says ready on stdout, and on SIGTERM shuts the fixtures down in
 * reverse order and exits 0. */
static void
test_daemon_ready_and_sigterm (void)
{
  guint n_built = 0;
  g_autofree char *plugins = built_plugins (&n_built);
  g_autofree char *enabled = g_strdup_printf ("%s; top; needsbase; base", plugins);
  g_autoptr (TestOffice) office = office_new (MZ_PLUGIN_BUILD_DIR ";" MZ_FIXTURE_DIR, enabled, NULL);
  g_autoptr (GSubprocess) daemon = NULL;
  g_autoptr (GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *loaded = NULL;
  g_autofree char *order = NULL;
  GError *error = NULL;

  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *log_path = g_build_filename (office->dir, "stderr.log", NULL);
  g_autofree char *log = NULL;
  g_auto (GStrv) log_lines = NULL;
  guint loaded_lines = 0;

  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  daemon = g_subprocess_launcher_spawn (launcher, &error, MZ_MINZHENGD, "--config", office->config, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (daemon));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  assert_contains (line, "minzhengd: ready: 柳城县民政局 (450222)");
  loaded = g_strdup_printf ("%u plugins loaded", n_built + 3);
  assert_contains (line, loaded);
  assert_contains (line, ", 0 refused, in ");

  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon), ==, 0);

  g_file_get_contents (office->log, &order, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (order, ==, "init base\ninit needsbase\ninit top\n"
                   "shutdown top\nshutdown needsbase\nshutdown base\n");

  /* One structured line per plugin loaded, then ready, then stopping. */
  g_file_get_contents (log_path, &log, NULL, &error);
  g_assert_no_error (error);
  log_lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; log_lines[i] != NULL; i++)
    if (strstr (log_lines[i], "\"MESSAGE_ID\":\"minzheng.plugin.loaded\"") != NULL)
      {
        assert_contains (log_lines[i], "\"MZ_OFFICE\":\"450222\"");
        assert_contains (log_lines[i], "\"MZ_PLUGIN_VERSION\":\"");
        loaded_lines++;
      }
  g_assert_cmpuint (loaded_lines, ==, n_built + 3);
  assert_contains (log, "\"MESSAGE_ID\":\"minzheng.ready\"");
  assert_contains (log, "\"MESSAGE_ID\":\"minzheng.stopping\"");
}

static void
test_daemon_bad_config (void)
{
  g_autoptr (TestOffice) office = office_new (MZ_FIXTURE_DIR, "base", NULL);
  g_autofree char *malformed = g_build_filename (office->dir, "malformed.conf", NULL);
  g_autofree char *no_dir = g_build_filename (office->dir, "nodir.conf", NULL);
  const char *argv_malformed[] = { MZ_MINZHENGD, "--config", malformed, NULL };
  const char *argv_no_dir[] = { MZ_MINZHENGD, "--config", no_dir, NULL };
  g_autoptr (Run) r1 = NULL;
  g_autoptr (Run) r2 = NULL;

  g_file_set_contents (malformed, "[office\nid = 450222\n", -1, NULL);
  g_file_set_contents (no_dir, "[office]\nid = 450222\nname = x\n[plugins]\n"
                       "path = /nonexistent/plugins\n[store]\npath = x.db\n", -1, NULL);

  r1 = run (office->dir, argv_malformed);
  assert_exit (r1, 2);
  assert_contains (r1->err, "minzhengd: configuration unusable: ");
  assert_contains (r1->err, malformed);
  assert_contains (r1->err, "[config.parse]");
  g_assert_cmpstr (r1->out, ==, "");

  r2 = run (office->dir, argv_no_dir);
  assert_exit (r2, 2);
  assert_contains (r2->err, "[plugins] path: “/nonexistent/plugins” is not a directory");
}

static void
test_daemon_now (void)
{
  g_autoptr (TestOffice) office = office_new (MZ_FIXTURE_DIR, "base", NULL);
  const char *bad_argv[] = { MZ_MINZHENGD, "--config", office->config, "--now", "yesterday", NULL };
  const char *version_argv[] = { MZ_MINZHENGD, "--version", NULL };
  g_autoptr (Run) bad = run (office->dir, bad_argv);
  g_autoptr (Run) version = run (office->dir, version_argv);

  assert_exit (bad, 2);
  assert_contains (bad->err, "--now “yesterday” 不是有效的日期或时间；请写 YYYY-MM-DD");
  assert_contains (bad->err, "[options.now]");
  assert_exit (version, 0);
  assert_contains (version->out, "(plugin ABI 1.1)");
}

static void
test_daemon_required_missing (void)
{
  g_autoptr (TestOffice) office = office_new (MZ_FIXTURE_DIR, "base; nosuchplugin", "nosuchplugin");
  const char *argv[] = { MZ_MINZHENGD, "--config", office->config, NULL };
  g_autoptr (Run) r = run (office->dir, argv);

  assert_exit (r, 2);
  assert_contains (r->err, "minzhengd: configuration unusable: required plugin “nosuchplugin” "
                   "could not be loaded");
  assert_contains (r->err, "[loader.not_found]");
  /* The refusal is also in the structured log, with its code. */
  assert_contains (r->err, "\"MZ_ERROR_CODE\":\"NOT_FOUND\"");
  g_assert_null (strstr (r->out, "ready"));
}

static gboolean
dir_has_core (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *entry;

  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, "core"))
      return TRUE;
  return FALSE;
}

/* A plugin that segfaults in its constructor kills only the checking
 * child; mzctl reports it, exits non-zero and leaves no core file. */
static void
test_check_segv (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mz-check-XXXXXX", NULL);
  const char *argv[] = { MZ_MZCTL, "plugin", "check", MZ_FIXTURE_DIR "/segv.so", NULL };
  const char *argv_json[] = { MZ_MZCTL, "plugin", "check", "--json", MZ_FIXTURE_DIR "/segv.so", NULL };
  g_autoptr (Run) r = run (dir, argv);
  g_autoptr (Run) j = run (dir, argv_json);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *report;
  GError *error = NULL;

  assert_exit (r, 3);
  assert_contains (r->err, "plugin crashed while loading: SIGSEGV in constructor — the library "
                   "is broken, do not deploy it");
  g_assert_false (dir_has_core (dir));

  assert_exit (j, 3);
  json_parser_load_from_data (parser, j->out, -1, &error);
  g_assert_no_error (error);
  report = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (report, "ok"));
  g_assert_true (json_object_get_boolean_member (report, "crashed"));
  g_assert_cmpstr (json_object_get_string_member (report, "stage"), ==, "open");
  mz_test_remove_tree (dir);
}

/* A library that never finishes loading is killed after --timeout. */
static void
test_check_hang (void)
{
  const char *argv[] = { MZ_MZCTL, "plugin", "check", "--timeout", "1", MZ_FIXTURE_DIR "/hang.so", NULL };
  gint64 start = g_get_monotonic_time ();
  g_autoptr (Run) r = run (NULL, argv);

  assert_exit (r, 3);
  assert_contains (r->err, "plugin hung while loading in constructor and was killed — the "
                   "library is broken, do not deploy it");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 60 * G_USEC_PER_SEC);
}

static void
test_check_init (void)
{
  const char *abort_argv[] = { MZ_MZCTL, "plugin", "check", "--init", MZ_FIXTURE_DIR "/initabort.so", NULL };
  const char *fail_argv[] = { MZ_MZCTL, "plugin", "check", "--init", MZ_FIXTURE_DIR "/initfail.so", NULL };
  const char *plain_argv[] = { MZ_MZCTL, "plugin", "check", MZ_FIXTURE_DIR "/initabort.so", NULL };
  g_autofree char *dir = g_dir_make_tmp ("mz-check-XXXXXX", NULL);
  g_autoptr (Run) aborted = run (dir, abort_argv);
  g_autoptr (Run) failed = run (dir, fail_argv);
  g_autoptr (Run) plain = run (dir, plain_argv);

  assert_exit (aborted, 3);
  assert_contains (aborted->err, "plugin crashed while loading: SIGABRT in init");
  assert_exit (failed, 1);
  assert_contains (failed->err, "refused (INIT_FAILED): plugin “initfail” refused to start");
  /* Without --init, init is not run: the library itself is sound. */
  assert_exit (plain, 0);
  assert_contains (plain->out, "OK — plugin “initabort” 1.0.0, ABI 1.1");
  g_assert_false (dir_has_core (dir));
  mz_test_remove_tree (dir);
}

static void
test_check_refused_and_ok (void)
{
  const char *abi_argv[] = { MZ_MZCTL, "plugin", "check", MZ_FIXTURE_DIR "/abinew.so", NULL };
  const char *ok_argv[] = { MZ_MZCTL, "plugin", "check", "--json", "--init", MZ_FIXTURE_DIR "/base.so", NULL };
  g_autoptr (Run) abi = run (NULL, abi_argv);
  g_autoptr (Run) ok = run (NULL, ok_argv);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *report;
  JsonObject *plugin;
  GError *error = NULL;

  assert_exit (abi, 1);
  assert_contains (abi->err, "refused (ABI_MISMATCH): plugin “abinew” was built for ABI 2.1");

  assert_exit (ok, 0);
  json_parser_load_from_data (parser, ok->out, -1, &error);
  g_assert_no_error (error);
  report = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (report, "ok"));
  plugin = json_object_get_object_member (report, "plugin");
  g_assert_cmpstr (json_object_get_string_member (plugin, "name"), ==, "base");
  g_assert_cmpstr (json_object_get_string_member (plugin, "state"), ==, "loaded");
}

/* A bare file name in the current directory is the file, not a library
 * for dlopen() to search the system paths for. */
static void
test_check_bare_name (void)
{
  const char *argv[] = { MZ_MZCTL, "plugin", "check", "--json", "base.so", NULL };
  g_autofree char *dir = g_dir_make_tmp ("mz-bare-XXXXXX", NULL);
  g_autofree char *copy = NULL;
  g_autofree char *contents = NULL;
  g_auto (GStrv) envp = NULL;
  g_autoptr (Run) r = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *report;
  GError *error = NULL;
  gsize length = 0;

  g_assert_nonnull (dir);
  copy = g_build_filename (dir, "base.so", NULL);
  g_file_get_contents (MZ_FIXTURE_DIR "/base.so", &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (copy, contents, (gssize) length, &error);
  g_assert_no_error (error);

  /* meson's LD_LIBRARY_PATH names the fixture directory, where dlopen()
   * would find a base.so by name whatever the current directory: run
   * without it. */
  envp = g_environ_unsetenv (g_get_environ (), "LD_LIBRARY_PATH");
  r = g_new0 (Run, 1);
  g_spawn_sync (dir, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &r->out, &r->err, &r->status, &error);
  g_assert_no_error (error);
  g_remove (copy);
  g_rmdir (dir);
  assert_exit (r, 0);
  json_parser_load_from_data (parser, r->out, -1, &error);
  g_assert_no_error (error);
  report = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (report, "ok"));
}

static void
test_mzctl_plugins (void)
{
  g_autoptr (TestOffice) office = office_new (MZ_FIXTURE_DIR, "base; badmagic; needsbase", NULL);
  const char *argv[] = { MZ_MZCTL, "plugins", "--json", "--config", office->config, NULL };
  const char *table_argv[] = { MZ_MZCTL, "plugins", "--no-init", "--config", office->config, NULL };
  g_autoptr (Run) r = run (office->dir, argv);
  g_autoptr (Run) table = run (office->dir, table_argv);
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonArray *plugins;
  JsonObject *bad;
  GError *error = NULL;

  assert_exit (r, 1);
  json_parser_load_from_data (parser, r->out, -1, &error);
  g_assert_no_error (error);
  plugins = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                          "plugins");
  g_assert_cmpuint (json_array_get_length (plugins), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (plugins, 0),
                                                  "state"), ==, "loaded");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (plugins, 0),
                                                  "abi"), ==, "1.1");
  bad = json_array_get_object_element (plugins, 1);
  g_assert_cmpstr (json_object_get_string_member (bad, "state"), ==, "refused");
  g_assert_cmpstr (json_object_get_string_member (bad, "error_code"), ==, "BAD_DESCRIPTOR");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (plugins, 2),
                                                  "state"), ==, "loaded");

  assert_exit (table, 1);
  assert_contains (table->out, "NAME");
  assert_contains (table->out, "refused (BAD_DESCRIPTOR)");
  assert_contains (table->out, "checked");
  assert_contains (table->out, "loader test fixture base");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fixture_log = test_fixture_log_init ();
  int status;

  g_unsetenv ("MINZHENG_PLUGIN_PATH");
  g_unsetenv ("MINZHENG_CONFIG");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/minzhengd/ready-and-sigterm", test_daemon_ready_and_sigterm);
  g_test_add_func ("/minzhengd/bad-config", test_daemon_bad_config);
  g_test_add_func ("/minzhengd/required-missing", test_daemon_required_missing);
  g_test_add_func ("/minzhengd/now-and-version", test_daemon_now);
  g_test_add_func ("/mzctl/plugin-check/segv", test_check_segv);
  g_test_add_func ("/mzctl/plugin-check/init", test_check_init);
  g_test_add_func ("/mzctl/plugin-check/hang", test_check_hang);
  g_test_add_func ("/mzctl/plugin-check/refused-and-ok", test_check_refused_and_ok);
  g_test_add_func ("/mzctl/plugin-check/bare-name", test_check_bare_name);
  g_test_add_func ("/mzctl/plugins", test_mzctl_plugins);

  status = g_test_run ();
  if (fixture_log != NULL)
    g_remove (fixture_log);
  return status;
}
