/* minzheng host — the services behind MzHost: configuration, logging,
 * clock, and the store, audit log and registry of kinds the plugins
 * declare.  The loader asks for the table; plugins call through it.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>
#include <json-glib/json-glib.h>

#include "config.h"
#include "plugin-private.h"

G_BEGIN_DECLS

/* Opens the office's store (creating it on first use) and audit log, as
 * the configuration says.  @config must outlive the services. */
MzServices *mz_services_new (MzConfig *config, GError **error);
void mz_services_free (MzServices *services);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzServices, mz_services_free)

/* The table handed to every plugin's init. */
const MzHost *mz_services_get_host (MzServices *services);

/* Fixes the host clock (microseconds since the epoch, UTC) for tests and
 * `mzctl --now`; 0 returns to the real clock. */
void mz_services_set_now (MzServices *services, gint64 now_usec);

/* Parses a --now value ("YYYY-MM-DD", noon local time, or ISO 8601) into
 * microseconds since the epoch; NULL gives 0, the real clock. */
gboolean mz_services_parse_now (const char *now, gint64 *out_usec, GError **error);

/* The office key file as [audit] key_path says (relative to the store's
 * directory; default office.key there), for the services and for tools
 * that verify a log without opening the office. */
char *mz_services_audit_key_path_for (MzConfig *config);

/* Called by the loader before a plugin's init (attach) and when its init
 * failed or it is shut down (detach): a plugin that fails leaves no kinds,
 * reports or due work behind. */
void mz_services_attach_plugin (MzServices *services, MzPlugin *plugin);
void mz_services_detach_plugin (MzServices *services, MzPlugin *plugin);

/* --- what mzctl, minzhengd, the HTTP API, tests and benchmarks call ------ */

/**
 * MzActRequest:
 * @plugin: plugin name ("marriage")
 * @kind: kind name ("registration")
 * @action: action name ("register")
 * @record_id: the record acted on; 0 for create actions
 * @expected_version: the version the caller read; an action on a record
 *   whose version differs is refused with MZ_RULE_ERROR_STALE (0 = do not check)
 * @inputs: field name → value as text (char * → char *), may be NULL
 * @actor: who acts (permission checks and audit)
 * @reason: the caller's reason, or NULL
 * @correlation_id: ties the audit entries of one request together, or NULL
 */
typedef struct
{
  const char *plugin;
  const char *kind;
  const char *action;
  gint64 record_id;
  gint64 expected_version;
  GHashTable *inputs;
  const MzActor *actor;
  const char *reason;
  const char *correlation_id;
} MzActRequest;

typedef struct
{
  gint64 record_id;
  gint64 version;
  char state[64];
} MzActResult;

/* Performs one action: validation, permission, guard, effect, the write
 * and its audit entry, in one transaction.  Thread-safe: concurrent callers
 * are group-committed, and each returns only once its own change is
 * durable; a refused action does not spoil the others in its batch. */
gboolean mz_services_act (MzServices *services, const MzActRequest *request,
                          MzActResult *result, GError **error);

/* Performs @n_requests actions in ONE transaction, all or nothing (import).
 * On failure returns FALSE and, for every refused request, sets
 * errors[i] (an array of @n_requests GError * the caller provides and frees);
 * @error summarises.  Each entry is audited with @audit_action ("import"). */
gboolean mz_services_act_all (MzServices *services, const MzActRequest *requests,
                              gsize n_requests, const char *audit_action,
                              MzActResult *results, GError **errors, GError **error);

/* --- reading records (additions for mzctl, the HTTP API and reports) --- */

/* One record as JSON (see mz_record_to_json in record.h): personal fields
 * are masked unless @actor's role has the permission "personal.read".
 * Reading a record of a kind with personal fields writes a "record.read"
 * audit entry first; if that entry cannot be written, nothing is returned.
 * An unknown role may not read. */
JsonNode *mz_services_record_get (MzServices *services, const char *plugin, const char *kind,
                                  gint64 id, const MzActor *actor, const char *correlation_id,
                                  GError **error);

/**
 * MzFindQuery:
 * @conditions: ANDed conditions on declared fields, `id` or `state`; values are
 *   validated and normalised by the field's type first; may be NULL
 * @states: only records in one of these states; may be NULL
 * @period_field: "created_at", or a date or datetime field, for @from/@to; NULL = no period
 * @from: first day, "YYYY-MM-DD" office-local, inclusive; may be NULL
 * @to: last day, inclusive; may be NULL
 * @limit: at most this many records (0 = 100; more than 1000 is cut to 1000)
 * @offset: skip this many (page by offset) ...
 * @after_id: ... or only records with id greater than this (page by key, cheaper)
 *
 * Results come in id order.
 */
typedef struct
{
  const MzCondition *conditions;
  const char *const *states;
  const char *period_field;
  const char *from;
  const char *to;
  guint limit;
  guint offset;
  gint64 after_id;
} MzFindQuery;

/* A JSON array of records matching @query, masked and audited as
 * mz_services_record_get does (one entry naming every id returned). */
JsonNode *mz_services_record_find (MzServices *services, const char *plugin, const char *kind,
                                   const MzFindQuery *query, const MzActor *actor,
                                   const char *correlation_id, GError **error);

G_END_DECLS
