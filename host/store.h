/* minzheng host — the store: one database per office, one writer thread
 * that owns the only writing connection and group-commits whatever callers
 * queued, and read-only connections for everything else.  This header,
 * store-records.h, store-schema.h, store-audit.h, store-audit-read.h and
 * store-report.h are the store's interface, free of any SQLite type; the SQLite backend implements them in store*.c
 * (docs/storage.md, "The store's interface").
 *
 * The store knows nothing of kinds or workflows: a caller hands it a unit
 * of work (a function run on the writer thread inside the batch's
 * transaction, within its own SAVEPOINT unless it may run again) and is
 * woken once the transaction that holds its work is durable, or has
 * failed.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MzStoreError:
 * @MZ_STORE_ERROR_OPEN: the database cannot be opened or set up (path, permissions, pragmas)
 * @MZ_STORE_ERROR_FULL: the disk (or the process's file-size limit) is full; nothing of the
 *   transaction was committed; retry once space is freed
 * @MZ_STORE_ERROR_IO: an I/O or other database failure; nothing of the transaction was committed
 * @MZ_STORE_ERROR_CLOSED: the store is shutting down and takes no more work
 * @MZ_STORE_ERROR_BUSY: another process held the database longer than busy_timeout
 * @MZ_STORE_ERROR_SQL: one statement failed (a constraint, a bad query); only the unit of
 *   work that ran it is undone
 * @MZ_STORE_ERROR_EXISTS: the file a backup was to create exists already; nothing was written
 *
 * Failures of the storage itself.  A unit of work that fails with one of
 * these codes other than SQL fails its whole batch: every caller in it
 * gets the error.
 */
typedef enum
{
  MZ_STORE_ERROR_OPEN,
  MZ_STORE_ERROR_FULL,
  MZ_STORE_ERROR_IO,
  MZ_STORE_ERROR_CLOSED,
  MZ_STORE_ERROR_BUSY,
  MZ_STORE_ERROR_SQL,
  MZ_STORE_ERROR_EXISTS,
} MzStoreError;

#define MZ_STORE_ERROR (mz_store_error_quark ())
GQuark mz_store_error_quark (void);

typedef struct _MzStore MzStore;

/* What a unit of work runs on: the writer inside the batch's transaction.
 * Only the backend's own files (store*.c, through store-sqlite.h) see
 * what is inside; everything else hands it on to them. */
typedef struct _MzStoreTxn MzStoreTxn;

/* A read-only connection, for one thread at a time. */
typedef struct _MzStoreReader MzStoreReader;

/**
 * MzStoreOptions:
 * @path: the database file (created on first use)
 * @synchronous: "FULL" (default when %NULL), "EXTRA" or "NORMAL"; "OFF" is refused
 * @busy_timeout_ms: how long to wait for another process's lock (0 = 5000)
 * @max_batch: most units of work in one transaction (0 = 256)
 */
typedef struct
{
  const char *path;
  const char *synchronous;
  guint busy_timeout_ms;
  guint max_batch;
} MzStoreOptions;

/* A unit of work, run on the writer thread inside the batch's transaction
 * and its own SAVEPOINT.  Returning FALSE with @error set undoes the unit's
 * writes only (rolls back its savepoint); an error in MZ_STORE_ERROR fails
 * the whole batch.  A unit queued with MZ_STORE_WRITE_RERUNNABLE may run
 * without a savepoint, and again from its start (see there). */
typedef gboolean (*MzStoreWorkFunc) (MzStore *store, MzStoreTxn *txn, gpointer data, GError **error);

/* Runs after @work refused and its writes were undone (its savepoint rolled
 * back, or it wrote nothing), in a savepoint of its own in the same
 * transaction: this is where the refusal is recorded (the audit entry of
 * a refused action).  Its own failure fails the batch. */
typedef gboolean (*MzStoreRefusedFunc) (MzStore *store, MzStoreTxn *txn, gpointer data,
                                        const GError *refusal, GError **error);

/**
 * MzStoreHooks:
 * @before_commit: runs once per batch, last thing before COMMIT (audit checkpoints);
 *   its failure rolls the batch back
 * @after_rollback: runs after a batch's transaction was rolled back, whether
 *   the batch then failed or starts over (so the audit log's in-memory
 *   state follows the database)
 * @data: passed to both
 */
typedef struct
{
  gboolean (*before_commit) (MzStore *store, MzStoreTxn *txn, gpointer data, GError **error);
  void (*after_rollback) (gpointer data);
  gpointer data;
} MzStoreHooks;

/* Inside a batch, a number that stays the same as long as nothing a unit
 * of work wrote in this transaction was undone (a new transaction or a
 * rollback to a savepoint changes it), so that state kept beside the
 * database (the audit log's tail) need be checked against it only when
 * the number changed.  0 when unknown: check every time. */
guint64 mz_store_txn_generation (MzStoreTxn *txn);

