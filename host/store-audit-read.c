/* minzheng host — reading the audit log back (SQLite): see
 * store-audit-read.h.  Everything here runs on read-only connections; the
 * tables are made and appended to by the write side of the log.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "audit.h"
#include "store-audit-read.h"
#include "store-audit-sqlite.h"
#include "store-sqlite.h"

/* seq, the entry's columns in canonical order, then its hashes. */
#define ENTRY_COLUMNS "seq, " MZ_AUDIT_ENTRY_COLUMNS ", leaf_hash"
#define COL_LEAF (1 + MZ_AUDIT_ENTRY_COLUMN_COUNT)
#define COL_CHAIN (COL_LEAF + 1)
#define ENTRY_SQL "SELECT " ENTRY_COLUMNS " FROM audit_entries"
#define ENTRY_CHAIN_SQL "SELECT " ENTRY_COLUMNS ", chain_hash FROM audit_entries"
#define CHECKPOINT_SQL "SELECT id, tree_size, root_hash, time_usec, signature, key_id FROM audit_checkpoints"

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql,
         const char *what,
         GError    **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      mz_store_audit_storage_error (error, db, what);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* sqlite3_column_blob returns the stored bytes without the copy that
 * sqlite3_column_text may make to add a terminating NUL; it is NULL for
 * SQL NULL and for an empty value, which the column's type tells apart. */
static inline void
text_at (MzStoreAuditText *t,
         sqlite3_stmt     *stmt,
         int               col,
         gboolean          terminated)
{
  t->data = terminated ? (const char *) sqlite3_column_text (stmt, col)
                       : (const char *) sqlite3_column_blob (stmt, col);
  if (t->data == NULL && sqlite3_column_type (stmt, col) != SQLITE_NULL)
    t->data = "";
  t->len = (gsize) sqlite3_column_bytes (stmt, col);
}

/* Inlined into the scans: it runs once per entry. */
static inline void
row_fill (MzStoreAuditRow *row,
          sqlite3_stmt    *stmt,
          gboolean         terminated,
          gboolean         chain)
{
  row->seq = sqlite3_column_int64 (stmt, 0);
  row->time_usec = sqlite3_column_int64 (stmt, 1);
  text_at (&row->office, stmt, 2, terminated);
  text_at (&row->plugin, stmt, 3, terminated);
  text_at (&row->plugin_version, stmt, 4, terminated);
  text_at (&row->actor_user, stmt, 5, terminated);
  text_at (&row->actor_role, stmt, 6, terminated);
  text_at (&row->actor_session, stmt, 7, terminated);
  text_at (&row->actor_address, stmt, 8, terminated);
  text_at (&row->action, stmt, 9, terminated);
  text_at (&row->object_kind, stmt, 10, terminated);
  row->object_id = sqlite3_column_int64 (stmt, 11);
  text_at (&row->outcome, stmt, 12, terminated);
  text_at (&row->reason, stmt, 13, terminated);
  text_at (&row->correlation_id, stmt, 14, terminated);
  text_at (&row->changes, stmt, 15, terminated);
  row->leaf_hash = sqlite3_column_blob (stmt, COL_LEAF);
  row->leaf_hash_len = (gsize) sqlite3_column_bytes (stmt, COL_LEAF);
  if (chain)
    {
      row->chain_hash = sqlite3_column_blob (stmt, COL_CHAIN);
      row->chain_hash_len = (gsize) sqlite3_column_bytes (stmt, COL_CHAIN);
    }
}

/* Steps @stmt to its end or until @func stops, handing each row over,
 * and finalizes it. */
