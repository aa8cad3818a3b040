/* minzheng host — the tamper-evident audit log.
 *
 * Entries are appended inside the caller's write transaction, so an entry
 * exists exactly when the change it describes does.  Each entry is a leaf of
 * an RFC 6962 Merkle tree (leaf H(0x00 || entry), node H(0x01 || l || r));
 * the office's Ed25519 key signs checkpoints (size, root, time).  There is
 * no function to update or delete an entry.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <gio/gio.h>

#include "store.h"

G_BEGIN_DECLS

/**
 * MzAuditError:
 * @MZ_AUDIT_ERROR_KEY: the office key cannot be read, created or has unsafe permissions
 * @MZ_AUDIT_ERROR_STORAGE: the database refused a read or write (full disk, I/O)
 * @MZ_AUDIT_ERROR_ALTERED: an entry's content no longer matches its hash
 * @MZ_AUDIT_ERROR_MISSING: an entry was removed (a gap in the sequence, or the tail after a checkpoint)
 * @MZ_AUDIT_ERROR_INSERTED: an entry that no checkpoint or chain accounts for
 * @MZ_AUDIT_ERROR_REORDERED: entries are in another order than they were written
 * @MZ_AUDIT_ERROR_SIGNATURE: a checkpoint's signature does not verify with the office key
 * @MZ_AUDIT_ERROR_NOT_FOUND: no entry or checkpoint with that number
 * @MZ_AUDIT_ERROR_INVALID: a proof or checkpoint file given to check is not in the expected form
 * @MZ_AUDIT_ERROR_RECORD_ALTERED: a record is not what its audit entries say it became
 *   (changed, inserted or deleted behind the host's back)
 */
typedef enum
{
  MZ_AUDIT_ERROR_KEY,
  MZ_AUDIT_ERROR_STORAGE,
  MZ_AUDIT_ERROR_ALTERED,
  MZ_AUDIT_ERROR_MISSING,
  MZ_AUDIT_ERROR_INSERTED,
  MZ_AUDIT_ERROR_REORDERED,
  MZ_AUDIT_ERROR_SIGNATURE,
  MZ_AUDIT_ERROR_NOT_FOUND,
  MZ_AUDIT_ERROR_INVALID,
  MZ_AUDIT_ERROR_RECORD_ALTERED,
} MzAuditError;

#define MZ_AUDIT_ERROR (mz_audit_error_quark ())
GQuark mz_audit_error_quark (void);

/**
 * MzAuditEntry:
 * @time_usec: UTC, microseconds since the epoch (the host clock)
 * @office: division code of the office
 * @plugin: plugin name, or "host"
 * @plugin_version: its version
 * @actor_user, @actor_role, @actor_session, @actor_address: who ("system" for due work)
 * @action: what, dotted: "marriage.registration.register", "record.read",
 *   "report.run", "export", "import", "login", "login.failed", "permission.change"
 * @object_kind: "marriage.registration", or NULL
 * @object_id: the record's id, or 0
 * @outcome: "ok", "refused" or "error"
 * @reason: the refusal's message or the caller's reason, or NULL
 * @correlation_id: ties the entries of one request together
 * @changes: JSON object {"field": [before, after], ...} with personal data
 *   already hashed or masked by the caller, or NULL
 *
 * The sequence number is assigned by mz_audit_append.
 */
typedef struct
{
  gint64 time_usec;
  const char *office;
  const char *plugin;
  const char *plugin_version;
  const char *actor_user;
  const char *actor_role;
  const char *actor_session;
  const char *actor_address;
  const char *action;
  const char *object_kind;
  gint64 object_id;
  const char *outcome;
  const char *reason;
  const char *correlation_id;
  const char *changes;
} MzAuditEntry;

typedef struct _MzAudit MzAudit;

/**
 * MzAuditOptions:
 * @key_path: the office's Ed25519 secret key file (created 0600 on first use;
 *   refused if group- or world-readable); the public key is kept beside it
 *   as KEY_PATH.pub and in the database
 * @checkpoint_every: sign a checkpoint after this many new entries (0 = 1000)
 * @checkpoint_seconds: ... or when the last one is this old (0 = 60)
 * @hash: the hash of a log created now: "sha256" (NULL) or "sm3"
 *   (GB/T 32905); an existing log keeps the hash it was created with
 */
typedef struct
{
  const char *key_path;
  guint checkpoint_every;
  guint checkpoint_seconds;
  const char *hash;
} MzAuditOptions;

/* Creates the audit tables if they are missing and loads the key.  @txn
 * is the host's writer (run outside a transaction, or inside one the
 * tables are created in); the audit log keeps no connection of its own and
 * appends through @txn, which must outlive it. */
