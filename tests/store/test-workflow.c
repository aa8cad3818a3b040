/* Workflows end to end through mz_services_act with the storetest plugin:
 * create, transitions, state, permission, separation of duties, stale
 * versions, reasons, guards, sequences, unique keys, system actions,
 * act_all, reads with masking, and the audit entries of all of it.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include <gio/gio.h>

#include "audit.h"
#include "store-audit-read.h"
#include "services-private.h"
#include "store-test.h"

#define ID_A "440524188001010014"
#define ID_B "11010519491231002X"

static gint64
apply (StoreFixture *fx,
       const char   *person_id,
       const char   *note)
{
  g_autoptr (GError) error = NULL;
  MzActResult result;

  g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, &result, &error,
                                 "name", "张三", "person_id", person_id, "note", note,
                                 "amount", "120000", "category", "dibao", NULL));
  g_assert_no_error (error);
  g_assert_cmpint (result.version, ==, 1);
  g_assert_cmpstr (result.state, ==, "applied");
  return result.record_id;
}

static char *
audit_export (StoreFixture *fx)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr (MzStoreReader) reader = mz_store_audit_reader_open (fx->db_path, &error);

  g_assert_no_error (error);
  g_assert_true (mz_audit_export (reader, 0, G_MAXINT64, out, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (out, "", 1, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));
}

static void
assert_audit_verifies (StoreFixture *fx,
                       gint64        min_entries)
{
  g_autoptr (GError) error = NULL;
  MzAuditVerifyResult result = { 0 };
  g_autoptr (MzStoreReader) reader = mz_store_audit_reader_open (fx->db_path, &error);

  g_assert_no_error (error);
  g_assert_true (mz_audit_verify (reader, NULL, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (result.entries, >=, min_entries);
}

static void
test_end_to_end (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *audit = NULL;
  MzActResult result;
  gint64 id = apply (fx, ID_A, "first");

  g_assert_true (store_test_act (fx, "alice", "clerk", "review", id, 1, NULL, &result, &error,
                                 "note", "checked", NULL));
  g_assert_no_error (error);
  g_assert_cmpint (result.version, ==, 2);
  g_assert_cmpstr (result.state, ==, "reviewed");

  g_assert_true (store_test_act (fx, "bob", "supervisor", "approve", id, 2, NULL, &result, &error, NULL));
  g_assert_no_error (error);
  g_assert_cmpint (result.version, ==, 3);
  g_assert_cmpstr (result.state, ==, "approved");

  cert = store_test_query (fx, "SELECT cert_no FROM storetest_case WHERE id = 1");
  g_assert_cmpstr (cert, ==, "C-2025-000001");
  g_assert_cmpint (store_test_query_int (fx, "SELECT amount FROM storetest_case WHERE id = 1"), ==, 120000);
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM mz_record_action WHERE record_id = 1"), ==, 3);
  g_assert_cmpint (store_test_query_int (fx, "SELECT value FROM mz_sequence WHERE counter = 'C-2025'"), ==, 1);

  audit = audit_export (fx);
  g_assert_nonnull (strstr (audit, "storetest.case.apply"));
  g_assert_nonnull (strstr (audit, "storetest.case.approve"));
  g_assert_nonnull (strstr (audit, "C-2025-000001"));
  /* Personal values are never in the audit log in clear. */
  g_assert_null (strstr (audit, ID_A));
  g_assert_null (strstr (audit, "张三"));
  g_assert_nonnull (strstr (audit, "mac:"));
  assert_audit_verifies (fx, 3);
  store_fixture_free (fx);
}

/* The built-in roles, as docs/storage.md lists them: a clerk prepares
 * cases but neither decides them nor imports (an import creates a record
 * in a later state, stepping around approval); auditors and
 * administrators act on nothing. */
