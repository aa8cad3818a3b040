/* bench/marriage — marriage registrations per second through the host
 * (mz_services_act, real marriage.so, real SQLite store with the default
 * synchronous=FULL), with one client and with 32 at once, against the
 * create actions of benchplain.so measured in the same run and store: its
 * trivial kind `item` (the plain action rate) and its kind `shaped` (the
 * fields of a registration, no rules: what the rules themselves cost).
 *
 *     bench-marriage [N]     N actions of each kind per client count (default 1200)
 *
 * The three kinds are measured in ROUNDS interleaved rounds of N/ROUNDS
 * actions each, so that a machine whose load drifts during the run
 * (other builds on the same cores) weighs on all three alike.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>

#include "services.h"
#include "loader.h"
#include "id-maker.h"
#include "mz-test-util.h"

#define N_CLIENTS 32
#define ROUNDS 4

static const MzActor bench_actor = { "bench", "supervisor", "bench", "bench" };

/* What is measured. */
typedef enum
{
  BENCH_PLAIN,     /* benchplain item create */
  BENCH_SHAPED,    /* benchplain shaped create */
  BENCH_MARRIAGE,  /* marriage registration register */
} BenchKind;

typedef struct
{
  MzServices *services;
  BenchKind what;
  guint first;
  guint count;
  guint failed;
} Job;

/* Couple @n: distinct ID numbers for every n, all of legal age in 2021. */
static gboolean
act_one (MzServices *services, BenchKind what, guint n)
{
  gboolean couple = what != BENCH_PLAIN;
  g_autofree char *certificate = g_strdup_printf ("S450222-2021-%06u", n);
  g_autoptr (GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("基准%u", n);
  g_autofree char *birth = NULL;
  g_autofree char *man_id = NULL;
  g_autofree char *woman_id = NULL;
  MzActRequest request = { 0 };
  MzActResult result = { 0 };
  GDate date;

  request.plugin = what == BENCH_MARRIAGE ? "marriage" : "benchplain";
  request.kind = what == BENCH_MARRIAGE ? "registration" : what == BENCH_SHAPED ? "shaped" : "item";
  request.action = what == BENCH_MARRIAGE ? "register" : "create";
  request.inputs = inputs;
  request.actor = &bench_actor;
  if (couple)
    {
      g_date_clear (&date, 1);
      g_date_set_dmy (&date, 1, 1, 1980);
      g_date_add_days (&date, n / 500);
      birth = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&date),
                               g_date_get_month (&date), g_date_get_day (&date));
      man_id = test_id_make ("450222", birth, (n % 500) * 2 + 1);
      woman_id = test_id_make ("450221", birth, (n % 500) * 2);
      g_hash_table_insert (inputs, "man_name", name);
      g_hash_table_insert (inputs, "man_id_number", man_id);
      g_hash_table_insert (inputs, "man_present", "1");
      g_hash_table_insert (inputs, "woman_name", name);
      g_hash_table_insert (inputs, "woman_id_number", woman_id);
      g_hash_table_insert (inputs, "woman_present", "1");
      g_hash_table_insert (inputs, "declaration_signed", "1");
      g_hash_table_insert (inputs, "man_voluntary", "1");
      g_hash_table_insert (inputs, "woman_voluntary", "1");
      g_hash_table_insert (inputs, "prohibited_kinship", "0");
    }
  /* What the registration's effect sets, the shaped kind is given. */
  if (what == BENCH_SHAPED)
    {
      g_hash_table_insert (inputs, "man_sex", "male");
      g_hash_table_insert (inputs, "woman_sex", "female");
      g_hash_table_insert (inputs, "man_birth_date", birth);
      g_hash_table_insert (inputs, "woman_birth_date", birth);
      g_hash_table_insert (inputs, "man_nationality", "中国");
      g_hash_table_insert (inputs, "woman_nationality", "中国");
      g_hash_table_insert (inputs, "accepted_date", "2021-05-10");
      g_hash_table_insert (inputs, "registration_date", "2021-05-10");
      g_hash_table_insert (inputs, "processing_days", "0");
      g_hash_table_insert (inputs, "certificate_number", certificate);
    }
  if (what == BENCH_PLAIN)
    g_hash_table_insert (inputs, "name", name);

  if (mz_services_act (services, &request, &result, &error))
    return TRUE;
  g_printerr ("bench-marriage: %s\n", error->message);
  return FALSE;
}

static gpointer
job_run (gpointer data)
{
  Job *job = data;

  for (guint i = 0; i < job->count; i++)
    if (!act_one (job->services, job->what, job->first + i))
      job->failed++;
  return NULL;
}

/* CPU seconds (user + system, all threads) the process has used. */
static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* Seconds for @total actions spread over @clients threads, numbering
 * couples from @first; adds the CPU seconds they took to @cpu. */
