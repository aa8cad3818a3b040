/* minzheng host — importing records from the systems offices used before.
 *
 * A file (CSV with a header row, RFC 4180 quoting, UTF-8 with an optional
 * BOM; or JSON lines, one object per line) becomes one create action per
 * row, all performed in ONE transaction: one bad row and nothing is
 * written, and the caller learns every bad row with its line number, the
 * field and the reason.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "services.h"

G_BEGIN_DECLS

/**
 * MzImportError:
 * @MZ_IMPORT_ERROR_EMPTY: the file has no header or no data row
 * @MZ_IMPORT_ERROR_ENCODING: the file is not UTF-8 (or holds NUL bytes)
 * @MZ_IMPORT_ERROR_HEADER: an empty or duplicated column name
 * @MZ_IMPORT_ERROR_SYNTAX: the file cannot be split into rows (a quote never closed)
 * @MZ_IMPORT_ERROR_UNKNOWN_COLUMN: columns the action does not take; all are named
 * @MZ_IMPORT_ERROR_ROWS: some rows are bad; nothing was written; see the problems
 * @MZ_IMPORT_ERROR_TARGET: no such plugin, kind or create action to import with
 * @MZ_IMPORT_ERROR_DEMO: the demo data cannot be found or the store is not empty
 */
typedef enum
{
  MZ_IMPORT_ERROR_EMPTY,
  MZ_IMPORT_ERROR_ENCODING,
  MZ_IMPORT_ERROR_HEADER,
  MZ_IMPORT_ERROR_SYNTAX,
  MZ_IMPORT_ERROR_UNKNOWN_COLUMN,
  MZ_IMPORT_ERROR_ROWS,
  MZ_IMPORT_ERROR_TARGET,
  MZ_IMPORT_ERROR_DEMO,
} MzImportError;

#define MZ_IMPORT_ERROR (mz_import_error_quark ())
GQuark mz_import_error_quark (void);

typedef enum
{
  MZ_IMPORT_FORMAT_AUTO,   /* by file name: ".jsonl"/".ndjson" are JSON lines, the rest CSV */
  MZ_IMPORT_FORMAT_CSV,
  MZ_IMPORT_FORMAT_JSONL,
} MzImportFormat;

/* --- parsing (import-parse.c) ------------------------------------------- */

/**
 * MzImportRow:
 * @line: the physical line the row starts on (the CSV header is line 1)
 * @n_cells: the number of columns of the table
 * @cells: one value per column, in column order; %NULL when absent (an
 *   empty CSV cell, a JSON null or a key the object lacks)
 */
typedef struct
{
  guint line;
  guint n_cells;
  char **cells;
} MzImportRow;

/**
 * MzImportProblem:
 * @line: the physical line of the bad row
 * @field: the column at fault, or %NULL when the row as a whole is bad
 * @message: "<Chinese reason> [<code>]"
 */
typedef struct
{
  guint line;
  char *field;
  char *message;
} MzImportProblem;

/**
 * MzImportTable:
 * @columns: column names (char *), in file order; for JSON lines the union
 *   of the objects' keys in order of first appearance
 * @rows: the good rows (MzImportRow *)
 * @problems: rows that could not be read (MzImportProblem *), in line order
 */
typedef struct
{
  GPtrArray *columns;
  GPtrArray *rows;
  GPtrArray *problems;
} MzImportTable;

/* Splits @data into rows.  Whole-file faults (encoding, header, an
 * unterminated quote, no data) fail with @error; faults of single rows
 * (ragged, stray quotes, a JSON line that is not an object) are collected
 * in ->problems so that the caller can name every one. */
MzImportTable *mz_import_table_parse (const char     *data,
                                      gsize           length,
                                      MzImportFormat  format,
                                      GError        **error);
void mz_import_table_free (MzImportTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzImportTable, mz_import_table_free)

MzImportFormat mz_import_format_guess (const char *filename);

/* Adds one problem to @problems (a GPtrArray of MzImportProblem *). */
void mz_import_problem_add (GPtrArray  *problems,
                            guint       line,
                            const char *field,
                            const char *message);

/* "第 12 行：<message>", the form every front end prints. */
char *mz_import_problem_format (const MzImportProblem *problem);

G_END_DECLS
