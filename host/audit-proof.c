/* minzheng host — inclusion proofs and JSON-lines export of the audit log.
 *
 * A proof is self-contained: the entry's columns, its leaf hash, the audit
 * path, the signed checkpoint and the public key, so that the centre or a
 * court can check it without the database (mz_audit_proof_check).  Only the
 * public key has to come from elsewhere (KEY.pub) for the check to mean
 * that the office signed it.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "audit-private.h"

#include <string.h>
#include <json-glib/json-glib.h>

#define PROOF_FORMAT "minzheng-audit-proof-v1"

static const char *const text_columns[] = {
  "office", "plugin", "plugin_version", "actor_user", "actor_role",
  "actor_session", "actor_address", "action", "object_kind", NULL,
  "outcome", "reason", "correlation_id", "changes",
};

static void
add_hex (JsonBuilder  *b,
         const char   *name,
         const guint8 *data,
         gsize         len)
{
  g_autofree char *hex = mz_audit_hex (data, len);

  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, hex);
}

static void
add_text (JsonBuilder            *b,
          const char             *name,
          const MzStoreAuditText *text)
{
  json_builder_set_member_name (b, name);
  if (text->data == NULL)
    json_builder_add_null_value (b);
  else
    json_builder_add_string_value (b, text->data);
}

/* The entry (texts NUL-terminated) as a JSON object; columns keep their
 * names. */
static void
add_entry_object (JsonBuilder           *b,
                  const MzStoreAuditRow *row)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (row->time_usec / G_USEC_PER_SEC);
  g_autofree char *iso = dt != NULL ? g_date_time_format_iso8601 (dt) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, row->seq);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, iso);
  json_builder_set_member_name (b, "time_usec");
  json_builder_add_int_value (b, row->time_usec);
  add_text (b, "office", &row->office);
  add_text (b, "plugin", &row->plugin);
  add_text (b, "plugin_version", &row->plugin_version);
  add_text (b, "actor_user", &row->actor_user);
  add_text (b, "actor_role", &row->actor_role);
  add_text (b, "actor_session", &row->actor_session);
  add_text (b, "actor_address", &row->actor_address);
  add_text (b, "action", &row->action);
  add_text (b, "object_kind", &row->object_kind);
  json_builder_set_member_name (b, "object_id");
  json_builder_add_int_value (b, row->object_id);
  add_text (b, "outcome", &row->outcome);
  add_text (b, "reason", &row->reason);
  add_text (b, "correlation_id", &row->correlation_id);
  add_text (b, "changes", &row->changes);
  add_hex (b, "leaf_hash", row->leaf_hash, row->leaf_hash_len);
  json_builder_end_object (b);
}

static char *
builder_to_string (JsonBuilder *b,
                   gboolean     pretty)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);

  json_generator_set_pretty (gen, pretty);
  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

typedef struct
{
  gsize d;
  guint8 *leaves;
  guint64 n;
} Leaves;

static gboolean
add_leaf (const MzStoreAuditRow *row,
          gpointer               data)
{
  Leaves *l = data;

  if (row->seq != (gint64) l->n + 1 || row->leaf_hash_len != l->d)
    return FALSE;
  memcpy (l->leaves + l->n * l->d, row->leaf_hash, l->d);
  l->n++;
  return TRUE;
}

/* All leaf hashes of the first @n entries, back to back; the proof is
 * computed from the stored hashes, and the checker recomputes the leaf of
 * the one entry it is given. */
static guint8 *
read_leaves (MzStoreReader    *reader,
             const MzHashAlgo *algo,
             guint64           n,
             GError          **error)
{
  g_autofree guint8 *leaves = g_malloc (MAX (1, n * algo->digest_size));
  Leaves l = { algo->digest_size, leaves, 0 };

  if (!mz_store_audit_hashes (reader, G_MININT64, (gint64) n, add_leaf, &l, error))
    return NULL;
  if (l.n != n)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_MISSING,
                   "第 %" G_GUINT64_FORMAT " 条审计记录缺失或损坏，无法生成证明；请先运行 mzctl audit verify [audit.removed]",
                   l.n + 1);
      return NULL;
    }
  return g_steal_pointer (&leaves);
}

/* The latest checkpoint, as the proof carries it. */
typedef struct
{
  gboolean found;
  gint64 id;
  guint64 tree_size;
  char *root_hash;
  gint64 time_usec;
  char *signature;
  char *key_id;
} LatestCheckpoint;

static gboolean
keep_checkpoint (const MzStoreAuditCheckpointRow *row,
                 gpointer                         data)
{
  LatestCheckpoint *cp = data;

  cp->found = TRUE;
  cp->id = row->id;
  cp->tree_size = (guint64) row->tree_size;
  cp->root_hash = mz_audit_hex (row->root_hash, row->root_hash_len);
  cp->time_usec = row->time_usec;
  cp->signature = mz_audit_hex (row->signature, row->signature_len);
  cp->key_id = g_strdup (row->key_id);
  return FALSE;
}

