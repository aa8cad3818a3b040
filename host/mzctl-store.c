/* mzctl record (create, act, show, find) and mzctl db (backup, check).
 *
 * Exit status: 0 done; 1 refused (validation, rule, permission, stale) or
 * a failed check; 2 usage; 3 the office cannot be opened (configuration,
 * store, plugins).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "loader.h"
#include "mzctl.h"
#include "record.h"
#include "registry.h"
#include "services.h"
#include "store-audit-read.h"

#define EXIT_REFUSED 1
#define EXIT_USAGE 2
#define EXIT_OFFICE 3

void
mzctl_office_close (MzctlOffice *office)
{
  if (office == NULL)
    return;
  g_clear_pointer (&office->loader, mz_loader_free);
  g_clear_pointer (&office->services, mz_services_free);
  g_clear_pointer (&office->config, mz_config_free);
  g_free (office);
}

MzctlOffice *
mzctl_office_open (MzctlGlobal *global,
                   gboolean     load_plugins,
                   GError     **error)
{
  g_autoptr (MzctlOffice) office = g_new0 (MzctlOffice, 1);
  gint64 now = 0;

  if (!mz_services_parse_now (global->now, &now, error))
    return NULL;
  office->config = mz_config_load (global->config, error);
  if (office->config == NULL)
    return NULL;
  office->services = mz_services_new (office->config, error);
  if (office->services == NULL)
    return NULL;
  if (now != 0)
    mz_services_set_now (office->services, now);
  if (!load_plugins)
    return g_steal_pointer (&office);
  office->loader = mz_loader_new (office->config, office->services);
  if (!mz_loader_load_all (office->loader, error))
    return NULL;
  for (guint i = 0; i < mz_loader_get_n_plugins (office->loader); i++)
    {
      MzPlugin *plugin = mz_loader_get_plugin (office->loader, i);

      if (plugin->state == MZ_PLUGIN_STATE_REFUSED && plugin->error != NULL)
        g_printerr ("mzctl: 插件 %s 未加载：%s\n", plugin->name, plugin->error->message);
    }
  return g_steal_pointer (&office);
}

/* A refusal (field, rule, not found) versus the office failing. */
static int
fail (MzctlGlobal  *global,
      const char   *command,
      const GError *error)
{
  gboolean refused = error->domain == MZ_FIELD_ERROR || error->domain == MZ_RULE_ERROR
                     || g_error_matches (error, MZ_STORE_ERROR, MZ_STORE_ERROR_EXISTS);

  mzctl_fail (command, error);
  if (global->json)
    {
      g_autofree char *code = mz_error_code_name (error);
      g_autofree char *reason = mz_error_reason (error);
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "error");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "code");
      json_builder_add_string_value (b, code != NULL ? code : "unknown");
      json_builder_set_member_name (b, "message");
      json_builder_add_string_value (b, reason);
      json_builder_end_object (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      text = json_to_string (root, FALSE);
      printf ("%s\n", text);
    }
  return refused ? EXIT_REFUSED : EXIT_OFFICE;
}

static int
usage_error (const char *command,
             const char *message)
{
  g_printerr ("mzctl %s: %s\n", command, message);
  return EXIT_USAGE;
}

typedef struct
{
  char **set;
  char **where;
  char **states;
  char *actor;
  char *role;
  char *reason;
  char *correlation;
  char *action;
  char *period;
  char *from;
  char *to;
  gint64 version;
  gint64 after;
  int limit;
  int offset;
} RecordArgs;

static void
record_args_clear (RecordArgs *args)
{
  g_strfreev (args->set);
  g_strfreev (args->where);
  g_strfreev (args->states);
  g_free (args->actor);
  g_free (args->role);
  g_free (args->reason);
  g_free (args->correlation);
  g_free (args->action);
  g_free (args->period);
  g_free (args->from);
  g_free (args->to);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RecordArgs, record_args_clear)

