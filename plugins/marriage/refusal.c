/* marriage plugin — kind `refusal` (不予办理结婚登记): the record of a
 * refused marriage registration and the printable notice (告知书) it
 * carries.
 *
 * The host has no hook that runs after a refused action, so the clerk
 * whose `registration register` was refused performs `refusal refuse`
 * with the same inputs.  Its guard runs the very same rules and accepts
 * only when they refuse, so a notice can be issued only for a real
 * ground; its effect stores the ground, its code and the notice text.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "plugin.h"
#include "rules.h"
#include "notice.h"

/* `reason` is personal (schema version 2): the rules keep birth dates and
 * ID numbers out of their grounds, but the text is free and written for the
 * couple, so it is masked and hashed in the audit log like the notice that
 * quotes it.  `reason_code` is what reports and searches use. */
static const MzFieldDef refusal_fields[] = {
  MZ_MARRIAGE_APPLICATION_FIELDS,
  { "refusal_date", "不予登记日期", MZ_FIELD_DATE, MZ_FIELD_INDEXED },
  { "reason", "不予登记理由", MZ_FIELD_TEXT, MZ_FIELD_PERSONAL, 512 },
  { "reason_code", "理由代码", MZ_FIELD_TEXT, MZ_FIELD_INDEXED, 64 },
  { "notice", "不予办理结婚登记告知书", MZ_FIELD_TEXT, MZ_FIELD_PERSONAL, 4000 },
  MZ_MARRIAGE_CONSENT_FIELDS (2),
  { NULL },
};

static const MzStateDef refusal_states[] = {
  { "issued", "已出具告知书", TRUE },
  { NULL },
};

/* The ground the registration rules give for refusing these inputs, or
 * NULL when they would register (@error then says so) or when something
 * other than a rule failed (@error then says what). */
static GError *
refusal_ground (MzAction *action, GError **error)
{
  GError *ground = NULL;
  g_autofree char *code = NULL;

  if (mz_marriage_registration_check (action, FALSE, &ground))
    {
      mz_rule_refuse (error, "marriage.refusal_unfounded",
                      "当事人符合结婚登记条件，应当予以登记，不得出具不予办理结婚登记告知书");
      return NULL;
    }
  code = mz_error_code_name (ground);
  /* Parties entered the wrong way round are the clerk's slip to correct,
   * not a ground to refuse the couple on. */
  if (g_error_matches (ground, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED)
      && g_strcmp0 (code, "marriage.sides_swapped") != 0)
    return ground;
  g_propagate_error (error, ground);
  return NULL;
}

static gboolean
refusal_guard (MzAction *action, gpointer user_data, GError **error)
{
  g_autoptr (GError) ground = refusal_ground (action, error);

  return ground != NULL;
}

static gboolean
refusal_effect (MzAction *action, gpointer user_data, GError **error)
{
  g_autoptr (GError) ground = refusal_ground (action, error);
  g_autofree char *today = g_strdup (mz_marriage_host->today (mz_marriage_self));
  g_autofree char *reason = NULL;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;
  MzMarriageNotice notice = { 0 };

  if (ground == NULL)
    return FALSE;
  reason = mz_error_reason (ground);
  code = mz_error_code_name (ground);
  notice.man_name = mz_marriage_value_text (action, "man_name");
  notice.woman_name = mz_marriage_value_text (action, "woman_name");
  notice.applied_date = today;
  notice.reason = reason;
  notice.office_name = mz_marriage_host->office_name (mz_marriage_self);
  notice.notice_date = today;
  text = mz_marriage_notice_render (&notice);
  return mz_marriage_host->action_set_text (action, "refusal_date", today, error)
         && mz_marriage_host->action_set_text (action, "reason", reason, error)
         && mz_marriage_host->action_set_text (action, "reason_code", code, error)
         && mz_marriage_host->action_set_text (action, "notice", text, error);
}

static const char *const refuse_inputs[] = { MZ_MARRIAGE_APPLICATION_INPUTS, NULL };

static const MzActionDef refusal_actions[] = {
  { "refuse", "出具不予办理结婚登记告知书", MZ_ACTION_CREATE, NULL, "issued",
    "marriage.register", refuse_inputs, NULL, refusal_guard, refusal_effect, NULL },
  { NULL },
};

const MzKindDef mz_marriage_refusal_kind = {
  MZ_KIND_DEF_INIT,
  .name = "refusal",
  .label = "不予办理结婚登记",
  .schema_version = 2,
  .fields = refusal_fields,
  .states = refusal_states,
  .actions = refusal_actions,
};
