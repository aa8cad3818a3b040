/* minzheng funeral plugin — 殡葬减免 (惠民殡葬, funeral fee reduction):
 * the descriptor, the application kind with its workflow, and the report.
 *
 * A family (or, for unidentified remains, the agency that found them)
 * applies for a reduction of the basic funeral service fees; a clerk
 * reviews it, another approves or rejects it, and the office pays.  The
 * office's rule set (eligible categories, caps) comes from
 * `[plugin.funeral]`, read once at init: the host reads its configuration
 * once at start, so reading it again per action would only cost time.  A
 * changed configuration therefore applies from the next start to every
 * case judged from then on.  Approval is the judgement: it stores the
 * approved amounts and the rule set they were computed by, which a later
 * change never touches; before it a case holds only what was claimed.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include <string.h>

#include "funeral.h"

static FuneralPlugin funeral;

/* 性别 as the clerk records it; unidentified remains may be of unknown sex. */
static const MzEnumValue sex_values[] = {
  { "male", "男" },
  { "female", "女" },
  { "unknown", "不详" },
  { NULL, NULL },
};

#define MONEY_FIELD(name_, label_, max_) \
  { .name = (name_), .label = (label_), .type = MZ_FIELD_MONEY, .min = 0, .max = (max_) }

static const MzFieldDef application_fields[] = {
  { .name = "case_number", .label = "案号", .type = MZ_FIELD_TEXT, .max_length = 32 },
  { .name = "deceased_name", .label = "逝者姓名", .type = MZ_FIELD_TEXT,
    .flags = MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, .max_length = 64 },
  { .name = "deceased_id", .label = "逝者身份证号码", .type = MZ_FIELD_ID_NUMBER,
    .flags = MZ_FIELD_PERSONAL | MZ_FIELD_INDEXED },
  { .name = "deceased_sex", .label = "逝者性别", .type = MZ_FIELD_ENUM,
    .flags = MZ_FIELD_REQUIRED, .enum_values = sex_values },
  { .name = "death_date", .label = "死亡日期", .type = MZ_FIELD_DATE, .flags = MZ_FIELD_REQUIRED },
  { .name = "household_division", .label = "户籍所在地行政区划代码", .type = MZ_FIELD_DIVISION },
  /* 死亡证明 (Medical Certificate of Death) and 火化证明 numbers; the
   * latter is stored in one form (funeral_certificate_normalize) because
   * it is what one reduction per certificate is checked on. */
  { .name = "death_certificate_no", .label = "死亡证明编号", .type = MZ_FIELD_TEXT,
    .flags = MZ_FIELD_REQUIRED, .max_length = 32 },
  { .name = "cremation_certificate_no", .label = "火化证明编号", .type = MZ_FIELD_TEXT,
    .flags = MZ_FIELD_REQUIRED | MZ_FIELD_INDEXED, .max_length = 32 },
  { .name = "funeral_home", .label = "殡仪馆", .type = MZ_FIELD_TEXT,
    .flags = MZ_FIELD_REQUIRED, .max_length = 64 },
  { .name = "category", .label = "减免对象类别", .type = MZ_FIELD_ENUM,
    .flags = MZ_FIELD_REQUIRED, .enum_values = funeral_categories },
  /* 丧葬补助费 paid to the family by another scheme (e.g. a pension fund) */
  { .name = "policy_grant", .label = "已领取丧葬补助费", .type = MZ_FIELD_BOOLEAN },
  { .name = "applicant_name", .label = "申请人姓名", .type = MZ_FIELD_TEXT,
    .flags = MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, .max_length = 64 },
  { .name = "applicant_id", .label = "申请人身份证号码", .type = MZ_FIELD_ID_NUMBER,
    .flags = MZ_FIELD_PERSONAL },
  { .name = "applicant_relation", .label = "申请人与逝者关系", .type = MZ_FIELD_TEXT,
    .flags = MZ_FIELD_REQUIRED, .max_length = 16 },
  { .name = "applicant_phone", .label = "申请人联系电话", .type = MZ_FIELD_TEXT,
    .flags = MZ_FIELD_PERSONAL, .max_length = 20 },
  MONEY_FIELD ("claim_transport", "遗体接运申报金额", FUNERAL_MONEY_MAX),
  MONEY_FIELD ("claim_cold_storage", "遗体冷藏申报金额", FUNERAL_MONEY_MAX),
  MONEY_FIELD ("claim_cremation", "火化申报金额", FUNERAL_MONEY_MAX),
  MONEY_FIELD ("claim_ash_storage", "骨灰寄存申报金额", FUNERAL_MONEY_MAX),
  MONEY_FIELD ("approved_transport", "遗体接运核准金额", FUNERAL_MONEY_MAX),
  MONEY_FIELD ("approved_cold_storage", "遗体冷藏核准金额", FUNERAL_MONEY_MAX),
  MONEY_FIELD ("approved_cremation", "火化核准金额", FUNERAL_MONEY_MAX),
  MONEY_FIELD ("approved_ash_storage", "骨灰寄存核准金额", FUNERAL_MONEY_MAX),
  MONEY_FIELD ("approved_total", "核准减免合计", FUNERAL_MONEY_MAX * FUNERAL_N_ITEMS),
  { .name = "rule_set", .label = "核定所依据的减免规则", .type = MZ_FIELD_TEXT, .max_length = 1024 },
  { .name = "previous_case_number", .label = "原系统案号", .type = MZ_FIELD_TEXT, .max_length = 32 },
  { .name = "submitted_on", .label = "受理日期", .type = MZ_FIELD_DATE },
  { .name = "reviewed_on", .label = "审核日期", .type = MZ_FIELD_DATE },
  { .name = "review_note", .label = "审核意见", .type = MZ_FIELD_TEXT, .max_length = 256 },
  { .name = "approved_on", .label = "核准日期", .type = MZ_FIELD_DATE },
  { .name = "rejected_on", .label = "不予减免日期", .type = MZ_FIELD_DATE },
  /* the reason given to `reject`, printed on the 不予减免 notice */
  { .name = "rejection_reason", .label = "不予减免理由", .type = MZ_FIELD_TEXT, .max_length = 256,
    .since = 2 },
  { .name = "payment_reference", .label = "支付凭证号", .type = MZ_FIELD_TEXT, .max_length = 64 },
  { .name = "payment_date", .label = "支付日期", .type = MZ_FIELD_DATE },
  MONEY_FIELD ("payment_amount", "支付金额", FUNERAL_MONEY_MAX * FUNERAL_N_ITEMS),
  { .name = NULL },
};

