/* mzctl record and mzctl db as a clerk's supervisor would use them: the
 * real binary, a real office in a temporary directory, the storetest
 * plugin loaded by the loader from its build directory.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
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
  /* An existing target is a refusal (exit 1), not a broken office. */
  g_assert_cmpint (mzctl (&out, &err, "db", "backup", backup, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[store.backup_exists]"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (mzctl (&out, &err, "db", "check", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "integrity ok; verified"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The backup checked as a copy, without the office: the same checks. */
  g_assert_cmpint (mzctl (&out, &err, "db", "check", "--database", backup, NULL), ==, 0);
  g_assert_nonnull (strstr (out, ": integrity ok; verified"));
  g_assert_nonnull (strstr (out, "records match the audit log"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *missing = g_build_filename (dir, "no-such-copy.db", NULL);

    g_assert_cmpint (mzctl (&out, &err, "db", "check", "--database", missing, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "[mzctl.database.not_found]"));
  }
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* A record changed in the copy behind the log's back is found there too. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (backup, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "UPDATE storetest_case SET note = 'changed' WHERE id = 1", NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_cmpint (mzctl (&out, &err, "db", "check", "--database", backup, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[audit.records.altered]"));
}

/* The audit entries of @action in the office database, "outcome|reason"
 * each, in order. */
static GPtrArray *
audit_entries (const char *action)
{
  g_autofree char *db_path = g_build_filename (dir, "office.db", NULL);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT outcome, reason, actor_role FROM audit_entries"
                                           " WHERE action = ? ORDER BY seq", -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (rows, g_strdup_printf ("%s|%s|%s", sqlite3_column_text (stmt, 0),
                                            sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2)));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return rows;
}

/* Every hand-out of data is in the audit log before it happens: a backup
 * (made owner-only: it holds every personal record), an export of the
 * office's own audit log; a role without the permission is refused, and
 * that is recorded too. */
static void
test_hand_outs_audited (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *backup = g_build_filename (dir, "handout.db", NULL);
  g_autofree char *denied = g_build_filename (dir, "denied.db", NULL);
  g_autofree char *export = g_build_filename (dir, "export.jsonl", NULL);
  g_autoptr (GPtrArray) backups = NULL;
  g_autoptr (GPtrArray) exports = NULL;
  g_autofree char *text = NULL;
  GStatBuf st;

  g_assert_cmpint (mzctl (&out, &err, "db", "backup", denied, "--role", "clerk", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[host.permission]"));
  g_assert_false (g_file_test (denied, G_FILE_TEST_EXISTS));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (mzctl (&out, &err, "db", "backup", backup, "--actor", "wang", NULL), ==, 0);
  g_assert_cmpint (g_stat (backup, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  backups = audit_entries ("db.backup");
  g_assert_cmpuint (backups->len, >=, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (backups, backups->len - 2), "refused|"));
  g_assert_nonnull (strstr (g_ptr_array_index (backups, backups->len - 2), "denied.db"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (backups, backups->len - 1), "ok|"));
  g_assert_nonnull (strstr (g_ptr_array_index (backups, backups->len - 1), "handout.db|admin"));

  /* A backup that fails after it was recorded is recorded as failed. */
  {
    g_autofree char *nowhere = g_build_filename (dir, "no-such-dir", "x.db", NULL);

    g_assert_cmpint (mzctl (&out, &err, "db", "backup", nowhere, NULL), !=, 0);
    g_assert_nonnull (strstr (err, "[store.backup_open]"));
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&err, g_free);
    g_clear_pointer (&backups, g_ptr_array_unref);
    backups = audit_entries ("db.backup");
    g_assert_true (g_str_has_prefix (g_ptr_array_index (backups, backups->len - 1), "error|"));
    g_assert_true (g_str_has_prefix (g_ptr_array_index (backups, backups->len - 2), "ok|"));
  }

  g_assert_cmpint (mzctl (&out, &err, "audit", "export", "--from", "2000-01-01", "--to", "2099-12-31",
                          "--role", "clerk", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[host.permission]"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (mzctl (&out, &err, "audit", "export", "--from", "2000-01-01", "--to", "2099-12-31",
                          "--output", export, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  exports = audit_entries ("audit.export");
  g_assert_cmpuint (exports->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (exports, 0), "refused|"));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (exports, 1), "ok|"));
  g_assert_nonnull (strstr (g_ptr_array_index (exports, 1), "export.jsonl|auditor"));
  /* The export holds its own entry: it was recorded before it was made. */
  g_assert_true (g_file_get_contents (export, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"audit.export\""));

  /* Without --to: a usage mistake that names what is missing. */
  g_assert_cmpint (mzctl (&out, &err, "audit", "export", "--from", "2000-01-01", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "[mzctl.audit.period]"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The log stays verifiable with all of this in it. */
  g_assert_cmpint (mzctl (&out, &err, "audit", "verify", NULL), ==, 0);
}

static void
office_sql (const char *sql)
{
  g_autofree char *db_path = g_build_filename (dir, "office.db", NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* Records changed with the sqlite3 tool behind the host's back: the
 * audit log itself still verifies, but db check replays each record's
 * change sets and names every record and field that differs, one
 * inserted without an entry and one deleted.  Last: it spoils the office. */
static void
test_records_tampered (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (mzctl (&out, &err, "db", "check", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "records match the audit log"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A plain field, a personal one (its entries hold only a keyed hash). */
  office_sql ("UPDATE storetest_case SET note = '无' WHERE id = 1");
  g_assert_cmpint (mzctl (&out, &err, "db", "check", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "第 1 条记录的字段 note"));
  g_assert_nonnull (strstr (err, "[audit.records.altered]"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  office_sql ("UPDATE storetest_case SET note = '材料齐全', name = '王五' WHERE id = 1");
  g_assert_cmpint (mzctl (&out, &err, "db", "check", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "字段 name"));
  g_assert_null (strstr (err, "字段 note"));
  g_assert_null (strstr (err, "王五"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  office_sql ("UPDATE storetest_case SET name = '张三' WHERE id = 1");
  g_assert_cmpint (mzctl (&out, &err, "db", "check", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* State and version moved back, as if an approval were undone. */
  office_sql ("UPDATE storetest_case SET state = 'reviewed', version = 2 WHERE id = 1");
  g_assert_cmpint (mzctl (&out, &err, "db", "check", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "第 1 条记录的状态"));
  g_assert_nonnull (strstr (err, "版本为 2"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A record that never went through an action, one that vanished. */
  office_sql ("UPDATE storetest_case SET state = 'approved', version = 3 WHERE id = 1;"
              "INSERT INTO storetest_case (id, state, version, created_at, updated_at, name)"
              " VALUES (99, 'approved', 1, 0, 0, '赵六');");
  g_assert_cmpint (mzctl (&out, &err, "db", "check", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "第 99 条记录没有任何审计记载"));
  g_assert_null (strstr (err, "第 1 条"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  office_sql ("DELETE FROM storetest_case WHERE id IN (1, 99)");
  g_assert_cmpint (mzctl (&out, &err, "db", "check", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "第 1 条记录在审计日志中有办理记载，但已不在数据库中"));
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
  g_test_add_func ("/store/mzctl/hand-outs-audited", test_hand_outs_audited);
  g_test_add_func ("/store/mzctl/records-tampered", test_records_tampered);
  status = g_test_run ();
  mz_test_remove_tree (dir);
  g_free (config_path);
  g_free (dir);
  return status;
}