static gboolean
each_row (sqlite3_stmt        *stmt,
          gboolean             terminated,
          gboolean             chain,
          MzStoreAuditRowFunc  func,
          gpointer             data,
          const char          *what,
          GError             **error)
{
  MzStoreAuditRow row = { 0 };
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row_fill (&row, stmt, terminated, chain);
      if (!func (&row, data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  if (rc != SQLITE_DONE)
    mz_store_audit_storage_error (error, sqlite3_db_handle (stmt), what);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

MzStoreReader *
mz_store_audit_reader_open (const char *path,
                            GError    **error)
{
  sqlite3 *db = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN,
                   "无法打开数据库 %s：%s [store.open]", path, sqlite3_errmsg (db));
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  return mz_store_reader_adopt (db);
}

gboolean
mz_store_audit_read_begin (MzStoreReader *reader)
{
  sqlite3 *db = mz_store_reader_db (reader);

  return sqlite3_get_autocommit (db) != 0 &&
         sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

gboolean
mz_store_audit_exists (MzStoreReader *reader)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (mz_store_reader_db (reader),
                          "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_meta'",
                          -1, &stmt, NULL) == SQLITE_OK)
    found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

gboolean
mz_store_audit_meta (MzStoreReader *reader,
                     char         **out_hash,
                     GBytes       **out_public_key,
                     GError       **error)
{
  return mz_store_audit_db_meta (mz_store_reader_db (reader), out_hash, out_public_key, error);
}

static gboolean
select_int (sqlite3    *db,
            const char *sql,
            gint64     *out,
            GError    **error)
{
  sqlite3_stmt *stmt = prepare (db, sql, "读取审计记录", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = sqlite3_column_int64 (stmt, 0);
  else
    mz_store_audit_storage_error (error, db, "读取审计记录");
  sqlite3_finalize (stmt);
  return rc == SQLITE_ROW;
}

gboolean
mz_store_audit_extent (MzStoreReader *reader,
                       gint64        *out_max_seq,
                       gint64        *out_below_one,
                       GError       **error)
{
  sqlite3 *db = mz_store_reader_db (reader);

  if (out_max_seq != NULL &&
      !select_int (db, "SELECT coalesce (max (seq), 0) FROM audit_entries", out_max_seq, error))
    return FALSE;
  if (out_below_one != NULL &&
      !select_int (db, "SELECT count (*) FROM audit_entries WHERE seq < 1", out_below_one, error))
    return FALSE;
  return TRUE;
}

static gboolean
each_checkpoint (MzStoreReader              *reader,
                 const char                 *sql,
                 MzStoreAuditCheckpointFunc  func,
                 gpointer                    data,
                 GError                    **error)
{
  sqlite3 *db = mz_store_reader_db (reader);
  sqlite3_stmt *stmt = prepare (db, sql, "读取检查点", error);
  MzStoreAuditCheckpointRow row;
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      mz_store_audit_checkpoint_from_row (&row, stmt);
      if (!func (&row, data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  if (rc != SQLITE_DONE)
    mz_store_audit_storage_error (error, db, "读取检查点");
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

gboolean
mz_store_audit_checkpoints (MzStoreReader              *reader,
                            MzStoreAuditCheckpointFunc  func,
                            gpointer                    data,
                            GError                    **error)
{
  return each_checkpoint (reader, CHECKPOINT_SQL " ORDER BY id", func, data, error);
}

gboolean
mz_store_audit_checkpoint_latest (MzStoreReader              *reader,
                                  MzStoreAuditCheckpointFunc  func,
                                  gpointer                    data,
                                  GError                    **error)
{
  return each_checkpoint (reader, CHECKPOINT_SQL " ORDER BY id DESC LIMIT 1", func, data, error);
}

gboolean
mz_store_audit_entries (MzStoreReader       *reader,
                        MzStoreAuditRowFunc  func,
                        gpointer             data,
                        GError             **error)
{
  sqlite3_stmt *stmt = prepare (mz_store_reader_db (reader), ENTRY_CHAIN_SQL " ORDER BY seq",
                                "读取审计记录", error);

  return stmt != NULL && each_row (stmt, FALSE, TRUE, func, data, "读取审计记录", error);
}

gboolean
mz_store_audit_entry (MzStoreReader       *reader,
                      gint64               seq,
                      MzStoreAuditRowFunc  func,
                      gpointer             data,
                      GError             **error)
{
  sqlite3_stmt *stmt = prepare (mz_store_reader_db (reader), ENTRY_CHAIN_SQL " WHERE seq = ?",
                                "读取审计记录", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  return each_row (stmt, TRUE, TRUE, func, data, "读取审计记录", error);
}

gboolean
mz_store_audit_entries_in_period (MzStoreReader       *reader,
                                  gint64               from_usec,
                                  gint64               to_usec,
                                  MzStoreAuditRowFunc  func,
                                  gpointer             data,
                                  GError             **error)
{
  sqlite3_stmt *stmt = prepare (mz_store_reader_db (reader),
                                ENTRY_SQL " WHERE time_usec >= ? AND time_usec < ? ORDER BY seq",
                                "导出", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, from_usec);
  sqlite3_bind_int64 (stmt, 2, to_usec);
  return each_row (stmt, TRUE, FALSE, func, data, "导出", error);
}

gboolean
mz_store_audit_hashes (MzStoreReader       *reader,
                       gint64               first,
                       gint64               last,
                       MzStoreAuditRowFunc  func,
                       gpointer             data,
                       GError             **error)
{
  sqlite3 *db = mz_store_reader_db (reader);
  sqlite3_stmt *stmt = prepare (db, "SELECT seq, leaf_hash, chain_hash FROM audit_entries"
                                    " WHERE seq BETWEEN ? AND ? ORDER BY seq", "读取叶哈希", error);
  MzStoreAuditRow row = { 0 };
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, last);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row.seq = sqlite3_column_int64 (stmt, 0);
      row.leaf_hash = sqlite3_column_blob (stmt, 1);
      row.leaf_hash_len = (gsize) sqlite3_column_bytes (stmt, 1);
      row.chain_hash = sqlite3_column_blob (stmt, 2);
      row.chain_hash_len = (gsize) sqlite3_column_bytes (stmt, 2);
      if (!func (&row, data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  if (rc != SQLITE_DONE)
    mz_store_audit_storage_error (error, db, "读取叶哈希");
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

struct _MzStoreAuditScan
{
  sqlite3 *own_db;       /* the separate connection, or NULL */
  sqlite3_stmt *stmt;    /* the range query, prepared once */
};

#define RANGE_SQL ENTRY_SQL " WHERE seq BETWEEN ? AND ? ORDER BY seq"

MzStoreAuditScan *
mz_store_audit_scan_open (MzStoreReader *reader,
                          gboolean       separate)
{
  sqlite3 *db = mz_store_reader_db (reader);
  MzStoreAuditScan *scan = g_new0 (MzStoreAuditScan, 1);

  if (separate)
    {
      const char *file = sqlite3_db_filename (db, "main");

      if (file == NULL || *file == '\0' ||
          sqlite3_open_v2 (file, &scan->own_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                           NULL) != SQLITE_OK)
        {
          mz_store_audit_scan_close (scan);
          return NULL;
        }
      sqlite3_busy_timeout (scan->own_db, 5000);
      db = scan->own_db;
    }
  if (sqlite3_prepare_v2 (db, RANGE_SQL, -1, &scan->stmt, NULL) != SQLITE_OK)
    {
      mz_store_audit_scan_close (scan);
      return NULL;
    }
  return scan;
}

gboolean
mz_store_audit_scan_range (MzStoreAuditScan    *scan,
                           gint64               first,
                           gint64               last,
                           MzStoreAuditRowFunc  func,
                           gpointer             data,
                           GError             **error)
{
  MzStoreAuditRow row = { 0 };
  sqlite3_stmt *stmt = scan->stmt;
  int rc;

  sqlite3_reset (stmt);
  sqlite3_bind_int64 (stmt, 1, first);
  sqlite3_bind_int64 (stmt, 2, last);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      row_fill (&row, stmt, FALSE, FALSE);
      if (!func (&row, data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  if (rc != SQLITE_DONE)
    mz_store_audit_storage_error (error, sqlite3_db_handle (stmt), "读取审计记录");
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE;
}

void
mz_store_audit_scan_close (MzStoreAuditScan *scan)
{
  if (scan == NULL)
    return;
  sqlite3_finalize (scan->stmt);
  sqlite3_close (scan->own_db);
  g_free (scan);
}

char *
mz_store_audit_salt (MzStoreReader *reader)
{
  sqlite3_stmt *stmt = NULL;
  char *salt = NULL;

  if (sqlite3_prepare_v2 (mz_store_reader_db (reader),
                          "SELECT value FROM mz_meta WHERE key = 'audit_salt'", -1, &stmt,
                          NULL) == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    salt = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return salt;
}

gboolean
mz_store_audit_kinds (MzStoreReader        *reader,
                      MzStoreAuditKindFunc  func,
                      gpointer              data,
                      GError              **error)
{
  sqlite3 *db = mz_store_reader_db (reader);
  sqlite3_stmt *stmt = prepare (db, "SELECT plugin, kind, definition FROM mz_schema ORDER BY plugin, kind",
                                "读取记录类型", error);

  if (stmt == NULL)
    return FALSE;
  /* As the records check always did, a failure to step on ends the list
   * rather than being an error. */
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (!func ((const char *) sqlite3_column_text (stmt, 0),
               (const char *) sqlite3_column_text (stmt, 1),
               (const char *) sqlite3_column_text (stmt, 2), data))
      break;
  sqlite3_finalize (stmt);
  return TRUE;
}

struct _MzStoreAuditRecords
{
  sqlite3_stmt *stmt;
  guint n_columns;
  MzStoreAuditRecordRow row;
  MzStoreAuditValue values[];
};

MzStoreAuditRecords *
mz_store_audit_records_open (MzStoreReader     *reader,
                             const char        *plugin,
                             const char        *kind,
                             const char *const *columns,
                             guint              n_columns,
                             GError           **error)
{
  sqlite3 *db = mz_store_reader_db (reader);
  g_autoptr (GString) select = g_string_new ("SELECT id, state, version, created_at, updated_at");
  MzStoreAuditRecords *records;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < n_columns; i++)
    g_string_append_printf (select, ", \"%s\"", columns[i]);
  g_string_append_printf (select, " FROM \"%s_%s\" ORDER BY id", plugin, kind);
  stmt = prepare (db, select->str, "读取记录", error);
  if (stmt == NULL)
    return NULL;
  records = g_malloc0 (sizeof *records + n_columns * sizeof (MzStoreAuditValue));
  records->stmt = stmt;
  records->n_columns = n_columns;
  records->row.values = records->values;
  return records;
}

const MzStoreAuditRecordRow *
mz_store_audit_records_next (MzStoreAuditRecords *records)
{
  sqlite3_stmt *stmt = records->stmt;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  records->row.id = sqlite3_column_int64 (stmt, 0);
  records->row.state = (const char *) sqlite3_column_text (stmt, 1);
  records->row.version = sqlite3_column_int64 (stmt, 2);
  for (guint i = 0; i < records->n_columns; i++)
    {
      /* Columns 0–4: id, state, version, created_at, updated_at.  The
       * type is read first: after a conversion it would be undefined. */
      MzStoreAuditValue *v = &records->values[i];
      int col = 5 + (int) i;
      int type = sqlite3_column_type (stmt, col);

      v->text = NULL;
      v->integer = 0;
      if (type == SQLITE_NULL)
        {
          v->type = MZ_STORE_AUDIT_VALUE_NULL;
          continue;
        }
      v->type = type == SQLITE_INTEGER ? MZ_STORE_AUDIT_VALUE_INTEGER : MZ_STORE_AUDIT_VALUE_OTHER;
      v->integer = sqlite3_column_int64 (stmt, col);
      if (type != SQLITE_INTEGER)
        v->text = (const char *) sqlite3_column_text (stmt, col);
    }
  return &records->row;
}

void
mz_store_audit_records_close (MzStoreAuditRecords *records)
{
  if (records == NULL)
    return;
  sqlite3_finalize (records->stmt);
  g_free (records);
}

struct _MzStoreAuditChanges
{
  sqlite3_stmt *stmt;
  char *object_kind;     /* bound to the statement */
};

MzStoreAuditChanges *
mz_store_audit_changes_open (MzStoreReader *reader,
                             const char    *object_kind,
                             GError       **error)
{
  MzStoreAuditChanges *changes;
  sqlite3_stmt *stmt =
    prepare (mz_store_reader_db (reader),
             "SELECT object_id, changes FROM audit_entries"
             " WHERE object_kind = ?1 AND outcome = 'ok' AND object_id > 0"
             " AND (substr (action, 1, length (?1) + 1) = ?1 || '.'"
             "      OR substr (action, 1, length (?1) + 8) = 'import.' || ?1 || '.')"
             " ORDER BY object_id, seq", "读取记录", error);

  if (stmt == NULL)
    return NULL;
  changes = g_new0 (MzStoreAuditChanges, 1);
  changes->stmt = stmt;
  changes->object_kind = g_strdup (object_kind);
  sqlite3_bind_text (stmt, 1, changes->object_kind, -1, SQLITE_STATIC);
  return changes;
}

gboolean
mz_store_audit_changes_next (MzStoreAuditChanges *changes,
                             gint64              *out_object_id,
                             const char         **out_changes)
{
  if (sqlite3_step (changes->stmt) != SQLITE_ROW)
    return FALSE;
  *out_object_id = sqlite3_column_int64 (changes->stmt, 0);
  *out_changes = (const char *) sqlite3_column_text (changes->stmt, 1);
  return TRUE;
}

void
mz_store_audit_changes_close (MzStoreAuditChanges *changes)
{
  if (changes == NULL)
    return;
  sqlite3_finalize (changes->stmt);
  g_free (changes->object_kind);
  g_free (changes);
}