static void
test_builtin_roles (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  static const struct
  {
    const char *role;
    const char *permission;
    gboolean allowed;
  } cases[] = {
    { "clerk", "storetest.apply", TRUE },
    { "clerk", "marriage.register", TRUE },
    { "clerk", "personal.read", TRUE },
    { "clerk", "report.run", TRUE },
    { "clerk", "funeral.approve", FALSE },
    { "clerk", "funeral.reject", FALSE },
    { "clerk", "marriage.revoke", FALSE },
    { "clerk", "funeral.import", FALSE },
    { "clerk", "marriage.import", FALSE },
    { "clerk", "db.backup", FALSE },
    { "clerk", "audit.export", FALSE },
    { "supervisor", "funeral.import", TRUE },
    { "supervisor", "funeral.approve", TRUE },
    { "auditor", "report.run", TRUE },
    { "auditor", "audit.export", TRUE },
    { "auditor", "storetest.apply", FALSE },
    { "auditor", "personal.read", FALSE },
    { "admin", "db.backup", TRUE },
    { "admin", "funeral.import", FALSE },
    { "admin", "personal.read", FALSE },
    { "nobody", "report.run", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s may %s: %d", cases[i].role, cases[i].permission, cases[i].allowed);
      g_assert_cmpint (mz_services_role_allows (fx->services, cases[i].role, cases[i].permission),
                       ==, cases[i].allowed);
    }
  store_fixture_free (fx);
}

static void
test_state_and_permission (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  gint64 id = apply (fx, ID_A, NULL);

  g_assert_false (store_test_act (fx, "bob", "supervisor", "approve", id, 1, NULL, NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_STATE);
  g_assert_nonnull (strstr (error->message, "已申请"));
  g_assert_nonnull (strstr (error->message, "已审核"));
  g_assert_nonnull (strstr (error->message, "[record.state]"));
  g_clear_error (&error);

  g_assert_true (store_test_act (fx, "alice", "clerk", "review", id, 1, NULL, NULL, &error, NULL));
  g_assert_false (store_test_act (fx, "carol", "clerk", "approve", id, 2, NULL, NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION);
  g_assert_nonnull (strstr (error->message, "storetest.approve"));
  g_clear_error (&error);
  g_assert_false (store_test_act (fx, "dave", "nobody", "approve", id, 2, NULL, NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION);
  g_clear_error (&error);

  /* Separation of duties: the reviewer may not approve, even as supervisor. */
  g_assert_false (store_test_act (fx, "alice", "supervisor", "approve", id, 2, NULL, NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_SEPARATION);
  g_assert_nonnull (strstr (error->message, "审核"));
  g_clear_error (&error);

  g_assert_cmpint (store_test_query_int (fx, "SELECT version FROM storetest_case WHERE id = 1"), ==, 2);
  /* Every refusal above is in the audit log, with its reason. */
  {
    g_autofree char *audit = audit_export (fx);
    guint refused = 0;

    for (const char *p = audit; (p = strstr (p, "\"refused\"")) != NULL; p++)
      refused++;
    g_assert_cmpuint (refused, ==, 4);
    g_assert_nonnull (strstr (audit, "record.separation"));
  }
  store_fixture_free (fx);
}

static void
test_stale_and_reason (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  gint64 id = apply (fx, ID_A, NULL);

  g_assert_true (store_test_act (fx, "alice", "clerk", "review", id, 1, NULL, NULL, &error, NULL));
  g_assert_false (store_test_act (fx, "bob", "supervisor", "reject", id, 1, "证明材料不全", NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_STALE);
  g_assert_nonnull (strstr (error->message, "[record.stale]"));
  g_clear_error (&error);

  g_assert_false (store_test_act (fx, "bob", "supervisor", "reject", id, 2, "  ", NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "[record.reason_required]"));
  g_clear_error (&error);

  g_assert_true (store_test_act (fx, "bob", "supervisor", "reject", id, 2, "证明材料不全", NULL, &error, NULL));
  g_assert_no_error (error);
  /* A final state: nothing leads out. */
  g_assert_false (store_test_act (fx, "bob", "supervisor", "review", id, 3, NULL, NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_STATE);
  store_fixture_free (fx);
}

static void
test_guard_and_sequence (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  gint64 bad = apply (fx, ID_A, NULL);
  gint64 good = apply (fx, ID_B, NULL);
  g_autofree char *cert = NULL;

  g_assert_true (store_test_act (fx, "alice", "clerk", "review", bad, 1, NULL, NULL, &error,
                                 "note", "please refuse", NULL));
  g_assert_true (store_test_act (fx, "alice", "clerk", "review", good, 1, NULL, NULL, &error, NULL));
  g_assert_false (store_test_act (fx, "bob", "supervisor", "approve", bad, 2, NULL, NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "[storetest.refused]"));
  g_clear_error (&error);

  /* The refused approval drew no number: the next one gets 000001. */
  g_assert_true (store_test_act (fx, "bob", "supervisor", "approve", good, 2, NULL, NULL, &error, NULL));
  g_assert_no_error (error);
  cert = store_test_query (fx, "SELECT cert_no FROM storetest_case WHERE id = 2");
  g_assert_cmpstr (cert, ==, "C-2025-000001");
  g_assert_cmpint (store_test_query_int (fx, "SELECT version FROM storetest_case WHERE id = 1"), ==, 2);
  g_assert_null (store_test_query (fx, "SELECT cert_no FROM storetest_case WHERE id = 1"));
  store_fixture_free (fx);
}

/* A guard that looks at other records inside the transaction. */
static void
test_guard_finds (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                 "name", "甲", "category", "tekun", "note", "exclusive", NULL));
  g_assert_no_error (error);
  g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                  "name", "乙", "category", "tekun", "note", "exclusive", NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "#1"));
  g_clear_error (&error);
  g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                 "name", "丙", "category", "dibao", "note", "exclusive", NULL));
  g_assert_no_error (error);
  store_fixture_free (fx);
}

static void
test_unique_key (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  gint64 first = apply (fx, ID_A, NULL);

  /* Lower-case x and the same number: normalised, then refused naming #1. */
  g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                  "name", "李四", "person_id", ID_A, NULL));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_DUPLICATE);
  g_assert_nonnull (strstr (error->message, "#1"));
  g_assert_nonnull (strstr (error->message, "person_id"));
  g_clear_error (&error);

  /* A rejected application no longer holds the key. */
  g_assert_true (store_test_act (fx, "bob", "supervisor", "reject", first, 1, "重复申请", NULL, &error, NULL));
  g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                 "name", "李四", "person_id", ID_A, NULL));
  g_assert_no_error (error);
  store_fixture_free (fx);
}

