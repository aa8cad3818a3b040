/* minzheng host — a report over every enabled plugin, audited.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <json-glib/json-glib.h>

#include "registry.h"
#include "report.h"

void
mz_report_default_period (const char *today,
                          char      **from,
                          char      **to)
{
  GDate d;
  int year;

  g_return_if_fail (from != NULL && to != NULL);

  if (today == NULL || !mz_date_parse (today, &d))
    g_date_set_dmy (&d, 1, 1, 2000);
  year = g_date_get_year (&d);
  if (g_date_get_month (&d) >= G_DATE_JULY)
    {
      *from = g_strdup_printf ("%04d-01-01", year);
      *to = g_strdup_printf ("%04d-06-30", year);
    }
  else
    {
      *from = g_strdup_printf ("%04d-07-01", year - 1);
      *to = g_strdup_printf ("%04d-12-31", year - 1);
    }
}

/* The tables a plugin's report may read (those of its own kinds) and, in
 * them, the personal columns it may not. */
static void
plugin_scope (MzPluginEntry *entry,
              GStrv         *tables,
              GStrv         *personal)
{
  GStrvBuilder *t = g_strv_builder_new ();
  GStrvBuilder *p = g_strv_builder_new ();

  for (guint i = 0; i < entry->kinds->len; i++)
    {
      MzKind *kind = g_ptr_array_index (entry->kinds, i);

      g_strv_builder_add (t, kind->table);
      for (guint f = 0; f < kind->n_fields; f++)
        if (kind->def->fields[f].flags & MZ_FIELD_PERSONAL)
          {
            g_autofree char *column = g_strconcat (kind->table, ".", kind->def->fields[f].name, NULL);
            g_strv_builder_add (p, column);
          }
    }
  *tables = g_strv_builder_end (t);
  *personal = g_strv_builder_end (p);
  g_strv_builder_unref (t);
  g_strv_builder_unref (p);
}

static char *
audit_changes (MzReportDoc *doc)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, doc->from);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, doc->to);
  json_builder_set_member_name (builder, "sections");
  json_builder_begin_array (builder);
  for (guint i = 0; i < doc->sections->len; i++)
    {
      MzReport *report = g_ptr_array_index (doc->sections, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "plugin");
      json_builder_add_string_value (builder, report->plugin);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, report->error == NULL);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* A role without "report.run" is refused, and the refusal is audited as
 * any refused action is: who tried, for which period. */
static MzReportDoc *
report_refuse (MzServices    *services,
               const MzActor *actor,
               const char    *from,
               const char    *to,
               const char    *correlation,
               GError       **error)
{
  g_autofree char *message = g_strdup_printf ("角色“%s”没有权限 report.run，不能生成报表 [report.permission]",
                                              actor->role != NULL ? actor->role : "");
  g_autofree char *reason = g_strdup_printf ("%s 至 %s；%s", from, to, message);
  MzAuditEntry entry = { 0 };

  entry.plugin = "host";
  entry.plugin_version = MZ_VERSION;
  entry.actor_user = actor->user;
  entry.actor_role = actor->role;
  entry.actor_session = actor->session;
  entry.actor_address = actor->address;
  entry.action = "report.run";
  entry.outcome = "refused";
  entry.reason = reason;
  entry.correlation_id = correlation;
  if (!mz_services_audit (services, &entry, error))
    return NULL;
  g_set_error_literal (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION, message);
  return NULL;
}

MzReportDoc *
mz_report_run (MzServices    *services,
               const char    *from,
               const char    *to,
               const char    *plugin,
               const MzActor *actor,
               GError       **error)
{
  g_autoptr (MzReportDoc) doc = NULL;
  g_autoptr (GError) incomplete = NULL;
  g_autofree char *changes = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *correlation = g_uuid_string_random ();
  MzConfig *config;
  MzAuditEntry entry = { 0 };
  GPtrArray *plugins;
  MzStoreReader *reader;

  g_return_val_if_fail (services != NULL, NULL);
  g_return_val_if_fail (actor != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!mz_report_period_check (from, to, error))
    return NULL;
  if (!mz_services_role_allows (services, actor->role, "report.run"))
    return report_refuse (services, actor, from, to, correlation, error);
  if (plugin != NULL && mz_services_lookup_plugin (services, plugin) == NULL)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_SECTION,
                   "插件 %s 没有启用或没有加载 [report.no_such_plugin]", plugin);
      return NULL;
    }

  config = mz_services_get_config (services);
  doc = mz_report_doc_new (mz_config_get_office_id (config), mz_config_get_office_name (config),
                           from, to, mz_services_now (services));
  reader = mz_services_open_reader (services, error);
  if (reader == NULL)
    return NULL;
  mz_store_report_harden (reader);

  /* One snapshot for every section, so that figures of different plugins
   * describe the same moment of the store. */
  mz_store_reader_begin (reader);
  plugins = mz_services_get_plugins (services);
  for (guint i = 0; i < plugins->len; i++)
    {
      MzPluginEntry *entry_p = g_ptr_array_index (plugins, i);
      g_auto (GStrv) tables = NULL;
      g_auto (GStrv) personal = NULL;

      if (plugin != NULL && g_strcmp0 (entry_p->plugin->name, plugin) != 0)
        continue;
      plugin_scope (entry_p, &tables, &personal);
      for (guint j = 0; j < entry_p->reports->len; j++)
        mz_report_doc_run_section (doc, reader, entry_p->plugin->name, (const char *const *) tables,
                                   (const char *const *) personal,
                                   g_ptr_array_index (entry_p->reports, j));
    }
  mz_store_reader_end (reader);
  mz_store_reader_close (reader);

  changes = audit_changes (doc);
  mz_report_doc_check (doc, &incomplete);
  reason = g_strdup_printf ("%s 至 %s%s%s", from, to, incomplete != NULL ? "；" : "",
                            incomplete != NULL ? incomplete->message : "");
  entry.plugin = "host";
  entry.plugin_version = MZ_VERSION;
  entry.actor_user = actor->user;
  entry.actor_role = actor->role;
  entry.actor_session = actor->session;
  entry.actor_address = actor->address;
  entry.action = "report.run";
  entry.outcome = incomplete == NULL ? "ok" : "error";
  entry.reason = reason;
  entry.correlation_id = correlation;
  entry.changes = changes;
  if (!mz_services_audit (services, &entry, error))
    {
      g_prefix_error (error, "报表未输出：无法写入审计记录：");
      return NULL;
    }
  return g_steal_pointer (&doc);
}
