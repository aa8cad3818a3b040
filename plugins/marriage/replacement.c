/* marriage plugin — kind `replacement` (补发结婚证 / 补发离婚证): a new
 * certificate for a marriage or divorce that is on record, here or in the
 * archives of the time before this system.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "plugin.h"
#include "rules.h"

#include <string.h>

static const MzEnumValue certificate_type_values[] = {
  { "marriage", "结婚证" },
  { "divorce", "离婚证" },
  { NULL, NULL },
};

/* Terms: 原证字号 original_certificate_number; 婚姻登记档案已核实
 * archive_verified; 补发日期 issue_date. */
static const MzFieldDef replacement_fields[] = {
  { "certificate_type", "补发证件", MZ_FIELD_ENUM, MZ_FIELD_REQUIRED | MZ_FIELD_INDEXED, 0, 0, 0,
    certificate_type_values },
  { "original_certificate_number", "原证字号", MZ_FIELD_TEXT,
    MZ_FIELD_REQUIRED | MZ_FIELD_INDEXED, 32 },
  { "registration", "结婚登记记录", MZ_FIELD_REFERENCE, MZ_FIELD_INDEXED, 0, 0, 0, NULL,
    "registration" },
  { "divorce", "离婚登记记录", MZ_FIELD_REFERENCE, MZ_FIELD_INDEXED, 0, 0, 0, NULL, "divorce" },
  { "archive_verified", "婚姻登记档案已核实", MZ_FIELD_BOOLEAN },
  { "applicant_name", "申请人姓名", MZ_FIELD_TEXT, MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, 64 },
  { "applicant_id_number", "申请人身份证号码", MZ_FIELD_ID_NUMBER,
    MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL | MZ_FIELD_INDEXED },
  { "applicant_present", "申请人亲自到场", MZ_FIELD_BOOLEAN },
  { "accepted_date", "受理日期", MZ_FIELD_DATE },
  { "issue_date", "补发日期", MZ_FIELD_DATE, MZ_FIELD_INDEXED },
  { "processing_days", "办理用时（日）", MZ_FIELD_INTEGER, MZ_FIELD_FLAGS_NONE, 0, 0, 36500 },
  { "certificate_number", "补发证字号", MZ_FIELD_TEXT, 0, 32 },
  { NULL },
};

static const char *const certificate_fields[] = { "certificate_number", NULL };

static const MzIndexDef replacement_indexes[] = {
  /* Also serves every lookup by certificate number; the plain index the
   * INDEXED flag made beside it was dropped in schema version 2. */
  { "certificate_unique", certificate_fields, TRUE },
  { NULL },
};

static const MzStateDef replacement_states[] = {
  { "issued", "已补发", TRUE },
  { NULL },
};

static gboolean
is_marriage_certificate (MzAction *action)
{
  return g_strcmp0 (mz_marriage_value_text (action, "certificate_type"), "marriage") == 0;
}

typedef struct
{
  const char *field;
  gint64 value;
} LinkRead;

static gboolean
link_read_cb (const MzRecord *record, gpointer user_data)
{
  LinkRead *link = user_data;

  link->value = mz_marriage_host->record_get_int64 (record, link->field, 0);
  return FALSE;
}

/* The record a certificate stands for: a first certificate (J/L) is looked
 * up by its number; an earlier replacement (BJ/BL) made here stands for
 * the registration or divorce it was linked to. */
static gboolean
certified_find (MzAction        *action,
                const char      *original,
                gboolean         marriage,
                MzMarriageFound *found,
                GError         **error)
{
  const char *kind = marriage ? "registration" : "divorce";
  LinkRead link = { kind, 0 };
  MzCondition conditions[] = {
    { "certificate_number", MZ_OP_EQ, original },
    { NULL, 0, NULL },
  };
  g_autofree char *id = NULL;

  if (!g_str_has_prefix (original, "B"))
    return mz_marriage_find_first (action, kind, "certificate_number", original, NULL, found,
                                   error);
  memset (found, 0, sizeof *found);
  if (!mz_marriage_host->action_find (action, "replacement", conditions, NULL, link_read_cb,
                                      &link, error))
    return FALSE;
  if (link.value == 0)
    return TRUE;
  id = g_strdup_printf ("%" G_GINT64_FORMAT, link.value);
  return mz_marriage_find_first (action, kind, "id", id, NULL, found, error);
}

/* The original certificate in this office's records: a marriage must still
 * be in force (a divorced couple gets no new marriage certificate), a
 * divorce must be registered.  @found->id is 0 when it is not on record. */
static gboolean
original_find (MzAction *action, MzMarriageFound *found, GError **error)
{
  const char *original = mz_marriage_value_text (action, "original_certificate_number");
  gboolean marriage = is_marriage_certificate (action);
  gboolean divorced;

  if (!certified_find (action, original, marriage, found, error))
    return FALSE;
  if (found->id == 0)
    return TRUE;
  if (!marriage)
    {
      if (strcmp (found->state, "registered") != 0)
        return mz_rule_refuse (error, "marriage.not_registered",
                               "离婚登记 %s 尚未办结，不能补发离婚证", original);
      return TRUE;
    }
  if (strcmp (found->state, "registered") != 0)
    return mz_rule_refuse (error, "marriage.marriage_ended",
                           "结婚证 %s 所载婚姻已经人民法院判决解除或宣告无效、撤销，不能补发结婚证",
                           original);
  if (!mz_marriage_is_divorced (action, found->id, &divorced, error))
    return FALSE;
  if (divorced)
    return mz_rule_refuse (error, "marriage.marriage_ended",
                           "结婚证 %s 所载婚姻已办理离婚登记，不能补发结婚证", original);
  return TRUE;
}

