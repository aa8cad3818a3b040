/* minzheng SDK — money as integer fen (分).  Amounts are parsed and printed
 * with integer arithmetic only: a subsidy of 1200 元 must be 120000 fen
 * exactly, which binary floating point cannot promise.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include <string.h>

#include "sdk-private.h"

#define FEN_PER_WAN G_GUINT64_CONSTANT (1000000)

/* Thousands separators are accepted only where they belong ("1,200",
 * "12,345,678"): a misplaced comma ("12,00") is more likely a decimal comma
 * typed by mistake than a separator, and guessing would change the amount by
 * a factor of a hundred. */
static gboolean
money_integer_part_ok (const char *s, gsize len)
{
  const char *comma = memchr (s, ',', len);
  gsize group = 0;

  if (len == 0)
    return FALSE;
  if (comma == NULL)
    {
      for (gsize i = 0; i < len; i++)
        if (!g_ascii_isdigit (s[i]))
          return FALSE;
      return TRUE;
    }
  if (comma == s || (gsize) (comma - s) > 3)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == ',')
        {
          if (i != (gsize) (comma - s) && group != 3)
            return FALSE;
          group = 0;
        }
      else if (g_ascii_isdigit (s[i]))
        group++;
      else
        return FALSE;
    }
  return group == 3;
}

gboolean
mz_money_parse_yuan (const char *text, gint64 *out_fen, GError **error)
{
  g_autofree char *s = NULL;
  const char *dot;
  gsize int_len;
  guint64 yuan = 0;
  guint64 fen = 0;
  guint64 total;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  s = g_strstrip (g_strdup (text));
  if (*s == '\0')
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "money.format", "金额为空");
  if (*s == '-')
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_RANGE, "money.negative", "金额不能为负数");
  if (*s == '+')
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "money.format",
                             "金额前不能带正负号，请只填写数字，如 1200.50");

  dot = strchr (s, '.');
  int_len = dot != NULL ? (gsize) (dot - s) : strlen (s);
  if (!money_integer_part_ok (s, int_len))
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "money.format",
                             "金额格式不正确，应为以元为单位的数字，如 1200 或 1,200.50");
  if (dot != NULL)
    {
      gsize decimals = strlen (dot + 1);

      if (decimals == 0)
        return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "money.format",
                                 "小数点后缺少数字，如 1200.50");
      for (gsize i = 1; i <= decimals; i++)
        if (!g_ascii_isdigit (dot[i]))
          return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "money.format",
                                   "金额格式不正确，应为以元为单位的数字，如 1200 或 1,200.50");
      if (decimals > 2)
        return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "money.decimals",
                                 "金额最多精确到分（小数点后两位）");
      fen = (guint64) (dot[1] - '0') * 10 + (decimals == 2 ? (guint64) (dot[2] - '0') : 0);
    }

  for (gsize i = 0; i < int_len; i++)
    {
      guint64 digit;

      if (s[i] == ',')
        continue;
      digit = (guint64) (s[i] - '0');
      if (yuan > (G_MAXINT64 / 100 - digit) / 10)
        return mz_sdk_error_set (error, MZ_FIELD_ERROR_RANGE, "money.overflow", "金额过大");
      yuan = yuan * 10 + digit;
    }
  total = yuan * 100 + fen;
  if (total > G_MAXINT64)
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_RANGE, "money.overflow", "金额过大");

  if (out_fen != NULL)
    *out_fen = (gint64) total;
  return TRUE;
}

/* The magnitude as unsigned, so that G_MININT64 has one too. */
static guint64
money_magnitude (gint64 fen)
{
  return fen < 0 ? (guint64) 0 - (guint64) fen : (guint64) fen;
}

char *
mz_money_format_yuan (gint64 fen)
{
  guint64 m = money_magnitude (fen);

  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u",
                          fen < 0 ? "-" : "",
                          m / 100, (guint) (m % 100));
}

/* Report sentences quote 万元 ("35.6 万元"); rounding is half away from
 * zero, as the statistical offices do, so -0.05 万元 rounds to -0.1, and a
 * value that rounds to zero is printed without a sign. */
char *
mz_money_format_wan (gint64 fen, guint decimals)
{
  guint64 m = money_magnitude (fen);
  guint64 unit = FEN_PER_WAN;
  guint64 scale = 1;
  guint64 q;

  g_return_val_if_fail (decimals <= 6, NULL);

  for (guint i = 0; i < decimals; i++)
    {
      unit /= 10;
      scale *= 10;
    }
  q = m / unit;
  if ((m % unit) * 2 >= unit)
    q++;

  if (decimals == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT, (fen < 0 && q != 0) ? "-" : "", q);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT,
                          (fen < 0 && q != 0) ? "-" : "",
                          q / scale, (int) decimals, q % scale);
}
