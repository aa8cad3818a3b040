/* minzheng tests — tampering with the database behind the host's back.
 *
 * Each test writes a real log (105 entries, checkpoints every 20), closes
 * it, changes the file with the sqlite3 command-line tool after dropping
 * the append-only triggers, as an intruder with file access would, and
 * checks that verify names the first bad entry and what happened to it.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "audit-private.h"
#include "audit-test-util.h"
#include "store-audit-sqlite.h"

#define DROP_TRIGGERS \
  "DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;" \
  "DROP TRIGGER IF EXISTS audit_checkpoints_no_update; DROP TRIGGER IF EXISTS audit_checkpoints_no_delete;" \
  "DROP TRIGGER IF EXISTS audit_meta_no_update; DROP TRIGGER IF EXISTS audit_meta_no_delete;"

static void
setup (AuditFixture *f,
       gconstpointer data)
{
  audit_fixture_setup (f, data);
  audit_test_append_batched (f, 1, 105, 20, 5);
  audit_fixture_close (f);
}

static void
tamper (AuditFixture *f,
        const char   *sql)
{
  g_autofree char *all = g_strconcat (DROP_TRIGGERS, sql, NULL);

  audit_test_sqlite3 (f, all);
}

/* Verify must fail with @code, @seq as first bad entry, and a message that
 * names "第 SEQ 条" (when @seq > 0) and contains @fragment. */
static void
assert_detected (AuditFixture *f,
                 MzAuditError  code,
                 gint64        seq,
                 const char   *fragment)
{
  g_autoptr (GError) error = NULL;
  MzAuditVerifyResult result = { 0 };

  g_assert_false (audit_test_verify (f, NULL, &result, &error));
  g_assert_error (error, MZ_AUDIT_ERROR, (gint) code);
  g_test_message ("%s", error->message);
  g_assert_cmpint (result.first_bad_seq, ==, seq);
  if (seq > 0)
    {
      g_autofree char *named = g_strdup_printf ("第 %" G_GINT64_FORMAT " ", seq);
      g_assert_nonnull (strstr (error->message, named));
    }
  g_assert_nonnull (strstr (error->message, fragment));
}

static void
test_clean (AuditFixture *f,
            gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditVerifyResult result = { 0 };

  g_assert_true (audit_test_verify (f, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 105);
  g_assert_cmpint (result.checkpoints, ==, 5);
}

static void
test_field_changed (AuditFixture *f,
                    gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET actor_user = 'clerk99' WHERE seq = 37;");
  assert_detected (f, MZ_AUDIT_ERROR_ALTERED, 37, "[audit.altered]");
}

/* NULL and the empty string hash differently, and so do the same bytes
 * moved from one field to its neighbour. */
static void
test_null_made_empty (AuditFixture *f,
                      gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET reason = '' WHERE seq = 12;");
  assert_detected (f, MZ_AUDIT_ERROR_ALTERED, 12, "[audit.altered]");
}

static void
test_bytes_moved_between_fields (AuditFixture *f,
                                 gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET actor_role = actor_role || substr (actor_session, 1, 2),"
             " actor_session = substr (actor_session, 3) WHERE seq = 18;");
  assert_detected (f, MZ_AUDIT_ERROR_ALTERED, 18, "[audit.altered]");
}

static void
test_field_changed_after_checkpoint (AuditFixture *f,
                                     gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET actor_address = '10.0.3.99' WHERE seq = 104;");
  assert_detected (f, MZ_AUDIT_ERROR_ALTERED, 104, "[audit.altered]");
}

/* The entry in a row of "SELECT seq, MZ_AUDIT_ENTRY_COLUMNS, …". */
static void
entry_from_row (MzAuditEntry *e,
                sqlite3_stmt *rows)
{
  const char **texts[] = {
    &e->office, &e->plugin, &e->plugin_version, &e->actor_user, &e->actor_role,
    &e->actor_session, &e->actor_address, &e->action, &e->object_kind, NULL,
    &e->outcome, &e->reason, &e->correlation_id, &e->changes,
  };

  memset (e, 0, sizeof *e);
  e->time_usec = sqlite3_column_int64 (rows, 1);
  e->object_id = sqlite3_column_int64 (rows, 11);
  for (int i = 0; i < (int) G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL)
      *texts[i] = (const char *) sqlite3_column_text (rows, 2 + i);
}

