/* minzheng tests — appending, checkpoints, keys, rollback, proofs, export.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "audit-test-util.h"
#include "store-sqlite.h"

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static gint64
count_rows (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static void
test_clean_log_verifies (AuditFixture *f,
                         gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditVerifyResult result = { 0 };
  g_autofree char *pub = g_strconcat (f->key_path, ".pub", NULL);

  audit_test_append (f, 1, 250, 100);
  audit_fixture_close (f);
  g_assert_true (audit_test_verify (f, pub, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 250);
  g_assert_cmpint (result.checkpoints, ==, 2);
  g_assert_cmpint (result.first_bad_seq, ==, 0);
}

/* An empty log verifies; a database without the tables is not a log. */
static void
test_empty_and_missing_log (AuditFixture *f,
                            gconstpointer data)
{
  g_autoptr (MzStoreReader) reader = audit_test_reader (f);
  g_autoptr (GError) error = NULL;
  MzAuditVerifyResult result = { 1, 1, 1 };
  g_autofree char *bare_path = g_build_filename (f->dir, "bare.db", NULL);
  g_autoptr (MzStoreReader) bare = NULL;

  g_assert_true (mz_audit_verify (reader, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 0);
  g_assert_cmpint (result.checkpoints, ==, 0);

  g_assert_true (g_file_set_contents (bare_path, "", 0, &error));
  bare = mz_store_audit_reader_open (bare_path, &error);
  g_assert_no_error (error);
  g_assert_false (mz_audit_verify (bare, NULL, &result, &error));
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "[audit.not_found]"));
}

/* Large, multi-line and non-ASCII values, NULLs and empty strings go
 * through the canonical form and back unchanged. */
static void
test_unusual_values (AuditFixture *f,
                     gconstpointer data)
{
  g_autoptr (MzStoreReader) reader = audit_test_reader (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) big = g_string_new ("{\"note\": [\"");
  MzAuditVerifyResult result = { 0 };
  MzAuditEntry e = { 0 };
  g_autofree char *proof = NULL;

  for (int i = 0; i < 20000; i++)
    g_string_append (big, "婚姻登记\\n'; DROP TABLE audit_entries; --");
  g_string_append (big, "\", null]}");
  e.time_usec = -1;
  e.office = "";
  e.action = "record.read";
  e.outcome = "ok";
  e.reason = "第一行\n第二行\t[x]";
  e.changes = big->str;
  e.object_id = G_MININT64;
  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_true (mz_audit_append (f->audit, &e, NULL, &error));
  e.office = NULL;
  e.changes = NULL;
  e.object_id = G_MAXINT64;
  g_assert_true (mz_audit_append (f->audit, &e, NULL, &error));
  g_assert_true (mz_audit_checkpoint (f->audit, 1, TRUE, &error));
  exec_ok (f->db, "COMMIT");
  g_assert_no_error (error);

  g_assert_true (mz_audit_verify (reader, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 2);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM audit_entries WHERE office = '' AND seq = 1"), ==, 1);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM audit_entries WHERE office IS NULL AND seq = 2"), ==, 1);
  for (gint64 seq = 1; seq <= 2; seq++)
    {
      proof = mz_audit_proof (reader, seq, &error);
      g_assert_no_error (error);
      g_assert_true (mz_audit_proof_check (proof, NULL, NULL, &error));
      g_assert_no_error (error);
      g_clear_pointer (&proof, g_free);
    }
}

