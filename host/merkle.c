/* minzheng host — RFC 6962 Merkle tree hashing for the audit log.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "merkle.h"

#include <string.h>
#include <sodium.h>

#include "sha256.h"
#include "sm3.h"

/* libsodium's SHA-256 rather than GChecksum: no object per digest and
 * about twice as fast, which matters when verify hashes every entry. */
static void
sha256_sodium_digest (const guint8 *data,
                      gsize         len,
                      guint8       *out)
{
  crypto_hash_sha256 (out, data, len);
}

static void
sha256_ni_digest (const guint8 *data,
                  gsize         len,
                  guint8       *out)
{
  mz_sha256_ni (data, len, out);
}

static const MzHashAlgo sha256_sodium_algo = {
  .name = "sha256",
  .digest_size = crypto_hash_sha256_BYTES,
  .digest = sha256_sodium_digest,
};

static const MzHashAlgo sha256_ni_algo = {
  .name = "sha256",
  .digest_size = crypto_hash_sha256_BYTES,
  .digest = sha256_ni_digest,
};

static void
sm3_digest (const guint8 *data,
            gsize         len,
            guint8       *out)
{
  mz_sm3 (data, len, out);
}

static const MzHashAlgo sm3_algo = {
  .name = "sm3",
  .digest_size = MZ_SM3_DIGEST_SIZE,
  .digest = sm3_digest,
};

/* The same digests either way; the CPU's SHA instructions when it has
 * them, since verify spends most of its time hashing. */
const MzHashAlgo *
mz_hash_algo_sha256 (void)
{
  return mz_sha256_ni_available () ? &sha256_ni_algo : &sha256_sodium_algo;
}

const MzHashAlgo *
mz_hash_algo_sha256_portable (void)
{
  return &sha256_sodium_algo;
}

const MzHashAlgo *
mz_hash_algo_lookup (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  if (strcmp (name, "sha256") == 0)
    return mz_hash_algo_sha256 ();
  if (strcmp (name, sm3_algo.name) == 0)
    return &sm3_algo;
  return NULL;
}

void
mz_merkle_leaf_hash_prefixed (const MzHashAlgo *algo,
                              const guint8     *prefixed_data,
                              gsize             len,
                              guint8           *out)
{
  g_return_if_fail (len >= 1 && prefixed_data[0] == 0x00);

  algo->digest (prefixed_data, len, out);
}

void
mz_merkle_node_hash (const MzHashAlgo *algo,
                     const guint8     *left,
                     const guint8     *right,
                     guint8           *out)
{
  guint8 buf[1 + 2 * MZ_HASH_MAX_SIZE];
  gsize n = algo->digest_size;

  buf[0] = 0x01;
  memcpy (buf + 1, left, n);
  memcpy (buf + 1 + n, right, n);
  algo->digest (buf, 1 + 2 * n, out);
}

void
mz_merkle_frontier_init (MzMerkleFrontier *frontier,
                         const MzHashAlgo *algo)
{
  frontier->algo = algo;
  frontier->size = 0;
  frontier->count = 0;
}

/* Appending leaf number `size` closes one perfect subtree per trailing one
 * bit of `size`: each closed pair becomes its parent. */
void
mz_merkle_frontier_append (MzMerkleFrontier *frontier,
                           const guint8     *leaf_hash)
{
  const MzHashAlgo *algo = frontier->algo;
  guint8 cur[MZ_HASH_MAX_SIZE];
  guint64 index = frontier->size;

  memcpy (cur, leaf_hash, algo->digest_size);
  while (index & 1)
    {
      mz_merkle_node_hash (algo, frontier->roots[frontier->count - 1], cur, cur);
      frontier->count--;
      index >>= 1;
    }
  memcpy (frontier->roots[frontier->count], cur, algo->digest_size);
  frontier->count++;
  frontier->size++;
}

/* The RFC 6962 head folds the subtree roots from the right: the smaller
 * subtrees form the right-hand side of each split. */
void
mz_merkle_frontier_root (const MzMerkleFrontier *frontier,
                         guint8                 *out)
{
  const MzHashAlgo *algo = frontier->algo;
  guint8 r[MZ_HASH_MAX_SIZE];

  if (frontier->count == 0)
    {
      algo->digest ((const guint8 *) "", 0, out);
      return;
    }
  memcpy (r, frontier->roots[frontier->count - 1], algo->digest_size);
  for (guint i = frontier->count - 1; i-- > 0;)
    mz_merkle_node_hash (algo, frontier->roots[i], r, r);
  memcpy (out, r, algo->digest_size);
}

