/* mzctl report, import, demo and due as a user runs them: real child
 * processes on a real configuration, store and plugin; exit statuses,
 * what they print, and what the store holds afterwards.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "host-fixture.h"
#include "mz-test-util.h"

typedef struct
{
  int status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs @argv (mzctl and its arguments). */
static void
spawn (Run       *run,
       GPtrArray *argv)
{
  g_autoptr (GSubprocess) child = NULL;
  g_autoptr (GError) error = NULL;

  run_clear (run);
  g_ptr_array_add (argv, NULL);
  child = g_subprocess_newv ((const char *const *) argv->pdata,
                             G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (child, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (child));
  run->status = g_subprocess_get_exit_status (child);
}

/* mzctl and the arguments in @ap up to NULL. */
static GPtrArray *
mzctl_args (va_list ap)
{
  GPtrArray *argv = g_ptr_array_new ();
  const char *arg;

  g_ptr_array_add (argv, (gpointer) MZCTL);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  return argv;
}

/* Runs mzctl with @args (NULL-terminated) and --config of @f. */
static void
mzctl (HostFixture *f,
       Run         *run,
       ...)
{
  g_autoptr (GPtrArray) argv = NULL;
  va_list ap;

  va_start (ap, run);
  argv = mzctl_args (ap);
  va_end (ap);
  g_ptr_array_add (argv, (gpointer) "--config");
  g_ptr_array_add (argv, f->config_path);
  spawn (run, argv);
}

/* Runs mzctl with exactly @args (NULL-terminated): the test places the
 * global options itself. */
static void
mzctl_argv (Run *run,
            ...)
{
  g_autoptr (GPtrArray) argv = NULL;
  va_list ap;

  va_start (ap, run);
  argv = mzctl_args (ap);
  va_end (ap);
  spawn (run, argv);
}

static char *
write_file (HostFixture *f,
            const char  *name,
            const char  *text)
{
  g_autoptr (GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static char *
csv_rows (guint       first,
          guint       n,
          const char *bad_line3)
{
  GString *csv = g_string_new ("name,id_number,category,applied_on,amount,certificate_no\n");

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *id = host_fixture_id_number (i);

      if (bad_line3 != NULL && i == first + 1)
        g_string_append_printf (csv, "%s\n", bad_line3);
      else
        g_string_append_printf (csv, "人%u,%s,dibao,2021-02-%02u,150000,CLI-%u\n", i, id, 1 + i % 28, i);
    }
  return g_string_free (csv, FALSE);
}

static void
test_cli (void)
{
  HostFixture f = { 0 };
  Run run = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *demo = NULL, *plugin_dir = NULL, *good = NULL, *bad = NULL;
  g_autofree char *bad_csv = NULL, *good_csv = NULL, *demo_csv = NULL, *demo_path = NULL;
  g_autofree char *extra = NULL, *note = NULL;
  JsonObject *root, *figure;

  /* A demo directory: testreg/10-application.csv, and a note that is not data. */
  demo = g_dir_make_tmp ("mz-demo-XXXXXX", &error);
  g_assert_no_error (error);
  plugin_dir = g_build_filename (demo, "testreg", NULL);
  g_assert_cmpint (g_mkdir (plugin_dir, 0700), ==, 0);
  demo_csv = csv_rows (1, 3, NULL);
  demo_path = g_build_filename (plugin_dir, "10-application.csv", NULL);
  g_file_set_contents (demo_path, demo_csv, -1, &error);
  g_assert_no_error (error);
  note = g_build_filename (plugin_dir, "README.txt", NULL);
  g_file_set_contents (note, "生成方法见 generate.py\n", -1, &error);
  g_assert_no_error (error);
  extra = g_strdup_printf ("[demo]\npath=%s\n", demo);
  host_fixture_open (&f, extra);
  host_fixture_stop (&f);

  mzctl (&f, &run, "demo", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "testreg/10-application.csv：读入 3 行"));
  g_assert_null (strstr (run.err, "[import.demo_forced]"));
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 3);

  /* Not twice into a store that holds records, unless forced. */
  mzctl (&f, &run, "demo", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "[import.store_not_empty]"));
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 3);

  /* A bad row in the middle: exit 1, the line and field named, nothing written. */
  bad_csv = csv_rows (100, 5, "坏,110105194912310021,dibao,2021-02-01,1,CLI-X");
  bad = write_file (&f, "bad.csv", bad_csv);
  mzctl (&f, &run, "import", "testreg", "application", bad, "--actor", "wang", "--role", "supervisor", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "第 3 行：字段 id_number（申请人身份证号）："));
  g_assert_nonnull (strstr (run.err, "[field.id_number.checksum]"));
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 3);

  /* The same with --json: the problems as data. */
  mzctl (&f, &run, "import", "testreg", "application", bad, "--json", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "imported"), ==, 0);
  figure = json_array_get_object_element (json_object_get_array_member (root, "problems"), 0);
  g_assert_cmpint (json_object_get_int_member (figure, "line"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (figure, "field"), ==, "id_number");
  g_assert_cmpstr (json_object_get_string_member (figure, "code"), ==, "field.id_number.checksum");

  good_csv = csv_rows (200, 4, NULL);
  good = write_file (&f, "good.csv", good_csv);
  mzctl (&f, &run, "import", "testreg", "application", good, "--actor", "wang", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "已导入 4 条记录"));
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM audit_entries WHERE actor_user = 'wang'"
                                           " AND outcome = 'ok'"), ==, 4);

  /* The report as JSON: 7 applications, 7 × 1500 元 = 1.05 万元. */
  mzctl (&f, &run, "report", "--from", "2021-01-01", "--to", "2021-06-30", "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "office"), "id"), ==,
                   "450222");
  figure = json_array_get_object_element (json_object_get_array_member (
             json_array_get_object_element (json_object_get_array_member (root, "sections"), 0), "figures"), 0);
  g_assert_cmpint (json_object_get_int_member (figure, "value"), ==, 7);
  g_assert_nonnull (strstr (run.out, "\"value\": 1.1, \"unit\": \"万元\""));

  mzctl (&f, &run, "report", "--from", "2021-01-01", "--to", "2021-06-30", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "一、救助申请（测试）\n  救助申请 7 件\n  申请金额 1.1 万元\n"));
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM audit_entries WHERE action = 'report.run'"), ==, 2);

  /* Bad periods. */
  mzctl (&f, &run, "report", "--from", "2021-02-29", "--to", "2021-06-30", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "[report.period_from]"));
  mzctl (&f, &run, "report", "--from", "2021-06-30", "--to", "2021-01-01", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "[report.period_order]"));
  mzctl (&f, &run, "report", "--from", "2021-01-01", NULL);
  g_assert_cmpint (run.status, ==, 2);

  /* Due work on 2021-04-01: nothing is pending (all were imported as done),
   * the annual review is a year away. */
  mzctl (&f, &run, "due", "--json", "--now", "2021-04-01", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "today"), ==, "2021-04-01");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "items")), ==, 0);
  mzctl (&f, &run, "due", "--now", "2022-02-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "办结满一年，需复核"));

  run_clear (&run);
  host_fixture_close (&f);
  g_unlink (demo_path);
  g_unlink (note);
  g_rmdir (plugin_dir);
  g_rmdir (demo);
}