static void
test_system_action (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  gint64 id = apply (fx, ID_A, NULL);
  MzPluginEntry *entry = mz_services_lookup_plugin (fx->services, "storetest");

  g_assert_cmpuint (entry->dues->len, ==, 1);
  g_assert_false (store_test_act (fx, "bob", "supervisor", "lapse", id, 1, NULL, NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_false (store_test_act (fx, "system", "system", "review", id, 1, NULL, NULL, &error, NULL));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_true (store_test_act (fx, "system", "system", "lapse", id, 1, NULL, NULL, &error, NULL));
  g_assert_no_error (error);
  store_fixture_free (fx);
}

static void
test_act_all (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  MzActor actor = { "importer", "clerk", NULL, "cli" };
  GHashTable *inputs[3];
  MzActRequest requests[3];
  MzActResult results[3];
  GError *errors[3] = { NULL };
  const char *ids[3] = { ID_A, "440524188001010015", ID_B };

  for (int i = 0; i < 3; i++)
    {
      inputs[i] = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (inputs[i], "name", "王五");
      g_hash_table_insert (inputs[i], "person_id", (gpointer) ids[i]);
      requests[i] = (MzActRequest) { "storetest", "case", "apply", 0, 0, inputs[i], &actor, NULL, "imp-1" };
    }
  g_assert_false (mz_services_act_all (fx->services, requests, 3, "import", results, errors, &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED);
  g_assert_null (errors[0]);
  g_assert_error (errors[1], MZ_FIELD_ERROR, MZ_FIELD_ERROR_CHECKSUM);
  g_assert_null (errors[2]);
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM storetest_case"), ==, 0);
  g_clear_error (&error);
  g_clear_error (&errors[1]);

  g_hash_table_insert (inputs[1], "person_id", "110105194912310021");
  g_assert_false (mz_services_act_all (fx->services, requests, 3, "import", results, errors, &error));
  g_clear_error (&error);
  for (int i = 0; i < 3; i++)
    g_clear_error (&errors[i]);

  g_hash_table_remove (inputs[1], "person_id");
  g_assert_true (mz_services_act_all (fx->services, requests, 3, "import", results, errors, &error));
  g_assert_no_error (error);
  for (int i = 0; i < 3; i++)
    {
      g_assert_null (errors[i]);
      g_assert_cmpint (results[i].record_id, ==, i + 1);
      g_hash_table_unref (inputs[i]);
    }
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM storetest_case"), ==, 3);
  {
    g_autofree char *audit = audit_export (fx);
    g_assert_nonnull (strstr (audit, "import.storetest.case.apply"));
  }
  /* The refused sets appended entries that their rollback undid, then the
   * refusals' own: the log stays one unbroken chain. */
  assert_audit_verifies (fx, 3);
  store_fixture_free (fx);
}

typedef struct
{
  MzServices *services;
  gboolean refuse;
} AppendUnit;

/* A unit of work that appends its entry and then, if asked, refuses:
 * its savepoint's rollback takes the entry back out of the log. */
static gboolean
append_then_refuse (MzStore    *store,
                    MzStoreTxn *txn,
                    gpointer    data,
                    GError    **error)
{
  AppendUnit *unit = data;
  MzAuditEntry entry = { .actor_user = "t", .action = "test.append", .outcome = "ok" };

  if (!mz_services_audit_append (unit->services, &entry, error))
    return FALSE;
  if (unit->refuse)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED, "在写入审计记录之后拒绝 [test.refused]");
      return FALSE;
    }
  return TRUE;
}

/* Runs in the same transaction, after that rollback. */
static gboolean
append_refusal (MzStore      *store,
                MzStoreTxn   *txn,
                gpointer      data,
                const GError *refusal,
                GError      **error)
{
  AppendUnit *unit = data;
  MzAuditEntry entry = { .actor_user = "t", .action = "test.append", .outcome = "refused",
                         .reason = refusal->message };

  return mz_services_audit_append (unit->services, &entry, error);
}

/* The audit log keeps its tail in memory and checks it against the table
 * once per transaction (audit.c, state_refresh); a rollback to a savepoint
 * inside the transaction must send it back to the table, or the next
 * entry would take a sequence number and chain from an entry that no
 * longer exists. */
static void
test_audit_after_savepoint_rollback (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  MzStore *store = mz_services_get_store (fx->services);
  g_autoptr (GError) error = NULL;
  AppendUnit ok = { fx->services, FALSE };
  AppendUnit refused = { fx->services, TRUE };
  gint64 before = store_test_query_int (fx, "SELECT count(*) FROM audit_entries");

  g_assert_true (mz_store_write (store, append_then_refuse, append_refusal, &ok, &error));
  g_assert_false (mz_store_write (store, append_then_refuse, append_refusal, &refused, &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (mz_store_write (store, append_then_refuse, append_refusal, &ok, &error));
  g_assert_no_error (error);
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM audit_entries WHERE action = 'test.append'"),
                   ==, 3);
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM audit_entries WHERE outcome = 'refused'"
                                             " AND action = 'test.append'"), ==, 1);
  g_assert_cmpint (store_test_query_int (fx, "SELECT max(seq) FROM audit_entries"), ==, before + 3);
  assert_audit_verifies (fx, before + 3);
  store_fixture_free (fx);
}