static double
measure (MzServices *services, BenchKind what, guint clients, guint first, guint total,
         double *cpu)
{
  double cpu_start = cpu_seconds ();
  Job jobs[N_CLIENTS];
  GThread *threads[N_CLIENTS];
  gint64 start = g_get_monotonic_time ();
  guint failed = 0;
  double seconds;

  for (guint c = 0; c < clients; c++)
    {
      jobs[c] = (Job) { services, what, first + c * (total / clients), total / clients, 0 };
      threads[c] = g_thread_new ("bench", job_run, &jobs[c]);
    }
  for (guint c = 0; c < clients; c++)
    {
      g_thread_join (threads[c]);
      failed += jobs[c].failed;
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  *cpu += cpu_seconds () - cpu_start;
  if (failed > 0)
    {
      g_printerr ("bench-marriage: %u actions failed\n", failed);
      exit (1);
    }
  return seconds;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db = NULL;
  g_autofree char *text = NULL;
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (MzServices) services = NULL;
  g_autoptr (MzLoader) loader = NULL;
  g_autoptr (GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr (GDateTime) now = g_date_time_new (tz, 2021, 5, 10, 10, 0, 0);
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1200;
  guint next = 0;
  const guint clients[] = { 1, N_CLIENTS };
  double warm_cpu = 0;

  setlocale (LC_ALL, "");
  n -= n % (N_CLIENTS * ROUNDS);
  if (n == 0)
    {
      g_printerr ("usage: bench-marriage [N ≥ %d]\n", N_CLIENTS * ROUNDS);
      return 2;
    }
  dir = g_dir_make_tmp ("bench-marriage-XXXXXX", &error);
  g_assert_no_error (error);
  db = g_build_filename (dir, "office.db", NULL);
  text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n"
                          "[plugins]\npath=%s;%s\nenabled=marriage;benchplain\n"
                          "[store]\npath=%s\n",
                          MARRIAGE_PLUGIN_DIR, BENCH_PLUGIN_DIR, db);
  config = mz_config_load_from_data (text, "bench-marriage.conf", &error);
  if (config != NULL)
    services = mz_services_new (config, &error);
  if (services != NULL)
    {
      loader = mz_loader_new (config, services);
      mz_loader_load_all (loader, &error);
    }
  if (error != NULL)
    {
      g_printerr ("bench-marriage: %s\n", error->message);
      return 1;
    }
  mz_services_set_now (services, g_date_time_to_unix (now) * G_USEC_PER_SEC);

  /* Warm up both kinds (schema, statement caches) outside the timings. */
  measure (services, BENCH_PLAIN, 1, 0, 20, &warm_cpu);
  measure (services, BENCH_SHAPED, 1, 0, 20, &warm_cpu);
  measure (services, BENCH_MARRIAGE, 1, 0, 20, &warm_cpu);
  next += 20;

  g_print ("bench-marriage: %u actions of each kind per client count, %d interleaved rounds\n",
           n, ROUNDS);
  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      double seconds[3] = { 0, 0, 0 };
      double cpu[3] = { 0, 0, 0 };
      double plain, shaped, reg;

      for (guint r = 0; r < ROUNDS; r++)
        {
          for (BenchKind k = BENCH_PLAIN; k <= BENCH_MARRIAGE; k++)
            seconds[k] += measure (services, k, clients[i], k == BENCH_PLAIN ? 0 : next,
                                   n / ROUNDS, &cpu[k]);
          next += n / ROUNDS;
        }
      plain = n / seconds[BENCH_PLAIN];
      shaped = n / seconds[BENCH_SHAPED];
      reg = n / seconds[BENCH_MARRIAGE];
      g_print ("clients=%-2u  plain %8.1f/s  shaped %8.1f/s  register %8.1f/s"
               "  register/plain %.2f  register/shaped %.2f\n",
               clients[i], plain, shaped, reg, reg / plain, reg / shaped);
      /* The target compares the rules with no rules, on the same record:
       * against the one-field kind the ratio mostly measures the width
       * and indexes of a registration row, not its rules. */
      g_print ("            target: register / plain action of the same shape = %.2f (>= 0.8: %s)\n",
               reg / shaped, reg / shaped >= 0.8 ? "met" : "NOT met");
      /* CPU time per action does not depend on what else runs on the
       * machine, so it also tells where the time goes under load. */
      g_print ("            cpu µs/action: plain %.0f  shaped %.0f  register %.0f"
               "  plain/register %.2f  shaped/register %.2f\n",
               cpu[BENCH_PLAIN] * 1e6 / n, cpu[BENCH_SHAPED] * 1e6 / n,
               cpu[BENCH_MARRIAGE] * 1e6 / n, cpu[BENCH_PLAIN] / cpu[BENCH_MARRIAGE],
               cpu[BENCH_SHAPED] / cpu[BENCH_MARRIAGE]);
    }

  g_clear_pointer (&loader, mz_loader_free);
  g_clear_pointer (&services, mz_services_free);
  mz_test_remove_tree (dir);
  return 0;
}
