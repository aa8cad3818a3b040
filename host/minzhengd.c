/* minzhengd — the office's daemon: loads the configuration, opens the
 * store, loads the enabled plugins, says "ready", and serves until SIGTERM
 * or SIGINT, then shuts the plugins down in reverse order.
 *
 * While it runs, a timer signs an audit checkpoint every [audit]
 * checkpoint_seconds if entries are waiting for one; freeing the services
 * at the end signs a last one, so a stopped office's log is fully covered.
 *
 * Exit status: 0 after a clean stop; 1 when the store cannot be opened;
 * 2 when the configuration is unusable (a bad key, a log target that
 * cannot be opened, a required plugin that was refused).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>

#include "config.h"
#include "due.h"
#include "loader.h"
#include "log.h"
#include "registry.h"
#include "services.h"

enum
{
  EXIT_CLEAN = 0,
  EXIT_STORE = 1,
  EXIT_CONFIG = 2,
};

/* One line per plugin, loaded or refused, with the fields operators
 * filter on: MZ_PLUGIN, MZ_PLUGIN_VERSION, MZ_ERROR_CODE, MESSAGE_ID. */
static void
log_plugin (MzPlugin *plugin)
{
  g_autofree char *message = NULL;
  GLogField fields[7];
  gsize n = 0;

  fields[n++] = (GLogField) { "GLIB_DOMAIN", G_LOG_DOMAIN, -1 };
  fields[n++] = (GLogField) { "MZ_PLUGIN", plugin->name, -1 };
  if (plugin->descriptor != NULL)
    fields[n++] = (GLogField) { "MZ_PLUGIN_VERSION", plugin->descriptor->version, -1 };
  if (plugin->path != NULL)
    fields[n++] = (GLogField) { "MZ_PLUGIN_PATH", plugin->path, -1 };
  if (plugin->state == MZ_PLUGIN_STATE_LOADED)
    {
      message = g_strdup_printf ("plugin “%s” %s loaded from %s", plugin->name,
                                 plugin->descriptor->version, plugin->path);
      fields[n++] = (GLogField) { "MESSAGE_ID", "minzheng.plugin.loaded", -1 };
      fields[n++] = (GLogField) { "MESSAGE", message, -1 };
      g_log_structured_array (G_LOG_LEVEL_INFO, fields, n);
      return;
    }
  fields[n++] = (GLogField) { "MESSAGE_ID", "minzheng.plugin.refused", -1 };
  fields[n++] = (GLogField) { "MZ_ERROR_CODE", mz_loader_error_code_name (plugin->error->code), -1 };
  fields[n++] = (GLogField) { "MESSAGE", plugin->error->message, -1 };
  g_log_structured_array (G_LOG_LEVEL_WARNING, fields, n);
}

/* The "ready" line goes to the log and, for people and the startup
 * benchmark, to standard output. */
static void
announce_ready (MzConfig *config,
                MzLoader *loader,
                gint64    started)
{
  g_autoptr (GString) names = g_string_new (NULL);
  guint loaded = 0;
  guint refused = 0;
  double ms = (double) (g_get_monotonic_time () - started) / 1000.0;
  g_autofree char *message = NULL;
  g_autofree char *n_text = NULL;
  g_autofree char *ms_text = NULL;

  for (guint i = 0; i < mz_loader_get_n_plugins (loader); i++)
    {
      MzPlugin *plugin = mz_loader_get_plugin (loader, i);

      if (plugin->state == MZ_PLUGIN_STATE_LOADED)
        {
          g_string_append_printf (names, "%s%s %s", loaded > 0 ? ", " : "", plugin->name,
                                  plugin->descriptor->version);
          loaded++;
        }
      else
        refused++;
    }

  message = g_strdup_printf ("ready: %s (%s), %u plugin%s loaded%s%s%s, %u refused, in %.1f ms",
                             mz_config_get_office_name (config), mz_config_get_office_id (config),
                             loaded, loaded == 1 ? "" : "s", loaded > 0 ? " (" : "",
                             names->str, loaded > 0 ? ")" : "", refused, ms);
  n_text = g_strdup_printf ("%u", loaded);
  ms_text = g_strdup_printf ("%.1f", ms);
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "MESSAGE_ID", "minzheng.ready",
                    "MZ_PLUGINS_LOADED", n_text,
                    "MZ_ELAPSED_MS", ms_text,
                    "MESSAGE", "%s", message);
  printf ("minzhengd: %s\n", message);
  fflush (stdout);
}

