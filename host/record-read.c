/* minzheng host — reading records: one by id, or found by conditions,
 * state and period, masked by role and audited when personal.
 *
 * Reads run on pooled read-only connections, never on the writer.  The
 * audit entry of a read of personal data is written (durably) before the
 * data is handed out, so there is no unaudited read.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "services-private.h"
#include "store-records.h"

#define MZ_FIND_DEFAULT_LIMIT 100
#define MZ_FIND_MAX_LIMIT 1000

/* A read refused for want of a role is itself worth recording: someone
 * tried to look at records they may not see.  The entry is written before
 * the refusal is returned; if it cannot be, the storage error is. */
static void
audit_refused_read (MzServices    *services,
                    const MzKind  *kind,
                    const MzActor *actor,
                    gint64         object_id,
                    GError       **error)
{
  MzAuditEntry entry = { 0 };
  GError *local = NULL;

  entry.plugin = kind->plugin->name;
  entry.actor_user = actor != NULL ? actor->user : NULL;
  entry.actor_role = actor != NULL ? actor->role : NULL;
  entry.actor_session = actor != NULL ? actor->session : NULL;
  entry.actor_address = actor != NULL ? actor->address : NULL;
  entry.action = "record.read";
  entry.object_kind = kind->qualified;
  entry.object_id = object_id;
  entry.outcome = "refused";
  entry.reason = (*error)->message;
  if (!mz_services_audit (services, &entry, &local))
    {
      g_clear_error (error);
      g_propagate_error (error, local);
    }
}

static const MzKind *
readable_kind (MzServices    *services,
               const char    *plugin,
               const char    *kind_name,
               const MzActor *actor,
               gint64         object_id,
               GError       **error)
{
  const MzKind *kind = mz_services_lookup_kind (services, plugin, kind_name);

  if (kind == NULL)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_NOT_FOUND,
                   "没有已加载的插件 %s 或其记录类型 %s [record.kind_unknown]",
                   plugin != NULL ? plugin : "(空)", kind_name != NULL ? kind_name : "(空)");
      return NULL;
    }
  if (actor == NULL || actor->user == NULL || !mz_roles_known (services->roles, actor->role))
    {
      GError *refusal = g_error_new (MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION,
                                     "角色“%s”未配置，不能查阅记录 [record.permission]",
                                     actor != NULL && actor->role != NULL ? actor->role : "(无)");

      audit_refused_read (services, kind, actor, object_id, &refusal);
      g_propagate_error (error, refusal);
      return NULL;
    }
  return kind;
}

static gboolean
audit_read (MzServices    *services,
            const MzKind  *kind,
            const MzActor *actor,
            const char    *correlation_id,
            gint64         object_id,
            JsonArray     *ids,
            gboolean       unmask,
            GError       **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *changes = NULL;
  MzAuditEntry entry = { 0 };

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "personal");
  json_builder_add_string_value (b, unmask ? "shown" : "masked");
  if (ids != NULL)
    {
      json_builder_set_member_name (b, "ids");
      json_builder_add_value (b, json_node_init_array (json_node_alloc (), ids));
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  changes = json_to_string (root, FALSE);

  entry.plugin = kind->plugin->name;
  entry.plugin_version = kind->plugin->descriptor != NULL ? kind->plugin->descriptor->version : NULL;
  entry.actor_user = actor->user;
  entry.actor_role = actor->role;
  entry.actor_session = actor->session;
  entry.actor_address = actor->address;
  entry.action = "record.read";
  entry.object_kind = kind->qualified;
  entry.object_id = object_id;
  entry.outcome = "ok";
  entry.correlation_id = correlation_id;
  entry.changes = changes;
  return mz_services_audit (services, &entry, error);
}

