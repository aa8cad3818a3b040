/* minzheng host — are the records what the audit log says they became?
 *
 * Every change of a record goes through an action, and every action
 * writes an audit entry with the record's kind and id and its change set
 * ({"state": [before, after], "field": [before, after], …}, personal
 * values as keyed hashes "mac:…").  Replaying a record's entries in order
 * therefore gives its state, its version (one per action) and the value
 * of every field it should hold now.  A record changed with the SQLite
 * shell behind the host's back differs from that replay; one inserted
 * behind its back has no entries; one deleted has entries and no row.
 *
 * What it cannot see: a change that an attacker also wrote into a forged
 * audit entry — but then mz_audit_verify fails — and fields a kind gained
 * by migration that no action has set since (they are expected empty).
 *
 * The reads are the store's (store-audit-read.h); this file keeps the
 * replay and the comparison.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <minzheng/minzheng.h>

#include "audit-private.h"

/* Problems named in the error before "…and N more". */
#define MZ_AUDIT_RECORDS_SHOWN 5

typedef struct
{
  char *name;
  MzFieldType type;
} Column;

typedef struct
{
  char *salt;               /* mz_meta's audit_salt, NULL when there is none */
  MzAuditRecordsResult *result;
  GString *problems;
} Check;

char *
mz_audit_personal_mac (const char *salt,
                       const char *value)
{
  guchar mac[crypto_generichash_BYTES_MIN];
  char hex[2 * 8 + 1];

  g_return_val_if_fail (salt != NULL, NULL);

  if (value == NULL)
    return NULL;
  /* Keyed BLAKE2b: a MAC like HMAC-SHA256, several times cheaper, and
   * this runs in the writer for every personal value an action changes. */
  crypto_generichash (mac, sizeof mac, (const guchar *) value, strlen (value),
                      (const guchar *) salt, strlen (salt));
  sodium_bin2hex (hex, sizeof hex, mac, 8);
  return g_strconcat ("mac:", hex, NULL);
}

static void
column_clear (Column *c)
{
  g_free (c->name);
}

static void
problem (Check      *check,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (Check      *check,
         const char *format,
         ...)
{
  va_list ap;

  check->result->problems++;
  if (check->result->problems > MZ_AUDIT_RECORDS_SHOWN)
    return;
  if (check->problems->len > 0)
    g_string_append (check->problems, "；");
  va_start (ap, format);
  g_string_append_vprintf (check->problems, format, ap);
  va_end (ap);
}

/* Plugin, kind and field names come from the database file itself: only
 * names the host could have made are handed to the store, which quotes
 * them into its queries. */
static gboolean
identifier_ok (const char *name)
{
  if (name == NULL || name[0] == '\0' || strlen (name) > 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return FALSE;
  return TRUE;
}

/* The kind's fields, in column order, from the definition the host stored
 * when it made the table. */
static GArray *
kind_columns (const char *definition,
              GError    **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GArray) columns = g_array_new (FALSE, TRUE, sizeof (Column));
  JsonNode *root;
  JsonArray *fields;

  g_array_set_clear_func (columns, (GDestroyNotify) column_clear);
  if (!json_parser_load_from_data (parser, definition, -1, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "fields"))
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INVALID,
                   "记录类型的定义不完整 [audit.records.definition]");
      return NULL;
    }
  fields = json_object_get_array_member (json_node_get_object (root), "fields");
  for (guint i = 0; fields != NULL && i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      Column c = { 0 };

      if (f == NULL || !identifier_ok (json_object_get_string_member_with_default (f, "name", NULL)))
        {
          g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INVALID,
                       "记录类型的定义中有无效的字段 [audit.records.definition]");
          return NULL;
        }
      c.name = g_strdup (json_object_get_string_member (f, "name"));
      c.type = (MzFieldType) json_object_get_int_member_with_default (f, "type", MZ_FIELD_TEXT);
      g_array_append_val (columns, c);
    }
  return g_steal_pointer (&columns);
}

/* The text a personal value was hashed from (mz_value_to_string). */
static char *
column_text (const MzStoreAuditValue *value,
             MzFieldType              type)
{
  if (value->type == MZ_STORE_AUDIT_VALUE_NULL)
    return NULL;
  if (type == MZ_FIELD_BOOLEAN)
    return g_strdup (value->integer ? "true" : "false");
  if (value->text == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, value->integer);
  return g_strdup (value->text);
}

