/* bench/store — durable action rates and memory, each against a baseline
 * measured in the same run:
 *
 *   1. raw SQLite: the same row insert into the same table (same pragmas:
 *      WAL, synchronous=FULL, foreign keys), one INSERT per transaction;
 *   2. one client, one action per transaction through mz_services_act
 *      (validation, workflow, history row, audit entry): target ≥ 0.5 × (1);
 *   3. 32 client threads, group-committed at synchronous=FULL:
 *      target ≥ 10 × (2); with the writer thread's CPU time per action
 *      (the bound on that rate) and the share of commits whose fsync
 *      overlapped the next batch;
 *   4. RSS across many actions: flat within ±10 %.
 *
 * Usage: bench-store [ACTIONS [MEMORY_ACTIONS]]   (defaults 300 and 20000;
 * pass 1000000 as MEMORY_ACTIONS for the full memory run).  The three
 * rates are measured in interleaved rounds, so that a disk busy with other
 * work slows them alike.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "config.h"
#include "registry.h"
#include "services.h"
#include "store-test.h"

#define N_THREADS 32
#define ROUNDS 5

typedef struct
{
  MzServices *services;
  gint next;        /* shared counter of actions to do */
  gint total;
  gint failures;
} Work;

static gboolean
apply_one (MzServices *services,
           gint        n)
{
  g_autoptr (GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *name = g_strdup_printf ("人%d", n % 100000);
  g_autoptr (GError) error = NULL;
  MzActor actor = { "bench", "clerk", NULL, "bench" };
  MzActRequest request = { "storetest", "case", "apply", 0, 0, inputs, &actor, NULL, NULL };
  MzActResult result;

  g_hash_table_insert (inputs, "name", name);
  g_hash_table_insert (inputs, "amount", "120000");
  g_hash_table_insert (inputs, "category", "dibao");
  if (!mz_services_act (services, &request, &result, &error))
    {
      g_printerr ("bench-store: %s\n", error->message);
      return FALSE;
    }
  return TRUE;
}

static gpointer
worker (gpointer data)
{
  Work *w = data;
  gint n;

  while ((n = g_atomic_int_add (&w->next, 1)) < w->total)
    if (!apply_one (w->services, n))
      g_atomic_int_inc (&w->failures);
  return NULL;
}

/* Seconds for @total actions spread over @n_threads clients. */
static double
run_threads (MzServices *services,
             guint       n_threads,
             gint        total)
{
  Work w = { services, 0, total, 0 };
  GThread *threads[N_THREADS];
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n_threads; i++)
    threads[i] = g_thread_new ("bench", worker, &w);
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (threads[i]);
  if (w.failures > 0)
    {
      g_printerr ("bench-store: %d actions failed\n", w.failures);
      exit (1);
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

/* The same table as the store made, in a file of its own, and the same
 * row inserted one per transaction with the same pragmas. */
typedef struct
{
  sqlite3 *db;
  sqlite3_stmt *insert;
  gint n;
} Raw;

static void
raw_open (Raw        *raw,
          const char *store_path,
          const char *raw_path)
{
  sqlite3 *src = NULL;
  sqlite3_stmt *ddl = NULL;

  g_assert (sqlite3_open_v2 (store_path, &src, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
  g_assert (sqlite3_open (raw_path, &raw->db) == SQLITE_OK);
  sqlite3_exec (raw->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON",
                NULL, NULL, NULL);
  sqlite3_busy_timeout (raw->db, 5000);
  g_assert (sqlite3_prepare_v2 (src, "SELECT sql FROM sqlite_master WHERE tbl_name = 'storetest_case'"
                                     " AND sql IS NOT NULL ORDER BY type DESC", -1, &ddl, NULL) == SQLITE_OK);
  while (sqlite3_step (ddl) == SQLITE_ROW)
    g_assert (sqlite3_exec (raw->db, (const char *) sqlite3_column_text (ddl, 0), NULL, NULL, NULL) == SQLITE_OK);
  sqlite3_finalize (ddl);
  sqlite3_close (src);
  g_assert (sqlite3_prepare_v2 (raw->db, "INSERT INTO storetest_case (state, version, created_at, updated_at,"
                                         " name, amount, category) VALUES ('applied', 1, ?, ?, ?, 120000, 'dibao')",
                                -1, &raw->insert, NULL) == SQLITE_OK);
}

/* Seconds for @n single-row transactions. */
static double
raw_run (Raw *raw,
         int  n)
{
  gint64 start = g_get_monotonic_time ();

  for (int i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("人%d", raw->n++);

      g_assert (sqlite3_exec (raw->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK);
      sqlite3_bind_int64 (raw->insert, 1, g_get_real_time ());
      sqlite3_bind_int64 (raw->insert, 2, g_get_real_time ());
      sqlite3_bind_text (raw->insert, 3, name, -1, SQLITE_TRANSIENT);
      g_assert (sqlite3_step (raw->insert) == SQLITE_DONE);
      sqlite3_reset (raw->insert);
      g_assert (sqlite3_exec (raw->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK);
    }
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
raw_close (Raw *raw)
{
  sqlite3_finalize (raw->insert);
  sqlite3_close (raw->db);
}

/* CPU time (user + system, µs) of the store's writer thread so far, from
 * /proc: the writer's serial work per action bounds the group-commit rate. */
static gint64
writer_cpu_usec (void)
{
  g_autoptr (GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  while (tasks != NULL && (tid = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *comm_path = g_build_filename ("/proc/self/task", tid, "comm", NULL);
      g_autofree char *stat_path = g_build_filename ("/proc/self/task", tid, "stat", NULL);
      g_autofree char *comm = NULL, *stat = NULL;
      g_auto (GStrv) fields = NULL;
      const char *after;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) || !g_str_has_prefix (comm, "mz-store-writer")
          || !g_file_get_contents (stat_path, &stat, NULL, NULL) || (after = strrchr (stat, ')')) == NULL)
        continue;
      /* After "pid (comm) ": state is field 3; utime and stime are 14 and 15. */
      fields = g_strsplit (after + 2, " ", 0);
      if (g_strv_length (fields) < 13)
        return 0;
      return (g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10))
             * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK);
    }
  return 0;
}

static gint64
rss_kib (void)
{
  g_autofree char *statm = NULL;
  g_auto (GStrv) parts = NULL;
  gint64 pages = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    {
      parts = g_strsplit (statm, " ", 3);
      if (parts[0] != NULL && parts[1] != NULL)
        pages = g_ascii_strtoll (parts[1], NULL, 10);
    }
  return pages * (sysconf (_SC_PAGESIZE) / 1024);
}

int
main (int   argc,
      char *argv[])
{
  int actions = argc > 1 ? atoi (argv[1]) : 300;
  int memory_actions = argc > 2 ? atoi (argv[2]) : 20000;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mz-bench-store-XXXXXX", &error);
  g_autofree char *conf = g_build_filename (dir, "office.conf", NULL);
  g_autofree char *db_path = g_build_filename (dir, "office.db", NULL);
  g_autofree char *raw_path = g_build_filename (dir, "raw.db", NULL);
  g_autoptr (MzConfig) config = NULL;
  MzServices *services;
  MzPlugin *plugin;
  double raw, one, group;
  double raw_s = 0, one_s = 0, group_s = 0;
  Raw raw_db = { 0 };
  gint64 rss_start, rss_end;
  int warmup;
  guint64 batches0, units0, batches1, units1;
  guint64 group_batches = 0, group_units = 0;
  gint64 cpu0, one_cpu = 0, group_cpu = 0;
  guint64 overlapped0, group_overlapped = 0;

  if (actions < 10 || memory_actions < 100)
    {
      g_printerr ("usage: bench-store [ACTIONS>=10 [MEMORY_ACTIONS>=100]]\n");
      return 2;
    }
  g_assert_no_error (error);
  g_file_set_contents (conf, "[office]\nid=450222\nname=柳城县民政局\n[plugins]\nenabled=storetest\n"
                             "[store]\npath=office.db\nsynchronous=FULL\n", -1, &error);
  g_assert_no_error (error);
  config = mz_config_load (conf, &error);
  g_assert_no_error (error);
  services = mz_services_new (config, &error);
  g_assert_no_error (error);
  plugin = store_test_load_plugin (services, STORETEST_PLUGIN, &error);
  g_assert_no_error (error);

  printf ("bench/store: %d actions per rate in %d interleaved rounds, synchronous=%s, %s\n", actions,
          ROUNDS, mz_store_get_synchronous (mz_services_get_store (services)), dir);

  /* Warm up both files (WAL growth, caches), then interleave the three
   * measurements round by round so that a disk busy with others slows
   * them alike and the ratios stay meaningful. */
  raw_open (&raw_db, db_path, raw_path);
  raw_run (&raw_db, actions / 2);
  run_threads (services, 1, actions / 2);
  for (int round = 0; round < ROUNDS; round++)
    {
      raw_s += raw_run (&raw_db, actions / ROUNDS);
      cpu0 = writer_cpu_usec ();
      one_s += run_threads (services, 1, actions / ROUNDS);
      one_cpu += writer_cpu_usec () - cpu0;
      mz_store_get_stats (mz_services_get_store (services), &batches0, &units0);
      overlapped0 = mz_store_get_overlapped (mz_services_get_store (services));
      cpu0 = writer_cpu_usec ();
      group_s += run_threads (services, N_THREADS, 20 * actions / ROUNDS);
      group_cpu += writer_cpu_usec () - cpu0;
      mz_store_get_stats (mz_services_get_store (services), &batches1, &units1);
      group_overlapped += mz_store_get_overlapped (mz_services_get_store (services)) - overlapped0;
      group_batches += batches1 - batches0;
      group_units += units1 - units0;
    }
  raw_close (&raw_db);
  raw = (actions / ROUNDS * ROUNDS) / raw_s;
  one = (actions / ROUNDS * ROUNDS) / one_s;
  group = (20 * actions / ROUNDS * ROUNDS) / group_s;
  printf ("raw SQLite, one INSERT per transaction:         %9.0f rows/s\n", raw);
  printf ("one client, one action per transaction + audit: %9.0f actions/s  = %.2f x raw (target >= 0.5)\n",
          one, one / raw);
  printf ("%d clients, group commit:                       %9.0f actions/s  = %.1f x one client (target >= 10);"
          " %.1f actions per commit, %.0f %% of commits fsynced while the next batch ran\n",
          N_THREADS, group, group / one, (double) group_units / (double) MAX (group_batches, 1),
          100.0 * (double) group_overlapped / (double) MAX (group_batches, 1));
  printf ("writer thread CPU per action:  one client %.1f µs, %d clients %.1f µs"
          " (the group rate cannot pass 1 / the latter)\n",
          (double) one_cpu / (actions / ROUNDS * ROUNDS), N_THREADS,
          (double) group_cpu / (20 * actions / ROUNDS * ROUNDS));

  /* Memory: warm up (caches, statement cache, WAL), then measure. */
  warmup = memory_actions / 10;
  run_threads (services, N_THREADS, warmup);
  rss_start = rss_kib ();
  run_threads (services, N_THREADS, memory_actions);
  rss_end = rss_kib ();
  printf ("RSS after %d warm-up actions: %" G_GINT64_FORMAT " KiB; after %d more: %" G_GINT64_FORMAT
          " KiB = %+.1f %% (target within ±10 %%)\n", warmup, rss_start, memory_actions, rss_end,
          100.0 * (rss_end - rss_start) / rss_start);

  store_test_plugin_free (services, plugin);
  mz_services_free (services);
  mz_test_remove_tree (dir);
  return 0;
}
