/* marriage plugin — report figures for a fixed data set, and the demo data
 * of 柳城县 2021 H1 imported through the host's import batch reproducing
 * the figures of the bureau's half-year report.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "host-fixture.h"
#include "id-maker.h"
#include "report.h"
#include "import.h"

/* What the test expects, counted as the data is made. */
typedef struct
{
  gint64 registered, divorced, reissued_marriage, reissued_divorce;
  gint64 late, defective;
} Expected;

static gint64
figure (MzReportDoc *doc, const char *key, guint *decimals)
{
  for (guint s = 0; s < doc->sections->len; s++)
    {
      MzReport *section = g_ptr_array_index (doc->sections, s);

      for (guint i = 0; section->figures != NULL && i < section->figures->len; i++)
        {
          MzReportFigure *fig = g_ptr_array_index (section->figures, i);

          if (g_str_equal (fig->key, key))
            {
              if (decimals != NULL)
                *decimals = fig->decimals;
              return fig->value;
            }
        }
    }
  g_error ("no figure %s in the report", key);
}

static MzReport *
marriage_section (MzReportDoc *doc)
{
  for (guint s = 0; s < doc->sections->len; s++)
    {
      MzReport *section = g_ptr_array_index (doc->sections, s);

      if (g_str_equal (section->plugin, "marriage"))
        return section;
    }
  g_error ("no marriage section in the report");
}

static MzReportDoc *
run_report (HostFixture *f, const char *from, const char *to)
{
  g_autoptr (GError) error = NULL;
  MzReportDoc *doc = mz_report_run (f->services, from, to, "marriage", &host_fixture_actor,
                                    &error);

  g_assert_no_error (error);
  g_assert_nonnull (doc);
  g_assert_no_error (marriage_section (doc)->error);
  return doc;
}

/* "100", "97.5": per mille as the sentence shows it. */
static char *
percent_text (gint64 permille)
{
  if (permille % 10 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, permille / 10);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, permille / 10, permille % 10);
}

/* Couple @n (distinct people for every n). */
static gint64
import_registration (HostFixture *f, guint n, const char *accepted, const char *date,
                     guint sequence)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *man = test_id_make ("450222", "1985-03-03", n * 2 + 1);
  g_autofree char *woman = test_id_make ("450203", "1987-04-04", n * 2);
  g_autofree char *certificate = g_strdup_printf ("J450222-%.4s-%06u", date, sequence);
  gint64 id;

  id = host_fixture_act (f, "registration", "import", 0, &error,
                         "man_name", "甲", "man_id_number", man, "woman_name", "乙",
                         "woman_id_number", woman, "accepted_date", accepted,
                         "registration_date", date, "certificate_number", certificate, NULL);
  g_assert_no_error (error);
  return id;
}

static void
import_divorce (HostFixture *f, guint n, const char *accepted, const char *date, guint sequence)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *man = test_id_make ("450205", "1975-05-05", n * 2 + 1);
  g_autofree char *woman = test_id_make ("450206", "1976-06-06", n * 2);
  g_autofree char *marriage = g_strdup_printf ("J450205-2001-%06u", n);
  g_autofree char *certificate = g_strdup_printf ("L450222-%.4s-%06u", date, sequence);

  host_fixture_act (f, "divorce", "import", 0, &error,
                    "marriage_certificate_number", marriage, "registered_in_mainland", "1",
                    "man_name", "丙", "man_id_number", man, "woman_name", "丁",
                    "woman_id_number", woman, "agreement_present", "1", "man_capacity", "1",
                    "woman_capacity", "1", "accepted_date", accepted, "registration_date", date,
                    "certificate_number", certificate, NULL);
  g_assert_no_error (error);
}

