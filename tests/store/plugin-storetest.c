/* A real plugin for the store tests: one kind with a field of every type,
 * a workflow with a guard, a sequence-drawing effect, separation of duties,
 * a reason-required action, a system action, a unique key that rejected
 * records do not hold, and due work.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include <string.h>

static const MzHost *host;

static const MzEnumValue categories[] = {
  { "dibao", "最低生活保障对象" },
  { "tekun", "特困供养人员" },
  { NULL, NULL },
};

static const MzFieldDef case_fields[] = {
  { .name = "name", .label = "姓名", .type = MZ_FIELD_TEXT,
    .flags = MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, .max_length = 8 },
  { .name = "note", .label = "备注", .type = MZ_FIELD_TEXT },
  { .name = "count", .label = "人数", .type = MZ_FIELD_INTEGER, .min = 0, .max = 100 },
  { .name = "born", .label = "出生日期", .type = MZ_FIELD_DATE, .flags = MZ_FIELD_PERSONAL },
  { .name = "amount", .label = "金额", .type = MZ_FIELD_MONEY },
  { .name = "category", .label = "类别", .type = MZ_FIELD_ENUM, .enum_values = categories,
    .flags = MZ_FIELD_INDEXED },
  { .name = "urgent", .label = "加急", .type = MZ_FIELD_BOOLEAN },
  { .name = "person_id", .label = "身份证号", .type = MZ_FIELD_ID_NUMBER,
    .flags = MZ_FIELD_PERSONAL | MZ_FIELD_INDEXED },
  { .name = "org", .label = "统一社会信用代码", .type = MZ_FIELD_USCC },
  { .name = "division", .label = "行政区划", .type = MZ_FIELD_DIVISION },
  { .name = "parent", .label = "关联案件", .type = MZ_FIELD_REFERENCE, .reference_kind = "case" },
  { .name = "seen_at", .label = "发现时间", .type = MZ_FIELD_DATETIME },
  { .name = "cert_no", .label = "证书编号", .type = MZ_FIELD_TEXT, .max_length = 32,
    .flags = MZ_FIELD_INDEXED },
  { NULL },
};

static const char *const person_key_fields[] = { "person_id", NULL };
static const char *const not_holding[] = { "rejected", NULL };

static const MzIndexDef case_indexes[] = {
  { .name = "person", .fields = person_key_fields, .unique = TRUE, .unless_states = not_holding },
  { NULL },
};

static const MzStateDef case_states[] = {
  { "applied", "已申请", FALSE },
  { "reviewed", "已审核", FALSE },
  { "approved", "已批准", TRUE },
  { "rejected", "已驳回", TRUE },
  { NULL, NULL, FALSE },
};

static const char *const apply_inputs[] = {
  "name", "note", "count", "born", "amount", "category", "urgent", "person_id", "org",
  "division", "parent", "seen_at", NULL
};
static const char *const note_input[] = { "note", NULL };
static const char *const from_applied[] = { "applied", NULL };
static const char *const from_reviewed[] = { "reviewed", NULL };
static const char *const from_open[] = { "applied", "reviewed", NULL };
static const char *const not_reviewer[] = { "review", NULL };

/* Business rule for the tests: a note saying "refuse" fails the guard
 * (and "draw-and-fail" the effect, after it drew a number). */
static gboolean
approve_guard (MzAction *action,
               gpointer  user_data,
               GError  **error)
{
  const char *note = host->record_get_text (host->action_record (action), "note");

  if (note != NULL && strstr (note, "refuse") != NULL)
    return mz_rule_refuse (error, "storetest.refused", "备注要求拒绝，不予批准（测试规则）");
  return TRUE;
}

static gboolean
first_found (const MzRecord *record,
             gpointer        user_data)
{
  *(gint64 *) user_data = host->record_id (record);
  return FALSE;
}

/* Test rule exercising action_find inside the transaction: a note of
 * "exclusive" is refused while another application of the same category
 * is still open. */
static gboolean
apply_guard (MzAction *action,
             gpointer  user_data,
             GError  **error)
{
  const MzRecord *input = host->action_input (action);
  const char *category = host->record_get_text (input, "category");
  const char *note = host->record_get_text (input, "note");
  const char *const open[] = { "applied", NULL };
  gint64 other = 0;

  if (category == NULL)
    return TRUE;
  {
    const MzCondition same[] = { { "category", MZ_OP_EQ, category }, { NULL, 0, NULL } };

    if (!host->action_find (action, "case", same, open, first_found, &other, error))
      return FALSE;
  }
  if (other != 0 && g_strcmp0 (note, "exclusive") == 0)
    return mz_rule_refuse (error, "storetest.not_exclusive",
                           "同类别已有办理中的申请 #%" G_GINT64_FORMAT "（测试规则）", other);
  return TRUE;
}

static gboolean
approve_effect (MzAction *action,
                gpointer  user_data,
                GError  **error)
{
  gint64 n;
  g_autofree char *number = NULL;

  const char *note = host->record_get_text (host->action_record (action), "note");

  if (!host->action_next_sequence (action, "C-2025", &n, error))
    return FALSE;
  /* Test rule: a note of "draw-and-fail" fails after the number was
   * drawn, a refusal that comes after a write. */
  if (g_strcmp0 (note, "draw-and-fail") == 0)
    return mz_rule_refuse (error, "storetest.failed_after_number", "取号后未能完成（测试规则）");
  number = g_strdup_printf ("C-2025-%06" G_GINT64_FORMAT, n);
  return host->action_set_text (action, "cert_no", number, error);
}

static const MzActionDef case_actions[] = {
  { .name = "apply", .label = "申请", .flags = MZ_ACTION_CREATE, .to = "applied",
    .permission = "storetest.apply", .inputs = apply_inputs, .guard = apply_guard },
  { .name = "review", .label = "审核", .from = from_applied, .to = "reviewed",
    .permission = "storetest.review", .inputs = note_input },
  { .name = "approve", .label = "批准", .from = from_reviewed, .to = "approved",
    .permission = "storetest.approve", .distinct_from = not_reviewer,
    .guard = approve_guard, .effect = approve_effect },
  { .name = "reject", .label = "驳回", .flags = MZ_ACTION_REASON_REQUIRED, .from = from_open,
    .to = "rejected", .permission = "storetest.reject" },
  { .name = "annotate", .label = "补充备注", .from = from_applied, .to = "applied",
    .permission = "storetest.annotate", .inputs = note_input },
  { .name = "lapse", .label = "逾期视为撤回", .flags = MZ_ACTION_SYSTEM, .from = from_applied,
    .to = "rejected", .permission = "storetest.lapse" },
  { NULL },
};

static const MzKindDef case_kind = {
  MZ_KIND_DEF_INIT,
  .name = "case",
  .label = "测试案件",
  .schema_version = 1,
  .fields = case_fields,
  .indexes = case_indexes,
  .states = case_states,
  .actions = case_actions,
};

static const char *const due_states[] = { "applied", NULL };

static const MzDueDef case_due = {
  .name = "lapsed", .label = "申请逾期未审核，视为撤回", .kind = "case", .states = due_states,
  .date_field = "seen_at", .after_days = 30, .action = "lapse",
};

static gboolean
storetest_init (MzPlugin     *self,
                const MzHost *h,
                GError      **error)
{
  host = h;
  return host->register_kind (self, &case_kind, error)
         && host->register_due (self, &case_due, error);
}

static const char *const requires[] = { NULL };

MZ_PLUGIN_DEFINE (storetest, "1.0.0", "store test plugin", "LGPL-2.1-or-later", "minzheng",
                  requires, storetest_init, NULL)