static void
test_read_masked (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) masked = NULL;
  g_autoptr (JsonNode) shown = NULL;
  g_autoptr (JsonNode) found = NULL;
  g_autofree char *masked_text = NULL;
  g_autofree char *audit = NULL;
  MzActor auditor = { "eve", "auditor", NULL, "cli" };
  MzActor supervisor = { "bob", "supervisor", NULL, "cli" };
  MzActor stranger = { "mallory", "nobody", NULL, "cli" };
  const MzCondition by_person[] = { { "person_id", MZ_OP_EQ, ID_A }, { NULL, 0, NULL } };
  MzFindQuery query = { .conditions = by_person };
  JsonObject *fields;

  apply (fx, ID_A, NULL);
  apply (fx, ID_B, NULL);
  masked = mz_services_record_get (fx->services, "storetest", "case", 1, &auditor, "r1", &error);
  g_assert_no_error (error);
  masked_text = json_to_string (masked, FALSE);
  g_assert_null (strstr (masked_text, ID_A));
  g_assert_nonnull (strstr (masked_text, "4405**********0014"));
  g_assert_nonnull (strstr (masked_text, "张*"));

  shown = mz_services_record_get (fx->services, "storetest", "case", 1, &supervisor, "r2", &error);
  g_assert_no_error (error);
  fields = json_object_get_object_member (json_node_get_object (shown), "fields");
  g_assert_cmpstr (json_object_get_string_member (fields, "person_id"), ==, ID_A);
  g_assert_cmpint (json_object_get_int_member (fields, "amount"), ==, 120000);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (shown), "version"), ==, 1);

  g_assert_null (mz_services_record_get (fx->services, "storetest", "case", 1, &stranger, "r3", &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION);
  g_clear_error (&error);
  g_assert_null (mz_services_record_get (fx->services, "storetest", "case", 99, &supervisor, "r4", &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  found = mz_services_record_find (fx->services, "storetest", "case", &query, &supervisor, "r5", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (found)), ==, 1);

  audit = audit_export (fx);
  g_assert_nonnull (strstr (audit, "record.read"));
  g_assert_nonnull (strstr (audit, "masked"));
  g_assert_nonnull (strstr (audit, "shown"));
  /* The stranger's attempt is on record too. */
  g_assert_nonnull (strstr (audit, "mallory"));
  g_assert_nonnull (strstr (audit, "[record.permission]"));
  store_fixture_free (fx);
}

static void
test_find_pages (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  MzActor supervisor = { "bob", "supervisor", NULL, "cli" };
  const char *const applied[] = { "applied", NULL };
  g_autofree char *today = mz_services_today (fx->services);
  MzFindQuery query = { .states = applied, .limit = 2, .period_field = "created_at",
                        .from = today, .to = today };
  gint64 last = 0;
  guint total = 0;

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("人%d", i);
      g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                     "name", name, "category", i % 2 ? "tekun" : "dibao", NULL));
    }
  g_assert_true (store_test_act (fx, "bob", "supervisor", "reject", 5, 1, "测试", NULL, &error, NULL));

  /* Keyset pages of two over the four still applied. */
  for (;;)
    {
      g_autoptr (JsonNode) page = NULL;
      JsonArray *array;

      query.after_id = last;
      page = mz_services_record_find (fx->services, "storetest", "case", &query, &supervisor, NULL, &error);
      g_assert_no_error (error);
      array = json_node_get_array (page);
      if (json_array_get_length (array) == 0)
        break;
      total += json_array_get_length (array);
      last = json_object_get_int_member (json_array_get_object_element (array, json_array_get_length (array) - 1), "id");
    }
  g_assert_cmpuint (total, ==, 4);

  query.from = "2000-01-01";
  query.to = "2000-12-31";
  query.after_id = 0;
  {
    g_autoptr (JsonNode) none = mz_services_record_find (fx->services, "storetest", "case", &query,
                                                         &supervisor, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (none)), ==, 0);
  }
  /* A period over a date field of the kind: inclusive at both ends. */
  for (int i = 0; i < 3; i++)
    {
      g_autofree char *born = g_strdup_printf ("1990-01-%02d", 10 + i * 10);
      g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                     "name", "赵", "born", born, NULL));
    }
  {
    MzFindQuery q = { .period_field = "born", .from = "1990-01-20", .to = "1990-01-30" };
    g_autoptr (JsonNode) two = mz_services_record_find (fx->services, "storetest", "case", &q,
                                                        &supervisor, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (two)), ==, 2);
  }
  {
    const MzCondition bad[] = { { "no_such_field", MZ_OP_EQ, "1" }, { NULL, 0, NULL } };
    MzFindQuery q = { .conditions = bad };

    g_assert_null (mz_services_record_find (fx->services, "storetest", "case", &q, &supervisor, NULL, &error));
    g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_UNKNOWN);
  }
  store_fixture_free (fx);
}