static gboolean
keep_entry (const MzStoreAuditRow *row,
            gpointer               data)
{
  JsonNode **entry = data;
  g_autoptr (JsonBuilder) b = json_builder_new ();

  add_entry_object (b, row);
  *entry = json_builder_get_root (b);
  return FALSE;
}

char *
mz_audit_proof (MzStoreReader *reader,
                gint64         seq,
                GError       **error)
{
  const MzHashAlgo *algo = NULL;
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  gboolean has_key = FALSE;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (GByteArray) path = NULL;
  g_autofree guint8 *leaves = NULL;
  LatestCheckpoint cp = { 0 };
  JsonNode *entry = NULL;
  char *json = NULL;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!mz_audit_reader_meta (reader, &algo, public_key, &has_key, error))
    return NULL;
  if (!mz_store_audit_checkpoint_latest (reader, keep_checkpoint, &cp, error))
    goto out;
  if (!cp.found || !has_key)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_NOT_FOUND,
                   "审计日志还没有签名的检查点，无法为第 %" G_GINT64_FORMAT " 条生成证明 [audit.checkpoint.none]", seq);
      goto out;
    }
  if (seq >= 1 && !mz_store_audit_entry (reader, seq, keep_entry, &entry, error))
    goto out;
  if (entry == NULL)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_NOT_FOUND,
                   "审计日志中没有第 %" G_GINT64_FORMAT " 条记录 [audit.no_such_entry]", seq);
      goto out;
    }
  if ((guint64) seq > cp.tree_size)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_NOT_FOUND,
                   "第 %" G_GINT64_FORMAT " 条审计记录不在最新检查点 #%" G_GINT64_FORMAT "（共 %" G_GUINT64_FORMAT " 条）之内 [audit.proof.not_covered]",
                   seq, cp.id, cp.tree_size);
      goto out;
    }
  leaves = read_leaves (reader, algo, cp.tree_size, error);
  if (leaves == NULL)
    goto out;
  path = mz_merkle_inclusion_path (algo, leaves, cp.tree_size, (guint64) seq - 1);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, PROOF_FORMAT);
  json_builder_set_member_name (b, "hash");
  json_builder_add_string_value (b, algo->name);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, seq);
  json_builder_set_member_name (b, "leaf_index");
  json_builder_add_int_value (b, seq - 1);
  json_builder_set_member_name (b, "entry");
  json_builder_add_value (b, g_steal_pointer (&entry));
  json_builder_set_member_name (b, "path");
  json_builder_begin_array (b);
  for (gsize i = 0; i < path->len / algo->digest_size; i++)
    {
      g_autofree char *hex = mz_audit_hex (path->data + i * algo->digest_size, algo->digest_size);
      json_builder_add_string_value (b, hex);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "checkpoint");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, cp.id);
  json_builder_set_member_name (b, "tree_size");
  json_builder_add_int_value (b, (gint64) cp.tree_size);
  json_builder_set_member_name (b, "root_hash");
  json_builder_add_string_value (b, cp.root_hash);
  json_builder_set_member_name (b, "time_usec");
  json_builder_add_int_value (b, cp.time_usec);
  json_builder_set_member_name (b, "signature");
  json_builder_add_string_value (b, cp.signature);
  json_builder_set_member_name (b, "key_id");
  json_builder_add_string_value (b, cp.key_id);
  json_builder_end_object (b);
  add_hex (b, "public_key", public_key, sizeof public_key);
  json_builder_end_object (b);
  json = builder_to_string (b, TRUE);

out:
  g_clear_pointer (&entry, json_node_unref);
  g_free (cp.root_hash);
  g_free (cp.signature);
  g_free (cp.key_id);
  return json;
}

static gboolean
proof_invalid (GError    **error,
               const char *what)
{
  g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_ALTERED,
               "包含证明无效：%s [audit.proof.invalid]", what);
  return FALSE;
}

static gboolean
proof_unreadable (GError    **error,
                  const char *what)
{
  g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INVALID,
               "包含证明无法读取：%s [audit.proof.unreadable]", what);
  return FALSE;
}

static gboolean
member_hex (JsonObject *o,
            const char *name,
            guint8     *out,
            gsize       len)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;
  return mz_audit_unhex (json_node_get_string (node), out, len);
}