JsonNode *
mz_services_record_get (MzServices    *services,
                        const char    *plugin,
                        const char    *kind_name,
                        gint64         id,
                        const MzActor *actor,
                        const char    *correlation_id,
                        GError       **error)
{
  const MzKind *kind;
  g_autofree char *sql = NULL;
  g_autoptr (MzRecord) record = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  gboolean unmask;
  int rc;

  g_return_val_if_fail (services != NULL, NULL);

  kind = readable_kind (services, plugin, kind_name, actor, id, error);
  if (kind == NULL)
    return NULL;
  db = mz_store_reader_acquire (services->store, error);
  if (db == NULL)
    return NULL;
  sql = g_strconcat (kind->select_sql, " WHERE id = ?", NULL);
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        record = mz_record_from_row (kind, stmt);
    }
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    mz_store_set_error (db, rc, "读取记录", error);
  sqlite3_finalize (stmt);
  mz_store_reader_release (services->store, db);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return NULL;
  if (record == NULL)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_NOT_FOUND,
                   "%s 记录 #%" G_GINT64_FORMAT " 不存在 [record.not_found]", kind->def->label, id);
      return NULL;
    }

  unmask = mz_roles_allow (services->roles, actor->role, MZ_PERMISSION_PERSONAL_READ);
  if (kind->has_personal
      && !audit_read (services, kind, actor, correlation_id, id, NULL, unmask, error))
    return NULL;
  return mz_record_to_json (record, unmask);
}

/* Office-local midnight of @date as UTC microseconds. */
static gboolean
local_midnight (MzServices *services,
                const char *date,
                gint        add_days,
                gint64     *out)
{
  GDate d;
  g_autoptr (GDateTime) dt = NULL;

  if (!mz_date_parse (date, &d))
    return FALSE;
  dt = g_date_time_new (services->office_tz, g_date_get_year (&d), g_date_get_month (&d),
                        g_date_get_day (&d), 0, 0, 0);
  if (dt == NULL)
    return FALSE;
  if (add_days != 0)
    {
      GDateTime *next = g_date_time_add_days (dt, add_days);
      g_date_time_unref (dt);
      dt = next;
    }
  *out = g_date_time_to_unix (dt) * G_USEC_PER_SEC;
  return TRUE;
}

typedef struct
{
  GString *sql;
  GPtrArray *texts;    /* parameters bound as text, in order (NULL = integer from ints) */
  GArray *ints;
} MzParams;

static void
param_text (MzParams   *p,
            const char *text)
{
  g_ptr_array_add (p->texts, g_strdup (text));
  g_array_append_vals (p->ints, &(gint64) { 0 }, 1);
}

static void
param_int (MzParams *p,
           gint64    value)
{
  g_ptr_array_add (p->texts, NULL);
  g_array_append_vals (p->ints, &value, 1);
}

static gboolean
add_period (MzServices        *services,
            const MzKind      *kind,
            const MzFindQuery *query,
            MzParams          *p,
            const char       **glue,
            GError           **error)
{
  const char *bounds[2] = { query->from, query->to };
  int field = -1;
  MzFieldType type = MZ_FIELD_INTEGER;

  if (query->period_field == NULL)
    return TRUE;
  if (!g_str_equal (query->period_field, "created_at"))
    {
      field = mz_kind_field (kind, query->period_field);
      if (field < 0 || (kind->def->fields[field].type != MZ_FIELD_DATE
                        && kind->def->fields[field].type != MZ_FIELD_DATETIME))
        return mz_field_error_set (error, MZ_FIELD_ERROR_UNKNOWN, query->period_field, NULL,
                                   "period", "不是 created_at，也不是记录类型 %s 的日期或时间字段",
                                   kind->qualified);
      type = kind->def->fields[field].type;
    }

  for (guint i = 0; i < 2; i++)
    {
      gint64 usec;

      if (bounds[i] == NULL)
        continue;
      if (!local_midnight (services, bounds[i], (gint) i, &usec))
        return mz_field_error_set (error, MZ_FIELD_ERROR_FORMAT, i == 0 ? "from" : "to", NULL,
                                   "date.format", "“%s”不是 YYYY-MM-DD 格式的真实日期", bounds[i]);
      /* Names come from the declaration (checked above), values are bound. */
      g_string_append_printf (p->sql, "%s\"%s\" %s ?", *glue, query->period_field, i == 0 ? ">=" : "<");
      *glue = " AND ";
      if (type == MZ_FIELD_DATE)
        {
          g_autofree char *day = i == 0 ? g_strdup (bounds[i]) : mz_date_add_days (bounds[i], 1);
          param_text (p, day);
        }
      else if (type == MZ_FIELD_DATETIME)
        {
          g_autofree char *iso = mz_time_format_utc (usec);
          param_text (p, iso);
        }
      else
        param_int (p, usec);
    }
  return TRUE;
}