/* "field=value" pairs into a table (keys and values point into @pairs). */
static GHashTable *
parse_pairs (char      **pairs,
             GError    **error)
{
  g_autoptr (GHashTable) table = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; pairs != NULL && pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');

      if (eq == NULL || eq == pairs[i])
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "“%s”不是“字段=值”（FIELD=VALUE） [mzctl.usage]", pairs[i]);
          return NULL;
        }
      *eq = '\0';
      g_hash_table_insert (table, pairs[i], eq + 1);
    }
  return g_steal_pointer (&table);
}

static void
print_result (MzctlGlobal       *global,
              const MzKind      *kind,
              const MzActionDef *action,
              const MzActResult *result)
{
  const MzStateDef *state = mz_kind_state (kind, result->state);

  if (global->json)
    printf ("{\"plugin\":\"%s\",\"kind\":\"%s\",\"id\":%" G_GINT64_FORMAT ",\"version\":%"
            G_GINT64_FORMAT ",\"state\":\"%s\"}\n", kind->plugin->name, kind->def->name,
            result->record_id, result->version, result->state);
  else
    printf ("%s #%" G_GINT64_FORMAT "：已办理「%s」，状态「%s」(%s)，版本 %" G_GINT64_FORMAT "\n",
            kind->qualified, result->record_id, action->label,
            state != NULL ? state->label : result->state, result->state, result->version);
}

static const MzActionDef *
create_action (const MzKind *kind,
               const char   *name)
{
  for (guint i = 0; kind->def->actions[i].name != NULL; i++)
    if ((kind->def->actions[i].flags & MZ_ACTION_CREATE)
        && (name == NULL || g_str_equal (name, kind->def->actions[i].name)))
      return &kind->def->actions[i];
  return NULL;
}

static int
record_act (MzctlGlobal *global,
            RecordArgs  *args,
            const char  *command,
            char       **pos,
            gboolean     create)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzctlOffice) office = NULL;
  g_autoptr (GHashTable) inputs = NULL;
  g_autofree char *session = g_strdup_printf ("mzctl-%d", (int) getpid ());
  g_autofree char *correlation = NULL;
  MzActor actor = { args->actor != NULL ? args->actor : g_get_user_name (),
                    args->role != NULL ? args->role : "clerk", session, "cli" };
  MzActRequest request = { 0 };
  MzActResult result;
  const MzKind *kind;
  const MzActionDef *action;
  gint64 id = 0;

  if (g_strv_length (pos) != (create ? 2u : 4u))
    return usage_error (command, create ? "用法：record create PLUGIN KIND [--set FIELD=VALUE]… [mzctl.usage]"
                                        : "用法：record act PLUGIN KIND ID ACTION --version N "
                                          "[--set FIELD=VALUE]… [mzctl.usage]");
  if (g_strcmp0 (actor.role, "system") == 0)
    return usage_error (command, "角色“system”专供主机的到期自动处理，命令行不能使用 [mzctl.role_reserved]");
  if (!create && !g_ascii_string_to_signed (pos[2], 10, 1, G_MAXINT64, &id, NULL))
    return usage_error (command, "ID 应为记录编号，即一个正整数 [mzctl.record_id]");
  if (!create && args->version <= 0)
    return usage_error (command, "请用 --version N 给出查看记录时读到的版本号 [mzctl.record_version]");
  inputs = parse_pairs (args->set, &error);
  if (inputs == NULL)
    return usage_error (command, error->message);

  office = mzctl_office_open (global, TRUE, &error);
  if (office == NULL)
    return fail (global, command, error);
  kind = mz_services_lookup_kind (office->services, pos[0], pos[1]);
  if (kind == NULL)
    {
      g_set_error (&error, MZ_RULE_ERROR, MZ_RULE_ERROR_NOT_FOUND,
                   "没有已加载的插件 %s 或其记录类型 %s [record.kind_unknown]", pos[0], pos[1]);
      return fail (global, command, error);
    }
  action = create ? create_action (kind, args->action) : mz_kind_action (kind, pos[3]);
  if (action == NULL)
    {
      g_set_error (&error, MZ_RULE_ERROR, MZ_RULE_ERROR_NOT_FOUND,
                   "记录类型 %s 没有操作“%s” [record.action_unknown]", kind->qualified,
                   create ? (args->action != NULL ? args->action : "(新建)") : pos[3]);
      return fail (global, command, error);
    }

  correlation = args->correlation != NULL ? g_strdup (args->correlation) : g_uuid_string_random ();
  request.plugin = pos[0];
  request.kind = pos[1];
  request.action = action->name;
  request.record_id = id;
  request.expected_version = args->version;
  request.inputs = inputs;
  request.actor = &actor;
  request.reason = args->reason;
  request.correlation_id = correlation;
  if (!mz_services_act (office->services, &request, &result, &error))
    return fail (global, command, error);
  print_result (global, kind, action, &result);
  return 0;
}

