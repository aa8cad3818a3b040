/* minzheng host — appending to the tamper-evident audit log.
 *
 * The log lives in the office database (store-audit.c: entries with their
 * leaf hash and a running hash chain, signed checkpoints, meta).  MzAudit
 * keeps only the compact frontier of the Merkle tree, the last chain value
 * and the next sequence number in memory; whenever the database may have
 * moved without it (a rollback, another connection's commit) it re-reads
 * them from the last checkpoint onwards.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "audit-private.h"

#include <string.h>

#include "store-audit.h"

G_DEFINE_QUARK (mz-audit-error-quark, mz_audit_error)

struct _MzAudit
{
  MzStoreTxn *txn;
  MzStoreAuditWriter *writer;
  const MzHashAlgo *algo;
  guint8 secret_key[crypto_sign_SECRETKEYBYTES];
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  char *key_id;
  guint checkpoint_every;
  guint checkpoint_seconds;

  /* Follows the database; valid unless @stale. */
  gboolean stale;
  guint64 checked_generation;   /* the transaction generation the tail was last checked in */
  gint64 data_version;
  gint64 checkpoint_id;
  gint64 next_seq;
  guint8 chain[MZ_HASH_MAX_SIZE];
  MzMerkleFrontier frontier;
  guint64 checkpoint_size;
  gint64 checkpoint_time;

  MzAuditCanon canon;
};

gboolean
mz_audit_meta_algo (const char        *hash_name,
                    const MzHashAlgo **out_algo,
                    GError           **error)
{
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

/* Replays the entries after @base (the last checkpoint's size, or 0) into
 * the frontier, recomputing each leaf from the row and following the
 * chain: these entries are not yet signed, and the host must not sign a
 * tail that someone changed behind its back (it refuses, and verify names
 * the entry).  Starting at @base itself picks up its chain value. */
typedef struct
{
  MzAudit *audit;
  gint64 base;
  gint64 expected;
  GError *error;
} Replay;

static gboolean
replay_row (const MzStoreAuditRow *row,
            gpointer               data)
{
  Replay *replay = data;
  MzAudit *audit = replay->audit;
  const MzHashAlgo *algo = audit->algo;
  gsize d = algo->digest_size;
  guint8 link[2 * MZ_HASH_MAX_SIZE];
  guint8 leaf[MZ_HASH_MAX_SIZE];
  guint8 chain[MZ_HASH_MAX_SIZE];
  gboolean sizes_ok = row->leaf_hash_len == d && row->chain_hash_len == d;

  if (row->seq == replay->base)
    {
      if (sizes_ok)
        memcpy (audit->chain, row->chain_hash, d);
      return TRUE;
    }
  if (row->seq != replay->expected)
    {
      g_set_error (&replay->error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_MISSING,
                   "审计日志第 %" G_GINT64_FORMAT " 条在最近一次签名之后被删除，拒绝继续记录；请运行 mzctl audit verify 查明 [audit.removed]",
                   replay->expected);
      return FALSE;
    }
  mz_audit_canon_from_row (&audit->canon, row, row->seq);
  mz_merkle_leaf_hash_prefixed (algo, audit->canon.data, audit->canon.len, leaf);
  memcpy (link, audit->chain, d);
  memcpy (link + d, leaf, d);
  algo->digest (link, 2 * d, chain);
  if (!sizes_ok || memcmp (leaf, row->leaf_hash, d) != 0 || memcmp (chain, row->chain_hash, d) != 0)
    {
      g_set_error (&replay->error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED,
                   "审计日志第 %" G_GINT64_FORMAT " 条在最近一次签名之后被改动，拒绝在其上继续签名；请运行 mzctl audit verify 查明 [audit.altered]",
                   row->seq);
      return FALSE;
    }
  memcpy (audit->chain, row->chain_hash, d);
  mz_merkle_frontier_append (&audit->frontier, leaf);
  replay->expected++;
  return TRUE;
}

static gboolean
replay_tail (MzAudit *audit,
             guint64  base,
             GError **error)
{
  Replay replay = { audit, (gint64) base, (gint64) base + 1, NULL };

  if (!mz_store_audit_txn_entries_from (audit->txn, (gint64) base, replay_row, &replay, error))
    return FALSE;
  if (replay.error != NULL)
    {
      g_propagate_error (error, replay.error);
      return FALSE;
    }
  audit->next_seq = replay.expected;
  return TRUE;
}

/* Does the checkpoint carry the office's signature?  The host builds on
 * the last checkpoint's frontier, so it must not take one that someone
 * wrote into the file. */
static gboolean
checkpoint_row_signed (MzAudit                         *audit,
                       const MzStoreAuditCheckpointRow *row)
{
  guint8 message[MZ_AUDIT_CHECKPOINT_MESSAGE_MAX];
  gsize message_len = 0;

  if (row->root_hash_len != audit->algo->digest_size ||
      row->signature_len != crypto_sign_BYTES ||
      g_strcmp0 (row->key_id, audit->key_id) != 0)
    return FALSE;
  mz_audit_checkpoint_message (audit->algo, (guint64) row->tree_size, row->time_usec, row->root_hash,
                               message, &message_len);
  return crypto_sign_verify_detached (row->signature, message, message_len,
                                      audit->public_key) == 0;
}

/* The last checkpoint: where the replay starts (@base) when its signature
 * and its frontier, checked against its root, are good. */
typedef struct
{
  MzAudit *audit;
  gboolean signed_ok;
  guint64 base;
} LastCheckpoint;

static gboolean
last_checkpoint_row (const MzStoreAuditCheckpointRow *row,
                     const guint8                    *frontier,
                     gsize                            frontier_len,
                     gpointer                         data)
{
  LastCheckpoint *last = data;
  MzAudit *audit = last->audit;
  guint8 root[MZ_HASH_MAX_SIZE];

  audit->checkpoint_id = row->id;
  audit->checkpoint_size = (guint64) row->tree_size;
  audit->checkpoint_time = row->time_usec;
  last->signed_ok = checkpoint_row_signed (audit, row);
  if (last->signed_ok &&
      mz_merkle_frontier_deserialize (&audit->frontier, audit->algo, (guint64) row->tree_size,
                                      frontier, frontier_len))
    {
      mz_merkle_frontier_root (&audit->frontier, root);
      if (memcmp (root, row->root_hash, audit->algo->digest_size) == 0)
        last->base = (guint64) row->tree_size;
      else
        mz_merkle_frontier_init (&audit->frontier, audit->algo);
    }
  return TRUE;
}

/* Re-reads frontier, chain and next sequence number: from the frontier
 * saved with the last checkpoint (its signature checked, and the frontier
 * against its root) plus the entries after it, so the cost is bounded by
 * checkpoint_every. */
static gboolean
state_load (MzAudit *audit,
            GError **error)
{
  LastCheckpoint last = { audit, TRUE, 0 };
  MzStoreAuditTail tail;
  /* While the log has no checkpoint, the clock for checkpoint_seconds runs
   * from the first time one was considered (mz_audit_checkpoint); a reload
   * after a rollback must not start it again, or frequent rollbacks could
   * put the first checkpoint off for good. */
  gint64 clock_started = audit->checkpoint_id == 0 ? audit->checkpoint_time : 0;

  audit->stale = TRUE;
  mz_merkle_frontier_init (&audit->frontier, audit->algo);
  memset (audit->chain, 0, sizeof audit->chain);
  audit->checkpoint_size = 0;
  audit->checkpoint_time = 0;
  audit->checkpoint_id = 0;

  if (!mz_store_audit_tail (audit->writer, &tail, error))
    return FALSE;
  audit->data_version = tail.data_version;

  if (!mz_store_audit_txn_checkpoint_latest (audit->txn, last_checkpoint_row, &last, error))
    return FALSE;
  if (!last.signed_ok)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_SIGNATURE,
                   "最近的审计检查点 #%" G_GINT64_FORMAT " 签名无效，拒绝在其上继续签名；请运行 mzctl audit verify 查明 [audit.checkpoint.signature]",
                   audit->checkpoint_id);
      return FALSE;
    }
  if (audit->checkpoint_id == 0)
    audit->checkpoint_time = clock_started;
  if (!replay_tail (audit, last.base, error))
    return FALSE;
  audit->stale = FALSE;
  return TRUE;
}

