/* Importing files into a real store through the testreg plugin: a good
 * file, all-or-nothing with bad rows in the middle (every one listed,
 * nothing committed), unknown columns, the choice of create action, and
 * the audit entries an import leaves.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "host-fixture.h"
#include "import.h"

static const MzActor importer = { "importer", "supervisor", NULL, "cli" };

static char *
good_csv (guint n_rows)
{
  GString *csv = g_string_new ("name,id_number,category,applied_on,amount,certificate_no\r\n");

  for (guint i = 0; i < n_rows; i++)
    {
      g_autofree char *id = host_fixture_id_number (i);

      g_string_append_printf (csv, "\"张,%u\",%s,%s,2021-0%u-15,%u,Z-2021-%06u\r\n",
                              i, id, i % 2 ? "dibao" : "tekun", 1 + i % 6, 1000 * i, i);
    }
  return g_string_free (csv, FALSE);
}

static gboolean
import_text (HostFixture    *f,
             const char     *action,
             MzImportFormat  format,
             const char     *text,
             GPtrArray     **problems_out,
             guint          *n_rows,
             GError        **error)
{
  g_autoptr (MzImportBatch) batch = mz_import_batch_new (f->services, &importer, NULL);
  gboolean ok;

  ok = mz_import_batch_add_data (batch, "testreg", "application", action, format, NULL,
                                 text, strlen (text), error)
       && mz_import_batch_commit (batch, error);
  if (problems_out != NULL)
    *problems_out = g_ptr_array_ref (mz_import_batch_get_problems (batch));
  if (n_rows != NULL)
    *n_rows = mz_import_batch_get_n_rows (batch);
  return ok;
}

static void
test_good_file (void)
{
  HostFixture f = { 0 };
  g_autofree char *csv = good_csv (25);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autofree char *name = NULL;
  guint n = 0;

  host_fixture_open (&f, NULL);
  g_assert_true (import_text (&f, NULL, MZ_IMPORT_FORMAT_CSV, csv, &problems, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 25);
  g_assert_cmpuint (problems->len, ==, 0);

  /* The default action is the one named "import": records are done. */
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 25);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application WHERE state = 'done'"),
                   ==, 25);
  g_assert_cmpint (host_fixture_count (&f, "SELECT sum(amount) FROM testreg_application"), ==,
                   1000 * (24 * 25 / 2));
  name = host_fixture_text (&f, "SELECT name FROM testreg_application WHERE certificate_no = 'Z-2021-000007'");
  g_assert_cmpstr (name, ==, "张,7");
  /* Each row audited as an import by the named actor. */
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM audit_entries WHERE actor_user = 'importer'"
                                           " AND actor_role = 'supervisor' AND outcome = 'ok'"
                                           " AND action LIKE '%import%'"), ==, 25);
  host_fixture_close (&f);
}

static void
test_bad_rows_roll_back (void)
{
  HostFixture f = { 0 };
  g_autofree char *id1 = host_fixture_id_number (1);
  g_autofree char *id2 = host_fixture_id_number (2);
  g_autofree char *id3 = host_fixture_id_number (3);
  g_autofree char *csv = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = NULL;
  g_autofree char *first = NULL;
  MzImportProblem *p;
  char bad_id[19];

  /* The same number with a wrong check character. */
  g_strlcpy (bad_id, id2, sizeof bad_id);
  bad_id[17] = bad_id[17] == '0' ? '1' : '0';
  csv = g_strdup_printf ("name,id_number,category,applied_on,amount,certificate_no\n"
                         "甲,%s,dibao,2021-01-05,100,A-1\n"                 /* line 2: good */
                         "乙,%s,dibao,2021-01-06,100,A-2\n"                 /* line 3: check character */
                         "丙,%s,dibao,2021-01-07,100,A-3\n"                 /* line 4: good */
                         "拒绝,%s,dibao,2021-01-08,100,A-4\n"               /* line 5: the guard refuses */
                         "丁,%s,xiaokang,2021-01-09,100,A-5\n"              /* line 6: unknown enum */
                         "戊,%s,dibao,2021-02-30,100,A-6\n"                 /* line 7: no such date */
                         "己,%s,dibao,2021-01-10,100,A-7\n",                /* line 8: good */
                         id1, bad_id, id3, id1, id1, id1, id3);

  host_fixture_open (&f, NULL);
  g_assert_false (import_text (&f, NULL, MZ_IMPORT_FORMAT_CSV, csv, &problems, NULL, &error));
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ROWS);

  /* Nothing committed, not even the good rows before the first bad one. */
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 0);

  g_assert_cmpuint (problems->len, ==, 4);
  p = g_ptr_array_index (problems, 0);
  g_assert_cmpuint (p->line, ==, 3);
  g_assert_cmpstr (p->field, ==, "id_number");
  g_assert_nonnull (strstr (p->message, "[field.id_number.checksum]"));
  first = mz_import_problem_format (p);
  g_assert_true (g_str_has_prefix (first, "第 3 行：字段 id_number（申请人身份证号）："));
  p = g_ptr_array_index (problems, 1);
  g_assert_cmpuint (p->line, ==, 5);
  g_assert_null (p->field);
  g_assert_nonnull (strstr (p->message, "[testreg.refused]"));
  p = g_ptr_array_index (problems, 2);
  g_assert_cmpuint (p->line, ==, 6);
  g_assert_cmpstr (p->field, ==, "category");
  p = g_ptr_array_index (problems, 3);
  g_assert_cmpuint (p->line, ==, 7);
  g_assert_cmpstr (p->field, ==, "applied_on");
  host_fixture_close (&f);
}

/* A row that cannot be read (ragged) stops the file before the store;
 * the bad values of the other rows are still named in the same run. */