static void
print_record_text (const MzKind *kind,
                   JsonObject   *record)
{
  JsonObject *fields = json_object_get_object_member (record, "fields");

  printf ("%s #%" G_GINT64_FORMAT "  状态「%s」(%s)  版本 %" G_GINT64_FORMAT "  创建 %s  更新 %s\n",
          kind->qualified, json_object_get_int_member (record, "id"),
          json_object_get_string_member (record, "state_label"),
          json_object_get_string_member (record, "state"),
          json_object_get_int_member (record, "version"),
          json_object_get_string_member (record, "created_at"),
          json_object_get_string_member (record, "updated_at"));
  for (guint i = 0; i < kind->n_fields; i++)
    {
      const MzFieldDef *f = &kind->def->fields[i];
      JsonNode *value = json_object_get_member (fields, f->name);
      g_autofree char *text = NULL;

      if (value == NULL || JSON_NODE_HOLDS_NULL (value))
        continue;
      text = json_node_get_value_type (value) == G_TYPE_STRING ? json_node_dup_string (value)
                                                                : json_to_string (value, FALSE);
      if (f->type == MZ_FIELD_MONEY && json_node_get_value_type (value) == G_TYPE_INT64)
        {
          g_autofree char *yuan = mz_money_format_yuan (json_node_get_int (value));
          char *shown = g_strdup_printf ("%s 元", yuan);

          g_free (text);
          text = shown;
        }
      if (f->type == MZ_FIELD_ENUM)
        for (guint j = 0; f->enum_values[j].value != NULL; j++)
          if (g_str_equal (f->enum_values[j].value, text))
            {
              char *shown = g_strdup_printf ("%s（%s）", f->enum_values[j].label, text);
              g_free (text);
              text = shown;
              break;
            }
      printf ("  %s（%s）：%s\n", f->label, f->name, text);
    }
}

static void
print_json (JsonNode *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  printf ("%s\n", text);
}

