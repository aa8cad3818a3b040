/* marriage plugin — kind `registration` (结婚登记): live registration,
 * import of historical registrations, and the court judgments recorded
 * against a marriage (法院判决离婚, 宣告婚姻无效, 撤销婚姻).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "plugin.h"
#include "rules.h"

#include <string.h>

/* Terms: 登记日期 registration_date; 受理日期 accepted_date; 结婚证字号
 * certificate_number; 声明 declaration_signed; 亲自到场 *_present;
 * 自愿 *_voluntary; 禁止结婚的亲属关系 prohibited_kinship;
 * 判决书/裁定书文号 judgment_number.  Schema version 4 added the consent
 * and kinship fields. */
static const MzFieldDef registration_fields[] = {
  MZ_MARRIAGE_APPLICATION_FIELDS,
  { "accepted_date", "受理日期", MZ_FIELD_DATE },
  { "registration_date", "登记日期", MZ_FIELD_DATE, MZ_FIELD_INDEXED },
  { "processing_days", "办理用时（日）", MZ_FIELD_INTEGER, MZ_FIELD_FLAGS_NONE, 0, 0, 36500 },
  { "certificate_number", "结婚证字号", MZ_FIELD_TEXT, 0, 32 },
  { "judgment_number", "判决书文号", MZ_FIELD_TEXT, MZ_FIELD_FLAGS_NONE, 64 },
  { "court", "作出判决的人民法院", MZ_FIELD_TEXT, MZ_FIELD_FLAGS_NONE, 64 },
  { "judgment_date", "判决生效日期", MZ_FIELD_DATE },
  MZ_MARRIAGE_CONSENT_FIELDS (4),
  { NULL },
};

static const char *const certificate_fields[] = { "certificate_number", NULL };

/* The report counts defective registrations by state within a period of registration_date
 * (report.c): this index answers those counts from the index alone.
 * Added in schema version 2. */
static const char *const state_date_fields[] = { "state", "registration_date", NULL };

static const MzIndexDef registration_indexes[] = {
  /* Also serves every lookup by certificate number; the plain index the
   * INDEXED flag made beside it was dropped in schema version 3. */
  { "certificate_unique", certificate_fields, TRUE },
  { "state_date", state_date_fields, FALSE, NULL, 2 },
  { NULL },
};

/* A marriage stays `registered` until a court ends it; a divorce by
 * agreement is a record of kind `divorce` pointing at it. */
static const MzStateDef registration_states[] = {
  { "registered", "已登记结婚", FALSE },
  { "court_divorced", "法院判决离婚", TRUE },   /* 民法典第一千零七十九条 */
  { "annulled", "宣告婚姻无效", TRUE },         /* 民法典第一千零五十一条 */
  { "revoked", "撤销婚姻", TRUE },              /* 民法典第一千零五十二、一千零五十三条 */
  { NULL },
};

/* Sets @certificate to the number of a marriage of the person with
 * @id_number (stored in @field) in this office's records that has not
 * ended — registered, not ended by a court, no divorce registered for it —
 * or to NULL when there is none. */
static gboolean
open_marriage_find (MzAction   *action,
                    const char *field,
                    const char *id_number,
                    char      **certificate,
                    GError    **error)
{
  static const char *const registered[] = { "registered", NULL };
  g_autoptr (GArray) all = NULL;

  *certificate = NULL;
  all = mz_marriage_find_all (action, "registration", field, id_number, registered, error);
  if (all == NULL)
    return FALSE;
  for (guint i = 0; i < all->len; i++)
    {
      MzMarriageFound *found = &g_array_index (all, MzMarriageFound, i);
      gboolean divorced;

      if (!mz_marriage_is_divorced (action, found->id, &divorced, error))
        return FALSE;
      if (!divorced)
        {
          *certificate = g_strdup (found->certificate);
          return TRUE;
        }
    }
  return TRUE;
}