/* One section denied: the others print, the failure is named, exit 1. */
static void
test_cli_failing_section (void)
{
  HostFixture f = { 0 };
  Run run = { 0 };

  host_fixture_open (&f, "[plugin.testreg]\nsnoop=true\n");
  host_fixture_stop (&f);
  mzctl (&f, &run, "report", "--from", "2021-01-01", "--to", "2021-06-30", "--format", "csv", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==,
                   "plugin,key,label,value,unit\r\n"
                   "testreg,testreg.applications,救助申请,0,件\r\n"
                   "testreg,testreg.amount,申请金额,0.0,万元\r\n");
  g_assert_nonnull (strstr (run.err, "插件 testreg"));
  g_assert_nonnull (strstr (run.err, "audit_entries"));
  g_assert_nonnull (strstr (run.err, "[report.incomplete]"));
  run_clear (&run);
  host_fixture_close (&f);
}

/* A demo directory with testreg/application.csv of @n rows. */
static char *
demo_dir_new (guint n)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = csv_rows (1, n, NULL);
  g_autofree char *plugin_dir = NULL, *path = NULL;
  char *demo = g_dir_make_tmp ("mz-demo-XXXXXX", &error);

  g_assert_no_error (error);
  plugin_dir = g_build_filename (demo, "testreg", NULL);
  g_assert_cmpint (g_mkdir (plugin_dir, 0700), ==, 0);
  path = g_build_filename (plugin_dir, "application.csv", NULL);
  g_file_set_contents (path, csv, -1, &error);
  g_assert_no_error (error);
  return demo;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
