/* minzheng host — the audit log's appending side in the office database
 * (SQLite): see store-audit.h.  The log lives in three tables:
 * audit_entries (one row per entry, with its leaf hash and a running hash
 * chain), audit_checkpoints (signed tree heads, each with the Merkle
 * frontier it was signed over) and audit_meta (format, hash algorithm,
 * public key).  Triggers refuse every UPDATE and DELETE on them.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "store-audit.h"
#include "store-audit-sqlite.h"
#include "store-sqlite.h"

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

gboolean
mz_store_audit_storage_error (GError    **error,
                              sqlite3    *db,
                              const char *what)
{
  g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_STORAGE,
               "审计日志%s失败：%s [audit.storage]", what, sqlite3_errmsg (db));
  return FALSE;
}

/* --- schema and meta --------------------------------------------------------------------- */

static gboolean
exec_sql (sqlite3    *db,
          const char *sql,
          const char *what,
          GError    **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return mz_store_audit_storage_error (error, db, what);
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
    return mz_store_audit_storage_error (error, db, "建表");
  sqlite3_bind_text (stmt, 1, hash_name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_audit_storage_error (error, db, "建表");
  return TRUE;
}

gboolean
mz_store_audit_create (MzStoreTxn  *txn,
                       const char  *hash_name,
                       GError     **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
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

void
mz_store_audit_checkpoint_from_row (MzStoreAuditCheckpointRow *row,
                                    sqlite3_stmt              *stmt)
{
  row->id = sqlite3_column_int64 (stmt, 0);
  row->tree_size = sqlite3_column_int64 (stmt, 1);
  row->root_hash = sqlite3_column_blob (stmt, 2);
  row->root_hash_len = (gsize) sqlite3_column_bytes (stmt, 2);
  row->time_usec = sqlite3_column_int64 (stmt, 3);
  row->signature = sqlite3_column_blob (stmt, 4);
  row->signature_len = (gsize) sqlite3_column_bytes (stmt, 4);
  row->key_id = (const char *) sqlite3_column_text (stmt, 5);
}

gboolean
mz_store_audit_db_meta (sqlite3     *db,
                        char       **out_hash,
                        GBytes     **out_public_key,
                        GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *out_hash = NULL;
  *out_public_key = NULL;
  if (sqlite3_prepare_v2 (db, "SELECT name, value FROM audit_meta WHERE name IN ('hash', 'public_key')",
                          -1, &stmt, NULL) != SQLITE_OK)
    return mz_store_audit_storage_error (error, db, "读取元数据");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (name, "hash") == 0)
        {
          g_free (*out_hash);
          *out_hash = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      else
        {
          g_clear_pointer (out_public_key, g_bytes_unref);
          *out_public_key = g_bytes_new (sqlite3_column_blob (stmt, 1),
                                         (gsize) sqlite3_column_bytes (stmt, 1));
        }
    }
  if (rc != SQLITE_DONE)
    {
      mz_store_audit_storage_error (error, db, "读取元数据");
      g_clear_pointer (out_hash, g_free);
      g_clear_pointer (out_public_key, g_bytes_unref);
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

gboolean
mz_store_audit_txn_meta (MzStoreTxn  *txn,
                         char       **out_hash,
                         GBytes     **out_public_key,
                         GError     **error)
{
  return mz_store_audit_db_meta (mz_store_txn_db (txn), out_hash, out_public_key, error);
}

static gboolean
insert_public_key (sqlite3     *db,
                   GBytes      *public_key,
                   const char  *key_id,
                   GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  gsize len = 0;
  const guint8 *bytes = g_bytes_get_data (public_key, &len);
  int rc;

  if (sqlite3_prepare_v2 (db, "INSERT INTO audit_meta (name, value) VALUES ('public_key', ?), ('key_id', ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return mz_store_audit_storage_error (error, db, "保存公钥");
  sqlite3_bind_blob (stmt, 1, bytes, (int) len, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, key_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_audit_storage_error (error, db, "保存公钥");
  return TRUE;
}

gboolean
mz_store_audit_key_store (MzStoreTxn  *txn,
                          GBytes      *public_key,
                          const char  *key_id,
                          GError     **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
  gboolean own_txn = sqlite3_get_autocommit (db) != 0;

  if (own_txn && !exec_sql (db, "BEGIN IMMEDIATE", "保存公钥", error))
    return FALSE;
  if (!insert_public_key (db, public_key, key_id, error) ||
      (own_txn && !exec_sql (db, "COMMIT", "保存公钥", error)))
    {
      if (own_txn)
        sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
mz_store_audit_in_transaction (MzStoreTxn *txn)
{
  return mz_store_txn_open (txn);
}

/* --- the log's end, read back on the writer ---------------------------------------------- */

gboolean
mz_store_audit_txn_checkpoint_latest (MzStoreTxn            *txn,
                                      MzStoreAuditHeadFunc   func,
                                      gpointer               data,
                                      GError               **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT id, tree_size, root_hash, time_usec, signature, key_id, frontier"
                              " FROM audit_checkpoints ORDER BY id DESC LIMIT 1", -1, &stmt, NULL) != SQLITE_OK)
    return mz_store_audit_storage_error (error, db, "读取检查点");
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      MzStoreAuditCheckpointRow row;

      mz_store_audit_checkpoint_from_row (&row, stmt);
      func (&row, sqlite3_column_blob (stmt, 6), (gsize) sqlite3_column_bytes (stmt, 6), data);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return mz_store_audit_storage_error (error, db, "读取检查点");
  return TRUE;
}

/* sqlite3_column_blob returns the stored bytes without the copy that
 * sqlite3_column_text may make to add a terminating NUL; it is NULL for
 * SQL NULL and for an empty value, which the column's type tells apart. */
static inline void
text_at (MzStoreAuditText *t,
         sqlite3_stmt     *stmt,
         int               col)
{
  t->data = sqlite3_column_blob (stmt, col);
  if (t->data == NULL && sqlite3_column_type (stmt, col) != SQLITE_NULL)
    t->data = "";
  t->len = (gsize) sqlite3_column_bytes (stmt, col);
}

gboolean
mz_store_audit_txn_entries_from (MzStoreTxn           *txn,
                                 gint64                first_seq,
                                 MzStoreAuditRowFunc   func,
                                 gpointer              data,
                                 GError              **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
  MzStoreAuditRow row = { 0 };
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT seq, " MZ_AUDIT_ENTRY_COLUMNS ", leaf_hash, chain_hash"
                              " FROM audit_entries WHERE seq >= ? ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK)
    return mz_store_audit_storage_error (error, db, "读取审计记录");
  sqlite3_bind_int64 (stmt, 1, first_seq);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row.seq = sqlite3_column_int64 (stmt, 0);
      row.time_usec = sqlite3_column_int64 (stmt, 1);
      text_at (&row.office, stmt, 2);
      text_at (&row.plugin, stmt, 3);
      text_at (&row.plugin_version, stmt, 4);
      text_at (&row.actor_user, stmt, 5);
      text_at (&row.actor_role, stmt, 6);
      text_at (&row.actor_session, stmt, 7);
      text_at (&row.actor_address, stmt, 8);
      text_at (&row.action, stmt, 9);
      text_at (&row.object_kind, stmt, 10);
      row.object_id = sqlite3_column_int64 (stmt, 11);
      text_at (&row.outcome, stmt, 12);
      text_at (&row.reason, stmt, 13);
      text_at (&row.correlation_id, stmt, 14);
      text_at (&row.changes, stmt, 15);
      row.leaf_hash = sqlite3_column_blob (stmt, 1 + MZ_AUDIT_ENTRY_COLUMN_COUNT);
      row.leaf_hash_len = (gsize) sqlite3_column_bytes (stmt, 1 + MZ_AUDIT_ENTRY_COLUMN_COUNT);
      row.chain_hash = sqlite3_column_blob (stmt, 2 + MZ_AUDIT_ENTRY_COLUMN_COUNT);
      row.chain_hash_len = (gsize) sqlite3_column_bytes (stmt, 2 + MZ_AUDIT_ENTRY_COLUMN_COUNT);
      if (!func (&row, data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_audit_storage_error (error, db, "读取审计记录");
  return TRUE;
}

/* --- the statements of every append and commit ------------------------------------------- */

struct _MzStoreAuditWriter
{
  sqlite3 *db;
  sqlite3_stmt *insert_entry;
  sqlite3_stmt *insert_checkpoint;
  sqlite3_stmt *tail;
  sqlite3_stmt *data_version;
};

MzStoreAuditWriter *
mz_store_audit_writer_new (MzStoreTxn *txn,
                           GError    **error)
{
  g_autoptr (MzStoreAuditWriter) writer = g_new0 (MzStoreAuditWriter, 1);
  sqlite3 *db = mz_store_txn_db (txn);

  writer->db = db;
  /* The data version comes from its own `PRAGMA data_version` statement:
   * read through the pragma_data_version table instead, SQLite compiled
   * that pragma again at every step, which was a third of the tail's
   * cost, paid at every append and every commit. */
  if (sqlite3_prepare_v3 (db, "INSERT INTO audit_entries (seq, " MZ_AUDIT_ENTRY_COLUMNS ", leaf_hash, chain_hash)"
                              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, SQLITE_PREPARE_PERSISTENT, &writer->insert_entry, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (db, "INSERT INTO audit_checkpoints (tree_size, root_hash, time_usec, signature, key_id, frontier)"
                              " VALUES (?, ?, ?, ?, ?, ?)",
                          -1, SQLITE_PREPARE_PERSISTENT, &writer->insert_checkpoint, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (db, "PRAGMA data_version", -1, SQLITE_PREPARE_PERSISTENT,
                          &writer->data_version, NULL) != SQLITE_OK ||
      sqlite3_prepare_v3 (db, "SELECT (SELECT coalesce (max (seq), 0) FROM audit_entries),"
                              " (SELECT chain_hash FROM audit_entries ORDER BY seq DESC LIMIT 1),"
                              " (SELECT coalesce (max (id), 0) FROM audit_checkpoints)",
                          -1, SQLITE_PREPARE_PERSISTENT, &writer->tail, NULL) != SQLITE_OK)
    {
      mz_store_audit_storage_error (error, db, "准备语句");
      return NULL;
    }
  return g_steal_pointer (&writer);
}

void
mz_store_audit_writer_free (MzStoreAuditWriter *writer)
{
  if (writer == NULL)
    return;
  sqlite3_finalize (writer->insert_entry);
  sqlite3_finalize (writer->insert_checkpoint);
  sqlite3_finalize (writer->tail);
  sqlite3_finalize (writer->data_version);
  g_free (writer);
}

gboolean
mz_store_audit_tail (MzStoreAuditWriter *writer,
                     MzStoreAuditTail   *tail,
                     GError            **error)
{
  sqlite3_stmt *stmt = writer->tail;
  gsize chain_len;

  sqlite3_reset (writer->data_version);
  if (sqlite3_step (writer->data_version) != SQLITE_ROW)
    {
      sqlite3_reset (writer->data_version);
      return mz_store_audit_storage_error (error, writer->db, "读取状态");
    }
  tail->data_version = sqlite3_column_int64 (writer->data_version, 0);
  sqlite3_reset (writer->data_version);

  sqlite3_reset (stmt);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return mz_store_audit_storage_error (error, writer->db, "读取状态");
    }
  tail->last_seq = sqlite3_column_int64 (stmt, 0);
  tail->checkpoint_id = sqlite3_column_int64 (stmt, 2);
  chain_len = (gsize) sqlite3_column_bytes (stmt, 1);
  tail->last_chain_len = chain_len;
  if (chain_len > 0)
    memcpy (tail->last_chain, sqlite3_column_blob (stmt, 1), MIN (chain_len, sizeof tail->last_chain));
  sqlite3_reset (stmt);
  return TRUE;
}

static inline void
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
mz_store_audit_insert_entry (MzStoreAuditWriter *writer,
                             gint64              seq,
                             const MzAuditEntry *entry,
                             const guint8       *leaf_hash,
                             const guint8       *chain_hash,
                             gsize               hash_size,
                             GError            **error)
{
  sqlite3_stmt *stmt = writer->insert_entry;
  int rc;

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
  sqlite3_bind_blob (stmt, 17, leaf_hash, (int) hash_size, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 18, chain_hash, (int) hash_size, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_audit_storage_error (error, writer->db, "写入");
  return TRUE;
}

gboolean
mz_store_audit_insert_checkpoint (MzStoreAuditWriter              *writer,
                                  const MzStoreAuditCheckpointRow *head,
                                  const guint8                    *frontier,
                                  gsize                            frontier_len,
                                  gint64                          *out_id,
                                  GError                         **error)
{
  sqlite3_stmt *stmt = writer->insert_checkpoint;
  int rc;

  sqlite3_bind_int64 (stmt, 1, head->tree_size);
  sqlite3_bind_blob (stmt, 2, head->root_hash, (int) head->root_hash_len, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, head->time_usec);
  sqlite3_bind_blob (stmt, 4, head->signature, (int) head->signature_len, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, head->key_id, -1, SQLITE_STATIC);
  sqlite3_bind_blob (stmt, 6, frontier, (int) frontier_len, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_audit_storage_error (error, writer->db, "写入检查点");
  if (out_id != NULL)
    *out_id = sqlite3_last_insert_rowid (writer->db);
  return TRUE;
}
