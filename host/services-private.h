/* minzheng host — what services.c, workflow.c and record reads share:
 * struct _MzServices, the action job, roles and audit helpers.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <sodium.h>

#include "record.h"
#include "services.h"

G_BEGIN_DECLS

struct _MzServices
{
  MzConfig *config;
  MzHost host;
  MzStore *store;
  MzAudit *audit;
  GPtrArray *plugins;       /* MzPluginEntry *, attached plugins */
  gint64 fixed_now;         /* atomic; 0 = real clock */
  GTimeZone *office_tz;
  GHashTable *roles;        /* role → GStrv of permission patterns */
  char *salt;               /* hex; keys the hashes of personal values in audit changes */
  char *office_id;
  char *audit_key_path;
  guint checkpoint_seconds; /* [audit] checkpoint_seconds, for minzhengd's timer */
};

/* A plugin handle always carries its services once attached; calling
 * through MzHost before attach is a loader bug, which these asserts catch. */
static inline MzServices *
mz_plugin_services (MzPlugin *self)
{
  g_assert (self != NULL && self->services != NULL);
  return self->services;
}

static inline MzPluginEntry *
mz_plugin_entry (MzPlugin *self)
{
  g_assert (self != NULL && self->services_data != NULL);
  return self->services_data;
}

/* --- roles.c ------------------------------------------------------------- */

/* The [roles] group (ROLE=pattern;pattern…, `*` wildcards, `!pattern`
 * excludes), or the built-in roles when the group is absent. */
GHashTable *mz_roles_load (GKeyFile *key_file, const char *origin, GError **error);
gboolean mz_roles_known (GHashTable *roles, const char *role);
gboolean mz_roles_allow (GHashTable *roles, const char *role, const char *permission);

#define MZ_ROLE_SYSTEM "system"
#define MZ_PERMISSION_PERSONAL_READ "personal.read"

/* --- declare.c: the MzHost register_* members -------------------------------- */

gboolean mz_declare_kind (MzPlugin *self, const MzKindDef *def, GError **error);
gboolean mz_declare_due (MzPlugin *self, const MzDueDef *due, GError **error);
gboolean mz_declare_report (MzPlugin *self, const MzReportDef *report, GError **error);

/* --- workflow.c ---------------------------------------------------------- */

/* Fills in office, time and plugin version of @entry where unset, then
 * appends it (writer thread, inside the transaction). */
gboolean mz_services_audit_append (MzServices *services, MzAuditEntry *entry, GError **error);

gboolean mz_workflow_act (MzServices *services, const MzActRequest *request,
                          MzActResult *result, GError **error);
gboolean mz_workflow_act_all (MzServices *services, const MzActRequest *requests,
                              gsize n_requests, const char *audit_action,
                              MzActResult *results, GError **errors, GError **error);

/* --- action.c: the MzHost action_* members -------------------------------- */

struct _MzAction
{
  MzServices *services;
  MzStore *store;
  const MzKind *kind;
  const MzActionDef *def;
  const MzActRequest *request;
  MzRecord *before;        /* NULL for create actions */
  MzRecord *input;         /* the validated inputs */
  MzRecord *after;         /* the record being written */
  gboolean in_effect;      /* action_set_* and sequences only in effects */
  const char *today;        /* office-local date if the inputs needed it, or NULL */
};

const char *mz_action_get_name (MzAction *action);
const MzRecord *mz_action_get_record (MzAction *action);
const MzRecord *mz_action_get_input (MzAction *action);
const MzActor *mz_action_get_actor (MzAction *action);
const char *mz_action_get_reason (MzAction *action);
gboolean mz_action_set_text (MzAction *action, const char *field, const char *value,
                             GError **error);
gboolean mz_action_set_int64 (MzAction *action, const char *field, gint64 value,
                              GError **error);
gboolean mz_action_next_sequence (MzAction *action, const char *counter, gint64 *out,
                                  GError **error);
gboolean mz_action_find (MzAction *action, const char *kind, const MzCondition *conditions,
                         const char *const *states, MzRecordFunc func, gpointer user_data,
                         GError **error);

G_END_DECLS
