/* minzheng host — record kinds: checking a plugin's declaration, and
 * what a migration of its table may do.  The statements that create and
 * migrate the table are the store's (store-schema.c).
 *
 * Every identifier that reaches the database (table, column, index and
 * state names) comes from a declaration that passed mz_kind_new's checks;
 * nothing from a request ever does.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "registry.h"
#include "store-schema.h"

#define MZ_NAME_MAX 48

static const char *const reserved_columns[] = {
  "id", "state", "version", "created_at", "updated_at", NULL
};

/* Host columns a plain (not unique) index may name besides declared fields,
 * so that a report filtering by state gets a covering index such as
 * (state, approved_date, amount).  Unique keys stay on declared fields:
 * the uniqueness check before a write reads them from the record. */
static const char *const index_host_columns[] = {
  "id", "state", "created_at", "updated_at", NULL
};

static gboolean
name_ok (const char *name)
{
  gsize n;

  if (name == NULL || !g_ascii_islower (name[0]))
    return FALSE;
  for (n = 0; name[n] != '\0'; n++)
    if (!g_ascii_islower (name[n]) && !g_ascii_isdigit (name[n]) && name[n] != '_')
      return FALSE;
  return n <= MZ_NAME_MAX;
}

/* "marriage.approve", "personal.read": dotted lower-case names. */
static gboolean
permission_ok (const char *permission)
{
  g_auto (GStrv) parts = NULL;

  if (permission == NULL || permission[0] == '\0')
    return FALSE;
  parts = g_strsplit (permission, ".", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (!name_ok (parts[i]))
      return FALSE;
  return TRUE;
}

static gboolean
label_ok (const char *label)
{
  return label != NULL && label[0] != '\0' && g_utf8_validate (label, -1, NULL);
}

static gboolean
bad (GError    **error,
     const char *plugin,
     const char *kind,
     const char *format,
     ...) G_GNUC_PRINTF (4, 5);

/* Every refusal names the plugin and kind, then what is wrong. */
static gboolean
bad (GError    **error,
     const char *plugin,
     const char *kind,
     const char *format,
     ...)
{
  va_list ap;
  g_autofree char *what = NULL;

  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
               "插件 %s 的记录类型 %s 声明有误：%s；请修正插件后重新构建 [kind.invalid]",
               plugin, kind != NULL ? kind : "(无名)", what);
  return FALSE;
}

