/* minzheng host — records in memory, the MzHost record accessors and
 * JSON (rows of the database become records in store-records.c).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "record.h"

gboolean
mz_field_type_is_text (MzFieldType type)
{
  return type != MZ_FIELD_INTEGER && type != MZ_FIELD_MONEY && type != MZ_FIELD_BOOLEAN
         && type != MZ_FIELD_REFERENCE;
}

void
mz_value_clear (MzValue *value)
{
  g_clear_pointer (&value->text, g_free);
  value->number = 0;
  value->set = FALSE;
}

gboolean
mz_value_equal (const MzValue *a,
                const MzValue *b)
{
  if (a->set != b->set)
    return FALSE;
  if (!a->set)
    return TRUE;
  return a->number == b->number && g_strcmp0 (a->text, b->text) == 0;
}

MzRecord *
mz_record_new (const MzKind *kind)
{
  MzRecord *record = g_new0 (MzRecord, 1);

  record->kind = kind;
  record->values = g_new0 (MzValue, kind->n_fields + 1);
  return record;
}

MzRecord *
mz_record_copy (const MzRecord *record)
{
  MzRecord *copy = mz_record_new (record->kind);

  copy->id = record->id;
  copy->version = record->version;
  copy->created_at = record->created_at;
  copy->updated_at = record->updated_at;
  copy->state = g_strdup (record->state);
  for (guint i = 0; i < record->kind->n_fields; i++)
    {
      copy->values[i] = record->values[i];
      copy->values[i].text = g_strdup (record->values[i].text);
    }
  return copy;
}

void
mz_record_free (MzRecord *record)
{
  if (record == NULL)
    return;
  for (guint i = 0; i < record->kind->n_fields; i++)
    mz_value_clear (&record->values[i]);
  g_free (record->values);
  g_free (record->state);
  g_free (record);
}

void
mz_record_take (MzRecord *record,
                guint     index,
                MzValue  *value)
{
  g_return_if_fail (index < record->kind->n_fields);

  mz_value_clear (&record->values[index]);
  record->values[index] = *value;
  value->text = NULL;
  value->set = FALSE;
  value->number = 0;
}

gint64
mz_record_get_id (const MzRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);
  return record->id;
}

const char *
mz_record_get_kind (const MzRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->kind->def->name;
}

const char *
mz_record_get_state (const MzRecord *record)
{
  g_return_val_if_fail (record != NULL, NULL);
  return record->state;
}

gint64
mz_record_get_version (const MzRecord *record)
{
  g_return_val_if_fail (record != NULL, 0);
  return record->version;
}

/* A plugin asking for a field its kind does not declare is a programmer
 * error: say so loudly rather than return a silent default. */
static const MzValue *
lookup (const MzRecord *record,
        const char     *field,
        gboolean        want_text)
{
  int index = mz_kind_field (record->kind, field);

  if (index < 0)
    {
      g_critical ("record of kind %s has no field “%s”", record->kind->qualified, field);
      return NULL;
    }
  if (want_text != mz_field_type_is_text (record->kind->def->fields[index].type))
    {
      g_critical ("field “%s” of kind %s is not a %s field; use record_get_%s",
                  field, record->kind->qualified, want_text ? "text" : "number",
                  want_text ? "int64" : "text");
      return NULL;
    }
  return &record->values[index];
}

gboolean
mz_record_has (const MzRecord *record,
               const char     *field)
{
  int index;

  g_return_val_if_fail (record != NULL, FALSE);
  index = mz_kind_field (record->kind, field);
  return index >= 0 && record->values[index].set;
}

const char *
mz_record_get_text (const MzRecord *record,
                    const char     *field)
{
  const MzValue *v;

  g_return_val_if_fail (record != NULL, NULL);
  v = lookup (record, field, TRUE);
  return v != NULL && v->set ? v->text : NULL;
}

gint64
mz_record_get_int64 (const MzRecord *record,
                     const char     *field,
                     gint64          fallback)
{
  const MzValue *v;

  g_return_val_if_fail (record != NULL, fallback);
  v = lookup (record, field, FALSE);
  return v != NULL && v->set ? v->number : fallback;
}

char *
mz_time_format_utc (gint64 usec)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

JsonNode *
mz_record_to_json (const MzRecord *record,
                   gboolean        unmask)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  const MzKind *kind = record->kind;
  const MzStateDef *state = mz_kind_state (kind, record->state);
  g_autofree char *created = mz_time_format_utc (record->created_at);
  g_autofree char *updated = mz_time_format_utc (record->updated_at);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, record->id);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, kind->qualified);
  json_builder_set_member_name (b, "state");
  json_builder_add_string_value (b, record->state);
  json_builder_set_member_name (b, "state_label");
  json_builder_add_string_value (b, state != NULL ? state->label : record->state);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, record->version);
  json_builder_set_member_name (b, "created_at");
  json_builder_add_string_value (b, created);
  json_builder_set_member_name (b, "updated_at");
  json_builder_add_string_value (b, updated);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_object (b);
  for (guint i = 0; i < kind->n_fields; i++)
    {
      const MzFieldDef *f = &kind->def->fields[i];
      const MzValue *v = &record->values[i];

      json_builder_set_member_name (b, f->name);
      if (!v->set)
        json_builder_add_null_value (b);
      else if ((f->flags & MZ_FIELD_PERSONAL) && !unmask)
        {
          g_autofree char *masked = mz_value_mask (f, v);
          json_builder_add_string_value (b, masked);
        }
      else if (f->type == MZ_FIELD_BOOLEAN)
        json_builder_add_boolean_value (b, v->number != 0);
      else if (mz_field_type_is_text (f->type))
        json_builder_add_string_value (b, v->text);
      else
        json_builder_add_int_value (b, v->number);
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
