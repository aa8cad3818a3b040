/* minzheng host — SM3 (GB/T 32905-2016): Merkle–Damgård over 512-bit
 * blocks, the same padding as SHA-256, a 68-word message expansion and 64
 * rounds.  Written from the standard; the test vectors of its appendix A
 * are in tests/audit/test-merkle.c.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sm3.h"

#include <string.h>

static inline guint32
rotl (guint32 x,
      guint   n)
{
  n &= 31;
  return n == 0 ? x : (x << n) | (x >> (32 - n));
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

  for (int j = 0; j < 64; j++)
    {
      guint32 t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
      guint32 ss1 = rotl (rotl (a, 12) + e + rotl (t, (guint) j), 7);
      guint32 ss2 = ss1 ^ rotl (a, 12);
      guint32 ff = j < 16 ? (a ^ b ^ c) : ((a & b) | (a & c) | (b & c));
      guint32 gg = j < 16 ? (e ^ f ^ g) : ((e & f) | (~e & g));
      guint32 tt1 = ff + d + ss2 + w1[j];
      guint32 tt2 = gg + h + ss1 + w[j];

      d = c;
      c = rotl (b, 9);
      b = a;
      a = tt1;
      h = g;
      g = rotl (f, 19);
      f = e;
      e = p0 (tt2);
    }

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