static void
import_replacement (HostFixture *f, guint n, const char *type, const char *date, guint sequence)
{
  g_autoptr (GError) error = NULL;
  gboolean marriage = g_str_equal (type, "marriage");
  g_autofree char *applicant = test_id_make ("450222", "1960-07-07", n);
  g_autofree char *original = g_strdup_printf ("%s450222-1999-%06u", marriage ? "J" : "L", n);
  g_autofree char *certificate = g_strdup_printf ("%s450222-%.4s-%06u", marriage ? "BJ" : "BL",
                                                  date, sequence);

  host_fixture_act (f, "replacement", "import", 0, &error,
                    "certificate_type", type, "original_certificate_number", original,
                    "archive_verified", "1", "applicant_name", "戊",
                    "applicant_id_number", applicant, "issue_date", date,
                    "certificate_number", certificate, NULL);
  g_assert_no_error (error);
}

/* A data set over 2021 of which the period 2021-03-01..2021-04-30 is
 * reported.  Day k of the loop is 2021-01-01 + k. */
static void
make_data (HostFixture *f, Expected *e)
{
  g_autoptr (GError) error = NULL;
  guint j = 0, l = 0, bj = 0, bl = 0;

  memset (e, 0, sizeof *e);
  for (guint k = 0; k < 180; k += 1)
    {
      g_autofree char *date = mz_date_add_days ("2021-01-01", k);
      g_autofree char *before = mz_date_add_days (date, -1);
      g_autofree char *accepted = mz_date_add_days (date, -40);
      gboolean in = strcmp (date, "2021-03-01") >= 0 && strcmp (date, "2021-04-30") <= 0;
      /* Every third registration was accepted the day before (late when
       * promised_days is 0); every 7th is annulled below. */
      gboolean late = k % 3 == 0;
      gint64 id;

      id = import_registration (f, k, late ? before : date, date, ++j);
      if (in)
        {
          e->registered++;
          e->late += late;
        }
      if (k % 7 == 0)
        {
          host_fixture_set_today (f, "2021-12-01");
          host_fixture_act (f, "registration", "record_annulment", id, &error,
                            "judgment_number", "（2021）桂0222民初1号", "court", "柳城县人民法院",
                            "judgment_date", "2021-11-30", NULL);
          g_assert_no_error (error);
          e->defective += in;
        }
      if (k % 2 == 0 && k >= 40)
        {
          import_divorce (f, k, accepted, date, ++l);
          e->divorced += in;
        }
      if (k % 4 == 1)
        {
          import_replacement (f, 2 * k + 1, "marriage", date, ++bj);
          e->reissued_marriage += in;
        }
      if (k % 9 == 2)
        {
          import_replacement (f, 2 * k + 2, "divorce", date, ++bl);
          e->reissued_divorce += in;
        }
    }
  /* A divorce accepted in the period but not registered is not counted. */
  host_fixture_set_today (f, "2021-03-10");
  {
    g_autofree char *man = test_id_make ("450205", "1970-01-01", 11);
    g_autofree char *woman = test_id_make ("450205", "1971-01-01", 12);

    host_fixture_act (f, "divorce", "accept", 0, &error,
                      "marriage_certificate_number", "J450205-1999-000001",
                      "registered_in_mainland", "1", "man_name", "己", "man_id_number", man,
                      "woman_name", "庚", "woman_id_number", woman, "agreement_present", "1",
                      "man_capacity", "1", "woman_capacity", "1", "man_present", "1",
                      "woman_present", "1", NULL);
    g_assert_no_error (error);
  }
}

