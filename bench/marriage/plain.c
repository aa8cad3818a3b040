/* bench/marriage — benchplain.so, the baselines: a trivial kind `item`
 * whose create action has no guard and no effect (the host's plain action
 * rate), and a kind `shaped` with the fields, flags and indexes of
 * marriage's `registration` but no rules, so that the benchmark can tell
 * the cost of the business rules from the cost of storing and auditing a
 * record of that size.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

static const MzFieldDef item_fields[] = {
  { "name", "名称", MZ_FIELD_TEXT, MZ_FIELD_REQUIRED, 64 },
  { NULL },
};

static const MzStateDef item_states[] = {
  { "created", "已创建", FALSE },
  { NULL },
};

static const char *const create_inputs[] = { "name", NULL };

static const MzActionDef item_actions[] = {
  { "create", "创建", MZ_ACTION_CREATE, NULL, "created", "benchplain.create", create_inputs },
  { NULL },
};

static const MzKindDef item_kind = {
  MZ_KIND_DEF_INIT,
  .name = "item",
  .label = "基准条目",
  .schema_version = 1,
  .fields = item_fields,
  .states = item_states,
  .actions = item_actions,
};

static const MzEnumValue sex_values[] = {
  { "male", "男" },
  { "female", "女" },
  { NULL, NULL },
};

#define PARTY(side)                                                                          \
  { side "_name", "姓名", MZ_FIELD_TEXT, MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, 64 },       \
  { side "_id_number", "身份证号码", MZ_FIELD_ID_NUMBER,                                      \
    MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL | MZ_FIELD_INDEXED },                              \
  { side "_sex", "性别", MZ_FIELD_ENUM, MZ_FIELD_FLAGS_NONE, 0, 0, 0, sex_values },         \
  { side "_birth_date", "出生日期", MZ_FIELD_DATE, MZ_FIELD_PERSONAL },                      \
  { side "_nationality", "国籍", MZ_FIELD_TEXT, MZ_FIELD_FLAGS_NONE, 32 },                  \
  { side "_present", "亲自到场", MZ_FIELD_BOOLEAN }

static const MzFieldDef shaped_fields[] = {
  PARTY ("man"),
  PARTY ("woman"),
  { "declaration_signed", "声明", MZ_FIELD_BOOLEAN },
  { "accepted_date", "受理日期", MZ_FIELD_DATE },
  { "registration_date", "登记日期", MZ_FIELD_DATE, MZ_FIELD_INDEXED },
  { "processing_days", "办理用时", MZ_FIELD_INTEGER, MZ_FIELD_FLAGS_NONE, 0, 0, 36500 },
  { "certificate_number", "证号", MZ_FIELD_TEXT, MZ_FIELD_FLAGS_NONE, 32 },
  { "judgment_number", "判决书文号", MZ_FIELD_TEXT, MZ_FIELD_FLAGS_NONE, 64 },
  { "court", "法院", MZ_FIELD_TEXT, MZ_FIELD_FLAGS_NONE, 64 },
  { "judgment_date", "判决日期", MZ_FIELD_DATE },
  { "man_voluntary", "男方自愿", MZ_FIELD_BOOLEAN },
  { "woman_voluntary", "女方自愿", MZ_FIELD_BOOLEAN },
  { "prohibited_kinship", "禁止结婚的亲属关系", MZ_FIELD_BOOLEAN },
  { NULL },
};

static const char *const certificate_fields[] = { "certificate_number", NULL };
static const char *const state_date_fields[] = { "state", "registration_date", NULL };

/* The indexes of registration (schema version 4) exactly. */
static const MzIndexDef shaped_indexes[] = {
  { "certificate_unique", certificate_fields, TRUE },
  { "state_date", state_date_fields, FALSE },
  { NULL },
};

static const char *const shaped_inputs[] = {
  "man_name", "man_id_number", "man_sex", "man_birth_date", "man_present", "man_voluntary",
  "woman_name", "woman_id_number", "woman_sex", "woman_birth_date", "woman_present",
  "woman_voluntary", "declaration_signed", "prohibited_kinship", "man_nationality",
  "woman_nationality", "accepted_date", "registration_date", "processing_days",
  "certificate_number", NULL,
};

static const MzActionDef shaped_actions[] = {
  { "create", "创建", MZ_ACTION_CREATE, NULL, "created", "benchplain.create", shaped_inputs },
  { NULL },
};

static const MzKindDef shaped_kind = {
  MZ_KIND_DEF_INIT,
  .name = "shaped",
  .label = "同构基准条目",
  .schema_version = 1,
  .fields = shaped_fields,
  .indexes = shaped_indexes,
  .states = item_states,
  .actions = shaped_actions,
};

static gboolean
benchplain_init (MzPlugin *self, const MzHost *host, GError **error)
{
  return host->register_kind (self, &item_kind, error)
         && host->register_kind (self, &shaped_kind, error);
}

static const char *const benchplain_requires[] = { NULL };

MZ_PLUGIN_DEFINE (benchplain, "1.0.0", "基准测试用的最简记录类型", "LGPL-2.1-or-later",
                  "minzheng", benchplain_requires, benchplain_init, NULL)
