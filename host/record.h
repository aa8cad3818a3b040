/* minzheng host — records and field values in memory (struct _MzRecord),
 * their validation by field type, masking of personal values, and JSON.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "registry.h"

G_BEGIN_DECLS

/* One field's value: text types keep @text, integer types @number. */
typedef struct
{
  gboolean set;
  gint64 number;
  char *text;
} MzValue;

struct _MzRecord
{
  const MzKind *kind;
  gint64 id;
  gint64 version;
  gint64 created_at;   /* UTC microseconds */
  gint64 updated_at;
  char *state;
  MzValue *values;     /* kind->n_fields */
};

/* TRUE for field types whose values are text (dates, enums, identifiers). */
gboolean mz_field_type_is_text (MzFieldType type);

void mz_value_clear (MzValue *value);
gboolean mz_value_equal (const MzValue *a, const MzValue *b);

MzRecord *mz_record_new (const MzKind *kind);
MzRecord *mz_record_copy (const MzRecord *record);
void mz_record_free (MzRecord *record);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzRecord, mz_record_free)
/* Replaces field @index's value with @value (moved: @value is left unset). */
void mz_record_take (MzRecord *record, guint index, MzValue *value);

/* The MzHost record_* members. */
gint64 mz_record_get_id (const MzRecord *record);
const char *mz_record_get_kind (const MzRecord *record);
const char *mz_record_get_state (const MzRecord *record);
gint64 mz_record_get_version (const MzRecord *record);
gboolean mz_record_has (const MzRecord *record, const char *field);
const char *mz_record_get_text (const MzRecord *record, const char *field);
gint64 mz_record_get_int64 (const MzRecord *record, const char *field, gint64 fallback);

/* Parses and checks @input (as a clerk or program typed it) for @field;
 * "" leaves @out unset.  @today bounds birth dates in ID numbers.  On
 * failure the error names the field, its label, the rule and the value
 * (masked when personal), in MZ_FIELD_ERROR. */
gboolean mz_value_parse (const MzFieldDef *field, const char *input, const char *today,
                         MzValue *out, GError **error);
/* Checks an integer value an effect sets (range, boolean, money sign). */
gboolean mz_value_check_number (const MzFieldDef *field, gint64 number, GError **error);

/* The value as text for messages and CSV (NULL when unset). */
char *mz_value_to_string (const MzFieldDef *field, const MzValue *value);
/* The value with personal data hidden: "4405**********0014", "张*". */
char *mz_value_mask (const MzFieldDef *field, const MzValue *value);

/* {"id", "kind", "state", "state_label", "version", "created_at",
 * "updated_at", "fields": {...}}; personal fields masked unless @unmask. */
JsonNode *mz_record_to_json (const MzRecord *record, gboolean unmask);

/* "2025-05-20T08:00:00Z" for a UTC microsecond time. */
char *mz_time_format_utc (gint64 usec);

G_END_DECLS
