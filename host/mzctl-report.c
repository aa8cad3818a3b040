/* mzctl report, import, demo and due — the commands on top of the store
 * that supervisors run: the half-year report, bringing in old records and
 * the demonstration data, and the list of deadlines.
 *
 * Exit status: 0 done; 1 refused or failed (a bad row, a failing report
 * section, an unreadable store); 2 wrong usage.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "due.h"
#include "import.h"
#include "loader.h"
#include "mzctl.h"
#include "registry.h"
#include "services.h"
#include "report.h"
#include "store-report.h"

/* The office's host as the daemon would set it up: configuration, store,
 * audit log and the enabled plugins, with the clock fixed by --now. */
typedef struct
{
  MzConfig *config;
  MzServices *services;
  MzLoader *loader;
} Host;

static void
host_close (Host *host)
{
  if (host->loader != NULL)
    mz_loader_shutdown (host->loader);
  g_clear_pointer (&host->loader, mz_loader_free);
  g_clear_pointer (&host->services, mz_services_free);
  g_clear_pointer (&host->config, mz_config_free);
}

/* The configuration alone: nothing is created yet, so a command can check
 * what it needs before the store and the office key come into being. */
static gboolean
host_open_config (MzctlGlobal *global,
                  Host        *host,
                  GError     **error)
{
  host->config = mz_config_load (global->config, error);
  return host->config != NULL;
}

/* The store, the audit log and the plugins, after host_open_config. */
static gboolean
host_open_office (MzctlGlobal *global,
                  Host        *host,
                  GError     **error)
{
  gint64 now = 0;

  if (!mz_services_parse_now (global->now, &now, error))
    return FALSE;
  host->services = mz_services_new (host->config, error);
  if (host->services == NULL)
    return FALSE;
  if (now != 0)
    mz_services_set_now (host->services, now);
  host->loader = mz_loader_new (host->config, host->services);
  return mz_loader_load_all (host->loader, error);
}

static gboolean
host_open (MzctlGlobal *global,
           Host        *host,
           GError     **error)
{
  return host_open_config (global, host, error) && host_open_office (global, host, error);
}

static int G_GNUC_PRINTF (3, 4)
usage_error (const char     *command,
             GOptionContext *context,
             const char     *format,
             ...)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("mzctl %s: %s\n\n%s", command, message, help);
  return 2;
}

/* The person at the keyboard, for the audit log. */
static MzActor
cli_actor (const char *user,
           const char *role,
           const char *default_role)
{
  MzActor actor = { 0 };

  actor.user = user != NULL ? user : g_get_user_name ();
  actor.role = role != NULL ? role : default_role;
  actor.session = NULL;
  actor.address = "cli";
  return actor;
}

/* --- mzctl report -------------------------------------------------------- */

int
mzctl_cmd_report (MzctlGlobal *global,
                  int          argc,
                  char       **argv)
{
  g_autofree char *from = NULL, *to = NULL, *format_name = NULL, *plugin = NULL;
  g_autofree char *user = NULL, *role = NULL, *output = NULL, *today = NULL;
  const GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "First day of the period (inclusive)", "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Last day of the period (inclusive)", "YYYY-MM-DD" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, "text (default), json or csv", "FORMAT" },
    { "plugin", 0, 0, G_OPTION_ARG_STRING, &plugin, "Only this plugin's sections", "NAME" },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &user, "Who runs the report (default: login name)", "USER" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "The actor's role (default: auditor)", "ROLE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context =
    mzctl_options_new (global, NULL, "The office's report for a period: every enabled plugin's "
                       "figures and sentences.  Without --from/--to: the last complete half-year.",
                       entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (MzReportDoc) doc = NULL;
  MzReportFormat format = MZ_REPORT_FORMAT_TEXT;
  Host host = { 0 };
  MzActor actor;
  int status = 0;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("report", context, "选项有误：%s [mzctl.usage]", error->message);
  if (argc > 1)
    return usage_error ("report", context, "多余的参数“%s”；report 不带参数 [mzctl.usage]", argv[1]);
  if (global->json)
    format = MZ_REPORT_FORMAT_JSON;
  if (format_name != NULL && !mz_report_format_parse (format_name, &format))
    return usage_error ("report", context, "--format 只能是 text、json 或 csv [mzctl.usage]");
  if ((from == NULL) != (to == NULL))
    return usage_error ("report", context, "--from 与 --to 须同时给出，或都不给（即上一个完整的半年） [mzctl.usage]");

  if (!host_open (global, &host, &error))
    {
      mzctl_fail ("report", error);
      host_close (&host);
      return 1;
    }
  if (from == NULL)
    {
      today = mz_services_today (host.services);
      mz_report_default_period (today, &from, &to);
    }
  actor = cli_actor (user, role, "auditor");
  doc = mz_report_run (host.services, from, to, plugin, &actor, &error);
  if (doc == NULL)
    {
      mzctl_fail ("report", error);
      host_close (&host);
      return 1;
    }

  output = mz_report_doc_format (doc, format);
  fputs (output, stdout);
  fflush (stdout);
  for (guint i = 0; i < doc->sections->len; i++)
    {
      MzReport *section = g_ptr_array_index (doc->sections, i);

      if (section->error != NULL)
        mzctl_fail ("report", section->error);
    }
  if (!mz_report_doc_check (doc, &error))
    {
      mzctl_fail ("report", error);
      status = 1;
    }
  host_close (&host);
  return status;
}