static JsonObject *
member_object (JsonObject *o,
               const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *o,
              const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
member_text (JsonObject *o,
             const char *name)
{
  JsonNode *node = json_object_get_member (o, name);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The proof's entry as MzAuditEntry, strings borrowed from @o. */
static void
entry_from_json (JsonObject   *o,
                 MzAuditEntry *e)
{
  const char **slots[] = {
    &e->office, &e->plugin, &e->plugin_version, &e->actor_user, &e->actor_role,
    &e->actor_session, &e->actor_address, &e->action, &e->object_kind, NULL,
    &e->outcome, &e->reason, &e->correlation_id, &e->changes,
  };

  memset (e, 0, sizeof *e);
  e->time_usec = json_object_get_int_member_with_default (o, "time_usec", 0);
  e->object_id = json_object_get_int_member_with_default (o, "object_id", 0);
  for (gsize i = 0; i < G_N_ELEMENTS (slots); i++)
    if (slots[i] != NULL)
      *slots[i] = member_text (o, text_columns[i]);
}

gboolean
mz_audit_proof_check (const char *proof_json,
                      const char *public_key_path,
                      gint64     *out_seq,
                      GError    **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autofree guint8 *path = NULL;
  g_auto (MzAuditCanon) canon = { 0 };
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  guint8 root[MZ_HASH_MAX_SIZE], leaf[MZ_HASH_MAX_SIZE], stored_leaf[MZ_HASH_MAX_SIZE];
  guint8 signature[crypto_sign_BYTES];
  guint8 message[MZ_AUDIT_CHECKPOINT_MESSAGE_MAX];
  gsize message_len = 0;
  const MzHashAlgo *algo;
  JsonObject *proof, *entry, *cp;
  JsonArray *steps;
  MzAuditEntry e;
  gint64 seq, tree_size;

  g_return_val_if_fail (proof_json != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (sodium_init () < 0)
    return proof_invalid (error, "无法初始化 libsodium");
  if (!json_parser_load_from_data (parser, proof_json, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return proof_unreadable (error, "不是 JSON 对象");
  proof = json_node_get_object (json_parser_get_root (parser));
  if (g_strcmp0 (member_text (proof, "format"), PROOF_FORMAT) != 0)
    return proof_unreadable (error, "format 不是 " PROOF_FORMAT);
  algo = mz_hash_algo_lookup (member_text (proof, "hash") != NULL ? member_text (proof, "hash") : "");
  entry = member_object (proof, "entry");
  cp = member_object (proof, "checkpoint");
  steps = member_array (proof, "path");
  if (algo == NULL || entry == NULL || cp == NULL || steps == NULL)
    return proof_unreadable (error, "缺少 hash、entry、checkpoint 或 path");

  seq = json_object_get_int_member_with_default (proof, "seq", 0);
  tree_size = json_object_get_int_member_with_default (cp, "tree_size", 0);
  if (out_seq != NULL)
    *out_seq = seq;
  if (seq < 1 || tree_size < seq || json_object_get_int_member_with_default (entry, "seq", 0) != seq)
    return proof_invalid (error, "seq 与 tree_size 不一致");

  entry_from_json (entry, &e);
  if (e.action == NULL || e.outcome == NULL)
    return proof_invalid (error, "记录缺少 action 或 outcome");
  mz_audit_canon_entry (&canon, seq, &e);
  mz_merkle_leaf_hash_prefixed (algo, canon.data, canon.len, leaf);
  if (!member_hex (entry, "leaf_hash", stored_leaf, algo->digest_size) ||
      memcmp (leaf, stored_leaf, algo->digest_size) != 0)
    return proof_invalid (error, "记录内容与其叶哈希不符（记录被改动）");

  path = g_malloc (MAX (1, json_array_get_length (steps) * algo->digest_size));
  for (guint i = 0; i < json_array_get_length (steps); i++)
    {
      JsonNode *node = json_array_get_element (steps, i);

      if (json_node_get_value_type (node) != G_TYPE_STRING ||
          !mz_audit_unhex (json_node_get_string (node), path + i * algo->digest_size, algo->digest_size))
        return proof_invalid (error, "path 中有不是哈希值的元素");
    }
  if (!member_hex (cp, "root_hash", root, algo->digest_size) ||
      !mz_merkle_inclusion_verify (algo, (guint64) seq - 1, (guint64) tree_size, leaf, path,
                                   json_array_get_length (steps), root))
    return proof_invalid (error, "由记录和路径算出的根哈希与检查点的根哈希不符");

  if (!member_hex (proof, "public_key", public_key, sizeof public_key))
    return proof_invalid (error, "缺少 public_key");
  if (public_key_path != NULL)
    {
      guint8 expected[crypto_sign_PUBLICKEYBYTES];

      if (!mz_audit_public_key_read (public_key_path, expected, error))
        return FALSE;
      if (sodium_memcmp (expected, public_key, sizeof expected) != 0)
        {
          g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_KEY,
                       "证明所附公钥与公钥文件 %s 不符 [audit.key.mismatch]", public_key_path);
          return FALSE;
        }
    }
  mz_audit_checkpoint_message (algo, (guint64) tree_size,
                               json_object_get_int_member_with_default (cp, "time_usec", 0),
                               root, message, &message_len);
  if (!member_hex (cp, "signature", signature, sizeof signature) ||
      crypto_sign_verify_detached (signature, message, message_len, public_key) != 0)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_SIGNATURE,
                   "包含证明中检查点 #%" G_GINT64_FORMAT " 的签名无效 [audit.checkpoint.signature]",
                   json_object_get_int_member_with_default (cp, "id", 0));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  GOutputStream *out;
  GError **error;
  gboolean ok;
} Export;

static gboolean
write_line (Export      *x,
            JsonBuilder *b)
{
  g_autofree char *text = builder_to_string (b, FALSE);
  g_autofree char *line = g_strconcat (text, "\n", NULL);

  x->ok = g_output_stream_write_all (x->out, line, strlen (line), NULL, NULL, x->error);
  return x->ok;
}

static gboolean
export_entry (const MzStoreAuditRow *row,
              gpointer               data)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();

  add_entry_object (b, row);
  return write_line (data, b);
}

gboolean
mz_audit_export (MzStoreReader *reader,
                 gint64         from_usec,
                 gint64         to_usec,
                 GOutputStream *out,
                 GError       **error)
{
  Export x = { out, error, TRUE };

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return mz_store_audit_entries_in_period (reader, from_usec, to_usec, export_entry, &x, error) &&
         x.ok;
}

typedef struct
{
  Export x;
  const MzHashAlgo *algo;
} ExportCheckpoints;

static gboolean
export_checkpoint (const MzStoreAuditCheckpointRow *row,
                   gpointer                         data)
{
  ExportCheckpoints *e = data;
  g_autoptr (JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "hash");
  json_builder_add_string_value (b, e->algo->name);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, row->id);
  json_builder_set_member_name (b, "tree_size");
  json_builder_add_int_value (b, row->tree_size);
  add_hex (b, "root_hash", row->root_hash, row->root_hash_len);
  json_builder_set_member_name (b, "time_usec");
  json_builder_add_int_value (b, row->time_usec);
  add_hex (b, "signature", row->signature, row->signature_len);
  json_builder_set_member_name (b, "key_id");
  json_builder_add_string_value (b, row->key_id);
  json_builder_end_object (b);
  return write_line (&e->x, b);
}

gboolean
mz_audit_export_checkpoints (MzStoreReader *reader,
                             GOutputStream *out,
                             GError       **error)
{
  guint8 public_key[crypto_sign_PUBLICKEYBYTES];
  gboolean has_key = FALSE;
  ExportCheckpoints e = { { out, error, TRUE }, NULL };

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!mz_audit_reader_meta (reader, &e.algo, public_key, &has_key, error))
    return FALSE;
  return mz_store_audit_checkpoints (reader, export_checkpoint, &e, error) && e.x.ok;
}