/* Entries and checkpoints are written only inside the caller's write
 * transaction.  Outside one is not only a programming error: SQLite
 * abandons a transaction by itself on some full-disk and I/O errors, and a
 * unit of work may have swallowed the error that told it so. */
static gboolean
require_transaction (MzAudit *audit,
                     GError **error)
{
  if (mz_store_audit_in_transaction (audit->txn))
    return TRUE;
  g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_STORAGE,
               "写事务已中止（存储错误），审计记录未写入 [audit.no_transaction]");
  return FALSE;
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
  gsize d = audit->algo->digest_size;
  guint64 generation = mz_store_txn_generation (audit->txn);
  MzStoreAuditTail tail;

  /* Within one write transaction only this log appends, so the tail
   * checked once stays ours until a savepoint is rolled back (which may
   * have undone our own appends) or the transaction ends. */
  if (!audit->stale && generation != 0 && generation == audit->checked_generation)
    return TRUE;
  audit->checked_generation = 0;
  if (audit->stale)
    {
      if (!state_load (audit, error))
        return FALSE;
    }
  else
    {
      if (!mz_store_audit_tail (audit->writer, &tail, error))
        return FALSE;
      if (!(tail.data_version == audit->data_version &&
            tail.last_seq == audit->next_seq - 1 &&
            (tail.last_seq == 0 ||
             (tail.last_chain_len == d && memcmp (tail.last_chain, audit->chain, d) == 0)) &&
            tail.checkpoint_id == audit->checkpoint_id) &&
          !state_load (audit, error))
        return FALSE;
    }
  audit->checked_generation = generation;
  return TRUE;
}

