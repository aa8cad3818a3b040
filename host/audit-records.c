/* minzheng host — are the records what the audit log says they became?
 *
 * Every change of a record goes through an action, and every action
 * writes an audit entry with the record's kind and id and its change set
 * ({"state": [before, after], "field": [before, after], …}, personal
 * values as keyed hashes "mac:…").  Replaying a record's entries in order
 * therefore gives its state, its version (one per action) and the value
 * of every field it should hold now.  A record changed with the sqlite3
 * tool behind the host's back differs from that replay; one inserted
 * behind its back has no entries; one deleted has entries and no row.
 *
 * What it cannot see: a change that an attacker also wrote into a forged
 * audit entry — but then mz_audit_verify fails — and fields a kind gained
 * by migration that no action has set since (they are expected empty).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>
#include <minzheng/minzheng.h>

#include "audit-private.h"
#include "store-sqlite.h"

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

/* Plugin and kind names come from the database file itself: only names
 * the host could have made are put into SQL. */
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
column_text (sqlite3_stmt *row,
             int           col,
             MzFieldType   type)
{
  if (sqlite3_column_type (row, col) == SQLITE_NULL)
    return NULL;
  if (type == MZ_FIELD_BOOLEAN)
    return g_strdup (sqlite3_column_int64 (row, col) ? "true" : "false");
  return g_strdup ((const char *) sqlite3_column_text (row, col));
}

/* Does the stored value equal what the replay says (the "after" of the
 * last change of that field; NULL when no action ever set it)? */