/* Does the stored value equal what the replay says (the "after" of the
 * last change of that field; NULL when no action ever set it)? */
static gboolean
value_matches (Check                   *check,
               const MzStoreAuditValue *value,
               const Column            *column,
               JsonNode                *expected)
{
  gboolean is_null = value->type == MZ_STORE_AUDIT_VALUE_NULL;

  if (expected == NULL || JSON_NODE_HOLDS_NULL (expected))
    return is_null;
  if (is_null)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (expected))
    return FALSE;
  if (json_node_get_value_type (expected) == G_TYPE_INT64)
    return value->type == MZ_STORE_AUDIT_VALUE_INTEGER
           && value->integer == json_node_get_int (expected);
  if (json_node_get_value_type (expected) == G_TYPE_STRING)
    {
      const char *want = json_node_get_string (expected);
      g_autofree char *text = column_text (value, column->type);
      g_autofree char *hashed = NULL;

      if (g_strcmp0 (text, want) == 0)
        return TRUE;
      if (!g_str_has_prefix (want, "mac:") || check->salt == NULL)
        return FALSE;
      hashed = mz_audit_personal_mac (check->salt, text);
      return g_strcmp0 (hashed, want) == 0;
    }
  return FALSE;
}

/* The entries that changed records of one kind, in record id order, and
 * the one the walk is at. */
typedef struct
{
  MzStoreAuditChanges *cursor;
  gint64 id;
  const char *changes;
  gboolean more;
} Entries;

static gboolean
entries_next (Entries *e)
{
  e->more = mz_store_audit_changes_next (e->cursor, &e->id, &e->changes);
  return e->more;
}

/* Replays one record's change sets into @fields (field → after value)
 * and @state; returns how many entries there were. */
