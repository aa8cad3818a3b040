/* minzheng host — listing due work and applying the automatic transitions.
 *
 * The deadline of a watched record is its date field + after_days; it is
 * overdue when the office's today is later than that.  Deadlines follow the
 * host clock, which tests and `mzctl --now` fix, so that a 30-day window
 * of the marriage law can be tested without waiting 30 days.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "due.h"
#include "store-records.h"
#include "registry.h"

static void
due_item_free (gpointer data)
{
  MzDueItem *item = data;

  g_free (item->plugin);
  g_free (item->due);
  g_free (item->label);
  g_free (item->kind);
  g_free (item->kind_label);
  g_free (item->state);
  g_free (item->state_label);
  g_free (item->deadline);
  g_free (item->action);
  g_free (item->action_label);
  g_free (item);
}

/* The office-local date of a stored UTC instant "YYYY-MM-DDTHH:MM:SSZ". */
static char *
local_date_of (const char *instant,
               GTimeZone  *tz)
{
  g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (instant, NULL);
  g_autoptr (GDateTime) local = NULL;

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_timezone (utc, tz);
  return g_date_time_format (local, "%Y-%m-%d");
}

/* The first UTC instant of the office-local day after @date, as stored
 * datetimes are written: every instant before it falls on @date or earlier. */
static char *
utc_start_of_next_day (const char *date,
                       GTimeZone  *tz)
{
  g_autofree char *next = mz_date_add_days (date, 1);
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) utc = NULL;
  GDate d;

  if (next == NULL || !mz_date_parse (next, &d))
    return NULL;
  local = g_date_time_new (tz, g_date_get_year (&d), g_date_get_month (&d), g_date_get_day (&d), 0, 0, 0);
  utc = g_date_time_to_utc (local);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static const char *
state_label (const MzKind *kind,
             const char   *state)
{
  const MzStateDef *def = mz_kind_state (kind, state);

  return def != NULL && def->label != NULL ? def->label : state;
}

typedef struct
{
  MzPluginEntry *entry;
  const MzDueDef *due;
  const MzKind *kind;
  const MzActionDef *action;
  const char *today;
  gboolean datetime;
  GTimeZone *tz;
  GPtrArray *items;
} DueList;

static gboolean
due_item_add (gint64      id,
              gint64      version,
              const char *state,
              const char *value,
              gpointer    user_data)
{
  DueList *list = user_data;
  g_autofree char *date = list->datetime ? local_date_of (value, list->tz) : g_strdup (value);
  MzDueItem *item;

  if (date == NULL || !mz_date_parse (date, &(GDate) { 0 }))
    return TRUE;
  item = g_new0 (MzDueItem, 1);
  item->plugin = g_strdup (list->entry->plugin->name);
  item->due = g_strdup (list->due->name);
  item->label = g_strdup (list->due->label);
  item->kind = g_strdup (list->kind->def->name);
  item->kind_label = g_strdup (list->kind->def->label);
  item->record_id = id;
  item->version = version;
  item->state = g_strdup (state);
  item->state_label = g_strdup (state_label (list->kind, item->state));
  item->deadline = mz_date_add_days (date, list->due->after_days);
  item->days_overdue = mz_date_diff_days (item->deadline, list->today);
  if (list->action != NULL)
    {
      item->action = g_strdup (list->action->name);
      item->action_label = g_strdup (list->action->label);
    }
  g_ptr_array_add (list->items, item);
  return TRUE;
}

/* Lists one due declaration's records into @items. */
static gboolean
list_one (MzStoreSnapshot *snapshot,
          MzPluginEntry   *entry,
          const MzDueDef  *due,
          const MzKind    *kind,
          const char      *today,
          guint            horizon_days,
          GTimeZone       *tz,
          GPtrArray       *items,
          GError         **error)
{
  const MzFieldDef *field = &kind->def->fields[mz_kind_field (kind, due->date_field)];
  g_autofree char *horizon = mz_date_add_days (today, (gint) horizon_days);
  g_autofree char *cutoff = NULL;
  g_autofree char *bound = NULL;
  DueList list = { entry, due, kind, NULL, today, field->type == MZ_FIELD_DATETIME, tz, items };

  list.action = due->action != NULL ? mz_kind_action (kind, due->action) : NULL;
  /* deadline ≤ today + horizon  ⇔  date ≤ today + horizon − after_days */
  cutoff = mz_date_add_days (horizon, -due->after_days);
  bound = list.datetime ? utc_start_of_next_day (cutoff, tz) : g_strdup (cutoff);
  if (bound == NULL)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "到期日期 %s 超出可计算的范围 [due.date_range]", cutoff);
      return FALSE;
    }
  if (!mz_store_record_dated (snapshot, kind, due->states, field->name, bound, !list.datetime,
                              due_item_add, &list, error))
    {
      g_prefix_error (error, "无法读取插件 %s 的到期事项 %s：", entry->plugin->name, due->name);
      return FALSE;
    }
  return TRUE;
}

