/* minzheng host — validating one field value by its declared type, and
 * masking personal values.
 *
 * Validation happens before any transaction starts, so a bad value never
 * holds the writer.  Every refusal names the field, its Chinese label, the
 * rule and the value — masked when the field is personal or an ID number.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "record.h"

#define MZ_TEXT_DEFAULT_MAX 256
#define MZ_SHOWN_MAX 24

static gboolean
is_personal (const MzFieldDef *field)
{
  return (field->flags & MZ_FIELD_PERSONAL) || field->type == MZ_FIELD_ID_NUMBER;
}

static char *
mask_text (const char *text,
           MzFieldType type)
{
  glong n = g_utf8_strlen (text, -1);
  g_autoptr (GString) out = g_string_new (NULL);
  glong keep_head;
  glong keep_tail = 0;

  if (type == MZ_FIELD_ID_NUMBER && n >= 12)
    {
      keep_head = 4;
      keep_tail = 4;
    }
  else if (type == MZ_FIELD_DATE && n == 10)
    return g_strdup_printf ("%.4s-**-**", text);
  else if (n <= 1)
    keep_head = 0;
  else if (n <= 4)
    keep_head = 1;
  else
    keep_head = 2;

  for (glong i = 0; i < n; i++)
    {
      const char *p = g_utf8_offset_to_pointer (text, i);

      if (i < keep_head || i >= n - keep_tail)
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      else
        g_string_append_c (out, '*');
    }
  if (n == 0)
    g_string_append_c (out, '*');
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
mz_value_mask (const MzFieldDef *field,
               const MzValue    *value)
{
  if (value == NULL || !value->set)
    return NULL;
  if (!mz_field_type_is_text (field->type))
    return g_strdup ("***");
  return mask_text (value->text, field->type);
}

char *
mz_value_to_string (const MzFieldDef *field,
                    const MzValue    *value)
{
  if (value == NULL || !value->set)
    return NULL;
  if (mz_field_type_is_text (field->type))
    return g_strdup (value->text);
  if (field->type == MZ_FIELD_BOOLEAN)
    return g_strdup (value->number ? "true" : "false");
  return g_strdup_printf ("%" G_GINT64_FORMAT, value->number);
}

/* What a message may show of the raw input: masked when personal,
 * shortened when long, and only valid UTF-8. */
static char *
shown (const MzFieldDef *field,
       const char       *input)
{
  g_autofree char *valid = g_utf8_make_valid (input, -1);
  g_autofree char *clean = g_strdup (valid);

  for (char *p = clean; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = '?';

  if (is_personal (field))
    return mask_text (valid, field->type);
  if (g_utf8_strlen (clean, -1) > MZ_SHOWN_MAX)
    {
      g_autofree char *head = g_utf8_substring (clean, 0, MZ_SHOWN_MAX);
      return g_strconcat (head, "…", NULL);
    }
  return g_steal_pointer (&clean);
}

static gboolean
refuse (GError          **error,
        const MzFieldDef *field,
        MzFieldError      code,
        const char       *rule,
        const char       *input,
        const char       *reason)
{
  g_autofree char *value = shown (field, input);

  return mz_field_error_set (error, code, field->name, field->label, rule,
                             "%s（输入值“%s”）", reason, value);
}

/* Re-labels an SDK validator's error with the field, keeping its code and rule. */
static gboolean
refuse_from (GError          **error,
             const MzFieldDef *field,
             const char       *input,
             GError           *inner)
{
  g_autofree char *rule = mz_error_code_name (inner);
  g_autofree char *reason = mz_error_reason (inner);
  MzFieldError code = inner->domain == MZ_FIELD_ERROR ? (MzFieldError) inner->code : MZ_FIELD_ERROR_FORMAT;

  g_error_free (inner);
  return refuse (error, field, code, rule != NULL ? rule : "format", input, reason);
}

static void
number_bounds (const MzFieldDef *field,
               gint64           *lo,
               gint64           *hi)
{
  gboolean unbounded = field->min == 0 && field->max == 0;

  *lo = unbounded ? G_MININT64 : field->min;
  *hi = unbounded || (field->max == 0 && field->min >= 0) ? G_MAXINT64 : field->max;
  if (field->type == MZ_FIELD_MONEY && field->min >= 0 && *lo < 0)
    *lo = 0;
  if (field->type == MZ_FIELD_BOOLEAN)
    {
      *lo = 0;
      *hi = 1;
    }
}

gboolean
mz_value_check_number (const MzFieldDef *field,
                       gint64            number,
                       GError          **error)
{
  char text[24];
  gint64 lo, hi;

  /* A stack buffer, not an allocation: every number of every action comes
   * through here, and the text is only shown when the number is refused. */
  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, number);
  number_bounds (field, &lo, &hi);
  if (field->type == MZ_FIELD_MONEY && number < 0 && lo >= 0)
    return refuse (error, field, MZ_FIELD_ERROR_RANGE, "money.negative", text, "金额不能为负数");
  if (number < lo || number > hi)
    {
      g_autofree char *reason = g_strdup_printf ("须在 %" G_GINT64_FORMAT " 到 %" G_GINT64_FORMAT " 之间",
                                                 lo, hi);
      return refuse (error, field, MZ_FIELD_ERROR_RANGE,
                     field->type == MZ_FIELD_MONEY ? "money.range" : "integer.range", text, reason);
    }
  if (field->type == MZ_FIELD_REFERENCE && number <= 0)
    return refuse (error, field, MZ_FIELD_ERROR_FORMAT, "reference.format", text, "记录编号须为正整数");
  return TRUE;
}