/* A log created with SM3: the same checks, proofs and refusals. */
static void
test_sm3_log (AuditFixture *f,
              gconstpointer data)
{
  g_autoptr (MzStoreReader) reader = NULL;
  g_autoptr (GError) error = NULL;
  MzAuditOptions options = { .key_path = f->key_path, .hash = "md5" };
  MzAuditVerifyResult result = { 0 };
  g_autofree char *proof = NULL;
  MzAudit *refused;

  audit_fixture_close (f);
  g_free (f->db_path);
  f->db_path = g_build_filename (f->dir, "sm3.db", NULL);
  g_assert_cmpint (sqlite3_open (f->db_path, &f->db), ==, SQLITE_OK);

  refused = audit_test_open (f, &options, &error);
  g_assert_null (refused);
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "md5"));
  g_clear_error (&error);

  options.hash = "sm3";
  f->audit = audit_test_open (f, &options, &error);
  g_assert_no_error (error);
  audit_test_append (f, 1, 30, 10);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM audit_meta WHERE name = 'hash' AND value = 'sm3'"), ==, 1);

  /* Reopened without naming the hash, the log keeps SM3. */
  g_clear_pointer (&f->audit, mz_audit_free);
  options.hash = NULL;
  f->audit = audit_test_open (f, &options, &error);
  g_assert_no_error (error);
  audit_test_append (f, 31, 5, 5);
  g_assert_cmpint (count_rows (f->db, "SELECT count (*) FROM audit_meta WHERE name = 'hash' AND value = 'sm3'"), ==, 1);

  reader = audit_test_reader (f);
  g_assert_true (mz_audit_verify (reader, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 35);
  g_assert_cmpint (result.checkpoints, ==, 4);
  proof = mz_audit_proof (reader, 17, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (proof, "\"hash\" : \"sm3\""));
  g_assert_true (mz_audit_proof_check (proof, NULL, NULL, &error));
  g_assert_no_error (error);

  audit_fixture_close (f);
  audit_test_sqlite3 (f, "DROP TRIGGER audit_entries_no_update;"
                         "UPDATE audit_entries SET object_id = 7 WHERE seq = 23;");
  g_assert_false (audit_test_verify (f, NULL, &result, &error));
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED);
  g_assert_cmpint (result.first_bad_seq, ==, 23);
}

static void
test_checkpoint_policy (AuditFixture *f,
                        gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditOptions options = { .key_path = f->key_path, .checkpoint_every = 10, .checkpoint_seconds = 5 };
  MzAuditEntry e = { 0 };
  char *owned[4] = { 0 };
  gint64 t = 1772323200000000;

  g_clear_pointer (&f->audit, mz_audit_free);
  f->audit = audit_test_open (f, &options, &error);
  g_assert_no_error (error);
  audit_test_entry (&e, 1, owned);

  /* Nine entries within a second: nothing is due, not even by time. */
  exec_ok (f->db, "BEGIN IMMEDIATE");
  for (int i = 0; i < 9; i++)
    {
      g_assert_true (mz_audit_append (f->audit, &e, NULL, &error));
      g_assert_true (mz_audit_checkpoint (f->audit, t + i * 1000, FALSE, &error));
    }
  g_assert_cmpint (count_rows (f->db, "SELECT count(*) FROM audit_checkpoints"), ==, 0);
  /* The tenth makes checkpoint_every. */
  g_assert_true (mz_audit_append (f->audit, &e, NULL, &error));
  g_assert_true (mz_audit_checkpoint (f->audit, t + 10000, FALSE, &error));
  g_assert_cmpint (count_rows (f->db, "SELECT count(*) FROM audit_checkpoints"), ==, 1);
  /* One more, then time passes checkpoint_seconds. */
  g_assert_true (mz_audit_append (f->audit, &e, NULL, &error));
  g_assert_true (mz_audit_checkpoint (f->audit, t + 4 * G_USEC_PER_SEC, FALSE, &error));
  g_assert_cmpint (count_rows (f->db, "SELECT count(*) FROM audit_checkpoints"), ==, 1);
  g_assert_true (mz_audit_checkpoint (f->audit, t + 6 * G_USEC_PER_SEC, FALSE, &error));
  g_assert_cmpint (count_rows (f->db, "SELECT count(*) FROM audit_checkpoints"), ==, 2);
  /* Forced with nothing new: no empty checkpoint. */
  g_assert_true (mz_audit_checkpoint (f->audit, t + 7 * G_USEC_PER_SEC, TRUE, &error));
  g_assert_cmpint (count_rows (f->db, "SELECT count(*) FROM audit_checkpoints"), ==, 2);
  g_assert_true (mz_audit_append (f->audit, &e, NULL, &error));
  g_assert_true (mz_audit_checkpoint (f->audit, t + 7 * G_USEC_PER_SEC, TRUE, &error));
  g_assert_cmpint (count_rows (f->db, "SELECT count(*) FROM audit_checkpoints"), ==, 3);
  g_assert_no_error (error);
  exec_ok (f->db, "COMMIT");
  for (guint k = 0; k < G_N_ELEMENTS (owned); k++)
    g_free (owned[k]);
  g_assert_cmpint (count_rows (f->db, "SELECT max(tree_size) FROM audit_checkpoints"), ==, 12);
}