static const char *const not_holding[] = { "rejected", NULL };
static const char *const holding[] = { "submitted", "reviewed", "approved", "paid", NULL };
static const char *const deceased_key[] = { "deceased_id", NULL };
static const char *const cremation_key[] = { "cremation_certificate_no", NULL };
static const char *const case_key[] = { "case_number", NULL };
static const char *const approved_key[] = { "approved_on", NULL };

/* One reduction per deceased and per cremation certificate across all
 * time; a rejected application does not hold the key.  These partial
 * indexes enforce it; the plain indexes of the INDEXED flags above serve
 * the duplicate lookup, whose state list SQLite cannot match to the
 * partial indexes' condition. */
static const MzIndexDef application_indexes[] = {
  { "one_per_deceased", deceased_key, TRUE, not_holding, 1 },
  { "one_per_cremation", cremation_key, TRUE, not_holding, 1 },
  { "case_number", case_key, TRUE, NULL, 1 },
  { "approved_on", approved_key, FALSE, NULL, 1 },
  { NULL, NULL, FALSE, NULL, 0 },
};

static const MzStateDef application_states[] = {
  { "submitted", "已受理", FALSE },
  { "reviewed", "已审核", FALSE },
  { "approved", "已核准", FALSE },
  { "rejected", "不予减免", TRUE },
  { "paid", "已支付", TRUE },
  { NULL, NULL, FALSE },
};

#define APPLICATION_INPUTS                                                        \
  "deceased_name", "deceased_id", "deceased_sex", "death_date", "household_division", \
  "death_certificate_no", "cremation_certificate_no", "funeral_home", "category",     \
  "policy_grant", "applicant_name", "applicant_id", "applicant_relation",             \
  "applicant_phone", "claim_transport", "claim_cold_storage", "claim_cremation",      \
  "claim_ash_storage"

