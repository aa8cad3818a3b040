/* marriage plugin — kind `divorce` (协议离婚登记, divorce by agreement):
 * acceptance, the 30-day cooling-off (冷静期) with withdrawal, registration
 * in the following 30 days, deemed withdrawal (视为撤回) by the host's due
 * work, and import of historical divorces.
 *
 * Timeline (民法典第一千零七十七条, days counted as 第二百零一条 counts
 * them): day 0 = accepted_date; days 1–30 cooling-off, either party may
 * withdraw until day 30; days 31–60 both may come and register; from day
 * 61 the application is deemed withdrawn.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "plugin.h"
#include "rules.h"

#include <string.h>

/* Terms: 离婚协议书 agreement_present; 完全民事行为能力 *_capacity; 结婚登记
 * 在中国内地办理 registered_in_mainland; 离婚证字号 certificate_number. */
static const MzFieldDef divorce_fields[] = {
  { "marriage", "结婚登记记录", MZ_FIELD_REFERENCE, MZ_FIELD_INDEXED, 0, 0, 0, NULL,
    "registration" },
  { "marriage_certificate_number", "结婚证字号", MZ_FIELD_TEXT, MZ_FIELD_INDEXED, 32 },
  { "registered_in_mainland", "结婚登记在中国内地办理", MZ_FIELD_BOOLEAN },
  { "man_name", "男方姓名", MZ_FIELD_TEXT, MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, 64 },
  { "man_id_number", "男方身份证号码", MZ_FIELD_ID_NUMBER,
    MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL | MZ_FIELD_INDEXED },
  { "woman_name", "女方姓名", MZ_FIELD_TEXT, MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, 64 },
  { "woman_id_number", "女方身份证号码", MZ_FIELD_ID_NUMBER,
    MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL | MZ_FIELD_INDEXED },
  { "agreement_present", "已提交书面离婚协议", MZ_FIELD_BOOLEAN },
  { "man_capacity", "男方具有完全民事行为能力", MZ_FIELD_BOOLEAN },
  { "woman_capacity", "女方具有完全民事行为能力", MZ_FIELD_BOOLEAN },
  { "man_present", "男方亲自到场", MZ_FIELD_BOOLEAN },
  { "woman_present", "女方亲自到场", MZ_FIELD_BOOLEAN },
  { "accepted_date", "受理日期", MZ_FIELD_DATE, MZ_FIELD_INDEXED },
  { "registration_date", "离婚登记日期", MZ_FIELD_DATE, MZ_FIELD_INDEXED },
  { "processing_days", "办理用时（日）", MZ_FIELD_INTEGER, MZ_FIELD_FLAGS_NONE, 0, 0, 36500 },
  { "certificate_number", "离婚证字号", MZ_FIELD_TEXT, 0, 32 },
  { "withdrawn_by", "撤回方", MZ_FIELD_ENUM, MZ_FIELD_FLAGS_NONE, 0, 0, 0,
    mz_marriage_side_values },
  { "withdrawn_date", "撤回日期", MZ_FIELD_DATE },
  { "withdrawal_reason", "撤回理由", MZ_FIELD_TEXT, MZ_FIELD_FLAGS_NONE, 256 },
  { NULL },
};

static const char *const certificate_fields[] = { "certificate_number", NULL };

/* The report counts registered divorces by state within a period of registration_date
 * (report.c): this index answers those counts from the index alone.
 * Added in schema version 2. */
static const char *const state_date_fields[] = { "state", "registration_date", NULL };

static const MzIndexDef divorce_indexes[] = {
  /* Also serves every lookup by certificate number; the plain index the
   * INDEXED flag made beside it was dropped in schema version 3. */
  { "certificate_unique", certificate_fields, TRUE },
  { "state_date", state_date_fields, FALSE, NULL, 2 },
  { NULL },
};

static const MzStateDef divorce_states[] = {
  { "accepted", "已受理（离婚冷静期）", FALSE },
  { "withdrawn", "已撤回", TRUE },
  { "deemed_withdrawn", "视为撤回", TRUE },
  { "registered", "已登记离婚", TRUE },
  { NULL },
};

static const char *const open_states[] = { "accepted", "registered", NULL };

/* Finds the marriage the application names: by reference, else by
 * certificate number among this office's registrations.  @found->id is 0
 * for a marriage registered elsewhere. */