static void
test_report_figures (HostFixture *f, gconstpointer data)
{
  gint64 promised = GPOINTER_TO_INT (data);
  g_autoptr (MzReportDoc) doc = NULL;
  Expected e;
  gint64 concluded, on_time, qualified;
  guint decimals = 9;
  g_autofree char *sentence = NULL;
  g_autofree char *on_time_text = NULL;
  g_autofree char *qualified_text = NULL;

  make_data (f, &e);
  doc = run_report (f, "2021-03-01", "2021-04-30");

  g_assert_cmpint (e.registered, ==, 61);
  g_assert_cmpint (figure (doc, "marriage.registered", &decimals), ==, e.registered);
  g_assert_cmpuint (decimals, ==, 0);
  g_assert_cmpint (figure (doc, "marriage.divorced", NULL), ==, e.divorced);
  g_assert_cmpint (figure (doc, "marriage.reissued_marriage", NULL), ==, e.reissued_marriage);
  g_assert_cmpint (figure (doc, "marriage.reissued_divorce", NULL), ==, e.reissued_divorce);

  /* Rates in per mille, truncated; registrations accepted the day before
   * are late only when nothing beyond the same day is promised. */
  concluded = e.registered + e.divorced + e.reissued_marriage + e.reissued_divorce;
  on_time = (concluded - (promised >= 1 ? 0 : e.late)) * 1000 / concluded;
  qualified = (e.registered - e.defective) * 1000 / e.registered;
  g_assert_cmpint (figure (doc, "marriage.on_time_rate", &decimals), ==, on_time);
  g_assert_cmpuint (decimals, ==, 1);
  g_assert_cmpint (figure (doc, "marriage.qualified_rate", NULL), ==, qualified);
  g_assert_cmpint (qualified, <, 1000);

  on_time_text = percent_text (on_time);
  qualified_text = percent_text (qualified);
  sentence = g_strdup_printf ("窗口共办理结婚登记%" G_GINT64_FORMAT "对，离婚登记%" G_GINT64_FORMAT
                              "对，补发结婚登记%" G_GINT64_FORMAT "对，补发离婚登记%" G_GINT64_FORMAT
                              "对，按时办结率%s%%，登记合格率%s%%。",
                              e.registered, e.divorced, e.reissued_marriage, e.reissued_divorce,
                              on_time_text, qualified_text);
  g_assert_cmpstr (marriage_section (doc)->sentence, ==, sentence);
}

static void
setup_promised (HostFixture *f, gconstpointer data)
{
  g_autofree char *extra = g_strdup_printf ("[plugin.marriage]\npromised_days=%d\n",
                                            GPOINTER_TO_INT (data));

  host_fixture_setup_with (f, extra);
}

/* A promised time that is no number of days refuses the plugin at load,
 * naming the key. */
static void
test_bad_promised_days (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("marriage-conf-XXXXXX", &error);
  g_autofree char *db = g_build_filename (dir, "office.db", NULL);
  g_autofree char *text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n"
                                           "[plugins]\npath=%s\nenabled=marriage\n"
                                           "[store]\npath=%s\n"
                                           "[plugin.marriage]\npromised_days=-1\n",
                                           g_getenv ("MARRIAGE_PLUGIN_DIR"), db);
  g_autoptr (MzConfig) config = mz_config_load_from_data (text, "bad.conf", &error);
  g_autoptr (MzServices) services = NULL;
  g_autoptr (MzLoader) loader = NULL;
  MzPlugin *plugin;

  g_assert_no_error (error);
  services = mz_services_new (config, &error);
  g_assert_no_error (error);
  loader = mz_loader_new (config, services);
  g_assert_true (mz_loader_load_all (loader, &error));
  g_assert_no_error (error);
  g_assert_null (mz_loader_lookup (loader, "marriage", &error));
  g_assert_error (error, MZ_LOADER_ERROR, MZ_LOADER_ERROR_INIT_FAILED);
  g_assert_nonnull (strstr (error->message, "promised_days=-1"));
  plugin = mz_loader_get_plugin (loader, 0);
  g_assert_cmpint (plugin->state, ==, MZ_PLUGIN_STATE_REFUSED);

  g_clear_pointer (&loader, mz_loader_free);
  g_clear_pointer (&services, mz_services_free);
  mz_test_remove_tree (dir);
}

/* The demo files, imported in one batch as `mzctl import` does, give the
 * seed report's figures for 2021-01-01..2021-06-30. */