#define IMPORT_INPUTS                                                             \
  APPLICATION_INPUTS, "previous_case_number", "submitted_on", "approved_on",       \
  "approved_transport", "approved_cold_storage", "approved_cremation",             \
  "approved_ash_storage"

static const char *const submit_inputs[] = { APPLICATION_INPUTS, NULL };
static const char *const import_paid_inputs[] = {
  IMPORT_INPUTS, "payment_reference", "payment_date", "payment_amount", NULL
};
static const char *const import_approved_inputs[] = { IMPORT_INPUTS, NULL };
static const char *const review_inputs[] = { "review_note", NULL };
static const char *const no_inputs[] = { NULL };
static const char *const pay_inputs[] = {
  "payment_reference", "payment_date", "payment_amount", NULL
};
static const char *const from_submitted[] = { "submitted", NULL };
static const char *const from_reviewed[] = { "reviewed", NULL };
static const char *const from_open[] = { "submitted", "reviewed", NULL };
static const char *const from_approved[] = { "approved", NULL };
/* Separation of duties: who accepted or reviewed a case may not approve
 * it, and who accepted it may not turn it down alone either. */
static const char *const approve_distinct[] = { "submit", "review", NULL };
static const char *const reject_distinct[] = { "submit", NULL };

static const char *const approved_fields[FUNERAL_N_ITEMS] = {
  "approved_transport", "approved_cold_storage", "approved_cremation", "approved_ash_storage",
};
static const char *const claim_fields[FUNERAL_N_ITEMS] = {
  "claim_transport", "claim_cold_storage", "claim_cremation", "claim_ash_storage",
};

static char *
lookup_config (const char *key,
               gpointer    user_data)
{
  FuneralPlugin *plugin = user_data;

  return plugin->host->config_get_string (plugin->self, key, NULL);
}

typedef struct
{
  gboolean found;
  gboolean completed;
  char *case_number;
  char *date;
} FirstCase;

static gboolean
remember_first (const MzRecord *record,
                gpointer        user_data)
{
  FirstCase *first = user_data;
  const MzHost *host = funeral.host;
  const char *state = host->record_state (record);

  first->found = TRUE;
  first->completed = strcmp (state, "approved") == 0 || strcmp (state, "paid") == 0;
  first->case_number = g_strdup (host->record_get_text (record, "case_number"));
  first->date = g_strdup (host->record_get_text (record, first->completed ? "approved_on"
                                                                          : "submitted_on"));
  return FALSE;
}

/* The unique indexes are the guarantee; this finds the case that holds the
 * key first, so that the refusal names its number and date. */
static gboolean
check_unique (MzAction   *action,
              const char *field,
              const char *value,
              const char *code,
              const char *subject,
              GError    **error)
{
  const MzCondition conditions[] = { { field, MZ_OP_EQ, value }, { NULL, 0, NULL } };
  FirstCase first = { FALSE, FALSE, NULL, NULL };
  gboolean ok;

  if (value == NULL)
    return TRUE;
  if (!funeral.host->action_find (action, "application", conditions, holding,
                                  remember_first, &first, error))
    return FALSE;
  ok = !first.found || funeral_rules_refuse_duplicate (error, code, subject, first.case_number,
                                                       first.date, first.completed);
  g_free (first.case_number);
  g_free (first.date);
  return ok;
}

static void
read_claims (const MzRecord *record,
             gint64          claims[FUNERAL_N_ITEMS])
{
  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    claims[i] = funeral.host->record_get_int64 (record, claim_fields[i], 0);
}

/* The cremation certificate number as stored and matched; NULL (with
 * @error set) when only white space was given. */
static char *
cremation_certificate (const MzRecord *input,
                       GError        **error)
{
  const char *typed = funeral.host->record_get_text (input, "cremation_certificate_no");
  char *number = funeral_certificate_normalize (typed);

  if (number == NULL)
    mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "cremation_certificate_no", "火化证明编号",
                        "required", "必须填写");
  return number;
}

