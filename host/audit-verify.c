/* minzheng host — verifying the audit log from the database alone.
 *
 * One pass in sequence order recomputes every leaf from the row's columns,
 * follows the hash chain, rebuilds the Merkle frontier and, each time the
 * tree reaches a checkpoint's size, compares the head with the signed root
 * and checks the signature.  Nothing written by the host is trusted except
 * the signatures; the first problem found is classified (altered, removed,
 * inserted, reordered) by looking at where the row's content would hash
 * correctly.
 *
 * That careful pass runs only when a fast pass has found something wrong.
 * The fast pass reads the log in segments, two threads each hashing part
 * of a segment's rows on their own connection, folds the leaves into the
 * tree and checks the checkpoints; it follows the hash chain only after
 * the last checkpoint, where the chain is the only protection (within
 * signed stretches the chain serves to locate an alteration, which is the
 * careful pass's job).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "audit-private.h"

#include <string.h>

typedef MzAuditCheckpointRecord Checkpoint;

typedef struct
{
  MzStoreReader *reader;
  const MzHashAlgo *algo;
  gsize d;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  char *key_id;
  GArray *checkpoints;   /* of Checkpoint, by tree_size then id */
  guint64 last_checkpoint_size;
  MzAuditCanon canon;
  MzAuditCanon probe;
} Verifier;

/* Entries per fast-pass segment (the leaf buffer is this many digests),
 * and the fewest for which a second thread is worth starting. */
#define SEGMENT_SIZE (1 << 16)
#define PARALLEL_MIN 16384

static void
verifier_clear (Verifier *v)
{
  g_clear_pointer (&v->checkpoints, g_array_unref);
  g_clear_pointer (&v->key_id, g_free);
  mz_audit_canon_clear (&v->canon);
  mz_audit_canon_clear (&v->probe);
}

static gint
checkpoint_compare (gconstpointer a,
                    gconstpointer b)
{
  const Checkpoint *x = a;
  const Checkpoint *y = b;

  if (x->tree_size != y->tree_size)
    return x->tree_size < y->tree_size ? -1 : 1;
  return x->id < y->id ? -1 : (x->id > y->id);
}

static gboolean
add_checkpoint (const MzStoreAuditCheckpointRow *row,
                gpointer                         data)
{
  Verifier *v = data;
  Checkpoint cp = { 0 };

  cp.id = row->id;
  cp.tree_size = (guint64) MAX (0, row->tree_size);
  cp.time_usec = row->time_usec;
  cp.root_ok = row->root_hash_len == v->d;
  if (cp.root_ok)
    memcpy (cp.root, row->root_hash, v->d);
  cp.signature_ok = row->signature_len == crypto_sign_BYTES;
  if (cp.signature_ok)
    memcpy (cp.signature, row->signature, crypto_sign_BYTES);
  cp.key_id = g_strdup (row->key_id);
  g_array_append_val (v->checkpoints, cp);
  v->last_checkpoint_size = MAX (v->last_checkpoint_size, cp.tree_size);
  return TRUE;
}

static gboolean
load_checkpoints (Verifier *v,
                  GError  **error)
{
  v->checkpoints = g_array_new (FALSE, TRUE, sizeof (Checkpoint));
  g_array_set_clear_func (v->checkpoints, mz_audit_checkpoint_record_clear);
  if (!mz_store_audit_checkpoints (v->reader, add_checkpoint, v, error))
    return FALSE;
  g_array_sort (v->checkpoints, checkpoint_compare);
  return TRUE;
}

/* How a message names a checkpoint: the database's, or the centre's copy. */
static const char *
checkpoint_label (const Checkpoint *cp)
{
  return cp->shipped ? "中心保存的检查点" : "检查点";
}

/* Signature first: a root that does not verify says nothing about the
 * entries, so a forged checkpoint is reported as such. */
