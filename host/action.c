/* minzheng host — what guards and effects may do with the action in
 * progress (the MzHost action_* members), and conditions for finds.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "services-private.h"

const char *
mz_action_get_name (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->def->name;
}

const MzRecord *
mz_action_get_record (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->before;
}

const MzRecord *
mz_action_get_input (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->input;
}

const MzActor *
mz_action_get_actor (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->request->actor;
}

const char *
mz_action_get_reason (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->request->reason;
}

/* Setting values is for effects: a guard that writes is a plugin bug. */
static int
settable_field (MzAction   *action,
                const char *field,
                GError    **error)
{
  int index;

  g_return_val_if_fail (action != NULL, -1);
  if (!action->in_effect)
    {
      g_critical ("%s: action_set_* called outside an effect", action->kind->qualified);
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "插件在校验阶段试图修改记录，已拒绝 [action.set_in_guard]");
      return -1;
    }
  index = mz_kind_field (action->kind, field);
  if (index < 0)
    mz_field_error_set (error, MZ_FIELD_ERROR_UNKNOWN, field != NULL ? field : "(空)", NULL,
                        "unknown", "记录类型 %s 没有此字段", action->kind->qualified);
  return index;
}

gboolean
mz_action_set_text (MzAction   *action,
                    const char *field,
                    const char *value,
                    GError    **error)
{
  MzValue v = { 0 };
  int index = settable_field (action, field, error);

  if (index < 0)
    return FALSE;
  if (!mz_field_type_is_text (action->kind->def->fields[index].type))
    {
      g_critical ("%s: field %s is not a text field", action->kind->qualified, field);
      return mz_field_error_set (error, MZ_FIELD_ERROR_FORMAT, field,
                                 action->kind->def->fields[index].label, "type",
                                 "不是文本类字段，应使用 action_set_int64");
    }
  if (value != NULL && action->kind->def->fields[index].type == MZ_FIELD_ID_NUMBER)
    {
      g_autofree char *today = action->today != NULL ? g_strdup (action->today)
                                                     : mz_services_today (action->services);

      if (!mz_value_parse (&action->kind->def->fields[index], value, today, &v, error))
        return FALSE;
    }
  else if (value != NULL && !mz_value_parse (&action->kind->def->fields[index], value, NULL, &v, error))
    return FALSE;
  mz_record_take (action->after, (guint) index, &v);
  return TRUE;
}

gboolean
mz_action_set_int64 (MzAction   *action,
                     const char *field,
                     gint64      value,
                     GError    **error)
{
  MzValue v = { TRUE, value, NULL };
  int index = settable_field (action, field, error);

  if (index < 0)
    return FALSE;
  if (mz_field_type_is_text (action->kind->def->fields[index].type))
    {
      g_critical ("%s: field %s is a text field", action->kind->qualified, field);
      return mz_field_error_set (error, MZ_FIELD_ERROR_FORMAT, field,
                                 action->kind->def->fields[index].label, "type",
                                 "是文本类字段，应使用 action_set_text");
    }
  if (!mz_value_check_number (&action->kind->def->fields[index], value, error))
    return FALSE;
  mz_record_take (action->after, (guint) index, &v);
  return TRUE;
}

static gboolean
counter_ok (const char *counter)
{
  gsize n = 0;

  if (counter == NULL)
    return FALSE;
  for (; counter[n] != '\0'; n++)
    if (!g_ascii_isgraph (counter[n]))
      return FALSE;
  return n > 0 && n <= 64;
}

/* One UPSERT inside the action's transaction: the number is durable
 * exactly when the record that uses it is, so a crash can neither skip
 * nor repeat it. */
gboolean
mz_action_next_sequence (MzAction   *action,
                         const char *counter,
                         gint64     *out,
                         GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (action != NULL && out != NULL, FALSE);
  if (!action->in_effect)
    {
      g_critical ("%s: action_next_sequence called outside an effect", action->kind->qualified);
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "插件在校验阶段试图取号，已拒绝 [action.sequence_in_guard]");
      return FALSE;
    }
  if (!counter_ok (counter))
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "计数器名称“%s”无效：须为 1 到 64 个可见 ASCII 字符 [action.counter]",
                   counter != NULL ? counter : "(空)");
      return FALSE;
    }
  /* Read, then write the next value: an UPSERT … RETURNING does it in one
   * statement but collects its row in an ephemeral table, which cost more
   * than both statements together.  Only the writer runs this, inside its
   * transaction, so nothing comes between the two. */
  stmt = mz_store_prepare (action->store,
                           "SELECT value FROM mz_sequence WHERE plugin = ? AND counter = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, action->kind->plugin->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, counter, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) + 1 : 1;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "取号", error);

  stmt = mz_store_prepare (action->store,
                           *out == 1 ? "INSERT INTO mz_sequence (plugin, counter, value) VALUES (?, ?, 1)"
                                     : "UPDATE mz_sequence SET value = ?3 WHERE plugin = ?1 AND counter = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, action->kind->plugin->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, counter, -1, SQLITE_STATIC);
  if (*out != 1)
    sqlite3_bind_int64 (stmt, 3, *out);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "取号", error);
  return TRUE;
}

static const char *
op_sql (MzConditionOp op)
{
  switch (op)
    {
    case MZ_OP_EQ: return "=";
    case MZ_OP_NE: return "!=";
    case MZ_OP_LT: return "<";
    case MZ_OP_LE: return "<=";
    case MZ_OP_GT: return ">";
    case MZ_OP_GE: return ">=";
    default: return NULL;
    }
}

