/* Faults the office must survive: a process killed with SIGKILL at random
 * moments (at least 50 times), and a full disk.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "audit.h"
#include "store-audit-read.h"
#include "store-test.h"

#define N_KILLS 50

static void
check_sql (sqlite3    *db,
           const char *sql,
           gint64      expected)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  if (sqlite3_column_int64 (stmt, 0) != expected)
    g_error ("%s: %" G_GINT64_FORMAT " (expected %" G_GINT64_FORMAT ")", sql,
             (gint64) sqlite3_column_int64 (stmt, 0), expected);
  sqlite3_finalize (stmt);
}

static gint64
scalar (sqlite3      *db,
        const char   *sql,
        gint64        param)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, param);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* What a killed child acknowledged must all be there, whole. */
static void
verify_after_kill (const char *db_path,
                   const char *acknowledged)
{
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = g_strsplit (acknowledged, "\n", -1);
  guint n_lines = g_strv_length (lines);
  MzAuditVerifyResult result = { 0 };
  MzAuditRecordsResult records = { 0 };
  g_autoptr (MzStoreReader) reader = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 expect = 1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* The last piece has no newline: not acknowledged, so not checked. */
  for (guint i = 0; i + 1 < n_lines; i++)
    {
      gint64 id = g_ascii_strtoll (lines[i] + 2, NULL, 10);

      g_assert_cmpint (id, >, 0);
      if (lines[i][0] == 'A')
        g_assert_cmpint (scalar (db, "SELECT count(*) FROM storetest_case WHERE id = ?", id), ==, 1);
      else if (lines[i][0] == 'R')
        g_assert_cmpint (scalar (db, "SELECT version FROM storetest_case WHERE id = ?", id), >=, 2);
      else if (lines[i][0] == 'C')
        {
          const char *cert = strchr (lines[i] + 2, ' ');
          g_autofree char *stored = NULL;

          g_assert_nonnull (cert);
          g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT cert_no FROM storetest_case WHERE id = ?"
                                                   " AND state = 'approved'", -1, &stmt, NULL), ==, SQLITE_OK);
          sqlite3_bind_int64 (stmt, 1, id);
          g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
          stored = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          sqlite3_finalize (stmt);
          g_assert_cmpstr (stored, ==, cert + 1);
        }
      else
        g_error ("unexpected line from the child: %s", lines[i]);
    }

  /* None half-written: state, version, history and number agree. */
  check_sql (db, "SELECT count(*) FROM storetest_case c WHERE c.version != "
                 "(SELECT count(*) FROM mz_record_action a WHERE a.plugin = 'storetest'"
                 " AND a.kind = 'case' AND a.record_id = c.id)", 0);
  check_sql (db, "SELECT count(*) FROM storetest_case WHERE (state = 'approved') != (cert_no IS NOT NULL)", 0);
  check_sql (db, "SELECT count(*) FROM storetest_case WHERE state NOT IN ('applied', 'reviewed', 'approved')", 0);

  /* Certificate numbers 1..N, each once, N the counter's value. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT cert_no FROM storetest_case WHERE cert_no IS NOT NULL"
                                           " ORDER BY cert_no", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *want = g_strdup_printf ("C-2025-%06" G_GINT64_FORMAT, expect++);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, want);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (MAX (scalar (db, "SELECT value FROM mz_sequence WHERE counter = 'C-2025'", 0), 0), ==, expect - 1);

  check_sql (db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'", 0);
  sqlite3_close (db);
  reader = mz_store_audit_reader_open (db_path, &error);
  g_assert_no_error (error);
  if (!mz_audit_verify (reader, NULL, &result, &error))
    g_error ("audit verify after kill: %s", error->message);
  /* And every record is what its entries say: no change without its entry. */
  if (!mz_audit_check_records (reader, &records, &error))
    g_error ("records against the audit log after kill: %s", error->message);
}

