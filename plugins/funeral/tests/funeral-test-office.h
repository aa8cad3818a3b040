/* An office for the funeral plugin's integration tests: a temporary
 * directory with a configuration, a real SQLite store and the real
 * funeral.so loaded by the host's loader, with a fixed clock.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "config.h"
#include "loader.h"
#include "services.h"

typedef struct
{
  char *dir;
  char *config_path;
  char *store_path;
  MzConfig *config;
  MzServices *services;
  MzLoader *loader;
} FuneralOffice;

/* Actors with the host's built-in roles. */
extern const MzActor funeral_clerk;       /* 窗口 clerk: submits */
extern const MzActor funeral_reviewer;    /* supervisor who reviews */
extern const MzActor funeral_approver;    /* another supervisor who approves */

/* A new office in a new temporary directory; @plugin_group is the body of
 * [plugin.funeral].  @today "YYYY-MM-DD" fixes the clock at noon. */
FuneralOffice *funeral_office_new (const char *plugin_group, const char *today);
/* Stops the host and starts it again on the same store with a new
 * [plugin.funeral] body (and clock). */
void funeral_office_restart (FuneralOffice *office, const char *plugin_group, const char *today);
/* Starts the host; returns FALSE with the funeral plugin's load error. */
gboolean funeral_office_try_start (FuneralOffice *office, const char *plugin_group,
                                   const char *today, GError **error);
void funeral_office_set_today (FuneralOffice *office, const char *today);
void funeral_office_free (FuneralOffice *office);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FuneralOffice, funeral_office_free)

/* Performs @action on @record_id (0 to create) with "field", "value", ...,
 * NULL inputs; returns the record id, or 0 with @error set. */
gint64 funeral_office_act (FuneralOffice *office, const MzActor *actor, const char *action,
                           gint64 record_id, const char *reason, GError **error, ...)
  G_GNUC_NULL_TERMINATED;

/* One stored column of a record as text (NULL for SQL NULL), read straight
 * from the SQLite file. */
char *funeral_office_get (FuneralOffice *office, gint64 record_id, const char *column);
gint64 funeral_office_get_int (FuneralOffice *office, gint64 record_id, const char *column);

/* A valid ID number of division 450222 for test person @n, of @male sex. */
void funeral_test_id_number (guint n, gboolean male, char out[19]);