static void
party_from_action (MzAction *action, const char *side, MzMarriageParty *party)
{
  g_autofree char *id = g_strconcat (side, "_id_number", NULL);
  g_autofree char *sex = g_strconcat (side, "_sex", NULL);
  g_autofree char *birth = g_strconcat (side, "_birth_date", NULL);
  g_autofree char *present = g_strconcat (side, "_present", NULL);
  g_autofree char *voluntary = g_strconcat (side, "_voluntary", NULL);

  party->id_number = mz_marriage_value_text (action, id);
  party->sex = mz_marriage_value_text (action, sex);
  party->birth_date = mz_marriage_value_text (action, birth);
  party->present = mz_marriage_value_int64 (action, present, 0) != 0;
  party->voluntary = mz_marriage_value_int64 (action, voluntary, 0) != 0;
}

gboolean
mz_marriage_registration_check (MzAction *action, gboolean historical, GError **error)
{
  g_autofree char *today = g_strdup (mz_marriage_host->today (mz_marriage_self));
  MzMarriageApplication app = { 0 };
  g_autofree char *man_open = NULL;
  g_autofree char *woman_open = NULL;

  if (historical)
    {
      const char *accepted = mz_marriage_value_text (action, "accepted_date");

      if (!mz_marriage_value_require (action, "registration_date", "登记日期", error)
          || !mz_marriage_value_require (action, "certificate_number", "结婚证字号", error)
          || !mz_marriage_date_not_future (action, "registration_date", "登记日期", error))
        return FALSE;
      app.date = mz_marriage_value_text (action, "registration_date");
      if (accepted != NULL && strcmp (accepted, app.date) > 0)
        return mz_rule_refuse (error, "marriage.bad_date", "受理日期 %s 晚于登记日期 %s",
                               accepted, app.date);
    }
  else
    app.date = today;

  party_from_action (action, "man", &app.man);
  party_from_action (action, "woman", &app.woman);
  app.declaration_signed = mz_marriage_value_int64 (action, "declaration_signed", 0) != 0;
  app.prohibited_kinship = mz_marriage_value_int64 (action, "prohibited_kinship", 0) != 0;
  app.historical = historical;
  if (!mz_marriage_application_check (&app, error))
    return FALSE;

  if (historical)
    return mz_marriage_certificate_check (mz_marriage_value_text (action, "certificate_number"),
                                          MZ_MARRIAGE_PREFIX_MARRIAGE, app.date, error);

  if (!open_marriage_find (action, "man_id_number", app.man.id_number, &man_open, error)
      || !mz_marriage_spouse_check (MZ_MARRIAGE_SIDE_MAN, man_open, error)
      || !open_marriage_find (action, "woman_id_number", app.woman.id_number, &woman_open, error)
      || !mz_marriage_spouse_check (MZ_MARRIAGE_SIDE_WOMAN, woman_open, error))
    return FALSE;
  return TRUE;
}

static gboolean
registration_guard (MzAction *action, gpointer user_data, GError **error)
{
  return mz_marriage_registration_check (action, user_data != NULL, error);
}

/* Nationality defaults to 中国: the parties hold resident ID numbers. */
static gboolean
nationality_default (MzAction *action, GError **error)
{
  if (mz_marriage_value_text (action, "man_nationality") == NULL
      && !mz_marriage_host->action_set_text (action, "man_nationality", "中国", error))
    return FALSE;
  if (mz_marriage_value_text (action, "woman_nationality") == NULL
      && !mz_marriage_host->action_set_text (action, "woman_nationality", "中国", error))
    return FALSE;
  return TRUE;
}

/* A live registration is accepted and completed on the spot, today
 * (当场登记), and draws its certificate number in the same transaction. */
