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

/* Random tables written with RFC 4180 quoting (by this test, not by the
 * code under test) read back cell for cell, with the line each row starts
 * on counted independently. */
static void
test_csv_round_trip (void)
{
  static const char *const pieces[] = {
    "a", "张三", ",", "\"", "\n", "\r\n", " ", "x\"y", "民政局", "0",
  };

  for (guint round = 0; round < 200; round++)
    {
      guint n_cols = (guint) g_test_rand_int_range (1, 6);
      guint n_rows = (guint) g_test_rand_int_range (1, 12);
      g_autoptr (GString) csv = g_string_new (g_test_rand_bit () ? "\xef\xbb\xbf" : "");
      g_autoptr (GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GArray) lines = g_array_new (FALSE, FALSE, sizeof (guint));
      const char *eol = g_test_rand_bit () ? "\r\n" : "\n";
      g_autoptr (MzImportTable) t = NULL;
      g_autoptr (GError) error = NULL;
      guint line = 2;

      for (guint c = 0; c < n_cols; c++)
        g_string_append_printf (csv, "%scol%u", c > 0 ? "," : "", c);
      g_string_append (csv, eol);
      for (guint r = 0; r < n_rows; r++)
        {
          /* At least one non-empty cell, so the row is not a blank line. */
          for (guint c = 0; c < n_cols; c++)
            {
              GString *value = g_string_new (NULL);
              guint n = (guint) g_test_rand_int_range (c == 0 ? 1 : 0, 4);
              gboolean quote;

              for (guint k = 0; k < n; k++)
                g_string_append (value, pieces[g_test_rand_int_range (0, G_N_ELEMENTS (pieces))]);
              quote = strpbrk (value->str, ",\"\r\n") != NULL || g_test_rand_bit ();
              if (c > 0)
                g_string_append_c (csv, ',');
              if (quote)
                {
                  g_string_append_c (csv, '"');
                  for (const char *p = value->str; *p != '\0'; p++)
                    {
                      if (*p == '"')
                        g_string_append_c (csv, '"');
                      g_string_append_c (csv, *p);
                    }
                  g_string_append_c (csv, '"');
                }
              else
                g_string_append (csv, value->str);
              g_array_append_val (lines, line);
              for (const char *p = value->str; *p != '\0'; p++)
                if (*p == '\n')
                  line++;
              /* CRLF inside a value is read as LF. */
              {
                g_auto (GStrv) parts = g_strsplit (value->str, "\r\n", -1);
                g_ptr_array_add (expected, g_strjoinv ("\n", parts));
              }
              g_string_free (value, TRUE);
            }
          g_string_append (csv, eol);
          line++;
        }

      t = mz_import_table_parse (csv->str, csv->len, MZ_IMPORT_FORMAT_CSV, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (t->problems->len, ==, 0);
      g_assert_cmpuint (t->rows->len, ==, n_rows);
      for (guint r = 0; r < n_rows; r++)
        {
          g_assert_cmpuint (row_line (t, r), ==, g_array_index (lines, guint, r * n_cols));
          for (guint c = 0; c < n_cols; c++)
            {
              const char *want = g_ptr_array_index (expected, r * n_cols + c);

              g_assert_cmpstr (cell (t, r, c), ==, *want != '\0' ? want : NULL);
            }
        }
    }
}

/* Arbitrary bytes never crash the reader: it returns rows or an error. */
static void
test_random_bytes (void)
{
  static const char alphabet[] = { 'a', ',', '"', '\n', '\r', '{', '}', ':', ' ', '\xe5', '\xbc', '\xa0' };

  for (guint round = 0; round < 2000; round++)
    {
      char buf[64];
      gsize n = (gsize) g_test_rand_int_range (0, sizeof buf);

      for (gsize i = 0; i < n; i++)
        buf[i] = alphabet[g_test_rand_int_range (0, G_N_ELEMENTS (alphabet))];
      for (int f = 0; f < 2; f++)
        {
          g_autoptr (GError) error = NULL;
          g_autoptr (MzImportTable) t = mz_import_table_parse (buf, n, f ? MZ_IMPORT_FORMAT_JSONL
                                                                        : MZ_IMPORT_FORMAT_CSV, &error);

          g_assert_true ((t == NULL) != (error == NULL));
          if (t != NULL)
            for (guint r = 0; r < t->rows->len; r++)
              g_assert_cmpuint (((MzImportRow *) g_ptr_array_index (t->rows, r))->n_cells, ==,
                                t->columns->len);
        }
    }
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
  g_test_add_func ("/import/csv/round-trip", test_csv_round_trip);
  g_test_add_func ("/import/random-bytes", test_random_bytes);
  g_test_add_func ("/import/format-guess", test_format_guess);
  return g_test_run ();
}