JsonNode *
mz_services_record_find (MzServices        *services,
                         const char        *plugin,
                         const char        *kind_name,
                         const MzFindQuery *query,
                         const MzActor     *actor,
                         const char        *correlation_id,
                         GError           **error)
{
  const MzKind *kind;
  g_autoptr (GString) sql = NULL;
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) ints = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (JsonArray) records = json_array_new ();
  g_autoptr (JsonArray) ids = json_array_new ();
  g_autofree char *today = NULL;
  MzParams p;
  const char *glue = " WHERE ";
  guint limit;
  gboolean unmask;
  sqlite3 *db;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (services != NULL && query != NULL, NULL);

  kind = readable_kind (services, plugin, kind_name, actor, 0, error);
  if (kind == NULL)
    return NULL;
  unmask = mz_roles_allow (services->roles, actor->role, MZ_PERMISSION_PERSONAL_READ);
  today = mz_services_today (services);

  sql = g_string_new (kind->select_sql);
  p.sql = sql;
  p.texts = texts;
  p.ints = ints;
  for (guint i = 0; query->conditions != NULL && query->conditions[i].field != NULL; i++)
    {
      const MzCondition *c = &query->conditions[i];
      const MzCondition one[] = { *c, { NULL, 0, NULL } };
      g_autoptr (GString) where = g_string_new (NULL);
      int field = mz_kind_field (kind, c->field);
      MzValue v = { 0 };

      if (!mz_query_where (kind, one, NULL, where, error))
        return NULL;
      g_string_append_printf (sql, "%s%s", glue, where->str + strlen (" WHERE "));
      glue = " AND ";
      if (field < 0)
        {
          gint64 n;

          if (g_str_equal (c->field, "id")
              && g_ascii_string_to_signed (c->value, 10, G_MININT64, G_MAXINT64, &n, NULL))
            param_int (&p, n);
          else
            param_text (&p, c->value);
          continue;
        }
      if (!mz_value_parse (&kind->def->fields[field], c->value, today, &v, error))
        return NULL;
      if (mz_field_type_is_text (kind->def->fields[field].type))
        param_text (&p, v.text != NULL ? v.text : "");
      else
        param_int (&p, v.number);
      mz_value_clear (&v);
    }
  for (guint i = 0; query->states != NULL && query->states[i] != NULL; i++)
    {
      g_string_append_printf (sql, "%s%s", i == 0 ? glue : "", i == 0 ? "state IN (?" : ", ?");
      param_text (&p, query->states[i]);
    }
  if (query->states != NULL && query->states[0] != NULL)
    {
      g_string_append (sql, ")");
      glue = " AND ";
    }
  if (!add_period (services, kind, query, &p, &glue, error))
    return NULL;
  if (query->after_id > 0)
    {
      g_string_append_printf (sql, "%sid > ?", glue);
      param_int (&p, query->after_id);
    }
  limit = query->limit == 0 ? MZ_FIND_DEFAULT_LIMIT : MIN (query->limit, MZ_FIND_MAX_LIMIT);
  g_string_append_printf (sql, " ORDER BY id LIMIT %u OFFSET %u", limit, query->offset);

  db = mz_store_reader_acquire (services->store, error);
  if (db == NULL)
    return NULL;
  rc = sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      for (guint i = 0; i < texts->len; i++)
        if (g_ptr_array_index (texts, i) != NULL)
          sqlite3_bind_text (stmt, (int) i + 1, g_ptr_array_index (texts, i), -1, SQLITE_STATIC);
        else
          sqlite3_bind_int64 (stmt, (int) i + 1, g_array_index (ints, gint64, i));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr (MzRecord) record = mz_record_from_row (kind, stmt);

          json_array_add_element (records, mz_record_to_json (record, unmask));
          json_array_add_int_element (ids, record->id);
        }
    }
  if (rc != SQLITE_DONE)
    mz_store_set_error (db, rc, "查找记录", error);
  sqlite3_finalize (stmt);
  mz_store_reader_release (services->store, db);
  if (rc != SQLITE_DONE)
    return NULL;

  if (kind->has_personal && json_array_get_length (ids) > 0
      && !audit_read (services, kind, actor, correlation_id, 0, ids, unmask, error))
    return NULL;
  return json_node_init_array (json_node_alloc (), records);
}
