/* mzctl audit — verify the audit log, print and check inclusion proofs,
 * export entries as JSON lines.
 *
 * Every subcommand opens the office database read-only, named by
 * --database (a copy verified offline, at the centre) or else by the
 * configuration's [store] path; the public key file is --public-key or
 * else the office key's KEY.pub when it exists.  An export from the
 * office's own database is first recorded in its audit log (audit.export),
 * like every other hand-out of data; an export from a copy given by
 * --database is not: the copy is not the office's log, and its making was
 * recorded (db.backup) when it was made.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <string.h>
#include <gio/gunixoutputstream.h>
#include <json-glib/json-glib.h>

#include <minzheng/minzheng.h>

#include "audit.h"
#include "config.h"
#include "mzctl.h"
#include "registry.h"
#include "services.h"
#include "store-audit-read.h"

/**
 * MzctlAuditError:
 * @MZCTL_AUDIT_ERROR_DATABASE: the database file is missing or cannot be opened
 * @MZCTL_AUDIT_ERROR_DATE: --from or --to is not a date YYYY-MM-DD
 */
typedef enum
{
  MZCTL_AUDIT_ERROR_DATABASE,
  MZCTL_AUDIT_ERROR_DATE,
} MzctlAuditError;

#define MZCTL_AUDIT_ERROR (mzctl_audit_error_quark ())
static G_DEFINE_QUARK (mzctl-audit-error-quark, mzctl_audit_error)

typedef struct
{
  char *database;
  char *public_key;
  char *timezone;
} AuditArgs;

static void
audit_args_clear (AuditArgs *args)
{
  g_free (args->database);
  g_free (args->public_key);
  g_free (args->timezone);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AuditArgs, audit_args_clear)

/* Without --database, the configuration (--config or $MINZHENG_CONFIG)
 * names the database, the office's public key and its time zone. */
static gboolean
resolve_from_config (MzctlGlobal *global,
                     AuditArgs   *args,
                     GError     **error)
{
  g_autoptr (MzConfig) config = NULL;

  if (args->database != NULL)
    return TRUE;
  config = mz_config_load (global->config, error);
  if (config == NULL)
    return FALSE;
  args->database = g_strdup (mz_config_get_store_path (config));
  args->timezone = g_strdup (mz_config_get_timezone (config));
  if (args->public_key == NULL)
    {
      g_autofree char *key = mz_services_audit_key_path_for (config);
      g_autofree char *pub = g_strconcat (key, ".pub", NULL);

      if (g_file_test (pub, G_FILE_TEST_EXISTS))
        args->public_key = g_steal_pointer (&pub);
    }
  return TRUE;
}

static MzStoreReader *
open_database (MzctlGlobal *global,
               AuditArgs   *args,
               GError     **error)
{
  if (!resolve_from_config (global, args, error))
    return NULL;
  if (!g_file_test (args->database, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, MZCTL_AUDIT_ERROR, MZCTL_AUDIT_ERROR_DATABASE,
                   "数据库文件 %s 不存在 [mzctl.database.not_found]", args->database);
      return NULL;
    }
  return mz_store_audit_reader_open (args->database, error);
}

/* Exit status 1 for a failed check or I/O, 2 for a usage mistake. */
static int
fail (const char   *command,
      const GError *error,
      int           status)
{
  mzctl_fail (command, error);
  return status;
}

static GOptionContext *
context_new (MzctlGlobal       *global,
             AuditArgs         *args,
             const char        *parameter_string,
             const char        *summary,
             const GOptionEntry *extra)
{
  GOptionContext *context;
  const GOptionEntry entries[] = {
    { "database", 'd', 0, G_OPTION_ARG_FILENAME, &args->database,
      "Office database file (default: the configuration's [store] path)", "FILE" },
    { "public-key", 'k', 0, G_OPTION_ARG_FILENAME, &args->public_key,
      "Office public key file (KEY.pub) the log must be signed with", "FILE" },
    G_OPTION_ENTRY_NULL
  };

  context = mzctl_options_new (global, parameter_string, summary, entries);
  if (extra != NULL)
    {
      GOptionGroup *group = g_option_group_new ("command", "Command options", "Show command options", NULL, NULL);
      g_option_group_add_entries (group, extra);
      g_option_context_add_group (context, group);
    }
  return context;
}

