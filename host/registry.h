/* minzheng host — the registry of what plugins declared: kinds (with their
 * tables), reports and due work, per plugin.  Used by services.c,
 * workflow.c, record reads, reports, import and `mzctl due`.
 *
 * The registry is filled while plugins initialise (one thread, the
 * loader's) and only read afterwards, so readers need no lock once loading
 * is over.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>

#include "audit.h"
#include "config.h"
#include "plugin-private.h"
#include "store.h"

G_BEGIN_DECLS

typedef struct _MzStoreKind MzStoreKind;

/**
 * MzKind:
 * @plugin: the plugin that declared it
 * @def: its declaration (the plugin's constant data)
 * @table: its table, "<plugin>_<kind>" (validated identifiers only)
 * @qualified: "<plugin>.<kind>", as audit entries name it
 * @n_fields: number of declared fields
 * @field_index: field name → GUINT_TO_POINTER (index + 1)
 * @has_personal: some field is MZ_FIELD_PERSONAL (reads are audited)
 * @store: what the store keeps for the kind (its statements), opaque
 *   outside the store's files (store-schema.h)
 *
 * A validated record kind.
 */
typedef struct
{
  MzPlugin *plugin;
  const MzKindDef *def;
  char *table;
  char *qualified;
  guint n_fields;
  GHashTable *field_index;
  gboolean has_personal;
  MzStoreKind *store;
} MzKind;

/**
 * MzPluginEntry:
 * @plugin: the attached plugin
 * @kinds: MzKind *, in registration order
 * @reports: const MzReportDef *, in registration order
 * @dues: const MzDueDef *, in registration order (each checked against its kind)
 */
typedef struct
{
  MzPlugin *plugin;
  GPtrArray *kinds;
  GPtrArray *reports;
  GPtrArray *dues;
} MzPluginEntry;

/* Plugins attached and not detached, in attach order (MzPluginEntry *).
 * A plugin whose init failed has been detached.  Owned by @services. */
GPtrArray *mz_services_get_plugins (MzServices *services);
MzPluginEntry *mz_services_lookup_plugin (MzServices *services, const char *plugin);
const MzKind *mz_services_lookup_kind (MzServices *services, const char *plugin,
                                       const char *kind);

MzConfig *mz_services_get_config (MzServices *services);
MzStore *mz_services_get_store (MzServices *services);
/* The host clock (see mz_services_set_now) and today's office-local date
 * ("YYYY-MM-DD", newly allocated). */
gint64 mz_services_now (MzServices *services);
char *mz_services_today (MzServices *services);
/* The office's time zone ([office] timezone), for office-local dates of
 * stored UTC instants.  Owned by @services. */
GTimeZone *mz_services_get_timezone (MzServices *services);
const char *mz_services_get_office_id (MzServices *services);
/* The office's Ed25519 secret key file ([audit] key_path, default
 * office.key beside the database); the public key is KEY_PATH.pub. */
const char *mz_services_get_audit_key_path (MzServices *services);

/* A new read-only connection for reports (reports harden it with mz_store_report_harden);
 * close it with mz_store_reader_close. */
MzStoreReader *mz_services_open_reader (MzServices *services, GError **error);

/* Writes one audit entry (export, report run, login …) in its own durable
 * transaction through the writer; returns once it is committed.  @entry's
 * time_usec 0 means the host clock; office 0 means the configured office. */
gboolean mz_services_audit (MzServices *services, const MzAuditEntry *entry, GError **error);

/* "mac:<16 hex>" of @value keyed by the office salt: lets an auditor see
 * that a personal value changed (and match equal values) without seeing
 * it; db check recomputes it to compare records with their change sets. */
char *mz_services_hash_personal (MzServices *services, const char *value);

/* Records, before it happens, an operation on the office as a whole that
 * hands data out (an audit export, a backup) as @action by @actor, with
 * @reason saying what and where to.  When @actor's role lacks @permission
 * the refusal is what is recorded and MZ_RULE_ERROR_PERMISSION returned.
 * TRUE once the entry of the allowed operation is durable. */
gboolean mz_services_audit_operation (MzServices *services, const MzActor *actor,
                                      const char *permission, const char *action,
                                      const char *reason, GError **error);
/* Records that the operation recorded by mz_services_audit_operation then
 * failed, with @failure's message (best effort: the failure is what the
 * caller reports). */
void mz_services_audit_operation_failed (MzServices *services, const MzActor *actor,
                                         const char *action, const char *reason,
                                         const GError *failure);

/* Signs an audit checkpoint if one is due by count or age (for a timer in
 * minzhengd: entries written before a quiet spell get their checkpoint
 * without waiting for the next write).  Durable when it returns. */
gboolean mz_services_checkpoint (MzServices *services, GError **error);
/* Does @role grant @permission under the office's [roles] (or the built-in
 * roles)?  FALSE for an unknown role.  For checks outside record actions,
 * such as "report.run". */
gboolean mz_services_role_allows (MzServices *services, const char *role, const char *permission);

/* [audit] checkpoint_seconds (default 60): how often minzhengd calls
 * mz_services_checkpoint. */
guint mz_services_get_checkpoint_seconds (MzServices *services);

/* --- kinds (schema.c) ------------------------------------------------------ */

/* Checks a declaration thoroughly and builds the kind; @siblings are the
 * plugin's kinds registered so far (references may name them or itself). */
MzKind *mz_kind_new (MzPlugin *plugin, const MzKindDef *def, GPtrArray *siblings,
                     GError **error);
void mz_kind_free (MzKind *kind);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzKind, mz_kind_free)

/* Index of field @name, or -1. */
int mz_kind_field (const MzKind *kind, const char *name);
const MzActionDef *mz_kind_action (const MzKind *kind, const char *name);
const MzStateDef *mz_kind_state (const MzKind *kind, const char *name);

/* Writer thread, inside a transaction: checks what the database holds for
 * the kind against its declaration, then has the store create or migrate
 * its table and indexes and record its schema version (work func; @data
 * is the kind). */
gboolean mz_schema_apply (MzStore *store, MzStoreTxn *txn, gpointer kind, GError **error);
/* schema-index.c — inside mz_schema_apply's transaction, on a version
 * raise: drops the host's plain indexes for @kind that its older stored
 * definition (@stored_json) had and the new one no longer declares;
 * refuses (MZ_RULE_ERROR_CONFIG) when a unique one would go. */
gboolean mz_schema_drop_stale_indexes (MzStore *store, const MzKind *kind, const char *stored_json,
                                       GError **error);

G_END_DECLS
