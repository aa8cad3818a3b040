/* minzheng host — the audit entries table's columns, for store-audit.c
 * and for tests and benchmarks that read or tamper
 * with the file directly; nothing else includes this.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

/* The columns of audit_entries in canonical order after seq (the order of
 * MzStoreAuditRow and of docs/audit.md's canonical form). */
#define MZ_AUDIT_ENTRY_COLUMNS \
  "time_usec, office, plugin, plugin_version, actor_user, actor_role, " \
  "actor_session, actor_address, action, object_kind, object_id, outcome, " \
  "reason, correlation_id, changes"
#define MZ_AUDIT_ENTRY_COLUMN_COUNT 15
