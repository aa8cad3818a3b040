/* minzheng host — records in the office database: the row operations on
 * the writer inside a unit of work (in the batch's transaction), reads on
 * read-only readers, and due-work snapshots, so that workflow.c, action.c,
 * record-read.c and due.c hold no SQL.  A backend for another database
 * implements this header (docs/storage.md, "The store's interface");
 * store-records.c is SQLite's.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include "record.h"
#include "store.h"

G_BEGIN_DECLS

/* Record @id of @kind into @out, or NULL in @out when there is none. */
gboolean mz_store_record_load (MzStore *store, const MzKind *kind, gint64 id, MzRecord **out,
                               GError **error);

/* Inserts @record (@create: sets its id, version 1 and created_at) or
 * updates it where its version is still the stored one (then raises the
 * version); sets updated_at to @now.  A unique key held by another record
 * is MZ_FIELD_ERROR_DUPLICATE naming the field, the holder and the key; a
 * version changed meanwhile is MZ_RULE_ERROR_STALE. */
gboolean mz_store_record_write (MzStore *store, const MzKind *kind, MzRecord *record,
                                gboolean create, gint64 now, GError **error);

/* Whether record @id of kind @kind_name of @plugin exists. */
gboolean mz_store_record_exists (MzStore *store, const char *plugin, const char *kind_name,
                                 gint64 id, gboolean *exists, GError **error);

/* The history of actions per record, for separation of duties: appends
 * one, or lists the actions @user has performed on record @id (newly
 * allocated array of strings; NULL on error). */
gboolean mz_store_record_history_append (MzStore *store, const MzKind *kind, gint64 id,
                                         const char *action, const MzActor *actor,
                                         gint64 version, gint64 now, GError **error);
GPtrArray *mz_store_record_actions_by (MzStore *store, const MzKind *kind, gint64 id,
                                       const char *user, GError **error);

/* The next value of @plugin's @counter (1 for a new one), in the batch's
 * transaction: committed or rolled back with the record that uses it. */
gboolean mz_store_sequence_next (MzStore *store, const char *plugin, const char *counter,
                                 gint64 *out, GError **error);

/* One request of several in a unit of work, in a savepoint of its own:
 * mz_store_request_end keeps what it wrote (@keep) or undoes it alone,
 * leaving the others' work in the transaction. */
gboolean mz_store_request_begin (MzStore *store, GError **error);
gboolean mz_store_request_end (MzStore *store, gboolean keep, GError **error);

/* Calls @func for each record of @kind matching @conditions and in one of
 * @states (any when NULL), in id order, until it returns FALSE. */
gboolean mz_store_record_find (MzStore *store, const MzKind *kind, const MzCondition *conditions,
                               const char *const *states, MzRecordFunc func, gpointer user_data,
                               GError **error);

/**
 * MzStoreReadQuery:
 * @conditions: fields and comparisons (declared fields, "id" or "state")
 * @values: each condition's value, already parsed for its field: text in
 *   @text, numbers in @number
 * @states: only records in one of these states (any when NULL)
 * @period_field: "created_at" or a date/datetime field the period applies
 *   to (none when NULL)
 * @period_from: the first value included; @period_until the first
 *   excluded (unset: open), typed like @values
 * @after_id: only ids above it (0: any)
 * @limit, @offset: the page, in id order
 *
 * A find on a read-only connection, its values resolved by the caller.
 */
typedef struct
{
  const MzCondition *conditions;
  const MzValue *values;
  const char *const *states;
  const char *period_field;
  MzValue period_from;
  MzValue period_until;
  gint64 after_id;
  guint limit;
  guint offset;
} MzStoreReadQuery;

/* On a pooled read-only connection: record @id of @kind into @out (NULL
 * when there is none), or every record matching @query in id order to
 * @func until it returns FALSE. */
gboolean mz_store_record_read (MzStore *store, const MzKind *kind, gint64 id, MzRecord **out,
                               GError **error);
gboolean mz_store_record_read_many (MzStore *store, const MzKind *kind,
                                    const MzStoreReadQuery *query, MzRecordFunc func,
                                    gpointer user_data, GError **error);

/* A read-only snapshot of the office for several reads that must see the
 * same moment (the due list of every plugin). */
typedef struct _MzStoreSnapshot MzStoreSnapshot;
MzStoreSnapshot *mz_store_snapshot_begin (MzStore *store, GError **error);
void mz_store_snapshot_end (MzStoreSnapshot *snapshot);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzStoreSnapshot, mz_store_snapshot_end)

/* Called for each record a dated find returns: its id, version, state and
 * the stored value of the date field; FALSE stops. */
typedef gboolean (*MzStoreDatedFunc) (gint64 id, gint64 version, const char *state,
                                      const char *value, gpointer user_data);

/* Records of @kind in one of @states whose @field (a date or datetime
 * field) is set and at most @bound (@inclusive) or before it, in order of
 * that field, then id. */
gboolean mz_store_record_dated (MzStoreSnapshot *snapshot, const MzKind *kind,
                                const char *const *states, const char *field,
                                const char *bound, gboolean inclusive,
                                MzStoreDatedFunc func, gpointer user_data, GError **error);

G_END_DECLS