static gboolean
register_effect (MzAction *action, gpointer user_data, GError **error)
{
  g_autofree char *today = g_strdup (mz_marriage_host->today (mz_marriage_self));

  return nationality_default (action, error)
         && mz_marriage_host->action_set_text (action, "registration_date", today, error)
         && mz_marriage_processing_days_set (action, NULL, today, error)
         && mz_marriage_certificate_assign (action, "registration", MZ_MARRIAGE_PREFIX_MARRIAGE,
                                            today, "certificate_number", error);
}

static gboolean
import_effect (MzAction *action, gpointer user_data, GError **error)
{
  return nationality_default (action, error)
         && mz_marriage_processing_days_set (action,
                                             mz_marriage_value_text (action, "accepted_date"),
                                             mz_marriage_value_text (action, "registration_date"),
                                             error);
}

/* A judgment is recorded, not registered: it names the judgment, the
 * court and the date it took effect, which lies between the registration
 * and today.  A marriage already dissolved by a divorce registration here
 * cannot be ended again. */
static gboolean
judgment_guard (MzAction *action, gpointer user_data, GError **error)
{
  const char *registered = mz_marriage_value_text (action, "registration_date");
  const char *date;
  gboolean divorced;

  if (!mz_marriage_value_require (action, "judgment_number", "判决书文号", error)
      || !mz_marriage_value_require (action, "court", "作出判决的人民法院", error)
      || !mz_marriage_value_require (action, "judgment_date", "判决生效日期", error)
      || !mz_marriage_date_not_future (action, "judgment_date", "判决生效日期", error))
    return FALSE;
  date = mz_marriage_value_text (action, "judgment_date");
  if (registered != NULL && strcmp (date, registered) < 0)
    return mz_rule_refuse (error, "marriage.bad_date", "判决生效日期 %s 早于结婚登记日期 %s",
                           date, registered);
  if (!mz_marriage_is_divorced (action,
                                mz_marriage_host->record_id (mz_marriage_host->action_record (action)),
                                &divorced, error))
    return FALSE;
  if (divorced)
    return mz_rule_refuse (error, "marriage.marriage_ended",
                           "该婚姻已在本机关办理离婚登记，不能再记录判决");
  return TRUE;
}

static const char *const register_inputs[] = { MZ_MARRIAGE_APPLICATION_INPUTS, NULL };
static const char *const import_inputs[] = {
  MZ_MARRIAGE_APPLICATION_INPUTS, "accepted_date",
  "registration_date", "certificate_number", NULL,
};
static const char *const judgment_inputs[] = {
  "judgment_number", "court", "judgment_date", NULL,
};
static const char *const from_registered[] = { "registered", NULL };

static const MzActionDef registration_actions[] = {
  { "register", "结婚登记", MZ_ACTION_CREATE, NULL, "registered", "marriage.register",
    register_inputs, NULL, registration_guard, register_effect, NULL },
  { "import", "导入历史结婚登记", MZ_ACTION_CREATE, NULL, "registered", "marriage.import",
    import_inputs, NULL, registration_guard, import_effect, (gpointer) "historical" },
  { "record_court_divorce", "记录法院判决离婚", MZ_ACTION_FLAGS_NONE, from_registered,
    "court_divorced", "marriage.judgment", judgment_inputs, NULL, judgment_guard, NULL, NULL },
  { "record_annulment", "记录宣告婚姻无效", MZ_ACTION_FLAGS_NONE, from_registered,
    "annulled", "marriage.judgment", judgment_inputs, NULL, judgment_guard, NULL, NULL },
  { "record_revocation", "记录撤销婚姻", MZ_ACTION_FLAGS_NONE, from_registered,
    "revoked", "marriage.judgment", judgment_inputs, NULL, judgment_guard, NULL, NULL },
  { NULL },
};

const MzKindDef mz_marriage_registration_kind = {
  MZ_KIND_DEF_INIT,
  .name = "registration",
  .label = "结婚登记",
  .schema_version = 4,
  .fields = registration_fields,
  .indexes = registration_indexes,
  .states = registration_states,
  .actions = registration_actions,
};
