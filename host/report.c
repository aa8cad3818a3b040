/* minzheng host — running the plugins' report sections: figures, sentences
 * and their checks.  The sections' queries run in the store, under its
 * limits (store-report.c); this file holds no SQL.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "report.h"

#include <string.h>

G_DEFINE_QUARK (mz-report-error-quark, mz_report_error)

/* A report query that runs longer than this is interrupted: a plugin's
 * report must not hold a reader (and the WAL) for ever. */
#define REPORT_QUERY_LIMIT_USEC (60 * G_USEC_PER_SEC)

gboolean
mz_report_period_check (const char *from,
                        const char *to,
                        GError    **error)
{
  GDate dfrom, dto;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (from == NULL || to == NULL)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD,
                   "请用 --from 和 --to 给出统计期间的起止日期（YYYY-MM-DD） [report.period_missing]");
      return FALSE;
    }
  if (!mz_date_parse (from, &dfrom))
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD,
                   "起始日期“%s”不是有效日期，应为 YYYY-MM-DD [report.period_from]", from);
      return FALSE;
    }
  if (!mz_date_parse (to, &dto))
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD,
                   "截止日期“%s”不是有效日期，应为 YYYY-MM-DD [report.period_to]", to);
      return FALSE;
    }
  if (g_date_compare (&dfrom, &dto) > 0)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD,
                   "起始日期 %s 晚于截止日期 %s [report.period_order]", from, to);
      return FALSE;
    }
  return TRUE;
}

static void
figure_free (gpointer data)
{
  MzReportFigure *figure = data;

  g_free (figure->key);
  g_free (figure->label);
  g_free (figure->unit);
  g_free (figure);
}

static MzReport *
section_new (const char *plugin,
             const char *title)
{
  MzReport *report = g_new0 (MzReport, 1);

  report->plugin = g_strdup (plugin);
  report->title = g_strdup (title != NULL ? title : plugin);
  report->figures = g_ptr_array_new_with_free_func (figure_free);
  return report;
}

static void
section_free (gpointer data)
{
  MzReport *report = data;

  g_free (report->plugin);
  g_free (report->title);
  g_ptr_array_unref (report->figures);
  g_free (report->sentence);
  g_clear_error (&report->error);
  g_free (report->denied);
  g_free (report->figure_problem);
  g_free (report);
}

MzReportDoc *
mz_report_doc_new (const char *office_id,
                   const char *office_name,
                   const char *from,
                   const char *to,
                   gint64      generated_at)
{
  MzReportDoc *doc = g_new0 (MzReportDoc, 1);

  doc->office_id = g_strdup (office_id != NULL ? office_id : "");
  doc->office_name = g_strdup (office_name != NULL ? office_name : "");
  doc->from = g_strdup (from);
  doc->to = g_strdup (to);
  doc->generated_at = generated_at;
  doc->sections = g_ptr_array_new_with_free_func (section_free);
  return doc;
}

void
mz_report_doc_free (MzReportDoc *doc)
{
  if (doc == NULL)
    return;
  g_free (doc->office_id);
  g_free (doc->office_name);
  g_free (doc->from);
  g_free (doc->to);
  g_ptr_array_unref (doc->sections);
  g_free (doc);
}

void
mz_report_set_denied (GError    **error,
                      const char *plugin,
                      const char *denied)
{
  g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_DENIED,
               "插件 %s 的报表查询被拒绝：不得%s（报表只能用 SELECT 读取本插件自己的表） "
               "[report.denied]", plugin, denied);
}