static gboolean
divorce_marriage_find (MzAction *action, MzMarriageFound *found, GError **error)
{
  gint64 reference = mz_marriage_value_int64 (action, "marriage", 0);
  const char *certificate = mz_marriage_value_text (action, "marriage_certificate_number");
  g_autofree char *id = NULL;

  if (reference > 0)
    {
      id = g_strdup_printf ("%" G_GINT64_FORMAT, reference);
      if (!mz_marriage_find_first (action, "registration", "id", id, NULL, found, error))
        return FALSE;
      if (found->id == 0)
        return mz_field_error_set (error, MZ_FIELD_ERROR_REFERENCE, "marriage", "结婚登记记录",
                                   "reference", "结婚登记记录 %s 不存在", id);
      if (certificate != NULL && strcmp (certificate, found->certificate) != 0)
        return mz_rule_refuse (error, "marriage.certificate_mismatch",
                               "结婚证字号 %s 与所选结婚登记记录（%s）不一致，请核对结婚证",
                               certificate, found->certificate);
      return TRUE;
    }
  if (certificate == NULL || *certificate == '\0')
    return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "marriage_certificate_number",
                               "结婚证字号", "required",
                               "须选择结婚登记记录或填写结婚证字号");
  return mz_marriage_find_first (action, "registration", "certificate_number", certificate,
                                 NULL, found, error);
}

/* The checks on the marriage itself: in this office's records it must be
 * in force and be the applicants' own; and no other application for it
 * may be pending or registered. */
static gboolean
divorce_marriage_check (MzAction *action, const MzMarriageFound *found, GError **error)
{
  const char *man = mz_marriage_value_text (action, "man_id_number");
  const char *woman = mz_marriage_value_text (action, "woman_id_number");
  g_autofree char *id = NULL;
  g_autoptr (GArray) others = NULL;

  if (found->id != 0)
    {
      if (strcmp (found->state, "registered") != 0)
        return mz_rule_refuse (error, "marriage.marriage_ended",
                               "结婚证 %s 所载婚姻已经人民法院判决解除或宣告无效、撤销，无需办理离婚登记",
                               found->certificate);
      if (g_strcmp0 (man, found->man_id) != 0 || g_strcmp0 (woman, found->woman_id) != 0)
        return mz_rule_refuse (error, "marriage.parties_mismatch",
                               "申请人身份证号码与结婚证 %s 所载当事人不一致，请核对身份证件和结婚证",
                               found->certificate);
      id = g_strdup_printf ("%" G_GINT64_FORMAT, found->id);
      others = mz_marriage_find_all (action, "divorce", "marriage", id, open_states, error);
    }
  else
    others = mz_marriage_find_all (action, "divorce", "marriage_certificate_number",
                                   mz_marriage_value_text (action, "marriage_certificate_number"),
                                   open_states, error);
  if (others == NULL)
    return FALSE;
  if (others->len > 0)
    {
      MzMarriageFound *other = &g_array_index (others, MzMarriageFound, 0);

      if (strcmp (other->state, "registered") == 0)
        return mz_rule_refuse (error, "marriage.already_divorced",
                               "该婚姻已办理离婚登记（离婚证字号 %s）", other->certificate);
      return mz_rule_refuse (error, "marriage.divorce_pending",
                             "该婚姻已有正在冷静期内的离婚登记申请（编号 %" G_GINT64_FORMAT "），不得重复申请",
                             other->id);
    }
  return TRUE;
}

static void
application_from_action (MzAction                     *action,
                         const MzMarriageFound        *found,
                         MzMarriageDivorceApplication *app)
{
  app->linked = found->id != 0;
  app->registered_in_mainland = mz_marriage_value_int64 (action, "registered_in_mainland", 0) != 0;
  app->agreement_present = mz_marriage_value_int64 (action, "agreement_present", 0) != 0;
  app->man_capacity = mz_marriage_value_int64 (action, "man_capacity", 0) != 0;
  app->woman_capacity = mz_marriage_value_int64 (action, "woman_capacity", 0) != 0;
  app->man_present = mz_marriage_value_int64 (action, "man_present", 0) != 0;
  app->woman_present = mz_marriage_value_int64 (action, "woman_present", 0) != 0;
}