static gboolean
check_checkpoint (Verifier               *v,
                  const Checkpoint       *cp,
                  const MzMerkleFrontier *frontier,
                  guint64                 previous_size,
                  MzAuditVerifyResult    *result,
                  GError                **error)
{
  guint8 message[MZ_AUDIT_CHECKPOINT_MESSAGE_MAX];
  guint8 root[MZ_HASH_MAX_SIZE];
  gsize message_len = 0;

  if (g_strcmp0 (cp->key_id, v->key_id) != 0)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_SIGNATURE,
                   "%s #%" G_GINT64_FORMAT "（共 %" G_GUINT64_FORMAT " 条）由另一把密钥（%s）签名，办公室公钥为 %s [audit.checkpoint.key]",
                   checkpoint_label (cp), cp->id, cp->tree_size, cp->key_id != NULL ? cp->key_id : "(无)", v->key_id);
      return FALSE;
    }
  if (cp->root_ok)
    mz_audit_checkpoint_message (v->algo, cp->tree_size, cp->time_usec, cp->root, message, &message_len);
  if (!cp->root_ok || !cp->signature_ok ||
      crypto_sign_verify_detached (cp->signature, message, message_len, v->public_key) != 0)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_SIGNATURE,
                   "%s #%" G_GINT64_FORMAT "（共 %" G_GUINT64_FORMAT " 条）的签名无效：其大小、根哈希、时间或签名被改动 [audit.checkpoint.signature]",
                   checkpoint_label (cp), cp->id, cp->tree_size);
      return FALSE;
    }
  mz_merkle_frontier_root (frontier, root);
  if (memcmp (root, cp->root, v->d) != 0)
    {
      /* Every leaf and chain link matched, so whoever changed an entry
       * also rewrote the hashes after it; only the signed roots remain. */
      result->first_bad_seq = (gint64) previous_size + 1;
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED,
                   "第 %" G_GUINT64_FORMAT " 至 %" G_GUINT64_FORMAT " 条审计记录与已签名的%s #%" G_GINT64_FORMAT " 不符：其中有记录被改动，且其后的叶哈希和链哈希都被重算 [audit.altered]",
                   previous_size + 1, cp->tree_size, checkpoint_label (cp), cp->id);
      return FALSE;
    }
  result->checkpoints++;
  return TRUE;
}

static gboolean
stored_leaf_is (Verifier              *v,
                const MzStoreAuditRow *row,
                MzAuditCanon          *canon,
                gint64                 seq)
{
  guint8 leaf[MZ_HASH_MAX_SIZE];

  if (row->leaf_hash_len != v->d)
    return FALSE;
  mz_audit_canon_from_row (canon, row, seq);
  mz_merkle_leaf_hash_prefixed (v->algo, canon->data, canon->len, leaf);
  return memcmp (leaf, row->leaf_hash, v->d) == 0;
}

/* Which sequence number the row's content and stored leaf hash were
 * written for, if any; 0 when none up to @max_seq.  Only the seq bytes of
 * the canonical form change between candidates. */
static gint64
find_original_seq (Verifier              *v,
                   const MzStoreAuditRow *row,
                   gint64                 at,
                   gint64                 max_seq)
{
  guint8 leaf[MZ_HASH_MAX_SIZE];

  if (row->leaf_hash_len != v->d)
    return 0;
  mz_audit_canon_from_row (&v->probe, row, at);
  for (gint64 s = 1; s <= max_seq; s++)
    {
      if (s == at)
        continue;
      for (int i = 0; i < 8; i++)
        v->probe.data[2 + i] = (guint8) ((guint64) s >> (56 - 8 * i));
      mz_merkle_leaf_hash_prefixed (v->algo, v->probe.data, v->probe.len, leaf);
      if (memcmp (leaf, row->leaf_hash, v->d) == 0)
        return s;
    }
  return 0;
}

typedef struct
{
  Verifier *v;
  gint64 was;
  gboolean moved;
} NextRow;

static gboolean
next_row_check (const MzStoreAuditRow *row,
                gpointer               data)
{
  NextRow *n = data;

  n->moved = stored_leaf_is (n->v, row, &n->v->probe, n->was);
  return FALSE;
}

/* Does the row at @seq + 1 hold what was written as entry @seq, i.e. were
 * the entries from @seq on moved up by one? */
static gboolean
next_row_was (Verifier *v,
              gint64    seq,
              gint64    was)
{
  NextRow n = { v, was, FALSE };

  mz_store_audit_entry (v->reader, seq + 1, next_row_check, &n, NULL);
  return n.moved;
}

static gint64
max_seq (Verifier *v)
{
  gint64 max = 0;

  if (!mz_store_audit_extent (v->reader, &max, NULL, NULL))
    max = 0;
  return MAX (max, (gint64) v->last_checkpoint_size + 1);
}