/* --- mzctl import and demo: printing the outcome -------------------------- */

static void
print_problems (MzImportBatch *batch,
                gboolean       json)
{
  GPtrArray *problems = mz_import_batch_get_problems (batch);

  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "imported");
      json_builder_add_int_value (b, 0);
      json_builder_set_member_name (b, "problems");
      json_builder_begin_array (b);
      for (guint i = 0; i < problems->len; i++)
        {
          MzImportProblem *p = g_ptr_array_index (problems, i);
          g_autoptr (GError) as_error = g_error_new_literal (MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ROWS,
                                                              p->message);
          g_autofree char *code = mz_error_code_name (as_error);

          json_builder_begin_object (b);
          if (p->source != NULL)
            {
              json_builder_set_member_name (b, "file");
              json_builder_add_string_value (b, p->source);
            }
          json_builder_set_member_name (b, "line");
          json_builder_add_int_value (b, p->line);
          json_builder_set_member_name (b, "field");
          if (p->field != NULL)
            json_builder_add_string_value (b, p->field);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "code");
          json_builder_add_string_value (b, code);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, p->message);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      json_generator_set_pretty (gen, TRUE);
      text = json_generator_to_data (gen, NULL);
      printf ("%s\n", text);
      return;
    }
  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = mz_import_problem_format (g_ptr_array_index (problems, i));

      g_printerr ("%s\n", line);
    }
}

static void
print_imported (guint    n,
                gboolean json)
{
  if (json)
    printf ("{\"imported\": %u, \"problems\": []}\n", n);
}

int
mzctl_cmd_import (MzctlGlobal *global,
                  int          argc,
                  char       **argv)
{
  g_autofree char *action = NULL, *user = NULL, *role = NULL, *format_name = NULL;
  const GOptionEntry entries[] = {
    { "action", 0, 0, G_OPTION_ARG_STRING, &action,
      "Create action to use (default: \"import\" if declared, else the only one)", "NAME" },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &user, "Who imports (default: login name)", "USER" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "The actor's role (default: supervisor)", "ROLE" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name, "csv or jsonl (default: by file name)", "FORMAT" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context =
    mzctl_options_new (global, "PLUGIN KIND FILE",
                       "Imports a CSV file (header row, UTF-8) or JSON lines as new records, "
                       "all or nothing: one bad row and nothing is written; every bad row is listed.",
                       entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportBatch) batch = NULL;
  MzImportFormat format = MZ_IMPORT_FORMAT_AUTO;
  Host host = { 0 };
  MzActor actor;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("import", context, "选项有误：%s [mzctl.usage]", error->message);
  if (argc != 4)
    return usage_error ("import", context, "请给出插件、记录类型和文件：PLUGIN KIND FILE [mzctl.usage]");
  if (g_strcmp0 (format_name, "csv") == 0)
    format = MZ_IMPORT_FORMAT_CSV;
  else if (g_strcmp0 (format_name, "jsonl") == 0)
    format = MZ_IMPORT_FORMAT_JSONL;
  else if (format_name != NULL)
    return usage_error ("import", context, "--format 只能是 csv 或 jsonl [mzctl.usage]");

  if (!host_open (global, &host, &error))
    {
      mzctl_fail ("import", error);
      host_close (&host);
      return 1;
    }
  actor = cli_actor (user, role, "supervisor");
  batch = mz_import_batch_new (host.services, &actor, NULL);
  if (!mz_import_batch_add_file (batch, argv[1], argv[2], action, format, argv[3], FALSE, &error)
      || !mz_import_batch_commit (batch, &error))
    {
      print_problems (batch, global->json);
      mzctl_fail ("import", error);
      g_clear_pointer (&batch, mz_import_batch_free);
      host_close (&host);
      return 1;
    }
  print_imported (mz_import_batch_get_n_rows (batch), global->json);
  if (!global->json)
    printf ("已导入 %u 条记录（%s.%s，动作 %s，操作人 %s，角色 %s）\n",
            mz_import_batch_get_n_rows (batch), argv[1], argv[2],
            mz_import_batch_get_action (batch), actor.user, actor.role);
  g_clear_pointer (&batch, mz_import_batch_free);
  host_close (&host);
  return 0;
}

/* --- mzctl demo -------------------------------------------------------------- */

/* Demo files are "<kind>.csv" or "<kind>.jsonl", optionally with an order
 * prefix "10-<kind>.csv"; they are imported in name order.  Other files
 * (generators, notes) are left alone.  Returns the kind, or NULL. */
static char *
demo_file_kind (const char *name)
{
  const char *start = name, *dot = strrchr (name, '.');

  if (dot == NULL || (strcmp (dot, ".csv") != 0 && strcmp (dot, ".jsonl") != 0))
    return NULL;
  if (g_ascii_isdigit (*start))
    {
      while (g_ascii_isdigit (*start))
        start++;
      if (*start != '-')
        return NULL;
      start++;
    }
  if (start >= dot || !g_ascii_islower (*start))
    return NULL;
  for (const char *p = start; p < dot; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return NULL;
  return g_strndup (start, (gsize) (dot - start));
}

/* The demo directory, or NULL when it does not exist. */
static char *
demo_directory (MzConfig *config,
                GError  **error)
{
  g_autofree char *path = g_key_file_get_string (mz_config_get_key_file (config), "demo", "path", NULL);
  g_autofree char *dir = mz_config_resolve_path (config, path != NULL ? path : "demo");

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_DEMO,
                   "演示数据目录 %s 不存在；请在配置 [demo] path 中指定 [import.demo_missing]", dir);
      return NULL;
    }
  return g_steal_pointer (&dir);
}