static void
print_json_result (gboolean                   ok,
                   const MzAuditVerifyResult *result,
                   const GError              *error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, ok);
  json_builder_set_member_name (b, "entries");
  json_builder_add_int_value (b, result->entries);
  json_builder_set_member_name (b, "checkpoints");
  json_builder_add_int_value (b, result->checkpoints);
  if (!ok)
    {
      g_autofree char *code = mz_error_code_name (error);

      json_builder_set_member_name (b, "first_bad_seq");
      json_builder_add_int_value (b, result->first_bad_seq);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, code);
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, error->message);
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  printf ("%s\n", text);
}

static int
cmd_verify (MzctlGlobal *global,
            int          argc,
            char       **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (AuditArgs) args = { 0 };
  g_autofree char *checkpoints = NULL;
  const GOptionEntry extra[] = {
    { "checkpoints", 0, 0, G_OPTION_ARG_FILENAME, &checkpoints,
      "Also check against checkpoints kept elsewhere (output of “mzctl audit checkpoints”)", "FILE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context =
    context_new (global, &args, NULL, "Recompute every leaf and root and check every checkpoint signature.", extra);
  MzAuditVerifyResult result = { 0 };
  g_autofree char *shipped = NULL;
  MzStoreReader *reader;
  gboolean ok;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("audit verify", error, 2);
  if (checkpoints != NULL && !g_file_get_contents (checkpoints, &shipped, NULL, &error))
    return fail ("audit verify", error, 1);
  reader = open_database (global, &args, &error);
  ok = reader != NULL && mz_audit_verify_shipped (reader, args.public_key, shipped, &result, &error);
  mz_store_reader_close (reader);

  if (global->json)
    print_json_result (ok, &result, error);
  if (!ok)
    {
      if (!global->json)
        mzctl_fail ("audit verify", error);
      return 1;
    }
  if (!global->json)
    printf ("verified %" G_GINT64_FORMAT " entries, %" G_GINT64_FORMAT " checkpoints\n",
            result.entries, result.checkpoints);
  return 0;
}

static int
cmd_proof (MzctlGlobal *global,
           int          argc,
           char       **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (AuditArgs) args = { 0 };
  gboolean check = FALSE;
  const GOptionEntry extra[] = {
    { "verify", 0, 0, G_OPTION_ARG_NONE, &check, "Check the proof before printing it", NULL },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context =
    context_new (global, &args, "SEQ", "Print the inclusion proof of entry SEQ against the latest checkpoint.", extra);
  g_autofree char *proof = NULL;
  guint64 seq = 0;
  MzStoreReader *reader;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("audit proof", error, 2);
  if (argc != 2 || !g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXINT64, &seq, NULL))
    {
      g_printerr ("mzctl audit proof: 请给出一个审计记录序号 SEQ（正整数） [mzctl.audit.seq]\n");
      return 2;
    }
  reader = open_database (global, &args, &error);
  if (reader == NULL)
    return fail ("audit proof", error, 1);
  proof = mz_audit_proof (reader, (gint64) seq, &error);
  mz_store_reader_close (reader);
  if (proof == NULL)
    return fail ("audit proof", error, 1);
  if (check && !mz_audit_proof_check (proof, args.public_key, NULL, &error))
    return fail ("audit proof", error, 1);
  printf ("%s\n", proof);
  return 0;
}

static int
cmd_check_proof (MzctlGlobal *global,
                 int          argc,
                 char       **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (AuditArgs) args = { 0 };
  g_autoptr (GOptionContext) context =
    context_new (global, &args, "FILE", "Check a proof printed by “mzctl audit proof” (FILE, or - for standard input).", NULL);
  g_autofree char *text = NULL;
  gint64 seq = 0;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("audit check-proof", error, 2);
  if (argc != 2)
    {
      g_printerr ("mzctl audit check-proof: 请给出证明文件 FILE [mzctl.audit.file]\n");
      return 2;
    }
  if (strcmp (argv[1], "-") == 0)
    {
      g_autoptr (GString) buffer = g_string_new (NULL);
      char chunk[4096];
      size_t n;

      while ((n = fread (chunk, 1, sizeof chunk, stdin)) > 0)
        g_string_append_len (buffer, chunk, (gssize) n);
      text = g_string_free (g_steal_pointer (&buffer), FALSE);
    }
  else if (!g_file_get_contents (argv[1], &text, NULL, &error))
    return fail ("audit check-proof", error, 1);
  if (!mz_audit_proof_check (text, args.public_key, &seq, &error))
    return fail ("audit check-proof", error, 1);
  printf ("proof of entry %" G_GINT64_FORMAT " verified%s\n", seq,
          args.public_key != NULL ? " with the given public key" : " with the public key it carries");
  return 0;
}

/* The output stream of --output FILE, or standard output. */
static GOutputStream *
open_output (const char *output,
             GError    **error)
{
  g_autoptr (GFile) file = NULL;

  if (output == NULL)
    return g_unix_output_stream_new (1, FALSE);
  file = g_file_new_for_commandline_arg (output);
  return G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, error));
}