/* Recomputes the leaf hash of @seq (and, if @chain_too, every chain link
 * from there on) with the documented format, as a knowing intruder would. */
static void
rehash (AuditFixture *f,
        gint64        from,
        gboolean      chain_too)
{
  const MzHashAlgo *algo = mz_hash_algo_sha256 ();
  g_auto (MzAuditCanon) canon = { 0 };
  sqlite3 *db = NULL;
  sqlite3_stmt *rows = NULL, *update = NULL;
  guint8 chain[32] = { 0 };
  int rc;

  g_assert_cmpint (sqlite3_open (f->db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, DROP_TRIGGERS "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT seq, " MZ_AUDIT_ENTRY_COLUMNS ", chain_hash FROM audit_entries"
                                           " WHERE seq >= ? - 1 ORDER BY seq", -1, &rows, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE audit_entries SET leaf_hash = ?, chain_hash = ? WHERE seq = ?",
                                       -1, &update, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (rows, 1, from);
  while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (rows, 0);
      guint8 link[64], leaf[32];
      MzAuditEntry e;

      if (seq == from - 1)
        {
          memcpy (chain, sqlite3_column_blob (rows, 1 + MZ_AUDIT_ENTRY_COLUMN_COUNT), 32);
          continue;
        }
      entry_from_row (&e, rows);
      mz_audit_canon_entry (&canon, seq, &e);
      mz_merkle_leaf_hash_prefixed (algo, canon.data, canon.len, leaf);
      memcpy (link, chain, 32);
      memcpy (link + 32, leaf, 32);
      algo->digest (link, 64, chain);
      sqlite3_bind_blob (update, 1, leaf, 32, SQLITE_TRANSIENT);
      if (chain_too)
        sqlite3_bind_blob (update, 2, chain, 32, SQLITE_TRANSIENT);
      else
        sqlite3_bind_blob (update, 2, sqlite3_column_blob (rows, 1 + MZ_AUDIT_ENTRY_COLUMN_COUNT), 32, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (update, 3, seq);
      g_assert_cmpint (sqlite3_step (update), ==, SQLITE_DONE);
      sqlite3_reset (update);
      if (!chain_too)
        break;
    }
  sqlite3_finalize (rows);
  sqlite3_finalize (update);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static void
test_field_changed_leaf_rehashed (AuditFixture *f,
                                  gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET object_id = 4242 WHERE seq = 53;");
  rehash (f, 53, FALSE);
  assert_detected (f, MZ_AUDIT_ERROR_ALTERED, 53, "叶哈希被重算");
}

/* With every chain link after it rewritten too, only the signed root of
 * the next checkpoint disagrees: the report names that stretch. */
static void
test_field_changed_everything_rehashed (AuditFixture *f,
                                        gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET changes = '{}' WHERE seq = 53;");
  rehash (f, 53, TRUE);
  assert_detected (f, MZ_AUDIT_ERROR_ALTERED, 41, "第 41 至 60 条");
}

static void
test_entry_deleted (AuditFixture *f,
                    gconstpointer data)
{
  tamper (f, "DELETE FROM audit_entries WHERE seq = 50;");
  assert_detected (f, MZ_AUDIT_ERROR_MISSING, 50, "[audit.removed]");
}

static void
test_entry_deleted_renumbered (AuditFixture *f,
                               gconstpointer data)
{
  tamper (f, "DELETE FROM audit_entries WHERE seq = 50;"
             "UPDATE audit_entries SET seq = -(seq - 1) WHERE seq > 50;"
             "UPDATE audit_entries SET seq = -seq WHERE seq < 0;");
  assert_detected (f, MZ_AUDIT_ERROR_MISSING, 50, "重新编号");
}

static void
test_entries_swapped (AuditFixture *f,
                      gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET seq = -1 WHERE seq = 30;"
             "UPDATE audit_entries SET seq = 30 WHERE seq = 60;"
             "UPDATE audit_entries SET seq = 60 WHERE seq = -1;");
  assert_detected (f, MZ_AUDIT_ERROR_REORDERED, 30, "原第 60 条");
}

static void
test_adjacent_swapped (AuditFixture *f,
                       gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET seq = -1 WHERE seq = 77;"
             "UPDATE audit_entries SET seq = 77 WHERE seq = 78;"
             "UPDATE audit_entries SET seq = 78 WHERE seq = -1;");
  assert_detected (f, MZ_AUDIT_ERROR_REORDERED, 77, "原第 78 条");
}

static void
test_entry_inserted (AuditFixture *f,
                     gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET seq = -(seq + 1) WHERE seq >= 45;"
             "UPDATE audit_entries SET seq = -seq WHERE seq < 0;"
             "INSERT INTO audit_entries SELECT 45, time_usec, office, plugin, plugin_version, 'chief', actor_role,"
             " actor_session, actor_address, 'permission.change', object_kind, object_id, outcome, reason,"
             " correlation_id, changes, leaf_hash, chain_hash FROM audit_entries WHERE seq = 44;");
  assert_detected (f, MZ_AUDIT_ERROR_INSERTED, 45, "[audit.inserted]");
}

