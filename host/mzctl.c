/* mzctl — the command-line tool for clerks' supervisors and IT staff.
 *
 * Each subcommand lives in the file of its concern (mzctl-plugins.c,
 * mzctl-store.c, mzctl-audit.c, mzctl-report.c); this file only dispatches.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "mzctl.h"
#include "services.h"

typedef struct
{
  const char *name;
  MzctlCommandFunc func;
  const char *summary;
} MzctlCommand;

/* Subcommands are declared here and defined in their concern's file. */
static const MzctlCommand commands[] = {
  /* mzctl-commands */
  { "audit", mzctl_cmd_audit, "Verify the audit log, print inclusion proofs, export entries" },
  { "plugins", mzctl_plugins, "List the plugins the configuration loads, and their state" },
  { "plugin", mzctl_plugin, "plugin check FILE: inspect one plugin library in a child process" },
  { "report", mzctl_cmd_report, "The office's report for a period (text, JSON or CSV)" },
  { "import", mzctl_cmd_import, "import PLUGIN KIND FILE: bring in records from CSV or JSON lines" },
  { "demo", mzctl_cmd_demo, "Import every enabled plugin's demonstration data" },
  { "due", mzctl_cmd_due, "List due and overdue work; --apply performs the automatic actions" },
  { "record", mzctl_record, "record create|act|show|find: records through their workflows" },
  { "db", mzctl_db, "db backup FILE | db check: online backup; integrity and audit check" },
  { NULL, NULL, NULL },
};

/* A --now that is no date is a usage error (exit 2), found when the
 * options are parsed rather than when the office opens. */
static gboolean
check_now (GOptionContext *context,
           GOptionGroup   *group,
           gpointer        data,
           GError        **error)
{
  MzctlGlobal *global = data;
  gint64 usec;

  return mz_services_parse_now (global->now, &usec, error);
}

GOptionContext *
mzctl_options_new (MzctlGlobal        *global,
                   const char         *parameter_string,
                   const char         *summary,
                   const GOptionEntry *entries)
{
  const GOptionEntry global_entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &global->config,
      "Configuration file (default: $MINZHENG_CONFIG)", "FILE" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &global->now,
      "Fix the host clock, for tests and what-if runs", "YYYY-MM-DD[THH:MM:SS]" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &global->json,
      "Machine-readable JSON on standard output", NULL },
    G_OPTION_ENTRY_NULL
  };
  GOptionContext *context = g_option_context_new (parameter_string);
  GOptionGroup *group = g_option_group_new (NULL, NULL, NULL, global, NULL);

  g_option_group_add_entries (group, global_entries);
  if (entries != NULL)
    g_option_group_add_entries (group, entries);
  g_option_group_set_parse_hooks (group, NULL, check_now);
  g_option_context_set_main_group (context, group);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  return context;
}

void
mzctl_fail (const char   *command,
            const GError *error)
{
  g_printerr ("mzctl %s: %s\n", command, error->message);
}

static void
usage (FILE *out)
{
  fprintf (out, "Usage: mzctl [--config FILE] [--now DATE] [--json] COMMAND [OPTION…]\n\nCommands:\n");
  for (const MzctlCommand *c = commands; c->name != NULL; c++)
    fprintf (out, "  %-10s %s\n", c->name, c->summary);
  fprintf (out, "\nThe global options --config/-c, --now and --json may come before the command or "
                "among its options.\nRun “mzctl COMMAND --help” for a command’s options.\n");
}

/* The global options before the command, parsed into @global: the
 * command's own parse sees the same variables, so "mzctl -c FILE demo"
 * and "mzctl demo -c FILE" mean the same.  Parsing stops at the command;
 * anything else before it is left in place for main to refuse. */
static gboolean
parse_global_options (MzctlGlobal *global,
                      int         *argc,
                      char      ***argv)
{
  g_autoptr (GOptionContext) context = mzctl_options_new (global, NULL, NULL, NULL);
  g_autoptr (GError) error = NULL;

  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_set_ignore_unknown_options (context, TRUE);
  g_option_context_set_strict_posix (context, TRUE);
  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  fprintf (stderr, "mzctl: 命令前的全局选项有误：%s [mzctl.global_option]\n\n", error->message);
  return FALSE;
}

int
main (int   argc,
      char *argv[])
{
  MzctlGlobal global = { 0 };
  int status = 2;
  char *leading_config = NULL;
  char *leading_now = NULL;

  setlocale (LC_ALL, "");

  if (!parse_global_options (&global, &argc, &argv))
    usage (stderr);
  else if (argc < 2)
    usage (stderr);
  else if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      status = 0;
    }
  else if (strcmp (argv[1], "--version") == 0)
    {
      printf ("mzctl %s\n", MZ_VERSION);
      status = 0;
    }
  else if (argv[1][0] == '-')
    {
      fprintf (stderr, "mzctl: 命令前只能用全局选项 --config/-c、--now、--json，而不是“%s” "
               "[mzctl.global_option]\n\n", argv[1]);
      usage (stderr);
    }
  else
    {
      const MzctlCommand *c = commands;

      while (c->name != NULL && strcmp (c->name, argv[1]) != 0)
        c++;
      /* Given again after the command, GLib replaces a leading value
       * without freeing it: keep our own hold on it. */
      leading_config = global.config;
      leading_now = global.now;
      if (c->name != NULL)
        status = c->func (&global, argc - 1, argv + 1);
      else
        {
          fprintf (stderr, "mzctl: 未知命令“%s” [mzctl.command_unknown]\n\n", argv[1]);
          usage (stderr);
        }
    }
  if (global.config != leading_config)
    g_free (leading_config);
  if (global.now != leading_now)
    g_free (leading_now);
  g_free (global.config);
  g_free (global.now);
  return status;
}
