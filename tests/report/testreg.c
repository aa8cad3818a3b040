/* testreg — a small real plugin for the report, import and due tests and
 * the report benchmark: one kind of application with a business date, a
 * report section over it, an "import" create action with a guard, and a
 * due declaration whose system action lapses applications left pending
 * for more than 30 days.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <minzheng/minzheng.h>

static const MzHost *host;

static const MzEnumValue categories[] = {
  { "dibao", "最低生活保障对象" },
  { "tekun", "特困供养人员" },
  { NULL, NULL },
};

static const MzFieldDef fields[] = {
  { "name", "申请人姓名", MZ_FIELD_TEXT, MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, 32 },
  { "id_number", "申请人身份证号", MZ_FIELD_ID_NUMBER, MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL },
  { "category", "救助类别", MZ_FIELD_ENUM, MZ_FIELD_REQUIRED, .enum_values = categories },
  { "applied_on", "申请日期", MZ_FIELD_DATE, MZ_FIELD_REQUIRED },
  { "amount", "金额", MZ_FIELD_MONEY, MZ_FIELD_FLAGS_NONE },
  { "certificate_no", "证书编号", MZ_FIELD_TEXT, MZ_FIELD_FLAGS_NONE, 32 },
  { "visited_at", "上门核查时间", MZ_FIELD_DATETIME, MZ_FIELD_FLAGS_NONE },
  { NULL },
};

static const char *const certificate_fields[] = { "certificate_no", NULL };
/* The report counts and sums by the business date: an index on the date
 * that also holds the amount answers both queries from the index alone. */
static const char *const period_fields[] = { "applied_on", "amount", NULL };

static const MzIndexDef indexes[] = {
  { "certificate", certificate_fields, TRUE, NULL, 1 },
  { "period", period_fields, FALSE, NULL, 1 },
  { NULL },
};

static const MzStateDef states[] = {
  { "pending", "待审核", FALSE },
  { "done", "已办结", TRUE },
  { "lapsed", "逾期作废", TRUE },
  { NULL },
};

static const char *const submit_inputs[] = {
  "name", "id_number", "category", "applied_on", "amount", "visited_at", NULL
};
static const char *const import_inputs[] = {
  "name", "id_number", "category", "applied_on", "amount", "certificate_no", NULL
};
static const char *const from_pending[] = { "pending", NULL };

/* Imported records are finished cases: they must carry their certificate
 * number, and the name "拒绝" stands for a record a rule refuses. */
static gboolean
guard_import (MzAction *action,
              gpointer  user_data,
              GError  **error)
{
  const MzRecord *input = host->action_input (action);
  const char *name = host->record_get_text (input, "name");

  if (g_strcmp0 (name, "拒绝") == 0)
    return mz_rule_refuse (error, "testreg.refused", "该申请人不符合救助条件");
  if (!host->record_has (input, "certificate_no"))
    return mz_rule_refuse (error, "testreg.no_certificate", "导入的已办结记录须有证书编号");
  return TRUE;
}

static const MzActionDef actions[] = {
  { "submit", "受理申请", MZ_ACTION_CREATE, NULL, "pending", "testreg.submit",
    submit_inputs, NULL, NULL, NULL, NULL },
  { "import", "导入历史记录", MZ_ACTION_CREATE, NULL, "done", "testreg.import",
    import_inputs, NULL, guard_import, NULL, NULL },
  { "approve", "审核通过", MZ_ACTION_FLAGS_NONE, from_pending, "done", "testreg.approve",
    NULL, NULL, NULL, NULL, NULL },
  { "lapse", "逾期作废", MZ_ACTION_SYSTEM, from_pending, "lapsed", "testreg.lapse",
    NULL, NULL, NULL, NULL, NULL },
  { NULL },
};

static const MzKindDef application = {
  MZ_KIND_DEF_INIT,
  .name = "application",
  .label = "救助申请",
  .schema_version = 1,
  .fields = fields,
  .indexes = indexes,
  .states = states,
  .actions = actions,
};

static const char *const watched[] = { "pending", NULL };
static const char *const finished[] = { "done", NULL };

static const MzDueDef dues[] = {
  { "pending_too_long", "申请超过 30 天未审核，逾期作废", "application", watched, "applied_on", 30, "lapse" },
  { "annual_review", "办结满一年，需复核", "application", finished, "applied_on", 365, NULL },
  { "visit_report", "上门核查后次日须录入核查报告", "application", watched, "visited_at", 1, NULL },
};

static gboolean
build_report (MzReport   *report,
              const char *from,
              const char *to,
              gpointer    user_data,
              GError    **error)
{
  const char *const period[] = { from, to, NULL };
  gint64 n = 0, fen = 0;
  g_autofree char *sentence = NULL;

  if (!host->report_query_int64 (report, "SELECT count(*) FROM testreg_application"
                                 " WHERE applied_on BETWEEN ? AND ?", period, &n, error)
      || !host->report_query_int64 (report, "SELECT coalesce(sum(amount), 0) FROM testreg_application"
                                    " WHERE applied_on BETWEEN ? AND ?", period, &fen, error))
    return FALSE;
  host->report_add_figure (report, "testreg.applications", "救助申请", n, 0, "件");
  host->report_add_figure (report, "testreg.amount", "申请金额", (fen + 50000) / 100000, 1, "万元");
  sentence = g_strdup_printf ("受理救助申请 %" G_GINT64_FORMAT " 件。", n);
  host->report_set_sentence (report, sentence);
  return TRUE;
}

/* A second section that breaks the rules, enabled by configuration so
 * that a test can show one failing section beside a good one. */
static gboolean
build_snooping_report (MzReport   *report,
                       const char *from,
                       const char *to,
                       gpointer    user_data,
                       GError    **error)
{
  gint64 n = 0;

  if (!host->report_query_int64 (report, "SELECT count(*) FROM audit_entries", NULL, &n, error))
    return FALSE;
  host->report_add_figure (report, "testreg.snooped", "窥探", n, 0, "条");
  return TRUE;
}

static const MzReportDef report_def = { "救助申请（测试）", build_report, NULL };
static const MzReportDef snooping_def = { "窥探（测试）", build_snooping_report, NULL };

static gboolean
testreg_init (MzPlugin      *self,
              const MzHost  *h,
              GError       **error)
{
  gboolean snoop = FALSE;

  host = h;
  if (!host->register_kind (self, &application, error)
      || !host->register_report (self, &report_def, error)
      || !host->config_get_boolean (self, "snoop", FALSE, &snoop, error))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (dues); i++)
    if (!host->register_due (self, &dues[i], error))
      return FALSE;
  return !snoop || host->register_report (self, &snooping_def, error);
}

static const char *const requires[] = { NULL };

MZ_PLUGIN_DEFINE (testreg, "1.0.0", "测试用救助申请 (tests of reports, import and due work)",
                  "LGPL-2.1-or-later", "minzheng", requires, testreg_init, NULL)
