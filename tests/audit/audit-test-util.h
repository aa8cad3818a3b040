/* minzheng tests — a real audit log in a temporary directory.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "audit.h"
#include "store-audit-read.h"

typedef struct
{
  char *dir;
  char *db_path;
  char *key_path;
  sqlite3 *db;
  MzStoreTxn *txn;
  MzAudit *audit;
} AuditFixture;

/* A fresh directory with office.db (WAL, synchronous=FULL) and an audit
 * log whose key is dir/office.key. */
void audit_fixture_setup (AuditFixture *f, gconstpointer data);
void audit_fixture_teardown (AuditFixture *f, gconstpointer data);

/* mz_audit_open on the fixture's connection (f->db, whichever is open). */
MzAudit *audit_test_open (AuditFixture *f, const MzAuditOptions *options, GError **error);

/* Entry number @i of a plausible day at a marriage registry, with a time
 * @i seconds after 2026-03-01 00:00 UTC. */
void audit_test_entry (MzAuditEntry *entry, guint i, char **owned);
/* Appends @count entries, one transaction each, checkpointing every
 * @checkpoint_every (0: no checkpoints). */
void audit_test_append (AuditFixture *f, guint first, guint count, guint checkpoint_every);
/* The same, @per_txn entries to a transaction (for large logs). */
void audit_test_append_batched (AuditFixture *f, guint first, guint count,
                                guint checkpoint_every, guint per_txn);
/* Closes the host's view of the database so another tool can change it. */
void audit_fixture_close (AuditFixture *f);
/* Runs the real sqlite3 command-line tool on the fixture's database. */
void audit_test_sqlite3 (AuditFixture *f, const char *sql);
/* A read-only handle on the fixture's database, as mzctl audit opens one. */
MzStoreReader *audit_test_reader (AuditFixture *f);
/* Opens the database again (read-only) and verifies. */
gboolean audit_test_verify (AuditFixture *f, const char *public_key_path,
                            MzAuditVerifyResult *result, GError **error);
