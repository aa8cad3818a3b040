/* Reading import files: CSV edge cases (quotes, embedded newlines, BOM,
 * CRLF, blank lines, ragged rows) and JSON lines.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "import.h"

static MzImportTable *
parse (const char     *text,
       MzImportFormat  format,
       GError        **error)
{
  return mz_import_table_parse (text, strlen (text), format, error);
}

static const char *
cell (MzImportTable *table,
      guint          row,
      guint          column)
{
  MzImportRow *r = g_ptr_array_index (table->rows, row);

  g_assert_cmpuint (column, <, r->n_cells);
  return r->cells[column];
}

static guint
row_line (MzImportTable *table,
          guint          row)
{
  return ((MzImportRow *) g_ptr_array_index (table->rows, row))->line;
}

static void
test_csv_plain (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportTable) t = parse ("name,id_number,born\n张三,11010519491231002X,1949-12-31\n李四,,\n",
                                       MZ_IMPORT_FORMAT_CSV, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (t->columns->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (t->columns, 1), ==, "id_number");
  g_assert_cmpuint (t->rows->len, ==, 2);
  g_assert_cmpuint (t->problems->len, ==, 0);
  g_assert_cmpstr (cell (t, 0, 0), ==, "张三");
  g_assert_cmpstr (cell (t, 0, 1), ==, "11010519491231002X");
  g_assert_cmpuint (row_line (t, 0), ==, 2);
  g_assert_cmpstr (cell (t, 1, 0), ==, "李四");
  /* Empty cells are absent values, not empty strings. */
  g_assert_null (cell (t, 1, 1));
  g_assert_null (cell (t, 1, 2));
  g_assert_cmpuint (row_line (t, 1), ==, 3);
}

static void
test_csv_quotes (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportTable) t =
    parse ("a,b,c\n"
           "\"x,y\",\"he said \"\"hi\"\"\",\"\"\n"
           "\"line one\nline two\",plain,\"\"\"\"\n"
           "last,\"'; DROP TABLE x; --\",end\n",
           MZ_IMPORT_FORMAT_CSV, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (t->rows->len, ==, 3);
  g_assert_cmpstr (cell (t, 0, 0), ==, "x,y");
  g_assert_cmpstr (cell (t, 0, 1), ==, "he said \"hi\"");
  g_assert_null (cell (t, 0, 2));
  g_assert_cmpstr (cell (t, 1, 0), ==, "line one\nline two");
  g_assert_cmpstr (cell (t, 1, 2), ==, "\"");
  /* The row after a two-line value starts on line 5, not 4. */
  g_assert_cmpuint (row_line (t, 1), ==, 3);
  g_assert_cmpuint (row_line (t, 2), ==, 5);
  g_assert_cmpstr (cell (t, 2, 1), ==, "'; DROP TABLE x; --");
}

static void
test_csv_bom_crlf (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportTable) t =
    parse ("\xef\xbb\xbfname,note\r\n张三,\"a\r\nb\"\r\n李四,c\r\n\r\n",
           MZ_IMPORT_FORMAT_CSV, &error);

  g_assert_no_error (error);
  /* The BOM is not part of the first column's name. */
  g_assert_cmpstr (g_ptr_array_index (t->columns, 0), ==, "name");
  g_assert_cmpuint (t->rows->len, ==, 2);
  g_assert_cmpstr (cell (t, 0, 1), ==, "a\nb");
  g_assert_cmpstr (cell (t, 1, 0), ==, "李四");
  g_assert_cmpuint (row_line (t, 1), ==, 4);
  g_assert_cmpuint (t->problems->len, ==, 0);
}

static void
test_csv_blank_lines (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportTable) t = parse ("\n\na,b\n1,2\n\n3,4", MZ_IMPORT_FORMAT_CSV, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (t->rows->len, ==, 2);
  g_assert_cmpuint (row_line (t, 0), ==, 4);
  g_assert_cmpuint (row_line (t, 1), ==, 6);
  g_assert_cmpstr (cell (t, 1, 1), ==, "4");
}

static void
test_csv_ragged (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportTable) t = parse ("a,b,c\n1,2,3\n1,2\n1,2,3,4\n\"x\"y,2,3\n1,x\"y,3\n7,8,9\n",
                                       MZ_IMPORT_FORMAT_CSV, &error);
  MzImportProblem *p;
  g_autofree char *line = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (t->rows->len, ==, 2);
  g_assert_cmpuint (row_line (t, 1), ==, 7);
  g_assert_cmpuint (t->problems->len, ==, 4);
  p = g_ptr_array_index (t->problems, 0);
  g_assert_cmpuint (p->line, ==, 3);
  g_assert_nonnull (strstr (p->message, "[import.ragged_row]"));
  line = mz_import_problem_format (p);
  g_assert_cmpstr (line, ==, "第 3 行：这一行有 2 个值，列名行有 3 列 [import.ragged_row]");
  p = g_ptr_array_index (t->problems, 1);
  g_assert_cmpuint (p->line, ==, 4);
  g_assert_nonnull (strstr (p->message, "有 4 个值"));
  p = g_ptr_array_index (t->problems, 2);
  g_assert_cmpuint (p->line, ==, 5);
  g_assert_nonnull (strstr (p->message, "[import.stray_quote]"));
  p = g_ptr_array_index (t->problems, 3);
  g_assert_cmpuint (p->line, ==, 6);
  g_assert_nonnull (strstr (p->message, "[import.stray_quote]"));
}