static void
test_ragged_and_bad_value (void)
{
  HostFixture f = { 0 };
  g_autofree char *id1 = host_fixture_id_number (1);
  g_autofree char *csv = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = NULL;

  csv = g_strdup_printf ("name,id_number,category,applied_on,amount,certificate_no\n"
                         "甲,%s,dibao,2021-01-05,100,B-1\n"
                         "乙,%s,dibao,2021-01-06\n"
                         "丙,%s,dibao,2021-01-07,-5,B-3\n",
                         id1, id1, id1);
  host_fixture_open (&f, NULL);
  g_assert_false (import_text (&f, NULL, MZ_IMPORT_FORMAT_CSV, csv, &problems, NULL, &error));
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ROWS);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_cmpuint (((MzImportProblem *) g_ptr_array_index (problems, 0))->line, ==, 3);
  g_assert_nonnull (strstr (((MzImportProblem *) g_ptr_array_index (problems, 0))->message,
                            "[import.ragged_row]"));
  g_assert_cmpuint (((MzImportProblem *) g_ptr_array_index (problems, 1))->line, ==, 4);
  g_assert_cmpstr (((MzImportProblem *) g_ptr_array_index (problems, 1))->field, ==, "amount");
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 0);
  host_fixture_close (&f);
}

static void
test_unknown_columns (void)
{
  HostFixture f = { 0 };
  g_autoptr (GError) error = NULL;

  host_fixture_open (&f, NULL);
  g_assert_false (import_text (&f, NULL, MZ_IMPORT_FORMAT_CSV,
                               "name,husband,id_number,state,category\n甲,x,y,done,dibao\n",
                               NULL, NULL, &error));
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_UNKNOWN_COLUMN);
  g_assert_nonnull (strstr (error->message, "husband、state"));
  g_clear_error (&error);

  /* The submit action does not take certificate_no. */
  g_assert_false (import_text (&f, "submit", MZ_IMPORT_FORMAT_CSV,
                               "name,certificate_no\n甲,x\n", NULL, NULL, &error));
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_UNKNOWN_COLUMN);
  g_assert_nonnull (strstr (error->message, "certificate_no"));
  g_clear_error (&error);

  /* A file that cannot be read is named, in Chinese first, with a code. */
  {
    g_autoptr (MzImportBatch) batch = mz_import_batch_new (f.services, &importer, NULL);

    g_assert_false (mz_import_batch_add_file (batch, "testreg", "application", NULL, MZ_IMPORT_FORMAT_AUTO,
                                              "/nonexistent/rows.csv", FALSE, &error));
    g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_FILE);
    g_assert_true (g_str_has_prefix (error->message, "无法读取导入文件 /nonexistent/rows.csv"));
    g_assert_true (g_str_has_suffix (error->message, "[import.file]"));
    g_clear_error (&error);
  }

  /* Neither a system action nor a non-create action imports. */
  g_assert_false (import_text (&f, "lapse", MZ_IMPORT_FORMAT_CSV, "name\n甲\n", NULL, NULL, &error));
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_TARGET);
  g_clear_error (&error);
  g_assert_false (import_text (&f, "approve", MZ_IMPORT_FORMAT_CSV, "name\n甲\n", NULL, NULL, &error));
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_TARGET);
  host_fixture_close (&f);
}

static void
test_jsonl_with_action (void)
{
  HostFixture f = { 0 };
  g_autofree char *id1 = host_fixture_id_number (11);
  g_autofree char *id2 = host_fixture_id_number (12);
  g_autofree char *jsonl = NULL;
  g_autoptr (GError) error = NULL;
  guint n = 0;

  jsonl = g_strdup_printf ("{\"name\": \"甲\", \"id_number\": \"%s\", \"category\": \"tekun\", \"applied_on\": \"2021-05-01\", \"amount\": 2500}\n"
                           "{\"name\": \"乙\", \"id_number\": \"%s\", \"category\": \"dibao\", \"applied_on\": \"2021-05-02\", \"amount\": null}\n",
                           id1, id2);
  host_fixture_open (&f, NULL);
  g_assert_true (import_text (&f, "submit", MZ_IMPORT_FORMAT_JSONL, jsonl, NULL, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application WHERE state = 'pending'"),
                   ==, 2);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application WHERE amount IS NULL"),
                   ==, 1);
  host_fixture_close (&f);
}

/* A unique key broken inside the file is found like any other bad row. */
static void
test_duplicate_in_file (void)
{
  HostFixture f = { 0 };
  g_autofree char *id1 = host_fixture_id_number (1);
  g_autofree char *csv = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = NULL;

  csv = g_strdup_printf ("name,id_number,category,applied_on,certificate_no\n"
                         "甲,%s,dibao,2021-01-05,C-1\n"
                         "乙,%s,dibao,2021-01-06,C-1\n", id1, id1);
  host_fixture_open (&f, NULL);
  g_assert_false (import_text (&f, NULL, MZ_IMPORT_FORMAT_CSV, csv, &problems, NULL, &error));
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ROWS);
  g_assert_cmpuint (problems->len, >=, 1);
  g_assert_cmpuint (((MzImportProblem *) g_ptr_array_index (problems, problems->len - 1))->line, ==, 3);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application"), ==, 0);
  host_fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/good-file", test_good_file);
  g_test_add_func ("/import/bad-rows-roll-back", test_bad_rows_roll_back);
  g_test_add_func ("/import/ragged-and-bad-value", test_ragged_and_bad_value);
  g_test_add_func ("/import/unknown-columns", test_unknown_columns);
  g_test_add_func ("/import/jsonl-with-action", test_jsonl_with_action);
  g_test_add_func ("/import/duplicate-in-file", test_duplicate_in_file);
  return g_test_run ();
}
