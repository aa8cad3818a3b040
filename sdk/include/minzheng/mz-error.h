/* minzheng SDK — error domains shared by the host and every plugin.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined (__MINZHENG_H_INSIDE__) && !defined (MINZHENG_COMPILATION)
#error "Only <minzheng/minzheng.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* Every refusal a clerk or a program can see has two faces: a Chinese
 * sentence for the clerk and a stable English code for programs.  The
 * message of such a GError is written as
 *
 *     <Chinese reason> [<code>]
 *
 * for example "男方未满二十二周岁，不符合法定婚龄（民法典第一千零四十七条）
 * [marriage.under_age]", and, when one field is at fault,
 *
 *     字段 husband_id（男方身份证号）：校验码错误 [field.id_number.checksum]
 *
 * mz_error_code_name() returns the code part; the HTTP API and `--json`
 * output carry it separately. */

/**
 * MzFieldError:
 * @MZ_FIELD_ERROR_REQUIRED: a required field is missing or empty
 * @MZ_FIELD_ERROR_UNKNOWN: the field is not declared by the kind or not an input of the action
 * @MZ_FIELD_ERROR_TOO_LONG: text longer than the declared maximum (in characters)
 * @MZ_FIELD_ERROR_FORMAT: not of the field type's form (not a number, not a date, bad characters)
 * @MZ_FIELD_ERROR_CHECKSUM: an ID number or credit code whose check character is wrong
 * @MZ_FIELD_ERROR_RANGE: a number or date outside the declared range (negative money, future birth date)
 * @MZ_FIELD_ERROR_ENUM: a value not in the enum's list
 * @MZ_FIELD_ERROR_REFERENCE: a reference to a record that does not exist
 * @MZ_FIELD_ERROR_DUPLICATE: a unique key already held by another record
 *
 * Errors in one value, raised by the host's validation before anything is
 * written and by the SDK validators.
 */
typedef enum
{
  MZ_FIELD_ERROR_REQUIRED,
  MZ_FIELD_ERROR_UNKNOWN,
  MZ_FIELD_ERROR_TOO_LONG,
  MZ_FIELD_ERROR_FORMAT,
  MZ_FIELD_ERROR_CHECKSUM,
  MZ_FIELD_ERROR_RANGE,
  MZ_FIELD_ERROR_ENUM,
  MZ_FIELD_ERROR_REFERENCE,
  MZ_FIELD_ERROR_DUPLICATE,
} MzFieldError;

#define MZ_FIELD_ERROR (mz_field_error_quark ())
GQuark mz_field_error_quark (void);

/**
 * MzRuleError:
 * @MZ_RULE_ERROR_REFUSED: a business rule refuses the action; the message names the ground and the law
 * @MZ_RULE_ERROR_STATE: the action is not allowed from the record's current state
 * @MZ_RULE_ERROR_STALE: the record changed since the caller read it (optimistic concurrency)
 * @MZ_RULE_ERROR_PERMISSION: the actor's role lacks the permission the action needs
 * @MZ_RULE_ERROR_SEPARATION: separation of duties: the same person may not perform both steps
 * @MZ_RULE_ERROR_NOT_FOUND: no record with that id
 * @MZ_RULE_ERROR_CONFIG: the plugin's configuration cannot be used
 *
 * Refusals from workflow and business rules.  Plugins raise
 * %MZ_RULE_ERROR_REFUSED from their guards with mz_rule_refuse().
 */
typedef enum
{
  MZ_RULE_ERROR_REFUSED,
  MZ_RULE_ERROR_STATE,
  MZ_RULE_ERROR_STALE,
  MZ_RULE_ERROR_PERMISSION,
  MZ_RULE_ERROR_SEPARATION,
  MZ_RULE_ERROR_NOT_FOUND,
  MZ_RULE_ERROR_CONFIG,
} MzRuleError;

#define MZ_RULE_ERROR (mz_rule_error_quark ())
GQuark mz_rule_error_quark (void);

/**
 * mz_rule_refuse:
 * @error: (out) return location, may be %NULL
 * @code: stable English code, "plugin.reason" (e.g. "marriage.under_age")
 * @format: Chinese reason naming the ground and, where one applies, the article of law
 *
 * Sets @error to %MZ_RULE_ERROR_REFUSED with the message "<reason> [<code>]".
 * Always returns %FALSE so a guard can `return mz_rule_refuse (...);`.
 */
gboolean mz_rule_refuse (GError    **error,
                         const char *code,
                         const char *format,
                         ...) G_GNUC_PRINTF (3, 4);

/**
 * mz_field_error_set:
 * @error: (out) return location, may be %NULL
 * @code: an #MzFieldError
 * @field: the field's name
 * @label: the field's Chinese label, or %NULL
 * @rule: stable English code of the rule, e.g. "id_number.checksum"
 * @format: Chinese reason
 *
 * Sets @error in %MZ_FIELD_ERROR with the message
 * "字段 <field>（<label>）：<reason> [field.<rule>]".  Returns %FALSE.
 */
gboolean mz_field_error_set (GError    **error,
                             MzFieldError code,
                             const char *field,
                             const char *label,
                             const char *rule,
                             const char *format,
                             ...) G_GNUC_PRINTF (6, 7);

/**
 * mz_error_code_name:
 * @error: a #GError following the convention above
 *
 * Returns: (transfer full) (nullable): the code between the final square
 * brackets of the message, or %NULL when there is none.
 */
char *mz_error_code_name (const GError *error);

/**
 * mz_error_reason:
 * @error: a #GError following the convention above
 *
 * Returns: (transfer full): the message without the trailing " [code]".
 */
char *mz_error_reason (const GError *error);

G_END_DECLS