static void
test_csv_refused (void)
{
  static const struct
  {
    const char *text;
    MzImportError code;
    const char *needle;
  } cases[] = {
    { "", MZ_IMPORT_ERROR_EMPTY, "[import.empty]" },
    { "\xef\xbb\xbf", MZ_IMPORT_ERROR_EMPTY, "[import.empty]" },
    { "\n\r\n", MZ_IMPORT_ERROR_EMPTY, "[import.empty]" },
    { "a,b\n", MZ_IMPORT_ERROR_EMPTY, "[import.empty]" },
    { "a,b,a,c,b\n1,2,3,4,5\n", MZ_IMPORT_ERROR_HEADER, "列名重复：a、b" },
    { "a,,c\n1,2,3\n", MZ_IMPORT_ERROR_HEADER, "第 2 列没有列名" },
    { "a,b\n1,\"2\n3,4\n", MZ_IMPORT_ERROR_SYNTAX, "第 2 行" },
    { "a,b\n1,2\n\xd5\xc5\xc8\xfd,4\n", MZ_IMPORT_ERROR_ENCODING, "第 3 行" },
    { "\xff\xfe" "a\0,\0b\0", MZ_IMPORT_ERROR_ENCODING, "UTF-16" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MzImportTable) t = parse (cases[i].text, MZ_IMPORT_FORMAT_CSV, &error);

      g_test_message ("case %" G_GSIZE_FORMAT, i);
      g_assert_null (t);
      g_assert_error (error, MZ_IMPORT_ERROR, (gint) cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].needle));
    }
}

static void
test_csv_nul (void)
{
  static const char text[] = "a,b\n1,2\n3\0,4\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportTable) t = mz_import_table_parse (text, sizeof text - 1, MZ_IMPORT_FORMAT_CSV, &error);

  g_assert_null (t);
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "第 3 行"));
}

static void
test_jsonl (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportTable) t =
    parse ("{\"name\": \"张三\", \"amount\": 120000, \"dibao\": true}\n"
           "\n"
           "{\"name\": \"李四\", \"note\": \"a\\nb\", \"amount\": null, \"ratio\": 0.5}\r\n"
           "[1, 2]\n"
           "{\"name\": {\"nested\": 1}}\n"
           "{\"name\": \"王五\"\n"
           "   {\"amount\": -3}   \n",
           MZ_IMPORT_FORMAT_JSONL, &error);
  MzImportProblem *p;

  g_assert_no_error (error);
  g_assert_cmpuint (t->columns->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (t->columns, 3), ==, "note");
  g_assert_cmpuint (t->rows->len, ==, 3);
  g_assert_cmpstr (cell (t, 0, 0), ==, "张三");
  g_assert_cmpstr (cell (t, 0, 1), ==, "120000");
  g_assert_cmpstr (cell (t, 0, 2), ==, "true");
  g_assert_null (cell (t, 0, 3));
  g_assert_null (cell (t, 0, 4));
  g_assert_cmpuint (row_line (t, 1), ==, 3);
  g_assert_null (cell (t, 1, 1));
  g_assert_cmpstr (cell (t, 1, 3), ==, "a\nb");
  g_assert_cmpstr (cell (t, 1, 4), ==, "0.5");
  g_assert_cmpuint (row_line (t, 2), ==, 7);
  g_assert_cmpstr (cell (t, 2, 1), ==, "-3");
  g_assert_null (cell (t, 2, 0));

  g_assert_cmpuint (t->problems->len, ==, 3);
  p = g_ptr_array_index (t->problems, 0);
  g_assert_cmpuint (p->line, ==, 4);
  g_assert_nonnull (strstr (p->message, "[import.not_object]"));
  p = g_ptr_array_index (t->problems, 1);
  g_assert_cmpuint (p->line, ==, 5);
  g_assert_cmpstr (p->field, ==, "name");
  g_assert_nonnull (strstr (p->message, "[import.nested_value]"));
  p = g_ptr_array_index (t->problems, 2);
  g_assert_cmpuint (p->line, ==, 6);
  g_assert_nonnull (strstr (p->message, "[import.json_syntax]"));
}

static void
test_jsonl_empty (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportTable) t = parse ("\n  \n", MZ_IMPORT_FORMAT_JSONL, &error);

  g_assert_null (t);
  g_assert_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_EMPTY);
}

static void
test_format_guess (void)
{
  g_assert_cmpint (mz_import_format_guess ("a/b/10-registration.jsonl"), ==, MZ_IMPORT_FORMAT_JSONL);
  g_assert_cmpint (mz_import_format_guess ("x.ndjson"), ==, MZ_IMPORT_FORMAT_JSONL);
  g_assert_cmpint (mz_import_format_guess ("x.csv"), ==, MZ_IMPORT_FORMAT_CSV);
  g_assert_cmpint (mz_import_format_guess ("x.txt"), ==, MZ_IMPORT_FORMAT_CSV);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/csv/plain", test_csv_plain);
  g_test_add_func ("/import/csv/quotes", test_csv_quotes);
  g_test_add_func ("/import/csv/bom-crlf", test_csv_bom_crlf);
  g_test_add_func ("/import/csv/blank-lines", test_csv_blank_lines);
  g_test_add_func ("/import/csv/ragged", test_csv_ragged);
  g_test_add_func ("/import/csv/refused", test_csv_refused);
  g_test_add_func ("/import/csv/nul", test_csv_nul);
  g_test_add_func ("/import/jsonl/rows", test_jsonl);
  g_test_add_func ("/import/jsonl/empty", test_jsonl_empty);
  g_test_add_func ("/import/format-guess", test_format_guess);
  return g_test_run ();
}