static gboolean
in_list (const char *const *list,
         const char        *name)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    if (g_strcmp0 (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
check_field (const MzKindDef   *def,
             const char        *plugin,
             const MzFieldDef  *f,
             GPtrArray         *siblings,
             GHashTable        *seen,
             gboolean          *personal,
             GError           **error)
{
  const char *k = def->name;

  if (!name_ok (f->name))
    return bad (error, plugin, k, "字段名 “%s” 须为小写字母开头的 [a-z0-9_]，至多 %d 个字符",
                f->name, MZ_NAME_MAX);
  if (in_list (reserved_columns, f->name))
    return bad (error, plugin, k, "字段名 %s 与主机自带的列重名", f->name);
  if (!g_hash_table_add (seen, (gpointer) f->name))
    return bad (error, plugin, k, "字段 %s 重复声明", f->name);
  if (!label_ok (f->label))
    return bad (error, plugin, k, "字段 %s 缺少中文标签", f->name);
  if (f->type < MZ_FIELD_TEXT || f->type > MZ_FIELD_DATETIME)
    return bad (error, plugin, k, "字段 %s 的类型 %d 未定义", f->name, (int) f->type);
  if ((f->flags & ~(MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL | MZ_FIELD_INDEXED | MZ_FIELD_LEGACY_ID)) != 0)
    return bad (error, plugin, k, "字段 %s 的标志 0x%x 含未定义的位", f->name, (guint) f->flags);
  if ((f->flags & MZ_FIELD_LEGACY_ID) && f->type != MZ_FIELD_ID_NUMBER)
    return bad (error, plugin, k, "字段 %s 不是身份证号码，不能标记 LEGACY_ID", f->name);
  if (f->type != MZ_FIELD_TEXT && f->max_length != 0)
    return bad (error, plugin, k, "字段 %s 不是文本，不能声明 max_length", f->name);
  if (f->max_length > 65536)
    return bad (error, plugin, k, "字段 %s 的 max_length %u 超过上限 65536", f->name, f->max_length);
  if (f->type != MZ_FIELD_INTEGER && f->type != MZ_FIELD_MONEY && (f->min != 0 || f->max != 0))
    return bad (error, plugin, k, "字段 %s 不是整数或金额，不能声明 min/max", f->name);
  if (f->min > f->max && f->max != 0)
    return bad (error, plugin, k, "字段 %s 的 min %" G_GINT64_FORMAT " 大于 max %" G_GINT64_FORMAT,
                f->name, f->min, f->max);
  if (f->since > def->schema_version)
    return bad (error, plugin, k, "字段 %s 的 since %u 大于 schema_version %u",
                f->name, f->since, def->schema_version);

  if (f->type == MZ_FIELD_ENUM)
    {
      g_autoptr (GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
      guint n = 0;

      for (; f->enum_values != NULL && f->enum_values[n].value != NULL; n++)
        {
          const MzEnumValue *v = &f->enum_values[n];

          if (!name_ok (v->value))
            return bad (error, plugin, k, "字段 %s 的枚举值 “%s” 须为 [a-z][a-z0-9_]*",
                        f->name, v->value);
          if (!label_ok (v->label))
            return bad (error, plugin, k, "字段 %s 的枚举值 %s 缺少中文标签", f->name, v->value);
          if (!g_hash_table_add (values, (gpointer) v->value))
            return bad (error, plugin, k, "字段 %s 的枚举值 %s 重复", f->name, v->value);
        }
      if (n == 0)
        return bad (error, plugin, k, "枚举字段 %s 没有可选值", f->name);
    }
  else if (f->enum_values != NULL)
    return bad (error, plugin, k, "字段 %s 不是枚举，不能声明 enum_values", f->name);

  if (f->type == MZ_FIELD_REFERENCE)
    {
      gboolean found = g_strcmp0 (f->reference_kind, def->name) == 0;

      for (guint i = 0; !found && siblings != NULL && i < siblings->len; i++)
        found = g_strcmp0 (((MzKind *) g_ptr_array_index (siblings, i))->def->name,
                           f->reference_kind) == 0;
      if (!found)
        return bad (error, plugin, k,
                    "引用字段 %s 指向的记录类型 “%s” 不存在（须为本插件先注册的类型或本类型）",
                    f->name, f->reference_kind != NULL ? f->reference_kind : "(空)");
    }
  else if (f->reference_kind != NULL)
    return bad (error, plugin, k, "字段 %s 不是引用，不能声明 reference_kind", f->name);

  if (f->flags & MZ_FIELD_PERSONAL)
    *personal = TRUE;
  return TRUE;
}

/* Each name must be a declared field, or one of @host_columns (NULL: none). */
static gboolean
check_fields_list (const MzKindDef   *def,
                   const char        *plugin,
                   const char *const *names,
                   GHashTable        *fields,
                   const char *const *host_columns,
                   const char        *what,
                   const char        *owner,
                   GError           **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      if (!g_hash_table_contains (fields, names[i]) && !in_list (host_columns, names[i]))
        return bad (error, plugin, def->name, "%s %s 引用了未声明的字段 “%s”", what, owner, names[i]);
      if (!g_hash_table_add (seen, (gpointer) names[i]))
        return bad (error, plugin, def->name, "%s %s 重复列出字段 %s", what, owner, names[i]);
    }
  return TRUE;
}

static gboolean
check_states_list (const MzKindDef   *def,
                   const char        *plugin,
                   const char *const *names,
                   GHashTable        *states,
                   const char        *what,
                   const char        *owner,
                   GError           **error)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    if (!g_hash_table_contains (states, names[i]))
      return bad (error, plugin, def->name, "%s %s 引用了未声明的状态 “%s”", what, owner, names[i]);
  return TRUE;
}

static gboolean
check_indexes (const MzKindDef *def,
               const char      *plugin,
               GHashTable      *fields,
               GHashTable      *states,
               GError         **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; def->indexes != NULL && def->indexes[i].name != NULL; i++)
    {
      const MzIndexDef *ix = &def->indexes[i];

      if (!name_ok (ix->name))
        return bad (error, plugin, def->name, "索引名 “%s” 须为 [a-z][a-z0-9_]*", ix->name);
      if (!g_hash_table_add (seen, (gpointer) ix->name))
        return bad (error, plugin, def->name, "索引 %s 重复声明", ix->name);
      if (ix->fields == NULL || ix->fields[0] == NULL)
        return bad (error, plugin, def->name, "索引 %s 没有字段", ix->name);
      if (!check_fields_list (def, plugin, ix->fields, fields, ix->unique ? NULL : index_host_columns,
                              "索引", ix->name, error))
        return FALSE;
      if (ix->unless_states != NULL && !ix->unique)
        return bad (error, plugin, def->name, "索引 %s 不是唯一键，不能声明 unless_states", ix->name);
      if (!check_states_list (def, plugin, ix->unless_states, states, "索引", ix->name, error))
        return FALSE;
      if (ix->since > def->schema_version)
        return bad (error, plugin, def->name, "索引 %s 的 since %u 大于 schema_version %u",
                    ix->name, ix->since, def->schema_version);
    }
  return TRUE;
}