gboolean
mz_report_query (MzReport           *report,
                 const char         *sql,
                 const char *const  *params,
                 MzRowFunc           func,
                 gpointer            user_data,
                 GError            **error)
{
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (report->scope != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return mz_store_report_query (report->scope, sql, params, func, user_data, error);
}

gboolean
mz_report_query_int64 (MzReport           *report,
                       const char         *sql,
                       const char *const  *params,
                       gint64             *out,
                       GError            **error)
{
  g_return_val_if_fail (report != NULL, FALSE);
  g_return_val_if_fail (report->scope != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  return mz_store_report_query_int64 (report->scope, sql, params, out, error);
}

static gboolean
figure_key_ok (const char *plugin,
               const char *key)
{
  gsize n = strlen (plugin);

  if (strncmp (key, plugin, n) != 0 || key[n] != '.' || key[n + 1] == '\0')
    return FALSE;
  for (const char *p = key + n + 1; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_' && *p != '.')
      return FALSE;
  return TRUE;
}

/* The host table's member returns nothing, so a malformed figure is kept
 * as the section's problem and fails the section once the callback ends. */
void
mz_report_add_figure (MzReport   *report,
                      const char *key,
                      const char *label,
                      gint64      value,
                      guint       decimals,
                      const char *unit)
{
  MzReportFigure *figure;

  g_return_if_fail (report != NULL);

  if (report->figure_problem != NULL)
    return;
  if (key == NULL || !figure_key_ok (report->plugin, key))
    report->figure_problem = g_strdup_printf ("指标键“%s”应为“%s.名称”（小写字母、数字、下划线）",
                                              key != NULL ? key : "", report->plugin);
  else if (label == NULL || *label == '\0' || !g_utf8_validate (label, -1, NULL))
    report->figure_problem = g_strdup_printf ("指标 %s 没有中文名称", key);
  else if (unit != NULL && !g_utf8_validate (unit, -1, NULL))
    report->figure_problem = g_strdup_printf ("指标 %s 的单位不是有效文本", key);
  else if (decimals > 6)
    report->figure_problem = g_strdup_printf ("指标 %s 的小数位数 %u 超过 6", key, decimals);
  else
    for (guint i = 0; i < report->figures->len; i++)
      {
        MzReportFigure *other = g_ptr_array_index (report->figures, i);

        if (strcmp (other->key, key) == 0)
          report->figure_problem = g_strdup_printf ("指标 %s 重复", key);
      }
  if (report->figure_problem != NULL)
    return;

  figure = g_new0 (MzReportFigure, 1);
  figure->key = g_strdup (key);
  figure->label = g_strdup (label);
  figure->value = value;
  figure->decimals = decimals;
  figure->unit = g_strdup (unit != NULL ? unit : "");
  g_ptr_array_add (report->figures, figure);
}

void
mz_report_set_sentence (MzReport   *report,
                        const char *sentence)
{
  g_return_if_fail (report != NULL);

  if (sentence != NULL && !g_utf8_validate (sentence, -1, NULL))
    {
      if (report->figure_problem == NULL)
        report->figure_problem = g_strdup ("报表说明文字不是有效的 UTF-8 文本");
      return;
    }
  g_free (report->sentence);
  report->sentence = g_strdup (sentence);
}

/* Decides whether the section stands.  A denial fails the section even
 * when the plugin's callback ignored the error and returned TRUE: a
 * report that probed for what it may not read is not to be trusted. */
static void
section_finish (MzReport *report,
                gboolean  ok,
                GError   *callback_error)
{
  if (report->denied != NULL)
    {
      ok = FALSE;
      if (callback_error == NULL
          || !g_error_matches (callback_error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_DENIED))
        {
          g_clear_error (&callback_error);
          mz_report_set_denied (&callback_error, report->plugin, report->denied);
        }
    }
  else if (ok && report->figure_problem != NULL)
    {
      g_set_error (&callback_error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_FIGURE,
                   "插件 %s 的报表：%s [report.figure]", report->plugin, report->figure_problem);
      ok = FALSE;
    }
  else if (!ok && callback_error == NULL)
    g_set_error (&callback_error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_SECTION,
                 "插件 %s 的报表未能生成，插件没有说明原因 [report.failed]", report->plugin);

  if (ok)
    {
      g_clear_error (&callback_error);
      return;
    }
  report->error = g_error_new (callback_error->domain, callback_error->code,
                               "报表“%s”（插件 %s）未能生成：%s",
                               report->title, report->plugin, callback_error->message);
  g_error_free (callback_error);
  g_ptr_array_set_size (report->figures, 0);
  g_clear_pointer (&report->sentence, g_free);
}

MzReport *
mz_report_doc_run_section (MzReportDoc        *doc,
                           MzStoreReader      *reader,
                           const char         *plugin,
                           const char *const  *tables,
                           const char *const  *personal,
                           const MzReportDef  *def)
{
  MzReport *report;
  GError *callback_error = NULL;
  gboolean ok;

  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (plugin != NULL, NULL);
  g_return_val_if_fail (def != NULL && def->build != NULL, NULL);

  report = section_new (plugin, def->title);
  g_ptr_array_add (doc->sections, report);

  report->scope = mz_store_report_scope_begin (reader, plugin, tables, personal,
                                               REPORT_QUERY_LIMIT_USEC);
  ok = def->build (report, doc->from, doc->to, def->user_data, &callback_error);
  report->denied = mz_store_report_scope_end (g_steal_pointer (&report->scope));

  section_finish (report, ok, callback_error);
  return report;
}

gboolean
mz_report_doc_check (MzReportDoc *doc,
                     GError     **error)
{
  g_autoptr (GString) failed = g_string_new (NULL);

  g_return_val_if_fail (doc != NULL, FALSE);

  for (guint i = 0; i < doc->sections->len; i++)
    {
      MzReport *report = g_ptr_array_index (doc->sections, i);

      if (report->error != NULL)
        g_string_append_printf (failed, "%s%s", failed->len > 0 ? "、" : "", report->plugin);
    }
  if (failed->len == 0)
    return TRUE;
  g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_INCOMPLETE,
               "报告不完整：插件 %s 的报表未能生成，其余部分已输出 [report.incomplete]", failed->str);
  return FALSE;
}
