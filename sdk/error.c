/* minzheng SDK — the two-faced error convention: "<Chinese reason> [<code>]".
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include <stdarg.h>
#include <string.h>

#include "sdk-private.h"

G_DEFINE_QUARK (mz-field-error-quark, mz_field_error)
G_DEFINE_QUARK (mz-rule-error-quark, mz_rule_error)

gboolean
mz_rule_refuse (GError    **error,
                const char *code,
                const char *format,
                ...)
{
  va_list ap;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (code != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  va_start (ap, format);
  reason = g_strdup_vprintf (format, ap);
  va_end (ap);

  g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED, "%s [%s]", reason, code);
  return FALSE;
}

gboolean
mz_field_error_set (GError    **error,
                    MzFieldError code,
                    const char *field,
                    const char *label,
                    const char *rule,
                    const char *format,
                    ...)
{
  va_list ap;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (field != NULL, FALSE);
  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  va_start (ap, format);
  reason = g_strdup_vprintf (format, ap);
  va_end (ap);

  if (label != NULL)
    g_set_error (error, MZ_FIELD_ERROR, code, "字段 %s（%s）：%s [field.%s]",
                 field, label, reason, rule);
  else
    g_set_error (error, MZ_FIELD_ERROR, code, "字段 %s：%s [field.%s]",
                 field, reason, rule);
  return FALSE;
}

gboolean
mz_sdk_error_set (GError     **error,
                  MzFieldError code,
                  const char  *rule,
                  const char  *format,
                  ...)
{
  va_list ap;
  g_autofree char *reason = NULL;

  g_return_val_if_fail (rule != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  va_start (ap, format);
  reason = g_strdup_vprintf (format, ap);
  va_end (ap);

  g_set_error (error, MZ_FIELD_ERROR, code, "%s [%s]", reason, rule);
  return FALSE;
}

/* The code is the text between the last "[" and the "]" that ends the
 * message, made of the characters codes use (letters, digits, "_", ".",
 * "-"); anything else, such as "[见附件 1]" or "[a b]", is not a code, and we
 * say so with NULL rather than guess. */
static const char *
find_code (const char *message, gsize *len)
{
  gsize n = strlen (message);
  const char *open;

  if (n < 3 || message[n - 1] != ']')
    return NULL;
  open = g_strrstr (message, "[");
  if (open == NULL || open[1] == ']')
    return NULL;
  for (const char *p = open + 1; p < message + n - 1; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '-')
      return NULL;
  *len = (gsize) (message + n - 1 - (open + 1));
  return open + 1;
}

char *
mz_error_code_name (const GError *error)
{
  const char *code;
  gsize len = 0;

  g_return_val_if_fail (error != NULL, NULL);

  code = find_code (error->message, &len);
  return code != NULL ? g_strndup (code, len) : NULL;
}

char *
mz_error_reason (const GError *error)
{
  const char *code;
  gsize len = 0;

  g_return_val_if_fail (error != NULL, NULL);

  code = find_code (error->message, &len);
  if (code == NULL)
    return g_strdup (error->message);
  /* code - 1 is '['; drop the space before it too. */
  return g_strchomp (g_strndup (error->message, (gsize) (code - 1 - error->message)));
}