/* A new log's clock for checkpoint_seconds starts when a checkpoint is
 * first considered, and a rollback in between (the store starts a batch
 * over) does not start it again: frequent rollbacks cannot put the first
 * checkpoint off for good. */
static void
test_checkpoint_clock_survives_rollback (AuditFixture *f,
                                         gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditOptions options = { .key_path = f->key_path, .checkpoint_every = 1000, .checkpoint_seconds = 5 };
  MzAuditEntry e = { 0 };
  char *owned[4] = { 0 };
  gint64 t = 1772323200000000;

  g_clear_pointer (&f->audit, mz_audit_free);
  f->audit = audit_test_open (f, &options, &error);
  g_assert_no_error (error);
  audit_test_entry (&e, 1, owned);

  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_true (mz_audit_append (f->audit, &e, NULL, &error));
  g_assert_true (mz_audit_checkpoint (f->audit, t, FALSE, &error));
  exec_ok (f->db, "COMMIT");
  for (int i = 1; i <= 3; i++)
    {
      exec_ok (f->db, "BEGIN IMMEDIATE");
      g_assert_true (mz_audit_append (f->audit, &e, NULL, &error));
      exec_ok (f->db, "ROLLBACK");
      mz_audit_rollback (f->audit);
    }
  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_true (mz_audit_append (f->audit, &e, NULL, &error));
  g_assert_true (mz_audit_checkpoint (f->audit, t + 4 * G_USEC_PER_SEC, FALSE, &error));
  g_assert_cmpint (count_rows (f->db, "SELECT count(*) FROM audit_checkpoints"), ==, 0);
  g_assert_true (mz_audit_checkpoint (f->audit, t + 6 * G_USEC_PER_SEC, FALSE, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->db, "SELECT count(*) FROM audit_checkpoints"), ==, 1);
  exec_ok (f->db, "COMMIT");
  for (guint k = 0; k < G_N_ELEMENTS (owned); k++)
    g_free (owned[k]);
}

static void
test_key_created_private (AuditFixture *f,
                          gconstpointer data)
{
  g_autofree char *pub = g_strconcat (f->key_path, ".pub", NULL);
  GStatBuf st;

  g_assert_cmpint (g_stat (f->key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (pub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0022, ==, 0);
  g_assert_cmpint (count_rows (f->db, "SELECT count(*) FROM audit_meta WHERE name = 'public_key' AND length (value) = 32"), ==, 1);
}

static void
test_key_readable_refused (AuditFixture *f,
                           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditOptions options = { .key_path = f->key_path };
  MzAudit *audit;

  g_clear_pointer (&f->audit, mz_audit_free);
  g_assert_cmpint (g_chmod (f->key_path, 0644), ==, 0);
  audit = audit_test_open (f, &options, &error);
  g_assert_null (audit);
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, f->key_path));
  g_assert_nonnull (strstr (error->message, "0644"));
  g_assert_nonnull (strstr (error->message, "[audit.key.permissions]"));
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (f->key_path, 0600), ==, 0);
  f->audit = audit_test_open (f, &options, &error);
  g_assert_no_error (error);
}