/* What every new case must satisfy, however it arrives. */
static gboolean
check_application (MzAction       *action,
                   const MzRecord *input,
                   GError        **error)
{
  const MzHost *host = funeral.host;
  g_autofree char *cremation = NULL;
  gint64 claims[FUNERAL_N_ITEMS];

  read_claims (input, claims);
  cremation = cremation_certificate (input, error);
  return cremation != NULL
    && funeral_rules_check_deceased (host->record_get_text (input, "category"),
                                     host->record_get_text (input, "deceased_id"),
                                     host->record_get_text (input, "deceased_sex"),
                                     host->record_get_text (input, "household_division"),
                                     host->record_get_text (input, "death_date"),
                                     host->today (funeral.self), error)
    && funeral_rules_check_resident (host->record_get_text (input, "category"),
                                     host->record_get_text (input, "household_division"),
                                     host->office_id (funeral.self), error)
    && funeral_rules_check_phone (host->record_get_text (input, "applicant_phone"), error)
    && funeral_rules_check_claims (claims, error)
    && check_unique (action, "deceased_id", host->record_get_text (input, "deceased_id"),
                     "funeral.duplicate_deceased", "该逝者", error)
    && check_unique (action, "cremation_certificate_no", cremation,
                     "funeral.duplicate_cremation", "该火化证明", error);
}

/* Judges a case's eligibility under the rules in force. */
static gboolean
check_eligible (const MzRecord *values,
                GError        **error)
{
  const MzHost *host = funeral.host;

  return funeral_rules_check_eligibility (funeral.rules, host->record_get_text (values, "category"),
                                          host->record_get_int64 (values, "policy_grant", 0) != 0,
                                          error);
}

static gboolean
guard_submit (MzAction *action,
              gpointer  user_data,
              GError  **error)
{
  const MzRecord *input = funeral.host->action_input (action);

  return check_eligible (input, error) && check_application (action, input, error);
}

/* Draws the case number from the office's counter of @date's year, and
 * stores the cremation certificate number in its one form. */
static gboolean
register_case (MzAction   *action,
               const char *date,
               GError    **error)
{
  const MzHost *host = funeral.host;
  int year = (int) g_ascii_strtoll (date, NULL, 10);
  g_autofree char *counter = funeral_case_counter (year);
  g_autofree char *number = NULL;
  g_autofree char *cremation = NULL;
  gint64 seq;

  cremation = cremation_certificate (host->action_input (action), error);
  if (cremation == NULL
      || !host->action_set_text (action, "cremation_certificate_no", cremation, error))
    return FALSE;
  if (!host->action_next_sequence (action, counter, &seq, error))
    return FALSE;
  number = funeral_case_number_format (host->office_id (funeral.self), year, seq);
  return host->action_set_text (action, "case_number", number, error);
}

/* Computes the approved amounts from @values' claims under the rules in
 * force and stores them with the snapshot of those rules. */
static gboolean
judge_amounts (MzAction       *action,
               const MzRecord *values,
               GError        **error)
{
  const MzHost *host = funeral.host;
  g_autofree char *snapshot = NULL;
  gint64 claims[FUNERAL_N_ITEMS];
  gint64 approved[FUNERAL_N_ITEMS];
  gint64 total;

  read_claims (values, claims);
  total = funeral_rules_approve_amounts (funeral.rules, claims, approved);
  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    if (!host->action_set_int64 (action, approved_fields[i], approved[i], error))
      return FALSE;
  snapshot = funeral_rules_snapshot (funeral.rules);
  return host->action_set_int64 (action, "approved_total", total, error)
    && host->action_set_text (action, "rule_set", snapshot, error);
}

static gboolean
effect_submit (MzAction *action,
               gpointer  user_data,
               GError  **error)
{
  const MzHost *host = funeral.host;
  const char *today = host->today (funeral.self);

  return host->action_set_text (action, "submitted_on", today, error)
    && register_case (action, today, error);
}

static gboolean
effect_review (MzAction *action,
               gpointer  user_data,
               GError  **error)
{
  return funeral.host->action_set_text (action, "reviewed_on",
                                        funeral.host->today (funeral.self), error);
}