/* The row at @seq failed its leaf or chain check: say what happened to it. */
static void
classify (Verifier              *v,
          const MzStoreAuditRow *row,
          gint64                 seq,
          gboolean               leaf_ok,
          gboolean               link_ok,
          MzAuditVerifyResult   *result,
          GError               **error)
{
  gboolean covered = (guint64) seq <= v->last_checkpoint_size;
  gint64 original;

  result->first_bad_seq = seq;
  if (!leaf_ok)
    {
      original = find_original_seq (v, row, seq, max_seq (v));
      if (original == seq + 1 && next_row_was (v, seq, seq + 2))
        g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_MISSING,
                     "第 %" G_GINT64_FORMAT " 条审计记录被删除，其后的记录被重新编号（该位置现为原第 %" G_GINT64_FORMAT " 条） [audit.removed]",
                     seq, original);
      else if (original != 0)
        g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_REORDERED,
                     "第 %" G_GINT64_FORMAT " 条审计记录的位置被调换：此处是原第 %" G_GINT64_FORMAT " 条 [audit.reordered]",
                     seq, original);
      else if (next_row_was (v, seq, seq))
        g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INSERTED,
                     "第 %" G_GINT64_FORMAT " 条审计记录是插入的伪造记录，原记录被顺延 [audit.inserted]", seq);
      else if (link_ok || covered)
        g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED,
                     "第 %" G_GINT64_FORMAT " 条审计记录被改动：内容与其叶哈希不符 [audit.altered]", seq);
      else
        g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INSERTED,
                     "第 %" G_GINT64_FORMAT " 条审计记录不是本系统写入的：内容、叶哈希与哈希链都对不上 [audit.inserted]", seq);
      return;
    }
  if (next_row_was (v, seq, seq))
    g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INSERTED,
                 "第 %" G_GINT64_FORMAT " 条审计记录是插入的伪造记录，原记录被顺延 [audit.inserted]", seq);
  else
    g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED,
                 "第 %" G_GINT64_FORMAT " 条审计记录被改动，且其叶哈希被重算：哈希链在此断开 [audit.altered]", seq);
}

gboolean
mz_audit_reader_meta (MzStoreReader     *reader,
                      const MzHashAlgo **out_algo,
                      guint8             public_key[crypto_sign_PUBLICKEYBYTES],
                      gboolean          *out_has_key,
                      GError           **error)
{
  g_autofree char *hash_name = NULL;
  g_autoptr (GBytes) stored_key = NULL;

  *out_has_key = FALSE;
  if (!mz_store_audit_meta (reader, &hash_name, &stored_key, error))
    return FALSE;
  if (stored_key != NULL && g_bytes_get_size (stored_key) == crypto_sign_PUBLICKEYBYTES)
    {
      memcpy (public_key, g_bytes_get_data (stored_key, NULL), crypto_sign_PUBLICKEYBYTES);
      *out_has_key = TRUE;
    }
  return mz_audit_meta_algo (hash_name, out_algo, error);
}

static gboolean
load_keys (Verifier   *v,
           const char *public_key_path,
           GError    **error)
{
  gboolean has_key = FALSE;

  if (!mz_audit_reader_meta (v->reader, &v->algo, v->public_key, &has_key, error))
    return FALSE;
  v->d = v->algo->digest_size;
  if (!has_key)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "数据库中没有办公室公钥，无法核验检查点签名 [audit.key.missing]");
      return FALSE;
    }
  v->key_id = mz_audit_key_id (v->public_key);
  if (public_key_path != NULL)
    {
      guint8 expected[crypto_sign_PUBLICKEYBYTES];

      if (!mz_audit_public_key_read (public_key_path, expected, error))
        return FALSE;
      if (sodium_memcmp (expected, v->public_key, sizeof expected) != 0)
        {
          g_autofree char *file_id = mz_audit_key_id (expected);
          g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                       "数据库中的办公室公钥（%s）与公钥文件 %s（%s）不符：公钥可能被替换 [audit.key.mismatch]",
                       v->key_id, public_key_path, file_id);
          return FALSE;
        }
    }
  return TRUE;
}

/* One thread's share of a segment in the fast pass. */
typedef struct
{
  const MzHashAlgo *algo;
  MzStoreAuditScan *scan;  /* on this thread's connection */
  gint64 first;
  gint64 last;
  guint8 *leaves;          /* receives the leaf hashes of first..last */
  gint64 expected;
  MzAuditCanon canon;
  gboolean ok;
} RangeScan;

