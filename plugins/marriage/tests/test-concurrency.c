/* marriage plugin — certificate numbers under concurrent registrations
 * and crashes: 32 threads register through mz_services_act at once, or a
 * child process registering from 8 threads is killed with SIGKILL; the
 * numbers on record must be exactly 1..N, no duplicate and no gap.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <sys/wait.h>

#include "host-fixture.h"
#include "id-maker.h"

static const char *self_path;

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
                             "woman_present", "1", "declaration_signed", "1", "man_voluntary", "1",
                             "woman_voluntary", "1", NULL);
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

static guint assert_contiguous (const char *db_path);

static void
test_concurrent_sequence (HostFixture *f, gconstpointer data)
{
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];

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

  g_assert_cmpuint (assert_contiguous (f->db_path), ==, N_THREADS * PER_THREAD);
}

/* Sorted by number, the certificates read 000001, 000002, … with no
 * repeat and no hole; returns how many there are. */
static guint
assert_contiguous (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint expected = 1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
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
  return expected - 1;
}

/* --- crash ------------------------------------------------------------------ */

#define CRASH_THREADS 8

static gint crash_next;

/* Registers distinct couples until killed. */
static gpointer
crash_worker (gpointer data)
{
  HostFixture *f = data;

  for (;;)
    {
      guint n = (guint) g_atomic_int_add (&crash_next, 1);
      g_autofree char *birth = mz_date_add_days ("1980-01-01", (gint) (n / 500));
      g_autofree char *man_id = test_id_make ("450222", birth, (n % 500) * 2 + 1);
      g_autofree char *woman_id = test_id_make ("450221", birth, (n % 500) * 2);
      g_autoptr (GError) error = NULL;

      host_fixture_act (f, "registration", "register", 0, &error,
                        "man_name", "崩溃测试男", "man_id_number", man_id, "man_present", "1",
                        "woman_name", "崩溃测试女", "woman_id_number", woman_id,
                        "woman_present", "1", "declaration_signed", "1", "man_voluntary", "1",
                        "woman_voluntary", "1", NULL);
      g_assert_no_error (error);
    }
  return NULL;
}

static int
crash_child (const char *dir)
{
  HostFixture f = { 0 };
  GThread *threads[CRASH_THREADS];

  host_fixture_open (&f, g_strdup (dir), NULL);
  for (guint t = 0; t < CRASH_THREADS; t++)
    threads[t] = g_thread_new ("crash", crash_worker, &f);
  g_thread_join (threads[0]);
  return 1;
}

static gint64
count_registrations (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "SELECT count(*) FROM marriage_registration", -1, &stmt,
                             NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* kill -9 in the middle of concurrent registrations: what was committed
 * is numbered 1..N, and the next registration takes N+1. */
static void
test_crash_sequence (void)
{
  g_autoptr (GError) error = NULL;
  HostFixture f = { 0 };
  char *dir = g_dir_make_tmp ("marriage-crash-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "office.db", NULL);
  const char *argv[] = { self_path, "--crash-child", dir, NULL };
  g_autofree char *man_id = test_id_make ("450222", "1970-01-01", 1);
  g_autofree char *woman_id = test_id_make ("450222", "1970-01-01", 2);
  g_autofree char *last = NULL;
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;
  GPid pid;
  int status;
  guint before, after;
  gint64 id;

  g_assert_no_error (error);
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                NULL, &pid, &error));
  g_assert_no_error (error);
  while (count_registrations (db_path) < 200)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (10 * 1000);
    }
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);
  g_spawn_close_pid (pid);

  before = assert_contiguous (db_path);
  g_assert_cmpuint (before, >=, 200);
  host_fixture_open (&f, dir, NULL);
  id = host_fixture_act (&f, "registration", "register", 0, &error,
                         "man_name", "崩溃后男", "man_id_number", man_id, "man_present", "1",
                         "woman_name", "崩溃后女", "woman_id_number", woman_id,
                         "woman_present", "1", "declaration_signed", "1", "man_voluntary", "1",
                         "woman_voluntary", "1", NULL);
  g_assert_no_error (error);
  last = host_fixture_column (&f, "marriage_registration", id, "certificate_number");
  after = assert_contiguous (db_path);
  g_assert_cmpuint (after, ==, before + 1);
  g_assert_cmpuint (g_ascii_strtoull (last + strlen ("J450222-2021-"), NULL, 10), ==, after);
  host_fixture_teardown (&f, NULL);
}

int
main (int argc, char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--crash-child"))
    return crash_child (argv[2]);

  self_path = argv[0];
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/marriage/host/crash-certificate-sequence", test_crash_sequence);
  g_test_add ("/marriage/host/concurrent-certificate-sequence", HostFixture, NULL,
              host_fixture_setup, test_concurrent_sequence, host_fixture_teardown);
  return g_test_run ();
}
