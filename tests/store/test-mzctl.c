/* mzctl record and mzctl db as a clerk's supervisor would use them: the
 * real binary, a real office in a temporary directory, the storetest
 * plugin loaded by the loader from its build directory.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "store-test.h"

static char *dir;
static char *config_path;

/* Runs mzctl with @args (NULL-terminated); returns the exit status and
 * the standard output. */
static int
mzctl (char      **out,
       char      **err,
       const char *first,
       ...)
{
  g_autofree char *binary = g_test_build_filename (G_TEST_BUILT, "..", "host", "mzctl", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, binary);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "MINZHENG_CONFIG", config_path, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "MINZHENG_PLUGIN_PATH");
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  g_test_message ("mzctl %s …: %d\n%s%s", first, g_subprocess_get_exit_status (proc), *out, *err);
  return g_subprocess_get_exit_status (proc);
}

static void
test_record_commands (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *backup = g_build_filename (dir, "backup.db", NULL);

  g_assert_cmpint (mzctl (&out, &err, "record", "create", "storetest", "case", "--set", "name=张三",
                          "--set", "person_id=440524188001010014", "--actor", "alice", "--json", NULL), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_nonnull (node);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "id"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "state"), ==, "applied");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (mzctl (&out, &err, "record", "act", "storetest", "case", "1", "review", "--version", "1",
                          "--set", "note=材料齐全", "--actor", "alice", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "已审核"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Refusals: exit 1, the reason on stderr, the code in --json. */
  g_assert_cmpint (mzctl (&out, &err, "record", "act", "storetest", "case", "1", "approve", "--version", "2",
                          "--actor", "alice", "--role", "supervisor", "--json", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[record.separation]"));
  g_assert_nonnull (strstr (out, "\"code\":\"record.separation\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (mzctl (&out, &err, "record", "act", "storetest", "case", "1", "approve", "--version", "1",
                          "--actor", "bob", "--role", "supervisor", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[record.stale]"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (mzctl (&out, &err, "record", "create", "storetest", "case", "--set", "name=李四",
                          "--set", "amount=-5", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[field.money.negative]"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (mzctl (&out, &err, "record", "act", "storetest", "case", "1", "approve", "--version", "2",
                          "--actor", "bob", "--role", "supervisor", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Masked for an auditor, shown for a supervisor. */
  g_assert_cmpint (mzctl (&out, &err, "record", "show", "storetest", "case", "1", "--role", "auditor", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "4405**********0014"));
  g_assert_null (strstr (out, "440524188001010014"));
  g_assert_nonnull (strstr (out, "C-2025-000001"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (mzctl (&out, &err, "record", "show", "storetest", "case", "1", "--role", "supervisor",
                          "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "440524188001010014"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (mzctl (&out, &err, "record", "find", "storetest", "case", "--state", "approved",
                          "--where", "person_id=440524188001010014", "--json", NULL), ==, 0);
  node = json_from_string (out, NULL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Usage mistakes: exit 2. */
  g_assert_cmpint (mzctl (&out, &err, "record", "act", "storetest", "case", "1", "approve", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (mzctl (&out, &err, "record", "act", "storetest", "case", "1", "lapse", "--version", "3",
                          "--role", "system", NULL), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (mzctl (&out, &err, "db", "backup", backup, NULL), ==, 0);
  g_assert_true (g_file_test (backup, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (mzctl (&out, &err, "db", "backup", backup, NULL), ==, 3);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (mzctl (&out, &err, "db", "check", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "integrity ok; verified"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *plugins = NULL;
  g_autofree char *text = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  plugins = g_test_build_filename (G_TEST_BUILT, "store", NULL);
  dir = g_dir_make_tmp ("mz-mzctl-XXXXXX", &error);
  g_assert_no_error (error);
  config_path = g_build_filename (dir, "office.conf", NULL);
  text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n[plugins]\npath=%s\nenabled=storetest\n"
                          "[store]\npath=office.db\n", plugins);
  g_file_set_contents (config_path, text, -1, &error);
  g_assert_no_error (error);

  g_test_add_func ("/store/mzctl/record-and-db", test_record_commands);
  status = g_test_run ();
  mz_test_remove_tree (dir);
  g_free (config_path);
  g_free (dir);
  return status;
}
