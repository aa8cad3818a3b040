/* mzctl plugins — what the configuration loads; mzctl plugin check — one
 * candidate library, inspected in a child process.
 *
 * `plugin check` runs the library in a child (this same program, re-run
 * with a hidden --child option) because loading a library runs its code:
 * a plugin that crashes in its constructor or init must cost the child,
 * never the caller.  The child reports on its standard output, one line
 * per stage reached ("stage open", "stage descriptor", "stage init") and a
 * final "result {json}"; the parent reads the last stage to say where a
 * crash happened.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "config.h"
#include "loader.h"
#include "mzctl.h"
#include "services.h"

enum
{
  STATUS_OK = 0,
  STATUS_REFUSED = 1,
  STATUS_USAGE = 2,
  STATUS_CRASHED = 3,
};

/* --- mzctl plugins ----------------------------------------------------------- */

static void
add_plugin_json (JsonBuilder *builder,
                 MzPlugin    *plugin)
{
  const MzPluginDescriptor *d = plugin->descriptor;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, plugin->name);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, mz_plugin_state_name (plugin->state));
  json_builder_set_member_name (builder, "required");
  json_builder_add_boolean_value (builder, plugin->required);
  json_builder_set_member_name (builder, "path");
  if (plugin->path != NULL)
    json_builder_add_string_value (builder, plugin->path);
  else
    json_builder_add_null_value (builder);
  if (d != NULL)
    {
      g_autofree char *abi = g_strdup_printf ("%u.%u", d->abi_major, d->abi_minor);

      json_builder_set_member_name (builder, "version");
      json_builder_add_string_value (builder, d->version);
      json_builder_set_member_name (builder, "abi");
      json_builder_add_string_value (builder, abi);
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, d->description);
      json_builder_set_member_name (builder, "license");
      json_builder_add_string_value (builder, d->license);
      json_builder_set_member_name (builder, "vendor");
      json_builder_add_string_value (builder, d->vendor);
      json_builder_set_member_name (builder, "requires");
      json_builder_begin_array (builder);
      for (guint i = 0; d->requires != NULL && d->requires[i] != NULL; i++)
        json_builder_add_string_value (builder, d->requires[i]);
      json_builder_end_array (builder);
    }
  if (plugin->error != NULL)
    {
      json_builder_set_member_name (builder, "error_code");
      json_builder_add_string_value (builder, mz_loader_error_code_name (plugin->error->code));
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, plugin->error->message);
    }
  json_builder_end_object (builder);
}

