/* minzheng host — what the SQLite backend's own files share (store.c,
 * store-records.c and the other store*.c files); no other host file
 * includes this (tests and benchmarks that tamper with the file may), so SQL and sqlite3 stay behind the store's interface.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#ifdef MZ_OUTSIDE_STORE_BACKEND
#error "store-sqlite.h belongs to the SQLite backend (host/store*.c); use the store's interface headers"
#endif

#include <sqlite3.h>

#include "store.h"

G_BEGIN_DECLS

/* The connection behind a unit of work's transaction (the writer). */
sqlite3 *mz_store_txn_db (MzStoreTxn *txn);
/* Whether @txn's write transaction is still the one that was begun: not
 * rolled back by SQLite itself (which may then have begun another, a
 * SAVEPOINT outside a transaction does) and not ended. */
gboolean mz_store_txn_open (MzStoreTxn *txn);

/* A transaction handle on @db, a writing connection the caller keeps
 * (and begins and commits transactions on) without a store: tests and
 * tools.  mz_store_txn_free frees the handle only. */
MzStoreTxn *mz_store_txn_wrap (sqlite3 *db);
void mz_store_txn_free (MzStoreTxn *txn);

/* Writer thread only: a savepoint is being rolled back (see
 * mz_store_txn_generation). */
void mz_store_note_rollback (MzStore *store);

/* The connection behind a read-only handle. */
sqlite3 *mz_store_reader_db (MzStoreReader *reader);

/* Takes ownership of @db, an open read-only connection the caller set up
 * (e.g. with an authorizer), as a handle for mz_store_reader_close. */
MzStoreReader *mz_store_reader_adopt (sqlite3 *db);

/* Writer thread only: a prepared statement cached for the writer
 * connection, reset and unbound, owned by the store. */
sqlite3_stmt *mz_store_prepare (MzStore *store, const char *sql, GError **error);

/* Writer thread only: SQL text the caller built and keeps under @key
 * for the store's lifetime (NULL when none yet); mz_store_sql_keep takes
 * @sql and returns the kept text.  Its address never changes, so it finds
 * its prepared statement without the whole text being hashed again. */
const char *mz_store_sql_lookup (MzStore *store, const char *key);
const char *mz_store_sql_keep (MzStore *store, const char *key, char *sql);

/* Writer thread only: runs one statement without parameters (SAVEPOINT,
 * RELEASE …), prepared once and cached. */
gboolean mz_store_step (MzStore *store, const char *sql, GError **error);

/* Writer thread only: runs @sql, one or more statements (DDL), no
 * parameters, no rows. */
gboolean mz_store_exec (MzStore *store, const char *sql, GError **error);

/* Sets @error from the connection's last failure, classifying full disk
 * and I/O errors into MZ_STORE_ERROR (which fail the batch); other
 * failures use @domain/@code.  @what says what was being done.  Returns FALSE. */
gboolean mz_store_set_error (sqlite3 *db, int rc, const char *what, GError **error);

/* The name of the VFS that gathers the writer's WAL writes until each
 * sync (store-vfs.c); NULL if SQLite's default VFS cannot be wrapped.
 * Only for a connection whose every commit syncs the log (FULL, EXTRA). */
const char *mz_store_vfs_wal_gather (void);

/* With @defer, a sync of @wal (the writer's log, from
 * SQLITE_FCNTL_JOURNAL_POINTER) hands what is gathered to the kernel and
 * returns without fsync: the caller fsyncs the file before it tells anyone
 * the commit is durable, and must not let a checkpoint run meanwhile.
 * FALSE if @wal is not a file of the gathering VFS. */
gboolean mz_store_vfs_defer_sync (sqlite3_file *wal, gboolean defer);

/* The first failed write-out of gathered bytes since the last call (and
 * clears it), or SQLITE_OK: the transaction that wrote them must fail. */
int mz_store_vfs_take_failure (sqlite3_file *wal);

/* How many syncs of @wal reached the unix VFS (deferred ones do not). */
guint64 mz_store_vfs_real_syncs (sqlite3_file *wal);

/* Tests only: the next real sync of a gathered log returns @rc (e.g.
 * SQLITE_IOERR_FSYNC) without syncing. */
void mz_store_vfs_inject_sync_failure (int rc);

/* Tests only: what the sync thread calls instead of fdatasync (NULL:
 * fdatasync again), to make an fsync fail on demand. */
void mz_store_set_sync_func (int (*func) (int fd));

/* What the store keeps per kind (store-schema.c builds it):
 * @select_sql: "SELECT id, state, version, created_at, updated_at,
 *   <fields…> FROM <table>"; column MZ_KIND_FIRST_FIELD_COLUMN + i is field i
 * @select_id_sql: @select_sql " WHERE id = ?"
 * @insert_sql: INSERT of state, version 1, created_at, updated_at and every field
 * @update_sql: UPDATE of state, version + 1, updated_at and every field
 *   WHERE id = ? AND version = ? */
struct _MzStoreKind
{
  char *select_sql;
  char *select_id_sql;
  char *insert_sql;
  char *update_sql;
};

#define MZ_KIND_FIRST_FIELD_COLUMN 5

G_END_DECLS