static int
item_compare (gconstpointer a,
              gconstpointer b)
{
  const MzDueItem *ia = *(const MzDueItem *const *) a;
  const MzDueItem *ib = *(const MzDueItem *const *) b;
  int c = strcmp (ia->plugin, ib->plugin);

  if (c != 0)
    return c;
  if (ia->days_overdue != ib->days_overdue)
    return ia->days_overdue > ib->days_overdue ? -1 : 1;
  return ia->record_id < ib->record_id ? -1 : ia->record_id > ib->record_id;
}

GPtrArray *
mz_due_list (MzServices *services,
             const char *today,
             guint       horizon_days,
             GError    **error)
{
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (due_item_free);
  g_autofree char *clock_today = NULL;
  GTimeZone *tz;
  GPtrArray *plugins;
  g_autoptr (MzStoreSnapshot) snapshot = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (services != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (today == NULL)
    today = clock_today = mz_services_today (services);
  g_return_val_if_fail (mz_date_parse (today, &(GDate) { 0 }), NULL);

  tz = mz_services_get_timezone (services);
  /* Every plugin's list from the same snapshot. */
  snapshot = mz_store_snapshot_begin (mz_services_get_store (services), error);
  if (snapshot == NULL)
    return NULL;
  plugins = mz_services_get_plugins (services);
  for (guint i = 0; ok && i < plugins->len; i++)
    {
      MzPluginEntry *entry = g_ptr_array_index (plugins, i);

      for (guint j = 0; ok && j < entry->dues->len; j++)
        {
          const MzDueDef *due = g_ptr_array_index (entry->dues, j);
          const MzKind *kind = mz_services_lookup_kind (services, entry->plugin->name, due->kind);

          ok = kind != NULL
               && list_one (snapshot, entry, due, kind, today, horizon_days, tz, items, error);
        }
    }
  g_clear_pointer (&snapshot, mz_store_snapshot_end);
  if (!ok)
    return NULL;
  g_ptr_array_sort (items, item_compare);
  return g_steal_pointer (&items);
}

gboolean
mz_due_run (MzServices    *services,
            MzDueRunStats *stats,
            GError       **error)
{
  g_autoptr (GPtrArray) items = NULL;
  g_autofree char *correlation = g_uuid_string_random ();
  const MzActor system = { MZ_DUE_ACTOR_USER, MZ_DUE_ACTOR_ROLE, "due", "minzhengd" };
  MzDueRunStats counts = { 0, 0, 0 };

  g_return_val_if_fail (services != NULL, FALSE);

  items = mz_due_list (services, NULL, 0, error);
  if (items == NULL)
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      MzDueItem *item = g_ptr_array_index (items, i);
      MzActRequest request = { 0 };
      MzActResult result = { 0 };
      g_autoptr (GError) local_error = NULL;

      if (item->action == NULL || item->days_overdue <= 0)
        continue;
      request.plugin = item->plugin;
      request.kind = item->kind;
      request.action = item->action;
      request.record_id = item->record_id;
      request.expected_version = item->version;
      request.actor = &system;
      request.reason = item->label;
      request.correlation_id = correlation;
      if (mz_services_act (services, &request, &result, &local_error))
        counts.applied++;
      else if (g_error_matches (local_error, MZ_RULE_ERROR, MZ_RULE_ERROR_STALE)
               || g_error_matches (local_error, MZ_RULE_ERROR, MZ_RULE_ERROR_STATE))
        counts.skipped++;
      else
        {
          counts.failed++;
          g_warning ("到期自动处理失败：插件 %s 记录 %s #%" G_GINT64_FORMAT " 操作 %s：%s",
                     item->plugin, item->kind, item->record_id, item->action, local_error->message);
        }
    }
  if (stats != NULL)
    *stats = counts;
  return TRUE;
}

#define DUE_DEFAULT_INTERVAL 300

struct _MzDueJob
{
  MzServices *services;
  gint64 interval_usec;
  GThread *thread;
  GMutex lock;
  GCond wake;
  gboolean stopping;
};

static void
due_run_logged (MzServices *services)
{
  g_autoptr (GError) error = NULL;
  MzDueRunStats stats = { 0 };

  if (!mz_due_run (services, &stats, &error))
    {
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "MESSAGE_ID", "minzheng.due.failed",
                        "MESSAGE", "到期事项无法读取：%s", error->message);
      return;
    }
  if (stats.applied + stats.skipped + stats.failed > 0)
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MESSAGE_ID", "minzheng.due.run",
                      "MESSAGE", "到期自动处理：执行 %u 件，跳过 %u 件，失败 %u 件",
                      stats.applied, stats.skipped, stats.failed);
}