static void
print_json (JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

static char *
state_text (MzPlugin *plugin)
{
  if (plugin->state == MZ_PLUGIN_STATE_REFUSED)
    return g_strdup_printf ("refused (%s)", mz_loader_error_code_name (plugin->error->code));
  if (plugin->state == MZ_PLUGIN_STATE_OPENED)
    return g_strdup ("checked");
  return g_strdup (mz_plugin_state_name (plugin->state));
}

static void
print_table (MzLoader *loader)
{
  int path_width = 4;

  for (guint i = 0; i < mz_loader_get_n_plugins (loader); i++)
    {
      MzPlugin *plugin = mz_loader_get_plugin (loader, i);

      if (plugin->path != NULL)
        path_width = MAX (path_width, (int) strlen (plugin->path));
    }

  printf ("%-12s %-9s %-5s %-30s %-*s %s\n", "NAME", "VERSION", "ABI", "STATE",
          path_width, "PATH", "DESCRIPTION");
  for (guint i = 0; i < mz_loader_get_n_plugins (loader); i++)
    {
      MzPlugin *plugin = mz_loader_get_plugin (loader, i);
      const MzPluginDescriptor *d = plugin->descriptor;
      g_autofree char *abi = d != NULL ? g_strdup_printf ("%u.%u", d->abi_major, d->abi_minor)
                                       : g_strdup ("-");
      g_autofree char *state = state_text (plugin);

      printf ("%-12s %-9s %-5s %-30s %-*s %s\n", plugin->name,
              d != NULL ? d->version : "-", abi, state, path_width,
              plugin->path != NULL ? plugin->path : "-",
              d != NULL ? d->description : "-");
    }
  for (guint i = 0; i < mz_loader_get_n_plugins (loader); i++)
    {
      MzPlugin *plugin = mz_loader_get_plugin (loader, i);

      if (plugin->error != NULL)
        printf ("\n%s: %s\n", plugin->name, plugin->error->message);
    }
}

/* Lists every enabled plugin with what became of it.  By default the
 * plugins are started against the office's store, as minzhengd would;
 * --no-init only checks the files and opens no store.
 * Exit status: 0 all loaded, 1 some refused, 2 configuration unusable. */
int
mzctl_plugins (MzctlGlobal *global,
               int          argc,
               char       **argv)
{
  gboolean no_init = FALSE;
  const GOptionEntry entries[] = {
    { "no-init", 0, 0, G_OPTION_ARG_NONE, &no_init,
      "Only check the files; start no plugin and open no store", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (MzServices) services = NULL;
  g_autoptr (MzLoader) loader = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) required_error = NULL;
  gboolean all_loaded = TRUE;

  context = mzctl_options_new (global, NULL, "List the plugins the configuration loads.", entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mzctl_fail ("plugins", error);
      return STATUS_USAGE;
    }
  config = mz_config_load (global->config, &error);
  if (config == NULL)
    {
      mzctl_fail ("plugins", error);
      return STATUS_USAGE;
    }
  if (!no_init)
    {
      services = mz_services_new (config, &error);
      if (services == NULL)
        {
          mzctl_fail ("plugins", error);
          g_printerr ("(use --no-init to check the plugins without opening the store)\n");
          return STATUS_USAGE;
        }
    }

  loader = mz_loader_new (config, services);
  mz_loader_load_all (loader, &required_error);
  for (guint i = 0; i < mz_loader_get_n_plugins (loader); i++)
    if (mz_loader_get_plugin (loader, i)->state == MZ_PLUGIN_STATE_REFUSED)
      all_loaded = FALSE;

  if (global->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "config");
      json_builder_add_string_value (builder, mz_config_get_origin (config));
      json_builder_set_member_name (builder, "plugins");
      json_builder_begin_array (builder);
      for (guint i = 0; i < mz_loader_get_n_plugins (loader); i++)
        add_plugin_json (builder, mz_loader_get_plugin (loader, i));
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      print_json (builder);
    }
  else
    print_table (loader);

  if (required_error != NULL)
    mzctl_fail ("plugins", required_error);
  return all_loaded ? STATUS_OK : STATUS_REFUSED;
}

/* --- mzctl plugin check: the child ------------------------------------------- */

static void
child_stage (const char *stage,
             gpointer    user_data)
{
  printf ("stage %s\n", stage);
  fflush (stdout);
}

static void
child_result (MzPlugin     *plugin,
              const GError *error)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  if (plugin != NULL && error == NULL)
    add_plugin_json (builder, plugin);
  else
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "state");
      json_builder_add_string_value (builder, "refused");
      json_builder_set_member_name (builder, "error_code");
      json_builder_add_string_value (builder, error->domain == MZ_LOADER_ERROR
                                     ? mz_loader_error_code_name (error->code) : "CONFIG");
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, error->message);
      json_builder_end_object (builder);
    }
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, NULL);
  printf ("result %s\n", text);
  fflush (stdout);
}

/* A configuration for running init: the office's own (or a stand-in), with
 * the store moved into @scratch so that a candidate plugin never writes to
 * the office's database. */
static MzConfig *
scratch_config (const char  *config_path,
                const char  *scratch,
                GError     **error)
{
  g_autoptr (MzConfig) office = NULL;
  g_autoptr (GKeyFile) key_file = g_key_file_new ();
  g_autofree char *store = g_build_filename (scratch, "check.db", NULL);
  g_autofree char *data = NULL;
  g_autofree char *origin = NULL;

  if (config_path != NULL || g_getenv ("MINZHENG_CONFIG") != NULL)
    {
      office = mz_config_load (config_path, error);
      if (office == NULL)
        return NULL;
      data = g_key_file_to_data (mz_config_get_key_file (office), NULL, NULL);
      if (!g_key_file_load_from_data (key_file, data, (gsize) -1, G_KEY_FILE_NONE, error))
        return NULL;
      origin = g_strdup (mz_config_get_origin (office));
    }
  else
    {
      g_key_file_set_string (key_file, "office", "id", "110000");
      g_key_file_set_string (key_file, "office", "name", "plugin check");
      origin = g_build_filename (scratch, "check.conf", NULL);
    }
  g_key_file_set_string (key_file, "store", "path", store);
  g_clear_pointer (&data, g_free);
  data = g_key_file_to_data (key_file, NULL, NULL);
  return mz_config_load_from_data (data, origin, error);
}

static int
plugin_check_child (MzctlGlobal *global,
                    const char  *path,
                    const char  *scratch)
{
  const struct rlimit no_core = { 0, 0 };
  g_autoptr (MzPlugin) plugin = NULL;
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (MzServices) services = NULL;
  g_autoptr (GError) error = NULL;

  /* A crash here must not leave a core file of the office's data. */
  setrlimit (RLIMIT_CORE, &no_core);
  prctl (PR_SET_DUMPABLE, 0, 0, 0, 0);

  plugin = mz_loader_check_file (path, child_stage, NULL, &error);
  if (plugin == NULL || scratch == NULL)
    {
      child_result (plugin, error);
      return STATUS_OK;
    }

  config = scratch_config (global->config, scratch, &error);
  if (config != NULL)
    services = mz_services_new (config, &error);
  if (services == NULL)
    {
      child_result (NULL, error);
      return STATUS_OK;
    }
  child_stage ("init", NULL);
  if (!mz_loader_init_plugin (plugin, services, &error))
    {
      child_result (plugin, error);
      return STATUS_OK;
    }
  child_stage ("shutdown", NULL);
  if (plugin->descriptor->shutdown != NULL)
    plugin->descriptor->shutdown (plugin);
  mz_services_detach_plugin (services, plugin);
  child_result (plugin, NULL);
  return STATUS_OK;
}

