/* minzheng host — reading the audit log back from the office database:
 * entries and their hashes for verify (one pass, or ranges scanned by
 * several threads at once), checkpoints, the log's hash and public key,
 * proofs and export, and the records and change sets that
 * mz_audit_check_records compares.  audit-verify.c, audit-proof.c,
 * audit-records.c and mzctl-audit.c keep the hashing, the Merkle tree,
 * the signatures, the messages and the output formats, and hold no SQL;
 * this file and store-audit-read.c are what a backend for another
 * database replaces (docs/storage.md, "The store's interface").
 *
 * Rows come to a callback, or from a cursor's next, in structs whose
 * pointers stay valid until the callback returns or the cursor moves on:
 * nothing is allocated per row, which keeps verify above a million
 * entries a second.  A callback returns FALSE to stop; the functions
 * return FALSE only when the database failed (a %MZ_AUDIT_ERROR_STORAGE
 * error), not when the callback stopped them.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

#include "store.h"

G_BEGIN_DECLS

/* @len bytes at @data; @data is NULL for SQL NULL and non-NULL for an
 * empty text, so the two differ as in the canonical form.  NUL-terminated
 * only where the function says so. */
typedef struct
{
  const char *data;
  gsize len;
} MzStoreAuditText;

/**
 * MzStoreAuditRow:
 * @seq: the entry's sequence number as stored
 * @time_usec, @office … @changes: its columns, in the canonical order
 *   (docs/audit.md); not set by mz_store_audit_hashes
 * @leaf_hash, @leaf_hash_len: the stored leaf hash (any length: it is
 *   checked, not trusted)
 * @chain_hash, @chain_hash_len: the stored chain hash; NULL and 0 where
 *   the function does not read it
 */
typedef struct
{
  gint64 seq;
  gint64 time_usec;
  MzStoreAuditText office;
  MzStoreAuditText plugin;
  MzStoreAuditText plugin_version;
  MzStoreAuditText actor_user;
  MzStoreAuditText actor_role;
  MzStoreAuditText actor_session;
  MzStoreAuditText actor_address;
  MzStoreAuditText action;
  MzStoreAuditText object_kind;
  gint64 object_id;
  MzStoreAuditText outcome;
  MzStoreAuditText reason;
  MzStoreAuditText correlation_id;
  MzStoreAuditText changes;
  const guint8 *leaf_hash;
  gsize leaf_hash_len;
  const guint8 *chain_hash;
  gsize chain_hash_len;
} MzStoreAuditRow;

typedef gboolean (*MzStoreAuditRowFunc) (const MzStoreAuditRow *row, gpointer data);

/* A signed tree head as stored; @key_id is NUL-terminated (NULL for NULL). */
typedef struct
{
  gint64 id;
  gint64 tree_size;
  const guint8 *root_hash;
  gsize root_hash_len;
  gint64 time_usec;
  const guint8 *signature;
  gsize signature_len;
  const char *key_id;
} MzStoreAuditCheckpointRow;

typedef gboolean (*MzStoreAuditCheckpointFunc) (const MzStoreAuditCheckpointRow *row, gpointer data);

/* The office database file @path opened read-only without opening the
 * store (mzctl audit --database: a copy verified at the centre); nothing
 * is created or changed.  Close it with mz_store_reader_close. */
MzStoreReader *mz_store_audit_reader_open (const char *path, GError **error);

/* Starts a read transaction on @reader unless one is open already (the
 * caller's, as db check holds one for verify and the records check);
 * TRUE when it started one, to be ended with mz_store_reader_end. */
gboolean mz_store_audit_read_begin (MzStoreReader *reader);

/* Does the database hold an audit log at all (its meta table)? */
gboolean mz_store_audit_exists (MzStoreReader *reader);

/* The log's hash algorithm name (newly allocated, NULL when missing) and
 * its stored public key (NULL when missing; of whatever length is stored). */
gboolean mz_store_audit_meta (MzStoreReader *reader, char **out_hash, GBytes **out_public_key,
                              GError **error);

/* The highest sequence number (0 for an empty log) and how many entries
 * have one below 1, which no append makes; either may be NULL. */
gboolean mz_store_audit_extent (MzStoreReader *reader, gint64 *out_max_seq,
                                gint64 *out_below_one, GError **error);

/* Every checkpoint in id order; or the latest one (@func is not called
 * when there is none). */
gboolean mz_store_audit_checkpoints (MzStoreReader *reader, MzStoreAuditCheckpointFunc func,
                                     gpointer data, GError **error);
gboolean mz_store_audit_checkpoint_latest (MzStoreReader *reader, MzStoreAuditCheckpointFunc func,
                                           gpointer data, GError **error);

/* Every entry in seq order with both hashes (texts not NUL-terminated):
 * verify's careful pass. */
gboolean mz_store_audit_entries (MzStoreReader *reader, MzStoreAuditRowFunc func, gpointer data,
                                 GError **error);

