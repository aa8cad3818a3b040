/* minzheng host — record kinds: which plain indexes a newer schema
 * version no longer declares, to be dropped (split from schema.c; the
 * store lists and drops them, store-schema.c).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <json-glib/json-glib.h>

#include "registry.h"
#include "store-schema.h"

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

/* The names of the indexes the host creates for @kind's declaration: one
 * per declared index and one per MZ_FIELD_INDEXED field. */
static void
wanted_index_names (const MzKind *kind,
                    GHashTable   *names)
{
  const MzKindDef *def = kind->def;

  for (guint i = 0; def->indexes != NULL && def->indexes[i].name != NULL; i++)
    g_hash_table_add (names, mz_store_index_name (kind, def->indexes[i].name));
  for (guint i = 0; i < kind->n_fields; i++)
    if (def->fields[i].flags & MZ_FIELD_INDEXED)
      g_hash_table_add (names, mz_store_field_index_name (kind, def->fields[i].name));
}

typedef struct
{
  GHashTable *stored;   /* names the stored declaration gave its indexes */
  GHashTable *wanted;   /* names the new declaration gives them */
  GPtrArray *stale;     /* stored and no longer wanted */
  GArray *unique;       /* gboolean per @stale */
} MzStaleIndexes;

static void
collect_stale (const char *name,
               gboolean    is_unique,
               gpointer    user_data)
{
  MzStaleIndexes *s = user_data;

  if (g_hash_table_contains (s->stored, name) && !g_hash_table_contains (s->wanted, name))
    {
      g_ptr_array_add (s->stale, g_strdup (name));
      g_array_append_val (s->unique, is_unique);
    }
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
  MzStaleIndexes collect = { stored, wanted, stale, unique };
  JsonObject *root;
  JsonArray *list;

  if (!json_parser_load_from_data (parser, stored_json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return refuse (error, kind, "数据库 mz_schema 中的定义已损坏");
  root = json_node_get_object (json_parser_get_root (parser));
  list = json_object_get_array_member (root, "indexes");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    g_hash_table_add (stored, mz_store_index_name (kind, json_array_get_string_element (list, i)));
  list = json_object_get_array_member (root, "fields");
  for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
    {
      JsonObject *f = json_array_get_object_element (list, i);
      const char *name = f != NULL ? json_object_get_string_member_with_default (f, "name", "") : NULL;

      if (name != NULL)
        g_hash_table_add (stored, mz_store_field_index_name (kind, name));
    }
  wanted_index_names (kind, wanted);

  if (!mz_store_schema_indexes (store, kind, collect_stale, &collect, error))
    return FALSE;

  for (guint i = 0; i < stale->len; i++)
    if (g_array_index (unique, gboolean, i))
      {
        g_autofree char *what = g_strdup_printf ("数据库中已有唯一索引 %s，新声明删除了它；"
                                                 "唯一性是法定规则，唯一索引不能删除",
                                                 (const char *) g_ptr_array_index (stale, i));
        return refuse (error, kind, what);
      }
  for (guint i = 0; i < stale->len; i++)
    if (!mz_store_schema_drop_index (store, g_ptr_array_index (stale, i), error))
      return FALSE;
  return TRUE;
}
