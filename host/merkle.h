/* minzheng host — RFC 6962 Merkle tree hashing for the audit log.
 *
 * Leaf hash H(0x00 || data), node hash H(0x01 || left || right), the tree
 * head of any size (the tree is left-full: the left subtree holds the
 * largest power of two smaller than the size), inclusion proofs, and the
 * compact frontier (one subtree root per set bit of the size) that lets the
 * log append in O(log n) without keeping the tree.
 *
 * The hash is a small table (SHA-256, or SM3 of GB/T 32905) so that the
 * tree code does not depend on which.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest digest any algorithm may have. */
#define MZ_HASH_MAX_SIZE 64

/**
 * MzHashAlgo:
 * @name: the name stored in the database ("sha256")
 * @digest_size: bytes of a digest, at most %MZ_HASH_MAX_SIZE
 * @digest: hashes @len bytes of @data into @out in one call
 */
typedef struct
{
  const char *name;
  gsize digest_size;
  void (*digest) (const guint8 *data, gsize len, guint8 *out);
} MzHashAlgo;

/* The algorithms the log knows, by their stored name; NULL if unknown. */
const MzHashAlgo *mz_hash_algo_lookup (const char *name);
const MzHashAlgo *mz_hash_algo_sha256 (void);
/* libsodium's portable SHA-256 even where the CPU has SHA instructions,
 * for tests and benchmarks that compare the two. */
const MzHashAlgo *mz_hash_algo_sha256_portable (void);

/* H(0x00 || data) where @prefixed_data[0] is already 0x00: the caller
 * reserves the first byte so the leaf is hashed without a copy. */
void mz_merkle_leaf_hash_prefixed (const MzHashAlgo *algo,
                                   const guint8     *prefixed_data,
                                   gsize             len,
                                   guint8           *out);
void mz_merkle_node_hash (const MzHashAlgo *algo,
                          const guint8     *left,
                          const guint8     *right,
                          guint8           *out);

/* The roots of the perfect subtrees that make up a tree of @size leaves,
 * largest (leftmost) first; there are as many as @size has set bits. */
typedef struct
{
  const MzHashAlgo *algo;
  guint64 size;
  guint count;
  guint8 roots[64][MZ_HASH_MAX_SIZE];
} MzMerkleFrontier;

void mz_merkle_frontier_init (MzMerkleFrontier *frontier, const MzHashAlgo *algo);
void mz_merkle_frontier_append (MzMerkleFrontier *frontier, const guint8 *leaf_hash);
/* The tree head (RFC 6962 MTH) of the leaves appended so far. */
void mz_merkle_frontier_root (const MzMerkleFrontier *frontier, guint8 *out);
/* The roots concatenated, for storing beside a checkpoint. */
GBytes *mz_merkle_frontier_serialize (const MzMerkleFrontier *frontier);
/* Rebuilds a frontier of @size leaves from mz_merkle_frontier_serialize's
 * bytes; FALSE if the length does not fit @size. */
gboolean mz_merkle_frontier_deserialize (MzMerkleFrontier *frontier,
                                         const MzHashAlgo *algo,
                                         guint64           size,
                                         const guint8     *data,
                                         gsize             len);

/* MTH of @n leaf hashes stored back to back in @leaves. */
void mz_merkle_tree_root (const MzHashAlgo *algo,
                          const guint8     *leaves,
                          guint64           n,
                          guint8           *out);

/* The RFC 6962 audit path of leaf @index in the tree of the @n leaf hashes
 * in @leaves: digests from the leaf's sibling upwards, back to back in the
 * returned array. */
GByteArray *mz_merkle_inclusion_path (const MzHashAlgo *algo,
                                      const guint8     *leaves,
                                      guint64           n,
                                      guint64           index);

/* RFC 9162 §2.1.3.2: does @path (@path_count digests) prove that
 * @leaf_hash is leaf @index of the tree of @tree_size with head @root? */
gboolean mz_merkle_inclusion_verify (const MzHashAlgo *algo,
                                     guint64           index,
                                     guint64           tree_size,
                                     const guint8     *leaf_hash,
                                     const guint8     *path,
                                     gsize             path_count,
                                     const guint8     *root);

G_END_DECLS