static gboolean
check_actions (const MzKindDef *def,
               const char      *plugin,
               GHashTable      *fields,
               GHashTable      *states,
               GError         **error)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean has_create = FALSE;
  guint n;

  for (n = 0; def->actions[n].name != NULL; n++)
    {
      const MzActionDef *a = &def->actions[n];

      if (!name_ok (a->name))
        return bad (error, plugin, def->name, "操作名 “%s” 须为 [a-z][a-z0-9_]*", a->name);
      if (!g_hash_table_add (seen, (gpointer) a->name))
        return bad (error, plugin, def->name, "操作 %s 重复声明", a->name);
      if (!label_ok (a->label))
        return bad (error, plugin, def->name, "操作 %s 缺少中文标签", a->name);
      if ((a->flags & ~(MZ_ACTION_CREATE | MZ_ACTION_SYSTEM | MZ_ACTION_REASON_REQUIRED)) != 0)
        return bad (error, plugin, def->name, "操作 %s 的标志 0x%x 含未定义的位", a->name, (guint) a->flags);
      if (a->flags & MZ_ACTION_CREATE)
        {
          has_create = TRUE;
          if (a->from != NULL && a->from[0] != NULL)
            return bad (error, plugin, def->name, "新建操作 %s 不能声明 from 状态", a->name);
        }
      else
        {
          if (a->from == NULL || a->from[0] == NULL)
            return bad (error, plugin, def->name, "操作 %s 不是新建操作，须声明 from 状态", a->name);
          if (!check_states_list (def, plugin, a->from, states, "操作", a->name, error))
            return FALSE;
          for (guint i = 0; a->from[i] != NULL; i++)
            if (((const MzStateDef *) g_hash_table_lookup (states, a->from[i]))->final)
              return bad (error, plugin, def->name, "操作 %s 从终结状态 %s 出发", a->name, a->from[i]);
        }
      if (a->to == NULL || !g_hash_table_contains (states, a->to))
        return bad (error, plugin, def->name, "操作 %s 的目标状态 “%s” 未声明", a->name,
                    a->to != NULL ? a->to : "(空)");
      if (!permission_ok (a->permission))
        return bad (error, plugin, def->name, "操作 %s 的权限 “%s” 须为点分的小写名称（如 %s.%s）",
                    a->name, a->permission != NULL ? a->permission : "(空)", plugin, a->name);
      if (!check_fields_list (def, plugin, a->inputs, fields, NULL, "操作", a->name, error))
        return FALSE;
    }
  if (n == 0 || !has_create)
    return bad (error, plugin, def->name, "至少须有一个新建操作（MZ_ACTION_CREATE）");

  /* distinct_from may name any action of the kind, declared before or after. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; def->actions[i].distinct_from != NULL && def->actions[i].distinct_from[j] != NULL; j++)
      if (!g_hash_table_contains (seen, def->actions[i].distinct_from[j]))
        return bad (error, plugin, def->name, "操作 %s 的 distinct_from 引用了未声明的操作 “%s”",
                    def->actions[i].name, def->actions[i].distinct_from[j]);
  return TRUE;
}

static gboolean
text_type (MzFieldType type)
{
  return type != MZ_FIELD_INTEGER && type != MZ_FIELD_MONEY && type != MZ_FIELD_BOOLEAN
         && type != MZ_FIELD_REFERENCE;
}

MzKind *
mz_kind_new (MzPlugin        *plugin,
             const MzKindDef *def,
             GPtrArray       *siblings,
             GError         **error)
{
  g_autoptr (MzKind) kind = NULL;
  g_autoptr (GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) states = g_hash_table_new (g_str_hash, g_str_equal);
  const char *p = plugin->name;
  gboolean personal = FALSE;
  guint n;

  g_return_val_if_fail (plugin != NULL && plugin->name != NULL, NULL);

  if (def == NULL)
    return bad (error, p, NULL, "声明为空指针"), NULL;
  if (def->struct_size < offsetof (MzKindDef, reserved))
    return bad (error, p, NULL, "struct_size %" G_GSIZE_FORMAT " 太小；请用 MZ_KIND_DEF_INIT",
                def->struct_size), NULL;
  if (!name_ok (def->name))
    return bad (error, p, def->name, "类型名须为小写字母开头的 [a-z0-9_]，至多 %d 个字符",
                MZ_NAME_MAX), NULL;
  if (!label_ok (def->label))
    return bad (error, p, def->name, "缺少中文标签"), NULL;
  if (def->schema_version < 1)
    return bad (error, p, def->name, "schema_version 须从 1 开始"), NULL;
  if (def->states == NULL || def->states[0].name == NULL)
    return bad (error, p, def->name, "没有声明状态"), NULL;
  if (def->actions == NULL)
    return bad (error, p, def->name, "没有声明操作"), NULL;

  for (n = 0; def->states[n].name != NULL; n++)
    {
      if (!name_ok (def->states[n].name))
        return bad (error, p, def->name, "状态名 “%s” 须为 [a-z][a-z0-9_]*", def->states[n].name), NULL;
      if (!label_ok (def->states[n].label))
        return bad (error, p, def->name, "状态 %s 缺少中文标签", def->states[n].name), NULL;
      if (!g_hash_table_insert (states, (gpointer) def->states[n].name, (gpointer) &def->states[n]))
        return bad (error, p, def->name, "状态 %s 重复声明", def->states[n].name), NULL;
    }

  kind = g_new0 (MzKind, 1);
  kind->plugin = plugin;
  kind->def = def;
  kind->field_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (n = 0; def->fields != NULL && def->fields[n].name != NULL; n++)
    {
      if (!check_field (def, p, &def->fields[n], siblings, fields, &personal, error))
        return NULL;
      g_hash_table_insert (kind->field_index, (gpointer) def->fields[n].name, GUINT_TO_POINTER (n + 1));
    }
  kind->n_fields = n;
  kind->has_personal = personal;

  if (!check_indexes (def, p, fields, states, error)
      || !check_actions (def, p, fields, states, error))
    return NULL;

  kind->table = g_strdup_printf ("%s_%s", p, def->name);
  kind->qualified = g_strdup_printf ("%s.%s", p, def->name);
  if (g_str_has_prefix (kind->table, "mz_") || g_str_has_prefix (kind->table, "sqlite_")
      || strlen (kind->table) > 2 * MZ_NAME_MAX)
    return bad (error, p, def->name, "表名 %s 与主机保留的名称冲突", kind->table), NULL;
  for (guint i = 0; siblings != NULL && i < siblings->len; i++)
    if (g_strcmp0 (((MzKind *) g_ptr_array_index (siblings, i))->def->name, def->name) == 0)
      return bad (error, p, def->name, "同名的记录类型已注册"), NULL;
  kind->store = mz_store_kind_new (kind);
  return g_steal_pointer (&kind);
}

void
mz_kind_free (MzKind *kind)
{
  if (kind == NULL)
    return;
  g_clear_pointer (&kind->field_index, g_hash_table_destroy);
  g_free (kind->table);
  g_free (kind->qualified);
  g_clear_pointer (&kind->store, mz_store_kind_free);
  g_free (kind);
}

int
mz_kind_field (const MzKind *kind,
               const char   *name)
{
  gpointer v;

  if (name == NULL)
    return -1;
  v = g_hash_table_lookup (kind->field_index, name);
  return v != NULL ? (int) GPOINTER_TO_UINT (v) - 1 : -1;
}

const MzActionDef *
mz_kind_action (const MzKind *kind,
                const char   *name)
{
  for (guint i = 0; name != NULL && kind->def->actions[i].name != NULL; i++)
    if (strcmp (kind->def->actions[i].name, name) == 0)
      return &kind->def->actions[i];
  return NULL;
}

const MzStateDef *
mz_kind_state (const MzKind *kind,
               const char   *name)
{
  for (guint i = 0; name != NULL && kind->def->states[i].name != NULL; i++)
    if (strcmp (kind->def->states[i].name, name) == 0)
      return &kind->def->states[i];
  return NULL;
}

/* --- migration ------------------------------------------------------------ */