static void
test_entry_appended (AuditFixture *f,
                     gconstpointer data)
{
  tamper (f, "INSERT INTO audit_entries SELECT 106, time_usec + 1, office, plugin, plugin_version, actor_user,"
             " actor_role, actor_session, actor_address, 'export', object_kind, object_id, outcome, reason,"
             " correlation_id, changes, randomblob (32), randomblob (32) FROM audit_entries WHERE seq = 105;");
  assert_detected (f, MZ_AUDIT_ERROR_INSERTED, 106, "[audit.inserted]");
}

static void
test_tail_truncated (AuditFixture *f,
                     gconstpointer data)
{
  tamper (f, "DELETE FROM audit_entries WHERE seq > 90;");
  assert_detected (f, MZ_AUDIT_ERROR_MISSING, 91, "检查点 #5 记载共 100 条");
}

static void
test_checkpoint_root_changed (AuditFixture *f,
                              gconstpointer data)
{
  tamper (f, "UPDATE audit_checkpoints SET root_hash = randomblob (32) WHERE tree_size = 60;");
  assert_detected (f, MZ_AUDIT_ERROR_SIGNATURE, 0, "检查点 #3");
}

static void
test_checkpoint_signature_bad (AuditFixture *f,
                               gconstpointer data)
{
  tamper (f, "UPDATE audit_checkpoints SET signature = randomblob (64) WHERE tree_size = 80;");
  assert_detected (f, MZ_AUDIT_ERROR_SIGNATURE, 0, "[audit.checkpoint.signature]");
}

static void
test_checkpoint_moved (AuditFixture *f,
                       gconstpointer data)
{
  tamper (f, "UPDATE audit_checkpoints SET tree_size = 59 WHERE tree_size = 60;");
  assert_detected (f, MZ_AUDIT_ERROR_SIGNATURE, 0, "检查点 #3");
}

static void
test_public_key_replaced (AuditFixture *f,
                          gconstpointer data)
{
  tamper (f, "UPDATE audit_meta SET value = randomblob (32) WHERE name = 'public_key';");
  assert_detected (f, MZ_AUDIT_ERROR_SIGNATURE, 0, "[audit.checkpoint.key]");
}

static void
test_wrong_public_key_file (AuditFixture *f,
                            gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *other = g_build_filename (f->dir, "other.key", NULL);
  g_autofree char *other_pub = g_strconcat (other, ".pub", NULL);
  g_autofree char *own_pub = g_strconcat (f->key_path, ".pub", NULL);
  guint8 sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];
  MzAuditVerifyResult result = { 0 };

  g_assert_true (mz_audit_key_load (other, sk, pk, &error));
  g_assert_false (audit_test_verify (f, other_pub, &result, &error));
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "[audit.key.mismatch]"));
  g_assert_nonnull (strstr (error->message, other_pub));
  g_clear_error (&error);
  g_assert_true (audit_test_verify (f, own_pub, &result, &error));
  g_assert_no_error (error);
}