static void
test_clock (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GDateTime) fixed = g_date_time_new_utc (2025, 5, 19, 16, 30, 0);

  /* 16:30 UTC is already 00:30 the next day in Asia/Shanghai. */
  mz_services_set_now (fx->services, g_date_time_to_unix (fixed) * G_USEC_PER_SEC);
  g_assert_cmpint (fx->host->now (fx->plugin), ==, g_date_time_to_unix (fixed) * G_USEC_PER_SEC);
  g_assert_cmpstr (fx->host->today (fx->plugin), ==, "2025-05-20");
  mz_services_set_now (fx->services, 0);
  g_assert_cmpint (fx->host->now (fx->plugin), >, g_date_time_to_unix (fixed) * G_USEC_PER_SEC);
  store_fixture_free (fx);
}

static gint64
checkpoints (StoreFixture *fx)
{
  g_autoptr (GError) error = NULL;
  MzAuditVerifyResult result = { 0 };
  g_autoptr (MzStoreReader) reader = mz_store_audit_reader_open (fx->db_path, &error);

  g_assert_no_error (error);
  g_assert_true (mz_audit_verify (reader, NULL, &result, &error));
  g_assert_no_error (error);
  return result.checkpoints;
}

/* After a quiet spell, the timer's call signs the checkpoint that is due by
 * age.  The audit log's clock is the real one (a fixed clock does not move
 * it), so the spell is a real one: two seconds. */