has_han (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      return TRUE;
  return FALSE;
}

/* The names in @dir, sorted, joined by spaces. */
static char *
dir_names (const char *dir)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) d = g_dir_open (dir, 0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* "mzctl --config FILE demo", "mzctl -c FILE report …", "mzctl --now DATE
 * --json due" mean what they mean after the command; anything else before
 * the command is wrong usage. */
static void
test_cli_global_options_first (void)
{
  HostFixture f = { 0 };
  Run run = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree char *demo = demo_dir_new (3);
  g_autofree char *extra = g_strdup_printf ("[demo]\npath=%s\n", demo);
  g_autofree char *config_option = NULL;
  JsonObject *root;

  host_fixture_open (&f, extra);
  host_fixture_stop (&f);
  config_option = g_strconcat ("--config=", f.config_path, NULL);

  mzctl_argv (&run, "--config", f.config_path, "demo", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 3);

  mzctl_argv (&run, "-c", f.config_path, "report", "--from", "2021-01-01", "--to", "2021-06-30",
              "--format", "csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "testreg,testreg.applications,救助申请,3,件\r\n"));

  mzctl_argv (&run, "--json", config_option, "report", "--from", "2021-01-01", "--to", "2021-06-30", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "from"), ==, "2021-01-01");

  mzctl_argv (&run, "--now", "2021-04-01", "--json", "-c", f.config_path, "due", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "today"), ==, "2021-04-01");

  /* Before and after together: the command's own options still count,
   * and the one after the command wins (under ASan: neither value leaks). */
  mzctl_argv (&run, "-c", f.config_path, "due", "--now", "2022-02-10", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "办结满一年，需复核"));
  mzctl_argv (&run, "--now", "2021-04-01", "-c", f.config_path, "due", "--now", "2022-02-10",
              "-c", f.config_path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "办结满一年，需复核"));

  /* A command's option, an unknown option or a missing value before the
   * command, or no command at all: wrong usage, nothing run. */
  mzctl_argv (&run, "--from", "2021-01-01", "-c", f.config_path, "report", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "“--from” [mzctl.global_option]"));
  mzctl_argv (&run, "-c", f.config_path, "--force", "demo", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "[mzctl.global_option]"));
  mzctl_argv (&run, "-c", f.config_path, "--now", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "[mzctl.global_option]"));
  /* A --now that is no date, before or after the command: wrong usage too. */
  mzctl_argv (&run, "--now", "2021-02-30", "-c", f.config_path, "due", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "[options.now]"));
  mzctl_argv (&run, "-c", f.config_path, "due", "--now", "2021-02-30", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "[options.now]"));
  mzctl_argv (&run, "--json", "-c", f.config_path, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "Usage: mzctl"));
  mzctl_argv (&run, "-c", f.config_path, "nosuch", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "“nosuch” [mzctl.command_unknown]"));
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 3);

  run_clear (&run);
  host_fixture_close (&f);
  mz_test_remove_tree (demo);
}

/* A [demo] path that does not exist is found before the office opens: no
 * database, no office key, no header on standard output. */
static void
test_cli_demo_missing (void)
{
  HostFixture f = { 0 };
  Run run = { 0 };
  g_autofree char *names = NULL;
  g_autofree char *pub = NULL;
  const char *const office_files[] = { "office.db", "office.db-wal", "office.db-shm", "office.key",
                                       "office.key.pub" };

  host_fixture_open (&f, "[demo]\npath=no-such-demo\n");
  host_fixture_stop (&f);
  /* The fixture opened the office; a new office has only its configuration. */
  for (guint i = 0; i < G_N_ELEMENTS (office_files); i++)
    {
      g_autofree char *path = g_build_filename (f.dir, office_files[i], NULL);

      g_unlink (path);
    }
  names = dir_names (f.dir);
  g_assert_cmpstr (names, ==, "minzheng.conf");
  g_clear_pointer (&names, g_free);

  mzctl (&f, &run, "demo", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "no-such-demo"));
  g_assert_nonnull (strstr (run.err, "[import.demo_missing]"));
  names = dir_names (f.dir);
  g_assert_cmpstr (names, ==, "minzheng.conf");

  run_clear (&run);
  host_fixture_close (&f);
}

/* --force imports the demo data beside the records already there, and
 * says so. */
