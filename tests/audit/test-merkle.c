/* minzheng tests — RFC 6962 hashing: tree heads, frontier, inclusion proofs.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <sodium.h>

#include "merkle.h"
#include "sha256.h"

/* The leaves and tree heads of certificate-transparency's reference tests
 * (RFC 6962 implementations agree on them). */
static const char *const ct_leaves[] = {
  "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
};
static const char *const ct_roots[] = {
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static void
leaf_of_hex (const char *hex,
             guint8     *out)
{
  guint8 buf[64] = { 0 };
  size_t len = 0;

  g_assert_cmpint (sodium_hex2bin (buf + 1, sizeof buf - 1, hex, strlen (hex), NULL, &len, NULL), ==, 0);
  mz_merkle_leaf_hash_prefixed (mz_hash_algo_sha256 (), buf, len + 1, out);
}

static char *
to_hex (const guint8 *data)
{
  char *hex = g_malloc (65);

  sodium_bin2hex (hex, 65, data, 32);
  return hex;
}

static void
test_reference_roots (void)
{
  const MzHashAlgo *algo = mz_hash_algo_sha256 ();
  MzMerkleFrontier frontier;
  guint8 root[32];
  g_autofree char *empty = NULL;

  mz_merkle_frontier_init (&frontier, algo);
  mz_merkle_frontier_root (&frontier, root);
  empty = to_hex (root);
  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  for (guint i = 0; i < G_N_ELEMENTS (ct_leaves); i++)
    {
      guint8 leaf[32];
      g_autofree char *hex = NULL;

      leaf_of_hex (ct_leaves[i], leaf);
      mz_merkle_frontier_append (&frontier, leaf);
      mz_merkle_frontier_root (&frontier, root);
      hex = to_hex (root);
      g_assert_cmpstr (hex, ==, ct_roots[i]);
    }
}

/* MTH straight from RFC 6962 §2.1, recursively, to compare the frontier. */
static void
reference_mth (const guint8 *leaves,
               guint64       n,
               guint8       *out)
{
  const MzHashAlgo *algo = mz_hash_algo_sha256 ();
  guint8 l[32], r[32];
  guint64 k = 1;

  if (n == 1)
    {
      memcpy (out, leaves, 32);
      return;
    }
  while (k * 2 < n)
    k *= 2;
  reference_mth (leaves, k, l);
  reference_mth (leaves + k * 32, n - k, r);
  mz_merkle_node_hash (algo, l, r, out);
}

static guint8 *
random_leaves (guint n)
{
  guint8 *leaves = g_malloc (n * 32);

  for (guint i = 0; i < n; i++)
    {
      guint8 data[9] = { 0 };

      data[1] = (guint8) i;
      data[2] = (guint8) (i >> 8);
      data[3] = (guint8) g_test_rand_int ();
      mz_merkle_leaf_hash_prefixed (mz_hash_algo_sha256 (), data, sizeof data, leaves + i * 32);
    }
  return leaves;
}

static void
test_frontier_matches_definition (void)
{
  const MzHashAlgo *algo = mz_hash_algo_sha256 ();
  g_autofree guint8 *leaves = random_leaves (300);
  MzMerkleFrontier frontier;

  mz_merkle_frontier_init (&frontier, algo);
  for (guint n = 1; n <= 300; n++)
    {
      MzMerkleFrontier copy;
      g_autoptr (GBytes) bytes = NULL;
      guint8 a[32], b[32], c[32];

      mz_merkle_frontier_append (&frontier, leaves + (n - 1) * 32);
      mz_merkle_frontier_root (&frontier, a);
      reference_mth (leaves, n, b);
      g_assert_cmpmem (a, 32, b, 32);
      g_assert_cmpuint (frontier.count, ==, __builtin_popcount (n));

      bytes = mz_merkle_frontier_serialize (&frontier);
      g_assert_true (mz_merkle_frontier_deserialize (&copy, algo, n, g_bytes_get_data (bytes, NULL),
                                                     g_bytes_get_size (bytes)));
      mz_merkle_frontier_root (&copy, c);
      g_assert_cmpmem (a, 32, c, 32);
      if (__builtin_popcount (n + 1) != __builtin_popcount (n))
        g_assert_false (mz_merkle_frontier_deserialize (&copy, algo, n + 1, g_bytes_get_data (bytes, NULL),
                                                        g_bytes_get_size (bytes)));
    }
}

static void
test_inclusion_proofs (void)
{
  const MzHashAlgo *algo = mz_hash_algo_sha256 ();
  g_autofree guint8 *leaves = random_leaves (70);

  for (guint64 n = 1; n <= 70; n++)
    {
      guint8 root[32];

      mz_merkle_tree_root (algo, leaves, n, root);
      for (guint64 m = 0; m < n; m++)
        {
          g_autoptr (GByteArray) path = mz_merkle_inclusion_path (algo, leaves, n, m);
          gsize count = path->len / 32;

          g_assert_true (mz_merkle_inclusion_verify (algo, m, n, leaves + m * 32, path->data, count, root));
          /* The same path proves nothing for a neighbour, a flipped bit or
           * a truncated path.  (The tree size is bound to the root by the
           * checkpoint's signature, not by the path.) */
          if (n > 1)
            g_assert_false (mz_merkle_inclusion_verify (algo, (m + 1) % n, n, leaves + m * 32,
                                                        path->data, count, root));
          if (count > 0)
            {
              path->data[path->len - 1] ^= 0x01;
              g_assert_false (mz_merkle_inclusion_verify (algo, m, n, leaves + m * 32, path->data, count, root));
              path->data[path->len - 1] ^= 0x01;
              g_assert_false (mz_merkle_inclusion_verify (algo, m, n, leaves + m * 32, path->data, count - 1, root));
            }
        }
    }
}

/* The SHA-NI code against libsodium at every length across several
 * blocks, so that padding and block boundaries are all exercised. */
static void
test_sha256_ni_matches_libsodium (void)
{
  guint8 data[700];

  if (!mz_sha256_ni_available ())
    {
      g_test_skip ("this CPU has no SHA instructions");
      return;
    }
  for (gsize i = 0; i < sizeof data; i++)
    data[i] = (guint8) g_test_rand_int ();
  for (gsize len = 0; len <= sizeof data; len++)
    {
      guint8 a[32], b[32];

      mz_sha256_ni (data, len, a);
      crypto_hash_sha256 (b, data, len);
      g_assert_cmpmem (a, 32, b, 32);
    }
  g_assert_true (mz_hash_algo_sha256 ()->digest != mz_hash_algo_sha256_portable ()->digest);
}

/* GB/T 32905-2016 appendix A: "abc" and "abcd" sixteen times. */
static void
test_sm3_vectors (void)
{
  const MzHashAlgo *sm3 = mz_hash_algo_lookup ("sm3");
  const char *sixteen = "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd";
  guint8 out[32];
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  g_assert_nonnull (sm3);
  g_assert_cmpstr (sm3->name, ==, "sm3");
  sm3->digest ((const guint8 *) "abc", 3, out);
  a = to_hex (out);
  g_assert_cmpstr (a, ==, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  sm3->digest ((const guint8 *) sixteen, strlen (sixteen), out);
  b = to_hex (out);
  g_assert_cmpstr (b, ==, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

static void
test_algo_lookup (void)
{
  g_assert_true (mz_hash_algo_lookup ("sha256") == mz_hash_algo_sha256 ());
  g_assert_nonnull (mz_hash_algo_lookup ("sm3"));
  g_assert_null (mz_hash_algo_lookup ("md5"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_func ("/merkle/reference-roots", test_reference_roots);
  g_test_add_func ("/merkle/frontier-matches-definition", test_frontier_matches_definition);
  g_test_add_func ("/merkle/inclusion-proofs", test_inclusion_proofs);
  g_test_add_func ("/merkle/algo-lookup", test_algo_lookup);
  g_test_add_func ("/merkle/sm3-vectors", test_sm3_vectors);
  g_test_add_func ("/merkle/sha256-ni-matches-libsodium", test_sha256_ni_matches_libsodium);
  return g_test_run ();
}
