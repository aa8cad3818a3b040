/* minzheng host — reading import files: CSV (RFC 4180) and JSON lines.
 *
 * Files come from other systems and from spreadsheets, so they are treated
 * as untrusted: every byte is checked to be UTF-8 before anything else,
 * and a fault of one row is recorded with its line number instead of
 * stopping the parse, so that the clerk can fix all rows in one go.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "import.h"

#include <string.h>

#include <json-glib/json-glib.h>

G_DEFINE_QUARK (mz-import-error-quark, mz_import_error)

void
mz_import_problem_free (gpointer data)
{
  MzImportProblem *problem = data;

  g_free (problem->source);
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

static void
row_free (gpointer data)
{
  MzImportRow *row = data;

  for (guint i = 0; i < row->n_cells; i++)
    g_free (row->cells[i]);
  g_free (row->cells);
  g_free (row);
}

void
mz_import_problem_add (GPtrArray  *problems,
                       guint       line,
                       const char *field,
                       const char *message)
{
  MzImportProblem *problem = g_new0 (MzImportProblem, 1);

  problem->line = line;
  problem->field = g_strdup (field);
  problem->message = g_strdup (message);
  g_ptr_array_add (problems, problem);
}

char *
mz_import_problem_format (const MzImportProblem *problem)
{
  g_return_val_if_fail (problem != NULL, NULL);

  if (problem->source != NULL)
    return g_strdup_printf ("%s：第 %u 行：%s", problem->source, problem->line, problem->message);
  return g_strdup_printf ("第 %u 行：%s", problem->line, problem->message);
}

static MzImportTable *
table_new (void)
{
  MzImportTable *table = g_new0 (MzImportTable, 1);

  table->columns = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_ptr_array_new_with_free_func (row_free);
  table->problems = g_ptr_array_new_with_free_func (mz_import_problem_free);
  return table;
}

void
mz_import_table_free (MzImportTable *table)
{
  if (table == NULL)
    return;
  g_ptr_array_unref (table->columns);
  g_ptr_array_unref (table->rows);
  g_ptr_array_unref (table->problems);
  g_free (table);
}

MzImportFormat
mz_import_format_guess (const char *filename)
{
  g_return_val_if_fail (filename != NULL, MZ_IMPORT_FORMAT_CSV);

  if (g_str_has_suffix (filename, ".jsonl") || g_str_has_suffix (filename, ".ndjson"))
    return MZ_IMPORT_FORMAT_JSONL;
  return MZ_IMPORT_FORMAT_CSV;
}

/* The line of the first byte that is not UTF-8, so the clerk can find it;
 * the commonest cause is a spreadsheet saved as GBK, so the message says
 * how to save it instead. */
static gboolean
check_encoding (const char *data,
                gsize       length,
                GError    **error)
{
  const char *end = NULL;
  guint line = 1;

  if (length >= 2 && ((guchar) data[0] == 0xff || (guchar) data[0] == 0xfe)
      && ((guchar) data[1] == 0xfe || (guchar) data[1] == 0xff))
    {
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ENCODING,
                   "文件是 UTF-16 编码，请另存为 UTF-8 后再导入 [import.encoding]");
      return FALSE;
    }
  if (g_utf8_validate_len (data, length, &end))
    return TRUE;
  for (const char *p = data; p < end; p++)
    if (*p == '\n')
      line++;
  if (*end == '\0')
    g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ENCODING,
                 "第 %u 行含有空字符（NUL），不是文本文件 [import.encoding]", line);
  else
    g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ENCODING,
                 "第 %u 行不是有效的 UTF-8 编码（文件可能是 GBK 编码），请另存为 UTF-8 后再导入 "
                 "[import.encoding]", line);
  return FALSE;
}

/* --- CSV ------------------------------------------------------------------- */

typedef struct
{
  const char *data;
  gsize length;
  gsize pos;
  guint line;          /* physical line at pos */
} CsvReader;