static int
record_read (MzctlGlobal *global,
             RecordArgs  *args,
             const char  *command,
             char       **pos,
             gboolean     show)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzctlOffice) office = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (GHashTable) where = NULL;
  g_autoptr (GArray) conditions = g_array_new (TRUE, TRUE, sizeof (MzCondition));
  g_autofree char *session = g_strdup_printf ("mzctl-%d", (int) getpid ());
  g_autofree char *correlation = args->correlation != NULL ? g_strdup (args->correlation)
                                                           : g_uuid_string_random ();
  MzActor actor = { args->actor != NULL ? args->actor : g_get_user_name (),
                    args->role != NULL ? args->role : "clerk", session, "cli" };
  const MzKind *kind;
  gint64 id = 0;
  GHashTableIter iter;
  gpointer key, value;

  if (g_strv_length (pos) != (show ? 3u : 2u))
    return usage_error (command, show ? "用法：record show PLUGIN KIND ID [mzctl.usage]"
                                      : "用法：record find PLUGIN KIND [--where FIELD=VALUE]… [mzctl.usage]");
  if (show && !g_ascii_string_to_signed (pos[2], 10, 1, G_MAXINT64, &id, NULL))
    return usage_error (command, "ID 应为记录编号，即一个正整数 [mzctl.record_id]");
  where = parse_pairs (args->where, &error);
  if (where == NULL)
    return usage_error (command, error->message);

  office = mzctl_office_open (global, TRUE, &error);
  if (office == NULL)
    return fail (global, command, error);
  kind = mz_services_lookup_kind (office->services, pos[0], pos[1]);
  if (show)
    node = mz_services_record_get (office->services, pos[0], pos[1], id, &actor, correlation, &error);
  else
    {
      MzFindQuery query = { 0 };

      g_hash_table_iter_init (&iter, where);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          MzCondition c = { key, MZ_OP_EQ, value };
          g_array_append_val (conditions, c);
        }
      query.conditions = (const MzCondition *) (gpointer) conditions->data;
      query.states = (const char *const *) args->states;
      query.period_field = args->period != NULL ? args->period
                           : (args->from != NULL || args->to != NULL) ? "created_at" : NULL;
      query.from = args->from;
      query.to = args->to;
      query.limit = (guint) MAX (args->limit, 0);
      query.offset = (guint) MAX (args->offset, 0);
      query.after_id = args->after;
      node = mz_services_record_find (office->services, pos[0], pos[1], &query, &actor, correlation, &error);
    }
  if (node == NULL)
    return fail (global, command, error);

  if (global->json)
    print_json (node);
  else if (show)
    print_record_text (kind, json_node_get_object (node));
  else
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        print_record_text (kind, json_array_get_object_element (array, i));
      printf ("（共 %u 条）\n", json_array_get_length (array));
    }
  return 0;
}