static void
test_kill_9 (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autofree char *child = g_test_build_filename (G_TEST_BUILT, "store", "store-crash-child", NULL);
  g_autofree char *so = g_test_build_filename (G_TEST_BUILT, "store", "storetest.so", NULL);
  g_autoptr (GString) all = g_string_new (NULL);
  GRand *rand = g_rand_new_with_seed (g_test_rand_int ());
  guint approvals = 0;

  store_fixture_close (fx);
  for (guint round = 0; round < N_KILLS; round++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GSubprocess) proc = NULL;
      g_autoptr (GBytes) out = NULL;
      g_autofree char *text = NULL;
      guint ms = (guint) g_rand_int_range (rand, 20, 200);

      proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, child, fx->config_path, so, NULL);
      g_assert_no_error (error);
      g_usleep (ms * 1000);
      g_subprocess_send_signal (proc, SIGKILL);
      g_assert_true (g_subprocess_communicate (proc, NULL, NULL, &out, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (proc));
      g_assert_cmpint (g_subprocess_get_term_sig (proc), ==, SIGKILL);

      /* A child killed before its first acknowledgement printed nothing. */
      text = g_bytes_get_size (out) > 0 ? g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out))
                                        : g_strdup ("");
      for (const char *p = text; (p = strstr (p, "C ")) != NULL; p++)
        approvals++;
      g_string_append (all, text);
      verify_after_kill (fx->db_path, text);
    }
  g_test_message ("%u kills, %u acknowledged approvals", N_KILLS, approvals);
  g_assert_cmpuint (approvals, >, 0);
  g_rand_free (rand);
  store_fixture_free (fx);
}

/* RLIMIT_FSIZE (with SIGXFSZ ignored) makes the disk "full" for this
 * process: the action fails with a clear error, nothing of it is
 * committed, the audit log's memory follows the rollback, and once the
 * limit is lifted the same services carry on. */
static void
test_full_disk_subprocess (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *wal = g_strconcat (fx->db_path, "-wal", NULL);
  struct rlimit saved, limit;
  GStatBuf st;
  goffset largest = 0;
  MzActResult r;
  MzAuditVerifyResult verified = { 0 };
  MzStoreReader *reader;

  signal (SIGXFSZ, SIG_IGN);
  for (int i = 0; i < 3; i++)
    g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, &r, &error, "name", "张三", NULL));
  if (g_stat (fx->db_path, &st) == 0)
    largest = st.st_size;
  if (g_stat (wal, &st) == 0 && st.st_size > largest)
    largest = st.st_size;

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = (rlim_t) largest;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, &r, &error, "name", "李四", NULL));
  g_assert_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "[store.full]"));
  g_clear_error (&error);
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM storetest_case"), ==, 3);
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM mz_record_action"), ==, 3);

  /* Still full: still refused, the host still answers. */
  g_assert_false (store_test_act (fx, "alice", "clerk", "review", 1, 1, NULL, &r, &error, NULL));
  g_assert_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_FULL);
  g_clear_error (&error);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, &r, &error, "name", "李四", NULL));
  g_assert_no_error (error);
  g_assert_true (store_test_act (fx, "alice", "clerk", "review", 1, 1, NULL, &r, &error, NULL));
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM storetest_case"), ==, 4);

  reader = mz_store_audit_reader_open (fx->db_path, &error);
  g_assert_no_error (error);
  g_assert_true (mz_audit_verify (reader, NULL, &verified, &error));
  g_assert_no_error (error);
  g_assert_cmpint (verified.entries, ==, 5);
  mz_store_reader_close (reader);
  store_fixture_free (fx);
}

static void
test_full_disk (void)
{
  g_test_trap_subprocess ("/store/faults/full-disk/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* A rolled-back batch is logged as a warning for operators; expected here. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/store/faults/kill-9", test_kill_9);
  g_test_add_func ("/store/faults/full-disk", test_full_disk);
  g_test_add_func ("/store/faults/full-disk/subprocess", test_full_disk_subprocess);
  return g_test_run ();
}