/* The definition as stored in mz_schema: what migration compares against. */
static char *
definition_json (const MzKind *kind)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  const MzKindDef *def = kind->def;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fields");
  json_builder_begin_array (b);
  for (guint i = 0; i < kind->n_fields; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, def->fields[i].name);
      json_builder_set_member_name (b, "type");
      json_builder_add_int_value (b, def->fields[i].type);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "indexes");
  json_builder_begin_array (b);
  for (guint i = 0; def->indexes != NULL && def->indexes[i].name != NULL; i++)
    json_builder_add_string_value (b, def->indexes[i].name);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

/* Checks the stored definition against the new one: a lower version, a
 * removed field or a field whose type changed is refused, fields added
 * without raising the version too. */
static gboolean
check_migration (const MzKind *kind,
                 gint64        stored_version,
                 const char   *stored_json,
                 gboolean     *needs_change,
                 GError      **error)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  const char *p = kind->plugin->name;
  JsonArray *fields;
  guint version = kind->def->schema_version;

  if (version < stored_version)
    return bad (error, p, kind->def->name,
                "schema_version %u 低于数据库中已存的 %" G_GINT64_FORMAT
                "：数据库由更新版本的插件写入，请安装该版本的插件", version, stored_version);
  if (!json_parser_load_from_data (parser, stored_json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return bad (error, p, kind->def->name, "数据库 mz_schema 中的定义已损坏");
  fields = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "fields");
  if (fields == NULL)
    return bad (error, p, kind->def->name, "数据库 mz_schema 中的定义已损坏");

  for (guint i = 0; i < json_array_get_length (fields); i++)
    {
      JsonObject *f = json_array_get_object_element (fields, i);
      const char *name = f != NULL ? json_object_get_string_member_with_default (f, "name", "") : "";
      gint64 type = f != NULL ? json_object_get_int_member_with_default (f, "type", 0) : 0;
      int index = mz_kind_field (kind, name);

      if (index < 0)
        return bad (error, p, kind->def->name,
                    "数据库中已有字段 %s，新声明删除了它；字段只能增加不能删除", name);
      if (text_type (kind->def->fields[index].type) != text_type ((MzFieldType) type))
        return bad (error, p, kind->def->name, "字段 %s 的存储类型被改变；字段类型不能更改", name);
    }
  *needs_change = kind->n_fields != json_array_get_length (fields);
  if (*needs_change && version == stored_version)
    return bad (error, p, kind->def->name,
                "增加了字段却未提高 schema_version（仍为 %u）；请将其加一", version);
  return TRUE;
}