static gpointer
due_job_thread (gpointer data)
{
  MzDueJob *job = data;

  g_mutex_lock (&job->lock);
  while (!job->stopping)
    {
      gint64 next;

      g_mutex_unlock (&job->lock);
      due_run_logged (job->services);
      g_mutex_lock (&job->lock);
      next = g_get_monotonic_time () + job->interval_usec;
      while (!job->stopping && g_cond_wait_until (&job->wake, &job->lock, next))
        ;
    }
  g_mutex_unlock (&job->lock);
  return NULL;
}

MzDueJob *
mz_due_job_start (MzServices *services,
                  GError    **error)
{
  MzConfig *config;
  g_autofree char *raw = NULL;
  guint64 interval = DUE_DEFAULT_INTERVAL;
  MzDueJob *job;

  g_return_val_if_fail (services != NULL, NULL);

  config = mz_services_get_config (services);
  raw = g_key_file_get_value (mz_config_get_key_file (config), "due", "interval_seconds", NULL);
  if (raw != NULL
      && (!g_ascii_string_to_unsigned (g_strstrip (raw), 10, 1, 86400, &interval, NULL)))
    {
      g_set_error (error, MZ_CONFIG_ERROR, MZ_CONFIG_ERROR_INVALID_VALUE,
                   "%s：[due] interval_seconds 应为 1 到 86400 之间的整数（秒），而不是“%s” "
                   "[config.due.interval_seconds]",
                   mz_config_get_origin (config), raw);
      return NULL;
    }

  job = g_new0 (MzDueJob, 1);
  job->services = services;
  job->interval_usec = (gint64) interval * G_USEC_PER_SEC;
  g_mutex_init (&job->lock);
  g_cond_init (&job->wake);
  job->thread = g_thread_new ("mz-due", due_job_thread, job);
  return job;
}

void
mz_due_job_stop (MzDueJob *job)
{
  if (job == NULL)
    return;
  g_mutex_lock (&job->lock);
  job->stopping = TRUE;
  g_cond_signal (&job->wake);
  g_mutex_unlock (&job->lock);
  g_thread_join (job->thread);
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->wake);
  g_free (job);
}

char *
mz_due_format_text (GPtrArray  *items,
                    const char *today)
{
  GString *out = g_string_new (NULL);
  const char *plugin = NULL;

  g_return_val_if_fail (items != NULL, NULL);

  g_string_append_printf (out, "到期与逾期事项（今天 %s）\n", today != NULL ? today : "");
  if (items->len == 0)
    g_string_append (out, "  没有到期或逾期的事项。\n");
  for (guint i = 0; i < items->len; i++)
    {
      MzDueItem *item = g_ptr_array_index (items, i);

      if (g_strcmp0 (plugin, item->plugin) != 0)
        {
          plugin = item->plugin;
          g_string_append_printf (out, "\n%s\n", plugin);
        }
      g_string_append_printf (out, "  %s #%" G_GINT64_FORMAT "  %s（%s）  期限 %s  ",
                              item->kind, item->record_id, item->state_label, item->state,
                              item->deadline);
      if (item->days_overdue > 0)
        g_string_append_printf (out, "逾期 %d 天", item->days_overdue);
      else if (item->days_overdue == 0)
        g_string_append (out, "今天到期");
      else
        g_string_append_printf (out, "还有 %d 天", -item->days_overdue);
      g_string_append_printf (out, "  %s", item->label);
      if (item->action != NULL)
        g_string_append_printf (out, "；%s自动执行“%s”（%s）",
                                item->days_overdue > 0 ? "将" : "逾期后将",
                                item->action_label, item->action);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

char *
mz_due_format_json (GPtrArray  *items,
                    const char *today)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  g_return_val_if_fail (items != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "today");
  json_builder_add_string_value (builder, today);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < items->len; i++)
    {
      MzDueItem *item = g_ptr_array_index (items, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "plugin");
      json_builder_add_string_value (builder, item->plugin);
      json_builder_set_member_name (builder, "due");
      json_builder_add_string_value (builder, item->due);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, item->label);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, item->kind);
      json_builder_set_member_name (builder, "record_id");
      json_builder_add_int_value (builder, item->record_id);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, item->state);
      json_builder_set_member_name (builder, "deadline");
      json_builder_add_string_value (builder, item->deadline);
      json_builder_set_member_name (builder, "days_overdue");
      json_builder_add_int_value (builder, item->days_overdue);
      json_builder_set_member_name (builder, "overdue");
      json_builder_add_boolean_value (builder, item->days_overdue > 0);
      json_builder_set_member_name (builder, "automatic_action");
      if (item->action != NULL)
        json_builder_add_string_value (builder, item->action);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "applies_now");
      json_builder_add_boolean_value (builder, item->action != NULL && item->days_overdue > 0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}
