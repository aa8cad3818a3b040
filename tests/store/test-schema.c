/* Kind declarations: thorough refusal of bad ones, and migration of a
 * database file written by an older schema version.
 *
 * The kinds here are declared by the test itself through the MzHost
 * table, exactly as a plugin's init would.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <sqlite3.h>

#include "store-test.h"

static const MzStateDef states[] = {
  { "open", "办理中", FALSE },
  { "closed", "已办结", TRUE },
  { NULL, NULL, FALSE },
};

static const char *const inputs_v1[] = { "title", "amount", NULL };
static const char *const inputs_v2[] = { "title", "amount", "decided_on", NULL };
static const char *const from_open[] = { "open", NULL };
static const char *const title_only[] = { "title", NULL };
static const char *const amount_only[] = { "amount", NULL };

static const MzFieldDef fields_v1[] = {
  { .name = "title", .label = "标题", .type = MZ_FIELD_TEXT, .flags = MZ_FIELD_REQUIRED },
  { .name = "amount", .label = "金额", .type = MZ_FIELD_MONEY },
  { NULL },
};
static const MzFieldDef fields_v2[] = {
  { .name = "title", .label = "标题", .type = MZ_FIELD_TEXT, .flags = MZ_FIELD_REQUIRED },
  { .name = "amount", .label = "金额", .type = MZ_FIELD_MONEY },
  { .name = "decided_on", .label = "决定日期", .type = MZ_FIELD_DATE, .since = 2 },
  { NULL },
};
static const MzFieldDef fields_removed[] = {
  { .name = "title", .label = "标题", .type = MZ_FIELD_TEXT, .flags = MZ_FIELD_REQUIRED },
  { .name = "decided_on", .label = "决定日期", .type = MZ_FIELD_DATE, .since = 2 },
  { NULL },
};
static const MzFieldDef fields_retyped[] = {
  { .name = "title", .label = "标题", .type = MZ_FIELD_TEXT, .flags = MZ_FIELD_REQUIRED },
  { .name = "amount", .label = "金额", .type = MZ_FIELD_TEXT },
  { .name = "decided_on", .label = "决定日期", .type = MZ_FIELD_DATE, .since = 2 },
  { NULL },
};

static const MzIndexDef indexes_v1[] = {
  { .name = "by_title", .fields = title_only },
  { NULL },
};
static const MzIndexDef indexes_v2[] = {
  { .name = "by_title", .fields = title_only },
  { .name = "by_amount", .fields = amount_only, .since = 2 },
  { NULL },
};

/* Version 3 adds a covering index over host columns for a report that
 * filters by state (index fields may name state, id, created_at, updated_at). */
static const char *const state_decided_amount[] = { "state", "decided_on", "amount", "updated_at", NULL };
static const MzIndexDef indexes_v3[] = {
  { .name = "by_title", .fields = title_only },
  { .name = "by_amount", .fields = amount_only, .since = 2 },
  { .name = "by_state", .fields = state_decided_amount, .since = 3 },
  { NULL },
};

static const MzActionDef actions_v1[] = {
  { .name = "open", .label = "受理", .flags = MZ_ACTION_CREATE, .to = "open",
    .permission = "mig.open", .inputs = inputs_v1 },
  { .name = "close", .label = "办结", .from = from_open, .to = "closed", .permission = "mig.close" },
  { NULL },
};
static const MzActionDef actions_v2[] = {
  { .name = "open", .label = "受理", .flags = MZ_ACTION_CREATE, .to = "open",
    .permission = "mig.open", .inputs = inputs_v2 },
  { .name = "close", .label = "办结", .from = from_open, .to = "closed", .permission = "mig.close" },
  { NULL },
};

static MzKindDef
kind_def (guint               version,
          const MzFieldDef   *fields,
          const MzIndexDef   *indexes,
          const MzActionDef  *actions)
{
  MzKindDef def = { MZ_KIND_DEF_INIT, .name = "matter", .label = "事项", .schema_version = version,
                    .fields = fields, .indexes = indexes, .states = states, .actions = actions };
  return def;
}

