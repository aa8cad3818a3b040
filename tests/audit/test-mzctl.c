/* minzheng tests — `mzctl audit` as an operator runs it, in a child process.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <json-glib/json-glib.h>

#include "audit-private.h"
#include "audit-test-util.h"

/* Runs mzctl with @args (NULL-terminated); returns its exit status. */
static int
run_mzctl (char       **out,
           char       **err,
           const char  *first,
           ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list ap;
  int status = 0;

  g_ptr_array_add (argv, (char *) MZCTL_PATH);
  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
setup (AuditFixture *f,
       gconstpointer data)
{
  audit_fixture_setup (f, data);
  audit_test_append (f, 1, 120, 50);
  audit_fixture_close (f);
}

static void
test_verify_clean_and_tampered (AuditFixture *f,
                                gconstpointer data)
{
  g_autofree char *pub = g_strconcat (f->key_path, ".pub", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *o;

  g_assert_cmpint (run_mzctl (&out, &err, "audit", "verify", "--database", f->db_path, "--public-key", pub, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "verified 120 entries, 2 checkpoints\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  audit_test_sqlite3 (f, "DROP TRIGGER audit_entries_no_update;"
                         "UPDATE audit_entries SET actor_role = 'chief' WHERE seq = 7;");
  g_assert_cmpint (run_mzctl (&out, &err, "audit", "verify", "--database", f->db_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "第 7 条"));
  g_assert_nonnull (strstr (err, "[audit.altered]"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_mzctl (&out, &err, "audit", "verify", "--json", "--database", f->db_path, NULL), ==, 1);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (o, "ok"));
  g_assert_cmpint (json_object_get_int_member (o, "first_bad_seq"), ==, 7);
  g_assert_cmpint (json_object_get_int_member (o, "entries"), ==, 6);
  g_assert_cmpstr (json_object_get_string_member (o, "code"), ==, "audit.altered");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A database that is not there is a failure too, in JSON as well. */
  {
    g_autoptr (JsonParser) missing = json_parser_new ();
    g_autofree char *nowhere = g_build_filename (f->dir, "nowhere.db", NULL);

    g_assert_cmpint (run_mzctl (&out, &err, "audit", "verify", "--json", "--database", nowhere, NULL), ==, 1);
    g_assert_true (json_parser_load_from_data (missing, out, -1, &error));
    o = json_node_get_object (json_parser_get_root (missing));
    g_assert_false (json_object_get_boolean_member (o, "ok"));
    g_assert_cmpstr (json_object_get_string_member (o, "code"), ==, "mzctl.database.not_found");
  }
}

static void
test_proof_round_trip (AuditFixture *f,
                       gconstpointer data)
{
  g_autofree char *pub = g_strconcat (f->key_path, ".pub", NULL);
  g_autofree char *proof_path = g_build_filename (f->dir, "proof.json", NULL);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  char *role;

  g_assert_cmpint (run_mzctl (&out, &err, "audit", "proof", "42", "--verify", "--database", f->db_path, NULL), ==, 0);
  g_assert_true (g_file_set_contents (proof_path, out, -1, &error));
  g_clear_pointer (&err, g_free);
  {
    g_autofree char *check = NULL;
    g_assert_cmpint (run_mzctl (&check, &err, "audit", "check-proof", proof_path, "--public-key", pub, NULL), ==, 0);
    g_assert_cmpstr (check, ==, "proof of entry 42 verified with the given public key\n");
    g_clear_pointer (&err, g_free);
  }

  role = strstr (out, "\"actor_role\" : \"clerk\"");
  g_assert_nonnull (role);
  memcpy (role, "\"actor_role\" : \"chief\"", strlen ("\"actor_role\" : \"chief\""));
  g_assert_true (g_file_set_contents (proof_path, out, -1, &error));
  {
    g_autofree char *check = NULL;
    g_assert_cmpint (run_mzctl (&check, &err, "audit", "check-proof", proof_path, NULL), ==, 1);
    g_assert_nonnull (strstr (err, "[audit.proof.invalid]"));
    g_clear_pointer (&err, g_free);
  }

  /* 120 entries, latest checkpoint at 100. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_mzctl (&out, &err, "audit", "proof", "101", "--database", f->db_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "第 101 条"));
  g_assert_nonnull (strstr (err, "[audit.proof.not_covered]"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* An entry that does not exist is not "not yet covered". */
  g_assert_cmpint (run_mzctl (&out, &err, "audit", "proof", "999", "--database", f->db_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[audit.no_such_entry]"));
}

static void
test_export_days (AuditFixture *f,
                  gconstpointer data)
{
  g_autofree char *file = g_build_filename (f->dir, "export.jsonl", NULL);
  g_autofree char *out = NULL, *err = NULL, *text = NULL;
  g_auto (GStrv) lines = NULL;

  /* The entries are at 2026-03-01 08:00 in Beijing time. */
  g_assert_cmpint (run_mzctl (&out, &err, "audit", "export", "--from", "2026-03-01", "--to", "2026-03-01",
                              "--output", file, "--database", f->db_path, NULL), ==, 0);
  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 121);
  g_assert_nonnull (strstr (lines[0], "\"seq\":1,"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_mzctl (&out, &err, "audit", "export", "--from", "2026-02-01", "--to", "2026-02-28",
                              "--database", f->db_path, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_mzctl (&out, &err, "audit", "export", "--from", "2026-02-30", "--to", "2026-03-01",
                              "--database", f->db_path, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "--from"));
  g_assert_nonnull (strstr (err, "2026-02-30"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A period that ends before it starts is refused, not answered empty. */
  g_assert_cmpint (run_mzctl (&out, &err, "audit", "export", "--from", "2026-03-02", "--to", "2026-03-01",
                              "--database", f->db_path, NULL), ==, 2);
  g_assert_nonnull (strstr (err, "[mzctl.audit.period_order]"));
}

/* Checkpoints kept at the centre catch a tail deleted with its
 * checkpoints, which the file alone cannot show. */
static void
test_checkpoints_shipped (AuditFixture *f,
                          gconstpointer data)
{
  g_autofree char *shipped = g_build_filename (f->dir, "shipped.jsonl", NULL);
  g_autofree char *out = NULL, *err = NULL;

  g_assert_cmpint (run_mzctl (&out, &err, "audit", "checkpoints", "--output", shipped,
                              "--database", f->db_path, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  audit_test_sqlite3 (f, "DROP TRIGGER audit_entries_no_delete; DROP TRIGGER audit_checkpoints_no_delete;"
                         "DELETE FROM audit_entries WHERE seq > 90; DELETE FROM audit_checkpoints WHERE tree_size > 90;");
  g_assert_cmpint (run_mzctl (&out, &err, "audit", "verify", "--database", f->db_path, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "verified 90 entries, 1 checkpoints\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_mzctl (&out, &err, "audit", "verify", "--checkpoints", shipped,
                              "--database", f->db_path, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "第 91 条起"));
  g_assert_nonnull (strstr (err, "中心保存的检查点 #2"));
}

/* Without --database the configuration names the database, and the
 * office key's .pub beside it is checked. */
static void
test_verify_with_config (AuditFixture *f,
                         gconstpointer data)
{
  g_autofree char *conf = g_build_filename (f->dir, "office.conf", NULL);
  g_autofree char *pub = g_strconcat (f->key_path, ".pub", NULL);
  g_autofree char *other = g_build_filename (f->dir, "other.key", NULL);
  g_autofree char *other_pub = g_strconcat (other, ".pub", NULL);
  g_autofree char *out = NULL, *err = NULL, *text = NULL;
  g_autoptr (GError) error = NULL;
  guint8 sk[crypto_sign_SECRETKEYBYTES], pk[crypto_sign_PUBLICKEYBYTES];

  g_assert_true (g_file_set_contents (conf,
                                      "[office]\nid = 440305\nname = 测试民政局\n"
                                      "[store]\npath = office.db\n", -1, &error));
  g_assert_cmpint (run_mzctl (&out, &err, "audit", "verify", "--config", conf, NULL), ==, 0);
  g_assert_cmpstr (out, ==, "verified 120 entries, 2 checkpoints\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Another office's public key in place of this one's. */
  g_assert_true (mz_audit_key_load (other, sk, pk, &error));
  g_assert_true (g_file_get_contents (other_pub, &text, NULL, &error));
  g_assert_true (g_file_set_contents (pub, text, -1, &error));
  g_assert_cmpint (run_mzctl (&out, &err, "audit", "verify", "--config", conf, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "[audit.key.mismatch]"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, AuditFixture, NULL, setup, func, audit_fixture_teardown)
  ADD ("/audit/mzctl/verify-clean-and-tampered", test_verify_clean_and_tampered);
  ADD ("/audit/mzctl/proof-round-trip", test_proof_round_trip);
  ADD ("/audit/mzctl/export-days", test_export_days);
  ADD ("/audit/mzctl/verify-with-config", test_verify_with_config);
  ADD ("/audit/mzctl/checkpoints-shipped", test_checkpoints_shipped);
#undef ADD
  return g_test_run ();
}
