/* minzheng host — the audit log's byte formats: the canonical form of an
 * entry that its leaf hash covers, the message a checkpoint signs, hex.
 * docs/audit.md describes both formats; changing either breaks every
 * existing log, hence MZ_AUDIT_CANON_VERSION.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "audit-private.h"

#include <string.h>

char *
mz_audit_hex (const guint8 *data,
              gsize         len)
{
  char *hex = g_malloc (len * 2 + 1);

  sodium_bin2hex (hex, len * 2 + 1, data, len);
  return hex;
}

gboolean
mz_audit_unhex (const char *hex,
                guint8     *out,
                gsize       len)
{
  size_t bin_len = 0;
  const char *end = NULL;

  if (hex == NULL || strlen (hex) != len * 2)
    return FALSE;
  if (sodium_hex2bin (out, len, hex, len * 2, NULL, &bin_len, &end) != 0)
    return FALSE;
  return bin_len == len && *end == '\0';
}

/* Canonical form (docs/audit.md): 0x00 leaf prefix, version byte, then
 * each field in a fixed order, integers as 8 bytes big-endian and texts as
 * a 4-byte big-endian length (0xFFFFFFFF for NULL) and their bytes. */
static inline void
canon_reserve (MzAuditCanon *canon,
               gsize         extra)
{
  if (G_LIKELY (canon->len + extra <= canon->capacity))
    return;
  canon->capacity = MAX (canon->capacity * 2, canon->len + extra + 256);
  canon->data = g_realloc (canon->data, canon->capacity);
}

static inline void
put_be64 (guint8 *p,
          guint64 v)
{
  for (int i = 7; i >= 0; i--)
    {
      p[i] = (guint8) v;
      v >>= 8;
    }
}

void
mz_audit_canon_clear (MzAuditCanon *canon)
{
  g_clear_pointer (&canon->data, g_free);
  canon->len = canon->capacity = 0;
}

void
mz_audit_canon_begin (MzAuditCanon *canon,
                      gint64        seq,
                      gint64        time_usec)
{
  canon->len = 0;
  canon_reserve (canon, 18);
  canon->data[0] = 0x00;
  canon->data[1] = MZ_AUDIT_CANON_VERSION;
  put_be64 (canon->data + 2, (guint64) seq);
  put_be64 (canon->data + 10, (guint64) time_usec);
  canon->len = 18;
}

/* Inlined into the row loop: it runs thirteen times per entry. */
static inline void
canon_put_text (MzAuditCanon *canon,
                const char   *text,
                gsize         len)
{
  guint32 n = text == NULL ? MZ_AUDIT_CANON_NULL : (guint32) len;
  guint8 *p;

  canon_reserve (canon, 4 + (text == NULL ? 0 : len));
  p = canon->data + canon->len;
  p[0] = (guint8) (n >> 24);
  p[1] = (guint8) (n >> 16);
  p[2] = (guint8) (n >> 8);
  p[3] = (guint8) n;
  canon->len += 4;
  if (text != NULL && len > 0)
    {
      memcpy (p + 4, text, len);
      canon->len += len;
    }
}

void
mz_audit_canon_add_text (MzAuditCanon *canon,
                         const char   *text,
                         gsize         len)
{
  canon_put_text (canon, text, len);
}

void
mz_audit_canon_add_int (MzAuditCanon *canon,
                        gint64        value)
{
  canon_reserve (canon, 8);
  put_be64 (canon->data + canon->len, (guint64) value);
  canon->len += 8;
}

static void
add_str (MzAuditCanon *canon,
         const char   *text)
{
  mz_audit_canon_add_text (canon, text, text == NULL ? 0 : strlen (text));
}

void
mz_audit_canon_entry (MzAuditCanon       *canon,
                      gint64              seq,
                      const MzAuditEntry *e)
{
  mz_audit_canon_begin (canon, seq, e->time_usec);
  add_str (canon, e->office);
  add_str (canon, e->plugin);
  add_str (canon, e->plugin_version);
  add_str (canon, e->actor_user);
  add_str (canon, e->actor_role);
  add_str (canon, e->actor_session);
  add_str (canon, e->actor_address);
  add_str (canon, e->action);
  add_str (canon, e->object_kind);
  mz_audit_canon_add_int (canon, e->object_id);
  add_str (canon, e->outcome);
  add_str (canon, e->reason);
  add_str (canon, e->correlation_id);
  add_str (canon, e->changes);
}

/* The entry's own seq column is not used so that the caller can ask
 * "what if it were entry @seq". */
void
mz_audit_canon_from_row (MzAuditCanon          *canon,
                         const MzStoreAuditRow *row,
                         gint64                 seq)
{
  mz_audit_canon_begin (canon, seq, row->time_usec);
  canon_put_text (canon, row->office.data, row->office.len);
  canon_put_text (canon, row->plugin.data, row->plugin.len);
  canon_put_text (canon, row->plugin_version.data, row->plugin_version.len);
  canon_put_text (canon, row->actor_user.data, row->actor_user.len);
  canon_put_text (canon, row->actor_role.data, row->actor_role.len);
  canon_put_text (canon, row->actor_session.data, row->actor_session.len);
  canon_put_text (canon, row->actor_address.data, row->actor_address.len);
  canon_put_text (canon, row->action.data, row->action.len);
  canon_put_text (canon, row->object_kind.data, row->object_kind.len);
  mz_audit_canon_add_int (canon, row->object_id);
  canon_put_text (canon, row->outcome.data, row->outcome.len);
  canon_put_text (canon, row->reason.data, row->reason.len);
  canon_put_text (canon, row->correlation_id.data, row->correlation_id.len);
  canon_put_text (canon, row->changes.data, row->changes.len);
}

void
mz_audit_checkpoint_message (const MzHashAlgo *algo,
                             guint64           tree_size,
                             gint64            time_usec,
                             const guint8     *root,
                             guint8           *out,
                             gsize            *out_len)
{
  gsize n = 0;
  gsize name_len = MIN (strlen (algo->name), 31);

  memcpy (out, MZ_AUDIT_CHECKPOINT_CONTEXT, sizeof MZ_AUDIT_CHECKPOINT_CONTEXT);
  n += sizeof MZ_AUDIT_CHECKPOINT_CONTEXT;
  memcpy (out + n, algo->name, name_len);
  n += name_len;
  out[n++] = 0x00;
  put_be64 (out + n, tree_size);
  n += 8;
  put_be64 (out + n, (guint64) time_usec);
  n += 8;
  memcpy (out + n, root, algo->digest_size);
  n += algo->digest_size;
  *out_len = n;
}
