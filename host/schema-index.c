/* minzheng host — record kinds: dropping the plain indexes a newer schema
 * version no longer declares (split from schema.c, which creates them).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <json-glib/json-glib.h>

#include "registry.h"
#include "store-sqlite.h"

/* Same wording as schema.c's refusals of a declaration. */
static gboolean
refuse (GError       **error,
        const MzKind  *kind,
        const char    *what)
{
  g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
               "插件 %s 的记录类型 %s 声明有误：%s；请修正插件后重新构建 [kind.invalid]",
               kind->plugin->name, kind->def->name, what);
  return FALSE;
}

/* The names of the indexes the host creates for @kind's declaration:
 * "<table>_<index>" and "<table>_f_<field>" for MZ_FIELD_INDEXED fields. */
static void
wanted_index_names (const MzKind *kind,
                    GHashTable   *names)
{
  const MzKindDef *def = kind->def;

  for (guint i = 0; def->indexes != NULL && def->indexes[i].name != NULL; i++)
    g_hash_table_add (names, g_strdup_printf ("%s_%s", kind->table, def->indexes[i].name));
  for (guint i = 0; i < kind->n_fields; i++)
    if (def->fields[i].flags & MZ_FIELD_INDEXED)
      g_hash_table_add (names, g_strdup_printf ("%s_f_%s", kind->table, def->fields[i].name));
}

/* On a version raise, drops the plain indexes the host made for the older
 * declaration that the new one no longer asks for, so that no write keeps
 * paying for them.  Only names the host's scheme gives to the stored
 * declaration's indexes and fields are candidates: an index anyone else
 * made is never touched.  A unique index that is no longer declared is
 * refused instead: uniqueness is a legal rule, and dropping it would let
 * duplicates in unnoticed. */
gboolean
mz_schema_drop_stale_indexes (MzStore      *store,
                              const MzKind *kind,
                              const char   *stored_json,
                              GError      **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GHashTable) stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) unique = g_array_new (FALSE, FALSE, sizeof (gboolean));
  JsonObject *root;
  JsonArray *list;
  sqlite3_stmt *stmt;
  int rc;

  if (!json_parser_load_from_data (parser, stored_json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return refuse (error, kind, "数据库 mz_schema 中的定义已损坏");
  root = json_node_get_object (json_parser_get_root (parser));
  list = json_object_get_array_member (root, "indexes");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    g_hash_table_add (stored, g_strdup_printf ("%s_%s", kind->table,
                                               json_array_get_string_element (list, i)));
  list = json_object_get_array_member (root, "fields");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *f = json_array_get_object_element (list, i);

      if (f != NULL)
        g_hash_table_add (stored, g_strdup_printf ("%s_f_%s", kind->table,
                                                   json_object_get_string_member_with_default (f, "name", "")));
    }
  wanted_index_names (kind, wanted);

  stmt = mz_store_prepare (store, "SELECT name, \"unique\" FROM pragma_index_list(?) WHERE origin = 'c'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind->table, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      gboolean is_unique = sqlite3_column_int (stmt, 1) != 0;

      if (g_hash_table_contains (stored, name) && !g_hash_table_contains (wanted, name))
        {
          g_ptr_array_add (stale, g_strdup (name));
          g_array_append_val (unique, is_unique);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "读取索引列表", error);

  for (guint i = 0; i < stale->len; i++)
    if (g_array_index (unique, gboolean, i))
      {
        g_autofree char *what = g_strdup_printf ("数据库中已有唯一索引 %s，新声明删除了它；"
                                                 "唯一性是法定规则，唯一索引不能删除",
                                                 (const char *) g_ptr_array_index (stale, i));
        return refuse (error, kind, what);
      }
  for (guint i = 0; i < stale->len; i++)
    {
      /* The name is one the host built from validated identifiers. */
      g_autofree char *sql = g_strdup_printf ("DROP INDEX \"%s\"", (const char *) g_ptr_array_index (stale, i));

      if (!mz_store_exec (store, sql, error))
        return FALSE;
    }
  return TRUE;
}