static char *
export_checkpoints (AuditFixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (MzStoreReader) reader = audit_test_reader (f);

  g_assert_true (mz_audit_export_checkpoints (reader, out, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, &error));
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static gboolean
verify_shipped (AuditFixture        *f,
                const char          *shipped,
                MzAuditVerifyResult *result,
                GError             **error)
{
  g_autoptr (MzStoreReader) reader = audit_test_reader (f);

  return mz_audit_verify_shipped (reader, NULL, shipped, result, error);
}

/* The tail deleted together with its checkpoints: the file alone is
 * consistent, the checkpoints kept at the centre are not met. */
static void
test_shipped_tail_and_checkpoints_deleted (AuditFixture *f,
                                           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *shipped = export_checkpoints (f);
  MzAuditVerifyResult result = { 0 };

  g_assert_true (verify_shipped (f, shipped, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 105);
  g_assert_cmpint (result.checkpoints, ==, 10);

  tamper (f, "DELETE FROM audit_entries WHERE seq > 70; DELETE FROM audit_checkpoints WHERE tree_size > 70;");
  g_assert_true (audit_test_verify (f, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 70);

  g_assert_false (verify_shipped (f, shipped, &result, &error));
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_MISSING);
  g_assert_cmpint (result.first_bad_seq, ==, 71);
  g_assert_nonnull (strstr (error->message, "中心保存的检查点 #4"));
}

/* The whole log replaced by one signed with another key (public key in
 * the database replaced too): the shipped checkpoints are not its own. */
static void
test_shipped_log_replaced (AuditFixture *f,
                           gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *shipped = export_checkpoints (f);
  MzAuditVerifyResult result = { 0 };
  AuditFixture other = { 0 };

  audit_fixture_setup (&other, NULL);
  audit_test_append_batched (&other, 1, 105, 20, 5);
  audit_fixture_close (&other);
  g_assert_true (audit_test_verify (&other, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_false (verify_shipped (&other, shipped, &result, &error));
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_SIGNATURE);
  g_assert_nonnull (strstr (error->message, "中心保存的检查点 #1"));
  g_assert_nonnull (strstr (error->message, "[audit.checkpoint.key]"));
  audit_fixture_teardown (&other, NULL);
}

static void
test_shipped_file_unreadable (AuditFixture *f,
                              gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *shipped = export_checkpoints (f);
  g_autofree char *broken = g_strconcat (shipped, "{\"hash\": \"sha256\", \"tree_size\": \"many\"}\n", NULL);
  MzAuditVerifyResult result = { 0 };

  g_assert_false (verify_shipped (f, broken, &result, &error));
  g_assert_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "第 6 行"));
}

/* 70,000 entries: verify's fast pass then uses two threads and two
 * segments; what it finds must be named just as in a small log.  The log
 * is written once and each test gets a copy of the files. */
static char *large_template;

static void
copy_file (const char *from_dir,
           const char *to_dir,
           const char *name)
{
  g_autofree char *from_path = g_build_filename (from_dir, name, NULL);
  g_autofree char *to_path = g_build_filename (to_dir, name, NULL);
  g_autoptr (GFile) from = g_file_new_for_path (from_path);
  g_autoptr (GFile) to = g_file_new_for_path (to_path);
  g_autoptr (GError) error = NULL;

  g_file_copy (from, to, G_FILE_COPY_OVERWRITE | G_FILE_COPY_ALL_METADATA, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
setup_large (AuditFixture *f,
             gconstpointer data)
{
  audit_fixture_setup (f, data);
  if (large_template == NULL)
    {
      g_assert_cmpint (sqlite3_exec (f->db, "PRAGMA synchronous=OFF", NULL, NULL, NULL), ==, SQLITE_OK);
      audit_test_append_batched (f, 1, 70000, 1000, 5000);
      audit_fixture_close (f);
      large_template = g_steal_pointer (&f->dir);
      f->dir = g_dir_make_tmp ("mz-audit-XXXXXX", NULL);
      g_free (f->db_path);
      g_free (f->key_path);
      f->db_path = g_build_filename (f->dir, "office.db", NULL);
      f->key_path = g_build_filename (f->dir, "office.key", NULL);
    }
  audit_fixture_close (f);
  copy_file (large_template, f->dir, "office.db");
  copy_file (large_template, f->dir, "office.key");
  copy_file (large_template, f->dir, "office.key.pub");
}

static void
test_large_clean (AuditFixture *f,
                  gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditVerifyResult result = { 0 };

  g_assert_true (audit_test_verify (f, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, ==, 70000);
  g_assert_cmpint (result.checkpoints, ==, 70);
}

static void
test_large_altered_in_helper_share (AuditFixture *f,
                                    gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET object_id = 1 WHERE seq = 50001;");
  assert_detected (f, MZ_AUDIT_ERROR_ALTERED, 50001, "[audit.altered]");
}

static void
test_large_rehashed_in_second_segment (AuditFixture *f,
                                       gconstpointer data)
{
  tamper (f, "UPDATE audit_entries SET actor_user = 'nobody' WHERE seq = 68123;");
  rehash (f, 68123, FALSE);
  assert_detected (f, MZ_AUDIT_ERROR_ALTERED, 68123, "叶哈希被重算");
}

static void
test_large_deleted_at_segment_edge (AuditFixture *f,
                                    gconstpointer data)
{
  tamper (f, "DELETE FROM audit_entries WHERE seq = 65537;");
  assert_detected (f, MZ_AUDIT_ERROR_MISSING, 65537, "[audit.removed]");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, AuditFixture, NULL, setup, func, audit_fixture_teardown)
  ADD ("/audit/tamper/clean", test_clean);
  ADD ("/audit/tamper/field-changed", test_field_changed);
  ADD ("/audit/tamper/field-changed-after-checkpoint", test_field_changed_after_checkpoint);
  ADD ("/audit/tamper/null-made-empty", test_null_made_empty);
  ADD ("/audit/tamper/bytes-moved-between-fields", test_bytes_moved_between_fields);
  ADD ("/audit/tamper/field-changed-leaf-rehashed", test_field_changed_leaf_rehashed);
  ADD ("/audit/tamper/field-changed-everything-rehashed", test_field_changed_everything_rehashed);
  ADD ("/audit/tamper/entry-deleted", test_entry_deleted);
  ADD ("/audit/tamper/entry-deleted-renumbered", test_entry_deleted_renumbered);
  ADD ("/audit/tamper/entries-swapped", test_entries_swapped);
  ADD ("/audit/tamper/adjacent-swapped", test_adjacent_swapped);
  ADD ("/audit/tamper/entry-inserted", test_entry_inserted);
  ADD ("/audit/tamper/entry-appended", test_entry_appended);
  ADD ("/audit/tamper/tail-truncated", test_tail_truncated);
  ADD ("/audit/tamper/checkpoint-root-changed", test_checkpoint_root_changed);
  ADD ("/audit/tamper/checkpoint-signature-bad", test_checkpoint_signature_bad);
  ADD ("/audit/tamper/checkpoint-moved", test_checkpoint_moved);
  ADD ("/audit/tamper/public-key-replaced", test_public_key_replaced);
  ADD ("/audit/tamper/wrong-public-key-file", test_wrong_public_key_file);
  ADD ("/audit/tamper/shipped-tail-and-checkpoints-deleted", test_shipped_tail_and_checkpoints_deleted);
  ADD ("/audit/tamper/shipped-log-replaced", test_shipped_log_replaced);
  ADD ("/audit/tamper/shipped-file-unreadable", test_shipped_file_unreadable);
#undef ADD
#define ADD_LARGE(path, func) \
  g_test_add (path, AuditFixture, NULL, setup_large, func, audit_fixture_teardown)
  ADD_LARGE ("/audit/tamper/large-clean", test_large_clean);
  ADD_LARGE ("/audit/tamper/large-altered-in-helper-share", test_large_altered_in_helper_share);
  ADD_LARGE ("/audit/tamper/large-rehashed-in-second-segment", test_large_rehashed_in_second_segment);
  ADD_LARGE ("/audit/tamper/large-deleted-at-segment-edge", test_large_deleted_at_segment_edge);
#undef ADD_LARGE
  status = g_test_run ();
  if (large_template != NULL)
    {
      AuditFixture template = { .dir = large_template };

      audit_fixture_teardown (&template, NULL);
    }
  return status;
}