GBytes *
mz_merkle_frontier_serialize (const MzMerkleFrontier *frontier)
{
  gsize n = frontier->algo->digest_size;
  guint8 *data = g_malloc (MAX (1, frontier->count * n));

  for (guint i = 0; i < frontier->count; i++)
    memcpy (data + i * n, frontier->roots[i], n);
  return g_bytes_new_take (data, frontier->count * n);
}

gboolean
mz_merkle_frontier_deserialize (MzMerkleFrontier *frontier,
                                const MzHashAlgo *algo,
                                guint64           size,
                                const guint8     *data,
                                gsize             len)
{
  guint count = (guint) __builtin_popcountll (size);
  gsize n = algo->digest_size;

  if (len != count * n || (count > 0 && data == NULL))
    return FALSE;
  mz_merkle_frontier_init (frontier, algo);
  for (guint i = 0; i < count; i++)
    memcpy (frontier->roots[i], data + i * n, n);
  frontier->count = count;
  frontier->size = size;
  return TRUE;
}

/* The largest power of two strictly smaller than @n (n >= 2). */
static guint64
split_point (guint64 n)
{
  guint64 k = 1;

  while (k << 1 < n)
    k <<= 1;
  return k;
}

void
mz_merkle_tree_root (const MzHashAlgo *algo,
                     const guint8     *leaves,
                     guint64           n,
                     guint8           *out)
{
  MzMerkleFrontier frontier;

  mz_merkle_frontier_init (&frontier, algo);
  for (guint64 i = 0; i < n; i++)
    mz_merkle_frontier_append (&frontier, leaves + i * algo->digest_size);
  mz_merkle_frontier_root (&frontier, out);
}

/* RFC 6962 §2.1.1 PATH(m, D[n]): the sibling subtree's head is appended
 * after the path inside the subtree, so digests run from the leaf upwards. */
static void
inclusion_path (const MzHashAlgo *algo,
                const guint8     *leaves,
                guint64           n,
                guint64           m,
                GByteArray       *path)
{
  guint8 sibling[MZ_HASH_MAX_SIZE];
  gsize d = algo->digest_size;
  guint64 k;

  if (n <= 1)
    return;
  k = split_point (n);
  if (m < k)
    {
      inclusion_path (algo, leaves, k, m, path);
      mz_merkle_tree_root (algo, leaves + k * d, n - k, sibling);
    }
  else
    {
      inclusion_path (algo, leaves + k * d, n - k, m - k, path);
      mz_merkle_tree_root (algo, leaves, k, sibling);
    }
  g_byte_array_append (path, sibling, d);
}

GByteArray *
mz_merkle_inclusion_path (const MzHashAlgo *algo,
                          const guint8     *leaves,
                          guint64           n,
                          guint64           index)
{
  GByteArray *path = g_byte_array_new ();

  g_return_val_if_fail (index < n, path);

  inclusion_path (algo, leaves, n, index, path);
  return path;
}

gboolean
mz_merkle_inclusion_verify (const MzHashAlgo *algo,
                            guint64           index,
                            guint64           tree_size,
                            const guint8     *leaf_hash,
                            const guint8     *path,
                            gsize             path_count,
                            const guint8     *root)
{
  guint8 r[MZ_HASH_MAX_SIZE];
  gsize d = algo->digest_size;
  guint64 fn = index;
  guint64 sn = tree_size - 1;

  if (index >= tree_size)
    return FALSE;
  memcpy (r, leaf_hash, d);
  for (gsize i = 0; i < path_count; i++)
    {
      const guint8 *p = path + i * d;

      if (sn == 0)
        return FALSE;
      if ((fn & 1) || fn == sn)
        {
          mz_merkle_node_hash (algo, p, r, r);
          while (!(fn & 1) && fn != 0)
            {
              fn >>= 1;
              sn >>= 1;
            }
        }
      else
        mz_merkle_node_hash (algo, r, p, r);
      fn >>= 1;
      sn >>= 1;
    }
  return sn == 0 && sodium_memcmp (r, root, d) == 0;
}
