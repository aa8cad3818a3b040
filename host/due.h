/* minzheng host — due work: legal deadlines the plugins declare (MzDueDef),
 * listed for clerks by `mzctl due`, and the automatic transitions
 * (MZ_ACTION_SYSTEM actions such as "deemed withdrawn") that minzhengd
 * applies when a deadline has passed, each audited as done by the system.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "services.h"

G_BEGIN_DECLS

/* The user and role the due-work job acts as (the store reserves the
 * role: no person can hold it, and only it may perform system actions). */
#define MZ_DUE_ACTOR_USER "system"
#define MZ_DUE_ACTOR_ROLE "system"

/**
 * MzDueItem:
 * @plugin: the plugin that declared the due work
 * @due: the MzDueDef's name
 * @label: its Chinese description
 * @kind: the record's kind
 * @kind_label: the kind's Chinese label
 * @record_id: the record
 * @version: its version when listed (the automatic action expects it)
 * @state: its state
 * @state_label: the state's Chinese label
 * @deadline: the last day, "YYYY-MM-DD" (the date field + after_days)
 * @days_overdue: today − deadline: > 0 overdue, 0 due today, < 0 due soon
 * @action: the system action applied once overdue, or %NULL (listed only)
 * @action_label: its Chinese label, or %NULL
 */
typedef struct
{
  char *plugin;
  char *due;
  char *label;
  char *kind;
  char *kind_label;
  gint64 record_id;
  gint64 version;
  char *state;
  char *state_label;
  char *deadline;
  gint days_overdue;
  char *action;
  char *action_label;
} MzDueItem;

/* Records of every enabled plugin's due work whose deadline falls on or
 * before @today + @horizon_days, most overdue first (MzDueItem *).
 * @today is "YYYY-MM-DD", or NULL for the host clock's today. */
GPtrArray *mz_due_list (MzServices *services, const char *today, guint horizon_days,
                        GError **error);

/**
 * MzDueRunStats:
 * @applied: automatic actions performed
 * @skipped: records that changed since they were listed (another action won)
 * @failed: automatic actions refused for another reason (logged)
 */
typedef struct
{
  guint applied;
  guint skipped;
  guint failed;
} MzDueRunStats;

/* Applies the declared automatic action to every overdue record, by the
 * host clock, as user "system" role "system".  One record refused does
 * not stop the others.  FALSE only when the due work cannot be read. */
gboolean mz_due_run (MzServices *services, MzDueRunStats *stats, GError **error);

/* For minzhengd: a thread of its own runs the due work once at once and
 * then every `[due] interval_seconds` (default 300), so that a long run
 * never holds up the daemon's main loop.  NULL with @error
 * (MZ_CONFIG_ERROR naming file, group and key) when the interval is not a
 * whole number from 1 to 86400. */
typedef struct _MzDueJob MzDueJob;

MzDueJob *mz_due_job_start (MzServices *services, GError **error);
/* Stops the job, waiting for a run in progress to finish; call it before
 * the services go away.  NULL is ignored. */
void mz_due_job_stop (MzDueJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzDueJob, mz_due_job_stop)

/* The listing for people (Chinese, grouped by plugin) or as JSON
 * {"today": …, "items": [{…}]}.  Newly allocated. */
char *mz_due_format_text (GPtrArray *items, const char *today);
char *mz_due_format_json (GPtrArray *items, const char *today);

G_END_DECLS