static gboolean
scan_row (const MzStoreAuditRow *row,
          gpointer               data)
{
  RangeScan *r = data;
  gsize d = r->algo->digest_size;
  guint8 *leaf = r->leaves + (gsize) (r->expected - r->first) * d;

  if (row->seq != r->expected || row->leaf_hash_len != d)
    return FALSE;
  mz_audit_canon_from_row (&r->canon, row, r->expected);
  mz_merkle_leaf_hash_prefixed (r->algo, r->canon.data, r->canon.len, leaf);
  if (memcmp (leaf, row->leaf_hash, d) != 0)
    return FALSE;
  r->expected++;
  return TRUE;
}

/* Are entries first..last all present, in order, each matching its
 * stored leaf hash? */
static gboolean
scan_range (RangeScan *r)
{
  r->expected = r->first;
  return mz_store_audit_scan_range (r->scan, r->first, r->last, scan_row, r, NULL) &&
         r->expected == r->last + 1;
}

static gpointer
scan_range_thread (gpointer data)
{
  RangeScan *r = data;

  r->ok = scan_range (r);
  return NULL;
}

typedef struct
{
  Verifier *v;
  guint8 link[2 * MZ_HASH_MAX_SIZE];
  gint64 from;
  gint64 expected;
  gboolean ok;
} TailChain;

static gboolean
tail_row (const MzStoreAuditRow *row,
          gpointer               data)
{
  TailChain *t = data;
  gsize d = t->v->d;
  guint8 chain[MZ_HASH_MAX_SIZE];

  t->ok = row->seq == t->expected && row->leaf_hash_len == d && row->chain_hash_len == d;
  if (t->ok && t->expected > t->from)
    {
      memcpy (t->link + d, row->leaf_hash, d);
      t->v->algo->digest (t->link, 2 * d, chain);
      t->ok = memcmp (chain, row->chain_hash, d) == 0;
    }
  if (t->ok)
    memcpy (t->link, row->chain_hash, d);
  t->expected++;
  return t->ok;
}

/* After the last checkpoint the chain is all that protects an entry
 * whose leaf hash was recomputed: follow it there. */
static gboolean
tail_chain_ok (Verifier *v,
               gint64    max)
{
  TailChain t = { 0 };

  t.v = v;
  t.from = (gint64) v->last_checkpoint_size;
  t.expected = t.from == 0 ? 1 : t.from;
  t.ok = TRUE;
  return mz_store_audit_hashes (v->reader, MAX (t.from, 1), max, tail_row, &t, NULL) &&
         t.ok && t.expected == max + 1;
}

/* Appends leaves first..last to @frontier, checking each checkpoint whose
 * size is reached on the way (including one at first - 1). */
static gboolean
fold_leaves (Verifier            *v,
             MzMerkleFrontier    *frontier,
             const guint8        *leaves,
             gint64               first,
             gint64               last,
             guint               *ci,
             MzAuditVerifyResult *result)
{
  for (gint64 seq = first; seq <= last + 1; seq++)
    {
      while (*ci < v->checkpoints->len &&
             g_array_index (v->checkpoints, Checkpoint, *ci).tree_size == frontier->size)
        {
          if (!check_checkpoint (v, &g_array_index (v->checkpoints, Checkpoint, *ci),
                                 frontier, 0, result, NULL))
            return FALSE;
          (*ci)++;
        }
      if (seq <= last)
        mz_merkle_frontier_append (frontier, leaves + (gsize) (seq - first) * v->d);
    }
  return TRUE;
}

/* TRUE when the whole log verifies; FALSE when anything is wrong or
 * cannot be read, for the careful pass to find and name.  Of each
 * segment the calling thread hashes the first MAIN_SHARE and folds it into
 * the tree while the helper thread hashes the rest; folding and checking
 * signatures cost about a fifth of hashing, hence the uneven split. */