static void
test_checkpoint_by_age (void)
{
  StoreFixture *fx = store_fixture_new ("[audit]\ncheckpoint_seconds=2\n");
  g_autoptr (GError) error = NULL;
  gint64 before;

  apply (fx, ID_A, NULL);
  before = checkpoints (fx);
  apply (fx, ID_B, NULL);
  g_assert_true (mz_services_checkpoint (fx->services, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checkpoints (fx), ==, before);
  g_usleep (2200 * 1000);
  g_assert_true (mz_services_checkpoint (fx->services, &error));
  g_assert_no_error (error);
  g_assert_cmpint (checkpoints (fx), ==, before + 1);
  store_fixture_free (fx);
}

/* A fixed clock (mzctl --now, tests) is what plugins and records see as the
 * present; the audit log still says when the action was really done. */
static void
test_audit_time_is_real (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  gint64 before = g_get_real_time ();
  gint64 fixed = (gint64) 1614556800 * G_USEC_PER_SEC;   /* 2021-03-01 00:00 UTC */

  mz_services_set_now (fx->services, fixed);
  apply (fx, ID_A, NULL);
  g_assert_cmpint (store_test_query_int (fx, "SELECT max(time_usec) FROM mz_record_action"), ==, fixed);
  g_assert_cmpint (store_test_query_int (fx, "SELECT min(time_usec) FROM audit_entries"), >=, before);
  store_fixture_free (fx);
}

/* The changes of an audit entry are JSON that round-trips any text. */
static void
test_changes_json (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *audit = NULL;
  g_auto (GStrv) lines = NULL;
  const char *note = "引号\"、反斜杠\\、换行\n和制表\t";
  gboolean found = FALSE;
  gint64 id = apply (fx, ID_A, NULL);

  g_assert_true (store_test_act (fx, "alice", "clerk", "review", id, 1, NULL, NULL, &error,
                                 "note", note, NULL));
  g_assert_no_error (error);
  audit = audit_export (fx);
  lines = g_strsplit (audit, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr (JsonNode) entry = NULL;
      g_autoptr (JsonNode) changes = NULL;
      JsonArray *pair;

      if (strstr (lines[i], "storetest.case.review") == NULL)
        continue;
      entry = json_from_string (lines[i], &error);
      g_assert_no_error (error);
      changes = json_from_string (json_object_get_string_member (json_node_get_object (entry), "changes"),
                                  &error);
      g_assert_no_error (error);
      pair = json_object_get_array_member (json_node_get_object (changes), "note");
      g_assert_true (json_array_get_null_element (pair, 0));
      g_assert_cmpstr (json_array_get_string_element (pair, 1), ==, note);
      pair = json_object_get_array_member (json_node_get_object (changes), "state");
      g_assert_cmpstr (json_array_get_string_element (pair, 0), ==, "applied");
      g_assert_cmpstr (json_array_get_string_element (pair, 1), ==, "reviewed");
      found = TRUE;
    }
  g_assert_true (found);
  store_fixture_free (fx);
}

/* The ids of a find's page, "1,2,3", to compare pages at a glance. */
static char *
page_ids (StoreFixture      *fx,
          const MzFindQuery *query)
{
  g_autoptr (GError) error = NULL;
  MzActor supervisor = { "bob", "supervisor", NULL, "cli" };
  g_autoptr (JsonNode) page = mz_services_record_find (fx->services, "storetest", "case", query,
                                                       &supervisor, NULL, &error);
  GString *ids = g_string_new (NULL);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (page);
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i == 0 ? "" : ",",
                            json_object_get_int_member (json_array_get_object_element (array, i), "id"));
  return g_string_free (ids, FALSE);
}

