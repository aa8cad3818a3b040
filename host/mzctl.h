/* minzheng host — what mzctl's subcommands share.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Options every subcommand accepts, parsed by each subcommand's own
 * GOptionContext together with its own entries (see mzctl_options_new). */
typedef struct
{
  char *config;   /* --config FILE (else $MINZHENG_CONFIG) */
  char *now;      /* --now "YYYY-MM-DD[THH:MM:SS]" fixes the host clock */
  gboolean json;  /* --json: machine-readable output on stdout */
} MzctlGlobal;

/* A context with the global entries and @entries; @parameter_string as in
 * g_option_context_new ("FILE").  Parse it with g_option_context_parse. */
GOptionContext *mzctl_options_new (MzctlGlobal       *global,
                                   const char        *parameter_string,
                                   const char        *summary,
                                   const GOptionEntry *entries);

/* Prints "mzctl <command>: <message>" to stderr, then the hint if any. */
void mzctl_fail (const char *command, const GError *error);

/* One subcommand: argv[0] is the subcommand's name. Returns the exit status. */
typedef int (*MzctlCommandFunc) (MzctlGlobal *global, int argc, char **argv);

/* mzctl-audit.c: verify, proof, check-proof, export. */
int mzctl_cmd_audit (MzctlGlobal *global, int argc, char **argv);

/* mzctl-report.c: report, import, demo, due. */
int mzctl_cmd_report (MzctlGlobal *global, int argc, char **argv);
int mzctl_cmd_import (MzctlGlobal *global, int argc, char **argv);
int mzctl_cmd_demo (MzctlGlobal *global, int argc, char **argv);
int mzctl_cmd_due (MzctlGlobal *global, int argc, char **argv);

/* mzctl-store.c: record create/act/show/find, db backup/check, and the
 * office every command that touches records opens: configuration,
 * services (store, audit log) and, if @load_plugins, the enabled plugins.
 * The global --now fixes the host clock. */
typedef struct
{
  struct _MzConfig *config;
  struct _MzServices *services;
  struct _MzLoader *loader;
} MzctlOffice;
MzctlOffice *mzctl_office_open (MzctlGlobal *global, gboolean load_plugins, GError **error);
void mzctl_office_close (MzctlOffice *office);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzctlOffice, mzctl_office_close)
int mzctl_record (MzctlGlobal *global, int argc, char **argv);
int mzctl_db (MzctlGlobal *global, int argc, char **argv);

/* mzctl-plugins.c */
int mzctl_plugins (MzctlGlobal *global, int argc, char **argv);
int mzctl_plugin (MzctlGlobal *global, int argc, char **argv);

G_END_DECLS