/* Guard of `issue` (user_data NULL) and `import` (non-NULL). */
static gboolean
replacement_guard (MzAction *action, gpointer user_data, GError **error)
{
  gboolean historical = user_data != NULL;
  gboolean marriage = is_marriage_certificate (action);
  const char *original = mz_marriage_value_text (action, "original_certificate_number");
  const char *applicant = mz_marriage_value_text (action, "applicant_id_number");
  const char *prefix = marriage ? MZ_MARRIAGE_PREFIX_MARRIAGE : MZ_MARRIAGE_PREFIX_DIVORCE;
  const char *reissue = marriage ? MZ_MARRIAGE_PREFIX_REISSUE_MARRIAGE
                                 : MZ_MARRIAGE_PREFIX_REISSUE_DIVORCE;
  MzMarriageFound found;

  /* The original is a first certificate (J/L) or an earlier replacement. */
  if (!mz_marriage_certificate_check (original, prefix, NULL, NULL)
      && !mz_marriage_certificate_check (original, reissue, NULL, error))
    return FALSE;

  if (historical)
    {
      const char *accepted = mz_marriage_value_text (action, "accepted_date");
      const char *issued = mz_marriage_value_text (action, "issue_date");

      if (!mz_marriage_value_require (action, "issue_date", "补发日期", error)
          || !mz_marriage_value_require (action, "certificate_number", "补发证字号", error)
          || !mz_marriage_date_not_future (action, "issue_date", "补发日期", error)
          || !mz_marriage_certificate_check (mz_marriage_value_text (action, "certificate_number"),
                                             reissue, issued, error))
        return FALSE;
      if (accepted != NULL && strcmp (accepted, issued) > 0)
        return mz_rule_refuse (error, "marriage.bad_date", "受理日期 %s 晚于补发日期 %s",
                               accepted, issued);
    }
  else
    {
      if (!mz_marriage_date_not_future (action, "accepted_date", "受理日期", error))
        return FALSE;
      if (mz_marriage_value_int64 (action, "applicant_present", 0) == 0)
        return mz_rule_refuse (error, "marriage.not_present",
                               "申请人未亲自到场，补领婚姻登记证须当事人亲自到婚姻登记机关申请（《婚姻登记条例》）");
    }

  if (!original_find (action, &found, error))
    return FALSE;
  if (found.id == 0)
    {
      if (mz_marriage_value_int64 (action, "archive_verified", 0) == 0)
        return mz_rule_refuse (error, "marriage.archive_unverified",
                               "本机关记录中无 %s，须查核婚姻登记档案确认当事人的婚姻登记后方可补发（《婚姻登记条例》）",
                               original);
      return TRUE;
    }
  if (g_strcmp0 (applicant, found.man_id) != 0 && g_strcmp0 (applicant, found.woman_id) != 0)
    return mz_rule_refuse (error, "marriage.not_a_party",
                           "申请人不是 %s 所载当事人，不能申请补发", original);
  return TRUE;
}

static gboolean
link_set (MzAction *action, GError **error)
{
  MzMarriageFound found;

  if (!original_find (action, &found, error))
    return FALSE;
  if (found.id == 0)
    return TRUE;
  return mz_marriage_host->action_set_int64 (action,
                                             is_marriage_certificate (action) ? "registration"
                                                                              : "divorce",
                                             found.id, error);
}

static gboolean
issue_effect (MzAction *action, gpointer user_data, GError **error)
{
  g_autofree char *today = g_strdup (mz_marriage_host->today (mz_marriage_self));

  return link_set (action, error)
         && mz_marriage_host->action_set_text (action, "issue_date", today, error)
         && mz_marriage_processing_days_set (action,
                                             mz_marriage_value_text (action, "accepted_date"),
                                             today, error)
         && mz_marriage_certificate_assign (action, "replacement",
                                            is_marriage_certificate (action)
                                              ? MZ_MARRIAGE_PREFIX_REISSUE_MARRIAGE
                                              : MZ_MARRIAGE_PREFIX_REISSUE_DIVORCE,
                                            today, "certificate_number", error);
}

static gboolean
import_effect (MzAction *action, gpointer user_data, GError **error)
{
  return link_set (action, error)
         && mz_marriage_processing_days_set (action,
                                             mz_marriage_value_text (action, "accepted_date"),
                                             mz_marriage_value_text (action, "issue_date"),
                                             error);
}

#define REPLACEMENT_INPUTS                                                                  \
  "certificate_type", "original_certificate_number", "archive_verified", "applicant_name",  \
  "applicant_id_number", "applicant_present", "accepted_date"

static const char *const issue_inputs[] = { REPLACEMENT_INPUTS, NULL };
static const char *const import_inputs[] = {
  REPLACEMENT_INPUTS, "issue_date", "certificate_number", NULL,
};

static const MzActionDef replacement_actions[] = {
  { "issue", "补发婚姻登记证", MZ_ACTION_CREATE, NULL, "issued", "marriage.reissue",
    issue_inputs, NULL, replacement_guard, issue_effect, NULL },
  { "import", "导入历史补发记录", MZ_ACTION_CREATE, NULL, "issued", "marriage.import",
    import_inputs, NULL, replacement_guard, import_effect, (gpointer) "historical" },
  { NULL },
};

const MzKindDef mz_marriage_replacement_kind = {
  MZ_KIND_DEF_INIT,
  .name = "replacement",
  .label = "补发婚姻登记证",
  .schema_version = 2,
  .fields = replacement_fields,
  .indexes = replacement_indexes,
  .states = replacement_states,
  .actions = replacement_actions,
};