typedef struct
{
  char *dir;
  char *config_path;
  char *db_path;
  MzConfig *config;
  MzServices *services;
  MzPlugin plugin;
} Office;

static Office *
office_open (const char *dir)
{
  Office *o = g_new0 (Office, 1);
  g_autoptr (GError) error = NULL;

  o->dir = g_strdup (dir);
  o->config_path = g_build_filename (dir, "office.conf", NULL);
  o->db_path = g_build_filename (dir, "office.db", NULL);
  if (!g_file_test (o->config_path, G_FILE_TEST_EXISTS))
    g_file_set_contents (o->config_path,
                         "[office]\nid=450222\nname=柳城县民政局\n[plugins]\nenabled=mig\n"
                         "[store]\npath=office.db\n", -1, &error);
  g_assert_no_error (error);
  o->config = mz_config_load (o->config_path, &error);
  g_assert_no_error (error);
  o->services = mz_services_new (o->config, &error);
  g_assert_no_error (error);
  o->plugin.name = (char *) "mig";
  mz_services_attach_plugin (o->services, &o->plugin);
  return o;
}

static void
office_close (Office *o)
{
  mz_services_detach_plugin (o->services, &o->plugin);
  mz_services_free (o->services);
  mz_config_free (o->config);
  g_free (o->dir);
  g_free (o->config_path);
  g_free (o->db_path);
  g_free (o);
}

static gboolean
office_register (Office          *o,
                 const MzKindDef *def,
                 GError         **error)
{
  return mz_services_get_host (o->services)->register_kind (&o->plugin, def, error);
}

static gint64
office_open_matter (Office     *o,
                    const char *title,
                    const char *decided_on,
                    GError    **error)
{
  g_autoptr (GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  MzActor actor = { "alice", "clerk", NULL, "test" };
  MzActRequest request = { "mig", "matter", "open", 0, 0, inputs, &actor, NULL, NULL };
  MzActResult result = { 0 };

  g_hash_table_insert (inputs, "title", (gpointer) title);
  g_hash_table_insert (inputs, "amount", "500");
  if (decided_on != NULL)
    g_hash_table_insert (inputs, "decided_on", (gpointer) decided_on);
  if (!mz_services_act (o->services, &request, &result, error))
    return 0;
  return result.record_id;
}

static gint64
count (const char *db_path,
       const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
test_migration (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mz-schema-XXXXXX", &error);
  MzKindDef v1 = kind_def (1, fields_v1, indexes_v1, actions_v1);
  MzKindDef v2 = kind_def (2, fields_v2, indexes_v2, actions_v2);
  MzKindDef removed = kind_def (3, fields_removed, indexes_v2, actions_v2);
  MzKindDef retyped = kind_def (3, fields_retyped, indexes_v2, actions_v2);
  MzKindDef sneaky = kind_def (1, fields_v2, indexes_v1, actions_v1);
  MzKindDef v3 = kind_def (3, fields_v2, indexes_v3, actions_v2);
  g_autofree char *db_path = g_build_filename (dir, "office.db", NULL);
  Office *o;

  /* The older plugin writes the file. */
  o = office_open (dir);
  g_assert_true (office_register (o, &v1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (office_open_matter (o, "旧记录", NULL, &error), ==, 1);
  office_close (o);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM pragma_table_info('mig_matter') WHERE name = 'decided_on'"), ==, 0);

  /* Adding a field without raising the version is refused. */
  o = office_open (dir);
  g_assert_false (office_register (o, &sneaky, &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "schema_version"));
  g_clear_error (&error);
  office_close (o);

  /* The newer plugin migrates it: a column and an index are added. */
  o = office_open (dir);
  g_assert_true (office_register (o, &v2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (office_open_matter (o, "新记录", "2025-05-20", &error), ==, 2);
  g_assert_no_error (error);
  office_close (o);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM pragma_table_info('mig_matter') WHERE name = 'decided_on'"), ==, 1);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'mig_matter_by_amount'"), ==, 1);
  g_assert_cmpint (count (db_path, "SELECT version FROM mz_schema WHERE plugin = 'mig' AND kind = 'matter'"), ==, 2);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM mig_matter WHERE id = 1 AND title = '旧记录' AND decided_on IS NULL"), ==, 1);

  /* Going back, removing a field, changing a type: refused, named. */
  o = office_open (dir);
  g_assert_false (office_register (o, &v1, &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "低于"));
  g_assert_nonnull (strstr (error->message, "mig"));
  g_clear_error (&error);
  g_assert_false (office_register (o, &removed, &error));
  g_assert_nonnull (strstr (error->message, "amount"));
  g_clear_error (&error);
  g_assert_false (office_register (o, &retyped, &error));
  g_assert_nonnull (strstr (error->message, "amount"));
  g_clear_error (&error);
  office_close (o);
  g_assert_cmpint (count (db_path, "SELECT version FROM mz_schema WHERE plugin = 'mig' AND kind = 'matter'"), ==, 2);

  /* Version 3 adds an index over state and fields; the report's query is
   * answered from the index alone. */
  o = office_open (dir);
  g_assert_true (office_register (o, &v3, &error));
  g_assert_no_error (error);
  office_close (o);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM pragma_index_info('mig_matter_by_state')"
                                   " WHERE seqno = 0 AND name = 'state'"), ==, 1);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM mig_matter INDEXED BY mig_matter_by_state"
                                   " WHERE state = 'open' AND decided_on >= '2025-01-01'"), ==, 1);
  g_assert_cmpint (count (db_path, "SELECT version FROM mz_schema WHERE plugin = 'mig' AND kind = 'matter'"), ==, 3);
  mz_test_remove_tree (dir);
}

