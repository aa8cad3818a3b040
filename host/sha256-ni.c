/* minzheng host — SHA-256 with the x86 SHA extensions (FIPS 180-4).
 *
 * The round structure follows Intel's SHA extensions reference (the state
 * is kept as ABEF/CDGH pairs, four rounds per pair of sha256rnds2, message
 * schedule by sha256msg1/sha256msg2).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "sha256.h"

#include <string.h>

#if defined (__x86_64__) && defined (__GNUC__)
#include <cpuid.h>
#include <immintrin.h>

static const guint32 k256[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

gboolean
mz_sha256_ni_available (void)
{
  static gsize result = 0;

  if (g_once_init_enter (&result))
    {
      unsigned int a = 0, b = 0, c = 0, d = 0;
      gboolean ok = FALSE;

      if (__get_cpuid (1, &a, &b, &c, &d) && (c & bit_SSSE3) && (c & bit_SSE4_1) &&
          __get_cpuid_count (7, 0, &a, &b, &c, &d) && (b & bit_SHA))
        ok = TRUE;
      g_once_init_leave (&result, ok ? 2 : 1);
    }
  return result == 2;
}

__attribute__ ((target ("sha,ssse3,sse4.1")))
static void
sha256_blocks (guint32      *state,
               const guint8 *data,
               gsize         blocks)
{
  const __m128i mask = _mm_set_epi64x (0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i state0, state1, msg, tmp, abef, cdgh;
  __m128i w[4];

  tmp = _mm_loadu_si128 ((const __m128i *) &state[0]);
  state1 = _mm_loadu_si128 ((const __m128i *) &state[4]);
  tmp = _mm_shuffle_epi32 (tmp, 0xB1);
  state1 = _mm_shuffle_epi32 (state1, 0x1B);
  state0 = _mm_alignr_epi8 (tmp, state1, 8);
  state1 = _mm_blend_epi16 (state1, tmp, 0xF0);

  for (; blocks > 0; blocks--, data += 64)
    {
      abef = state0;
      cdgh = state1;
      for (int i = 0; i < 4; i++)
        w[i] = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *) (data + 16 * i)), mask);

      /* Group g uses w[g % 4]; from group 3 on it finishes the schedule
       * of w[(g + 1) % 4] (msg2), up to group 12 it starts that of
       * w[(g - 1) % 4] (msg1). */
      for (int g = 0; g < 16; g++)
        {
          __m128i cur = w[g & 3];

          msg = _mm_add_epi32 (cur, _mm_loadu_si128 ((const __m128i *) (k256 + 4 * g)));
          state1 = _mm_sha256rnds2_epu32 (state1, state0, msg);
          if (g >= 3 && g <= 14)
            {
              tmp = _mm_alignr_epi8 (cur, w[(g - 1) & 3], 4);
              w[(g + 1) & 3] = _mm_add_epi32 (w[(g + 1) & 3], tmp);
              w[(g + 1) & 3] = _mm_sha256msg2_epu32 (w[(g + 1) & 3], cur);
            }
          msg = _mm_shuffle_epi32 (msg, 0x0E);
          state0 = _mm_sha256rnds2_epu32 (state0, state1, msg);
          if (g >= 1 && g <= 12)
            w[(g - 1) & 3] = _mm_sha256msg1_epu32 (w[(g - 1) & 3], cur);
        }

      state0 = _mm_add_epi32 (state0, abef);
      state1 = _mm_add_epi32 (state1, cdgh);
    }

  tmp = _mm_shuffle_epi32 (state0, 0x1B);
  state1 = _mm_shuffle_epi32 (state1, 0xB1);
  state0 = _mm_blend_epi16 (tmp, state1, 0xF0);
  state1 = _mm_alignr_epi8 (state1, tmp, 8);
  _mm_storeu_si128 ((__m128i *) &state[0], state0);
  _mm_storeu_si128 ((__m128i *) &state[4], state1);
}

void
mz_sha256_ni (const guint8 *data,
              gsize         len,
              guint8        out[32])
{
  guint32 state[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  };
  guint8 tail[128] = { 0 };
  gsize full = len / 64;
  gsize rest = len % 64;
  gsize tail_len = rest < 56 ? 64 : 128;
  guint64 bits = (guint64) len * 8;

  sha256_blocks (state, data, full);
  if (rest > 0)
    memcpy (tail, data + full * 64, rest);
  tail[rest] = 0x80;
  for (int i = 0; i < 8; i++)
    tail[tail_len - 1 - i] = (guint8) (bits >> (8 * i));
  sha256_blocks (state, tail, tail_len / 64);
  for (int i = 0; i < 8; i++)
    {
      out[4 * i] = (guint8) (state[i] >> 24);
      out[4 * i + 1] = (guint8) (state[i] >> 16);
      out[4 * i + 2] = (guint8) (state[i] >> 8);
      out[4 * i + 3] = (guint8) state[i];
    }
}

#else

gboolean
mz_sha256_ni_available (void)
{
  return FALSE;
}

void
mz_sha256_ni (const guint8 *data,
              gsize         len,
              guint8        out[32])
{
  g_return_if_reached ();
}

#endif