/* Approval is the decision: the case is judged under the rules in force
 * that day (eligibility again, since the rules may have changed since it
 * was submitted), and from then on keeps them. */
static gboolean
guard_approve (MzAction *action,
               gpointer  user_data,
               GError  **error)
{
  return check_eligible (funeral.host->action_record (action), error);
}

static gboolean
effect_approve (MzAction *action,
                gpointer  user_data,
                GError  **error)
{
  const MzHost *host = funeral.host;

  return judge_amounts (action, host->action_record (action), error)
    && host->action_set_text (action, "approved_on", host->today (funeral.self), error);
}

/* The host requires the reason; it is kept on the case so that the
 * 不予减免 notice can be printed from the record. */
static gboolean
effect_reject (MzAction *action,
               gpointer  user_data,
               GError  **error)
{
  const MzHost *host = funeral.host;

  return host->action_set_text (action, "rejected_on", host->today (funeral.self), error)
    && host->action_set_text (action, "rejection_reason", host->action_reason (action), error);
}

static gboolean
guard_pay (MzAction *action,
           gpointer  user_data,
           GError  **error)
{
  const MzHost *host = funeral.host;
  const MzRecord *record = host->action_record (action);
  const MzRecord *input = host->action_input (action);

  if (host->record_get_text (input, "payment_reference") == NULL)
    return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "payment_reference", "支付凭证号",
                               "required", "支付时必须填写支付凭证号");
  return funeral_rules_check_payment (host->record_get_int64 (input, "payment_amount", 0),
                                      host->record_get_int64 (record, "approved_total", 0),
                                      host->record_get_text (input, "payment_date"),
                                      host->record_get_text (record, "approved_on"),
                                      host->today (funeral.self), error);
}

/* Historical cases from a previous system keep that system's decision:
 * their approved amounts are taken as given, checked only for consistency
 * (no item above its claim, dates in order), not against today's rules. */
static gboolean
check_import (MzAction *action,
              gboolean  paid,
              GError  **error)
{
  const MzHost *host = funeral.host;
  const MzRecord *input = host->action_input (action);
  const char *today = host->today (funeral.self);
  const char *submitted = host->record_get_text (input, "submitted_on");
  const char *approved_on = host->record_get_text (input, "approved_on");
  gint64 total = 0;

  if (!check_application (action, input, error))
    return FALSE;
  if (submitted == NULL)
    return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "submitted_on", "受理日期",
                               "required", "导入历史案件必须填写受理日期");
  if (approved_on == NULL)
    return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "approved_on", "核准日期",
                               "required", "导入历史案件必须填写核准日期");
  if (strcmp (submitted, approved_on) > 0 || strcmp (approved_on, today) > 0)
    return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "approved_on", "核准日期",
                               "funeral.date_order",
                               "核准日期 %s 应不早于受理日期 %s，且不晚于今天 %s",
                               approved_on, submitted, today);
  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    {
      gint64 approved = host->record_get_int64 (input, approved_fields[i], 0);

      if (approved > host->record_get_int64 (input, claim_fields[i], 0))
        return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, approved_fields[i],
                                   funeral_item_label (i), "funeral.approved_exceeds_claim",
                                   "核准金额超过申报金额");
      total += approved;
    }
  if (total == 0)
    return mz_rule_refuse (error, "funeral.nothing_approved", "导入的历史案件核准减免金额合计为零");
  if (!paid)
    return TRUE;
  if (host->record_get_text (input, "payment_reference") == NULL)
    return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "payment_reference", "支付凭证号",
                               "required", "导入已支付案件必须填写支付凭证号");
  return funeral_rules_check_payment (host->record_get_int64 (input, "payment_amount", 0), total,
                                      host->record_get_text (input, "payment_date"),
                                      approved_on, today, error);
}

static gboolean
guard_import_paid (MzAction *action,
                   gpointer  user_data,
                   GError  **error)
{
  return check_import (action, TRUE, error);
}

static gboolean
guard_import_approved (MzAction *action,
                       gpointer  user_data,
                       GError  **error)
{
  return check_import (action, FALSE, error);
}

