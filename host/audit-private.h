/* minzheng host — what the audit log's files share (audit.c, audit-key.c,
 * audit-format.c, audit-verify.c, audit-proof.c, audit-records.c), and
 * services.c for the keyed hash of personal values.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <sodium.h>

#include "audit.h"
#include "merkle.h"
#include "store-audit-read.h"

G_BEGIN_DECLS

/* Version byte at the start of every canonical entry (after the leaf
 * prefix 0x00); bumped if the layout below ever changes. */
#define MZ_AUDIT_CANON_VERSION 0x01
/* Length written for a NULL text field, so NULL and "" differ. */
#define MZ_AUDIT_CANON_NULL 0xFFFFFFFFu
/* Domain separation for checkpoint signatures. */
#define MZ_AUDIT_CHECKPOINT_CONTEXT "minzheng-audit-checkpoint-v1"
#define MZ_AUDIT_KEY_ID_SIZE 8

/* One entry's canonical bytes, prefixed with the leaf byte 0x00; the
 * buffer is reused from entry to entry so verify does not allocate. */
typedef struct
{
  guint8 *data;
  gsize len;
  gsize capacity;
} MzAuditCanon;

void mz_audit_canon_clear (MzAuditCanon *canon);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (MzAuditCanon, mz_audit_canon_clear)
void mz_audit_canon_begin (MzAuditCanon *canon, gint64 seq, gint64 time_usec);
void mz_audit_canon_add_text (MzAuditCanon *canon, const char *text, gsize len);
void mz_audit_canon_add_int (MzAuditCanon *canon, gint64 value);
/* The whole entry in the documented order. */
void mz_audit_canon_entry (MzAuditCanon *canon, gint64 seq, const MzAuditEntry *entry);

/* Builds the canonical bytes of the entry in @row (its texts need not be
 * NUL-terminated), as if it had sequence number @seq. */
void mz_audit_canon_from_row (MzAuditCanon *canon, const MzStoreAuditRow *row, gint64 seq);

/* The message that a checkpoint's signature covers. */
void mz_audit_checkpoint_message (const MzHashAlgo *algo,
                                  guint64           tree_size,
                                  gint64            time_usec,
                                  const guint8     *root,
                                  guint8           *out,
                                  gsize            *out_len);
#define MZ_AUDIT_CHECKPOINT_MESSAGE_MAX (sizeof (MZ_AUDIT_CHECKPOINT_CONTEXT) + 32 + 16 + MZ_HASH_MAX_SIZE)

/* The office key: loaded from @path, or created there (mode 0600) with the
 * public key beside it as @path.pub when the file does not exist. */
gboolean mz_audit_key_load (const char *path,
                            guint8      secret_key[crypto_sign_SECRETKEYBYTES],
                            guint8      public_key[crypto_sign_PUBLICKEYBYTES],
                            GError    **error);
/* A public key file as written by mz_audit_key_load. */
gboolean mz_audit_public_key_read (const char *path,
                                   guint8      public_key[crypto_sign_PUBLICKEYBYTES],
                                   GError    **error);
/* Hex of the first bytes of SHA-256 of the public key, newly allocated. */
char *mz_audit_key_id (const guint8 public_key[crypto_sign_PUBLICKEYBYTES]);

/* Lower-case hex of @len bytes; and back (FALSE unless exactly @len bytes). */
char *mz_audit_hex (const guint8 *data, gsize len);
gboolean mz_audit_unhex (const char *hex, guint8 *out, gsize len);

/* The hash algorithm a log records by @hash_name (NULL: none recorded);
 * an error naming it when this build does not know it. */
gboolean mz_audit_meta_algo (const char *hash_name, const MzHashAlgo **out_algo, GError **error);
/* The hash algorithm and public key stored in the meta table, on a
 * reader (audit-verify.c; audit.c reads them on the writer). */
gboolean mz_audit_reader_meta (MzStoreReader     *reader,
                               const MzHashAlgo **out_algo,
                               guint8             public_key[crypto_sign_PUBLICKEYBYTES],
                               gboolean          *out_has_key,
                               GError           **error);

/* A checkpoint as verify reads it, from the database or from a copy
 * shipped to the centre (@shipped). */
typedef struct
{
  gint64 id;
  guint64 tree_size;
  gint64 time_usec;
  guint8 root[MZ_HASH_MAX_SIZE];
  gboolean root_ok;
  guint8 signature[crypto_sign_BYTES];
  gboolean signature_ok;
  char *key_id;
  gboolean shipped;
} MzAuditCheckpointRecord;

void mz_audit_checkpoint_record_clear (gpointer record);
/* Appends the checkpoints of mz_audit_export_checkpoints' JSON lines to
 * @into (of MzAuditCheckpointRecord, marked shipped); an unreadable line is
 * an error naming its number. */
gboolean mz_audit_checkpoints_parse (const char       *json_lines,
                                     const MzHashAlgo *algo,
                                     GArray           *into,
                                     GError          **error);

G_END_DECLS
