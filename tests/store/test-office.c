/* An office as its operator runs it: the real minzhengd and mzctl on a
 * fresh office in a temporary directory, with the storetest plugin.  The
 * store's directory is created on first use, [audit] hash is honoured and
 * checked, money reads in 元, a report needs its permission, and the daemon's audit log is covered by a
 * signed checkpoint both on its timer and when it stops.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store-test.h"

typedef struct
{
  char *dir;
  char *config;
} Office;

/* (Re)writes the configuration: the store at @store_path (relative to the
 * configuration) and @extra appended. */
static void
office_configure (Office     *office,
                  const char *store_path,
                  const char *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *plugins = g_test_build_filename (G_TEST_BUILT, "store", NULL);
  g_autofree char *text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n[plugins]\npath=%s\n"
                                           "enabled=storetest\n[store]\npath=%s\n%s",
                                           plugins, store_path, extra);

  g_file_set_contents (office->config, text, -1, &error);
  g_assert_no_error (error);
}

static Office *
office_new (const char *store_path,
            const char *extra)
{
  g_autoptr (GError) error = NULL;
  Office *office = g_new0 (Office, 1);

  office->dir = g_dir_make_tmp ("mz-office-XXXXXX", &error);
  g_assert_no_error (error);
  office->config = g_build_filename (office->dir, "office.conf", NULL);
  office_configure (office, store_path, extra);
  return office;
}

static void
office_free (Office *office)
{
  mz_test_remove_tree (office->dir);
  g_free (office->dir);
  g_free (office->config);
  g_free (office);
}

/* Runs mzctl on @office; returns the exit status, output in @out/@err. */
static int
mzctl (Office     *office,
       char      **out,
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

  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  g_ptr_array_add (argv, binary);
  va_start (ap, first);
  for (const char *a = first; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "MINZHENG_CONFIG", office->config, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "MINZHENG_PLUGIN_PATH");
  proc = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, out, err, &error));
  g_assert_no_error (error);
  g_test_message ("mzctl %s …: %d\n%s%s", first, g_subprocess_get_exit_status (proc), *out, *err);
  return g_subprocess_get_exit_status (proc);
}

