/* The 殡葬减免 report over the demo cases, checked against sums computed
 * here from the same CSV file, and the demo file imported as `mzctl demo`
 * imports it (one batch, the `import` action).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "funeral-test-office.h"
#include "import.h"
#include "report.h"
#include "rules.h"

static const char *const item_columns[FUNERAL_N_ITEMS] = {
  "approved_transport", "approved_cold_storage", "approved_cremation", "approved_ash_storage",
};

/* What the report must say, computed from the CSV rows alone. */
typedef struct
{
  gint64 cases;
  gint64 fen;
  gint64 item_fen[FUNERAL_N_ITEMS];
  GHashTable *category_cases;   /* category → count (GINT_TO_POINTER) */
  GHashTable *category_fen;     /* category → gint64 * */
} Expected;

static int
column_index (char **header,
              const char *name)
{
  for (int i = 0; header[i] != NULL; i++)
    if (strcmp (header[i], name) == 0)
      return i;
  g_error ("demo CSV lacks column %s", name);
}

/* The generator writes no quoted cells, so splitting at commas is enough
 * (and keeps this computation independent of the host's CSV parser). */
static void
expected_from_csv (const char *path,
                   const char *from,
                   const char *to,
                   Expected   *out)
{
  g_autofree char *data = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) header = NULL;
  g_autoptr (GError) error = NULL;
  int approved_on, category, items[FUNERAL_N_ITEMS];

  g_file_get_contents (path, &data, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (data, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  approved_on = column_index (header, "approved_on");
  category = column_index (header, "category");
  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    items[i] = column_index (header, item_columns[i]);

  memset (out, 0, sizeof *out);
  out->category_cases = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  out->category_fen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint l = 1; lines[l] != NULL && lines[l][0] != '\0'; l++)
    {
      g_auto (GStrv) cells = g_strsplit (lines[l], ",", -1);
      gint64 *fen;

      g_assert_cmpuint (g_strv_length (cells), ==, g_strv_length (header));
      if (strcmp (cells[approved_on], from) < 0 || strcmp (cells[approved_on], to) > 0)
        continue;
      out->cases++;
      fen = g_hash_table_lookup (out->category_fen, cells[category]);
      if (fen == NULL)
        {
          fen = g_new0 (gint64, 1);
          g_hash_table_insert (out->category_fen, g_strdup (cells[category]), fen);
        }
      g_hash_table_insert (out->category_cases, g_strdup (cells[category]),
                           GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (out->category_cases,
                                                                                  cells[category])) + 1));
      for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
        {
          gint64 v = g_ascii_strtoll (cells[items[i]], NULL, 10);

          out->item_fen[i] += v;
          out->fen += v;
          *fen += v;
        }
    }
}

static const MzReportFigure *
find_figure (MzReport   *section,
             const char *key)
{
  for (guint i = 0; i < section->figures->len; i++)
    {
      const MzReportFigure *f = g_ptr_array_index (section->figures, i);

      if (strcmp (f->key, key) == 0)
        return f;
    }
  return NULL;
}

static const MzReportFigure *
figure (MzReport   *section,
        const char *key)
{
  const MzReportFigure *f = find_figure (section, key);

  if (f == NULL)
    g_error ("report has no figure %s", key);
  return f;
}

static MzReport *
only_section (MzReportDoc *doc)
{
  g_assert_cmpuint (doc->sections->len, ==, 1);
  return g_ptr_array_index (doc->sections, 0);
}

static void
import_demo (FuneralOffice *office,
             const char    *csv)
{
  g_autoptr (MzImportBatch) batch = mz_import_batch_new (office->services, &funeral_approver, NULL);
  g_autoptr (GError) error = NULL;

  mz_import_batch_add_file (batch, "funeral", "application", NULL, MZ_IMPORT_FORMAT_AUTO, csv,
                            FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mz_import_batch_get_action (batch), ==, "import");
  mz_import_batch_commit (batch, &error);
  g_assert_no_error (error);
}

/* Rounds fen to 万元 with @decimals places, half away from zero, the way
 * a clerk would with pencil and paper, for the comparison. */