int
mzctl_record (MzctlGlobal *global,
              int          argc,
              char       **argv)
{
  g_auto (RecordArgs) args = { 0 };
  const GOptionEntry entries[] = {
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &args.set, "A value to give (create, act)", "FIELD=VALUE" },
    { "actor", 0, 0, G_OPTION_ARG_STRING, &args.actor, "Who acts (default: the login name)", "USER" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &args.role, "The actor's role (default: clerk)", "ROLE" },
    { "reason", 0, 0, G_OPTION_ARG_STRING, &args.reason, "The reason (rejections, withdrawals)", "TEXT" },
    { "correlation", 0, 0, G_OPTION_ARG_STRING, &args.correlation, "Correlation id for the audit log", "ID" },
    { "action", 0, 0, G_OPTION_ARG_STRING, &args.action, "Which create action (create; default: the first)", "NAME" },
    { "version", 0, 0, G_OPTION_ARG_INT64, &args.version, "The version you read (act)", "N" },
    { "where", 'w', 0, G_OPTION_ARG_STRING_ARRAY, &args.where, "Only records with this value (find)", "FIELD=VALUE" },
    { "state", 0, 0, G_OPTION_ARG_STRING_ARRAY, &args.states, "Only records in this state (find)", "STATE" },
    { "period", 0, 0, G_OPTION_ARG_STRING, &args.period, "Field --from/--to apply to (default created_at)", "FIELD" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &args.from, "First day (find)", "YYYY-MM-DD" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &args.to, "Last day (find)", "YYYY-MM-DD" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &args.limit, "At most N records (find; default 100)", "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT, &args.offset, "Skip N records (find)", "N" },
    { "after", 0, 0, G_OPTION_ARG_INT64, &args.after, "Only ids greater than ID (find)", "ID" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *command = NULL;
  const char *sub;

  if (argc < 2 || argv[1][0] == '-')
    return usage_error ("record", "用法：record create|act|show|find …（选项见 mzctl record SUB --help） "
                                  "[mzctl.usage]");
  sub = argv[1];
  command = g_strconcat ("record ", sub, NULL);
  context = mzctl_options_new (global, "PLUGIN KIND [ID [ACTION]]",
                               "Create, act on, show and find records.", entries);
  argv[1] = argv[0];
  argc--;
  argv++;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_autofree char *message = g_strdup_printf ("选项有误：%s [mzctl.usage]", error->message);

      return usage_error (command, message);
    }

  if (g_str_equal (sub, "create"))
    return record_act (global, &args, command, argv + 1, TRUE);
  if (g_str_equal (sub, "act"))
    return record_act (global, &args, command, argv + 1, FALSE);
  if (g_str_equal (sub, "show"))
    return record_read (global, &args, command, argv + 1, TRUE);
  if (g_str_equal (sub, "find"))
    return record_read (global, &args, command, argv + 1, FALSE);
  return usage_error (command, "没有这个子命令；可用 create、act、show 或 find [mzctl.usage]");
}

static int
db_check (MzctlGlobal *global,
          MzctlOffice *office,
          const char  *database,
          const char  *public_key_file)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *public_key = g_strdup (public_key_file);
  MzAuditVerifyResult result = { 0 };
  MzAuditRecordsResult records = { 0 };
  MzStoreReader *reader;
  gboolean ok;

  if (database != NULL)
    {
      /* A copy (a backup): opened read-only, checked the same way, not
       * recorded in the office's log; its signatures are checked with the
       * key the copy itself names unless --public-key gives one. */
      reader = g_file_test (database, G_FILE_TEST_IS_REGULAR) ? mz_store_audit_reader_open (database, &error) : NULL;
      if (reader == NULL && error == NULL)
        g_set_error (&error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN,
                     "数据库文件 %s 不存在 [mzctl.database.not_found]", database);
      if (reader == NULL)
        {
          mzctl_fail ("db check", error);
          return EXIT_REFUSED;
        }
      if (!mz_store_reader_check_integrity (reader, database, &error))
        {
          mz_store_reader_close (reader);
          mzctl_fail ("db check", error);
          return EXIT_REFUSED;
        }
    }
  else
    {
      if (public_key == NULL)
        {
          public_key = g_strconcat (mz_services_get_audit_key_path (office->services), ".pub", NULL);
          if (!g_file_test (public_key, G_FILE_TEST_EXISTS))
            g_clear_pointer (&public_key, g_free);
        }
      if (!mz_store_check_integrity (mz_services_get_store (office->services), &error))
        {
          mzctl_fail ("db check", error);
          return EXIT_REFUSED;
        }
      reader = mz_services_open_reader (office->services, &error);
      if (reader == NULL)
        return fail (global, "db check", error);
    }
  /* The log first (it must be intact to be trusted), then the records
   * against it, in one read transaction so both see the same moment. */
  mz_store_reader_begin (reader);
  ok = mz_audit_verify (reader, public_key, &result, &error)
       && mz_audit_check_records (reader, &records, &error);
  mz_store_reader_end (reader);
  mz_store_reader_close (reader);
  if (!ok)
    {
      mzctl_fail ("db check", error);
      return EXIT_REFUSED;
    }
  if (global->json)
    printf ("{\"integrity\":\"ok\",\"audit_entries\":%" G_GINT64_FORMAT ",\"checkpoints\":%"
            G_GINT64_FORMAT ",\"records\":%" G_GINT64_FORMAT "}\n",
            result.entries, result.checkpoints, records.records);
  else
    printf ("%s%sintegrity ok; verified %" G_GINT64_FORMAT " entries, %" G_GINT64_FORMAT
            " checkpoints; %" G_GINT64_FORMAT " records match the audit log\n",
            database != NULL ? database : "", database != NULL ? ": " : "",
            result.entries, result.checkpoints, records.records);
  return 0;
}