static gboolean
on_stop_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

/* Entries the daemon writes (due work today, requests later) get a signed
 * checkpoint within [audit] checkpoint_seconds even when no further write
 * comes to trigger one; a failure is logged and retried at the next tick. */
static gboolean
on_checkpoint_timer (gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  if (!mz_services_checkpoint (user_data, &error))
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "MESSAGE_ID", "audit.checkpoint_failed",
                      "MESSAGE", "periodic checkpoint not written: %s", error->message);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  gint64 started = g_get_monotonic_time ();
  g_autofree char *config_path = NULL;
  g_autofree char *now = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      "Configuration file (default: $MINZHENG_CONFIG, then " MZ_SYSCONFDIR "/minzheng.conf)", "FILE" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now,
      "Fix the host clock, for tests and demonstrations", "YYYY-MM-DD[THH:MM:SS]" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (MzServices) services = NULL;
  g_autoptr (MzLoader) loader = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  MzDueJob *due = NULL;
  g_autoptr (GError) error = NULL;
  gint64 now_usec = 0;
  gboolean load_ok;

  setlocale (LC_ALL, "");
  g_set_prgname ("minzhengd");

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "The minzheng daemon of one civil-affairs office.");
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || !mz_services_parse_now (now, &now_usec, &error))
    {
      g_printerr ("minzhengd: %s\n", error->message);
      return EXIT_CONFIG;
    }
  if (version)
    {
      printf ("minzhengd %s (plugin ABI %d.%d)\n", MZ_VERSION, MZ_ABI_MAJOR, MZ_ABI_MINOR);
      return EXIT_CLEAN;
    }

  config = mz_config_load (config_path, &error);
  if (config == NULL)
    {
      g_printerr ("minzhengd: configuration unusable: %s\n", error->message);
      return EXIT_CONFIG;
    }
  if (!mz_log_init (mz_config_get_log_target (config), mz_config_get_office_id (config), &error))
    {
      g_printerr ("minzhengd: configuration unusable: %s: [log] target: %s\n",
                  mz_config_get_origin (config), error->message);
      return EXIT_CONFIG;
    }

  services = mz_services_new (config, &error);
  if (services == NULL)
    {
      gboolean is_config = error->domain == MZ_CONFIG_ERROR;

      g_printerr ("minzhengd: %s: %s\n",
                  is_config ? "configuration unusable" : "cannot open the office's store",
                  error->message);
      return is_config ? EXIT_CONFIG : EXIT_STORE;
    }
  if (now_usec != 0)
    mz_services_set_now (services, now_usec);

  loader = mz_loader_new (config, services);
  load_ok = mz_loader_load_all (loader, &error);
  for (guint i = 0; i < mz_loader_get_n_plugins (loader); i++)
    log_plugin (mz_loader_get_plugin (loader, i));
  if (!load_ok)
    {
      g_printerr ("minzhengd: configuration unusable: %s\n", error->message);
      return EXIT_CONFIG;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, on_stop_signal, loop);
  g_unix_signal_add (SIGINT, on_stop_signal, loop);
  g_timeout_add_seconds (mz_services_get_checkpoint_seconds (services), on_checkpoint_timer, services);

  /* Due work — legal deadlines and reminders the plugins registered — runs
   * in a thread of its own, once now and then every [due] interval_seconds,
   * so that a long run does not hold up this loop; it stops before the
   * plugins shut down. */
  due = mz_due_job_start (services, &error);
  if (due == NULL)
    {
      g_printerr ("minzhengd: configuration unusable: %s\n", error->message);
      mz_loader_shutdown (loader);
      return EXIT_CONFIG;
    }

  announce_ready (config, loader, started);
  g_main_loop_run (loop);

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "MESSAGE_ID", "minzheng.stopping",
                    "MESSAGE", "stopping: shutting plugins down in reverse order");
  g_clear_pointer (&due, mz_due_job_stop);
  mz_loader_shutdown (loader);
  return EXIT_CLEAN;
}