/* Opens (creating) the database, sets the pragmas and starts the writer. */
MzStore *mz_store_open (const MzStoreOptions *options, GError **error);
/* Stops the writer once the queued work is done, and closes everything. */
void mz_store_close (MzStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzStore, mz_store_close)

const char *mz_store_get_path (MzStore *store);
const char *mz_store_get_synchronous (MzStore *store);

void mz_store_set_hooks (MzStore *store, const MzStoreHooks *hooks);

/**
 * MzStoreWriteFlags:
 * @MZ_STORE_WRITE_NONE: the unit runs once, in a savepoint of its own
 * @MZ_STORE_WRITE_RERUNNABLE: the unit, and its refused func, may be run
 *   again from the start after the store rolled the whole transaction back:
 *   everything they change is rows of the database (INSERT, UPDATE,
 *   DELETE; no schema), and they set their outputs afresh each time they
 *   run (freeing what an earlier run left).  Such a unit shares the
 *   transaction without a savepoint, which makes it cheaper; a refusal
 *   before it wrote anything stands as it is, and one after it wrote
 *   makes the store roll the batch back and run it again with a savepoint
 *   per unit (store.c, run_batch).
 */
typedef enum
{
  MZ_STORE_WRITE_NONE = 0,
  MZ_STORE_WRITE_RERUNNABLE = 1 << 0,
} MzStoreWriteFlags;

/* Queues @work and waits until the transaction holding it committed
 * (TRUE: durable) or until it refused or the batch failed (FALSE).  When
 * @work refused, @refused (may be NULL) recorded the refusal durably
 * before this returns.  Thread-safe; must not be called from a work func. */
gboolean mz_store_write_full (MzStore *store, MzStoreWriteFlags flags, MzStoreWorkFunc work,
                              MzStoreRefusedFunc refused, gpointer data, GError **error);
/* mz_store_write_full() with MZ_STORE_WRITE_NONE. */
gboolean mz_store_write (MzStore *store, MzStoreWorkFunc work, MzStoreRefusedFunc refused,
                         gpointer data, GError **error);

/* Runs @work on the writer thread outside any transaction (setup that
 * manages its own transactions, e.g. mz_audit_open). */
gboolean mz_store_run_exclusive (MzStore *store, MzStoreWorkFunc work, gpointer data,
                                 GError **error);

gboolean mz_store_error_is_fatal (const GError *error);

/* Writer thread only: after code that wrote through the writer by other
 * means failed (the audit log), sets @error to a failure of the store
 * that fails the batch — classified from the writer's last failure, as
 * an I/O failure when it recorded none — with @what as the message.
 * Returns FALSE. */
gboolean mz_store_fail_batch (MzStore *store, const char *what, GError **error);

/* A new read-only connection to the store (WAL readers never block the
 * writer).  The caller owns it and closes it with mz_store_reader_close. */
MzStoreReader *mz_store_open_reader (MzStore *store, GError **error);
void mz_store_reader_close (MzStoreReader *reader);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzStoreReader, mz_store_reader_close)

/* A pooled read-only connection; give it back with mz_store_reader_release. */
MzStoreReader *mz_store_reader_acquire (MzStore *store, GError **error);
/* One read transaction on @reader: what is read through it until
 * mz_store_reader_end sees the same moment of the store. */
void mz_store_reader_begin (MzStoreReader *reader);
void mz_store_reader_end (MzStoreReader *reader);
void mz_store_reader_release (MzStore *store, MzStoreReader *reader);

/* Copies the live database to @dest with SQLite's online backup API
 * (consistent, while writers keep running).  @dest must not exist; it is
 * created readable by its owner only, as it holds every personal record. */
gboolean mz_store_backup (MzStore *store, const char *dest, GError **error);

/* Transactions committed or rolled back by the writer so far, and the
 * units of work they held (their ratio is the mean group-commit batch). */
void mz_store_get_stats (MzStore *store, guint64 *batches, guint64 *units);
/* Batches whose fsync overlapped the next batch (see store.c, run_batch). */
guint64 mz_store_get_overlapped (MzStore *store);
/* How many batches were rolled back and run again because a unit that
 * ran without a savepoint refused after writing (MZ_STORE_WRITE_RERUNNABLE). */
guint64 mz_store_get_restarts (MzStore *store);
/* How many units of work wait for the writer to take them. */
guint mz_store_get_queued (MzStore *store);
/* How many units the batch being formed now may hold: max_batch, or half
 * the callers waiting on the store when the fsync is short beside the
 * writer's time for all of them (store.c, batch_limit). */
guint mz_store_get_batch_limit (MzStore *store);

/* PRAGMA integrity_check on a reader; FALSE with the first problems named. */
gboolean mz_store_check_integrity (MzStore *store, GError **error);
/* The same on @reader, a copy of a database opened read-only
 * (mz_store_audit_reader_open); a failure names @path. */
gboolean mz_store_reader_check_integrity (MzStoreReader *reader, const char *path, GError **error);

G_END_DECLS