#define MAIN_SHARE 0.45
static gboolean
verify_fast (Verifier            *v,
             MzAuditVerifyResult *result)
{
  gsize d = v->d;
  MzMerkleFrontier frontier;
  RangeScan main_scan = { 0 }, helper_scan = { 0 };
  g_autofree guint8 *leaves = NULL;
  gint64 max = 0, below_one = 0;
  gboolean separate;
  gboolean ok = TRUE;
  guint ci = 0;

  if (!mz_store_audit_extent (v->reader, &max, &below_one, NULL) || below_one != 0)
    return FALSE;
  mz_merkle_frontier_init (&frontier, v->algo);
  main_scan.algo = helper_scan.algo = v->algo;
  main_scan.scan = mz_store_audit_scan_open (v->reader, TRUE);
  separate = main_scan.scan != NULL;
  if (!separate)
    main_scan.scan = mz_store_audit_scan_open (v->reader, FALSE);
  if (main_scan.scan == NULL)
    return FALSE;
  if (separate && max >= PARALLEL_MIN && g_get_num_processors () > 1)
    helper_scan.scan = mz_store_audit_scan_open (v->reader, TRUE);
  leaves = g_malloc (MAX (1, (gsize) MIN (max, SEGMENT_SIZE) * d));

  for (gint64 first = 1; ok && first <= max; first += SEGMENT_SIZE)
    {
      gint64 last = MIN (first + SEGMENT_SIZE - 1, max);
      gint64 mid = last;
      GThread *thread = NULL;

      if (helper_scan.scan != NULL && last - first + 1 >= PARALLEL_MIN)
        {
          mid = first + (gint64) ((double) (last - first + 1) * MAIN_SHARE);
          helper_scan.first = mid + 1;
          helper_scan.last = last;
          helper_scan.leaves = leaves + (gsize) (mid + 1 - first) * d;
          thread = g_thread_try_new ("mz-audit-verify", scan_range_thread, &helper_scan, NULL);
          if (thread == NULL)
            mid = last;
        }
      main_scan.first = first;
      main_scan.last = mid;
      main_scan.leaves = leaves;
      ok = scan_range (&main_scan) &&
           fold_leaves (v, &frontier, leaves, first, mid, &ci, result);
      if (thread != NULL)
        {
          g_thread_join (thread);
          ok = ok && helper_scan.ok &&
               fold_leaves (v, &frontier, helper_scan.leaves, mid + 1, last, &ci, result);
        }
    }
  ok = ok && fold_leaves (v, &frontier, NULL, max + 1, max, &ci, result);

  mz_store_audit_scan_close (main_scan.scan);
  mz_store_audit_scan_close (helper_scan.scan);
  mz_audit_canon_clear (&main_scan.canon);
  mz_audit_canon_clear (&helper_scan.canon);
  if (!ok || ci < v->checkpoints->len || !tail_chain_ok (v, max))
    return FALSE;
  result->entries = max;
  return TRUE;
}

/* The careful pass, one row at a time in sequence order. */
typedef struct
{
  Verifier *v;
  MzAuditVerifyResult *result;
  GError **error;
  MzMerkleFrontier frontier;
  guint8 link[2 * MZ_HASH_MAX_SIZE];
  guint ci;
  guint64 previous_size;
  gint64 expected;
  gboolean failed;
} RowPass;

/* Checks the checkpoints whose size the tree has reached. */
static gboolean
row_pass_checkpoints (RowPass *p)
{
  Verifier *v = p->v;

  while (p->ci < v->checkpoints->len &&
         g_array_index (v->checkpoints, Checkpoint, p->ci).tree_size == p->frontier.size)
    {
      const Checkpoint *cp = &g_array_index (v->checkpoints, Checkpoint, p->ci);

      if (!check_checkpoint (v, cp, &p->frontier, p->previous_size, p->result, p->error))
        return FALSE;
      p->previous_size = cp->tree_size;
      p->ci++;
    }
  return TRUE;
}

static gboolean
check_row (const MzStoreAuditRow *row,
           gpointer               data)
{
  RowPass *p = data;
  Verifier *v = p->v;
  const MzHashAlgo *algo = v->algo;
  gsize d = v->d;
  guint8 leaf[MZ_HASH_MAX_SIZE];
  guint8 chain[MZ_HASH_MAX_SIZE];
  gint64 seq = row->seq;
  gboolean leaf_ok;
  gboolean link_ok;

  if (!row_pass_checkpoints (p))
    goto fail;

  if (seq != p->expected)
    {
      p->result->first_bad_seq = seq < p->expected ? seq : p->expected;
      if (seq < p->expected)
        g_set_error (p->error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INSERTED,
                     "第 %" G_GINT64_FORMAT " 条审计记录是插入的：序号不在 1 起的连续序列中 [audit.inserted]", seq);
      else
        g_set_error (p->error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_MISSING,
                     "第 %" G_GINT64_FORMAT " 条审计记录被删除：序号从 %" G_GINT64_FORMAT " 跳到 %" G_GINT64_FORMAT " [audit.removed]",
                     p->expected, p->expected - 1, seq);
      goto fail;
    }

  mz_audit_canon_from_row (&v->canon, row, seq);
  mz_merkle_leaf_hash_prefixed (algo, v->canon.data, v->canon.len, leaf);
  leaf_ok = row->leaf_hash_len == d && memcmp (leaf, row->leaf_hash, d) == 0;
  link_ok = FALSE;
  if (row->leaf_hash_len == d && row->chain_hash_len == d)
    {
      memcpy (p->link + d, row->leaf_hash, d);
      algo->digest (p->link, 2 * d, chain);
      link_ok = memcmp (chain, row->chain_hash, d) == 0;
    }
  if (!leaf_ok || !link_ok)
    {
      classify (v, row, seq, leaf_ok, link_ok, p->result, p->error);
      goto fail;
    }

  memcpy (p->link, row->chain_hash, d);
  mz_merkle_frontier_append (&p->frontier, leaf);
  p->expected++;
  p->result->entries++;
  return TRUE;

fail:
  p->failed = TRUE;
  return FALSE;
}