static void
test_key_other_refused (AuditFixture *f,
                        gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *other = g_build_filename (f->dir, "other.key", NULL);
  MzAuditOptions options = { .key_path = other };
  MzAudit *audit;

  audit = audit_test_open (f, &options, &error);
  g_assert_null (audit);
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "[audit.key.mismatch]"));
}

/* Appends in a transaction that is rolled back, with a checkpoint, then
 * appends more: the log must continue from the committed state. */
static void
test_rollback_keeps_memory_consistent (AuditFixture *f,
                                       gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditVerifyResult result = { 0 };
  MzAuditEntry e = { 0 };
  char *owned[4] = { 0 };
  gint64 seq = 0;

  audit_test_append (f, 1, 30, 25);
  audit_test_entry (&e, 999, owned);
  exec_ok (f->db, "BEGIN IMMEDIATE");
  for (int i = 0; i < 5; i++)
    g_assert_true (mz_audit_append (f->audit, &e, &seq, &error));
  g_assert_cmpint (seq, ==, 35);
  g_assert_true (mz_audit_checkpoint (f->audit, e.time_usec, TRUE, &error));
  exec_ok (f->db, "ROLLBACK");
  mz_audit_rollback (f->audit);

  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_true (mz_audit_append (f->audit, &e, &seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, 31);
  exec_ok (f->db, "COMMIT");
  audit_test_append (f, 32, 20, 10);

  audit_fixture_close (f);
  g_assert_true (audit_test_verify (f, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 51);
  g_assert_cmpint (result.checkpoints, ==, 3);
  for (guint k = 0; k < G_N_ELEMENTS (owned); k++)
    g_free (owned[k]);
}

/* A savepoint rolled back, and a whole transaction rolled back, without
 * anyone telling the log (the store rolls back a refused unit of work to
 * its savepoint): the next append notices and continues correctly. */
static void
test_unannounced_rollbacks (AuditFixture *f,
                            gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditVerifyResult result = { 0 };
  MzAuditEntry e = { 0 };
  char *owned[4] = { 0 };
  gint64 seq = 0;

  audit_test_append (f, 1, 10, 5);
  audit_test_entry (&e, 500, owned);

  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_true (mz_audit_append (f->audit, &e, &seq, &error));
  g_assert_cmpint (seq, ==, 11);
  exec_ok (f->db, "SAVEPOINT job");
  g_assert_true (mz_audit_append (f->audit, &e, &seq, &error));
  g_assert_true (mz_audit_append (f->audit, &e, &seq, &error));
  g_assert_true (mz_audit_checkpoint (f->audit, e.time_usec, TRUE, &error));
  exec_ok (f->db, "ROLLBACK TO job");
  exec_ok (f->db, "RELEASE job");
  g_assert_true (mz_audit_append (f->audit, &e, &seq, &error));
  g_assert_no_error (error);
  g_assert_cmpint (seq, ==, 12);
  exec_ok (f->db, "COMMIT");

  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_true (mz_audit_append (f->audit, &e, &seq, &error));
  g_assert_true (mz_audit_checkpoint (f->audit, e.time_usec, TRUE, &error));
  exec_ok (f->db, "ROLLBACK");
  audit_test_append (f, 13, 4, 0);
  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_true (mz_audit_checkpoint (f->audit, e.time_usec, TRUE, &error));
  exec_ok (f->db, "COMMIT");
  g_assert_no_error (error);

  audit_fixture_close (f);
  g_assert_true (audit_test_verify (f, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 16);
  g_assert_cmpint (result.checkpoints, ==, 3);
  for (guint k = 0; k < G_N_ELEMENTS (owned); k++)
    g_free (owned[k]);
}

/* A checkpoint row written into the file by someone else: the host does
 * not build on it. */
static void
test_forged_checkpoint_refused (AuditFixture *f,
                                gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditEntry e = { 0 };
  char *owned[4] = { 0 };

  audit_test_append (f, 1, 12, 10);
  audit_test_sqlite3 (f, "INSERT INTO audit_checkpoints (tree_size, root_hash, time_usec, signature, key_id, frontier)"
                         " SELECT 12, randomblob (32), time_usec + 1, randomblob (64), key_id, randomblob (64)"
                         " FROM audit_checkpoints ORDER BY id DESC LIMIT 1;");
  audit_test_entry (&e, 13, owned);
  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_false (mz_audit_append (f->audit, &e, NULL, &error));
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_SIGNATURE);
  g_assert_nonnull (strstr (error->message, "#2"));
  exec_ok (f->db, "ROLLBACK");
  for (guint k = 0; k < G_N_ELEMENTS (owned); k++)
    g_free (owned[k]);
}

/* Reopening starts from the frontier saved with the last checkpoint; a
 * second writer connection interleaving with the first is followed too. */
static void
test_reopen_and_second_writer (AuditFixture *f,
                               gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditOptions options = { .key_path = f->key_path };
  MzAuditVerifyResult result = { 0 };
  sqlite3 *db2 = NULL;
  MzStoreTxn *txn2;
  MzAudit *audit2;

  audit_test_append (f, 1, 37, 16);
  audit_fixture_close (f);
  g_assert_cmpint (sqlite3_open (f->db_path, &f->db), ==, SQLITE_OK);
  f->audit = audit_test_open (f, &options, &error);
  g_assert_no_error (error);
  audit_test_append (f, 38, 10, 16);

  g_assert_cmpint (sqlite3_open (f->db_path, &db2), ==, SQLITE_OK);
  txn2 = mz_store_txn_wrap (db2);
  audit2 = mz_audit_open (txn2, &options, &error);
  g_assert_no_error (error);
  for (int round = 0; round < 3; round++)
    {
      MzAuditEntry e = { 0 };
      char *owned[4] = { 0 };
      gint64 seq = 0;

      audit_test_entry (&e, 100 + round, owned);
      exec_ok (db2, "BEGIN IMMEDIATE");
      g_assert_true (mz_audit_append (audit2, &e, &seq, &error));
      g_assert_true (mz_audit_checkpoint (audit2, e.time_usec, TRUE, &error));
      exec_ok (db2, "COMMIT");
      g_assert_cmpint (seq, ==, 48 + 2 * round);
      audit_test_append (f, 200 + round, 1, 0);
      for (guint k = 0; k < G_N_ELEMENTS (owned); k++)
        g_free (owned[k]);
    }
  mz_audit_free (audit2);
  mz_store_txn_free (txn2);
  sqlite3_close (db2);

  audit_fixture_close (f);
  g_assert_true (audit_test_verify (f, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 53);
}

/* An entry after the last checkpoint changed behind the running host's
 * back: the host refuses to append (and so to sign over it), and refuses
 * to open the log again, naming the entry. */
static void
test_unsigned_tail_tampered_refused (AuditFixture *f,
                                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditOptions options = { .key_path = f->key_path };
  MzAuditEntry e = { 0 };
  char *owned[4] = { 0 };
  MzAudit *audit;

  audit_test_append (f, 1, 25, 20);
  audit_test_sqlite3 (f, "DROP TRIGGER audit_entries_no_update;"
                         "UPDATE audit_entries SET outcome = 'ok', reason = NULL WHERE seq = 22;");
  audit_test_entry (&e, 26, owned);
  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_false (mz_audit_append (f->audit, &e, NULL, &error));
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED);
  g_assert_nonnull (strstr (error->message, "第 22 条"));
  exec_ok (f->db, "ROLLBACK");
  g_clear_error (&error);

  g_clear_pointer (&f->audit, mz_audit_free);
  audit = audit_test_open (f, &options, &error);
  g_assert_null (audit);
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED);
  g_assert_nonnull (strstr (error->message, "第 22 条"));
  for (guint k = 0; k < G_N_ELEMENTS (owned); k++)
    g_free (owned[k]);
}

static gint writer_done;

static gpointer
append_while_verifying (gpointer data)
{
  AuditFixture *f = data;

  audit_test_append_batched (f, 20001, 15000, 50, 5);
  g_atomic_int_set (&writer_done, 1);
  return NULL;
}

/* Verify on its own connection while the host keeps appending and
 * checkpointing: every run sees one consistent snapshot and passes. */
static void
test_verify_during_appends (AuditFixture *f,
                            gconstpointer data)
{
  GThread *writer;
  int runs = 0;

  g_assert_cmpint (sqlite3_exec (f->db, "PRAGMA synchronous=OFF", NULL, NULL, NULL), ==, SQLITE_OK);
  audit_test_append_batched (f, 1, 20000, 1000, 5000);
  g_atomic_int_set (&writer_done, 0);
  writer = g_thread_new ("writer", append_while_verifying, f);
  do
    {
      g_autoptr (GError) error = NULL;
      MzAuditVerifyResult result = { 0 };

      g_assert_true (audit_test_verify (f, NULL, &result, &error));
      g_assert_no_error (error);
      g_assert_cmpint (result.entries, >=, 20000);
      runs++;
    }
  while (runs < 3 || !g_atomic_int_get (&writer_done));
  g_thread_join (writer);
  g_test_message ("%d verify runs during 15000 appends", runs);
}

static void
test_proofs (AuditFixture *f,
             gconstpointer data)
{
  g_autoptr (MzStoreReader) reader = audit_test_reader (f);
  g_autoptr (GError) error = NULL;
  g_autofree char *pub = g_strconcat (f->key_path, ".pub", NULL);
  const gint64 seqs[] = { 1, 2, 37, 64, 65, 99, 100 };
  char *proof;
  gint64 seq = 0;

  audit_test_append (f, 1, 105, 50);
  exec_ok (f->db, "BEGIN IMMEDIATE");
  g_assert_true (mz_audit_checkpoint (f->audit, 1772400000000000, TRUE, &error));
  exec_ok (f->db, "COMMIT");
  audit_test_append (f, 106, 3, 0);

  for (guint i = 0; i < G_N_ELEMENTS (seqs); i++)
    {
      g_autofree char *text = mz_audit_proof (reader, seqs[i], &error);
      g_autofree char *forged = NULL;
      g_autofree char *wanted = NULL;

      g_assert_no_error (error);
      g_assert_true (mz_audit_proof_check (text, pub, &seq, &error));
      g_assert_no_error (error);
      g_assert_cmpint (seq, ==, seqs[i]);

      /* The same proof with the entry's actor changed must fail. */
      wanted = g_strdup_printf ("\"actor_role\" : \"clerk\"");
      g_assert_nonnull (strstr (text, wanted));
      forged = g_strdup (text);
      memcpy (strstr (forged, wanted), "\"actor_role\" : \"chief\"", strlen (wanted));
      g_assert_false (mz_audit_proof_check (forged, pub, NULL, &error));
      g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED);
      g_clear_error (&error);
    }

  /* A flipped digit in the path, and a proof for a seq it is not about. */
  proof = mz_audit_proof (reader, 37, &error);
  {
    char *path = strstr (proof, "\"path\"");
    char *digit = strchr (strchr (path, '[') , '"') + 5;

    *digit = *digit == '0' ? '1' : '0';
    g_assert_false (mz_audit_proof_check (proof, pub, NULL, &error));
    g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED);
    g_assert_nonnull (strstr (error->message, "[audit.proof.invalid]"));
    g_clear_error (&error);
  }
  g_free (proof);

  /* A changed signature. */
  proof = mz_audit_proof (reader, 64, &error);
  {
    char *sig = strstr (proof, "\"signature\" : \"") + strlen ("\"signature\" : \"");

    sig[3] = sig[3] == 'a' ? 'b' : 'a';
    g_assert_false (mz_audit_proof_check (proof, pub, NULL, &error));
    g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_SIGNATURE);
    g_clear_error (&error);
  }
  g_free (proof);

  /* Entries after the latest checkpoint have no proof yet. */
  proof = mz_audit_proof (reader, 106, &error);
  g_assert_null (proof);
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "第 106 条"));
}

