/* minzheng funeral plugin — the 殡葬减免 section of the work report.
 *
 * Cases count in the period of their approval date (核准日期), whether
 * paid since or not; rejected and pending cases do not count.  Money is
 * summed in fen by SQLite's integer arithmetic and only rounded when
 * shown.
 *
 * Counts are in 例, one per deceased.  An office that reports in 户 gets a
 * separate 户 figure equal to the 例 one: an application is made by the
 * deceased's household, one per deceased, and nothing in a case links two
 * deceased of one household (finding that out would take the personal
 * columns, which a report may not read).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include <string.h>

#include "funeral.h"

static const char by_category_sql[] =
  "SELECT category, COUNT(*), SUM(approved_total), SUM(approved_transport),"
  " SUM(approved_cold_storage), SUM(approved_cremation), SUM(approved_ash_storage)"
  " FROM funeral_application"
  " WHERE state IN ('approved', 'paid') AND approved_on BETWEEN ? AND ?"
  " GROUP BY category ORDER BY category";

/* Columns after the category: count, total, then one per item. */
#define N_SUMS (2 + FUNERAL_N_ITEMS)

typedef struct
{
  GPtrArray *categories;   /* category values in row order */
  GArray *sums;            /* N_SUMS gint64 per category */
} CategoryRows;

static gboolean
parse_integer (const char *text,
               gint64     *out,
               GError    **error)
{
  if (text == NULL)
    {
      *out = 0;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, out, error))
    {
      g_prefix_error (error, "殡葬减免报表：");
      return FALSE;
    }
  return TRUE;
}

static gboolean
collect_row (guint              n_columns,
             const char *const *values,
             gpointer           user_data,
             GError           **error)
{
  CategoryRows *rows = user_data;
  gint64 sums[N_SUMS];

  g_return_val_if_fail (n_columns == 1 + N_SUMS, FALSE);

  for (guint i = 0; i < N_SUMS; i++)
    if (!parse_integer (values[1 + i], &sums[i], error))
      return FALSE;
  g_ptr_array_add (rows->categories, g_strdup (values[0] != NULL ? values[0] : ""));
  g_array_append_vals (rows->sums, sums, N_SUMS);
  return TRUE;
}

static void
add_category (FuneralPlugin *plugin,
              MzReport      *report,
              const char    *category,
              const gint64  *sums)
{
  const char *label = funeral_category_label (category);
  g_autofree char *count_key = g_strconcat ("funeral.cases.", category, NULL);
  g_autofree char *amount_key = g_strconcat ("funeral.amount.", category, NULL);
  g_autofree char *count_label = g_strdup_printf ("其中%s", label != NULL ? label : category);
  g_autofree char *amount_label = g_strdup_printf ("其中%s减免金额", label != NULL ? label : category);

  plugin->host->report_add_figure (report, count_key, count_label, sums[0], 0, "例");
  plugin->host->report_add_figure (report, amount_key, amount_label, sums[1], 2, "元");
}

gboolean
funeral_report_build (MzReport   *report,
                      const char *from,
                      const char *to,
                      gpointer    user_data,
                      GError    **error)
{
  FuneralPlugin *plugin = user_data;
  const MzHost *host = plugin->host;
  const char *const params[] = { from, to, NULL };
  const FuneralRules *rules = plugin->rules;
  g_autoptr (GPtrArray) categories = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) sums = g_array_new (FALSE, TRUE, sizeof (gint64));
  CategoryRows rows = { categories, sums };
  gint64 totals[N_SUMS] = { 0 };
  g_autofree char *period = NULL;
  g_autofree char *sentence = NULL;

  if (!host->report_query (report, by_category_sql, params, collect_row, &rows, error))
    return FALSE;

  for (guint r = 0; r < categories->len; r++)
    for (guint i = 0; i < N_SUMS; i++)
      totals[i] += g_array_index (sums, gint64, r * N_SUMS + i);

  host->report_add_figure (report, "funeral.cases", "惠民殡葬减免", totals[0], 0, "例");
  if (rules->count_unit == FUNERAL_UNIT_HOUSEHOLD)
    host->report_add_figure (report, "funeral.households", "惠民殡葬减免（户，每例逝者计一户）",
                             totals[0], 0, funeral_count_unit_text (rules->count_unit));
  host->report_add_figure (report, "funeral.amount", "减免基本殡葬服务费用",
                           funeral_fen_to_wan_scaled (totals[1], rules->amount_decimals),
                           rules->amount_decimals, "万元");
  host->report_add_figure (report, "funeral.amount_yuan", "减免基本殡葬服务费用（元）",
                           totals[1], 2, "元");

  /* Every covered category is listed, with zero when nothing was approved;
   * categories no longer covered appear only when they have cases. */
  for (guint c = 0; rules->categories[c] != NULL; c++)
    {
      guint index;
      gint64 zero[N_SUMS] = { 0 };

      if (g_ptr_array_find_with_equal_func (categories, rules->categories[c], g_str_equal, &index))
        add_category (plugin, report, rules->categories[c],
                      &g_array_index (sums, gint64, index * N_SUMS));
      else
        add_category (plugin, report, rules->categories[c], zero);
    }
  for (guint r = 0; r < categories->len; r++)
    if (!g_strv_contains ((const char *const *) rules->categories, g_ptr_array_index (categories, r)))
      add_category (plugin, report, g_ptr_array_index (categories, r),
                    &g_array_index (sums, gint64, r * N_SUMS));

  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    {
      g_autofree char *key = g_strconcat ("funeral.item.", funeral_item_name (i), NULL);
      g_autofree char *label = g_strdup_printf ("%s减免金额", funeral_item_label (i));

      host->report_add_figure (report, key, label, totals[2 + i], 2, "元");
    }

  period = funeral_period_phrase (from, to);
  sentence = funeral_report_sentence (period, (const char *const *) rules->categories, totals[0],
                                      rules->count_unit, totals[1], rules->amount_decimals);
  host->report_set_sentence (report, sentence);
  return TRUE;
}