/* Leaves the reader at the start of the next physical line. */
static void
csv_skip_line (CsvReader *r)
{
  while (r->pos < r->length && r->data[r->pos] != '\n' && r->data[r->pos] != '\r')
    r->pos++;
  if (r->pos < r->length && r->data[r->pos] == '\r')
    r->pos++;
  if (r->pos < r->length && r->data[r->pos] == '\n')
    r->pos++;
  r->line++;
}

/* Reads one record.  Returns FALSE at the end of the data.  On a fault of
 * this record *problem is set (and the rest of its line skipped); a quote
 * that never closes is a fault of the whole file (@error).  *blank is set
 * for a line with no characters at all, which is skipped, not a row. */
static gboolean
csv_read_record (CsvReader  *r,
                 GPtrArray  *cells,
                 guint      *start_line,
                 char      **problem,
                 gboolean   *blank,
                 GError    **error)
{
  g_autoptr (GString) cell = g_string_new (NULL);
  gsize record_start = r->pos;

  *start_line = r->line;
  *problem = NULL;
  *blank = FALSE;
  if (r->pos >= r->length)
    return FALSE;

  for (;;)
    {
      gboolean quoted = FALSE;
      char c;

      g_string_truncate (cell, 0);
      if (r->pos < r->length && r->data[r->pos] == '"')
        {
          guint quote_line = r->line;

          quoted = TRUE;
          r->pos++;
          for (;;)
            {
              if (r->pos >= r->length)
                {
                  g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_SYNTAX,
                               "第 %u 行：引号开始的字段直到文件末尾都没有结束引号 "
                               "[import.unterminated_quote]", quote_line);
                  return FALSE;
                }
              c = r->data[r->pos];
              if (c == '"')
                {
                  if (r->pos + 1 < r->length && r->data[r->pos + 1] == '"')
                    {
                      g_string_append_c (cell, '"');
                      r->pos += 2;
                      continue;
                    }
                  r->pos++;
                  break;
                }
              /* A line break inside quotes is part of the value; CRLF is
               * kept as LF so that values do not depend on the platform. */
              if (c == '\r' && r->pos + 1 < r->length && r->data[r->pos + 1] == '\n')
                {
                  r->pos++;
                  continue;
                }
              if (c == '\n' || c == '\r')
                r->line++;
              g_string_append_c (cell, c);
              r->pos++;
            }
          if (r->pos < r->length && r->data[r->pos] != ',' && r->data[r->pos] != '\r'
              && r->data[r->pos] != '\n')
            {
              *problem = g_strdup ("结束引号后还有字符；含逗号、引号或换行的值须整个用引号括起，"
                                   "值中的引号写作两个引号 [import.stray_quote]");
              csv_skip_line (r);
              return TRUE;
            }
        }
      else
        {
          while (r->pos < r->length)
            {
              c = r->data[r->pos];
              if (c == ',' || c == '\r' || c == '\n')
                break;
              if (c == '"')
                {
                  *problem = g_strdup ("未加引号的值中出现引号；这样的值须整个用引号括起，"
                                       "值中的引号写作两个引号 [import.stray_quote]");
                  csv_skip_line (r);
                  return TRUE;
                }
              g_string_append_c (cell, c);
              r->pos++;
            }
        }

      g_ptr_array_add (cells, (quoted || cell->len > 0) ? g_strdup (cell->str) : g_strdup (""));
      if (r->pos >= r->length)
        break;
      if (r->data[r->pos] == ',')
        {
          r->pos++;
          continue;
        }
      /* End of record: CRLF, LF or a lone CR. */
      *blank = (r->pos == record_start);
      csv_skip_line (r);
      return TRUE;
    }
  return TRUE;
}