/* One integer from the office's database, read-only (NULL reads as -1). */
static gint64
query_int (Office     *office,
           const char *db_name,
           const char *sql)
{
  g_autofree char *path = g_build_filename (office->dir, db_name, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static char *
query_text (Office     *office,
            const char *db_name,
            const char *sql)
{
  g_autofree char *path = g_build_filename (office->dir, db_name, NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* mzctl and minzhengd both create the database's directory, private. */
static void
test_directory_created (void)
{
  Office *office = office_new ("data/county/office.db", "");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *data = g_build_filename (office->dir, "data", "county", NULL);
  GStatBuf st;

  g_assert_cmpint (mzctl (office, &out, &err, "record", "create", "storetest", "case",
                          "--set", "name=张三", "--actor", "alice", NULL), ==, 0);
  g_assert_cmpint (g_stat (data, &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (query_int (office, "data/county/office.db", "SELECT count(*) FROM storetest_case"), ==, 1);
  office_free (office);
}

/* [audit] hash picks the hash of a new log, is refused when unknown, and
 * may not contradict the log already there. */
static void
test_audit_hash (void)
{
  Office *office = office_new ("office.db", "[audit]\nhash=md5\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *hash = NULL;

  g_assert_cmpint (mzctl (office, &out, &err, "record", "find", "storetest", "case", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "[audit] hash=md5"));
  g_assert_nonnull (strstr (err, "[config.audit.hash]"));

  office_configure (office, "office.db", "[audit]\nhash = sm3\n");
  g_assert_cmpint (mzctl (office, &out, &err, "record", "create", "storetest", "case",
                          "--set", "name=张三", "--actor", "alice", NULL), ==, 0);
  hash = query_text (office, "office.db", "SELECT value FROM audit_meta WHERE name = 'hash'");
  g_assert_cmpstr (hash, ==, "sm3");
  g_assert_cmpint (mzctl (office, &out, &err, "audit", "verify", NULL), ==, 0);

  office_configure (office, "office.db", "[audit]\nhash=sha256\n");
  g_assert_cmpint (mzctl (office, &out, &err, "record", "create", "storetest", "case",
                          "--set", "name=李四", "--actor", "alice", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "[config.audit.hash_mismatch]"));
  g_assert_nonnull (strstr (err, "sm3"));
  g_assert_cmpint (query_int (office, "office.db", "SELECT count(*) FROM storetest_case"), ==, 1);

  office_configure (office, "office.db", "");
  g_assert_cmpint (mzctl (office, &out, &err, "record", "create", "storetest", "case",
                          "--set", "name=李四", "--actor", "alice", NULL), ==, 0);
  g_assert_cmpint (mzctl (office, &out, &err, "audit", "verify", NULL), ==, 0);
  office_free (office);
}

/* Text output reads money in 元; JSON keeps integer fen. */
static void
test_money_in_yuan (void)
{
  Office *office = office_new ("office.db", "");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (mzctl (office, &out, &err, "record", "create", "storetest", "case", "--set", "name=张三",
                          "--set", "amount=30005", "--actor", "alice", NULL), ==, 0);
  g_assert_cmpint (mzctl (office, &out, &err, "record", "show", "storetest", "case", "1", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "：300.05 元\n"));
  g_assert_cmpint (mzctl (office, &out, &err, "record", "find", "storetest", "case", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "：300.05 元\n"));
  g_assert_cmpint (mzctl (office, &out, &err, "record", "show", "storetest", "case", "1", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"amount\":30005"));
  office_free (office);
}

/* Running a report needs "report.run"; a refusal names the role and the
 * permission and is audited. */
static void
test_report_permission (void)
{
  Office *office = office_new ("office.db", "[roles]\nintern = storetest.*\nauditor = audit.*;report.*\n");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (mzctl (office, &out, &err, "report", "--from", "2025-01-01", "--to", "2025-06-30",
                          "--actor", "xiaoli", "--role", "intern", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "“intern”"));
  g_assert_nonnull (strstr (err, "report.run"));
  g_assert_nonnull (strstr (err, "[report.permission]"));
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (query_int (office, "office.db",
                              "SELECT count(*) FROM audit_entries WHERE action = 'report.run'"
                              " AND outcome = 'refused' AND actor_user = 'xiaoli'"), ==, 1);

  g_assert_cmpint (mzctl (office, &out, &err, "report", "--from", "2025-01-01", "--to", "2025-06-30",
                          "--actor", "laowang", "--role", "auditor", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "2025-06-30"));
  g_assert_cmpint (query_int (office, "office.db",
                              "SELECT count(*) FROM audit_entries WHERE action = 'report.run'"
                              " AND outcome = 'ok' AND actor_user = 'laowang'"), ==, 1);
  office_free (office);
}

static GSubprocess *
daemon_start (Office *office)
{
  g_autoptr (GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_autoptr (GError) error = NULL;
  GSubprocess *proc;

  g_subprocess_launcher_setenv (launcher, "MINZHENG_CONFIG", office->config, TRUE);
  g_subprocess_launcher_unsetenv (launcher, "MINZHENG_PLUGIN_PATH");
  proc = g_subprocess_launcher_spawn (launcher, &error, MINZHENGD, NULL);
  g_assert_no_error (error);
  return proc;
}

/* Waits (up to 60 s) until @sql reads @expected; if it never does, the
 * daemon is killed first so that it does not outlive the test. */
static void
wait_for (Office      *office,
          GSubprocess *proc,
          const char  *sql,
          gint64      expected)
{
  for (int i = 0; i < 600; i++)
    {
      if (query_int (office, "office.db", sql) == expected)
        return;
      g_usleep (100 * 1000);
    }
  g_subprocess_force_exit (proc);
  g_error ("“%s” never read %" G_GINT64_FORMAT, sql, expected);
}

#define ENTRIES "SELECT count(*) FROM audit_entries"
#define SIGNED "SELECT max(tree_size) FROM audit_checkpoints"
#define LAPSED "SELECT count(*) FROM storetest_case WHERE state = 'rejected'"

/* Three applications older than the 30-day limit, which minzhengd's due
 * job then lapses: audit entries the daemon itself writes. */
static void
create_lapsing_cases (Office *office)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *names[] = { "name=张三", "name=李四", "name=王五" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpint (mzctl (office, &out, &err, "record", "create", "storetest", "case", "--set", names[i],
                            "--set", "seen_at=2020-01-01T08:00:00+08:00", "--actor", "alice", NULL), ==, 0);
  /* mzctl signs its own entries as it exits. */
  g_assert_cmpint (query_int (office, "office.db", SIGNED), ==, query_int (office, "office.db", ENTRIES));
}

/* SIGTERM: the daemon signs a last checkpoint over everything it wrote. */
static void
test_daemon_checkpoint_on_stop (void)
{
  Office *office = office_new ("office.db", "[audit]\ncheckpoint_every=100000\ncheckpoint_seconds=3600\n");
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  create_lapsing_cases (office);
  proc = daemon_start (office);
  wait_for (office, proc, LAPSED, 3);
  g_assert_cmpint (query_int (office, "office.db", SIGNED), <, query_int (office, "office.db", ENTRIES));

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (proc));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_cmpint (query_int (office, "office.db", SIGNED), ==, query_int (office, "office.db", ENTRIES));
  g_assert_cmpint (mzctl (office, &out, &err, "audit", "verify", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "verified"));
  office_free (office);
}

/* While it runs, the daemon's timer signs entries no later write would;
 * checkpoint_seconds is long enough that the due job's own commit, right
 * after start, is too early to sign them by age. */
static void
test_daemon_checkpoint_on_timer (void)
{
  Office *office = office_new ("office.db", "[audit]\ncheckpoint_every=100000\ncheckpoint_seconds=4\n");
  g_autoptr (GSubprocess) proc = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 entries;

  create_lapsing_cases (office);
  proc = daemon_start (office);
  wait_for (office, proc, LAPSED, 3);
  entries = query_int (office, "office.db", ENTRIES);
  wait_for (office, proc, SIGNED, entries);

  g_subprocess_send_signal (proc, SIGTERM);
  g_assert_true (g_subprocess_wait (proc, NULL, &error));
  g_assert_cmpint (g_subprocess_get_exit_status (proc), ==, 0);
  g_assert_cmpint (mzctl (office, &out, &err, "audit", "verify", NULL), ==, 0);
  office_free (office);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/office/directory-created", test_directory_created);
  g_test_add_func ("/store/office/audit-hash", test_audit_hash);
  g_test_add_func ("/store/office/money-in-yuan", test_money_in_yuan);
  g_test_add_func ("/store/office/report-permission", test_report_permission);
  g_test_add_func ("/store/office/daemon-checkpoint-on-stop", test_daemon_checkpoint_on_stop);
  g_test_add_func ("/store/office/daemon-checkpoint-on-timer", test_daemon_checkpoint_on_timer);
  return g_test_run ();
}