static gboolean
verify_rows (Verifier            *v,
             MzAuditVerifyResult *result,
             GError             **error)
{
  RowPass p = { 0 };
  g_autoptr (GError) read_error = NULL;
  gboolean read_ok;

  p.v = v;
  p.result = result;
  p.error = error;
  p.expected = 1;
  mz_merkle_frontier_init (&p.frontier, v->algo);
  read_ok = mz_store_audit_entries (v->reader, check_row, &p, &read_error);
  /* The checkpoints the whole log reaches are checked before a failure
   * to read on is reported. */
  if (p.failed || !row_pass_checkpoints (&p))
    return FALSE;
  if (!read_ok)
    {
      g_propagate_error (error, g_steal_pointer (&read_error));
      return FALSE;
    }

  if (p.ci < v->checkpoints->len)
    {
      const Checkpoint *cp = &g_array_index (v->checkpoints, Checkpoint, p.ci);

      result->first_bad_seq = (gint64) p.frontier.size + 1;
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_MISSING,
                   "第 %" G_GUINT64_FORMAT " 条起的审计记录被删除：%s #%" G_GINT64_FORMAT " 记载共 %" G_GUINT64_FORMAT " 条，现只有 %" G_GUINT64_FORMAT " 条 [audit.removed]",
                   p.frontier.size + 1, checkpoint_label (cp), cp->id, cp->tree_size, p.frontier.size);
      return FALSE;
    }
  return TRUE;
}

gboolean
mz_audit_verify_shipped (MzStoreReader       *reader,
                         const char          *public_key_path,
                         const char          *shipped_checkpoints,
                         MzAuditVerifyResult *result,
                         GError             **error)
{
  Verifier v = { 0 };
  MzAuditVerifyResult local = { 0 };
  gboolean own_txn;
  gboolean ok;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (result == NULL)
    result = &local;
  memset (result, 0, sizeof *result);
  if (sodium_init () < 0)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                   "无法初始化密码库 libsodium [audit.sodium]");
      return FALSE;
    }
  if (!mz_store_audit_exists (reader))
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_NOT_FOUND,
                   "数据库中没有审计日志（缺少 audit_meta 表） [audit.not_found]");
      return FALSE;
    }

  /* One snapshot for everything read on the caller's connection, so that
   * entries committed meanwhile by the host do not look like a mismatch
   * with the checkpoints read earlier. */
  own_txn = mz_store_audit_read_begin (reader);

  v.reader = reader;
  ok = load_keys (&v, public_key_path, error) && load_checkpoints (&v, error);
  if (ok && shipped_checkpoints != NULL)
    {
      ok = mz_audit_checkpoints_parse (shipped_checkpoints, v.algo, v.checkpoints, error);
      for (guint i = 0; ok && i < v.checkpoints->len; i++)
        v.last_checkpoint_size = MAX (v.last_checkpoint_size,
                                      g_array_index (v.checkpoints, Checkpoint, i).tree_size);
      g_array_sort (v.checkpoints, checkpoint_compare);
    }
  if (ok && !verify_fast (&v, result))
    {
      memset (result, 0, sizeof *result);
      ok = verify_rows (&v, result, error);
    }
  verifier_clear (&v);
  if (own_txn)
    mz_store_reader_end (reader);
  return ok;
}

gboolean
mz_audit_verify (MzStoreReader       *reader,
                 const char          *public_key_path,
                 MzAuditVerifyResult *result,
                 GError             **error)
{
  return mz_audit_verify_shipped (reader, public_key_path, NULL, result, error);
}