static MzImportTable *
parse_csv (const char *data,
           gsize       length,
           GError    **error)
{
  g_autoptr (MzImportTable) table = table_new ();
  g_autoptr (GPtrArray) header = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GString) duplicates = g_string_new (NULL);
  CsvReader r = { data, length, 0, 1 };
  g_autofree char *problem = NULL;
  g_autoptr (GError) local_error = NULL;
  guint line = 0;
  gboolean blank = FALSE;

  do
    {
      g_ptr_array_set_size (header, 0);
      g_clear_pointer (&problem, g_free);
      if (!csv_read_record (&r, header, &line, &problem, &blank, &local_error))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_EMPTY,
                         "文件是空的：第一行应是列名 [import.empty]");
          return NULL;
        }
    }
  while (blank);
  if (problem != NULL)
    {
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_HEADER,
                   "第 %u 行（列名行）：%s", line, problem);
      return NULL;
    }

  for (guint i = 0; i < header->len; i++)
    {
      char *name = g_strstrip ((char *) g_ptr_array_index (header, i));

      if (*name == '\0')
        {
          g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_HEADER,
                       "第 %u 行（列名行）：第 %u 列没有列名 [import.empty_column_name]", line, i + 1);
          return NULL;
        }
      if (g_hash_table_contains (seen, name))
        g_string_append_printf (duplicates, "%s%s", duplicates->len > 0 ? "、" : "", name);
      g_hash_table_add (seen, name);
      g_ptr_array_add (table->columns, g_strdup (name));
    }
  if (duplicates->len > 0)
    {
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_HEADER,
                   "第 %u 行（列名行）：列名重复：%s [import.duplicate_column]", line, duplicates->str);
      return NULL;
    }

  for (;;)
    {
      g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
      MzImportRow *row;

      g_clear_pointer (&problem, g_free);
      if (!csv_read_record (&r, cells, &line, &problem, &blank, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          break;
        }
      if (problem != NULL)
        {
          mz_import_problem_add (table->problems, line, NULL, problem);
          continue;
        }
      if (blank)
        continue;
      if (cells->len != table->columns->len)
        {
          g_autofree char *message =
            g_strdup_printf ("这一行有 %u 个值，列名行有 %u 列 [import.ragged_row]",
                             cells->len, table->columns->len);
          mz_import_problem_add (table->problems, line, NULL, message);
          continue;
        }

      row = g_new0 (MzImportRow, 1);
      row->line = line;
      row->n_cells = cells->len;
      row->cells = g_new0 (char *, cells->len);
      for (guint i = 0; i < cells->len; i++)
        {
          char *value = g_ptr_array_index (cells, i);

          /* An empty cell means "not given": optional fields stay unset. */
          row->cells[i] = *value != '\0' ? g_strdup (value) : NULL;
        }
      g_ptr_array_add (table->rows, row);
    }
  return g_steal_pointer (&table);
}

/* --- JSON lines ----------------------------------------------------------- */

static guint
column_index (MzImportTable *table,
              GHashTable    *index,
              const char    *name)
{
  gpointer value;

  if (g_hash_table_lookup_extended (index, name, NULL, &value))
    return GPOINTER_TO_UINT (value);
  g_ptr_array_add (table->columns, g_strdup (name));
  g_hash_table_insert (index, g_ptr_array_index (table->columns, table->columns->len - 1),
                       GUINT_TO_POINTER (table->columns->len - 1));
  return table->columns->len - 1;
}

/* JSON scalars become the text the host validates: integers in decimal,
 * booleans as true/false, null as absent.  Objects and arrays have no
 * place in a flat record. */
static gboolean
json_cell (JsonNode   *node,
           char      **out,
           char      **problem)
{
  *out = NULL;
  if (JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      *problem = g_strdup ("值不能是对象或数组 [import.nested_value]");
      return FALSE;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      *out = g_strdup (json_node_get_string (node));
      break;
    case G_TYPE_INT64:
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_BOOLEAN:
      *out = g_strdup (json_node_get_boolean (node) ? "true" : "false");
      break;
    default:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        *out = g_strdup (g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
      }
      break;
    }
  return TRUE;
}

