/* minzheng host — reports: each plugin's figures and sentence for a period,
 * composed into the office's half-year or annual report.
 *
 * A plugin's report callback (MzReportDef) runs its own SQL, so the SQL is
 * untrusted: the store (store-report.c, the SQLite authorizer) runs it on
 * a read-only connection that allows reading the plugin's own tables and
 * a short list of harmless functions, and nothing else (no writes,
 * attached databases, pragmas, other plugins' or the host's tables, nor
 * the plugin's personal columns).  One section failing names its plugin
 * and leaves the others standing.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include <minzheng/minzheng.h>

#include "plugin-private.h"
#include "store-report.h"

G_BEGIN_DECLS

/**
 * MzReportError:
 * @MZ_REPORT_ERROR_PERIOD: the period is not two real dates with from ≤ to
 * @MZ_REPORT_ERROR_DENIED: a query reached for something the authorizer forbids
 * @MZ_REPORT_ERROR_QUERY: a query failed (syntax, more than one statement, too slow, a value of the wrong type)
 * @MZ_REPORT_ERROR_FIGURE: a figure is malformed (key not "<plugin>.<name>", too many decimals, no label)
 * @MZ_REPORT_ERROR_SECTION: the plugin's report callback failed without saying why
 * @MZ_REPORT_ERROR_INCOMPLETE: one or more sections failed; the others were produced
 * @MZ_REPORT_ERROR_STORE: the store cannot be opened or read
 */
typedef enum
{
  MZ_REPORT_ERROR_PERIOD,
  MZ_REPORT_ERROR_DENIED,
  MZ_REPORT_ERROR_QUERY,
  MZ_REPORT_ERROR_FIGURE,
  MZ_REPORT_ERROR_SECTION,
  MZ_REPORT_ERROR_INCOMPLETE,
  MZ_REPORT_ERROR_STORE,
} MzReportError;

#define MZ_REPORT_ERROR (mz_report_error_quark ())
GQuark mz_report_error_quark (void);

typedef enum
{
  MZ_REPORT_FORMAT_TEXT,
  MZ_REPORT_FORMAT_JSON,
  MZ_REPORT_FORMAT_CSV,
} MzReportFormat;

/* "text", "json", "csv"; FALSE for anything else. */
gboolean mz_report_format_parse (const char *name, MzReportFormat *out);

/**
 * MzReportFigure:
 * @key: "plugin.name", stable across versions
 * @label: Chinese label ("结婚登记")
 * @value: the value scaled by 10^@decimals (356 with 1 decimal is 35.6)
 * @decimals: digits after the decimal point
 * @unit: Chinese unit ("对"), may be empty
 */
typedef struct
{
  char *key;
  char *label;
  gint64 value;
  guint decimals;
  char *unit;
} MzReportFigure;

/* struct _MzReport: one section, as the plugin's callback builds it. */
struct _MzReport
{
  char *plugin;
  char *title;
  GPtrArray *figures;        /* MzReportFigure * */
  char *sentence;
  GError *error;             /* set when the section failed */

  /*< private >*/
  MzStoreReportScope *scope; /* the reader and what it may read, during the callback only */
  char *denied;              /* what the store refused first */
  char *figure_problem;      /* the first malformed figure */
};

/**
 * MzReportDoc:
 * the whole report: the office, the period, when it was made, the sections
 */
typedef struct
{
  char *office_id;
  char *office_name;
  char *from;
  char *to;
  gint64 generated_at;       /* host clock, µs since the epoch, UTC */
  GPtrArray *sections;       /* MzReport *, in plugin load order */
} MzReportDoc;

/* Checks that @from and @to are real "YYYY-MM-DD" dates with from ≤ to. */
gboolean mz_report_period_check (const char *from, const char *to, GError **error);

MzReportDoc *mz_report_doc_new (const char *office_id, const char *office_name,
                                const char *from, const char *to, gint64 generated_at);
void mz_report_doc_free (MzReportDoc *doc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzReportDoc, mz_report_doc_free)

/* Runs one plugin's report callback on @reader (hardened with
 * mz_store_report_harden, or opened with mz_store_report_reader_open), its
 * queries allowed only @tables (NULL-terminated table names the plugin
 * owns) except the columns in @personal ("table.column" of
 * MZ_FIELD_PERSONAL fields, may be NULL), and appends the section to
 * @doc.  Returns the section; its ->error says if it failed. */
MzReport *mz_report_doc_run_section (MzReportDoc *doc, MzStoreReader *reader, const char *plugin,
                                     const char *const *tables, const char *const *personal,
                                     const MzReportDef *def);

/* TRUE when every section succeeded; else @error (INCOMPLETE) names the
 * plugins whose sections failed. */
gboolean mz_report_doc_check (MzReportDoc *doc, GError **error);

/* The report as text (Chinese, for people), JSON (the stable interface) or
 * CSV (plugin,key,label,value,unit).  Newly allocated UTF-8. */
char *mz_report_doc_format (MzReportDoc *doc, MzReportFormat format);

/* "35.6" for value 356 with 1 decimal.  Newly allocated. */
char *mz_report_value_format (gint64 value, guint decimals);

/* --- running a report over the enabled plugins (report-run.c) ------------ */

/* Runs every enabled plugin's report sections for [@from, @to] (or only
 * @plugin's when not NULL) in one read snapshot, and writes the audit
 * entry "report.run" for @actor.  Returns the report even when sections
 * failed (see mz_report_doc_check); NULL with @error for a bad period, an
 * unknown plugin, an unreadable store or an audit entry that could not be
 * written (a report that is not audited is not produced).  @actor's role
 * must grant "report.run" ([report.permission], MZ_RULE_ERROR_PERMISSION,
 * the refusal audited). */
MzReportDoc *mz_report_run (MzServices *services, const char *from, const char *to,
                            const char *plugin, const MzActor *actor, GError **error);

/* The half-year a report covers when none is given: the last one that
 * ended before @today ("YYYY-MM-DD"), e.g. 2021-01-01..2021-06-30 on
 * 2021-07-05.  Newly allocated. */
void mz_report_default_period (const char *today, char **from, char **to);

/* --- the MzHost report_* members (see mz-host.h) -------------------------- */

gboolean mz_report_query (MzReport *report, const char *sql, const char *const *params,
                          MzRowFunc func, gpointer user_data, GError **error);
gboolean mz_report_query_int64 (MzReport *report, const char *sql, const char *const *params,
                                gint64 *out, GError **error);
void mz_report_add_figure (MzReport *report, const char *key, const char *label,
                           gint64 value, guint decimals, const char *unit);
void mz_report_set_sentence (MzReport *report, const char *sentence);

/* Sets @error (MZ_REPORT_ERROR_DENIED) for @plugin's report query that
 * tried @denied (what the store refused, in words). */
void mz_report_set_denied (GError **error, const char *plugin, const char *denied);

G_END_DECLS