/* Guard of `accept` (user_data NULL) and `import` (non-NULL). */
static gboolean
divorce_create_guard (MzAction *action, gpointer user_data, GError **error)
{
  gboolean historical = user_data != NULL;
  MzMarriageDivorceApplication app = { 0 };
  MzMarriageFound found;

  if (!divorce_marriage_find (action, &found, error))
    return FALSE;
  application_from_action (action, &found, &app);
  if (historical)
    {
      const char *accepted = mz_marriage_value_text (action, "accepted_date");
      const char *registered = mz_marriage_value_text (action, "registration_date");

      if (!mz_marriage_value_require (action, "accepted_date", "受理日期", error)
          || !mz_marriage_value_require (action, "registration_date", "离婚登记日期", error)
          || !mz_marriage_value_require (action, "certificate_number", "离婚证字号", error)
          || !mz_marriage_date_not_future (action, "registration_date", "离婚登记日期", error)
          || !mz_marriage_divorce_history_check (accepted, registered, error)
          || !mz_marriage_certificate_check (mz_marriage_value_text (action, "certificate_number"),
                                             MZ_MARRIAGE_PREFIX_DIVORCE, registered, error))
        return FALSE;
      /* Both came in person under the system of the time. */
      app.man_present = app.woman_present = TRUE;
    }
  return mz_marriage_divorce_application_check (&app, error)
         && divorce_marriage_check (action, &found, error);
}

/* Links the application to the marriage found by certificate number, and
 * fills the certificate number of a marriage chosen by reference. */
static gboolean
divorce_link_set (MzAction *action, GError **error)
{
  MzMarriageFound found;

  if (!divorce_marriage_find (action, &found, error))
    return FALSE;
  if (found.id == 0)
    return TRUE;
  return mz_marriage_host->action_set_int64 (action, "marriage", found.id, error)
         && mz_marriage_host->action_set_text (action, "marriage_certificate_number",
                                               found.certificate, error);
}

static gboolean
accept_effect (MzAction *action, gpointer user_data, GError **error)
{
  return divorce_link_set (action, error)
         && mz_marriage_host->action_set_text (action, "accepted_date",
                                               mz_marriage_host->today (mz_marriage_self), error);
}

static gboolean
import_effect (MzAction *action, gpointer user_data, GError **error)
{
  return divorce_link_set (action, error)
         && mz_marriage_processing_days_set (action,
                                             mz_marriage_value_text (action, "accepted_date"),
                                             mz_marriage_value_text (action, "registration_date"),
                                             error);
}

/* Registration: both come in person again on days 31–60; the agreement and
 * capacity must still hold, and the marriage must not have been ended by a
 * court meanwhile.  Presence is read from this action's inputs only:
 * having come to apply does not mean having come today. */
static gboolean
register_guard (MzAction *action, gpointer user_data, GError **error)
{
  const MzRecord *input = mz_marriage_host->action_input (action);
  g_autofree char *today = g_strdup (mz_marriage_host->today (mz_marriage_self));
  MzMarriageDivorceApplication app = { 0 };
  MzMarriageFound found;
  gint64 marriage = mz_marriage_value_int64 (action, "marriage", 0);

  if (!mz_marriage_divorce_register_check (mz_marriage_value_text (action, "accepted_date"),
                                           today, error))
    return FALSE;
  app.linked = TRUE;
  app.agreement_present = mz_marriage_value_int64 (action, "agreement_present", 0) != 0;
  app.man_capacity = mz_marriage_value_int64 (action, "man_capacity", 0) != 0;
  app.woman_capacity = mz_marriage_value_int64 (action, "woman_capacity", 0) != 0;
  app.man_present = input != NULL && mz_marriage_host->record_get_int64 (input, "man_present", 0);
  app.woman_present = input != NULL
                      && mz_marriage_host->record_get_int64 (input, "woman_present", 0);
  if (!mz_marriage_divorce_application_check (&app, error))
    return FALSE;
  if (marriage == 0)
    return TRUE;
  if (!divorce_marriage_find (action, &found, error))
    return FALSE;
  if (strcmp (found.state, "registered") != 0)
    return mz_rule_refuse (error, "marriage.marriage_ended",
                           "结婚证 %s 所载婚姻已经人民法院判决解除或宣告无效、撤销，无需办理离婚登记",
                           found.certificate);
  return TRUE;
}