static gboolean
parse_text (const MzFieldDef *field,
            const char       *input,
            MzValue          *out,
            GError          **error)
{
  guint max = field->max_length != 0 ? field->max_length : MZ_TEXT_DEFAULT_MAX;
  glong n;

  if (!g_utf8_validate (input, -1, NULL))
    return refuse (error, field, MZ_FIELD_ERROR_FORMAT, "text.encoding", input, "不是有效的 UTF-8 文本");
  for (const char *p = input; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') || *p == 0x7f)
      return refuse (error, field, MZ_FIELD_ERROR_FORMAT, "text.control", input, "含有控制字符");
  n = g_utf8_strlen (input, -1);
  if (n > (glong) max)
    {
      g_autofree char *reason = g_strdup_printf ("长度为 %ld 个字符，超过上限 %u 个字符", n, max);
      return refuse (error, field, MZ_FIELD_ERROR_TOO_LONG, "text.too_long", input, reason);
    }
  out->text = g_strdup (input);
  return TRUE;
}

static gboolean
parse_date (const MzFieldDef *field,
            const char       *input,
            MzValue          *out,
            GError          **error)
{
  static const guint digits[] = { 0, 1, 2, 3, 5, 6, 8, 9 };
  guint y, m, d;

  if (strlen (input) != 10 || input[4] != '-' || input[7] != '-')
    return refuse (error, field, MZ_FIELD_ERROR_FORMAT, "date.format", input,
                   "日期格式须为 YYYY-MM-DD");
  for (guint i = 0; i < G_N_ELEMENTS (digits); i++)
    if (!g_ascii_isdigit (input[digits[i]]))
      return refuse (error, field, MZ_FIELD_ERROR_FORMAT, "date.format", input,
                     "日期格式须为 YYYY-MM-DD");
  y = (guint) g_ascii_digit_value (input[0]) * 1000 + (guint) g_ascii_digit_value (input[1]) * 100
      + (guint) g_ascii_digit_value (input[2]) * 10 + (guint) g_ascii_digit_value (input[3]);
  m = (guint) g_ascii_digit_value (input[5]) * 10 + (guint) g_ascii_digit_value (input[6]);
  d = (guint) g_ascii_digit_value (input[8]) * 10 + (guint) g_ascii_digit_value (input[9]);
  if (y < 1 || m < 1 || m > 12 || d < 1
      || !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    return refuse (error, field, MZ_FIELD_ERROR_FORMAT, "date.invalid", input, "不是真实存在的日期");
  out->text = g_strdup (input);
  return TRUE;
}

static gboolean
parse_datetime (const MzFieldDef *field,
                const char       *input,
                MzValue          *out,
                GError          **error)
{
  g_autoptr (GDateTime) dt = NULL;
  g_autoptr (GDateTime) utc = NULL;

  if (strlen (input) < 20 || input[10] != 'T')
    return refuse (error, field, MZ_FIELD_ERROR_FORMAT, "datetime.format", input,
                   "时间格式须为 ISO 8601，如 2025-05-20T08:00:00Z，并带时区");
  dt = g_date_time_new_from_iso8601 (input, NULL);
  if (dt == NULL)
    return refuse (error, field, MZ_FIELD_ERROR_FORMAT, "datetime.format", input,
                   "不是有效的 ISO 8601 时间（须带时区，如 Z 或 +08:00）");
  utc = g_date_time_to_utc (dt);
  out->text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  return TRUE;
}

static gboolean
parse_number (const MzFieldDef *field,
              const char       *input,
              MzValue          *out,
              GError          **error)
{
  gint64 n;

  if (field->type == MZ_FIELD_BOOLEAN)
    {
      if (g_str_equal (input, "1") || g_ascii_strcasecmp (input, "true") == 0
          || g_str_equal (input, "是"))
        n = 1;
      else if (g_str_equal (input, "0") || g_ascii_strcasecmp (input, "false") == 0
               || g_str_equal (input, "否"))
        n = 0;
      else
        return refuse (error, field, MZ_FIELD_ERROR_FORMAT, "boolean.format", input,
                       "须为 是/否、true/false 或 1/0");
    }
  else if (!g_ascii_string_to_signed (input, 10, G_MININT64, G_MAXINT64, &n, NULL))
    {
      const char *rule = field->type == MZ_FIELD_MONEY ? "money.format"
                         : field->type == MZ_FIELD_REFERENCE ? "reference.format" : "integer.format";
      return refuse (error, field, MZ_FIELD_ERROR_FORMAT, rule, input,
                     field->type == MZ_FIELD_MONEY ? "金额须为以分为单位的整数" : "须为整数");
    }
  if (!mz_value_check_number (field, n, error))
    return FALSE;
  out->number = n;
  return TRUE;
}

gboolean
mz_value_parse (const MzFieldDef *field,
                const char       *input,
                const char       *today,
                MzValue          *out,
                GError          **error)
{
  GError *inner = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (field != NULL && input != NULL && out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (input[0] == '\0')
    return TRUE;

  switch (field->type)
    {
    case MZ_FIELD_TEXT:
      ok = parse_text (field, input, out, error);
      break;
    case MZ_FIELD_DATE:
      ok = parse_date (field, input, out, error);
      break;
    case MZ_FIELD_DATETIME:
      ok = parse_datetime (field, input, out, error);
      break;
    case MZ_FIELD_INTEGER:
    case MZ_FIELD_MONEY:
    case MZ_FIELD_BOOLEAN:
    case MZ_FIELD_REFERENCE:
      ok = parse_number (field, input, out, error);
      break;
    case MZ_FIELD_ENUM:
      ok = FALSE;
      for (guint i = 0; field->enum_values[i].value != NULL && !ok; i++)
        ok = g_str_equal (field->enum_values[i].value, input);
      if (!ok)
        {
          g_autoptr (GString) allowed = g_string_new (NULL);

          for (guint i = 0; field->enum_values[i].value != NULL; i++)
            g_string_append_printf (allowed, "%s%s（%s）", i > 0 ? "、" : "",
                                    field->enum_values[i].value, field->enum_values[i].label);
          g_string_prepend (allowed, "不是可选值之一；可选：");
          return refuse (error, field, MZ_FIELD_ERROR_ENUM, "enum.unknown", input, allowed->str);
        }
      out->text = g_strdup (input);
      break;
    case MZ_FIELD_ID_NUMBER:
      {
        MzIdNumber id;

        if (!mz_id_number_parse (input, today, (field->flags & MZ_FIELD_LEGACY_ID) != 0, &id, &inner))
          return refuse_from (error, field, input, inner);
        out->text = g_strdup (id.normalized);
      }
      break;
    case MZ_FIELD_USCC:
      {
        MzUscc code;

        if (!mz_uscc_parse (input, &code, &inner))
          return refuse_from (error, field, input, inner);
        if (!code.inner_check_ok)
          g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                            "MESSAGE_ID", "field.uscc.inner_check",
                            "MESSAGE", "field %s: credit code %s fails the organisation-code check "
                            "(early-issued codes may): accepted", field->name, code.normalized);
        out->text = g_strdup (code.normalized);
      }
      break;
    case MZ_FIELD_DIVISION:
      if (!mz_division_code_check (input, &inner))
        return refuse_from (error, field, input, inner);
      out->text = g_strdup (input);
      break;
    default:
      g_return_val_if_reached (FALSE);
    }
  if (!ok)
    return FALSE;
  out->set = TRUE;
  return TRUE;
}
