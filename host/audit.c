/* minzheng host — appending to the tamper-evident audit log.
 *
 * The log lives in three tables of the office database: audit_entries (one
 * row per entry, with its leaf hash and a running hash chain),
 * audit_checkpoints (signed tree heads) and audit_meta (hash algorithm and
 * public key).  MzAudit keeps only the compact frontier of the Merkle tree,
 * the last chain value and the next sequence number in memory; whenever the
 * database may have moved without it (a rollback, another connection's
 * commit) it re-reads them from the last checkpoint onwards.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "audit-private.h"
#include "store-sqlite.h"

#include <string.h>

G_DEFINE_QUARK (mz-audit-error-quark, mz_audit_error)

struct _MzAudit
{
  sqlite3 *db;
  const MzHashAlgo *algo;
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  char *key_id;
  guint checkpoint_every;
  guint checkpoint_seconds;

  /* Follows the database; valid unless @stale. */
  gboolean stale;
  gint64 data_version;
  gint64 checkpoint_id;
  gint64 next_seq;
  guint8 chain[MZ_HASH_MAX_SIZE];
  MzMerkleFrontier frontier;
  guint64 checkpoint_size;
  gint64 checkpoint_time;

  sqlite3_stmt *insert_entry;
  sqlite3_stmt *insert_checkpoint;
  sqlite3_stmt *probe;
  sqlite3_stmt *probe_version;
  MzAuditCanon canon;
};

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS audit_meta ("
  "  name TEXT PRIMARY KEY, value BLOB NOT NULL);"
  "CREATE TABLE IF NOT EXISTS audit_entries ("
  "  seq INTEGER PRIMARY KEY,"
  "  time_usec INTEGER NOT NULL,"
  "  office TEXT, plugin TEXT, plugin_version TEXT,"
  "  actor_user TEXT, actor_role TEXT, actor_session TEXT, actor_address TEXT,"
  "  action TEXT NOT NULL, object_kind TEXT, object_id INTEGER NOT NULL,"
  "  outcome TEXT NOT NULL, reason TEXT, correlation_id TEXT, changes TEXT,"
  "  leaf_hash BLOB NOT NULL, chain_hash BLOB NOT NULL);"
  "CREATE INDEX IF NOT EXISTS audit_entries_time ON audit_entries (time_usec);"
  "CREATE TABLE IF NOT EXISTS audit_checkpoints ("
  "  id INTEGER PRIMARY KEY,"
  "  tree_size INTEGER NOT NULL, root_hash BLOB NOT NULL, time_usec INTEGER NOT NULL,"
  "  signature BLOB NOT NULL, key_id TEXT NOT NULL, frontier BLOB NOT NULL);"
  "CREATE TRIGGER IF NOT EXISTS audit_entries_no_update BEFORE UPDATE ON audit_entries"
  "  BEGIN SELECT RAISE (ABORT, '审计记录只能追加，不能修改 [audit.append_only]'); END;"
  "CREATE TRIGGER IF NOT EXISTS audit_entries_no_delete BEFORE DELETE ON audit_entries"
  "  BEGIN SELECT RAISE (ABORT, '审计记录只能追加，不能删除 [audit.append_only]'); END;"
  "CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints"
  "  BEGIN SELECT RAISE (ABORT, '审计检查点只能追加，不能修改 [audit.append_only]'); END;"
  "CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints"
  "  BEGIN SELECT RAISE (ABORT, '审计检查点只能追加，不能删除 [audit.append_only]'); END;"
  "CREATE TRIGGER IF NOT EXISTS audit_meta_no_update BEFORE UPDATE ON audit_meta"
  "  BEGIN SELECT RAISE (ABORT, '审计元数据不能修改 [audit.append_only]'); END;"
  "CREATE TRIGGER IF NOT EXISTS audit_meta_no_delete BEFORE DELETE ON audit_meta"
  "  BEGIN SELECT RAISE (ABORT, '审计元数据不能删除 [audit.append_only]'); END;";

static gboolean
exec_sql (sqlite3    *db,
          const char *sql,
          const char *what,
          GError    **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return mz_audit_set_storage_error (error, db, what);
  return TRUE;
}

/* The hash is chosen when the log is created and never changes after. */
static gboolean
insert_meta (sqlite3    *db,
             const char *hash_name,
             GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "INSERT OR IGNORE INTO audit_meta (name, value) VALUES ('format', 1), ('hash', ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return mz_audit_set_storage_error (error, db, "建表");
  sqlite3_bind_text (stmt, 1, hash_name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return mz_audit_set_storage_error (error, db, "建表");
  return TRUE;
}

gboolean
mz_audit_schema_ensure (sqlite3    *db,
                        const char *hash_name,
                        GError    **error)
{
  gboolean own_txn = sqlite3_get_autocommit (db) != 0;

  if (own_txn && !exec_sql (db, "BEGIN IMMEDIATE", "建表", error))
    return FALSE;
  if (!exec_sql (db, schema_sql, "建表", error) ||
      !insert_meta (db, hash_name, error))
    {
      if (own_txn)
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  if (own_txn && !exec_sql (db, "COMMIT", "建表", error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
mz_audit_meta_read (sqlite3           *db,
                    const MzHashAlgo **out_algo,
                    guint8             public_key[crypto_sign_PUBLICKEYBYTES],
                    gboolean          *out_has_key,
                    GError           **error)
{
  g_autofree char *hash_name = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  *out_has_key = FALSE;
  if (sqlite3_prepare_v2 (db, "SELECT name, value FROM audit_meta WHERE name IN ('hash', 'public_key')",
                          -1, &stmt, NULL) != SQLITE_OK)
    return mz_audit_set_storage_error (error, db, "读取元数据");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (name, "hash") == 0)
        hash_name = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      else if (sqlite3_column_bytes (stmt, 1) == crypto_sign_PUBLICKEYBYTES)
        {
          memcpy (public_key, sqlite3_column_blob (stmt, 1), crypto_sign_PUBLICKEYBYTES);
          *out_has_key = TRUE;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return mz_audit_set_storage_error (error, db, "读取元数据");

  *out_algo = mz_hash_algo_lookup (hash_name != NULL ? hash_name : "");
  if (*out_algo == NULL)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_STORAGE,
                   "审计日志使用的哈希算法“%s”不受支持 [audit.hash.unknown]",
                   hash_name != NULL ? hash_name : "(无)");
      return FALSE;
    }
  return TRUE;
}

/* What the database says about the log's end: the connection's data
 * version (changes when another connection commits), the last entry's seq
 * and chain value and the last checkpoint's id.  The data version comes
 * from its own `PRAGMA data_version` statement: read through the
 * pragma_data_version table instead, SQLite compiled that pragma again at
 * every step, which was a third of the probe's cost, paid at every append
 * and every commit. */
typedef struct
{
  gint64 data_version;
  gint64 last_seq;
  gint64 checkpoint_id;
  gboolean chain_matches;
} Probe;

static gboolean
probe_read (MzAudit *audit,
            Probe   *probe,
            GError **error)
{
  sqlite3_stmt *stmt = audit->probe;
  gsize d = audit->algo->digest_size;
  int rc;

  sqlite3_reset (audit->probe_version);
  if (sqlite3_step (audit->probe_version) != SQLITE_ROW)
    {
      sqlite3_reset (audit->probe_version);
      return mz_audit_set_storage_error (error, audit->db, "读取状态");
    }
  probe->data_version = sqlite3_column_int64 (audit->probe_version, 0);
  sqlite3_reset (audit->probe_version);

  sqlite3_reset (stmt);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return mz_audit_set_storage_error (error, audit->db, "读取状态");
    }
  probe->last_seq = sqlite3_column_int64 (stmt, 0);
  probe->checkpoint_id = sqlite3_column_int64 (stmt, 2);
  probe->chain_matches = probe->last_seq == 0 ||
                         ((gsize) sqlite3_column_bytes (stmt, 1) == d &&
                          memcmp (sqlite3_column_blob (stmt, 1), audit->chain, d) == 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* The columns of a row of "SELECT seq, MZ_AUDIT_ENTRY_COLUMNS, …" as the
 * canonical form reads them (store-audit-read.h); stored bytes without
 * the copy sqlite3_column_text may make to add a NUL. */
static void
row_text (MzStoreAuditText *t,
          sqlite3_stmt     *stmt,
          int               col)
{
  t->data = sqlite3_column_blob (stmt, col);
  if (t->data == NULL && sqlite3_column_type (stmt, col) != SQLITE_NULL)
    t->data = "";
  t->len = (gsize) sqlite3_column_bytes (stmt, col);
}

static void
row_from_stmt (MzStoreAuditRow *row,
               sqlite3_stmt    *stmt)
{
  MzStoreAuditText *texts[] = {
    &row->office, &row->plugin, &row->plugin_version, &row->actor_user, &row->actor_role,
    &row->actor_session, &row->actor_address, &row->action, &row->object_kind,
  };
  MzStoreAuditText *after_id[] = { &row->outcome, &row->reason, &row->correlation_id, &row->changes };

  row->time_usec = sqlite3_column_int64 (stmt, 1);
  for (int i = 0; i < (int) G_N_ELEMENTS (texts); i++)
    row_text (texts[i], stmt, 2 + i);
  row->object_id = sqlite3_column_int64 (stmt, 11);
  for (int i = 0; i < (int) G_N_ELEMENTS (after_id); i++)
    row_text (after_id[i], stmt, 12 + i);
}

/* Replays the entries after @base (the last checkpoint's size, or 0) into
 * the frontier, recomputing each leaf from the row and following the
 * chain: these entries are not yet signed, and the host must not sign a
 * tail that someone changed behind its back (it refuses, and verify names
 * the entry).  Starting at @base itself picks up its chain value. */
static gboolean
replay_tail (MzAudit *audit,
             guint64  base,
             GError **error)
{
  sqlite3 *db = audit->db;
  const MzHashAlgo *algo = audit->algo;
  gsize d = algo->digest_size;
  guint8 link[2 * MZ_HASH_MAX_SIZE];
  guint8 leaf[MZ_HASH_MAX_SIZE];
  guint8 chain[MZ_HASH_MAX_SIZE];
  sqlite3_stmt *stmt = NULL;
  MzStoreAuditRow row = { 0 };
  gint64 expected = (gint64) base + 1;
  gboolean ok = TRUE;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT seq, " MZ_AUDIT_ENTRY_COLUMNS ", leaf_hash, chain_hash"
                              " FROM audit_entries WHERE seq >= ? ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK)
    return mz_audit_set_storage_error (error, db, "读取审计记录");
  sqlite3_bind_int64 (stmt, 1, (gint64) base);
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const guint8 *stored_leaf = sqlite3_column_blob (stmt, 1 + MZ_AUDIT_ENTRY_COLUMN_COUNT);
      const guint8 *stored_chain = sqlite3_column_blob (stmt, 2 + MZ_AUDIT_ENTRY_COLUMN_COUNT);
      gboolean sizes_ok = (gsize) sqlite3_column_bytes (stmt, 1 + MZ_AUDIT_ENTRY_COLUMN_COUNT) == d &&
                          (gsize) sqlite3_column_bytes (stmt, 2 + MZ_AUDIT_ENTRY_COLUMN_COUNT) == d;

      if (seq == (gint64) base)
        {
          if (sizes_ok)
            memcpy (audit->chain, stored_chain, d);
          continue;
        }
      if (seq != expected)
        {
          g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_MISSING,
                       "审计日志第 %" G_GINT64_FORMAT " 条在最近一次签名之后被删除，拒绝继续记录；请运行 mzctl audit verify 查明 [audit.removed]",
                       expected);
          ok = FALSE;
          break;
        }
      row_from_stmt (&row, stmt);
      mz_audit_canon_from_row (&audit->canon, &row, seq);
      mz_merkle_leaf_hash_prefixed (algo, audit->canon.data, audit->canon.len, leaf);
      memcpy (link, audit->chain, d);
      memcpy (link + d, leaf, d);
      algo->digest (link, 2 * d, chain);
      if (!sizes_ok || memcmp (leaf, stored_leaf, d) != 0 || memcmp (chain, stored_chain, d) != 0)
        {
          g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED,
                       "审计日志第 %" G_GINT64_FORMAT " 条在最近一次签名之后被改动，拒绝在其上继续签名；请运行 mzctl audit verify 查明 [audit.altered]",
                       seq);
          ok = FALSE;
          break;
        }
      memcpy (audit->chain, stored_chain, d);
      mz_merkle_frontier_append (&audit->frontier, leaf);
      expected++;
    }
  sqlite3_finalize (stmt);
  if (!ok)
    return FALSE;
  if (rc != SQLITE_DONE)
    return mz_audit_set_storage_error (error, db, "读取审计记录");
  audit->next_seq = expected;
  return TRUE;
}

/* Does the checkpoint row in @stmt (tree_size, root_hash, frontier,
 * time_usec, signature, key_id) carry the office's signature?  The host
 * builds on the last checkpoint's frontier, so it must not take one that
 * someone wrote into the file. */
static gboolean
checkpoint_row_signed (MzAudit      *audit,
                       sqlite3_stmt *stmt)
{
  guint8 message[MZ_AUDIT_CHECKPOINT_MESSAGE_MAX];
  gsize message_len = 0;

  if ((gsize) sqlite3_column_bytes (stmt, 1) != audit->algo->digest_size ||
      sqlite3_column_bytes (stmt, 4) != crypto_sign_BYTES ||
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 5), audit->key_id) != 0)
    return FALSE;
  mz_audit_checkpoint_message (audit->algo, (guint64) sqlite3_column_int64 (stmt, 0),
                               sqlite3_column_int64 (stmt, 3), sqlite3_column_blob (stmt, 1),
                               message, &message_len);
  return crypto_sign_verify_detached (sqlite3_column_blob (stmt, 4), message, message_len,
                                      audit->public_key) == 0;
}

