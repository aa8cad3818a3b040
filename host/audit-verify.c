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
#include "store-sqlite.h"

#include <string.h>

typedef MzAuditCheckpointRecord Checkpoint;

typedef struct
{
  sqlite3 *db;
  const MzHashAlgo *algo;
  gsize d;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  char *key_id;
  GArray *checkpoints;   /* of Checkpoint, by tree_size then id */
  guint64 last_checkpoint_size;
  MzAuditCanon canon;
  MzAuditCanon probe;
  sqlite3_stmt *row_at;  /* one entry by seq, for classification */
} Verifier;

#define ROW_SQL "SELECT seq, " MZ_AUDIT_ENTRY_COLUMNS ", leaf_hash, chain_hash FROM audit_entries"
#define RANGE_SQL "SELECT seq, " MZ_AUDIT_ENTRY_COLUMNS ", leaf_hash FROM audit_entries" \
  " WHERE seq BETWEEN ? AND ? ORDER BY seq"
/* Entries per fast-pass segment (the leaf buffer is this many digests),
 * and the fewest for which a second thread is worth starting. */
#define SEGMENT_SIZE (1 << 16)
#define PARALLEL_MIN 16384
#define COL_LEAF (1 + MZ_AUDIT_ENTRY_COLUMN_COUNT)
#define COL_CHAIN (COL_LEAF + 1)

