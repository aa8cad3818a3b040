/* marriage plugin — the 婚姻登记 section of the work report.
 *
 * Figures (keys are stable):
 *   marriage.registered          结婚登记: registrations dated in the period
 *                                 (later annulled ones included: they were registered)
 *   marriage.divorced            离婚登记: divorces registered in the period
 *   marriage.reissued_marriage   补发结婚证, marriage.reissued_divorce 补发离婚证
 *   marriage.on_time_rate        按时办结率: of the matters concluded in the period
 *                                 (the four above), those within their time limit —
 *                                 registrations and replacements within
 *                                 [plugin.marriage] promised_days of acceptance
 *                                 (default 0: on the spot), divorces by day 60
 *   marriage.qualified_rate      登记合格率: of the registrations of the period,
 *                                 those not since annulled (宣告婚姻无效) or
 *                                 revoked (撤销婚姻) by a court for a defect
 * Rates are per mille, truncated, shown with one decimal; a rate over
 * nothing (no matter concluded, no registration) is left out of the
 * figures and the sentence says there was nothing to measure.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "plugin.h"
#include "rules.h"

typedef struct
{
  const char *sql;
  gint64 *out;
} Query;

static gboolean
marriage_report_build (MzReport   *report,
                       const char *from,
                       const char *to,
                       gpointer    user_data,
                       GError    **error)
{
  MzMarriageFigures figures = { 0 };
  gint64 promised = 0;
  g_autofree char *promised_text = NULL;
  gint64 registered_late = 0, divorced_late = 0, reissued_late = 0, defective = 0;
  g_autofree char *sentence = NULL;
  const char *const period[] = { from, to, NULL };
  const Query counts[] = {
    { "SELECT count(*) FROM marriage_registration WHERE registration_date BETWEEN ? AND ?",
      &figures.registered },
    { "SELECT count(*) FROM marriage_divorce WHERE state = 'registered'"
      " AND registration_date BETWEEN ? AND ?", &figures.divorced },
    { "SELECT count(*) FROM marriage_replacement WHERE certificate_type = 'marriage'"
      " AND issue_date BETWEEN ? AND ?", &figures.reissued_marriage },
    { "SELECT count(*) FROM marriage_replacement WHERE certificate_type = 'divorce'"
      " AND issue_date BETWEEN ? AND ?", &figures.reissued_divorce },
    { "SELECT count(*) FROM marriage_registration WHERE registration_date BETWEEN ? AND ?"
      " AND state IN ('annulled', 'revoked')", &defective },
    { "SELECT count(*) FROM marriage_divorce WHERE state = 'registered'"
      " AND registration_date BETWEEN ? AND ? AND processing_days > 60", &divorced_late },
  };
  const Query limited[] = {
    { "SELECT count(*) FROM marriage_registration WHERE registration_date BETWEEN ? AND ?"
      " AND processing_days > CAST (? AS INTEGER)", &registered_late },
    { "SELECT count(*) FROM marriage_replacement WHERE issue_date BETWEEN ? AND ?"
      " AND processing_days > CAST (? AS INTEGER)", &reissued_late },
  };
  gint64 concluded;

  if (!mz_marriage_promised_days (&promised, error))
    return FALSE;
  promised_text = g_strdup_printf ("%" G_GINT64_FORMAT, promised);
  const char *const period_limit[] = { from, to, promised_text, NULL };

  for (gsize i = 0; i < G_N_ELEMENTS (counts); i++)
    if (!mz_marriage_host->report_query_int64 (report, counts[i].sql, period, counts[i].out, error))
      return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (limited); i++)
    if (!mz_marriage_host->report_query_int64 (report, limited[i].sql, period_limit,
                                               limited[i].out, error))
      return FALSE;

  concluded = figures.registered + figures.divorced + figures.reissued_marriage
              + figures.reissued_divorce;
  figures.on_time_permille = mz_marriage_rate_permille (
    concluded - registered_late - divorced_late - reissued_late, concluded);
  figures.qualified_permille = mz_marriage_rate_permille (figures.registered - defective,
                                                          figures.registered);

  mz_marriage_host->report_add_figure (report, "marriage.registered", "结婚登记",
                                       figures.registered, 0, "对");
  mz_marriage_host->report_add_figure (report, "marriage.divorced", "离婚登记",
                                       figures.divorced, 0, "对");
  mz_marriage_host->report_add_figure (report, "marriage.reissued_marriage", "补发结婚证",
                                       figures.reissued_marriage, 0, "对");
  mz_marriage_host->report_add_figure (report, "marriage.reissued_divorce", "补发离婚证",
                                       figures.reissued_divorce, 0, "对");
  if (figures.on_time_permille >= 0)
    mz_marriage_host->report_add_figure (report, "marriage.on_time_rate", "按时办结率",
                                         figures.on_time_permille, 1, "%");
  if (figures.qualified_permille >= 0)
    mz_marriage_host->report_add_figure (report, "marriage.qualified_rate", "登记合格率",
                                         figures.qualified_permille, 1, "%");
  sentence = mz_marriage_report_sentence (&figures);
  mz_marriage_host->report_set_sentence (report, sentence);
  return TRUE;
}

const MzReportDef mz_marriage_report = {
  "婚姻登记",
  marriage_report_build,
  NULL,
};
