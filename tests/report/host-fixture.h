/* A real host for the report, import and due tests: a configuration in a
 * temporary directory, the store and audit log, and the testreg plugin
 * loaded by the loader from the build directory.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "loader.h"
#include "registry.h"
#include "services.h"

typedef struct
{
  char *dir;
  char *config_path;
  char *store_path;
  MzConfig *config;
  MzServices *services;
  MzLoader *loader;
} HostFixture;

/* @extra is appended to the configuration (e.g. "[plugin.testreg]\nsnoop=true\n"). */
void host_fixture_open (HostFixture *f, const char *extra);
void host_fixture_close (HostFixture *f);
/* Closes the host but keeps its files, for a child process to use them. */
void host_fixture_stop (HostFixture *f);

/* Fixes the host clock at noon, office time, of @date. */
void host_fixture_set_today (HostFixture *f, const char *date);

/* The first column of the first row of @sql on a separate connection. */
gint64 host_fixture_count (HostFixture *f, const char *sql);
/* The first column of the first row as text (newly allocated), or NULL. */
char *host_fixture_text (HostFixture *f, const char *sql);

/* Creates a testreg application with the "submit" action; returns its id. */
gint64 host_fixture_submit (HostFixture *f, const char *name, const char *applied_on);

/* A valid resident ID number (GB 11643-1999) for test person @n. */
char *host_fixture_id_number (guint n);