/* How many records the kinds of the enabled plugins hold. */
static gboolean
store_count_records (MzServices *services,
                     gint64     *out,
                     GError    **error)
{
  GPtrArray *plugins = mz_services_get_plugins (services);
  g_autoptr (MzStoreReader) reader = mz_services_open_reader (services, error);

  *out = 0;
  if (reader == NULL)
    return FALSE;
  for (guint i = 0; i < plugins->len; i++)
    {
      MzPluginEntry *entry = g_ptr_array_index (plugins, i);

      for (guint j = 0; j < entry->kinds->len; j++)
        {
          MzKind *kind = g_ptr_array_index (entry->kinds, j);

          *out += mz_store_report_count_rows (reader, kind->table);
        }
    }
  return TRUE;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Adds every demo file of every enabled plugin to @batch, in plugin load
 * order and then file name order; prints what it found. */
static gboolean
demo_add_files (Host          *host,
                const char    *dir,
                MzImportBatch *batch,
                guint         *n_files,
                GError       **error)
{
  GPtrArray *plugins = mz_services_get_plugins (host->services);

  *n_files = 0;
  for (guint i = 0; i < plugins->len; i++)
    {
      MzPluginEntry *entry = g_ptr_array_index (plugins, i);
      g_autofree char *plugin_dir = g_build_filename (dir, entry->plugin->name, NULL);
      g_autoptr (GDir) d = g_dir_open (plugin_dir, 0, NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      while (d != NULL && (name = g_dir_read_name (d)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);
      for (guint j = 0; j < names->len; j++)
        {
          const char *file = g_ptr_array_index (names, j);
          g_autofree char *kind = demo_file_kind (file);
          g_autofree char *path = NULL;
          g_autofree char *shown = NULL;
          guint before = mz_import_batch_get_n_rows (batch);

          if (kind == NULL)
            continue;
          path = g_build_filename (plugin_dir, file, NULL);
          shown = g_build_filename (entry->plugin->name, file, NULL);
          if (!mz_import_batch_add_file (batch, entry->plugin->name, kind, NULL,
                                         MZ_IMPORT_FORMAT_AUTO, path, TRUE, error))
            {
              g_prefix_error (error, "%s：", shown);
              return FALSE;
            }
          printf ("  %s：读入 %u 行\n", shown, mz_import_batch_get_n_rows (batch) - before);
          (*n_files)++;
        }
    }
  return TRUE;
}

int
mzctl_cmd_demo (MzctlGlobal *global,
                int          argc,
                char       **argv)
{
  gboolean force = FALSE;
  g_autofree char *user = NULL, *role = NULL;
  const GOptionEntry entries[] = {
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Import even if the store already holds records", NULL },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &user, "Who imports (default: demo)", "USER" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "The actor's role (default: supervisor)", "ROLE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context =
    mzctl_options_new (global, NULL,
                       "Imports the demonstration data of every enabled plugin (DEMO/<plugin>/"
                       "[NN-]<kind>.csv|jsonl, DEMO from [demo] path, default demo/ beside the "
                       "configuration) in one transaction.", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (MzImportBatch) batch = NULL;
  g_autofree char *dir = NULL;
  Host host = { 0 };
  MzActor actor;
  gint64 n_records = 0;
  guint n_files = 0;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("demo", context, "选项有误：%s [mzctl.usage]", error->message);
  if (argc > 1)
    return usage_error ("demo", context, "多余的参数“%s”；demo 不带参数 [mzctl.usage]", argv[1]);

  /* A missing demo directory is found before the office opens, so that a
   * mistyped [demo] path leaves no empty database and no office key behind. */
  if (!host_open_config (global, &host, &error)
      || (dir = demo_directory (host.config, &error)) == NULL
      || !host_open_office (global, &host, &error)
      || !store_count_records (host.services, &n_records, &error))
    {
      mzctl_fail ("demo", error);
      host_close (&host);
      return 1;
    }
  if (n_records > 0 && !force)
    {
      g_set_error (&error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_DEMO,
                   "数据库 %s 中已有 %" G_GINT64_FORMAT " 条记录，未导入演示数据；确需导入请加 --force "
                   "[import.store_not_empty]", mz_config_get_store_path (host.config), n_records);
      mzctl_fail ("demo", error);
      host_close (&host);
      return 1;
    }
  if (n_records > 0)
    g_printerr ("mzctl demo: 注意：数据库 %s 中已有 %" G_GINT64_FORMAT " 条记录；--force 把演示数据"
                "追加在这些记录之外，不清除、不替换、不去重，演示记录会与已有记录并存 [import.demo_forced]\n",
                mz_config_get_store_path (host.config), n_records);

  actor = cli_actor (user != NULL ? user : "demo", role, "supervisor");
  batch = mz_import_batch_new (host.services, &actor, NULL);
  /* Every file is read and checked first; nothing is written unless all
   * of them pass, so the lines below count rows read, not imported. */
  printf ("演示数据（全部读入并检查后一并导入）：\n");
  if (!demo_add_files (&host, dir, batch, &n_files, &error) || !mz_import_batch_commit (batch, &error))
    {
      print_problems (batch, FALSE);
      mzctl_fail ("demo", error);
      g_clear_pointer (&batch, mz_import_batch_free);
      host_close (&host);
      return 1;
    }
  printf ("已导入 %u 个文件共 %u 条演示记录。\n", n_files, mz_import_batch_get_n_rows (batch));
  g_clear_pointer (&batch, mz_import_batch_free);
  host_close (&host);
  return 0;
}

/* --- mzctl due ----------------------------------------------------------------- */

int
mzctl_cmd_due (MzctlGlobal *global,
               int          argc,
               char       **argv)
{
  gint days = 7;
  gboolean apply = FALSE;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_INT, &days, "Also list deadlines within this many days (default 7)", "N" },
    { "apply", 0, 0, G_OPTION_ARG_NONE, &apply,
      "Apply the automatic actions of overdue records now, as minzhengd does periodically", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context =
    mzctl_options_new (global, NULL, "Lists due and overdue work of every enabled plugin.", entries);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autofree char *today = NULL;
  g_autofree char *output = NULL;
  Host host = { 0 };

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error ("due", context, "选项有误：%s [mzctl.usage]", error->message);
  if (argc > 1)
    return usage_error ("due", context, "多余的参数“%s”；due 不带参数 [mzctl.usage]", argv[1]);
  if (days < 0)
    return usage_error ("due", context, "--days 须为 0 或正整数，而不是 %d [mzctl.usage]", days);

  if (!host_open (global, &host, &error))
    {
      mzctl_fail ("due", error);
      host_close (&host);
      return 1;
    }
  if (apply)
    {
      MzDueRunStats stats = { 0 };

      if (!mz_due_run (host.services, &stats, &error))
        {
          mzctl_fail ("due", error);
          host_close (&host);
          return 1;
        }
      g_printerr ("已自动处理 %u 件，%u 件已被他人处理而跳过，%u 件失败\n",
                  stats.applied, stats.skipped, stats.failed);
    }
  today = mz_services_today (host.services);
  items = mz_due_list (host.services, today, (guint) days, &error);
  if (items == NULL)
    {
      mzctl_fail ("due", error);
      host_close (&host);
      return 1;
    }
  output = global->json ? mz_due_format_json (items, today) : mz_due_format_text (items, today);
  fputs (output, stdout);
  if (global->json)
    fputc ('\n', stdout);
  host_close (&host);
  return 0;
}