gboolean
mz_schema_apply (MzStore    *store,
                 MzStoreTxn *txn,
                 gpointer    data,
                 GError    **error)
{
  const MzKind *kind = data;
  g_autofree char *json = definition_json (kind);
  g_autofree char *other = NULL;
  g_autofree char *stored = NULL;
  gboolean needs_change = TRUE;
  gint64 stored_version = 0;

  /* "a_b" + "c" and "a" + "b_c" would share table a_b_c: the second to
   * come is refused, so no plugin ever writes into another's table. */
  if (!mz_store_schema_table_owner (store, kind, &other, error))
    return FALSE;
  if (other != NULL)
    return bad (error, kind->plugin->name, kind->def->name,
                "表名 %s 已属于 %s；请换一个类型名", kind->table, other);

  if (!mz_store_schema_stored (store, kind, &stored_version, &stored, error))
    return FALSE;
  if (stored != NULL && !check_migration (kind, stored_version, stored, &needs_change, error))
    return FALSE;

  if (!mz_store_schema_sync_table (store, kind, error))
    return FALSE;
  if (stored != NULL && stored_version < kind->def->schema_version
      && !mz_schema_drop_stale_indexes (store, kind, stored, error))
    return FALSE;
  return mz_store_schema_record (store, kind, json, error);
}
