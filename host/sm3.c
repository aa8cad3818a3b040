/* minzheng host — SM3 (GB/T 32905-2016): Merkle–Damgård over 512-bit
 * blocks, the same padding as SHA-256, a 68-word message expansion and 64
 * rounds.  Written from the standard; the test vectors of its appendix A
 * are in tests/audit/test-merkle.c.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sm3.h"

#include <string.h>

/* T_j rotated left by j, as each round uses it. */
static const guint32 t_rotated[64] = {
  0x79cc4519, 0xf3988a32, 0xe7311465, 0xce6228cb, 0x9cc45197, 0x3988a32f, 0x7311465e, 0xe6228cbc,
  0xcc451979, 0x988a32f3, 0x311465e7, 0x6228cbce, 0xc451979c, 0x88a32f39, 0x11465e73, 0x228cbce6,
  0x9d8a7a87, 0x3b14f50f, 0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3, 0x629ea1e7, 0xc53d43ce,
  0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec, 0xa7a879d8, 0x4f50f3b1, 0x9ea1e762, 0x3d43cec5,
  0x7a879d8a, 0xf50f3b14, 0xea1e7629, 0xd43cec53, 0xa879d8a7, 0x50f3b14f, 0xa1e7629e, 0x43cec53d,
  0x879d8a7a, 0x0f3b14f5, 0x1e7629ea, 0x3cec53d4, 0x79d8a7a8, 0xf3b14f50, 0xe7629ea1, 0xcec53d43,
  0x9d8a7a87, 0x3b14f50f, 0x7629ea1e, 0xec53d43c, 0xd8a7a879, 0xb14f50f3, 0x629ea1e7, 0xc53d43ce,
  0x8a7a879d, 0x14f50f3b, 0x29ea1e76, 0x53d43cec, 0xa7a879d8, 0x4f50f3b1, 0x9ea1e762, 0x3d43cec5,
};

/* Only called with constant 0 < n < 32. */
static inline guint32
rotl (guint32 x,
      guint   n)
{
  return (x << n) | (x >> (32 - n));
}

static inline guint32
p0 (guint32 x)
{
  return x ^ rotl (x, 9) ^ rotl (x, 17);
}

static inline guint32
p1 (guint32 x)
{
  return x ^ rotl (x, 15) ^ rotl (x, 23);
}

static void
sm3_block (guint32      *v,
           const guint8 *block)
{
  guint32 w[68], w1[64];
  guint32 a = v[0], b = v[1], c = v[2], d = v[3];
  guint32 e = v[4], f = v[5], g = v[6], h = v[7];

  for (int j = 0; j < 16; j++)
    w[j] = (guint32) block[4 * j] << 24 | (guint32) block[4 * j + 1] << 16 |
           (guint32) block[4 * j + 2] << 8 | (guint32) block[4 * j + 3];
  for (int j = 16; j < 68; j++)
    w[j] = p1 (w[j - 16] ^ w[j - 9] ^ rotl (w[j - 3], 15)) ^ rotl (w[j - 13], 7) ^ w[j - 6];
  for (int j = 0; j < 64; j++)
    w1[j] = w[j] ^ w[j + 4];

  /* The two halves differ only in FF and GG; separate loops keep the
   * rounds free of branches. */
#define SM3_ROUND(j, ff, gg) \
  G_STMT_START { \
    guint32 a12 = rotl (a, 12); \
    guint32 ss1 = rotl (a12 + e + t_rotated[j], 7); \
    guint32 ss2 = ss1 ^ a12; \
    guint32 tt1 = (ff) + d + ss2 + w1[j]; \
    guint32 tt2 = (gg) + h + ss1 + w[j]; \
    d = c; \
    c = rotl (b, 9); \
    b = a; \
    a = tt1; \
    h = g; \
    g = rotl (f, 19); \
    f = e; \
    e = p0 (tt2); \
  } G_STMT_END
  for (int j = 0; j < 16; j++)
    SM3_ROUND (j, a ^ b ^ c, e ^ f ^ g);
  for (int j = 16; j < 64; j++)
    SM3_ROUND (j, (a & b) | (a & c) | (b & c), (e & f) | (~e & g));
#undef SM3_ROUND

  v[0] ^= a;
  v[1] ^= b;
  v[2] ^= c;
  v[3] ^= d;
  v[4] ^= e;
  v[5] ^= f;
  v[6] ^= g;
  v[7] ^= h;
}

void
mz_sm3 (const guint8 *data,
        gsize         len,
        guint8        out[MZ_SM3_DIGEST_SIZE])
{
  guint32 v[8] = {
    0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
  };
  guint8 tail[128] = { 0 };
  gsize full = len / 64;
  gsize rest = len % 64;
  gsize tail_len = rest < 56 ? 64 : 128;
  guint64 bits = (guint64) len * 8;

  for (gsize i = 0; i < full; i++)
    sm3_block (v, data + 64 * i);
  if (rest > 0)
    memcpy (tail, data + full * 64, rest);
  tail[rest] = 0x80;
  for (int i = 0; i < 8; i++)
    tail[tail_len - 1 - i] = (guint8) (bits >> (8 * i));
  for (gsize i = 0; i < tail_len; i += 64)
    sm3_block (v, tail + i);
  for (int i = 0; i < 8; i++)
    {
      out[4 * i] = (guint8) (v[i] >> 24);
      out[4 * i + 1] = (guint8) (v[i] >> 16);
      out[4 * i + 2] = (guint8) (v[i] >> 8);
      out[4 * i + 3] = (guint8) v[i];
    }
}