/* --- mzctl plugin check: the parent ------------------------------------------ */

typedef struct
{
  int status;          /* from waitpid */
  gboolean timed_out;
  char *stage;         /* last stage the child reached, or NULL */
  JsonObject *result;  /* the child's result, or NULL */
} ChildReport;

static void
child_report_clear (ChildReport *report)
{
  g_free (report->stage);
  g_clear_pointer (&report->result, json_object_unref);
}

static void
parse_child_output (const char  *output,
                    ChildReport *report)
{
  g_auto (GStrv) lines = g_strsplit (output, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "stage "))
        {
          g_free (report->stage);
          report->stage = g_strdup (lines[i] + 6);
        }
      else if (g_str_has_prefix (lines[i], "result "))
        {
          g_autoptr (JsonParser) parser = json_parser_new ();

          if (json_parser_load_from_data (parser, lines[i] + 7, -1, NULL)
              && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
            report->result = json_object_ref (json_node_get_object (json_parser_get_root (parser)));
        }
    }
}

/* Runs the child and collects what it said, killing it after @timeout
 * seconds: a plugin that hangs while loading is as unfit as one that crashes. */
static gboolean
run_child (char       **child_argv,
           guint        timeout,
           ChildReport *report,
           GError     **error)
{
  g_auto (GStrv) env = g_get_environ ();
  g_autoptr (GString) output = g_string_new (NULL);
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout * G_USEC_PER_SEC;
  GPid pid;
  int out_fd;

  /* Under a sanitizer build the child must still die of the signal
   * itself, so that what is reported is the plugin's crash. */
  env = g_environ_setenv (env, "ASAN_OPTIONS",
                          "handle_segv=0:handle_sigbus=0:handle_abort=0:detect_leaks=0", TRUE);
  if (!g_spawn_async_with_pipes (NULL, child_argv, env, G_SPAWN_DO_NOT_REAP_CHILD,
                                 NULL, NULL, &pid, NULL, &out_fd, NULL, error))
    return FALSE;

  for (;;)
    {
      struct pollfd pfd = { .fd = out_fd, .events = POLLIN };
      gint64 left = deadline - g_get_monotonic_time ();
      char buffer[4096];
      gssize n;

      if (left <= 0)
        {
          kill (pid, SIGKILL);
          report->timed_out = TRUE;
          break;
        }
      if (poll (&pfd, 1, (int) MIN (left / 1000 + 1, G_MAXINT)) < 0 && errno != EINTR)
        break;
      if (pfd.revents == 0)
        continue;
      n = read (out_fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (output, buffer, n);
    }
  close (out_fd);
  while (waitpid (pid, &report->status, 0) < 0 && errno == EINTR)
    ;
  g_spawn_close_pid (pid);
  parse_child_output (output->str, report);
  return TRUE;
}

static const char *
stage_place (const char *stage)
{
  if (g_strcmp0 (stage, "open") == 0)
    return "in constructor";
  if (g_strcmp0 (stage, "descriptor") == 0)
    return "in mz_plugin_get_descriptor()";
  if (g_strcmp0 (stage, "init") == 0)
    return "in init";
  if (g_strcmp0 (stage, "shutdown") == 0)
    return "in shutdown";
  return "before loading";
}

/* The child ended without a result: killed by a signal, by the timeout, or
 * it exited on its own (a plugin calling exit()). */
static char *
describe_crash (const ChildReport *report)
{
  const char *place = stage_place (report->stage);

  if (report->timed_out)
    return g_strdup_printf ("plugin hung while loading %s and was killed — the library is "
                            "broken, do not deploy it", place);
  if (WIFSIGNALED (report->status))
    {
      const char *name = sigabbrev_np (WTERMSIG (report->status));

      return g_strdup_printf ("plugin crashed while loading: SIG%s %s — the library is "
                              "broken, do not deploy it",
                              name != NULL ? name : "(unknown)", place);
    }
  return g_strdup_printf ("plugin ended the checking process while loading (exit status %d) "
                          "%s — the library is broken, do not deploy it",
                          WEXITSTATUS (report->status), place);
}

static int
plugin_check (MzctlGlobal *global,
              const char  *path,
              gboolean     init,
              guint        timeout)
{
  g_autoptr (GPtrArray) child_argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *scratch = NULL;
  g_autofree char *crash = NULL;
  g_autoptr (GError) error = NULL;
  ChildReport report = { 0 };
  const char *state;
  int status;

  g_ptr_array_add (child_argv, g_strdup (self));
  g_ptr_array_add (child_argv, g_strdup ("plugin"));
  g_ptr_array_add (child_argv, g_strdup ("check"));
  g_ptr_array_add (child_argv, g_strdup ("--child"));
  if (init)
    {
      scratch = g_dir_make_tmp ("mzctl-check-XXXXXX", &error);
      if (scratch == NULL)
        {
          mzctl_fail ("plugin check", error);
          return STATUS_USAGE;
        }
      g_ptr_array_add (child_argv, g_strconcat ("--scratch=", scratch, NULL));
    }
  if (global->config != NULL)
    g_ptr_array_add (child_argv, g_strconcat ("--config=", global->config, NULL));
  g_ptr_array_add (child_argv, g_strdup ("--"));
  g_ptr_array_add (child_argv, g_strdup (path));
  g_ptr_array_add (child_argv, NULL);

  if (!run_child ((char **) child_argv->pdata, timeout, &report, &error))
    {
      mzctl_fail ("plugin check", error);
      return STATUS_USAGE;
    }
  if (scratch != NULL)
    {
      g_autoptr (GDir) dir = g_dir_open (scratch, 0, NULL);
      const char *entry;

      while (dir != NULL && (entry = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *file = g_build_filename (scratch, entry, NULL);

          g_remove (file);
        }
      g_rmdir (scratch);
    }

  if (report.result == NULL)
    {
      crash = describe_crash (&report);
      status = STATUS_CRASHED;
    }
  else
    {
      state = json_object_get_string_member_with_default (report.result, "state", "refused");
      status = strcmp (state, "refused") == 0 ? STATUS_REFUSED : STATUS_OK;
    }

  if (global->json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonNode) result = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "file");
      json_builder_add_string_value (builder, path);
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, status == STATUS_OK);
      json_builder_set_member_name (builder, "crashed");
      json_builder_add_boolean_value (builder, status == STATUS_CRASHED);
      json_builder_set_member_name (builder, "stage");
      json_builder_add_string_value (builder, report.stage);
      if (crash != NULL)
        {
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, crash);
        }
      if (report.result != NULL)
        {
          result = json_node_init_object (json_node_alloc (), report.result);
          json_builder_set_member_name (builder, "plugin");
          json_builder_add_value (builder, g_steal_pointer (&result));
        }
      json_builder_end_object (builder);
      print_json (builder);
    }
  else if (crash != NULL)
    g_printerr ("mzctl plugin check: %s: %s\n", path, crash);
  else if (status == STATUS_REFUSED)
    g_printerr ("mzctl plugin check: %s: refused (%s): %s\n", path,
                json_object_get_string_member_with_default (report.result, "error_code", "?"),
                json_object_get_string_member_with_default (report.result, "error", ""));
  else
    printf ("%s: OK — plugin “%s” %s, ABI %s, %s%s\n", path,
            json_object_get_string_member (report.result, "name"),
            json_object_get_string_member (report.result, "version"),
            json_object_get_string_member (report.result, "abi"),
            json_object_get_string_member (report.result, "description"),
            init ? " (init and shutdown ran)" : "");

  child_report_clear (&report);
  return status;
}