static gboolean
register_effect (MzAction *action, gpointer user_data, GError **error)
{
  g_autofree char *today = g_strdup (mz_marriage_host->today (mz_marriage_self));

  return mz_marriage_host->action_set_text (action, "registration_date", today, error)
         && mz_marriage_processing_days_set (action,
                                             mz_marriage_value_text (action, "accepted_date"),
                                             today, error)
         && mz_marriage_certificate_assign (action, "divorce", MZ_MARRIAGE_PREFIX_DIVORCE, today,
                                            "certificate_number", error);
}

static gboolean
withdraw_guard (MzAction *action, gpointer user_data, GError **error)
{
  return mz_marriage_value_require (action, "withdrawn_by", "撤回方", error)
         && mz_marriage_divorce_withdraw_check (mz_marriage_value_text (action, "accepted_date"),
                                                mz_marriage_host->today (mz_marriage_self),
                                                error);
}

/* Either party may withdraw without giving a reason (民法典第一千零七十七条
 * makes it a right, not a request to be assessed); a reason the party
 * chooses to give is kept. */
static gboolean
withdraw_effect (MzAction *action, gpointer user_data, GError **error)
{
  const char *reason = mz_marriage_host->action_reason (action);

  return mz_marriage_host->action_set_text (action, "withdrawn_date",
                                            mz_marriage_host->today (mz_marriage_self), error)
         && (reason == NULL
             || mz_marriage_host->action_set_text (action, "withdrawal_reason", reason, error));
}

static gboolean
lapse_guard (MzAction *action, gpointer user_data, GError **error)
{
  return mz_marriage_divorce_lapse_check (mz_marriage_value_text (action, "accepted_date"),
                                          mz_marriage_host->today (mz_marriage_self), error);
}

#define APPLICATION_INPUTS                                                                     \
  "marriage", "marriage_certificate_number", "registered_in_mainland", "man_name",             \
  "man_id_number", "woman_name", "woman_id_number", "agreement_present", "man_capacity",       \
  "woman_capacity", "man_present", "woman_present"

static const char *const accept_inputs[] = { APPLICATION_INPUTS, NULL };
static const char *const import_inputs[] = {
  APPLICATION_INPUTS, "accepted_date", "registration_date", "certificate_number", NULL,
};
static const char *const register_inputs[] = { "man_present", "woman_present", NULL };
static const char *const withdraw_inputs[] = { "withdrawn_by", NULL };
static const char *const no_inputs[] = { NULL };
static const char *const from_accepted[] = { "accepted", NULL };

static const MzActionDef divorce_actions[] = {
  { "accept", "受理离婚登记申请", MZ_ACTION_CREATE, NULL, "accepted", "marriage.divorce",
    accept_inputs, NULL, divorce_create_guard, accept_effect, NULL },
  { "import", "导入历史离婚登记", MZ_ACTION_CREATE, NULL, "registered", "marriage.import",
    import_inputs, NULL, divorce_create_guard, import_effect, (gpointer) "historical" },
  { "withdraw", "撤回离婚登记申请", MZ_ACTION_FLAGS_NONE, from_accepted, "withdrawn",
    "marriage.divorce", withdraw_inputs, NULL, withdraw_guard, withdraw_effect, NULL },
  { "register", "离婚登记", MZ_ACTION_FLAGS_NONE, from_accepted, "registered",
    "marriage.register", register_inputs, NULL, register_guard, register_effect, NULL },
  { "deem_withdrawn", "逾期未申请发给离婚证，视为撤回", MZ_ACTION_SYSTEM, from_accepted,
    "deemed_withdrawn", "marriage.system", no_inputs, NULL, lapse_guard, NULL, NULL },
  { NULL },
};

const MzKindDef mz_marriage_divorce_kind = {
  MZ_KIND_DEF_INIT,
  .name = "divorce",
  .label = "离婚登记",
  .schema_version = 3,
  .fields = divorce_fields,
  .indexes = divorce_indexes,
  .states = divorce_states,
  .actions = divorce_actions,
};

static const char *const lapse_states[] = { "accepted", NULL };

/* Due on day 61: the host applies it when today > accepted_date + 60. */
const MzDueDef mz_marriage_due[] = {
  { "divorce_lapse", "离婚登记申请逾期未申请发给离婚证，视为撤回", "divorce", lapse_states,
    "accepted_date", MZ_MARRIAGE_COOLING_OFF_DAYS + MZ_MARRIAGE_COLLECTION_DAYS,
    "deem_withdrawn" },
  { NULL },
};
