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
 * @MZ_IMPORT_ERROR_FILE: the file cannot be read
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
  MZ_IMPORT_ERROR_FILE,
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
 * @source: the file's name when several files are imported together, or %NULL
 * @line: the physical line of the bad row
 * @field: the column at fault, or %NULL when the row as a whole is bad
 * @message: "<Chinese reason> [<code>]"
 */
typedef struct
{
  char *source;
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

void mz_import_problem_free (gpointer problem);

/* Adds one problem to @problems (a GPtrArray of MzImportProblem *). */
void mz_import_problem_add (GPtrArray  *problems,
                            guint       line,
                            const char *field,
                            const char *message);

/* "第 12 行：<message>" (after "<source>：" when it has one), the form
 * every front end prints. */
char *mz_import_problem_format (const MzImportProblem *problem);

/* --- importing (import.c) ----------------------------------------------- */

/* A set of files imported in one transaction: `mzctl import` adds one,
 * `mzctl demo` every demo file of every enabled plugin.  Requests keep
 * the order of the files and of their rows, so that a later file may rely
 * on the records an earlier one created. */
typedef struct _MzImportBatch MzImportBatch;

/* @actor: who imports (audited as "import" by this actor); @correlation_id
 * ties the batch's audit entries together, or NULL for a fresh one. */
MzImportBatch *mz_import_batch_new (MzServices *services, const MzActor *actor,
                                    const char *correlation_id);
void mz_import_batch_free (MzImportBatch *batch);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzImportBatch, mz_import_batch_free)

/* Reads @data as rows of @kind of @plugin to create with @action (NULL:
 * the action named "import" if the kind declares one, else its only
 * create action).  Whole-file faults (no such kind or action, unknown
 * columns, a bad header, encoding) fail with @error; bad rows are kept as
 * problems.  @source names the file in problems when it is not NULL. */
gboolean mz_import_batch_add_data (MzImportBatch *batch, const char *plugin, const char *kind,
                                   const char *action, MzImportFormat format,
                                   const char *source, const char *data, gsize length,
                                   GError **error);
/* The same for a file; @format AUTO decides by its name. */
gboolean mz_import_batch_add_file (MzImportBatch *batch, const char *plugin, const char *kind,
                                   const char *action, MzImportFormat format,
                                   const char *path, gboolean name_in_problems,
                                   GError **error);

/* Performs every row's create action in ONE transaction.  On any bad row
 * nothing is written, every bad row is in the problems and @error is
 * MZ_IMPORT_ERROR_ROWS. */
gboolean mz_import_batch_commit (MzImportBatch *batch, GError **error);

/* The rows read so far, and after a commit the records created. */
guint mz_import_batch_get_n_rows (MzImportBatch *batch);
/* MzImportProblem *, in file and line order; owned by @batch. */
GPtrArray *mz_import_batch_get_problems (MzImportBatch *batch);
/* The create action used for the last file added. */
const char *mz_import_batch_get_action (MzImportBatch *batch);

/* Picks the create action an import of @kind uses (see above). */
const MzActionDef *mz_import_default_action (const MzKindDef *kind, GError **error);

G_END_DECLS