gboolean
mz_query_where (const MzKind       *kind,
                const MzCondition  *conditions,
                const char *const  *states,
                GString            *sql,
                GError            **error)
{
  const char *glue = " WHERE ";

  for (guint i = 0; conditions != NULL && conditions[i].field != NULL; i++)
    {
      const char *field = conditions[i].field;
      const char *op = op_sql (conditions[i].op);

      if (mz_kind_field (kind, field) < 0 && !g_str_equal (field, "id") && !g_str_equal (field, "state"))
        return mz_field_error_set (error, MZ_FIELD_ERROR_UNKNOWN, field, NULL, "unknown",
                                   "记录类型 %s 没有此字段，不能按它查询", kind->qualified);
      if (op == NULL || conditions[i].value == NULL)
        return mz_field_error_set (error, MZ_FIELD_ERROR_FORMAT, field, NULL, "condition",
                                   "查询条件的比较符或值无效");
      /* The name passed mz_kind_field, so it is a validated identifier. */
      g_string_append_printf (sql, "%s\"%s\" %s ?", glue, field, op);
      glue = " AND ";
    }
  if (states != NULL && states[0] != NULL)
    {
      g_string_append_printf (sql, "%sstate IN (", glue);
      for (guint i = 0; states[i] != NULL; i++)
        g_string_append (sql, i > 0 ? ", ?" : "?");
      g_string_append (sql, ")");
    }
  return TRUE;
}

void
mz_query_bind (const MzKind       *kind,
               sqlite3_stmt       *stmt,
               int                 first_param,
               const MzCondition  *conditions,
               const char *const  *states)
{
  int param = first_param;

  for (guint i = 0; conditions != NULL && conditions[i].field != NULL; i++, param++)
    {
      int index = mz_kind_field (kind, conditions[i].field);
      gboolean numeric = g_str_equal (conditions[i].field, "id")
                         || (index >= 0 && !mz_field_type_is_text (kind->def->fields[index].type));
      gint64 n;

      if (numeric && g_ascii_string_to_signed (conditions[i].value, 10, G_MININT64, G_MAXINT64, &n, NULL))
        sqlite3_bind_int64 (stmt, param, n);
      else
        sqlite3_bind_text (stmt, param, conditions[i].value, -1, SQLITE_TRANSIENT);
    }
  for (guint i = 0; states != NULL && states[i] != NULL; i++, param++)
    sqlite3_bind_text (stmt, param, states[i], -1, SQLITE_TRANSIENT);
}

/* The SELECT of a find by @conditions and @states on @kind, built once
 * per shape (fields, operators, number of states) and kept: guards run
 * the same few finds for every action, and a string at a fixed address
 * finds its prepared statement without hashing the whole text.
 * Writer thread only. */
static const char *
find_sql (MzAction           *action,
          const MzKind       *kind,
          const MzCondition  *conditions,
          const char *const  *states,
          GError            **error)
{
  MzServices *services = action->services;
  g_autoptr (GString) key = g_string_sized_new (128);
  g_autoptr (GString) sql = NULL;
  const char *cached;
  guint n_states = states != NULL ? g_strv_length ((char **) states) : 0;

  g_string_append (key, kind->qualified);
  for (guint i = 0; conditions != NULL && conditions[i].field != NULL; i++)
    {
      g_string_append_c (key, '|');
      g_string_append (key, conditions[i].field);
      g_string_append_c (key, (char) ('0' + (int) conditions[i].op));
    }
  g_string_append_c (key, '|');
  if (n_states < 10)
    g_string_append_c (key, (char) ('0' + n_states));
  else
    g_string_append_printf (key, "%u", n_states);

  if (services->find_sql == NULL)
    services->find_sql = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  cached = g_hash_table_lookup (services->find_sql, key->str);
  if (cached != NULL)
    return cached;

  sql = g_string_new (kind->select_sql);
  if (!mz_query_where (kind, conditions, states, sql, error))
    return NULL;
  g_string_append (sql, " ORDER BY id");
  cached = sql->str;
  g_hash_table_insert (services->find_sql, g_string_free (g_steal_pointer (&key), FALSE),
                       g_string_free (g_steal_pointer (&sql), FALSE));
  return cached;
}

gboolean
mz_action_find (MzAction           *action,
                const char         *kind_name,
                const MzCondition  *conditions,
                const char *const  *states,
                MzRecordFunc        func,
                gpointer            user_data,
                GError            **error)
{
  const MzKind *kind;
  const char *sql;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (action != NULL && func != NULL, FALSE);

  kind = mz_services_lookup_kind (action->services, action->kind->plugin->name, kind_name);
  if (kind == NULL)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "插件 %s 没有记录类型“%s” [action.find_kind]",
                   action->kind->plugin->name, kind_name != NULL ? kind_name : "(空)");
      return FALSE;
    }
  sql = find_sql (action, kind, conditions, states, error);
  if (sql == NULL)
    return FALSE;
  stmt = mz_store_prepare (action->store, sql, error);
  if (stmt == NULL)
    return FALSE;
  mz_query_bind (kind, stmt, 1, conditions, states);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (MzRecord) record = mz_record_from_row (kind, stmt);

      if (!func (record, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "查找记录", error);
  return TRUE;
}
