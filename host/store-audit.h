/* minzheng host — the audit log's appending side in the office database:
 * its tables and append-only triggers, its meta (hash algorithm, public
 * key), the state of its end, and the inserts of entries and checkpoints,
 * all on the writer inside the caller's transaction.  audit.c keeps the
 * hashing, the Merkle frontier, the signatures and the messages, and holds
 * no SQL; this file and store-audit.c are what a backend for another
 * database replaces (docs/storage.md, "The store's interface").
 * The reading side (verify, proofs, export) is store-audit-read.h, whose
 * row structs this side shares.
 *
 * Storage failures are %MZ_AUDIT_ERROR_STORAGE errors that say what was
 * being done ("审计日志写入失败：… [audit.storage]").  Rows come to
 * callbacks as in store-audit-read.h: valid until the callback returns,
 * which returns FALSE to stop; the functions return FALSE only when the
 * database failed.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "audit.h"
#include "merkle.h"
#include "store-audit-read.h"
#include "store.h"

G_BEGIN_DECLS

/* Creates the audit tables and the triggers that keep them append-only if
 * they are missing, and records the log's format and @hash_name (kept when
 * the log exists already).  In the caller's transaction, or in one of its
 * own when there is none. */
gboolean mz_store_audit_create (MzStoreTxn *txn, const char *hash_name, GError **error);

/* The log's hash algorithm name (newly allocated, NULL when missing) and
 * its stored public key (NULL when missing; of whatever length is stored),
 * as mz_store_audit_meta reads them on a reader. */
gboolean mz_store_audit_txn_meta (MzStoreTxn *txn, char **out_hash, GBytes **out_public_key,
                                  GError **error);

/* Records the office's public key and its id, once (a second time is a
 * storage error: the meta table is append-only).  In the caller's
 * transaction, or in one of its own when there is none. */
gboolean mz_store_audit_key_store (MzStoreTxn *txn, GBytes *public_key, const char *key_id,
                                   GError **error);

/* Whether @txn is inside a write transaction (appends must be). */
gboolean mz_store_audit_in_transaction (MzStoreTxn *txn);

/* Called with the latest checkpoint and the Merkle frontier saved with it
 * (mz_merkle_frontier_serialize at its tree size). */
typedef gboolean (*MzStoreAuditHeadFunc) (const MzStoreAuditCheckpointRow *row,
                                          const guint8 *frontier, gsize frontier_len,
                                          gpointer data);

/* The latest checkpoint on @txn's connection; @func is not called when
 * there is none. */
gboolean mz_store_audit_txn_checkpoint_latest (MzStoreTxn *txn, MzStoreAuditHeadFunc func,
                                               gpointer data, GError **error);

/* Every entry from @first_seq on, in seq order, with both hashes (texts
 * not NUL-terminated), on @txn's connection: the tail after the latest
 * checkpoint, replayed when the log is opened or moved. */
gboolean mz_store_audit_txn_entries_from (MzStoreTxn *txn, gint64 first_seq,
                                          MzStoreAuditRowFunc func, gpointer data,
                                          GError **error);

/* The statements an open log runs at every append and commit, prepared
 * once on @txn's connection (after mz_store_audit_create). */
typedef struct _MzStoreAuditWriter MzStoreAuditWriter;

MzStoreAuditWriter *mz_store_audit_writer_new (MzStoreTxn *txn, GError **error);
void mz_store_audit_writer_free (MzStoreAuditWriter *writer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzStoreAuditWriter, mz_store_audit_writer_free)

/**
 * MzStoreAuditTail:
 * @data_version: changes when another connection committed to the
 *   database (SQLite's data_version; equal values: nobody else wrote)
 * @last_seq: the last entry's seq, 0 when there is none
 * @last_chain: its chain hash, @last_chain_len bytes as stored (only the
 *   first MZ_HASH_MAX_SIZE are copied)
 * @checkpoint_id: the latest checkpoint's id, 0 when there is none
 *
 * The end of the log as the database has it now; cheap enough to ask at
 * every append and every commit.
 */
typedef struct
{
  gint64 data_version;
  gint64 last_seq;
  guint8 last_chain[MZ_HASH_MAX_SIZE];
  gsize last_chain_len;
  gint64 checkpoint_id;
} MzStoreAuditTail;

gboolean mz_store_audit_tail (MzStoreAuditWriter *writer, MzStoreAuditTail *tail, GError **error);

/* Appends @entry as entry @seq with its leaf and chain hashes (@hash_size
 * bytes each).  A refusal (the seq taken) means the table moved under the
 * caller. */
gboolean mz_store_audit_insert_entry (MzStoreAuditWriter *writer, gint64 seq,
                                      const MzAuditEntry *entry, const guint8 *leaf_hash,
                                      const guint8 *chain_hash, gsize hash_size, GError **error);

/* Appends the checkpoint @head (its @id is not used) with the frontier it
 * was signed over; @out_id: the id it was given. */
gboolean mz_store_audit_insert_checkpoint (MzStoreAuditWriter *writer,
                                           const MzStoreAuditCheckpointRow *head,
                                           const guint8 *frontier, gsize frontier_len,
                                           gint64 *out_id, GError **error);

G_END_DECLS
