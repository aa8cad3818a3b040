/* minzheng host — records in the office database (SQLite): see
 * store-records.h.  The writer's operations run inside the batch's
 * transaction, on statements the store prepares once; rows become records
 * and values become parameters only here.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "store-records.h"
#include "store-sqlite.h"

/* The current row of @stmt, whose columns are those of the kind's
 * select_sql, as a new record. */
static MzRecord *
record_from_row (const MzKind *kind,
                 sqlite3_stmt *stmt)
{
  MzRecord *record = mz_record_new (kind);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->state = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  record->version = sqlite3_column_int64 (stmt, 2);
  record->created_at = sqlite3_column_int64 (stmt, 3);
  record->updated_at = sqlite3_column_int64 (stmt, 4);
  for (guint i = 0; i < kind->n_fields; i++)
    {
      int col = MZ_KIND_FIRST_FIELD_COLUMN + (int) i;
      MzValue *v = &record->values[i];

      if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
        continue;
      v->set = TRUE;
      if (mz_field_type_is_text (kind->def->fields[i].type))
        v->text = g_strdup ((const char *) sqlite3_column_text (stmt, col));
      else
        v->number = sqlite3_column_int64 (stmt, col);
    }
  return record;
}

/* Binds @value (NULL when unset) of @field to parameter @param. */
static void
value_bind (sqlite3_stmt     *stmt,
            int               param,
            const MzFieldDef *field,
            const MzValue    *value)
{
  if (value == NULL || !value->set)
    sqlite3_bind_null (stmt, param);
  else if (mz_field_type_is_text (field->type))
    sqlite3_bind_text (stmt, param, value->text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_int64 (stmt, param, value->number);
}

gboolean
mz_store_record_load (MzStore       *store,
                      const MzKind  *kind,
                      gint64         id,
                      MzRecord     **out,
                      GError       **error)
{
  sqlite3_stmt *stmt = mz_store_prepare (store, kind->store->select_id_sql, error);
  int rc;

  *out = NULL;
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = record_from_row (kind, stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "读取记录", error);
  return TRUE;
}

/* After the unique index refused a write: which key, held by which
 * record?  Asked only then, so the common case pays for one index probe. */
static gboolean
unique_holder_error (MzStore        *store,
                     const MzKind   *kind,
                     const MzRecord *record,
                     GError        **error)
{
  const MzKindDef *def = kind->def;

  for (guint i = 0; def->indexes != NULL && def->indexes[i].name != NULL; i++)
    {
      const MzIndexDef *ix = &def->indexes[i];
      g_autoptr (GString) sql = NULL;
      gboolean complete = TRUE;
      sqlite3_stmt *stmt;
      int rc, param = 1;

      if (!ix->unique
          || (ix->unless_states != NULL && g_strv_contains (ix->unless_states, record->state)))
        continue;
      for (guint j = 0; ix->fields[j] != NULL && complete; j++)
        complete = record->values[mz_kind_field (kind, ix->fields[j])].set;
      if (!complete)
        continue;

      sql = g_string_new (NULL);
      g_string_append_printf (sql, "SELECT id FROM \"%s\" WHERE id != ?", kind->table);
      for (guint j = 0; ix->fields[j] != NULL; j++)
        g_string_append_printf (sql, " AND \"%s\" = ?", ix->fields[j]);
      for (guint j = 0; ix->unless_states != NULL && ix->unless_states[j] != NULL; j++)
        g_string_append_printf (sql, "%s'%s'", j == 0 ? " AND state NOT IN (" : ", ", ix->unless_states[j]);
      if (ix->unless_states != NULL && ix->unless_states[0] != NULL)
        g_string_append (sql, ")");
      g_string_append (sql, " LIMIT 1");

      stmt = mz_store_prepare (store, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, param++, record->id);
      for (guint j = 0; ix->fields[j] != NULL; j++)
        {
          int f = mz_kind_field (kind, ix->fields[j]);
          value_bind (stmt, param++, &def->fields[f], &record->values[f]);
        }
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          gint64 holder = sqlite3_column_int64 (stmt, 0);
          int f = mz_kind_field (kind, ix->fields[0]);

          sqlite3_reset (stmt);
          return mz_field_error_set (error, MZ_FIELD_ERROR_DUPLICATE, def->fields[f].name,
                                     def->fields[f].label, "duplicate",
                                     "已由%s记录 #%" G_GINT64_FORMAT " 占用（唯一键 %s），不能重复办理",
                                     def->label, holder, ix->name);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return mz_store_set_error (sqlite3_db_handle (stmt), rc, "检查唯一键", error);
    }
  return TRUE;
}

gboolean
mz_store_record_write (MzStore      *store,
                       const MzKind *kind,
                       MzRecord     *record,
                       gboolean      create,
                       gint64        now,
                       GError      **error)
{
  sqlite3_stmt *stmt;
  int rc, param = 1;

  stmt = mz_store_prepare (store, create ? kind->store->insert_sql : kind->store->update_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, param++, record->state, -1, SQLITE_TRANSIENT);
  if (create)
    sqlite3_bind_int64 (stmt, param++, now);
  sqlite3_bind_int64 (stmt, param++, now);
  for (guint i = 0; i < kind->n_fields; i++)
    value_bind (stmt, param++, &kind->def->fields[i], &record->values[i]);
  if (!create)
    {
      sqlite3_bind_int64 (stmt, param++, record->id);
      sqlite3_bind_int64 (stmt, param++, record->version);
    }
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_UNIQUE && !unique_holder_error (store, kind, record, error))
    return FALSE;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    {
      g_set_error (error, MZ_FIELD_ERROR,
                   rc == SQLITE_CONSTRAINT_UNIQUE ? MZ_FIELD_ERROR_DUPLICATE : MZ_FIELD_ERROR_REFERENCE,
                   "%s：%s [field.%s]", kind->def->label,
                   rc == SQLITE_CONSTRAINT_UNIQUE ? "唯一键已被其他记录占用" : "引用的记录不存在",
                   rc == SQLITE_CONSTRAINT_UNIQUE ? "duplicate" : "reference.missing");
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "保存记录", error);
  if (create)
    {
      record->id = sqlite3_last_insert_rowid (sqlite3_db_handle (stmt));
      record->version = 1;
      record->created_at = now;
    }
  else
    {
      if (sqlite3_changes (sqlite3_db_handle (stmt)) != 1)
        {
          g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_STALE,
                       "记录 #%" G_GINT64_FORMAT " 已被他人修改，请刷新后重试 [record.stale]", record->id);
          return FALSE;
        }
      record->version++;
    }
  record->updated_at = now;
  return TRUE;
}

