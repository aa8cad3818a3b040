/* marriage plugin — certificate numbers under concurrent registrations:
 * 32 threads register through mz_services_act at once; the numbers drawn
 * must be exactly 1..N, no duplicate and no gap.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "host-fixture.h"
#include "id-maker.h"

#define N_THREADS 32
#define PER_THREAD 6

typedef struct
{
  HostFixture *fixture;
  guint thread;
  guint refused;
} Worker;

/* Each thread registers its own couples, and also tries once to marry a
 * man already married by its first registration: that refusal must not
 * take a number either. */
static gpointer
worker_run (gpointer data)
{
  Worker *w = data;

  for (guint i = 0; i < PER_THREAD + 1; i++)
    {
      guint n = w->thread * (PER_THREAD + 1) + i;
      guint man_n = i == PER_THREAD ? w->thread * (PER_THREAD + 1) : n;
      g_autofree char *man_id = test_id_make ("450222", "1990-01-01", man_n * 2 + 1);
      g_autofree char *woman_id = test_id_make ("450221", "1992-01-01", n * 2);
      g_autofree char *man_name = g_strdup_printf ("并发男%u", man_n);
      g_autofree char *woman_name = g_strdup_printf ("并发女%u", n);
      g_autoptr (GError) error = NULL;
      gint64 id;

      id = host_fixture_act (w->fixture, "registration", "register", 0, &error,
                             "man_name", man_name, "man_id_number", man_id, "man_present", "1",
                             "woman_name", woman_name, "woman_id_number", woman_id,
                             "woman_present", "1", "declaration_signed", "1", NULL);
      if (i == PER_THREAD)
        {
          host_fixture_assert_code (error, "marriage.already_married");
          w->refused++;
        }
      else
        {
          g_assert_no_error (error);
          g_assert_cmpint (id, >, 0);
        }
    }
  return NULL;
}

static void
test_concurrent_sequence (HostFixture *f, gconstpointer data)
{
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint expected = 1;

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { f, t, 0 };
      threads[t] = g_thread_new ("registrar", worker_run, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_thread_join (threads[t]);
      g_assert_cmpuint (workers[t].refused, ==, 1);
    }

  /* Sorted by number, the certificates read 000001, 000002, … with no
   * repeat and no hole. */
  g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT certificate_number FROM marriage_registration"
                                       " ORDER BY certificate_number", -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *want = g_strdup_printf ("J450222-2021-%06u", expected++);

      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, want);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (expected - 1, ==, N_THREADS * PER_THREAD);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/marriage/host/concurrent-certificate-sequence", HostFixture, NULL,
              host_fixture_setup, test_concurrent_sequence, host_fixture_teardown);
  return g_test_run ();
}
