/* minzheng tests — a real audit log in a temporary directory.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "audit-test-util.h"

#include <glib/gstdio.h>
#include "mz-test-util.h"
#include "store-sqlite.h"

#define BASE_USEC G_GINT64_CONSTANT (1772323200000000) /* 2026-03-01T00:00:00Z */

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

void
audit_fixture_setup (AuditFixture *f,
                     gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  MzAuditOptions options = { 0 };

  f->dir = g_dir_make_tmp ("mz-audit-XXXXXX", &error);
  g_assert_no_error (error);
  f->db_path = g_build_filename (f->dir, "office.db", NULL);
  f->key_path = g_build_filename (f->dir, "office.key", NULL);
  g_assert_cmpint (sqlite3_open (f->db_path, &f->db), ==, SQLITE_OK);
  exec_ok (f->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL");
  options.key_path = f->key_path;
  f->audit = audit_test_open (f, &options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->audit);
}

MzAudit *
audit_test_open (AuditFixture         *f,
                 const MzAuditOptions *options,
                 GError              **error)
{
  if (f->txn == NULL)
    f->txn = mz_store_txn_wrap (f->db);
  return mz_audit_open (f->txn, options, error);
}

void
audit_fixture_close (AuditFixture *f)
{
  g_clear_pointer (&f->audit, mz_audit_free);
  g_clear_pointer (&f->txn, mz_store_txn_free);
  if (f->db != NULL)
    {
      g_assert_cmpint (sqlite3_close (f->db), ==, SQLITE_OK);
      f->db = NULL;
    }
}

void
audit_fixture_teardown (AuditFixture *f,
                        gconstpointer data)
{
  audit_fixture_close (f);
  mz_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->db_path);
  g_free (f->key_path);
}

void
audit_test_entry (MzAuditEntry *e,
                  guint         i,
                  char        **owned)
{
  static const char *const actions[] = {
    "marriage.registration.register", "record.read", "marriage.registration.issue_certificate",
    "report.run", "export",
  };

  owned[0] = g_strdup_printf ("clerk%02u", i % 7);
  owned[1] = g_strdup_printf ("sess-%08x", g_str_hash (owned[0]) ^ (i / 5));
  owned[2] = g_strdup_printf ("req-%u", i);
  owned[3] = g_strdup_printf ("{\"state\": [\"applied\", \"registered\"], \"certificate_no\": [null, \"J440305-2026-%06u\"]}", i);
  e->time_usec = BASE_USEC + (gint64) i * G_USEC_PER_SEC;
  e->office = "440305";
  e->plugin = "marriage";
  e->plugin_version = "1.0.0";
  e->actor_user = owned[0];
  e->actor_role = "clerk";
  e->actor_session = owned[1];
  e->actor_address = "10.0.3.17";
  e->action = actions[i % G_N_ELEMENTS (actions)];
  e->object_kind = "marriage.registration";
  e->object_id = 1000 + i;
  e->outcome = i % 11 == 0 ? "refused" : "ok";
  e->reason = i % 11 == 0 ? "男方未满二十二周岁 [marriage.under_age]" : NULL;
  e->correlation_id = owned[2];
  e->changes = i % 3 == 0 ? NULL : owned[3];
}

void
audit_test_append_batched (AuditFixture *f,
                            guint         first,
                            guint         count,
                            guint         checkpoint_every,
                            guint         per_txn)
{
  for (guint i = first; i < first + count; i++)
    {
      g_autoptr (GError) error = NULL;
      MzAuditEntry e = { 0 };
      char *owned[4] = { 0 };
      gint64 seq = 0;

      audit_test_entry (&e, i, owned);
      if ((i - first) % per_txn == 0)
        exec_ok (f->db, "BEGIN IMMEDIATE");
      g_assert_true (mz_audit_append (f->audit, &e, &seq, &error));
      g_assert_no_error (error);
      if (checkpoint_every != 0 && seq % checkpoint_every == 0)
        {
          g_assert_true (mz_audit_checkpoint (f->audit, e.time_usec, TRUE, &error));
          g_assert_no_error (error);
        }
      if ((i - first) % per_txn == per_txn - 1 || i == first + count - 1)
        exec_ok (f->db, "COMMIT");
      for (guint k = 0; k < G_N_ELEMENTS (owned); k++)
        g_free (owned[k]);
    }
}

void
audit_test_append (AuditFixture *f,
                   guint         first,
                   guint         count,
                   guint         checkpoint_every)
{
  audit_test_append_batched (f, first, count, checkpoint_every, 1);
}

void
audit_test_sqlite3 (AuditFixture *f,
                    const char   *sql)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *argv[] = { "sqlite3", "-bail", f->db_path, sql, NULL };
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("sqlite3 %s: %s", sql, err);
}

MzStoreReader *
audit_test_reader (AuditFixture *f)
{
  g_autoptr (GError) error = NULL;
  MzStoreReader *reader = mz_store_audit_reader_open (f->db_path, &error);

  g_assert_no_error (error);
  return reader;
}

gboolean
audit_test_verify (AuditFixture        *f,
                   const char          *public_key_path,
                   MzAuditVerifyResult *result,
                   GError             **error)
{
  g_autoptr (MzStoreReader) reader = audit_test_reader (f);

  return mz_audit_verify (reader, public_key_path, result, error);
}