static void
test_cli_demo_force (void)
{
  HostFixture f = { 0 };
  Run run = { 0 };
  g_autofree char *demo = demo_dir_new (3);
  g_autofree char *extra = g_strdup_printf ("[demo]\npath=%s\n", demo);

  host_fixture_open (&f, extra);
  host_fixture_submit (&f, "甲", "2021-03-01");
  host_fixture_submit (&f, "乙", "2021-03-02");
  host_fixture_stop (&f);

  mzctl (&f, &run, "demo", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.err, "已有 2 条记录"));
  g_assert_nonnull (strstr (run.err, "[import.store_not_empty]"));
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 2);

  mzctl (&f, &run, "demo", "--force", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "共 3 条演示记录"));
  g_assert_nonnull (strstr (run.err, "已有 2 条记录"));
  g_assert_nonnull (strstr (run.err, "不清除、不替换"));
  g_assert_nonnull (strstr (run.err, "[import.demo_forced]"));
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 5);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"
                                           " WHERE state = 'pending'"), ==, 2);

  run_clear (&run);
  host_fixture_close (&f);
  mz_test_remove_tree (demo);
}

/* What mzctl says to a user who typed it wrong is Chinese, with the code. */
static void
test_cli_messages (void)
{
  HostFixture f = { 0 };
  Run run = { 0 };
  const char *const *cases[] = {
    (const char *const[]) { "record", "show", "testreg", "application", "abc", NULL },
    (const char *const[]) { "record", "act", "testreg", "application", "0", "approve", "--version", "1", NULL },
    (const char *const[]) { "record", "act", "testreg", "application", "1", "approve", NULL },
    (const char *const[]) { "record", "create", "testreg", "application", "--set", "name", NULL },
    (const char *const[]) { "record", "create", "testreg", "application", "--role", "system", NULL },
    (const char *const[]) { "record", "show", "testreg", NULL },
    (const char *const[]) { "record", "shw", "testreg", "application", "1", NULL },
    (const char *const[]) { "record", "find", "testreg", "application", "--limit", "x", NULL },
    (const char *const[]) { "report", "extra", NULL },
    (const char *const[]) { "report", "--format", "xml", NULL },
    (const char *const[]) { "report", "--from", "2021-01-01", NULL },
    (const char *const[]) { "import", "testreg", NULL },
    (const char *const[]) { "import", "testreg", "application", "x.csv", "--format", "xls", NULL },
    (const char *const[]) { "demo", "extra", NULL },
    (const char *const[]) { "due", "--days", "-1", NULL },
    (const char *const[]) { "due", "--bogus", NULL },
  };
  const char *const codes[] = {
    "[mzctl.record_id]", "[mzctl.record_id]", "[mzctl.record_version]", "[mzctl.usage]",
    "[mzctl.role_reserved]", "[mzctl.usage]", "[mzctl.usage]", "[mzctl.usage]", "[mzctl.usage]",
    "[mzctl.usage]", "[mzctl.usage]", "[mzctl.usage]", "[mzctl.usage]", "[mzctl.usage]",
    "[mzctl.usage]", "[mzctl.usage]",
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (cases) == G_N_ELEMENTS (codes));
  host_fixture_open (&f, NULL);
  host_fixture_stop (&f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      g_autofree char *first_line = NULL;

      g_ptr_array_add (argv, (gpointer) MZCTL);
      for (const char *const *a = cases[i]; *a != NULL; a++)
        g_ptr_array_add (argv, (gpointer) *a);
      g_ptr_array_add (argv, (gpointer) "--config");
      g_ptr_array_add (argv, f.config_path);
      spawn (&run, argv);
      first_line = g_strndup (run.err, strcspn (run.err, "\n"));
      g_test_message ("%s", first_line);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_true (g_str_has_suffix (first_line, codes[i]));
      /* The reason before the code is Chinese. */
      g_assert_true (has_han (first_line));
    }
  run_clear (&run);
  host_fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/report/cli/report-import-demo-due", test_cli);
  g_test_add_func ("/report/cli/failing-section", test_cli_failing_section);
  g_test_add_func ("/report/cli/global-options-first", test_cli_global_options_first);
  g_test_add_func ("/report/cli/demo-missing", test_cli_demo_missing);
  g_test_add_func ("/report/cli/demo-force", test_cli_demo_force);
  g_test_add_func ("/report/cli/messages", test_cli_messages);
  return g_test_run ();
}