static gboolean
effect_import (MzAction *action,
               gpointer  user_data,
               GError  **error)
{
  const MzHost *host = funeral.host;
  const MzRecord *input = host->action_input (action);
  gint64 total = 0;

  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    total += host->record_get_int64 (input, approved_fields[i], 0);
  return host->action_set_int64 (action, "approved_total", total, error)
    && host->action_set_text (action, "rule_set", "{\"source\":\"import\"}", error)
    && register_case (action, host->record_get_text (input, "submitted_on"), error);
}

static const MzActionDef application_actions[] = {
  { "submit", "受理申请", MZ_ACTION_CREATE, NULL, "submitted", "funeral.submit",
    submit_inputs, NULL, guard_submit, effect_submit, NULL },
  { "review", "审核", MZ_ACTION_FLAGS_NONE, from_submitted, "reviewed", "funeral.review",
    review_inputs, NULL, NULL, effect_review, NULL },
  { "approve", "核准减免", MZ_ACTION_FLAGS_NONE, from_reviewed, "approved", "funeral.approve",
    no_inputs, approve_distinct, guard_approve, effect_approve, NULL },
  { "reject", "不予减免", MZ_ACTION_REASON_REQUIRED, from_open, "rejected", "funeral.approve",
    no_inputs, reject_distinct, NULL, effect_reject, NULL },
  { "pay", "支付减免资金", MZ_ACTION_FLAGS_NONE, from_approved, "paid", "funeral.pay",
    pay_inputs, NULL, guard_pay, NULL, NULL },
  { "import", "导入已支付历史案件", MZ_ACTION_CREATE, NULL, "paid", "funeral.import",
    import_paid_inputs, NULL, guard_import_paid, effect_import, NULL },
  { "import_approved", "导入已核准未支付历史案件", MZ_ACTION_CREATE, NULL, "approved",
    "funeral.import", import_approved_inputs, NULL, guard_import_approved, effect_import, NULL },
  { NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static const MzKindDef application_kind = {
  MZ_KIND_DEF_INIT,
  .name = "application",
  .label = "殡葬减免申请",
  /* 2: rejection_reason */
  .schema_version = 2,
  .fields = application_fields,
  .indexes = application_indexes,
  .states = application_states,
  .actions = application_actions,
};

static const MzReportDef funeral_report = {
  "殡葬减免", funeral_report_build, &funeral,
};

/* Reads the configuration here so that a malformed one refuses the plugin
 * at start, naming the key, rather than at the first application.  An
 * unknown key is refused too: a misspelt cap would read as absent, and an
 * absent cap is no cap.  config_get_keys came with ABI 1.1; the loader
 * refuses this plugin on an older host already, and MZ_HOST_HAS keeps init
 * itself correct wherever it runs, as docs/sdk.md asks of appended members. */
static gboolean
funeral_init (MzPlugin     *self,
              const MzHost *host,
              GError      **error)
{
  g_autoptr (FuneralRules) rules = NULL;

  funeral.self = self;
  funeral.host = host;
  if (MZ_HOST_HAS (host, config_get_keys))
    {
      g_auto (GStrv) keys = host->config_get_keys (self);

      if (!funeral_rules_check_keys ((const char *const *) keys, error))
        return FALSE;
    }
  rules = funeral_rules_parse (lookup_config, &funeral, error);
  if (rules == NULL)
    return FALSE;
  g_clear_pointer (&funeral.rules, funeral_rules_free);
  funeral.rules = g_steal_pointer (&rules);
  return host->register_kind (self, &application_kind, error)
    && host->register_report (self, &funeral_report, error);
}

static void
funeral_shutdown (MzPlugin *self)
{
  g_clear_pointer (&funeral.rules, funeral_rules_free);
  funeral.self = NULL;
  funeral.host = NULL;
}

static const char *const requires[] = { NULL };

MZ_PLUGIN_DEFINE (funeral, "1.0.0", "殡葬减免 funeral fee reduction (惠民殡葬)",
                  "LGPL-2.1-or-later", "minzheng", requires,
                  funeral_init, funeral_shutdown)