static void
jsonl_add_object (MzImportTable *table,
                  GHashTable    *index,
                  GPtrArray     *cells,
                  JsonObject    *object,
                  guint          line)
{
  g_autoptr (GList) members = json_object_get_members (object);
  MzImportRow *row;
  gboolean bad = FALSE;

  g_ptr_array_set_size (cells, 0);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      guint col;
      char *value = NULL;
      g_autofree char *problem = NULL;

      if (*name == '\0')
        {
          mz_import_problem_add (table->problems, line, NULL, "对象中有空的键名 [import.empty_column_name]");
          bad = TRUE;
          continue;
        }
      if (!json_cell (json_object_get_member (object, name), &value, &problem))
        {
          g_autofree char *message = g_strdup_printf ("字段 %s：%s", name, problem);

          mz_import_problem_add (table->problems, line, name, message);
          bad = TRUE;
          continue;
        }
      col = column_index (table, index, name);
      if (cells->len <= col)
        g_ptr_array_set_size (cells, col + 1);
      g_free (g_ptr_array_index (cells, col));
      g_ptr_array_index (cells, col) = value;
    }
  if (bad)
    return;

  row = g_new0 (MzImportRow, 1);
  row->line = line;
  row->n_cells = cells->len;
  row->cells = g_new0 (char *, cells->len);
  for (guint i = 0; i < cells->len; i++)
    row->cells[i] = g_steal_pointer (&g_ptr_array_index (cells, i));
  g_ptr_array_add (table->rows, row);
}

static MzImportTable *
parse_jsonl (const char *data,
             gsize       length,
             GError    **error)
{
  g_autoptr (MzImportTable) table = table_new ();
  g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  gsize pos = 0;
  guint line = 0;

  while (pos < length)
    {
      const char *start = data + pos;
      const char *nl = memchr (start, '\n', length - pos);
      gsize len = nl != NULL ? (gsize) (nl - start) : length - pos;
      g_autoptr (GError) local_error = NULL;
      JsonNode *root;

      line++;
      pos += len + (nl != NULL ? 1 : 0);
      while (len > 0 && g_ascii_isspace (start[len - 1]))
        len--;
      while (len > 0 && g_ascii_isspace (*start))
        start++, len--;
      if (len == 0)
        continue;

      if (!json_parser_load_from_data (parser, start, (gssize) len, &local_error))
        {
          g_autofree char *message =
            g_strdup_printf ("不是有效的 JSON：%s [import.json_syntax]", local_error->message);

          mz_import_problem_add (table->problems, line, NULL, message);
          continue;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          mz_import_problem_add (table->problems, line, NULL,
                                 "每行应是一个 JSON 对象 {\"字段\": 值, …} [import.not_object]");
          continue;
        }
      jsonl_add_object (table, index, cells, json_node_get_object (root), line);
    }

  if (table->rows->len == 0 && table->problems->len == 0)
    {
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_EMPTY,
                   "文件中没有记录：每行应是一个 JSON 对象 [import.empty]");
      return NULL;
    }
  /* Rows read before a later row added a column are shorter: pad them
   * with absent values so that every row has one cell per column. */
  for (guint i = 0; i < table->rows->len; i++)
    {
      MzImportRow *row = g_ptr_array_index (table->rows, i);

      if (row->n_cells < table->columns->len)
        {
          row->cells = g_renew (char *, row->cells, table->columns->len);
          for (guint j = row->n_cells; j < table->columns->len; j++)
            row->cells[j] = NULL;
          row->n_cells = table->columns->len;
        }
    }
  return g_steal_pointer (&table);
}

MzImportTable *
mz_import_table_parse (const char     *data,
                       gsize           length,
                       MzImportFormat  format,
                       GError        **error)
{
  MzImportTable *table;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length >= 3 && memcmp (data, "\xef\xbb\xbf", 3) == 0)
    {
      data += 3;
      length -= 3;
    }
  if (!check_encoding (data, length, error))
    return NULL;

  if (format == MZ_IMPORT_FORMAT_JSONL)
    table = parse_jsonl (data, length, error);
  else
    table = parse_csv (data, length, error);
  if (table == NULL)
    return NULL;
  if (table->rows->len == 0 && table->problems->len == 0)
    {
      mz_import_table_free (table);
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_EMPTY,
                   "文件只有列名行，没有记录 [import.empty]");
      return NULL;
    }
  return table;
}