static gboolean
value_matches (Check        *check,
               sqlite3_stmt *row,
               int           col,
               const Column *column,
               JsonNode     *expected)
{
  gboolean is_null = sqlite3_column_type (row, col) == SQLITE_NULL;

  if (expected == NULL || JSON_NODE_HOLDS_NULL (expected))
    return is_null;
  if (is_null)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (expected))
    return FALSE;
  if (json_node_get_value_type (expected) == G_TYPE_INT64)
    return sqlite3_column_type (row, col) == SQLITE_INTEGER
           && sqlite3_column_int64 (row, col) == json_node_get_int (expected);
  if (json_node_get_value_type (expected) == G_TYPE_STRING)
    {
      const char *want = json_node_get_string (expected);
      g_autofree char *text = column_text (row, col, column->type);
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

/* Replays one record's change sets into @fields (field → after value)
 * and @state; returns how many entries there were. */
static gint64
replay (sqlite3_stmt *entries,
        gint64        id,
        GHashTable   *fields,
        char        **state,
        gboolean     *more)
{
  gint64 count = 0;

  g_hash_table_remove_all (fields);
  g_clear_pointer (state, g_free);
  do
    {
      const char *changes = (const char *) sqlite3_column_text (entries, 1);
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
  while ((*more = sqlite3_step (entries) == SQLITE_ROW) && sqlite3_column_int64 (entries, 0) == id);
  return count;
}

static void
compare (Check        *check,
         const char   *label,
         sqlite3_stmt *row,
         GArray       *columns,
         gint64        count,
         GHashTable   *fields,
         const char   *state)
{
  gint64 id = sqlite3_column_int64 (row, 0);
  const char *stored_state = (const char *) sqlite3_column_text (row, 1);
  gint64 version = sqlite3_column_int64 (row, 2);

  if (g_strcmp0 (stored_state, state) != 0)
    problem (check, "%s第 %" G_GINT64_FORMAT " 条记录的状态与审计日志不符", label, id);
  if (version != count)
    problem (check, "%s第 %" G_GINT64_FORMAT " 条记录的版本为 %" G_GINT64_FORMAT
             "，审计日志记载了 %" G_GINT64_FORMAT " 次办理", label, id, version, count);
  for (guint i = 0; i < columns->len; i++)
    {
      const Column *c = &g_array_index (columns, Column, i);

      /* Columns 0–4: id, state, version, created_at, updated_at. */
      if (!value_matches (check, row, 5 + (int) i, c, g_hash_table_lookup (fields, c->name)))
        problem (check, "%s第 %" G_GINT64_FORMAT " 条记录的字段 %s 与审计日志不符"
                 "（在审计日志之外被修改）", label, id, c->name);
    }
}

static gboolean
check_kind (Check      *check,
            sqlite3    *db,
            const char *plugin,
            const char *kind,
            const char *definition,
            GError    **error)
{
  g_autoptr (GArray) columns = NULL;
  g_autoptr (GString) select = g_string_new ("SELECT id, state, version, created_at, updated_at");
  g_autoptr (GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) json_node_unref);
  g_autofree char *object_kind = g_strconcat (plugin, ".", kind, NULL);
  g_autofree char *label = g_strdup_printf ("%s：", object_kind);
  g_autofree char *state = NULL;
  sqlite3_stmt *rows = NULL;
  sqlite3_stmt *entries = NULL;
  gboolean more_rows, more_entries;
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
  for (guint i = 0; i < columns->len; i++)
    g_string_append_printf (select, ", \"%s\"", g_array_index (columns, Column, i).name);
  g_string_append_printf (select, " FROM \"%s_%s\" ORDER BY id", plugin, kind);

  /* The entries that changed records of this kind: its actions, direct
   * or through an import ("import.<plugin>.<kind>.<action>"); not reads. */
  if (sqlite3_prepare_v2 (db, select->str, -1, &rows, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db,
                             "SELECT object_id, changes FROM audit_entries"
                             " WHERE object_kind = ?1 AND outcome = 'ok' AND object_id > 0"
                             " AND (substr (action, 1, length (?1) + 1) = ?1 || '.'"
                             "      OR substr (action, 1, length (?1) + 8) = 'import.' || ?1 || '.')"
                             " ORDER BY object_id, seq", -1, &entries, NULL) != SQLITE_OK)
    {
      mz_audit_set_storage_error (error, db, "读取记录");
      goto out;
    }
  sqlite3_bind_text (entries, 1, object_kind, -1, SQLITE_STATIC);

  /* Both in id order: walk them side by side. */
  more_rows = sqlite3_step (rows) == SQLITE_ROW;
  more_entries = sqlite3_step (entries) == SQLITE_ROW;
  while (more_rows || more_entries)
    {
      gint64 row_id = more_rows ? sqlite3_column_int64 (rows, 0) : G_MAXINT64;
      gint64 entry_id = more_entries ? sqlite3_column_int64 (entries, 0) : G_MAXINT64;

      if (entry_id < row_id)
        {
          problem (check, "%s第 %" G_GINT64_FORMAT " 条记录在审计日志中有办理记载，"
                   "但已不在数据库中（在审计日志之外被删除）", label, entry_id);
          while ((more_entries = sqlite3_step (entries) == SQLITE_ROW)
                 && sqlite3_column_int64 (entries, 0) == entry_id)
            ;
          continue;
        }
      check->result->records++;
      if (row_id < entry_id)
        problem (check, "%s第 %" G_GINT64_FORMAT " 条记录没有任何审计记载（在审计日志之外写入）",
                 label, row_id);
      else
        {
          gint64 count = replay (entries, entry_id, fields, &state, &more_entries);

          compare (check, label, rows, columns, count, fields, state);
        }
      more_rows = sqlite3_step (rows) == SQLITE_ROW;
    }
  ok = TRUE;

out:
  sqlite3_finalize (rows);
  sqlite3_finalize (entries);
  return ok;
}

gboolean
mz_audit_check_records (sqlite3              *db,
                        MzAuditRecordsResult *result,
                        GError              **error)
{
  g_autoptr (GString) problems = g_string_new (NULL);
  g_autofree char *salt = NULL;
  Check check = { NULL, result, problems };
  sqlite3_stmt *kinds = NULL;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (db != NULL && result != NULL, FALSE);

  memset (result, 0, sizeof *result);
  /* The office's key for the hashes of personal values, kept beside the
   * records: what recomputes a hash is the database, not the caller. */
  if (sqlite3_prepare_v2 (db, "SELECT value FROM mz_meta WHERE key = 'audit_salt'", -1, &kinds,
                          NULL) == SQLITE_OK && sqlite3_step (kinds) == SQLITE_ROW)
    salt = g_strdup ((const char *) sqlite3_column_text (kinds, 0));
  sqlite3_finalize (kinds);
  kinds = NULL;
  check.salt = salt;
  if (sqlite3_prepare_v2 (db, "SELECT plugin, kind, definition FROM mz_schema ORDER BY plugin, kind",
                          -1, &kinds, NULL) != SQLITE_OK)
    return mz_audit_set_storage_error (error, db, "读取记录类型");
  while (ok && (rc = sqlite3_step (kinds)) == SQLITE_ROW)
    {
      ok = check_kind (&check, db, (const char *) sqlite3_column_text (kinds, 0),
                       (const char *) sqlite3_column_text (kinds, 1),
                       (const char *) sqlite3_column_text (kinds, 2), error);
      result->kinds++;
    }
  sqlite3_finalize (kinds);
  if (!ok)
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