gboolean
mz_store_record_exists (MzStore    *store,
                        const char *plugin,
                        const char *kind_name,
                        gint64      id,
                        gboolean   *exists,
                        GError    **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT 1 FROM \"%s_%s\" WHERE id = ?", plugin, kind_name);
  sqlite3_stmt *stmt = mz_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "检查引用", error);
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
mz_store_record_history_append (MzStore       *store,
                                const MzKind  *kind,
                                gint64         id,
                                const char    *action,
                                const MzActor *actor,
                                gint64         version,
                                gint64         now,
                                GError       **error)
{
  sqlite3_stmt *stmt = mz_store_prepare (store,
                                         "INSERT INTO mz_record_action (plugin, kind, record_id, action,"
                                         " actor_user, actor_role, time_usec, version)"
                                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind->plugin->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind->def->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, id);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, actor->user, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 6, actor->role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, now);
  sqlite3_bind_int64 (stmt, 8, version);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "保存办理记录", error);
  return TRUE;
}

GPtrArray *
mz_store_record_actions_by (MzStore      *store,
                            const MzKind *kind,
                            gint64        id,
                            const char   *user,
                            GError      **error)
{
  g_autoptr (GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = mz_store_prepare (store,
                           "SELECT action FROM mz_record_action WHERE plugin = ? AND kind = ?"
                           " AND record_id = ? AND actor_user = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, kind->plugin->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind->def->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, id);
  sqlite3_bind_text (stmt, 4, user, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (actions, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      mz_store_set_error (sqlite3_db_handle (stmt), rc, "读取办理记录", error);
      return NULL;
    }
  return g_steal_pointer (&actions);
}

/* Read, then write the next value: an UPSERT … RETURNING does it in one
 * statement but collects its row in an ephemeral table, which cost more
 * than both statements together.  Only the writer runs this, inside its
 * transaction, so nothing comes between the two. */
gboolean
mz_store_sequence_next (MzStore    *store,
                        const char *plugin,
                        const char *counter,
                        gint64     *out,
                        GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = mz_store_prepare (store,
                           "SELECT value FROM mz_sequence WHERE plugin = ? AND counter = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, plugin, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, counter, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) + 1 : 1;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "取号", error);

  stmt = mz_store_prepare (store,
                           *out == 1 ? "INSERT INTO mz_sequence (plugin, counter, value) VALUES (?, ?, 1)"
                                     : "UPDATE mz_sequence SET value = ?3 WHERE plugin = ?1 AND counter = ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, plugin, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, counter, -1, SQLITE_STATIC);
  if (*out != 1)
    sqlite3_bind_int64 (stmt, 3, *out);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "取号", error);
  return TRUE;
}

gboolean
mz_store_request_begin (MzStore *store,
                        GError **error)
{
  return mz_store_step (store, "SAVEPOINT mz_request", error);
}

gboolean
mz_store_request_end (MzStore  *store,
                      gboolean  keep,
                      GError  **error)
{
  if (!keep)
    mz_store_note_rollback (store);
  if (!keep && !mz_store_step (store, "ROLLBACK TO mz_request", error))
    return FALSE;
  return mz_store_step (store, "RELEASE mz_request", error);
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

/* Appends "WHERE …" for @conditions and @states over @kind to @sql, with
 * `?` parameters bound by query_bind; refuses undeclared fields.  Shared
 * by the finds on the writer and on read-only connections. */
static gboolean
query_where (const MzKind       *kind,
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

static void
query_bind (const MzKind       *kind,
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
find_sql (MzStore            *store,
          const MzKind       *kind,
          const MzCondition  *conditions,
          const char *const  *states,
          GError            **error)
{
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

  cached = mz_store_sql_lookup (store, key->str);
  if (cached != NULL)
    return cached;

  sql = g_string_new (kind->store->select_sql);
  if (!query_where (kind, conditions, states, sql, error))
    return NULL;
  g_string_append (sql, " ORDER BY id");
  return mz_store_sql_keep (store, key->str, g_string_free (g_steal_pointer (&sql), FALSE));
}

gboolean
mz_store_record_find (MzStore            *store,
                      const MzKind       *kind,
                      const MzCondition  *conditions,
                      const char *const  *states,
                      MzRecordFunc        func,
                      gpointer            user_data,
                      GError            **error)
{
  const char *sql = find_sql (store, kind, conditions, states, error);
  sqlite3_stmt *stmt;
  int rc;

  if (sql == NULL)
    return FALSE;
  stmt = mz_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  query_bind (kind, stmt, 1, conditions, states);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (MzRecord) record = record_from_row (kind, stmt);

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

gboolean
mz_store_record_read (MzStore       *store,
                      const MzKind  *kind,
                      gint64         id,
                      MzRecord     **out,
                      GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  MzStoreReader *reader;
  sqlite3 *db;
  int rc;

  *out = NULL;
  reader = mz_store_reader_acquire (store, error);
  if (reader == NULL)
    return FALSE;
  db = mz_store_reader_db (reader);
  rc = sqlite3_prepare_v2 (db, kind->store->select_id_sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        *out = record_from_row (kind, stmt);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    mz_store_set_error (db, rc, "读取记录", error);
  sqlite3_finalize (stmt);
  mz_store_reader_release (store, reader);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

static void
bind_value (sqlite3_stmt  *stmt,
            int            param,
            const MzValue *value)
{
  if (value->text != NULL)
    sqlite3_bind_text (stmt, param, value->text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_int64 (stmt, param, value->number);
}

gboolean
mz_store_record_read_many (MzStore                *store,
                           const MzKind           *kind,
                           const MzStoreReadQuery *query,
                           MzRecordFunc            func,
                           gpointer                user_data,
                           GError                **error)
{
  g_autoptr (GString) sql = g_string_new (kind->store->select_sql);
  sqlite3_stmt *stmt = NULL;
  const char *glue = " WHERE ";
  MzStoreReader *reader;
  sqlite3 *db;
  int rc, param = 1;
  guint n_conditions = 0;

  for (guint i = 0; query->conditions != NULL && query->conditions[i].field != NULL; i++)
    n_conditions++;
  if (!query_where (kind, query->conditions, query->states, sql, error))
    return FALSE;
  if (n_conditions > 0 || (query->states != NULL && query->states[0] != NULL))
    glue = " AND ";
  /* Names come from the declaration (the caller checked the period
   * field), values are bound. */
  if (query->period_field != NULL && query->period_from.set)
    {
      g_string_append_printf (sql, "%s\"%s\" >= ?", glue, query->period_field);
      glue = " AND ";
    }
  if (query->period_field != NULL && query->period_until.set)
    {
      g_string_append_printf (sql, "%s\"%s\" < ?", glue, query->period_field);
      glue = " AND ";
    }
  if (query->after_id > 0)
    g_string_append_printf (sql, "%sid > ?", glue);
  g_string_append_printf (sql, " ORDER BY id LIMIT %u OFFSET %u", query->limit, query->offset);

  reader = mz_store_reader_acquire (store, error);
  if (reader == NULL)
    return FALSE;
  db = mz_store_reader_db (reader);
  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      for (guint i = 0; i < n_conditions; i++)
        bind_value (stmt, param++, &query->values[i]);
      for (guint i = 0; query->states != NULL && query->states[i] != NULL; i++)
        sqlite3_bind_text (stmt, param++, query->states[i], -1, SQLITE_STATIC);
      if (query->period_field != NULL && query->period_from.set)
        bind_value (stmt, param++, &query->period_from);
      if (query->period_field != NULL && query->period_until.set)
        bind_value (stmt, param++, &query->period_until);
      if (query->after_id > 0)
        sqlite3_bind_int64 (stmt, param++, query->after_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr (MzRecord) record = record_from_row (kind, stmt);

          if (!func (record, user_data))
            {
              rc = SQLITE_DONE;
              break;
            }
        }
    }
  if (rc != SQLITE_DONE)
    mz_store_set_error (db, rc, "查找记录", error);
  sqlite3_finalize (stmt);
  mz_store_reader_release (store, reader);
  return rc == SQLITE_DONE;
}

struct _MzStoreSnapshot
{
  MzStoreReader *reader;
  sqlite3 *db;
};

MzStoreSnapshot *
mz_store_snapshot_begin (MzStore *store,
                         GError **error)
{
  MzStoreSnapshot *snapshot;
  MzStoreReader *reader = mz_store_open_reader (store, error);

  if (reader == NULL)
    return NULL;
  snapshot = g_new0 (MzStoreSnapshot, 1);
  snapshot->reader = reader;
  snapshot->db = mz_store_reader_db (reader);
  /* One read transaction: every read from the same snapshot. */
  mz_store_reader_begin (reader);
  return snapshot;
}

void
mz_store_snapshot_end (MzStoreSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  mz_store_reader_end (snapshot->reader);
  mz_store_reader_close (snapshot->reader);
  g_free (snapshot);
}

gboolean
mz_store_record_dated (MzStoreSnapshot   *snapshot,
                       const MzKind      *kind,
                       const char *const *states,
                       const char        *field,
                       const char        *bound,
                       gboolean           inclusive,
                       MzStoreDatedFunc   func,
                       gpointer           user_data,
                       GError           **error)
{
  g_autoptr (GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  guint n_states = g_strv_length ((char **) states);
  int rc, param = 1;

  /* Identifiers come from the registry, which accepted only [a-z0-9_]. */
  g_string_append_printf (sql, "SELECT id, version, state, \"%s\" FROM \"%s\" WHERE state IN (",
                          field, kind->table);
  for (guint i = 0; i < n_states; i++)
    g_string_append (sql, i > 0 ? ", ?" : "?");
  g_string_append_printf (sql, ") AND \"%s\" IS NOT NULL AND \"%s\" %s ? ORDER BY \"%s\", id",
                          field, field, inclusive ? "<=" : "<", field);

  rc = sqlite3_prepare_v2 (snapshot->db, sql->str, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      for (guint i = 0; i < n_states; i++)
        sqlite3_bind_text (stmt, param++, states[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, param, bound, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (!func (sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                   (const char *) sqlite3_column_text (stmt, 2),
                   (const char *) sqlite3_column_text (stmt, 3), user_data))
          {
            rc = SQLITE_DONE;
            break;
          }
    }
  if (rc != SQLITE_DONE)
    mz_store_set_error (snapshot->db, rc, "读取到期事项", error);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}