/* A backup hands every record out of the office: it is recorded in the
 * audit log (db.backup, by an actor whose role has that permission)
 * before it is made, so the copy holds the entry of its own making; a
 * backup that then fails is recorded as failed. */
static int
db_backup (MzctlGlobal *global,
           MzctlOffice *office,
           const char  *dest,
           const char  *user,
           const char  *role)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *absolute = g_canonicalize_filename (dest, NULL);
  g_autofree char *reason = g_strdup_printf ("备份数据库到 %s", absolute);
  MzStore *store = mz_services_get_store (office->services);
  MzActor actor = { user != NULL ? user : g_get_user_name (), role != NULL ? role : "admin",
                    NULL, "cli" };

  if (g_file_test (dest, G_FILE_TEST_EXISTS))
    {
      g_set_error (&error, MZ_STORE_ERROR, MZ_STORE_ERROR_EXISTS,
                   "备份目标 %s 已存在；请指定一个新文件，以免覆盖已有备份 [store.backup_exists]",
                   dest);
      return fail (global, "db backup", error);
    }
  if (!mz_services_audit_operation (office->services, &actor, "db.backup", "db.backup", reason,
                                    &error))
    return fail (global, "db backup", error);
  if (!mz_store_backup (store, dest, &error))
    {
      mz_services_audit_operation_failed (office->services, &actor, "db.backup", reason, error);
      return fail (global, "db backup", error);
    }
  if (global->json)
    printf ("{\"backup\":\"%s\"}\n", dest);
  else
    printf ("backed up %s to %s\n", mz_store_get_path (store), dest);
  return 0;
}

int
mzctl_db (MzctlGlobal *global,
          int          argc,
          char       **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (MzctlOffice) office = NULL;
  g_autofree char *command = NULL;
  g_autofree char *user = NULL;
  g_autofree char *role = NULL;
  g_autofree char *database = NULL;
  g_autofree char *public_key = NULL;
  const GOptionEntry entries[] = {
    { "actor", 0, 0, G_OPTION_ARG_STRING, &user, "Who backs up (default: the login name)", "USER" },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, "The actor's role (default: admin)", "ROLE" },
    G_OPTION_ENTRY_NULL
  };
  const GOptionEntry check_entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database,
      "Check this copy (a backup) instead of the office's database; needs no configuration", "FILE" },
    { "public-key", 0, 0, G_OPTION_ARG_FILENAME, &public_key,
      "Check the checkpoints' signatures with this key (default: the office key's KEY.pub, "
      "or for --database the key the copy names)", "FILE" },
    G_OPTION_ENTRY_NULL
  };
  const char *sub;

  if (argc < 2 || argv[1][0] == '-')
    return usage_error ("db", "用法：db backup FILE 或 db check [mzctl.usage]");
  sub = argv[1];
  command = g_strconcat ("db ", sub, NULL);
  context = mzctl_options_new (global, g_str_equal (sub, "backup") ? "FILE" : "",
                               "Back up the office's database online, or check it and its audit log.",
                               g_str_equal (sub, "backup") ? entries : check_entries);
  argv[1] = argv[0];
  argc--;
  argv++;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (command, error->message);
  if (!g_str_equal (sub, "backup") && !g_str_equal (sub, "check"))
    return usage_error (command, "没有这个子命令；可用 backup FILE 或 check [mzctl.usage]");
  if (g_str_equal (sub, "backup") && argc != 2)
    return usage_error (command, "用法：db backup FILE（备份到一个新文件） [mzctl.usage]");

  if (g_str_equal (sub, "check") && database != NULL)
    return db_check (global, NULL, database, public_key);
  office = mzctl_office_open (global, FALSE, &error);
  if (office == NULL)
    return fail (global, command, error);
  if (g_str_equal (sub, "check"))
    return db_check (global, office, NULL, public_key);
  return db_backup (global, office, argv[1], user, role);
}
