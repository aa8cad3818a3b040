/* minzheng SDK — validators for the identifiers every business line uses,
 * and the date and money helpers around them.  Pure functions: no host is
 * needed, so plugins unit-test their rules with them directly.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined (__MINZHENG_H_INSIDE__) && !defined (MINZHENG_COMPILATION)
#error "Only <minzheng/minzheng.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* Errors are in MZ_FIELD_ERROR (FORMAT, CHECKSUM, RANGE) with messages
 * "<Chinese reason> [<rule>]", e.g. "校验码错误，应为 X [id_number.checksum]".
 * The host prefixes the field's name and label when it validates a record. */

/**
 * MzSex:
 * sex as encoded by the ID number's sequence digit (odd 男, even 女)
 */
typedef enum
{
  MZ_SEX_UNKNOWN = 0,
  MZ_SEX_MALE,
  MZ_SEX_FEMALE,
} MzSex;

/**
 * MzIdNumber:
 * @normalized: the 18 (or legacy 15) characters, `x` upper-cased
 * @division: the six-digit division code of the first registration
 * @birth: date of birth "YYYY-MM-DD"
 * @sex: from the sequence digit
 * @legacy: a 15-digit number issued before 1999
 */
typedef struct
{
  char normalized[19];
  char division[7];
  char birth[11];
  MzSex sex;
  gboolean legacy;
} MzIdNumber;

/**
 * mz_id_number_parse:
 * @text: the number as entered; surrounding spaces are removed
 * @today: (nullable): "YYYY-MM-DD"; a birth date after it is refused
 * @allow_legacy: accept 15-digit numbers
 * @out: (out caller-allocates) (optional): the parsed number
 *
 * Checks a resident ID number (GB 11643-1999): length, digits, a real birth
 * date, and the ISO 7064 MOD 11-2 check character.
 */
gboolean mz_id_number_parse (const char *text,
                             const char *today,
                             gboolean    allow_legacy,
                             MzIdNumber *out,
                             GError    **error);

/**
 * MzUsccType:
 * position 2 of a civil-affairs credit code
 */
typedef enum
{
  MZ_USCC_OTHER = 0,
  MZ_USCC_SOCIAL_GROUP,    /* 1 社会团体 */
  MZ_USCC_PRIVATE_NONPROFIT, /* 2 民办非企业单位（社会服务机构） */
  MZ_USCC_FOUNDATION,      /* 3 基金会 */
} MzUsccType;

/**
 * MzUscc:
 * @normalized: the 18 characters, upper-cased
 * @division: positions 3–8
 * @civil_affairs: position 1 is `5` (registered by civil affairs)
 * @type: from position 2 when @civil_affairs
 * @inner_check_ok: the organisation code (positions 9–17) passes its own
 *   check; some early codes do not, which is a warning, not a refusal
 */
typedef struct
{
  char normalized[19];
  char division[7];
  gboolean civil_affairs;
  MzUsccType type;
  gboolean inner_check_ok;
} MzUscc;

/**
 * mz_uscc_parse:
 *
 * Checks a unified social credit code (GB 32100-2015): length, alphabet
 * `0-9A-HJ-NPQRTUWXY`, and the check character (weights 3^i mod 31).
 */
gboolean mz_uscc_parse (const char *text, MzUscc *out, GError **error);

/**
 * mz_division_code_check:
 *
 * Checks the shape of a GB/T 2260 division code: six digits, a province
 * part from 11 to 82, not all-zero city with a non-zero county.
 */
gboolean mz_division_code_check (const char *text, GError **error);

/* --- dates: "YYYY-MM-DD", proleptic Gregorian --------------------------- */

/* TRUE and *out set when @text is a real date in that form. */
gboolean mz_date_parse (const char *text, GDate *out);
/* Newly allocated "YYYY-MM-DD" of @date + @days (days may be negative). */
char *mz_date_add_days (const char *date, gint days);
/* Days from @from to @to (negative when @to is earlier); G_MININT on bad input. */
gint mz_date_diff_days (const char *from, const char *to);
/* Completed years of age on @on of a person born on @birth (a person born on
 * 29 February turns a year older on 1 March in common years); -1 on bad input. */
gint mz_date_age_on (const char *birth, const char *on);

/* --- money: integer fen ----------------------------------------------------- */

/* Parses "1200", "1200.5", "1,200.50" 元 into fen; refuses more than two
 * decimals, signs and overflow. */
gboolean mz_money_parse_yuan (const char *text, gint64 *out_fen, GError **error);
/* "1200.00" */
char *mz_money_format_yuan (gint64 fen);
/* 万元 rounded half away from zero to @decimals places: 356000 元 → "35.6" */
char *mz_money_format_wan (gint64 fen, guint decimals);

G_END_DECLS
