/* minzheng host — the reader of reports, part of the store's interface: read-only
 * connections hardened for untrusted SQL, the authorizer that limits a
 * plugin's report queries to its own tables and their non-personal
 * columns, running those queries, and the host's own counts.
 *
 * The plugins' report SQL is plugin data; it reaches this file through
 * MzHost.report_query and report_query_int64 (report.c), which keeps the
 * sections, figures and their checks and holds no SQL.  A backend for
 * another database implements this header (docs/storage.md, "The store's
 * interface"): there a role per plugin with column privileges does what
 * the SQLite authorizer does here.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>

#include "store.h"

G_BEGIN_DECLS

/* A read-only connection to the database file at @path for report
 * queries, hardened as by mz_store_report_harden; MZ_REPORT_ERROR_STORE
 * when it cannot be opened.  Close it with mz_store_reader_close. */
MzStoreReader *mz_store_report_reader_open (const char *path, GError **error);

/* Switches off extensions, schema writes, untrusted schema functions and
 * ATTACH on @reader before untrusted report SQL runs on it. */
void mz_store_report_harden (MzStoreReader *reader);

/* What one plugin's report queries may do on a reader, while its report
 * callback runs. */
typedef struct _MzStoreReportScope MzStoreReportScope;

/* From now until mz_store_report_scope_end, queries on @reader may only
 * SELECT, read @tables (NULL-terminated table names @plugin owns) except
 * the columns in @personal ("table.column", may be NULL) and call a short
 * list of harmless functions; a query still running @limit_usec from now
 * is interrupted.  @plugin names the plugin in error messages. */
MzStoreReportScope *mz_store_report_scope_begin (MzStoreReader *reader, const char *plugin,
                                                 const char *const *tables,
                                                 const char *const *personal,
                                                 gint64 limit_usec);

/* Lifts the limits from the reader and frees @scope.  Returns what was
 * refused first, in words a plugin author acts on ("读取表 audit_entry"),
 * newly allocated, or NULL when nothing was. */
char *mz_store_report_scope_end (MzStoreReportScope *scope);

/* Runs one read-only statement @sql with @params bound as text, in
 * @scope: @func (may be NULL) gets each row as text (NULL for NULL) until
 * it returns FALSE, which fails with its error; or the first column of the
 * first row into @out (0 when NULL or no row; not an integer fails).
 * Failures are MZ_REPORT_ERROR_DENIED or MZ_REPORT_ERROR_QUERY. */
gboolean mz_store_report_query (MzStoreReportScope *scope, const char *sql,
                                const char *const *params, MzRowFunc func, gpointer user_data,
                                GError **error);
gboolean mz_store_report_query_int64 (MzStoreReportScope *scope, const char *sql,
                                      const char *const *params, gint64 *out, GError **error);

/* The rows of @table (a kind's table) on @reader; 0 when it cannot be
 * read, e.g. not created yet. */
gint64 mz_store_report_count_rows (MzStoreReader *reader, const char *table);

G_END_DECLS