/* A "YYYY-MM-DD" office-local day, as microseconds since the epoch at its
 * start: the configured [office] timezone, else China's Asia/Shanghai. */
static gboolean
parse_day (const char *option,
           const char *text,
           const char *timezone,
           int         add_days,
           gint64     *out,
           GError    **error)
{
  g_autoptr (GTimeZone) zone = g_time_zone_new_identifier (timezone != NULL ? timezone : "Asia/Shanghai");
  g_autoptr (GDateTime) dt = NULL;
  g_autoptr (GDateTime) shifted = NULL;
  int y = 0, m = 0, d = 0;
  char rest = 0;

  if (zone == NULL)
    zone = g_time_zone_new_local ();
  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &rest) != 3 ||
      !g_date_valid_dmy ((GDateDay) d, (GDateMonth) m, (GDateYear) y))
    {
      g_set_error (error, MZCTL_AUDIT_ERROR, MZCTL_AUDIT_ERROR_DATE, "%s 应为日期 YYYY-MM-DD，而不是“%s” [mzctl.date]",
                   option, text != NULL ? text : "");
      return FALSE;
    }
  dt = g_date_time_new (zone, y, m, d, 0, 0, 0);
  shifted = g_date_time_add_days (dt, add_days);
  *out = g_date_time_to_unix (shifted) * G_USEC_PER_SEC;
  return TRUE;
}

