/* Many threads on the same records: exactly one wins per version, the
 * others get the stale-version error; a guard that refuses, or an effect
 * that refuses after drawing a number, inside a group-committed batch does
 * not spoil the others, and certificate numbers stay without gap or
 * duplicate.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>
#include <sqlite3.h>

#include "audit.h"
#include "store-audit-read.h"
#include "store-test.h"

#define N_THREADS 32
#define N_ROUNDS 5

typedef struct
{
  StoreFixture *fx;
  GMutex *lock;
  GCond *cond;
  gboolean *go;
  gint64 id;
  gint64 version;
  const char *action;
  char *user;
  gboolean ok;
  GError *error;
} Racer;

static gpointer
racer_thread (gpointer data)
{
  Racer *r = data;
  g_autofree char *note = g_strdup_printf ("by %s", r->user);

  g_mutex_lock (r->lock);
  while (!*r->go)
    g_cond_wait (r->cond, r->lock);
  g_mutex_unlock (r->lock);
  if (g_str_equal (r->action, "annotate"))
    r->ok = store_test_act (r->fx, r->user, "clerk", "annotate", r->id, r->version, NULL, NULL,
                            &r->error, "note", note, NULL);
  else
    r->ok = store_test_act (r->fx, r->user, "supervisor", r->action, r->id, r->version, NULL, NULL,
                            &r->error, NULL);
  return NULL;
}

/* Starts every racer at once and waits for all of them. */
static void
race (Racer *racers,
      guint  n)
{
  GMutex lock;
  GCond cond;
  gboolean go = FALSE;
  GThread *threads[N_THREADS];

  g_mutex_init (&lock);
  g_cond_init (&cond);
  for (guint i = 0; i < n; i++)
    {
      racers[i].lock = &lock;
      racers[i].cond = &cond;
      racers[i].go = &go;
      threads[i] = g_thread_new ("racer", racer_thread, &racers[i]);
    }
  g_usleep (20000);
  g_mutex_lock (&lock);
  go = TRUE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
  g_mutex_clear (&lock);
  g_cond_clear (&cond);
}

static void
test_one_wins_per_version (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  MzActResult created;

  g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, &created, &error,
                                 "name", "张三", NULL));
  for (gint64 version = 1; version <= N_ROUNDS; version++)
    {
      Racer racers[N_THREADS] = { 0 };
      guint winners = 0;

      for (guint i = 0; i < N_THREADS; i++)
        {
          racers[i].fx = fx;
          racers[i].id = created.record_id;
          racers[i].version = version;
          racers[i].action = "annotate";
          racers[i].user = g_strdup_printf ("clerk%u", i);
        }
      race (racers, N_THREADS);
      for (guint i = 0; i < N_THREADS; i++)
        {
          if (racers[i].ok)
            winners++;
          else
            g_assert_error (racers[i].error, MZ_RULE_ERROR, MZ_RULE_ERROR_STALE);
          g_clear_error (&racers[i].error);
          g_free (racers[i].user);
        }
      g_assert_cmpuint (winners, ==, 1);
      /* A stale version is refused before anything is written: no batch
       * had to start over. */
      g_assert_cmpuint (mz_store_get_restarts (mz_services_get_store (fx->services)), ==, 0);
      g_assert_cmpint (store_test_query_int (fx, "SELECT version FROM storetest_case WHERE id = 1"),
                       ==, version + 1);
    }
  /* One history row per successful action: the apply and one per round. */
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM mz_record_action"), ==, N_ROUNDS + 1);
  store_fixture_free (fx);
}

static void
test_guard_refusal_in_batch (void)
{
  StoreFixture *fx = store_fixture_new (NULL);
  g_autoptr (GError) error = NULL;
  Racer racers[N_THREADS] = { 0 };
  guint approved = 0;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  MzStoreReader *reader;
  MzAuditVerifyResult verified = { 0 };
  gint64 expect = 1;

  for (guint i = 0; i < N_THREADS; i++)
    {
      MzActResult r;
      g_autofree char *name = g_strdup_printf ("人%u", i);

      g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, &r, &error,
                                     "name", name, NULL));
      g_assert_true (store_test_act (fx, "alice", "clerk", "review", r.record_id, 1, NULL, NULL, &error,
                                     "note", i % 8 == 3 ? "refuse" : i % 8 == 5 ? "draw-and-fail" : "ok", NULL));
      racers[i].fx = fx;
      racers[i].id = r.record_id;
      racers[i].version = 2;
      racers[i].action = "approve";
      racers[i].user = g_strdup_printf ("boss%u", i);
    }
  race (racers, N_THREADS);
  for (guint i = 0; i < N_THREADS; i++)
    {
      if (i % 8 == 3 || i % 8 == 5)
        {
          g_assert_false (racers[i].ok);
          g_assert_error (racers[i].error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED);
        }
      else
        {
          g_assert_no_error (racers[i].error);
          approved++;
        }
      g_clear_error (&racers[i].error);
      g_free (racers[i].user);
    }
  g_assert_cmpuint (approved, ==, N_THREADS - 2 * (N_THREADS / 8));

  /* Numbers 1..approved, each once, in whatever order the batch took. */
  g_assert_cmpint (sqlite3_open_v2 (fx->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT cert_no FROM storetest_case WHERE cert_no IS NOT NULL"
                                           " ORDER BY cert_no", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *want = g_strdup_printf ("C-2025-%06" G_GINT64_FORMAT, expect++);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, want);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (expect - 1, ==, approved);
  sqlite3_close (db);
  reader = mz_store_audit_reader_open (fx->db_path, &error);
  g_assert_no_error (error);
  g_assert_true (mz_audit_verify (reader, NULL, &verified, &error));
  g_assert_no_error (error);
  mz_store_reader_close (reader);
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM storetest_case WHERE state = 'reviewed'"),
                   ==, 2 * (N_THREADS / 8));
  /* Actions share a batch without savepoints: a refusal after a number
   * was drawn rolled its batch back and ran it again (at least once,
   * whatever the batches were; the numbers above have no gap), and each
   * refusal is in the log once, each approval once. */
  g_assert_cmpuint (mz_store_get_restarts (mz_services_get_store (fx->services)), >=, 1);
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM audit_entries"
                                             " WHERE action = 'storetest.case.approve' AND outcome = 'refused'"),
                   ==, 2 * (N_THREADS / 8));
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM audit_entries"
                                             " WHERE action = 'storetest.case.approve' AND outcome = 'ok'"),
                   ==, approved);
  store_fixture_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/concurrency/one-wins-per-version", test_one_wins_per_version);
  g_test_add_func ("/store/concurrency/guard-refusal-in-batch", test_guard_refusal_in_batch);
  return g_test_run ();
}