/* Offset pages: LIMIT and OFFSET count matching records in id order, after
 * the state filter and after after_id; no limit means the default page. */
static void
test_find_offset (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  const char *const applied[] = { "applied", NULL };
  const struct { guint limit; guint offset; gint64 after_id; const char *ids; } pages[] = {
    { 2, 0, 0, "1,2" },
    { 2, 2, 0, "3,5" },
    { 2, 4, 0, "6,7" },
    { 2, 6, 0, "" },
    { 3, 5, 0, "7" },
    { 2, 1, 3, "6,7" },
    { 1, 0, 5, "6" },
    { 0, 0, 0, "1,2,3,5,6,7" },
    { 0, 2, 0, "3,5,6,7" },
  };

  for (int i = 0; i < 7; i++)
    {
      g_autofree char *name = g_strdup_printf ("人%d", i);
      g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                     "name", name, NULL));
    }
  g_assert_true (store_test_act (fx, "bob", "supervisor", "reject", 4, 1, "测试", NULL, &error, NULL));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      MzFindQuery query = { .states = applied, .limit = pages[i].limit, .offset = pages[i].offset,
                            .after_id = pages[i].after_id };
      g_autofree char *ids = page_ids (fx, &query);

      g_test_message ("limit %u offset %u after %" G_GINT64_FORMAT ": %s", pages[i].limit,
                      pages[i].offset, pages[i].after_id, ids);
      g_assert_cmpstr (ids, ==, pages[i].ids);
    }
  /* Without the state filter the rejected record counts towards the offset. */
  {
    MzFindQuery query = { .limit = 2, .offset = 2 };
    g_autofree char *ids = page_ids (fx, &query);

    g_assert_cmpstr (ids, ==, "3,4");
  }
  store_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/workflow/end-to-end", test_end_to_end);
  g_test_add_func ("/store/workflow/builtin-roles", test_builtin_roles);
  g_test_add_func ("/store/workflow/state-permission-separation", test_state_and_permission);
  g_test_add_func ("/store/workflow/stale-and-reason", test_stale_and_reason);
  g_test_add_func ("/store/workflow/guard-and-sequence", test_guard_and_sequence);
  g_test_add_func ("/store/workflow/unique-key", test_unique_key);
  g_test_add_func ("/store/workflow/guard-finds", test_guard_finds);
  g_test_add_func ("/store/workflow/system-action", test_system_action);
  g_test_add_func ("/store/workflow/act-all", test_act_all);
  g_test_add_func ("/store/workflow/audit-after-savepoint-rollback", test_audit_after_savepoint_rollback);
  g_test_add_func ("/store/workflow/changes-json", test_changes_json);
  g_test_add_func ("/store/read/masked", test_read_masked);
  g_test_add_func ("/store/read/find-pages", test_find_pages);
  g_test_add_func ("/store/services/clock", test_clock);
  g_test_add_func ("/store/services/checkpoint-by-age", test_checkpoint_by_age);
  g_test_add_func ("/store/services/audit-time-is-real", test_audit_time_is_real);
  g_test_add_func ("/store/read/find-offset", test_find_offset);
  return g_test_run ();
}
