/* Shared set-up for the store tests: a temporary office (configuration,
 * database, key) and the storetest plugin loaded from its real .so.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "config.h"
#include "registry.h"
#include "services.h"
#include "mz-test-util.h"

typedef struct
{
  char *dir;
  char *config_path;
  char *db_path;
  MzConfig *config;
  MzServices *services;
  MzPlugin *plugin;
  const MzHost *host;
} StoreFixture;

/* A fresh office in a new temporary directory; @extra is appended to the
 * configuration (e.g. "[store]\nsynchronous=NORMAL\n"), may be NULL. */
StoreFixture *store_fixture_new (const char *extra);
/* Opens the same office again (after store_fixture_close). */
void store_fixture_open (StoreFixture *fx);
/* Shuts the plugin and services down, keeping the files. */
void store_fixture_close (StoreFixture *fx);
/* Closes and removes the temporary directory. */
void store_fixture_free (StoreFixture *fx);

/* dlopen()s @path, checks the descriptor's magic, attaches it and runs init. */
MzPlugin *store_test_load_plugin (MzServices *services, const char *path, GError **error);
void store_test_plugin_free (MzServices *services, MzPlugin *plugin);

/* One action on the storetest "case" kind; the varargs are "field",
 * "value" pairs ending with NULL. */
gboolean store_test_act (StoreFixture *fx, const char *user, const char *role,
                         const char *action, gint64 id, gint64 version,
                         const char *reason, MzActResult *result, GError **error, ...)
  G_GNUC_NULL_TERMINATED;

/* A value of one column of one row, as text (newly allocated), read with
 * a fresh read-only connection: what is really on disk. */
char *store_test_query (StoreFixture *fx, const char *sql);
gint64 store_test_query_int (StoreFixture *fx, const char *sql);

