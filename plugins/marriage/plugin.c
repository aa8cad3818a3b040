/* marriage plugin — 婚姻登记: the descriptor, init, and helpers the kinds
 * share.  The kinds are declared in registration.c (结婚登记 and court
 * judgments), divorce.c (协议离婚登记), replacement.c (补发婚姻登记证) and
 * refusal.c (不予办理结婚登记告知书);
 * the figures in report.c; the rules themselves in rules.c.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "plugin.h"
#include "rules.h"

#include <string.h>

const MzHost *mz_marriage_host;
MzPlugin *mz_marriage_self;

const MzEnumValue mz_marriage_sex_values[] = {
  { "male", "男" },
  { "female", "女" },
  { NULL, NULL },
};

const MzEnumValue mz_marriage_side_values[] = {
  { "man", "男方" },
  { "woman", "女方" },
  { NULL, NULL },
};

const char *
mz_marriage_value_text (MzAction *action, const char *field)
{
  const MzRecord *input = mz_marriage_host->action_input (action);
  const MzRecord *before = mz_marriage_host->action_record (action);

  if (input != NULL && mz_marriage_host->record_has (input, field))
    return mz_marriage_host->record_get_text (input, field);
  if (before != NULL && mz_marriage_host->record_has (before, field))
    return mz_marriage_host->record_get_text (before, field);
  return NULL;
}

gint64
mz_marriage_value_int64 (MzAction *action, const char *field, gint64 fallback)
{
  const MzRecord *input = mz_marriage_host->action_input (action);
  const MzRecord *before = mz_marriage_host->action_record (action);

  if (input != NULL && mz_marriage_host->record_has (input, field))
    return mz_marriage_host->record_get_int64 (input, field, fallback);
  if (before != NULL && mz_marriage_host->record_has (before, field))
    return mz_marriage_host->record_get_int64 (before, field, fallback);
  return fallback;
}

gboolean
mz_marriage_value_require (MzAction   *action,
                           const char *field,
                           const char *label,
                           GError    **error)
{
  const char *value = mz_marriage_value_text (action, field);

  if (value != NULL && *value != '\0')
    return TRUE;
  return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, field, label, "required",
                             "必须填写");
}

gboolean
mz_marriage_date_not_future (MzAction   *action,
                             const char *field,
                             const char *label,
                             GError    **error)
{
  const char *value = mz_marriage_value_text (action, field);
  const char *today = mz_marriage_host->today (mz_marriage_self);

  if (value == NULL || strcmp (value, today) <= 0)
    return TRUE;
  return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, field, label, "date.future",
                             "日期 %s 晚于今日 %s", value, today);
}

static void
copy_text (char *dest, gsize size, const MzRecord *record, const char *field)
{
  const char *value = NULL;

  if (mz_marriage_host->record_has (record, field))
    value = mz_marriage_host->record_get_text (record, field);
  g_strlcpy (dest, value != NULL ? value : "", size);
}

static void
found_fill (MzMarriageFound *found, const MzRecord *record)
{
  found->id = mz_marriage_host->record_id (record);
  g_strlcpy (found->state, mz_marriage_host->record_state (record), sizeof found->state);
  copy_text (found->certificate, sizeof found->certificate, record, "certificate_number");
  copy_text (found->man_id, sizeof found->man_id, record, "man_id_number");
  copy_text (found->woman_id, sizeof found->woman_id, record, "woman_id_number");
}

static gboolean
find_first_cb (const MzRecord *record, gpointer user_data)
{
  found_fill (user_data, record);
  return FALSE;
}

static gboolean
find_all_cb (const MzRecord *record, gpointer user_data)
{
  GArray *all = user_data;
  MzMarriageFound found = { 0 };

  found_fill (&found, record);
  g_array_append_val (all, found);
  return TRUE;
}

gboolean
mz_marriage_find_first (MzAction           *action,
                        const char         *kind,
                        const char         *field,
                        const char         *value,
                        const char *const  *states,
                        MzMarriageFound    *found,
                        GError            **error)
{
  MzCondition conditions[] = {
    { field, MZ_OP_EQ, value },
    { NULL, 0, NULL },
  };

  memset (found, 0, sizeof *found);
  return mz_marriage_host->action_find (action, kind, conditions, states, find_first_cb,
                                        found, error);
}

GArray *
mz_marriage_find_all (MzAction           *action,
                      const char         *kind,
                      const char         *field,
                      const char         *value,
                      const char *const  *states,
                      GError            **error)
{
  g_autoptr (GArray) all = g_array_new (FALSE, TRUE, sizeof (MzMarriageFound));
  MzCondition conditions[] = {
    { field, MZ_OP_EQ, value },
    { NULL, 0, NULL },
  };

  if (!mz_marriage_host->action_find (action, kind, conditions, states, find_all_cb, all,
                                      error))
    return NULL;
  return g_steal_pointer (&all);
}

gboolean
mz_marriage_is_divorced (MzAction *action,
                         gint64    registration_id,
                         gboolean *divorced,
                         GError  **error)
{
  static const char *const registered[] = { "registered", NULL };
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, registration_id);
  MzMarriageFound found;

  if (!mz_marriage_find_first (action, "divorce", "marriage", id, registered, &found, error))
    return FALSE;
  *divorced = found.id != 0;
  return TRUE;
}

gboolean
mz_marriage_certificate_assign (MzAction   *action,
                                const char *kind,
                                const char *prefix,
                                const char *date,
                                const char *field,
                                GError    **error)
{
  const char *office = mz_marriage_host->office_id (mz_marriage_self);
  g_autofree char *counter = mz_marriage_certificate_counter (prefix, date);

  for (;;)
    {
      gint64 sequence;
      g_autofree char *number = NULL;
      MzMarriageFound found;

      if (!mz_marriage_host->action_next_sequence (action, counter, &sequence, error))
        return FALSE;
      number = mz_marriage_certificate_format (prefix, office, date, sequence, error);
      if (number == NULL)
        return FALSE;
      if (!mz_marriage_find_first (action, kind, "certificate_number", number, NULL, &found,
                                   error))
        return FALSE;
      if (found.id == 0)
        return mz_marriage_host->action_set_text (action, field, number, error);
    }
}

gboolean
mz_marriage_processing_days_set (MzAction   *action,
                                 const char *accepted,
                                 const char *completed,
                                 GError    **error)
{
  gint days;

  if (accepted == NULL)
    {
      if (!mz_marriage_host->action_set_text (action, "accepted_date", completed, error))
        return FALSE;
      accepted = completed;
    }
  days = mz_date_diff_days (accepted, completed);
  if (days == G_MININT || days < 0)
    return mz_rule_refuse (error, "marriage.bad_date", "受理日期 %s 晚于办结日期 %s",
                           accepted, completed);
  return mz_marriage_host->action_set_int64 (action, "processing_days", days, error);
}

gboolean
mz_marriage_promised_days (gint64 *out, GError **error)
{
  if (!mz_marriage_host->config_get_int64 (mz_marriage_self, "promised_days", 0, out, error))
    return FALSE;
  if (*out < 0 || *out > 365)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "[plugin.marriage] promised_days=%" G_GINT64_FORMAT
                   " 无效：应为 0 到 365 之间的天数（0 表示当场办结） [marriage.config]",
                   *out);
      return FALSE;
    }
  return TRUE;
}

/* Checks the configuration first, so that an office with a bad
 * [plugin.marriage] learns it when the plugin loads, not at report time. */
static gboolean
marriage_init (MzPlugin *self, const MzHost *host, GError **error)
{
  gint64 promised;
  const MzKindDef *kinds[] = {
    &mz_marriage_registration_kind,
    &mz_marriage_divorce_kind,
    &mz_marriage_replacement_kind,
    &mz_marriage_refusal_kind,
  };

  mz_marriage_host = host;
  mz_marriage_self = self;

  if (!mz_marriage_promised_days (&promised, error))
    return FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (!host->register_kind (self, kinds[i], error))
      return FALSE;
  for (const MzDueDef *due = mz_marriage_due; due->name != NULL; due++)
    if (!host->register_due (self, due, error))
      return FALSE;
  return host->register_report (self, &mz_marriage_report, error);
}

static const char *const marriage_requires[] = { NULL };

MZ_PLUGIN_DEFINE (marriage, "1.0.0", "婚姻登记：结婚、协议离婚、补发婚姻登记证与法院判决记录",
                  "LGPL-2.1-or-later", "minzheng", marriage_requires,
                  marriage_init, NULL)
