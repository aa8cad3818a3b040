/* bench_plain — the baselines for bench/funeral.  Kind `item` is trivial:
 * its create action has no guard and no effect, so timing it measures what
 * the host itself costs per action (validation, permission, the write, the
 * audit entry, the durable commit).  Kind `shaped` has the fields, flags
 * and indexes of a 殡葬减免 application but no rules, so that the
 * difference to the real plugin is what the plugin's rules cost.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

static const MzFieldDef item_fields[] = {
  { .name = "name", .label = "名称", .type = MZ_FIELD_TEXT, .flags = MZ_FIELD_REQUIRED,
    .max_length = 64 },
  { .name = "amount", .label = "金额", .type = MZ_FIELD_MONEY },
  { .name = NULL },
};

static const MzStateDef item_states[] = {
  { "added", "已添加", TRUE },
  { NULL, NULL, FALSE },
};

static const char *const add_inputs[] = { "name", "amount", NULL };

static const MzEnumValue shaped_enum[] = {
  { "male", "男" }, { "female", "女" }, { "unknown", "不详" }, { "dibao", "低保" }, { NULL, NULL },
};

#define TEXT(n, f, len) { .name = (n), .label = (n), .type = MZ_FIELD_TEXT, .flags = (f), .max_length = (len) }
#define TYPED(n, t, f) { .name = (n), .label = (n), .type = (t), .flags = (f) }
#define ENUM(n, f) { .name = (n), .label = (n), .type = MZ_FIELD_ENUM, .flags = (f), .enum_values = shaped_enum }
#define MONEY(n) { .name = (n), .label = (n), .type = MZ_FIELD_MONEY, .max = 400000000 }

static const MzFieldDef shaped_fields[] = {
  TEXT ("case_number", 0, 32),
  TEXT ("deceased_name", MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, 64),
  TYPED ("deceased_id", MZ_FIELD_ID_NUMBER, MZ_FIELD_PERSONAL | MZ_FIELD_INDEXED),
  ENUM ("deceased_sex", MZ_FIELD_REQUIRED),
  TYPED ("death_date", MZ_FIELD_DATE, MZ_FIELD_REQUIRED),
  TYPED ("household_division", MZ_FIELD_DIVISION, 0),
  TEXT ("death_certificate_no", MZ_FIELD_REQUIRED, 32),
  TEXT ("cremation_certificate_no", MZ_FIELD_REQUIRED | MZ_FIELD_INDEXED, 32),
  TEXT ("funeral_home", MZ_FIELD_REQUIRED, 64),
  ENUM ("category", MZ_FIELD_REQUIRED),
  TYPED ("policy_grant", MZ_FIELD_BOOLEAN, 0),
  TEXT ("applicant_name", MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, 64),
  TYPED ("applicant_id", MZ_FIELD_ID_NUMBER, MZ_FIELD_PERSONAL),
  TEXT ("applicant_relation", MZ_FIELD_REQUIRED, 16),
  TEXT ("applicant_phone", MZ_FIELD_PERSONAL, 20),
  MONEY ("claim_transport"), MONEY ("claim_cold_storage"), MONEY ("claim_cremation"),
  MONEY ("claim_ash_storage"), MONEY ("approved_transport"), MONEY ("approved_cold_storage"),
  MONEY ("approved_cremation"), MONEY ("approved_ash_storage"), MONEY ("approved_total"),
  TEXT ("rule_set", 0, 1024),
  TEXT ("previous_case_number", 0, 32),
  TYPED ("submitted_on", MZ_FIELD_DATE, 0),
  TYPED ("reviewed_on", MZ_FIELD_DATE, 0),
  TEXT ("review_note", 0, 256),
  TYPED ("approved_on", MZ_FIELD_DATE, 0),
  TYPED ("rejected_on", MZ_FIELD_DATE, 0),
  TEXT ("rejection_reason", 0, 256),
  TEXT ("payment_reference", 0, 64),
  TYPED ("payment_date", MZ_FIELD_DATE, 0),
  MONEY ("payment_amount"),
  { .name = NULL },
};

static const char *const not_holding[] = { "rejected", NULL };
static const char *const deceased_key[] = { "deceased_id", NULL };
static const char *const cremation_key[] = { "cremation_certificate_no", NULL };
static const char *const case_key[] = { "case_number", NULL };
static const char *const approved_key[] = { "approved_on", NULL };

static const MzIndexDef shaped_indexes[] = {
  { "one_per_deceased", deceased_key, TRUE, not_holding, 1 },
  { "one_per_cremation", cremation_key, TRUE, not_holding, 1 },
  { "case_number", case_key, TRUE, NULL, 1 },
  { "approved_on", approved_key, FALSE, NULL, 1 },
  { NULL, NULL, FALSE, NULL, 0 },
};

static const MzStateDef shaped_states[] = {
  { "submitted", "已受理", FALSE },
  { "rejected", "不予减免", TRUE },
  { NULL, NULL, FALSE },
};

static const char *const shaped_inputs[] = {
  "deceased_name", "deceased_id", "deceased_sex", "death_date", "household_division",
  "death_certificate_no", "cremation_certificate_no", "funeral_home", "category",
  "policy_grant", "applicant_name", "applicant_id", "applicant_relation", "applicant_phone",
  "claim_transport", "claim_cold_storage", "claim_cremation", "claim_ash_storage",
  /* What submit's effect sets on an application, given here. */
  "case_number", "submitted_on", NULL
};

static const MzActionDef shaped_actions[] = {
  { "submit", "受理", MZ_ACTION_CREATE, NULL, "submitted", "bench_plain.add", shaped_inputs,
    NULL, NULL, NULL, NULL },
  { NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static const MzKindDef shaped_kind = {
  MZ_KIND_DEF_INIT,
  .name = "shaped",
  .label = "同构基准记录",
  .schema_version = 1,
  .fields = shaped_fields,
  .indexes = shaped_indexes,
  .states = shaped_states,
  .actions = shaped_actions,
};

static const MzActionDef item_actions[] = {
  { "add", "添加", MZ_ACTION_CREATE, NULL, "added", "bench_plain.add", add_inputs,
    NULL, NULL, NULL, NULL },
  { NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

static const MzKindDef item_kind = {
  MZ_KIND_DEF_INIT,
  .name = "item",
  .label = "基准记录",
  .schema_version = 1,
  .fields = item_fields,
  .states = item_states,
  .actions = item_actions,
};

static gboolean
plain_init (MzPlugin     *self,
            const MzHost *host,
            GError      **error)
{
  return host->register_kind (self, &item_kind, error)
    && host->register_kind (self, &shaped_kind, error);
}

static const char *const requires[] = { NULL };

MZ_PLUGIN_DEFINE (bench_plain, "1.0.0", "baseline kind for benchmarks", "LGPL-2.1-or-later",
                  "minzheng", requires, plain_init, NULL)