static gint64
replay (Entries    *entries,
        gint64      id,
        GHashTable *fields,
        char      **state)
{
  gint64 count = 0;

  g_hash_table_remove_all (fields);
  g_clear_pointer (state, g_free);
  do
    {
      const char *changes = entries->changes;
      g_autoptr (JsonParser) parser = json_parser_new ();
      JsonObject *o;
      JsonObjectIter iter;
      const char *name;
      JsonNode *pair;

      count++;
      if (changes == NULL || !json_parser_load_from_data (parser, changes, -1, NULL)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      o = json_node_get_object (json_parser_get_root (parser));
      json_object_iter_init (&iter, o);
      while (json_object_iter_next (&iter, &name, &pair))
        {
          JsonArray *before_after = JSON_NODE_HOLDS_ARRAY (pair) ? json_node_get_array (pair) : NULL;
          JsonNode *after;

          if (before_after == NULL || json_array_get_length (before_after) != 2)
            continue;
          after = json_array_get_element (before_after, 1);
          if (g_str_equal (name, "state"))
            {
              g_free (*state);
              *state = g_strdup (JSON_NODE_HOLDS_VALUE (after) ? json_node_get_string (after) : NULL);
            }
          else
            g_hash_table_insert (fields, g_strdup (name), json_node_copy (after));
        }
    }
  while (entries_next (entries) && entries->id == id);
  return count;
}

static void
compare (Check                       *check,
         const char                  *label,
         const MzStoreAuditRecordRow *row,
         GArray                      *columns,
         gint64                       count,
         GHashTable                  *fields,
         const char                  *state)
{
  gint64 id = row->id;

  if (g_strcmp0 (row->state, state) != 0)
    problem (check, "%s第 %" G_GINT64_FORMAT " 条记录的状态与审计日志不符", label, id);
  if (row->version != count)
    problem (check, "%s第 %" G_GINT64_FORMAT " 条记录的版本为 %" G_GINT64_FORMAT
             "，审计日志记载了 %" G_GINT64_FORMAT " 次办理", label, id, row->version, count);
  for (guint i = 0; i < columns->len; i++)
    {
      const Column *c = &g_array_index (columns, Column, i);

      if (!value_matches (check, &row->values[i], c, g_hash_table_lookup (fields, c->name)))
        problem (check, "%s第 %" G_GINT64_FORMAT " 条记录的字段 %s 与审计日志不符"
                 "（在审计日志之外被修改）", label, id, c->name);
    }
}

static gboolean
check_kind (Check         *check,
            MzStoreReader *reader,
            const char    *plugin,
            const char    *kind,
            const char    *definition,
            GError       **error)
{
  g_autoptr (GArray) columns = NULL;
  g_autofree const char **names = NULL;
  g_autoptr (GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) json_node_unref);
  g_autofree char *object_kind = g_strconcat (plugin, ".", kind, NULL);
  g_autofree char *label = g_strdup_printf ("%s：", object_kind);
  g_autofree char *state = NULL;
  MzStoreAuditRecords *rows = NULL;
  const MzStoreAuditRecordRow *row;
  Entries entries = { 0 };
  gboolean ok = FALSE;

  if (!identifier_ok (plugin) || !identifier_ok (kind))
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_INVALID,
                   "mz_schema 中有无效的记录类型名 [audit.records.definition]");
      return FALSE;
    }
  columns = kind_columns (definition, error);
  if (columns == NULL)
    return FALSE;
  names = g_new0 (const char *, columns->len + 1);
  for (guint i = 0; i < columns->len; i++)
    names[i] = g_array_index (columns, Column, i).name;

  rows = mz_store_audit_records_open (reader, plugin, kind, names, columns->len, error);
  if (rows == NULL)
    goto out;
  entries.cursor = mz_store_audit_changes_open (reader, object_kind, error);
  if (entries.cursor == NULL)
    goto out;

  /* Both in id order: walk them side by side. */
  row = mz_store_audit_records_next (rows);
  entries_next (&entries);
  while (row != NULL || entries.more)
    {
      gint64 row_id = row != NULL ? row->id : G_MAXINT64;
      gint64 entry_id = entries.more ? entries.id : G_MAXINT64;

      if (entry_id < row_id)
        {
          problem (check, "%s第 %" G_GINT64_FORMAT " 条记录在审计日志中有办理记载，"
                   "但已不在数据库中（在审计日志之外被删除）", label, entry_id);
          while (entries_next (&entries) && entries.id == entry_id)
            ;
          continue;
        }
      check->result->records++;
      if (row_id < entry_id)
        problem (check, "%s第 %" G_GINT64_FORMAT " 条记录没有任何审计记载（在审计日志之外写入）",
                 label, row_id);
      else
        {
          gint64 count = replay (&entries, entry_id, fields, &state);

          compare (check, label, row, columns, count, fields, state);
        }
      row = mz_store_audit_records_next (rows);
    }
  ok = TRUE;

out:
  mz_store_audit_records_close (rows);
  mz_store_audit_changes_close (entries.cursor);
  return ok;
}

typedef struct
{
  Check *check;
  MzStoreReader *reader;
  GError **error;
  gboolean ok;
} Kinds;

static gboolean
each_kind (const char *plugin,
           const char *kind,
           const char *definition,
           gpointer    data)
{
  Kinds *k = data;

  k->ok = check_kind (k->check, k->reader, plugin, kind, definition, k->error);
  k->check->result->kinds++;
  return k->ok;
}

gboolean
mz_audit_check_records (MzStoreReader        *reader,
                        MzAuditRecordsResult *result,
                        GError              **error)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autofree char *salt = NULL;
  Check check = { NULL, result, problems };
  Kinds kinds = { &check, reader, error, TRUE };

  g_return_val_if_fail (reader != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  /* The office's key for the hashes of personal values, kept beside the
   * records: what recomputes a hash is the database, not the caller. */
  salt = mz_store_audit_salt (reader);
  check.salt = salt;
  if (!mz_store_audit_kinds (reader, each_kind, &kinds, error) || !kinds.ok)
    return FALSE;
  if (result->problems > 0)
    {
      g_set_error (error, MZ_AUDIT_ERROR, MZ_AUDIT_ERROR_RECORD_ALTERED,
                   "%" G_GINT64_FORMAT " 处记录与审计日志不符：%s%s [audit.records.altered]",
                   result->problems, problems->str,
                   result->problems > MZ_AUDIT_RECORDS_SHOWN ? "；……" : "");
      return FALSE;
    }
  return TRUE;
}