MzAudit *mz_audit_open (MzStoreTxn *txn, const MzAuditOptions *options, GError **error);
void mz_audit_free (MzAudit *audit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzAudit, mz_audit_free)

/* The hash the log was created with ("sha256" or "sm3"). */
const char *mz_audit_get_hash (MzAudit *audit);

/* Appends one entry.  Must be called inside an open write transaction on
 * the @txn given to mz_audit_open; the entry commits or rolls back with it.
 * After a rollback the caller calls mz_audit_rollback so that the in-memory
 * tree state follows the database.  (A rollback it is not told about, such
 * as ROLLBACK TO a savepoint, or another connection's commit, is noticed at
 * the next append or checkpoint, which then re-reads the state.) */
gboolean mz_audit_append (MzAudit *audit, const MzAuditEntry *entry,
                          gint64 *out_seq, GError **error);
void mz_audit_rollback (MzAudit *audit);

/* Inside a write transaction: signs a checkpoint if checkpoint_every
 * entries or checkpoint_seconds have passed since the last one (@force:
 * always, when anything is new).  @now_usec is the host clock. */
gboolean mz_audit_checkpoint (MzAudit *audit, gint64 now_usec, gboolean force, GError **error);

/**
 * MzAuditVerifyResult:
 * @entries: entries verified
 * @checkpoints: checkpoint signatures verified
 * @first_bad_seq: on failure, the first entry that is altered, missing,
 *   inserted or reordered (0 when the failure is not one entry's)
 */
typedef struct
{
  gint64 entries;
  gint64 checkpoints;
  gint64 first_bad_seq;
} MzAuditVerifyResult;

/* Recomputes every leaf and root from @reader and checks every
 * checkpoint's signature with the public key stored in the database (and,
 * if @public_key_path is not NULL, that it is the same as that file's).  On failure returns FALSE with @error naming
 * the first bad entry and what is wrong with it. */
gboolean mz_audit_verify (MzStoreReader *reader, const char *public_key_path,
                          MzAuditVerifyResult *result, GError **error);

/* "mac:<16 hex>": @value keyed with the office's @salt (mz_meta's
 * audit_salt), as change sets hold personal values; newly allocated, NULL
 * for NULL. */
char *mz_audit_personal_mac (const char *salt, const char *value);

/**
 * MzAuditRecordsResult:
 * @kinds: record kinds checked
 * @records: records checked
 * @problems: records or fields that differ from the log
 */
typedef struct
{
  gint64 kinds;
  gint64 records;
  gint64 problems;
} MzAuditRecordsResult;

/* Replays every record's audit entries (its change sets, in order) and
 * compares the result with the record as stored: state, version (one per
 * action) and every field, personal ones through their keyed hash with the
 * office's salt stored in the database.  FALSE with
 * MZ_AUDIT_ERROR_RECORD_ALTERED naming the first records and fields that
 * were changed, inserted or deleted behind the host's back.  Run it after
 * mz_audit_verify: it trusts the entries. */
gboolean mz_audit_check_records (MzStoreReader *reader, MzAuditRecordsResult *result,
                                 GError **error);

/* An RFC 6962 inclusion proof of entry @seq against the latest checkpoint,
 * as a JSON object (newly allocated). */
char *mz_audit_proof (MzStoreReader *reader, gint64 seq, GError **error);

/* Checks a proof printed by mz_audit_proof without the database: the
 * entry's content against its leaf hash, the path against the checkpoint's
 * root, and the checkpoint's signature with the public key in the proof,
 * which must equal the key in @public_key_path when that is not NULL.
 * @out_seq: (optional) the entry the proof is about. */
gboolean mz_audit_proof_check (const char *proof_json, const char *public_key_path,
                               gint64 *out_seq, GError **error);

/* Every checkpoint as JSON lines on @out ({"hash", "id", "tree_size",
 * "root_hash", "time_usec", "signature", "key_id"}), for shipping to the
 * centre; mz_audit_verify_shipped checks a log against such a copy. */
gboolean mz_audit_export_checkpoints (MzStoreReader *reader, GOutputStream *out, GError **error);

/* mz_audit_verify, and also against checkpoints kept elsewhere
 * (@shipped_checkpoints: the JSON lines of mz_audit_export_checkpoints, or
 * NULL): each must carry the office's signature and the log must still
 * reach its size with the same root, which catches a tail deleted together
 * with its checkpoints, or a log replaced and re-signed. */
gboolean mz_audit_verify_shipped (MzStoreReader *reader, const char *public_key_path,
                                  const char *shipped_checkpoints,
                                  MzAuditVerifyResult *result, GError **error);

/* Entries with time in [@from_usec, @to_usec) as JSON lines on @out. */
gboolean mz_audit_export (MzStoreReader *reader, gint64 from_usec, gint64 to_usec,
                          GOutputStream *out, GError **error);

G_END_DECLS