/* Entry @seq with both hashes, texts NUL-terminated; @func is not called
 * when there is none. */
gboolean mz_store_audit_entry (MzStoreReader *reader, gint64 seq, MzStoreAuditRowFunc func,
                               gpointer data, GError **error);

/* Entries with time_usec in [@from_usec, @to_usec) in seq order, with
 * their leaf hash, texts NUL-terminated: export. */
gboolean mz_store_audit_entries_in_period (MzStoreReader *reader, gint64 from_usec,
                                           gint64 to_usec, MzStoreAuditRowFunc func,
                                           gpointer data, GError **error);

/* Only seq and the two hashes of entries @first..@last in seq order
 * (G_MININT64 for no lower bound): the chain after the last checkpoint,
 * the leaves a proof is computed from. */
gboolean mz_store_audit_hashes (MzStoreReader *reader, gint64 first, gint64 last,
                                MzStoreAuditRowFunc func, gpointer data, GError **error);

/* Verify's fast pass: one thread's cursor over ranges of entries, with
 * the leaf hash and no chain hash, texts not NUL-terminated.  @separate:
 * on a read-only connection of its own to the same file, without SQLite's
 * per-call mutex (about a tenth of the scan's time otherwise), so that
 * threads scan side by side; NULL then when the database has no file (in
 * memory) or it cannot be opened.  Without @separate it reads on
 * @reader's connection, which only one thread may use at a time.  A
 * separate connection reads its own snapshot: rows up to a seq the
 * caller saw are the same in every snapshot of an append-only log. */
typedef struct _MzStoreAuditScan MzStoreAuditScan;
MzStoreAuditScan *mz_store_audit_scan_open (MzStoreReader *reader, gboolean separate);
gboolean mz_store_audit_scan_range (MzStoreAuditScan *scan, gint64 first, gint64 last,
                                    MzStoreAuditRowFunc func, gpointer data, GError **error);
void mz_store_audit_scan_close (MzStoreAuditScan *scan);

/* --- The records against their change sets (mz_audit_check_records) --- */

/* The office's salt for hashes of personal values (mz_meta's audit_salt),
 * newly allocated; NULL when there is none or it cannot be read. */
char *mz_store_audit_salt (MzStoreReader *reader);

typedef gboolean (*MzStoreAuditKindFunc) (const char *plugin, const char *kind,
                                          const char *definition, gpointer data);

/* Every record kind the host made a table for, by plugin and kind, with
 * the definition it stored (mz_schema). */
gboolean mz_store_audit_kinds (MzStoreReader *reader, MzStoreAuditKindFunc func, gpointer data,
                               GError **error);

typedef enum
{
  MZ_STORE_AUDIT_VALUE_NULL,
  MZ_STORE_AUDIT_VALUE_INTEGER,
  MZ_STORE_AUDIT_VALUE_OTHER,
} MzStoreAuditValueType;

/**
 * MzStoreAuditValue:
 * @type: how the value is stored
 * @integer: the value as an integer (also for text: its leading number, as
 *   a boolean field's "1" reads)
 * @text: the value as text, except for %MZ_STORE_AUDIT_VALUE_INTEGER
 *   (NULL: format @integer in decimal)
 */
typedef struct
{
  MzStoreAuditValueType type;
  gint64 integer;
  const char *text;
} MzStoreAuditValue;

typedef struct
{
  gint64 id;
  const char *state;
  gint64 version;
  const MzStoreAuditValue *values;   /* one per column asked for */
} MzStoreAuditRecordRow;

/* The records of @plugin's @kind in id order with @columns (@n_columns
 * field names).  @plugin, @kind and @columns must be plain identifiers
 * (lower-case letters, digits, '_'): the caller checks them, as they come
 * from the database file itself. */
typedef struct _MzStoreAuditRecords MzStoreAuditRecords;
MzStoreAuditRecords *mz_store_audit_records_open (MzStoreReader *reader, const char *plugin,
                                                  const char *kind, const char *const *columns,
                                                  guint n_columns, GError **error);
/* The next record, valid until the next call; NULL at the end. */
const MzStoreAuditRecordRow *mz_store_audit_records_next (MzStoreAuditRecords *records);
void mz_store_audit_records_close (MzStoreAuditRecords *records);

/* The entries that changed records of @object_kind ("plugin.kind"): its
 * actions, direct or through an import ("import.<plugin>.<kind>.<action>"),
 * that succeeded, not reads; in order of record id, then seq. */
typedef struct _MzStoreAuditChanges MzStoreAuditChanges;
MzStoreAuditChanges *mz_store_audit_changes_open (MzStoreReader *reader, const char *object_kind,
                                                  GError **error);
/* The next entry's record id and change set (NUL-terminated, NULL when
 * none), valid until the next call; FALSE at the end. */
gboolean mz_store_audit_changes_next (MzStoreAuditChanges *changes, gint64 *out_object_id,
                                      const char **out_changes);
void mz_store_audit_changes_close (MzStoreAuditChanges *changes);

G_END_DECLS