static void
test_export_time_range (AuditFixture *f,
                        gconstpointer data)
{
  g_autoptr (MzStoreReader) reader = audit_test_reader (f);
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_auto (GStrv) lines = NULL;
  MzAuditEntry first = { 0 }, end = { 0 };
  char *owned1[4] = { 0 }, *owned2[4] = { 0 };
  char *text;

  audit_test_append (f, 1, 40, 0);
  audit_test_entry (&first, 10, owned1);
  audit_test_entry (&end, 20, owned2);
  g_assert_true (mz_audit_export (reader, first.time_usec, end.time_usec, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  g_output_stream_close (out, NULL, NULL);
  text = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 11);
  for (int i = 0; i < 10; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *o;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      o = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpint (json_object_get_int_member (o, "seq"), ==, 10 + i);
      g_assert_cmpint (json_object_get_int_member (o, "time_usec"), ==, first.time_usec + i * G_USEC_PER_SEC);
      g_assert_cmpstr (json_object_get_string_member (o, "office"), ==, "440305");
      g_assert_cmpint (json_object_get_int_member (o, "object_id"), ==, 1010 + i);
      g_assert_cmpuint (strlen (json_object_get_string_member (o, "leaf_hash")), ==, 64);
    }
  g_assert_cmpstr (lines[10], ==, "");
  for (guint k = 0; k < 4; k++)
    {
      g_free (owned1[k]);
      g_free (owned2[k]);
    }
}

static void
test_triggers_refuse_changes (AuditFixture *f,
                              gconstpointer data)
{
  char *message = NULL;

  audit_test_append (f, 1, 3, 3);
  g_assert_cmpint (sqlite3_exec (f->db, "UPDATE audit_entries SET actor_user = 'x' WHERE seq = 2",
                                 NULL, NULL, &message), ==, SQLITE_CONSTRAINT);
  g_assert_nonnull (strstr (message, "[audit.append_only]"));
  sqlite3_free (message);
  g_assert_cmpint (sqlite3_exec (f->db, "DELETE FROM audit_entries WHERE seq = 2", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (f->db, "DELETE FROM audit_checkpoints", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
  g_assert_cmpint (sqlite3_exec (f->db, "UPDATE audit_meta SET value = x'00' WHERE name = 'public_key'", NULL, NULL, NULL), ==, SQLITE_CONSTRAINT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, AuditFixture, NULL, audit_fixture_setup, func, audit_fixture_teardown)
  ADD ("/audit/clean-log-verifies", test_clean_log_verifies);
  ADD ("/audit/empty-and-missing-log", test_empty_and_missing_log);
  ADD ("/audit/unusual-values", test_unusual_values);
  ADD ("/audit/checkpoint-policy", test_checkpoint_policy);
  ADD ("/audit/checkpoint-clock-survives-rollback", test_checkpoint_clock_survives_rollback);
  ADD ("/audit/sm3-log", test_sm3_log);
  ADD ("/audit/key-created-private", test_key_created_private);
  ADD ("/audit/key-readable-refused", test_key_readable_refused);
  ADD ("/audit/key-other-refused", test_key_other_refused);
  ADD ("/audit/rollback-keeps-memory-consistent", test_rollback_keeps_memory_consistent);
  ADD ("/audit/reopen-and-second-writer", test_reopen_and_second_writer);
  ADD ("/audit/unannounced-rollbacks", test_unannounced_rollbacks);
  ADD ("/audit/forged-checkpoint-refused", test_forged_checkpoint_refused);
  ADD ("/audit/unsigned-tail-tampered-refused", test_unsigned_tail_tampered_refused);
  ADD ("/audit/verify-during-appends", test_verify_during_appends);
  ADD ("/audit/proofs", test_proofs);
  ADD ("/audit/export-time-range", test_export_time_range);
  ADD ("/audit/triggers-refuse-changes", test_triggers_refuse_changes);
#undef ADD
  return g_test_run ();
}