void
mz_audit_checkpoint_record_clear (gpointer record)
{
  MzAuditCheckpointRecord *cp = record;

  g_clear_pointer (&cp->key_id, g_free);
}

/* A shipped checkpoint whose fields do not even parse is an error in the
 * file given, not evidence about the log: it is refused with its line. */
gboolean
mz_audit_checkpoints_parse (const char       *json_lines,
                            const MzHashAlgo *algo,
                            GArray           *into,
                            GError          **error)
{
  g_auto (GStrv) lines = g_strsplit (json_lines, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      MzAuditCheckpointRecord cp = { 0 };
      JsonObject *o;

      if (*g_strstrip (lines[i]) == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        goto bad;
      o = json_node_get_object (json_parser_get_root (parser));
      if (g_strcmp0 (member_text (o, "hash"), algo->name) != 0 ||
          json_object_get_int_member_with_default (o, "tree_size", -1) < 0 ||
          member_text (o, "key_id") == NULL)
        goto bad;
      cp.id = json_object_get_int_member_with_default (o, "id", 0);
      cp.tree_size = (guint64) json_object_get_int_member_with_default (o, "tree_size", 0);
      cp.time_usec = json_object_get_int_member_with_default (o, "time_usec", 0);
      cp.root_ok = member_hex (o, "root_hash", cp.root, algo->digest_size);
      cp.signature_ok = member_hex (o, "signature", cp.signature, sizeof cp.signature);
      cp.key_id = g_strdup (member_text (o, "key_id"));
      cp.shipped = TRUE;
      g_array_append_val (into, cp);
      continue;

    bad:
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INVALID,
                   "外部检查点文件第 %u 行不是 mzctl audit checkpoints 输出的检查点 [audit.checkpoint.file]",
                   i + 1);
      return FALSE;
    }
  return TRUE;
}