/* mzctl plugin check FILE [--init] [--timeout SECONDS].
 * Exit status: 0 OK, 1 refused, 2 usage, 3 crashed, hung or exited. */
int
mzctl_plugin (MzctlGlobal *global,
              int          argc,
              char       **argv)
{
  gboolean init = FALSE;
  gboolean child = FALSE;
  char *scratch = NULL;
  int timeout = 30;
  const GOptionEntry entries[] = {
    { "init", 0, 0, G_OPTION_ARG_NONE, &init,
      "Also run the plugin's init and shutdown (against a scratch store)", NULL },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      "Give up on a plugin that has not loaded after this many seconds (30)", "SECONDS" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &child, NULL, NULL },
    { "scratch", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &scratch, NULL, NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  context = mzctl_options_new (global, "check FILE",
                               "Inspect one plugin library in a child process.", entries);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      mzctl_fail ("plugin", error);
      g_free (scratch);
      return STATUS_USAGE;
    }
  if (argc != 3 || strcmp (argv[1], "check") != 0 || timeout <= 0)
    {
      g_printerr ("Usage: mzctl plugin check FILE [--init] [--json] [--timeout SECONDS]\n");
      g_free (scratch);
      return STATUS_USAGE;
    }

  if (child)
    status = plugin_check_child (global, argv[2], scratch);
  else
    status = plugin_check (global, argv[2], init, (guint) timeout);
  g_free (scratch);
  return status;
}