static gint64
wan (gint64 fen, guint decimals)
{
  gint64 unit = decimals == 1 ? 100000 : 10000;

  return (fen + unit / 2) / unit;
}

/* An approved case not yet paid counts, by its approval date, as
 * docs/plugins/funeral.md says; added to @expected from what the store
 * holds. */
static void
add_approved_unpaid (FuneralOffice *office,
                     Expected      *expected)
{
  g_autoptr (GError) error = NULL;
  gint64 id, total = 0;
  gint64 *fen;
  char number[19];

  funeral_office_set_today (office, "2021-06-28");
  funeral_test_id_number (998, FALSE, number);
  id = funeral_office_act (office, &funeral_clerk, "submit", 0, NULL, &error,
                           "deceased_name", "覃某", "deceased_id", number,
                           "deceased_sex", "female", "death_date", "2021-06-25",
                           "household_division", "450222",
                           "death_certificate_no", "Q-UNPAID",
                           "cremation_certificate_no", "HH-UNPAID",
                           "funeral_home", "柳州市殡仪馆", "category", "tekun",
                           "applicant_name", "覃某某", "applicant_relation", "子",
                           "claim_transport", "20000", "claim_cremation", "90000", NULL);
  g_assert_no_error (error);
  g_assert_cmpint (funeral_office_act (office, &funeral_reviewer, "review", id, NULL, &error,
                                       NULL), ==, id);
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "approve", id, NULL, &error,
                                       NULL), ==, id);
  g_assert_no_error (error);
  funeral_office_set_today (office, "2021-07-05");

  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    {
      gint64 v = funeral_office_get_int (office, id, item_columns[i]);

      expected->item_fen[i] += v;
      total += v;
    }
  g_assert_cmpint (total, ==, funeral_office_get_int (office, id, "approved_total"));
  g_assert_cmpint (total, >, 0);
  expected->cases++;
  expected->fen += total;
  fen = g_hash_table_lookup (expected->category_fen, "tekun");
  g_assert_nonnull (fen);
  *fen += total;
  g_hash_table_insert (expected->category_cases, g_strdup ("tekun"),
                       GINT_TO_POINTER (GPOINTER_TO_INT (g_hash_table_lookup (expected->category_cases,
                                                                              "tekun")) + 1));
}