/* Re-reads frontier, chain and next sequence number: from the frontier
 * saved with the last checkpoint (its signature checked, and the frontier
 * against its root) plus the entries after it, so the cost is bounded by
 * checkpoint_every. */
static gboolean
state_load (MzAudit *audit,
            GError **error)
{
  sqlite3 *db = audit->db;
  gsize d = audit->algo->digest_size;
  sqlite3_stmt *stmt = NULL;
  guint64 base = 0;
  gboolean signed_ok = TRUE;
  gint64 id = 0;
  int rc;

  audit->stale = TRUE;
  mz_merkle_frontier_init (&audit->frontier, audit->algo);
  memset (audit->chain, 0, sizeof audit->chain);
  audit->checkpoint_size = 0;
  audit->checkpoint_time = 0;
  audit->checkpoint_id = 0;

  {
    Probe probe;

    if (!probe_read (audit, &probe, error))
      return FALSE;
    audit->data_version = probe.data_version;
  }

  if (sqlite3_prepare_v2 (db, "SELECT tree_size, root_hash, frontier, time_usec, signature, key_id, id"
                              " FROM audit_checkpoints ORDER BY id DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    return mz_audit_set_storage_error (error, db, "读取检查点");
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      guint64 size = (guint64) sqlite3_column_int64 (stmt, 0);
      guint8 root[MZ_HASH_MAX_SIZE];

      id = sqlite3_column_int64 (stmt, 6);
      audit->checkpoint_id = id;
      audit->checkpoint_size = size;
      audit->checkpoint_time = sqlite3_column_int64 (stmt, 3);
      signed_ok = checkpoint_row_signed (audit, stmt);
      if (signed_ok &&
          mz_merkle_frontier_deserialize (&audit->frontier, audit->algo, size,
                                          sqlite3_column_blob (stmt, 2),
                                          (gsize) sqlite3_column_bytes (stmt, 2)))
        {
          mz_merkle_frontier_root (&audit->frontier, root);
          if (memcmp (root, sqlite3_column_blob (stmt, 1), d) == 0)
            base = size;
          else
            mz_merkle_frontier_init (&audit->frontier, audit->algo);
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return mz_audit_set_storage_error (error, db, "读取检查点");
  if (!signed_ok)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_SIGNATURE,
                   "最近的审计检查点 #%" G_GINT64_FORMAT " 签名无效，拒绝在其上继续签名；请运行 mzctl audit verify 查明 [audit.checkpoint.signature]",
                   id);
      return FALSE;
    }
  if (!replay_tail (audit, base, error))
    return FALSE;
  audit->stale = FALSE;
  return TRUE;
}

/* Reloads the state if the database may have moved without us: after a
 * failed reload; when another connection committed (the data version
 * changes only for other connections' commits); or when this connection
 * rolled back our entries or checkpoint without mz_audit_rollback being
 * called, e.g. ROLLBACK TO a savepoint.  The last chain value commits to
 * every leaf before it, so matching it means the frontier matches too. */
static gboolean
state_refresh (MzAudit *audit,
               GError **error)
{
  Probe probe;

  if (audit->stale)
    return state_load (audit, error);
  if (!probe_read (audit, &probe, error))
    return FALSE;
  if (probe.data_version == audit->data_version &&
      probe.last_seq == audit->next_seq - 1 &&
      probe.chain_matches &&
      probe.checkpoint_id == audit->checkpoint_id)
    return TRUE;
  return state_load (audit, error);
}

static gboolean
store_public_key (MzAudit *audit,
                  GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (audit->db, "INSERT INTO audit_meta (name, value) VALUES ('public_key', ?), ('key_id', ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return mz_audit_set_storage_error (error, audit->db, "保存公钥");
  sqlite3_bind_blob (stmt, 1, audit->public_key, sizeof audit->public_key, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, audit->key_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return mz_audit_set_storage_error (error, audit->db, "保存公钥");
  return TRUE;
}

/* The key file and the database must agree: checkpoints signed with one
 * key and verified with another would all fail later, far from the cause. */
static gboolean
check_public_key (MzAudit *audit,
                  GError **error)
{
  guint8 stored[crypto_sign_PUBLICKEYBYTES];
  gboolean has_key = FALSE;
  gboolean own_txn;

  if (!mz_audit_meta_read (audit->db, &audit->algo, stored, &has_key, error))
    return FALSE;
  if (has_key)
    {
      if (sodium_memcmp (stored, audit->public_key, sizeof stored) != 0)
        {
          g_autofree char *stored_id = mz_audit_key_id (stored);
          g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                       "密钥文件（%s）与数据库记载的办公室公钥（%s）不符；请使用原密钥文件 [audit.key.mismatch]",
                       audit->key_id, stored_id);
          return FALSE;
        }
      return TRUE;
    }

  own_txn = sqlite3_get_autocommit (audit->db) != 0;
  if (own_txn && !exec_sql (audit->db, "BEGIN IMMEDIATE", "保存公钥", error))
    return FALSE;
  if (!store_public_key (audit, error) ||
      (own_txn && !exec_sql (audit->db, "COMMIT", "保存公钥", error)))
    {
      if (own_txn)
        sqlite3_exec (audit->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

MzAudit *
mz_audit_open (sqlite3              *db,
               const MzAuditOptions *options,
               GError              **error)
{
  g_autoptr (MzAudit) audit = NULL;

  g_return_val_if_fail (db != NULL, NULL);
  g_return_val_if_fail (options != NULL && options->key_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "无法初始化密码库 libsodium [audit.sodium]");
      return NULL;
    }

  audit = g_new0 (MzAudit, 1);
  audit->db = db;
  audit->algo = mz_hash_algo_sha256 ();
  audit->checkpoint_every = options->checkpoint_every != 0 ? options->checkpoint_every : 1000;
  audit->checkpoint_seconds = options->checkpoint_seconds != 0 ? options->checkpoint_seconds : 60;
  audit->stale = TRUE;

  if (!mz_audit_key_load (options->key_path, audit->secret_key, audit->public_key, error))
    return NULL;
  audit->key_id = mz_audit_key_id (audit->public_key);

  if (options->hash != NULL && mz_hash_algo_lookup (options->hash) == NULL)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INVALID,
                   "审计日志不支持哈希算法“%s”，可用 sha256 或 sm3 [audit.hash.unknown]", options->hash);
      return NULL;
    }
  if (!mz_audit_schema_ensure (db, options->hash != NULL ? options->hash : "sha256", error) ||
      !check_public_key (audit, error))
    return NULL;

  if (sqlite3_prepare_v3 (db, "INSERT INTO audit_entries (seq, " MZ_AUDIT_ENTRY_COLUMNS ", leaf_hash, chain_hash)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, SQLITE_PREPARE_PERSISTENT, &audit->insert_entry, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (db, "INSERT INTO audit_checkpoints (tree_size, root_hash, time_usec, signature, key_id, frontier)"
                              " VALUES (?, ?, ?, ?, ?, ?)",
                          -1, SQLITE_PREPARE_PERSISTENT, &audit->insert_checkpoint, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                          &audit->probe_version, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (db, "SELECT (SELECT coalesce (max (seq), 0) FROM audit_entries),"
                              " (SELECT chain_hash FROM audit_entries ORDER BY seq DESC LIMIT 1),"
                              " (SELECT coalesce (max (id), 0) FROM audit_checkpoints)",
                          -1, SQLITE_PREPARE_PERSISTENT, &audit->probe, NULL) != SQLITE_OK)
    {
      mz_audit_set_storage_error (error, db, "准备语句");
      return NULL;
    }

  if (!state_load (audit, error))
    return NULL;
  return g_steal_pointer (&audit);
}

void
mz_audit_free (MzAudit *audit)
{
  if (audit == NULL)
    return;
  sqlite3_finalize (audit->insert_entry);
  sqlite3_finalize (audit->insert_checkpoint);
  sqlite3_finalize (audit->probe);
  sqlite3_finalize (audit->probe_version);
  mz_audit_canon_clear (&audit->canon);
  sodium_memzero (audit->secret_key, sizeof audit->secret_key);
  g_free (audit->key_id);
  g_free (audit);
}

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

gboolean
mz_audit_append (MzAudit            *audit,
                 const MzAuditEntry *entry,
                 gint64             *out_seq,
                 GError            **error)
{
  const MzHashAlgo *algo;
  sqlite3_stmt *stmt;
  guint8 leaf[MZ_HASH_MAX_SIZE];
  guint8 link[2 * MZ_HASH_MAX_SIZE];
  guint8 chain[MZ_HASH_MAX_SIZE];
  gsize d;
  gint64 seq;
  int rc;

  g_return_val_if_fail (audit != NULL, FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (entry->action != NULL && entry->outcome != NULL, FALSE);
  g_return_val_if_fail (sqlite3_get_autocommit (audit->db) == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!state_refresh (audit, error))
    return FALSE;

  algo = audit->algo;
  d = algo->digest_size;
  seq = audit->next_seq;
  mz_audit_canon_entry (&audit->canon, seq, entry);
  mz_merkle_leaf_hash_prefixed (algo, audit->canon.data, audit->canon.len, leaf);
  memcpy (link, audit->chain, d);
  memcpy (link + d, leaf, d);
  algo->digest (link, 2 * d, chain);

  stmt = audit->insert_entry;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, entry->time_usec);
  bind_text (stmt, 3, entry->office);
  bind_text (stmt, 4, entry->plugin);
  bind_text (stmt, 5, entry->plugin_version);
  bind_text (stmt, 6, entry->actor_user);
  bind_text (stmt, 7, entry->actor_role);
  bind_text (stmt, 8, entry->actor_session);
  bind_text (stmt, 9, entry->actor_address);
  bind_text (stmt, 10, entry->action);
  bind_text (stmt, 11, entry->object_kind);
  sqlite3_bind_int64 (stmt, 12, entry->object_id);
  bind_text (stmt, 13, entry->outcome);
  bind_text (stmt, 14, entry->reason);
  bind_text (stmt, 15, entry->correlation_id);
  bind_text (stmt, 16, entry->changes);
  sqlite3_bind_blob (stmt, 17, leaf, (int) d, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 18, chain, (int) d, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      /* A constraint failure means the table moved under us. */
      audit->stale = TRUE;
      return mz_audit_set_storage_error (error, audit->db, "写入");
    }

  memcpy (audit->chain, chain, d);
  mz_merkle_frontier_append (&audit->frontier, leaf);
  audit->next_seq = seq + 1;
  if (out_seq != NULL)
    *out_seq = seq;
  return TRUE;
}

void
mz_audit_rollback (MzAudit *audit)
{
  g_autoptr (GError) error = NULL;

  g_return_if_fail (audit != NULL);

  /* A failure leaves the state stale, so the next append retries. */
  if (!state_load (audit, &error))
    g_warning ("审计日志回滚后无法重新读取状态：%s", error->message);
}

gboolean
mz_audit_checkpoint (MzAudit  *audit,
                     gint64    now_usec,
                     gboolean  force,
                     GError  **error)
{
  guint8 root[MZ_HASH_MAX_SIZE];
  guint8 message[MZ_AUDIT_CHECKPOINT_MESSAGE_MAX];
  guint8 signature[crypto_sign_BYTES];
  g_autoptr (GBytes) frontier = NULL;
  sqlite3_stmt *stmt;
  gsize message_len = 0;
  guint64 size;
  gboolean due;
  int rc;

  g_return_val_if_fail (audit != NULL, FALSE);
  g_return_val_if_fail (sqlite3_get_autocommit (audit->db) == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!state_refresh (audit, error))
    return FALSE;

  size = audit->frontier.size;
  if (size == audit->checkpoint_size)
    return TRUE;
  /* The clock for checkpoint_seconds starts at the first call when the
   * log has never been checkpointed. */
  if (audit->checkpoint_time == 0)
    audit->checkpoint_time = now_usec;
  due = force ||
        size - audit->checkpoint_size >= audit->checkpoint_every ||
        now_usec - audit->checkpoint_time >= (gint64) audit->checkpoint_seconds * G_USEC_PER_SEC;
  if (!due)
    return TRUE;

  mz_merkle_frontier_root (&audit->frontier, root);
  mz_audit_checkpoint_message (audit->algo, size, now_usec, root, message, &message_len);
  crypto_sign_detached (signature, NULL, message, message_len, audit->secret_key);
  frontier = mz_merkle_frontier_serialize (&audit->frontier);

  stmt = audit->insert_checkpoint;
  sqlite3_bind_int64 (stmt, 1, (gint64) size);
  sqlite3_bind_blob (stmt, 2, root, (int) audit->algo->digest_size, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, now_usec);
  sqlite3_bind_blob (stmt, 4, signature, sizeof signature, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, audit->key_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 6, g_bytes_get_data (frontier, NULL),
                     (int) g_bytes_get_size (frontier), SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      audit->stale = TRUE;
      return mz_audit_set_storage_error (error, audit->db, "写入检查点");
    }
  audit->checkpoint_size = size;
  audit->checkpoint_time = now_usec;
  audit->checkpoint_id = sqlite3_last_insert_rowid (audit->db);
  return TRUE;
}