/* A newer version that no longer flags a field INDEXED or declares a plain
 * index: the host drops what it made for them; a unique index stays and
 * its removal is refused. */
static const MzFieldDef fields_indexed[] = {
  { .name = "title", .label = "标题", .type = MZ_FIELD_TEXT, .flags = MZ_FIELD_REQUIRED | MZ_FIELD_INDEXED },
  { .name = "amount", .label = "金额", .type = MZ_FIELD_MONEY },
  { NULL },
};
static const MzIndexDef indexes_unique[] = {
  { .name = "by_title", .fields = title_only },
  { .name = "title_unique", .fields = title_only, .unique = TRUE },
  { NULL },
};
static const MzIndexDef indexes_unique_only[] = {
  { .name = "title_unique", .fields = title_only, .unique = TRUE },
  { NULL },
};

static void
test_drop_index (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mz-schema-XXXXXX", &error);
  MzKindDef v1 = kind_def (1, fields_indexed, indexes_unique, actions_v1);
  MzKindDef v2 = kind_def (2, fields_v1, indexes_unique_only, actions_v1);
  MzKindDef v3 = kind_def (3, fields_v1, NULL, actions_v1);
  g_autofree char *db_path = g_build_filename (dir, "office.db", NULL);
  Office *o;

  o = office_open (dir);
  g_assert_true (office_register (o, &v1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (office_open_matter (o, "旧记录", NULL, &error), ==, 1);
  office_close (o);
  /* An index someone else made on the table is not the host's to drop. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "CREATE INDEX dba_amount ON mig_matter (amount)", NULL, NULL, NULL),
                     ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                   " AND name IN ('mig_matter_f_title', 'mig_matter_by_title',"
                                   " 'mig_matter_title_unique')"), ==, 3);

  o = office_open (dir);
  g_assert_true (office_register (o, &v2, &error));
  g_assert_no_error (error);
  office_close (o);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'mig_matter_f_title'"), ==, 0);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'mig_matter_by_title'"), ==, 0);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'mig_matter_title_unique'"), ==, 1);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'dba_amount'"), ==, 1);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM mig_matter WHERE id = 1 AND title = '旧记录' AND amount = 500"), ==, 1);
  g_assert_cmpint (count (db_path, "SELECT version FROM mz_schema WHERE plugin = 'mig' AND kind = 'matter'"), ==, 2);

  /* Lower versions stay refused; so does dropping the unique key. */
  o = office_open (dir);
  g_assert_false (office_register (o, &v1, &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "低于"));
  g_clear_error (&error);
  g_assert_false (office_register (o, &v3, &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "mig_matter_title_unique"));
  g_clear_error (&error);
  /* The unique key still refuses a second case with the same title. */
  g_assert_true (office_register (o, &v2, &error));
  g_assert_no_error (error);
  g_assert_cmpint (office_open_matter (o, "旧记录", NULL, &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (office_open_matter (o, "新记录", NULL, &error), ==, 2);
  g_assert_no_error (error);
  office_close (o);
  g_assert_cmpint (count (db_path, "SELECT count(*) FROM sqlite_master WHERE name = 'mig_matter_title_unique'"), ==, 1);
  g_assert_cmpint (count (db_path, "SELECT version FROM mz_schema WHERE plugin = 'mig' AND kind = 'matter'"), ==, 2);
  mz_test_remove_tree (dir);
}

/* --- bad declarations ------------------------------------------------------ */

typedef struct
{
  const char *path;
  const char *expect;   /* a piece of the message naming what is wrong */
  void (*mutate) (MzKindDef *def);
} BadDecl;

static MzFieldDef scratch_fields[8];
static MzActionDef scratch_actions[4];
static MzIndexDef scratch_indexes[3];

static void
start_from_v1 (MzKindDef *def)
{
  memcpy (scratch_fields, fields_v1, sizeof fields_v1);
  memcpy (scratch_actions, actions_v1, sizeof actions_v1);
  memcpy (scratch_indexes, indexes_v1, sizeof indexes_v1);
  *def = kind_def (1, scratch_fields, scratch_indexes, scratch_actions);
}

static void m_kind_name (MzKindDef *d) { d->name = "Matter"; }
static void m_struct_size (MzKindDef *d) { d->struct_size = 8; }
static void m_field_name (MzKindDef *d) { scratch_fields[1].name = "Amount"; }
static void m_reserved (MzKindDef *d) { scratch_fields[1].name = "state"; }
static void m_duplicate (MzKindDef *d) { scratch_fields[1].name = "title"; }
static void m_no_label (MzKindDef *d) { scratch_fields[1].label = NULL; }
static void m_bad_type (MzKindDef *d) { scratch_fields[1].type = 99; }
static void m_empty_enum (MzKindDef *d) { scratch_fields[1].type = MZ_FIELD_ENUM; }
static void m_bad_reference (MzKindDef *d)
{
  scratch_fields[1].type = MZ_FIELD_REFERENCE;
  scratch_fields[1].reference_kind = "nowhere";
}
static void m_min_max (MzKindDef *d) { scratch_fields[1].min = 10; scratch_fields[1].max = 5; }
static void m_legacy_on_text (MzKindDef *d) { scratch_fields[0].flags |= MZ_FIELD_LEGACY_ID; }
static void m_index_field (MzKindDef *d)
{
  static const char *const nowhere[] = { "nowhere", NULL };
  scratch_indexes[0].fields = nowhere;
}
static void m_unique_host_column (MzKindDef *d)
{
  static const char *const by_state[] = { "title", "state", NULL };
  scratch_indexes[0].fields = by_state;
  scratch_indexes[0].unique = TRUE;
}
static void m_unless_not_unique (MzKindDef *d)
{
  static const char *const closed[] = { "closed", NULL };
  scratch_indexes[0].unless_states = closed;
}
static void m_create_with_from (MzKindDef *d) { scratch_actions[0].from = from_open; }
static void m_no_from (MzKindDef *d) { scratch_actions[1].from = NULL; }
static void m_to_unknown (MzKindDef *d) { scratch_actions[1].to = "limbo"; }
static void m_from_final (MzKindDef *d)
{
  static const char *const closed[] = { "closed", NULL };
  scratch_actions[1].from = closed;
}
static void m_permission (MzKindDef *d) { scratch_actions[1].permission = "Mig Close"; }
static void m_distinct (MzKindDef *d)
{
  static const char *const ghost[] = { "ghost", NULL };
  scratch_actions[1].distinct_from = ghost;
}
static void m_input_unknown (MzKindDef *d)
{
  static const char *const ghost[] = { "ghost", NULL };
  scratch_actions[1].inputs = ghost;
}
static void m_no_create (MzKindDef *d) { scratch_actions[0] = scratch_actions[1]; scratch_actions[1].name = NULL; }
static void m_since (MzKindDef *d) { scratch_fields[1].since = 5; }

static const BadDecl bad_decls[] = {
  { "kind-name", "类型名", m_kind_name },
  { "struct-size", "struct_size", m_struct_size },
  { "field-name", "Amount", m_field_name },
  { "reserved-column", "state", m_reserved },
  { "duplicate-field", "title", m_duplicate },
  { "field-label", "amount", m_no_label },
  { "field-type", "amount", m_bad_type },
  { "empty-enum", "amount", m_empty_enum },
  { "reference", "nowhere", m_bad_reference },
  { "min-max", "amount", m_min_max },
  { "legacy-on-text", "title", m_legacy_on_text },
  { "index-field", "nowhere", m_index_field },
  { "unique-host-column", "state", m_unique_host_column },
  { "unless-not-unique", "by_title", m_unless_not_unique },
  { "create-with-from", "open", m_create_with_from },
  { "no-from", "close", m_no_from },
  { "to-unknown", "limbo", m_to_unknown },
  { "from-final", "closed", m_from_final },
  { "permission", "Mig Close", m_permission },
  { "distinct-from", "ghost", m_distinct },
  { "input-unknown", "ghost", m_input_unknown },
  { "no-create", "MZ_ACTION_CREATE", m_no_create },
  { "since", "since", m_since },
};

static Office *decl_office;

static void
test_bad_declaration (gconstpointer data)
{
  const BadDecl *bad = data;
  g_autoptr (GError) error = NULL;
  MzKindDef def;

  start_from_v1 (&def);
  bad->mutate (&def);
  g_assert_false (office_register (decl_office, &def, &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "插件 mig"));
  g_assert_nonnull (strstr (error->message, bad->expect));
  g_assert_nonnull (strstr (error->message, "[kind.invalid]"));
  g_assert_cmpint (count (decl_office->db_path,
                          "SELECT count(*) FROM sqlite_master WHERE name = 'mig_matter'"), ==, 0);
}

/* Plugin "mig" kind "x_y" and plugin "mig_x" kind "y" would share a table. */
static void
test_table_collision (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mz-collide-XXXXXX", &error);
  Office *o = office_open (dir);
  MzPlugin other = { .name = (char *) "mig_x" };
  MzKindDef first, second;

  start_from_v1 (&first);
  first.name = "x_y";
  g_assert_true (office_register (o, &first, &error));
  g_assert_no_error (error);

  mz_services_attach_plugin (o->services, &other);
  start_from_v1 (&second);
  second.name = "y";
  g_assert_false (mz_services_get_host (o->services)->register_kind (&other, &second, &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "mig.x_y"));
  mz_services_detach_plugin (o->services, &other);
  office_close (o);
  mz_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/schema/migration", test_migration);
  g_test_add_func ("/store/schema/drop-index", test_drop_index);
  g_test_add_func ("/store/schema/table-collision", test_table_collision);
  for (guint i = 0; i < G_N_ELEMENTS (bad_decls); i++)
    {
      g_autofree char *path = g_strconcat ("/store/schema/refused/", bad_decls[i].path, NULL);
      g_test_add_data_func (path, &bad_decls[i], test_bad_declaration);
    }
  dir = g_dir_make_tmp ("mz-decl-XXXXXX", &error);
  g_assert_no_error (error);
  decl_office = office_open (dir);
  status = g_test_run ();
  office_close (decl_office);
  mz_test_remove_tree (dir);
  return status;
}
