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
  g_autoptr (MzRecord) record = NULL;
  gboolean unmask;

  g_return_val_if_fail (services != NULL, NULL);

  kind = readable_kind (services, plugin, kind_name, actor, id, error);
  if (kind == NULL)
    return NULL;
  if (!mz_store_record_read (services->store, kind, id, &record, error))
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

/* The period of @query as the store binds it: for a date field the
 * office-local days themselves ("YYYY-MM-DD", the day after --to
 * excluded), for a datetime field the UTC instants of their midnights in
 * ISO 8601, for created_at those instants in microseconds. */
static gboolean
resolve_period (MzServices        *services,
                const MzKind      *kind,
                const MzFindQuery *query,
                MzStoreReadQuery  *read,
                GError           **error)
{
  const char *bounds[2] = { query->from, query->to };
  MzValue *out[2] = { &read->period_from, &read->period_until };
  MzFieldType type = MZ_FIELD_INTEGER;

  if (query->period_field == NULL)
    return TRUE;
  if (!g_str_equal (query->period_field, "created_at"))
    {
      int field = mz_kind_field (kind, query->period_field);

      if (field < 0 || (kind->def->fields[field].type != MZ_FIELD_DATE
                        && kind->def->fields[field].type != MZ_FIELD_DATETIME))
        return mz_field_error_set (error, MZ_FIELD_ERROR_UNKNOWN, query->period_field, NULL,
                                   "period", "不是 created_at，也不是记录类型 %s 的日期或时间字段",
                                   kind->qualified);
      type = kind->def->fields[field].type;
    }
  read->period_field = query->period_field;

  for (guint i = 0; i < 2; i++)
    {
      gint64 usec;

      if (bounds[i] == NULL)
        continue;
      if (!local_midnight (services, bounds[i], (gint) i, &usec))
        return mz_field_error_set (error, MZ_FIELD_ERROR_FORMAT, i == 0 ? "from" : "to", NULL,
                                   "date.format", "“%s”不是 YYYY-MM-DD 格式的真实日期", bounds[i]);
      out[i]->set = TRUE;
      if (type == MZ_FIELD_DATE)
        out[i]->text = i == 0 ? g_strdup (bounds[i]) : mz_date_add_days (bounds[i], 1);
      else if (type == MZ_FIELD_DATETIME)
        out[i]->text = mz_time_format_utc (usec);
      else
        out[i]->number = usec;
    }
  return TRUE;
}

typedef struct
{
  JsonArray *records;
  JsonArray *ids;
  gboolean unmask;
} Found;

static gboolean
found_add (const MzRecord *record,
           gpointer        user_data)
{
  Found *found = user_data;

  json_array_add_element (found->records, mz_record_to_json (record, found->unmask));
  json_array_add_int_element (found->ids, record->id);
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
  g_autoptr (GArray) values = g_array_new (FALSE, TRUE, sizeof (MzValue));
  g_autoptr (JsonArray) records = json_array_new ();
  g_autoptr (JsonArray) ids = json_array_new ();
  g_autofree char *today = NULL;
  MzStoreReadQuery read = { 0 };
  Found found = { records, ids, FALSE };
  gboolean ok;

  g_return_val_if_fail (services != NULL && query != NULL, NULL);

  g_array_set_clear_func (values, (GDestroyNotify) mz_value_clear);
  kind = readable_kind (services, plugin, kind_name, actor, 0, error);
  if (kind == NULL)
    return NULL;
  found.unmask = mz_roles_allow (services->roles, actor->role, MZ_PERMISSION_PERSONAL_READ);
  today = mz_services_today (services);

  /* Each value parsed for its field, as the store binds it. */
  for (guint i = 0; query->conditions != NULL && query->conditions[i].field != NULL; i++)
    {
      const MzCondition *c = &query->conditions[i];
      int field = mz_kind_field (kind, c->field);
      MzValue v = { 0 };
      gint64 n;

      v.set = TRUE;
      if (field < 0 && g_str_equal (c->field, "id")
          && g_ascii_string_to_signed (c->value, 10, G_MININT64, G_MAXINT64, &n, NULL))
        v.number = n;
      else if (field < 0)
        v.text = g_strdup (c->value != NULL ? c->value : "");
      else
        {
          if (!mz_value_parse (&kind->def->fields[field], c->value, today, &v, error))
            return NULL;
          if (mz_field_type_is_text (kind->def->fields[field].type) && v.text == NULL)
            v.text = g_strdup ("");
        }
      g_array_append_val (values, v);
    }
  read.conditions = query->conditions;
  read.values = (const MzValue *) values->data;
  read.states = query->states;
  read.after_id = query->after_id;
  read.limit = query->limit == 0 ? MZ_FIND_DEFAULT_LIMIT : MIN (query->limit, MZ_FIND_MAX_LIMIT);
  read.offset = query->offset;
  ok = resolve_period (services, kind, query, &read, error)
       && mz_store_record_read_many (services->store, kind, &read, found_add, &found, error);
  mz_value_clear (&read.period_from);
  mz_value_clear (&read.period_until);
  if (!ok)
    return NULL;

  if (kind->has_personal && json_array_get_length (ids) > 0
      && !audit_read (services, kind, actor, correlation_id, 0, ids, found.unmask, error))
    return NULL;
  return json_node_init_array (json_node_alloc (), g_steal_pointer (&records));
}
