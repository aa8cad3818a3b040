/* minzheng SDK — validators for the identifiers every business line shares:
 * resident ID number (居民身份证号码, GB 11643-1999), unified social credit
 * code (统一社会信用代码, GB 32100-2015) and division code (行政区划代码,
 * GB/T 2260).
 *
 * Every refusal is an MZ_FIELD_ERROR whose message is "<中文理由> [<rule>]".
 * Messages never repeat the number itself: they end up in logs, and an ID
 * number is personal data.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include <string.h>

#include "sdk-private.h"

/* The earliest birth year accepted in an ID number.  GB 11643 itself sets no
 * bound and real numbers of people born in the 1880s exist (the standard's
 * own example 440524188001010014 is one), so the bound only catches typing
 * errors such as 0949 for 1949. */
#define MZ_ID_MIN_BIRTH_YEAR 1800

/* Office-local time is China Standard Time, which has no daylight saving, so a
 * fixed offset gives the same answer as the Asia/Shanghai zone without
 * depending on the tz database being installed. */
#define MZ_OFFICE_UTC_OFFSET (8 * 3600)

static const char uscc_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Copies @text without surrounding ASCII white space.  Interior white space
 * is kept so that it is refused as a format error, not silently joined. */
static char *
strip_copy (const char *text)
{
  return g_strstrip (g_strdup (text));
}

/* Length in characters, so that a number typed with full-width digits is
 * reported with the length the clerk sees.  Input that is not UTF-8 counts
 * in bytes; it is refused as a format error right after. */
static glong
text_length (const char *text)
{
  if (g_utf8_validate (text, -1, NULL))
    return g_utf8_strlen (text, -1);
  return (glong) strlen (text);
}

/* Refuses input that is not plain ASCII, naming the 1-based character
 * position of the first other character (a full-width digit, a Chinese
 * character), so that the later checks can index bytes as characters. */
static gboolean
check_ascii (const char *text, const char *rule, GError **error)
{
  glong pos = 1;

  if (!g_utf8_validate (text, -1, NULL))
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, rule,
                             "含有无法识别的字符（不是 UTF-8 文本）");
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), pos++)
    if ((guchar) *p >= 0x80)
      return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, rule,
                               "第 %ld 位不是半角字符（请勿使用全角数字或汉字）", pos);
  return TRUE;
}

static void
today_in_office (GDate *out)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_offset (MZ_OFFICE_UTC_OFFSET);
  g_autoptr (GDateTime) now = g_date_time_new_now (tz);

  g_date_clear (out, 1);
  g_date_set_dmy (out,
                  (GDateDay) g_date_time_get_day_of_month (now),
                  (GDateMonth) g_date_time_get_month (now),
                  (GDateYear) g_date_time_get_year (now));
}

/* Reports the first character that is not allowed, with its 1-based
 * position, so a clerk can find the typing error on the form. */
static gboolean
id_number_check_characters (const char *s, gsize len, GError **error)
{
  for (gsize i = 0; i < len; i++)
    {
      gboolean last = (i == len - 1);

      if (g_ascii_isdigit (s[i]))
        continue;
      if (last && len == 18 && (s[i] == 'X' || s[i] == 'x'))
        continue;
      if (s[i] == ' ' || s[i] == '\t')
        return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "id_number.format",
                                 "第 %" G_GSIZE_FORMAT " 位是空格，身份证号码中间不能有空格", i + 1);
      if (last && len == 18)
        return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "id_number.format",
                                 "第 18 位（校验码）只能是数字或 X");
      return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "id_number.format",
                               "第 %" G_GSIZE_FORMAT " 位不是数字", i + 1);
    }
  return TRUE;
}

/* ISO 7064 MOD 11-2 over the first 17 digits, as GB 11643-1999 §5.2.4:
 * weight of position i is 2^(17-i) mod 11. */
static char
id_number_check_char (const char *s)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char map[] = "10X98765432";
  int sum = 0;

  for (int i = 0; i < 17; i++)
    sum += (s[i] - '0') * weights[i];
  return map[sum % 11];
}

/* The messages do not quote the date: it is part of the ID number, and a
 * refusal's message is shown and kept in the audit log as it is. */
