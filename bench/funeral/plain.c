/* bench_plain — the baseline for bench/funeral: one trivial kind whose
 * create action has no guard and no effect, so that timing it measures
 * what the host itself costs per action (validation, permission, the
 * write, the audit entry, the durable commit).
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
  return host->register_kind (self, &item_kind, error);
}

static const char *const requires[] = { NULL };

MZ_PLUGIN_DEFINE (bench_plain, "1.0.0", "baseline kind for benchmarks", "LGPL-2.1-or-later",
                  "minzheng", requires, plain_init, NULL)