static void
verifier_clear (Verifier *v)
{
  g_clear_pointer (&v->checkpoints, g_array_unref);
  g_clear_pointer (&v->key_id, g_free);
  mz_audit_canon_clear (&v->canon);
  mz_audit_canon_clear (&v->probe);
  sqlite3_finalize (v->row_at);
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
load_checkpoints (Verifier *v,
                  GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  v->checkpoints = g_array_new (FALSE, TRUE, sizeof (Checkpoint));
  g_array_set_clear_func (v->checkpoints, mz_audit_checkpoint_record_clear);
  if (sqlite3_prepare_v2 (v->db, "SELECT id, tree_size, root_hash, time_usec, signature, key_id"
                                 " FROM audit_checkpoints", -1, &stmt, NULL) != SQLITE_OK)
    return mz_audit_set_storage_error (error, v->db, "读取检查点");
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Checkpoint cp = { 0 };

      cp.id = sqlite3_column_int64 (stmt, 0);
      cp.tree_size = (guint64) MAX (0, sqlite3_column_int64 (stmt, 1));
      cp.time_usec = sqlite3_column_int64 (stmt, 3);
      cp.root_ok = (gsize) sqlite3_column_bytes (stmt, 2) == v->d;
      if (cp.root_ok)
        memcpy (cp.root, sqlite3_column_blob (stmt, 2), v->d);
      cp.signature_ok = sqlite3_column_bytes (stmt, 4) == crypto_sign_BYTES;
      if (cp.signature_ok)
        memcpy (cp.signature, sqlite3_column_blob (stmt, 4), crypto_sign_BYTES);
      cp.key_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_array_append_val (v->checkpoints, cp);
      v->last_checkpoint_size = MAX (v->last_checkpoint_size, cp.tree_size);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return mz_audit_set_storage_error (error, v->db, "读取检查点");
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
stored_leaf_is (Verifier      *v,
                sqlite3_stmt  *stmt,
                MzAuditCanon  *canon,
                gint64         seq)
{
  guint8 leaf[MZ_HASH_MAX_SIZE];

  if ((gsize) sqlite3_column_bytes (stmt, COL_LEAF) != v->d)
    return FALSE;
  mz_audit_canon_from_row (canon, stmt, 1, seq);
  mz_merkle_leaf_hash_prefixed (v->algo, canon->data, canon->len, leaf);
  return memcmp (leaf, sqlite3_column_blob (stmt, COL_LEAF), v->d) == 0;
}

/* Which sequence number the row's content and stored leaf hash were
 * written for, if any; 0 when none up to @max_seq.  Only the seq bytes of
 * the canonical form change between candidates. */
static gint64
find_original_seq (Verifier     *v,
                   sqlite3_stmt *stmt,
                   gint64        at,
                   gint64        max_seq)
{
  guint8 leaf[MZ_HASH_MAX_SIZE];
  const guint8 *stored;

  if ((gsize) sqlite3_column_bytes (stmt, COL_LEAF) != v->d)
    return 0;
  stored = sqlite3_column_blob (stmt, COL_LEAF);
  mz_audit_canon_from_row (&v->probe, stmt, 1, at);
  for (gint64 s = 1; s <= max_seq; s++)
    {
      if (s == at)
        continue;
      for (int i = 0; i < 8; i++)
        v->probe.data[2 + i] = (guint8) ((guint64) s >> (56 - 8 * i));
      mz_merkle_leaf_hash_prefixed (v->algo, v->probe.data, v->probe.len, leaf);
      if (memcmp (leaf, stored, v->d) == 0)
        return s;
    }
  return 0;
}

/* Does the row at @seq + 1 hold what was written as entry @seq, i.e. were
 * the entries from @seq on moved up by one? */
static gboolean
next_row_was (Verifier *v,
              gint64    seq,
              gint64    was)
{
  gboolean moved = FALSE;

  sqlite3_reset (v->row_at);
  sqlite3_bind_int64 (v->row_at, 1, seq + 1);
  if (sqlite3_step (v->row_at) == SQLITE_ROW)
    moved = stored_leaf_is (v, v->row_at, &v->probe, was);
  sqlite3_reset (v->row_at);
  return moved;
}

static gint64
max_seq (Verifier *v)
{
  sqlite3_stmt *stmt = NULL;
  gint64 max = 0;

  if (sqlite3_prepare_v2 (v->db, "SELECT max(seq) FROM audit_entries", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    max = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return MAX (max, (gint64) v->last_checkpoint_size + 1);
}

/* The row at @seq failed its leaf or chain check: say what happened to it. */
static void
classify (Verifier            *v,
          sqlite3_stmt        *stmt,
          gint64               seq,
          gboolean             leaf_ok,
          gboolean             link_ok,
          MzAuditVerifyResult *result,
          GError             **error)
{
  gboolean covered = (guint64) seq <= v->last_checkpoint_size;
  gint64 original;

  result->first_bad_seq = seq;
  if (!leaf_ok)
    {
      original = find_original_seq (v, stmt, seq, max_seq (v));
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

static gboolean
load_keys (Verifier   *v,
           const char *public_key_path,
           GError    **error)
{
  gboolean has_key = FALSE;

  if (!mz_audit_meta_read (v->db, &v->algo, v->public_key, &has_key, error))
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

static gboolean
has_audit_tables (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'audit_meta'",
                          -1, &stmt, NULL) == SQLITE_OK)
    found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* One thread's share of a segment in the fast pass. */
typedef struct
{
  const MzHashAlgo *algo;
  sqlite3_stmt *stmt;    /* RANGE_SQL on this thread's connection */
  gint64 first;
  gint64 last;
  guint8 *leaves;        /* receives the leaf hashes of first..last */
  MzAuditCanon canon;
  gboolean ok;
} RangeScan;

/* Are entries first..last all present, in order, each matching its
 * stored leaf hash? */
static gboolean
scan_range (RangeScan *r)
{
  gsize d = r->algo->digest_size;
  gint64 expected = r->first;
  int rc;

  sqlite3_reset (r->stmt);
  sqlite3_bind_int64 (r->stmt, 1, r->first);
  sqlite3_bind_int64 (r->stmt, 2, r->last);
  while ((rc = sqlite3_step (r->stmt)) == SQLITE_ROW)
    {
      guint8 *leaf = r->leaves + (gsize) (expected - r->first) * d;

      if (sqlite3_column_int64 (r->stmt, 0) != expected ||
          (gsize) sqlite3_column_bytes (r->stmt, COL_LEAF) != d)
        break;
      mz_audit_canon_from_row (&r->canon, r->stmt, 1, expected);
      mz_merkle_leaf_hash_prefixed (r->algo, r->canon.data, r->canon.len, leaf);
      if (memcmp (leaf, sqlite3_column_blob (r->stmt, COL_LEAF), d) != 0)
        break;
      expected++;
    }
  sqlite3_reset (r->stmt);
  return rc == SQLITE_DONE && expected == r->last + 1;
}

static gpointer
scan_range_thread (gpointer data)
{
  RangeScan *r = data;

  r->ok = scan_range (r);
  return NULL;
}

/* A read-only connection of its own for each scanning thread, without
 * SQLite's per-call mutex (about a tenth of the scan's time otherwise);
 * NULL for in-memory or temporary databases, which are then read on the
 * caller's connection by one thread.  The log is append-only, so rows up
 * to the caller's last seq are the same whatever snapshot these read. */
static sqlite3_stmt *
open_reader (sqlite3  *db,
             sqlite3 **out_db)
{
  const char *file = sqlite3_db_filename (db, "main");
  sqlite3_stmt *stmt = NULL;

  *out_db = NULL;
  if (file == NULL || *file == '\0' ||
      sqlite3_open_v2 (file, out_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (*out_db, RANGE_SQL, -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_close (*out_db);
      *out_db = NULL;
      return NULL;
    }
  sqlite3_busy_timeout (*out_db, 5000);
  return stmt;
}

static gint64
select_int (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* After the last checkpoint the chain is all that protects an entry
 * whose leaf hash was recomputed: follow it there. */
static gboolean
tail_chain_ok (Verifier *v,
               gint64    max)
{
  gsize d = v->d;
  guint8 link[2 * MZ_HASH_MAX_SIZE] = { 0 };
  guint8 chain[MZ_HASH_MAX_SIZE];
  sqlite3_stmt *stmt = NULL;
  gint64 from = (gint64) v->last_checkpoint_size;
  gint64 expected = from;
  gboolean ok = TRUE;

  if (sqlite3_prepare_v2 (v->db, "SELECT seq, leaf_hash, chain_hash FROM audit_entries"
                                 " WHERE seq BETWEEN ? AND ? ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, MAX (from, 1));
  sqlite3_bind_int64 (stmt, 2, max);
  if (from == 0)
    expected = 1;
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      ok = sqlite3_column_int64 (stmt, 0) == expected &&
           (gsize) sqlite3_column_bytes (stmt, 1) == d &&
           (gsize) sqlite3_column_bytes (stmt, 2) == d;
      if (ok && expected > from)
        {
          memcpy (link + d, sqlite3_column_blob (stmt, 1), d);
          v->algo->digest (link, 2 * d, chain);
          ok = memcmp (chain, sqlite3_column_blob (stmt, 2), d) == 0;
        }
      if (ok)
        memcpy (link, sqlite3_column_blob (stmt, 2), d);
      expected++;
    }
  sqlite3_finalize (stmt);
  return ok && expected == max + 1;
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
  sqlite3 *main_db = NULL, *helper_db = NULL;
  g_autofree guint8 *leaves = NULL;
  gint64 max = select_int (v->db, "SELECT coalesce (max (seq), 0) FROM audit_entries");
  gboolean ok = TRUE;
  guint ci = 0;

  if (max < 0 || select_int (v->db, "SELECT count (*) FROM audit_entries WHERE seq < 1") != 0)
    return FALSE;
  mz_merkle_frontier_init (&frontier, v->algo);
  main_scan.algo = helper_scan.algo = v->algo;
  main_scan.stmt = open_reader (v->db, &main_db);
  if (main_scan.stmt == NULL &&
      sqlite3_prepare_v2 (v->db, RANGE_SQL, -1, &main_scan.stmt, NULL) != SQLITE_OK)
    return FALSE;
  if (main_db != NULL && max >= PARALLEL_MIN && g_get_num_processors () > 1)
    helper_scan.stmt = open_reader (v->db, &helper_db);
  leaves = g_malloc (MAX (1, (gsize) MIN (max, SEGMENT_SIZE) * d));

  for (gint64 first = 1; ok && first <= max; first += SEGMENT_SIZE)
    {
      gint64 last = MIN (first + SEGMENT_SIZE - 1, max);
      gint64 mid = last;
      GThread *thread = NULL;

      if (helper_scan.stmt != NULL && last - first + 1 >= PARALLEL_MIN)
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

  sqlite3_finalize (main_scan.stmt);
  sqlite3_finalize (helper_scan.stmt);
  sqlite3_close (main_db);
  sqlite3_close (helper_db);
  mz_audit_canon_clear (&main_scan.canon);
  mz_audit_canon_clear (&helper_scan.canon);
  if (!ok || ci < v->checkpoints->len || !tail_chain_ok (v, max))
    return FALSE;
  result->entries = max;
  return TRUE;
}

static gboolean
verify_rows (Verifier            *v,
             MzAuditVerifyResult *result,
             GError             **error)
{
  const MzHashAlgo *algo = v->algo;
  gsize d = v->d;
  MzMerkleFrontier frontier;
  guint8 link[2 * MZ_HASH_MAX_SIZE] = { 0 };
  guint8 leaf[MZ_HASH_MAX_SIZE];
  guint8 chain[MZ_HASH_MAX_SIZE];
  sqlite3_stmt *stmt = NULL;
  guint ci = 0;
  guint64 previous_size = 0;
  gint64 expected = 1;
  int rc;

  mz_merkle_frontier_init (&frontier, algo);
  if (sqlite3_prepare_v2 (v->db, ROW_SQL " ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (v->db, ROW_SQL " WHERE seq = ?", -1, &v->row_at, NULL) != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return mz_audit_set_storage_error (error, v->db, "读取审计记录");
    }

  for (;;)
    {
      const guint8 *stored_leaf;
      const guint8 *stored_chain;
      gboolean leaf_ok;
      gboolean link_ok;
      gint64 seq;

      while (ci < v->checkpoints->len &&
             g_array_index (v->checkpoints, Checkpoint, ci).tree_size == frontier.size)
        {
          const Checkpoint *cp = &g_array_index (v->checkpoints, Checkpoint, ci);

          if (!check_checkpoint (v, cp, &frontier, previous_size, result, error))
            goto fail;
          previous_size = cp->tree_size;
          ci++;
        }

      rc = sqlite3_step (stmt);
      if (rc != SQLITE_ROW)
        break;

      seq = sqlite3_column_int64 (stmt, 0);
      if (seq != expected)
        {
          result->first_bad_seq = seq < expected ? seq : expected;
          if (seq < expected)
            g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INSERTED,
                         "第 %" G_GINT64_FORMAT " 条审计记录是插入的：序号不在 1 起的连续序列中 [audit.inserted]", seq);
          else
            g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_MISSING,
                         "第 %" G_GINT64_FORMAT " 条审计记录被删除：序号从 %" G_GINT64_FORMAT " 跳到 %" G_GINT64_FORMAT " [audit.removed]",
                         expected, expected - 1, seq);
          goto fail;
        }

      mz_audit_canon_from_row (&v->canon, stmt, 1, seq);
      mz_merkle_leaf_hash_prefixed (algo, v->canon.data, v->canon.len, leaf);
      stored_leaf = sqlite3_column_blob (stmt, COL_LEAF);
      stored_chain = sqlite3_column_blob (stmt, COL_CHAIN);
      leaf_ok = (gsize) sqlite3_column_bytes (stmt, COL_LEAF) == d && memcmp (leaf, stored_leaf, d) == 0;
      link_ok = FALSE;
      if ((gsize) sqlite3_column_bytes (stmt, COL_LEAF) == d &&
          (gsize) sqlite3_column_bytes (stmt, COL_CHAIN) == d)
        {
          memcpy (link + d, stored_leaf, d);
          algo->digest (link, 2 * d, chain);
          link_ok = memcmp (chain, stored_chain, d) == 0;
        }
      if (!leaf_ok || !link_ok)
        {
          classify (v, stmt, seq, leaf_ok, link_ok, result, error);
          goto fail;
        }

      memcpy (link, stored_chain, d);
      mz_merkle_frontier_append (&frontier, leaf);
      expected++;
      result->entries++;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return mz_audit_set_storage_error (error, v->db, "读取审计记录");

  if (ci < v->checkpoints->len)
    {
      const Checkpoint *cp = &g_array_index (v->checkpoints, Checkpoint, ci);

      result->first_bad_seq = (gint64) frontier.size + 1;
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_MISSING,
                   "第 %" G_GUINT64_FORMAT " 条起的审计记录被删除：%s #%" G_GINT64_FORMAT " 记载共 %" G_GUINT64_FORMAT " 条，现只有 %" G_GUINT64_FORMAT " 条 [audit.removed]",
                   frontier.size + 1, checkpoint_label (cp), cp->id, cp->tree_size, frontier.size);
      return FALSE;
    }
  return TRUE;

fail:
  sqlite3_finalize (stmt);
  return FALSE;
}

gboolean
mz_audit_verify_shipped (sqlite3             *db,
                         const char          *public_key_path,
                         const char          *shipped_checkpoints,
                         MzAuditVerifyResult *result,
                         GError             **error)
{
  Verifier v = { 0 };
  MzAuditVerifyResult local = { 0 };
  gboolean own_txn;
  gboolean ok;

  g_return_val_if_fail (db != NULL, FALSE);
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
  if (!has_audit_tables (db))
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_NOT_FOUND,
                   "数据库中没有审计日志（缺少 audit_meta 表） [audit.not_found]");
      return FALSE;
    }

  /* One snapshot for everything read on the caller's connection, so that
   * entries committed meanwhile by the host do not look like a mismatch
   * with the checkpoints read earlier. */
  own_txn = sqlite3_get_autocommit (db) != 0 &&
            sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;

  v.db = db;
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
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  return ok;
}

gboolean
mz_audit_verify (sqlite3             *db,
                 const char          *public_key_path,
                 MzAuditVerifyResult *result,
                 GError             **error)
{
  return mz_audit_verify_shipped (db, public_key_path, NULL, result, error);
}