static gboolean
id_number_check_birth (const char *yyyymmdd, const char *today, GDate *birth, GError **error)
{
  int year = (yyyymmdd[0] - '0') * 1000 + (yyyymmdd[1] - '0') * 100
             + (yyyymmdd[2] - '0') * 10 + (yyyymmdd[3] - '0');
  int month = (yyyymmdd[4] - '0') * 10 + (yyyymmdd[5] - '0');
  int day = (yyyymmdd[6] - '0') * 10 + (yyyymmdd[7] - '0');
  GDate limit;

  if (year < 1 || month < 1 || month > 12 || day < 1
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "id_number.birth_date",
                             "身份证号码第 7–14 位所示出生日期不是真实的日期，请核对");
  if (year < MZ_ID_MIN_BIRTH_YEAR)
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_RANGE, "id_number.birth_date",
                             "身份证号码所示出生年份早于 %d 年，请核对", MZ_ID_MIN_BIRTH_YEAR);

  g_date_clear (birth, 1);
  g_date_set_dmy (birth, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
  if (today != NULL)
    mz_date_parse (today, &limit);
  else
    today_in_office (&limit);
  if (g_date_compare (birth, &limit) > 0)
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_RANGE, "id_number.birth_date",
                             "身份证号码所示出生日期晚于今天，请核对");
  return TRUE;
}

gboolean
mz_id_number_parse (const char *text,
                    const char *today,
                    gboolean    allow_legacy,
                    MzIdNumber *out,
                    GError    **error)
{
  g_autofree char *s = NULL;
  char birth8[9];
  GDate birth;
  gsize len;
  char seq;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (today == NULL || mz_date_parse (today, NULL), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  s = strip_copy (text);
  if (*s == '\0')
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "id_number.length",
                             "身份证号码为空");
  if (!g_utf8_validate (s, -1, NULL))
    return check_ascii (s, "id_number.format", error);
  len = (gsize) text_length (s);
  if (len != 18 && !(allow_legacy && len == 15))
    {
      if (allow_legacy)
        return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "id_number.length",
                                 "身份证号码应为 18 位（或旧式 15 位），实为 %" G_GSIZE_FORMAT " 位",
                                 len);
      return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "id_number.length",
                               "身份证号码应为 18 位，实为 %" G_GSIZE_FORMAT " 位", len);
    }
  if (!check_ascii (s, "id_number.format", error)
      || !id_number_check_characters (s, len, error))
    return FALSE;

  if (len == 15)
    {
      /* Numbers of 1984–1999 carry a two-digit year of the 1900s and no
       * check character (GB 11643-1989). */
      birth8[0] = '1';
      birth8[1] = '9';
      memcpy (birth8 + 2, s + 6, 6);
    }
  else
    memcpy (birth8, s + 6, 8);
  birth8[8] = '\0';
  if (!id_number_check_birth (birth8, today, &birth, error))
    return FALSE;

  if (len == 18)
    {
      char expected = id_number_check_char (s);

      s[17] = g_ascii_toupper (s[17]);
      if (s[17] != expected)
        return mz_sdk_error_set (error, MZ_FIELD_ERROR_CHECKSUM, "id_number.checksum",
                                 "身份证号码校验码错误，按前 17 位应为 %c，请核对号码",
                                 expected);
    }

  seq = s[len == 18 ? 16 : 14];
  if (out != NULL)
    {
      memset (out, 0, sizeof *out);
      memcpy (out->normalized, s, len);
      memcpy (out->division, s, 6);
      g_snprintf (out->birth, sizeof out->birth, "%.4s-%.2s-%.2s",
                  birth8, birth8 + 4, birth8 + 6);
      out->sex = ((seq - '0') % 2 == 1) ? MZ_SEX_MALE : MZ_SEX_FEMALE;
      out->legacy = (len == 15);
    }
  return TRUE;
}

static int
uscc_value (char c)
{
  const char *p = strchr (uscc_alphabet, c);

  return (c != '\0' && p != NULL) ? (int) (p - uscc_alphabet) : -1;
}

/* The organisation code (组织机构代码, GB 11714-1997) in positions 9–17 has
 * its own check character; letters count 10 for A up to 35 for Z. */
static gboolean
uscc_inner_check_ok (const char *code9)
{
  static const int weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
  int sum = 0;
  int check;
  char expected;

  for (int i = 0; i < 8; i++)
    {
      char c = code9[i];
      int v = g_ascii_isdigit (c) ? c - '0' : c - 'A' + 10;

      sum += v * weights[i];
    }
  check = 11 - sum % 11;
  if (check == 10)
    expected = 'X';
  else if (check == 11)
    expected = '0';
  else
    expected = (char) ('0' + check);
  return code9[8] == expected;
}