static void
check_report (const char *plugin_group,
              guint       decimals,
              gboolean    households)
{
  g_autofree char *csv = g_build_filename (MZ_SOURCE_ROOT, "conf", "demo", "funeral",
                                           "application.csv", NULL);
  g_autoptr (FuneralOffice) office = funeral_office_new (plugin_group, "2021-07-05");
  g_autoptr (MzReportDoc) doc = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *wan_text = NULL;
  g_autofree char *count_text = NULL;
  g_autofree char *household_text = NULL;
  Expected expected;
  MzReport *section;
  GHashTableIter iter;
  gpointer key, value;
  gint64 pending;

  import_demo (office, csv);
  expected_from_csv (csv, "2021-01-01", "2021-06-30", &expected);
  g_assert_cmpint (expected.cases, >, 100);
  add_approved_unpaid (office, &expected);

  /* A case submitted but not approved does not count. */
  {
    char id[19];

    funeral_test_id_number (999, TRUE, id);
    pending = funeral_office_act (office, &funeral_clerk, "submit", 0, NULL, &error,
                                  "deceased_name", "覃某", "deceased_id", id,
                                  "deceased_sex", "male", "death_date", "2021-06-20",
                                  "household_division", "450222",
                                  "death_certificate_no", "Q-PENDING",
                                  "cremation_certificate_no", "HH-PENDING",
                                  "funeral_home", "柳州市殡仪馆", "category", "dibao",
                                  "applicant_name", "覃某某", "applicant_relation", "子",
                                  "claim_cremation", "50000", NULL);
    g_assert_no_error (error);
    g_assert_cmpint (pending, >, 0);
  }

  doc = mz_report_run (office->services, "2021-01-01", "2021-06-30", "funeral", &funeral_approver,
                       &error);
  g_assert_no_error (error);
  section = only_section (doc);
  g_assert_null (section->error);
  g_assert_cmpstr (section->title, ==, "殡葬减免");

  /* 例 always; 户 beside it where configured, one per deceased */
  g_assert_cmpint (figure (section, "funeral.cases")->value, ==, expected.cases);
  g_assert_cmpstr (figure (section, "funeral.cases")->unit, ==, "例");
  if (households)
    {
      g_assert_cmpint (figure (section, "funeral.households")->value, ==, expected.cases);
      g_assert_cmpstr (figure (section, "funeral.households")->unit, ==, "户");
    }
  else
    g_assert_null (find_figure (section, "funeral.households"));
  g_assert_cmpint (figure (section, "funeral.amount")->value, ==, wan (expected.fen, decimals));
  g_assert_cmpuint (figure (section, "funeral.amount")->decimals, ==, decimals);
  g_assert_cmpstr (figure (section, "funeral.amount")->unit, ==, "万元");
  g_assert_cmpint (figure (section, "funeral.amount_yuan")->value, ==, expected.fen);
  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    {
      g_autofree char *k = g_strconcat ("funeral.item.", funeral_item_name (i), NULL);

      g_assert_cmpint (figure (section, k)->value, ==, expected.item_fen[i]);
    }
  g_hash_table_iter_init (&iter, expected.category_cases);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *ck = g_strconcat ("funeral.cases.", (char *) key, NULL);
      g_autofree char *ak = g_strconcat ("funeral.amount.", (char *) key, NULL);

      g_assert_cmpint (figure (section, ck)->value, ==, GPOINTER_TO_INT (value));
      g_assert_cmpstr (figure (section, ck)->unit, ==, "例");
      g_assert_cmpint (figure (section, ak)->value, ==,
                       *(gint64 *) g_hash_table_lookup (expected.category_fen, key));
    }

  count_text = g_strdup_printf ("%" G_GINT64_FORMAT "例", expected.cases);
  household_text = g_strdup_printf ("%" G_GINT64_FORMAT "户", expected.cases);
  wan_text = mz_money_format_wan (expected.fen, decimals);
  g_assert_true (g_str_has_prefix (section->sentence, "2021年上半年"));
  g_assert_nonnull (strstr (section->sentence, count_text));
  g_assert_true ((strstr (section->sentence, household_text) != NULL) == households);
  g_assert_nonnull (strstr (section->sentence, "减免对象为最低生活保障对象、特困供养人员、重点优抚对象和无名遗体"));
  g_assert_nonnull (strstr (section->sentence, wan_text));
  g_test_message ("%s", section->sentence);

  g_hash_table_unref (expected.category_cases);
  g_hash_table_unref (expected.category_fen);
}

static void
test_report_cases (void)
{
  check_report ("cap_per_case=1200", 2, FALSE);
}

static void
test_report_households (void)
{
  check_report ("cap_per_case=1200\ncount_unit=户\namount_decimals=1", 1, TRUE);
}

/* Importing the same file twice is refused as a whole: the second copy of
 * every deceased names the first case, and nothing is written. */
static void
test_import_twice_refused (void)
{
  g_autofree char *csv = g_build_filename (MZ_SOURCE_ROOT, "conf", "demo", "funeral",
                                           "application.csv", NULL);
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-07-05");
  g_autoptr (MzImportBatch) batch = NULL;
  g_autoptr (GError) error = NULL;
  GPtrArray *problems;
  const MzImportProblem *first;

  import_demo (office, csv);
  batch = mz_import_batch_new (office->services, &funeral_approver, NULL);
  mz_import_batch_add_file (batch, "funeral", "application", NULL, MZ_IMPORT_FORMAT_AUTO, csv,
                            FALSE, &error);
  g_assert_no_error (error);
  g_assert_false (mz_import_batch_commit (batch, &error));
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ROWS);
  problems = mz_import_batch_get_problems (batch);
  g_assert_cmpuint (problems->len, >, 0);
  first = g_ptr_array_index (problems, 0);
  g_assert_cmpuint (first->line, ==, 2);
  g_assert_nonnull (strstr (first->message, "FJ450222-2021-000001"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/funeral/report/cases", test_report_cases);
  g_test_add_func ("/funeral/report/households", test_report_households);
  g_test_add_func ("/funeral/report/import-twice-refused", test_import_twice_refused);

  return g_test_run ();
}