static void
test_demo_import (HostFixture *f, gconstpointer data)
{
  const char *demo = g_getenv ("MARRIAGE_DEMO_DIR");
  const char *files[][2] = {
    { "10-registration.csv", "registration" },
    { "20-divorce.csv", "divorce" },
    { "30-replacement.csv", "replacement" },
  };
  g_autoptr (MzImportBatch) batch = mz_import_batch_new (f->services, &host_fixture_actor, NULL);
  g_autoptr (MzReportDoc) doc = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *voluntary = NULL;
  g_autofree char *kinship = NULL;

  g_assert_nonnull (demo);
  host_fixture_set_today (f, "2021-07-01");
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (demo, files[i][0], NULL);

      g_assert_true (mz_import_batch_add_file (batch, "marriage", files[i][1], NULL,
                                               MZ_IMPORT_FORMAT_AUTO, path, TRUE, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (mz_import_batch_get_action (batch), ==, "import");
    }
  if (!mz_import_batch_commit (batch, &error))
    {
      GPtrArray *problems = mz_import_batch_get_problems (batch);

      for (guint i = 0; i < problems->len && i < 10; i++)
        {
          g_autofree char *line = mz_import_problem_format (g_ptr_array_index (problems, i));

          g_printerr ("%s\n", line);
        }
      g_error ("demo import failed: %s", error->message);
    }
  g_assert_cmpuint (mz_import_batch_get_n_rows (batch), ==, 1062 + 278 + 249 + 57);
  /* The demo registrations carry what a clerk records today. */
  voluntary = host_fixture_column (f, "marriage_registration", 1062, "woman_voluntary");
  kinship = host_fixture_column (f, "marriage_registration", 1062, "prohibited_kinship");
  g_assert_cmpstr (voluntary, ==, "1");
  g_assert_cmpstr (kinship, ==, "0");

  doc = run_report (f, "2021-01-01", "2021-06-30");
  g_assert_cmpint (figure (doc, "marriage.registered", NULL), ==, 1062);
  g_assert_cmpint (figure (doc, "marriage.divorced", NULL), ==, 278);
  g_assert_cmpint (figure (doc, "marriage.reissued_marriage", NULL), ==, 249);
  g_assert_cmpint (figure (doc, "marriage.reissued_divorce", NULL), ==, 57);
  g_assert_cmpint (figure (doc, "marriage.on_time_rate", NULL), ==, 1000);
  g_assert_cmpint (figure (doc, "marriage.qualified_rate", NULL), ==, 1000);
  g_assert_cmpstr (marriage_section (doc)->sentence, ==,
                   "窗口共办理结婚登记1062对，离婚登记278对，补发结婚登记249对，补发离婚登记57对，"
                   "按时办结率100%，登记合格率100%。");

  /* A period without any matter: counts of 0, no rate figures (a rate over
   * nothing is undefined), and a sentence that says so. */
  g_clear_pointer (&doc, mz_report_doc_free);
  doc = run_report (f, "2019-01-01", "2019-06-30");
  g_assert_cmpint (figure (doc, "marriage.registered", NULL), ==, 0);
  g_assert_cmpint (marriage_section (doc)->figures->len, ==, 4);
  g_assert_cmpstr (marriage_section (doc)->sentence, ==,
                   "窗口共办理结婚登记0对，离婚登记0对，补发结婚登记0对，补发离婚登记0对，"
                   "本期无办结事项，不计按时办结率，本期无结婚登记，不计登记合格率。");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/marriage/report/figures", HostFixture, GINT_TO_POINTER (0), setup_promised,
              test_report_figures, host_fixture_teardown);
  g_test_add ("/marriage/report/figures-promised-days", HostFixture, GINT_TO_POINTER (1),
              setup_promised, test_report_figures, host_fixture_teardown);
  g_test_add_func ("/marriage/report/bad-promised-days", test_bad_promised_days);
  g_test_add ("/marriage/report/demo-import", HostFixture, NULL, host_fixture_setup,
              test_demo_import, host_fixture_teardown);
  return g_test_run ();
}