gboolean
mz_uscc_parse (const char *text, MzUscc *out, GError **error)
{
  g_autofree char *s = NULL;
  int sum = 0;
  int check;
  gsize len;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  s = strip_copy (text);
  if (!g_utf8_validate (s, -1, NULL))
    return check_ascii (s, "uscc.alphabet", error);
  len = (gsize) text_length (s);
  if (len != 18)
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "uscc.length",
                             "统一社会信用代码应为 18 位，实为 %" G_GSIZE_FORMAT " 位", len);
  if (!check_ascii (s, "uscc.alphabet", error))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      s[i] = g_ascii_toupper (s[i]);
      if (uscc_value (s[i]) < 0)
        {
          if (s[i] == ' ' || s[i] == '\t')
            return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "uscc.alphabet",
                                     "第 %" G_GSIZE_FORMAT " 位是空格，代码中间不能有空格",
                                     i + 1);
          if (g_ascii_isalpha (s[i]))
            return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "uscc.alphabet",
                                     "第 %" G_GSIZE_FORMAT " 位字母 %c 不在代码字符集中"
                                     "（不使用 I、O、Z、S、V）", i + 1, s[i]);
          return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "uscc.alphabet",
                                   "第 %" G_GSIZE_FORMAT " 位不是数字或大写字母", i + 1);
        }
    }
  for (gsize i = 2; i < 8; i++)
    if (!g_ascii_isdigit (s[i]))
      return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "uscc.division",
                               "第 3 至 8 位（登记管理机关行政区划码）应全为数字");

  /* GB 32100-2015 §5: weight of position i is 3^i mod 31. */
  {
    static const int weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };

    for (int i = 0; i < 17; i++)
      sum += uscc_value (s[i]) * weights[i];
  }
  check = 31 - sum % 31;
  if (check == 31)
    check = 0;
  if (s[17] != uscc_alphabet[check])
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_CHECKSUM, "uscc.checksum",
                             "统一社会信用代码校验码错误，按前 17 位应为 %c，请核对代码",
                             uscc_alphabet[check]);

  if (out != NULL)
    {
      memset (out, 0, sizeof *out);
      memcpy (out->normalized, s, 18);
      memcpy (out->division, s + 2, 6);
      out->civil_affairs = (s[0] == '5');
      out->type = MZ_USCC_OTHER;
      if (out->civil_affairs)
        {
          if (s[1] == '1')
            out->type = MZ_USCC_SOCIAL_GROUP;
          else if (s[1] == '2')
            out->type = MZ_USCC_PRIVATE_NONPROFIT;
          else if (s[1] == '3')
            out->type = MZ_USCC_FOUNDATION;
        }
      out->inner_check_ok = uscc_inner_check_ok (s + 8);
    }
  return TRUE;
}

/* Province-level codes of GB/T 2260 (and 71/81/82 for Taiwan, Hong Kong and
 * Macao), which have been stable since 1997; anything else is a typing
 * error, not a new province. */
static gboolean
division_province_known (int province)
{
  static const int provinces[] = {
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37,
    41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65,
    71, 81, 82,
  };

  for (gsize i = 0; i < G_N_ELEMENTS (provinces); i++)
    if (provinces[i] == province)
      return TRUE;
  return FALSE;
}

gboolean
mz_division_code_check (const char *text, GError **error)
{
  int province;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text_length (text) != 6)
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "division.format",
                             "行政区划代码应为 6 位数字，实为 %ld 位", text_length (text));
  if (!check_ascii (text, "division.format", error))
    return FALSE;
  for (int i = 0; i < 6; i++)
    if (!g_ascii_isdigit (text[i]))
      return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "division.format",
                               "行政区划代码第 %d 位不是数字", i + 1);

  province = (text[0] - '0') * 10 + (text[1] - '0');
  if (!division_province_known (province))
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "division.province",
                             "行政区划代码前两位 %.2s 不是省级代码（GB/T 2260）", text);
  if (text[2] == '0' && text[3] == '0' && !(text[4] == '0' && text[5] == '0'))
    return mz_sdk_error_set (error, MZ_FIELD_ERROR_FORMAT, "division.format",
                             "行政区划代码第 3、4 位（地级）为 00 时第 5、6 位（县级）也应为 00");
  return TRUE;
}