static int
cmd_export (MzctlGlobal *global,
            int          argc,
            char       **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (AuditArgs) args = { 0 };
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *output = NULL;
  g_autofree char *user = NULL;
  g_autofree char *role = NULL;
  g_autofree char *reason = NULL;
  const GOptionEntry extra[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, "First day, in the office's time zone (entries show UTC)", "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, "Last day, included, in the office's time zone", "YYYY-MM-DD" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE instead of standard output", "FILE" },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &user, "Who exports (default: the login name)", "USER" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "The actor's role (default: auditor)", "ROLE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context =
    context_new (global, &args, NULL, "Write the entries of a period as JSON lines.", extra);
  g_autoptr (GOutputStream) out = NULL;
  g_autoptr (MzctlOffice) office = NULL;
  gboolean own_log;
  MzActor actor = { 0 };
  gint64 from_usec = 0, to_usec = 0;
  MzStoreReader *reader;
  gboolean ok;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("audit export", error, 2);
  own_log = args.database == NULL;
  if (from == NULL || to == NULL)
    {
      g_printerr ("mzctl audit export: 请用 --from 和 --to 给出导出的起止日期 YYYY-MM-DD"
                  " [mzctl.audit.period]\n");
      return 2;
    }
  reader = open_database (global, &args, &error);
  if (reader == NULL)
    return fail ("audit export", error, 1);
  if (!parse_day ("--from", from, args.timezone, 0, &from_usec, &error) ||
      !parse_day ("--to", to, args.timezone, 1, &to_usec, &error))
    {
      mz_store_reader_close (reader);
      return fail ("audit export", error, 2);
    }
  if (from_usec >= to_usec)
    {
      mz_store_reader_close (reader);
      g_printerr ("mzctl audit export: 起始日期 %s 晚于截止日期 %s [mzctl.audit.period_order]\n", from, to);
      return 2;
    }
  if (own_log)
    {
      actor.user = user != NULL ? user : g_get_user_name ();
      actor.role = role != NULL ? role : "auditor";
      actor.address = "cli";
      reason = g_strdup_printf ("导出审计记录 %s 至 %s 到 %s", from, to,
                                output != NULL ? output : "标准输出");
      office = mzctl_office_open (global, FALSE, &error);
      if (office == NULL ||
          !mz_services_audit_operation (office->services, &actor, "audit.export", "audit.export",
                                        reason, &error))
        {
          mz_store_reader_close (reader);
          return fail ("audit export", error, 1);
        }
    }
  out = open_output (output, &error);
  ok = out != NULL &&
       mz_audit_export (reader, from_usec, to_usec, out, &error) &&
       g_output_stream_close (out, NULL, &error);
  mz_store_reader_close (reader);
  if (!ok)
    {
      if (office != NULL)
        mz_services_audit_operation_failed (office->services, &actor, "audit.export", reason, error);
      return fail ("audit export", error, 1);
    }
  return 0;
}

static int
cmd_checkpoints (MzctlGlobal *global,
                 int          argc,
                 char       **argv)
{
  g_autoptr (GError) error = NULL;
  g_auto (AuditArgs) args = { 0 };
  g_autofree char *output = NULL;
  const GOptionEntry extra[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Write to FILE instead of standard output", "FILE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context =
    context_new (global, &args, NULL, "Print the signed checkpoints as JSON lines, to keep at the centre.", extra);
  g_autoptr (GOutputStream) out = NULL;
  MzStoreReader *reader;
  gboolean ok;

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("audit checkpoints", error, 2);
  reader = open_database (global, &args, &error);
  if (reader == NULL)
    return fail ("audit checkpoints", error, 1);
  out = open_output (output, &error);
  ok = out != NULL &&
       mz_audit_export_checkpoints (reader, out, &error) &&
       g_output_stream_close (out, NULL, &error);
  mz_store_reader_close (reader);
  if (!ok)
    return fail ("audit checkpoints", error, 1);
  return 0;
}

static void
usage (FILE *stream)
{
  fprintf (stream,
           "Usage: mzctl audit verify [--json] [--config FILE | --database FILE] [--public-key FILE]\n"
           "                          [--checkpoints FILE]\n"
           "       mzctl audit checkpoints [--output FILE] [--config FILE | --database FILE]\n"
           "       mzctl audit proof SEQ [--verify] [--config FILE | --database FILE]\n"
           "       mzctl audit check-proof FILE [--public-key FILE]\n"
           "       mzctl audit export --from YYYY-MM-DD --to YYYY-MM-DD [--output FILE]\n"
           "                          [--config FILE | --database FILE]\n");
}

int
mzctl_cmd_audit (MzctlGlobal *global,
                 int          argc,
                 char       **argv)
{
  if (argc < 2)
    {
      usage (stderr);
      return 2;
    }
  if (strcmp (argv[1], "verify") == 0)
    return cmd_verify (global, argc - 1, argv + 1);
  if (strcmp (argv[1], "proof") == 0)
    return cmd_proof (global, argc - 1, argv + 1);
  if (strcmp (argv[1], "check-proof") == 0)
    return cmd_check_proof (global, argc - 1, argv + 1);
  if (strcmp (argv[1], "export") == 0)
    return cmd_export (global, argc - 1, argv + 1);
  if (strcmp (argv[1], "checkpoints") == 0)
    return cmd_checkpoints (global, argc - 1, argv + 1);
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "help") == 0)
    {
      usage (stdout);
      return 0;
    }
  fprintf (stderr, "mzctl audit: unknown subcommand “%s”\n", argv[1]);
  usage (stderr);
  return 2;
}