/* The key file and the database must agree: checkpoints signed with one
 * key and verified with another would all fail later, far from the cause. */
static gboolean
check_public_key (MzAudit *audit,
                  GError **error)
{
  g_autofree char *hash_name = NULL;
  g_autoptr (GBytes) stored_key = NULL;
  g_autoptr (GBytes) public_key = NULL;

  if (!mz_store_audit_txn_meta (audit->txn, &hash_name, &stored_key, error) ||
      !mz_audit_meta_algo (hash_name, &audit->algo, error))
    return FALSE;
  if (stored_key != NULL && g_bytes_get_size (stored_key) == crypto_sign_PUBLICKEYBYTES)
    {
      const guint8 *stored = g_bytes_get_data (stored_key, NULL);

      if (sodium_memcmp (stored, audit->public_key, crypto_sign_PUBLICKEYBYTES) != 0)
        {
          g_autofree char *stored_id = mz_audit_key_id (stored);
          g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                       "密钥文件（%s）与数据库记载的办公室公钥（%s）不符；请使用原密钥文件 [audit.key.mismatch]",
                       audit->key_id, stored_id);
          return FALSE;
        }
      return TRUE;
    }
  public_key = g_bytes_new_static (audit->public_key, sizeof audit->public_key);
  return mz_store_audit_key_store (audit->txn, public_key, audit->key_id, error);
}

MzAudit *
mz_audit_open (MzStoreTxn           *txn,
               const MzAuditOptions *options,
               GError              **error)
{
  g_autoptr (MzAudit) audit = NULL;

  g_return_val_if_fail (txn != NULL, NULL);
  g_return_val_if_fail (options != NULL && options->key_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "无法初始化密码库 libsodium [audit.sodium]");
      return NULL;
    }

  audit = g_new0 (MzAudit, 1);
  audit->txn = txn;
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
  if (!mz_store_audit_create (txn, options->hash != NULL ? options->hash : "sha256", error) ||
      !check_public_key (audit, error))
    return NULL;

  audit->writer = mz_store_audit_writer_new (txn, error);
  if (audit->writer == NULL)
    return NULL;
  if (!state_load (audit, error))
    return NULL;
  return g_steal_pointer (&audit);
}

void
mz_audit_free (MzAudit *audit)
{
  if (audit == NULL)
    return;
  mz_store_audit_writer_free (audit->writer);
  mz_audit_canon_clear (&audit->canon);
  sodium_memzero (audit->secret_key, sizeof audit->secret_key);
  g_free (audit->key_id);
  g_free (audit);
}

const char *
mz_audit_get_hash (MzAudit *audit)
{
  g_return_val_if_fail (audit != NULL, NULL);
  return audit->algo->name;
}

gboolean
mz_audit_append (MzAudit            *audit,
                 const MzAuditEntry *entry,
                 gint64             *out_seq,
                 GError            **error)
{
  const MzHashAlgo *algo;
  guint8 leaf[MZ_HASH_MAX_SIZE];
  guint8 link[2 * MZ_HASH_MAX_SIZE];
  guint8 chain[MZ_HASH_MAX_SIZE];
  gsize d;
  gint64 seq;

  g_return_val_if_fail (audit != NULL, FALSE);
  g_return_val_if_fail (entry != NULL, FALSE);
  g_return_val_if_fail (entry->action != NULL && entry->outcome != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_transaction (audit, error) || !state_refresh (audit, error))
    return FALSE;

  algo = audit->algo;
  d = algo->digest_size;
  seq = audit->next_seq;
  mz_audit_canon_entry (&audit->canon, seq, entry);
  mz_merkle_leaf_hash_prefixed (algo, audit->canon.data, audit->canon.len, leaf);
  memcpy (link, audit->chain, d);
  memcpy (link + d, leaf, d);
  algo->digest (link, 2 * d, chain);

  if (!mz_store_audit_insert_entry (audit->writer, seq, entry, leaf, chain, d, error))
    {
      /* A constraint failure means the table moved under us. */
      audit->stale = TRUE;
      return FALSE;
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
  MzStoreAuditCheckpointRow head = { 0 };
  gsize message_len = 0;
  guint64 size;
  gboolean due;

  g_return_val_if_fail (audit != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!require_transaction (audit, error) || !state_refresh (audit, error))
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

  head.tree_size = (gint64) size;
  head.root_hash = root;
  head.root_hash_len = audit->algo->digest_size;
  head.time_usec = now_usec;
  head.signature = signature;
  head.signature_len = sizeof signature;
  head.key_id = audit->key_id;
  if (!mz_store_audit_insert_checkpoint (audit->writer, &head, g_bytes_get_data (frontier, NULL),
                                         g_bytes_get_size (frontier), &audit->checkpoint_id, error))
    {
      audit->stale = TRUE;
      return FALSE;
    }
  audit->checkpoint_size = size;
  audit->checkpoint_time = now_usec;
  return TRUE;
}
