/* bench-funeral — how fast the host takes 殡葬减免 applications, compared
 * in the same run and store with the plain action (bench_plain's create,
 * no guard, no effect) on a record of the same shape — the target's
 * baseline: what the rules cost — and on a trivial one-field record (what
 * the width and indexes of the row cost), one client at a time and 32 at
 * once, in interleaved rounds; and how long the duplicate check takes with
 * many prior cases.
 *
 * The prior cases are bulk-inserted straight into the SQLite file (one
 * transaction, no audit entries), because a million audited actions would
 * take far longer than the check being measured.
 *
 * Usage: bench-funeral [APPLICATIONS [PRIOR_CASES]]  (default 1200, 1000000;
 * the figures in docs/plugins/funeral.md use 6000)
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "config.h"
#include "loader.h"
#include "services.h"
#include "mz-test-util.h"

typedef struct
{
  MzConfig *config;
  MzServices *services;
  MzLoader *loader;
} Host;

static const MzActor clerk = { "bench-clerk", "supervisor", "bench", "cli" };

static void
host_open (Host       *host,
           const char *config_path)
{
  g_autoptr (GError) error = NULL;

  host->config = mz_config_load (config_path, &error);
  if (host->config != NULL)
    host->services = mz_services_new (host->config, &error);
  if (host->services != NULL)
    {
      host->loader = mz_loader_new (host->config, host->services);
      mz_loader_load_all (host->loader, &error);
    }
  if (error != NULL)
    g_error ("cannot start the host: %s", error->message);
  /* 2021-03-01 12:00 Asia/Shanghai */
  mz_services_set_now (host->services, G_GINT64_CONSTANT (1614571200) * G_USEC_PER_SEC);
}

static void
host_close (Host *host)
{
  g_clear_pointer (&host->loader, mz_loader_free);
  g_clear_pointer (&host->services, mz_services_free);
  g_clear_pointer (&host->config, mz_config_free);
}

/* A valid GB 11643-1999 number for person @n: division 450222, a birth
 * date counted back from 2000-12-31 by n / 500 days, sequence from n. */
static void
make_id_number (gint64 n,
                char   out[19])
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  g_autoptr (GDate) birth = g_date_new_dmy (31, 12, 2000);
  int sum = 0;

  g_date_subtract_days (birth, (guint) (n / 500));
  g_snprintf (out, 19, "450222%04u%02u%02u%03d", g_date_get_year (birth),
              g_date_get_month (birth), g_date_get_day (birth), (int) (n % 500) * 2 + 1);
  for (int i = 0; i < 17; i++)
    sum += (out[i] - '0') * weights[i];
  out[17] = "10X98765432"[sum % 11];
  out[18] = '\0';
}

static gboolean
act (Host       *host,
     const char *plugin,
     const char *kind,
     const char *action,
     GHashTable *inputs,
     GError    **error)
{
  MzActRequest request = { plugin, kind, action, 0, 0, inputs, &clerk, NULL, NULL };
  MzActResult result;

  return mz_services_act (host->services, &request, &result, error);
}

static GHashTable *
application_inputs (gint64 n)
{
  GHashTable *inputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  char id[19];

  make_id_number (n, id);
  g_hash_table_insert (inputs, "deceased_name", g_strdup ("测试逝者"));
  g_hash_table_insert (inputs, "deceased_id", g_strdup (id));
  g_hash_table_insert (inputs, "deceased_sex", g_strdup ("male"));
  g_hash_table_insert (inputs, "death_date", g_strdup ("2021-02-20"));
  g_hash_table_insert (inputs, "household_division", g_strdup ("450222"));
  g_hash_table_insert (inputs, "death_certificate_no", g_strdup_printf ("Q%08" G_GINT64_FORMAT, n));
  g_hash_table_insert (inputs, "cremation_certificate_no",
                       g_strdup_printf ("HH%08" G_GINT64_FORMAT, n));
  g_hash_table_insert (inputs, "funeral_home", g_strdup ("柳州市殡仪馆"));
  g_hash_table_insert (inputs, "category", g_strdup ("dibao"));
  g_hash_table_insert (inputs, "applicant_name", g_strdup ("测试申请人"));
  g_hash_table_insert (inputs, "applicant_relation", g_strdup ("子"));
  g_hash_table_insert (inputs, "claim_transport", g_strdup ("30000"));
  g_hash_table_insert (inputs, "claim_cremation", g_strdup ("65000"));
  g_hash_table_insert (inputs, "claim_ash_storage", g_strdup ("10000"));
  return inputs;
}

#define ROUNDS 6

typedef enum
{
  BENCH_PLAIN,     /* bench_plain item add: the trivial baseline */
  BENCH_SHAPED,    /* bench_plain shaped submit: an application's fields, no rules */
  BENCH_FUNERAL,   /* funeral application submit */
} BenchKind;

/* CPU seconds of the whole process, the host's writer thread included:
 * less disturbed than wall time by other work on the machine. */
static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wall seconds for @count create actions of @what, for persons numbered
 * from @first; the CPU seconds they took are added to @cpu. */
static double
time_actions (Host     *host,
              BenchKind what,
              gint64    first,
              guint     count,
              double   *cpu)
{
  double cpu_start = cpu_seconds ();
  static const char *const plugins[] = { "bench_plain", "bench_plain", "funeral" };
  static const char *const kinds[] = { "item", "shaped", "application" };
  static const char *const actions[] = { "add", "submit", "submit" };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < count; i++)
    {
      g_autoptr (GHashTable) inputs = NULL;
      g_autoptr (GError) error = NULL;

      if (what != BENCH_PLAIN)
        {
          inputs = application_inputs (first + i);
          /* What submit's effect sets, the same-shape kind is given. */
          if (what == BENCH_SHAPED)
            {
              g_hash_table_insert (inputs, "case_number",
                                   g_strdup_printf ("FS450222-2021-%07" G_GINT64_FORMAT, first + i));
              g_hash_table_insert (inputs, "submitted_on", g_strdup ("2021-05-10"));
            }
        }
      else
        {
          inputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
          g_hash_table_insert (inputs, "name", g_strdup_printf ("记录%u", i));
          g_hash_table_insert (inputs, "amount", g_strdup ("105000"));
        }
      if (!act (host, plugins[what], kinds[what], actions[what], inputs, &error))
        g_error ("action refused: %s", error->message);
    }
  *cpu += cpu_seconds () - cpu_start;
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

#define CLIENTS 32

typedef struct
{
  Host *host;
  BenchKind what;
  gint64 first;
  guint count;
} Client;

static gpointer
client_run (gpointer data)
{
  Client *client = data;
  double cpu = 0;

  time_actions (client->host, client->what, client->first, client->count, &cpu);
  return NULL;
}

/* Wall seconds for CLIENTS threads doing @per_client actions each at once:
 * the host batches concurrent actions into one transaction (group commit),
 * so this is the rate an office reaches when many clerks work together. */
static double
time_concurrent (Host     *host,
                 BenchKind what,
                 gint64    first,
                 guint     per_client)
{
  GThread *threads[CLIENTS];
  Client clients[CLIENTS];
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < CLIENTS; i++)
    {
      clients[i] = (Client) { host, what, first + (gint64) i * per_client, per_client };
      threads[i] = g_thread_new ("bench-client", client_run, &clients[i]);
    }
  for (guint i = 0; i < CLIENTS; i++)
    g_thread_join (threads[i]);
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* Refuses @count applications of persons who already have a case (the
 * duplicate check finds them), alternating with as many for a category the
 * office does not cover (refused before any lookup), so that both meet the
 * same disk; mean seconds of each into @duplicate and @uncovered. */
static void
time_refusals (Host   *host,
               gint64  prior,
               guint   count,
               double *duplicate,
               double *uncovered)
{
  static const char *const categories[] = { "dibao", "resident" };
  static const char *const codes[] = { "[funeral.duplicate_deceased]",
                                       "[funeral.category_not_covered]" };
  gint64 spent[2] = { 0, 0 };

  for (guint i = 0; i < 2 * count; i++)
    {
      g_autoptr (GHashTable) inputs =
        application_inputs (g_random_int_range (0, (gint32) MIN (prior, G_MAXINT32)));
      g_autoptr (GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      g_hash_table_insert (inputs, "category", g_strdup (categories[i % 2]));
      if (act (host, "funeral", "application", "submit", inputs, &error))
        g_error ("an application that must be refused was accepted");
      spent[i % 2] += g_get_monotonic_time () - start;
      if (!g_str_has_suffix (error->message, codes[i % 2]))
        g_error ("unexpected refusal: %s", error->message);
    }
  *duplicate = (double) spent[0] / G_USEC_PER_SEC / count;
  *uncovered = (double) spent[1] / G_USEC_PER_SEC / count;
}

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* Inserts @count approved cases for persons numbered from @first, the way
 * the host would have stored them, in one transaction. */
static void
bulk_insert (const char *store_path,
             gint64      first,
             gint64      count)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *sql =
    "INSERT INTO funeral_application (state, version, created_at, updated_at, case_number,"
    " deceased_name, deceased_id, deceased_sex, death_date, household_division,"
    " death_certificate_no, cremation_certificate_no, funeral_home, category, policy_grant,"
    " applicant_name, applicant_relation, claim_cremation, approved_cremation, approved_total,"
    " submitted_on, approved_on)"
    " VALUES ('approved', 3, 0, 0, ?, '测试逝者', ?, 'male', '2019-05-01', '450222', ?, ?,"
    " '柳州市殡仪馆', 'dibao', 0, '测试申请人', '子', 60000, 60000, 60000,"
    " '2019-05-03', '2019-05-10')";

  if (sqlite3_open (store_path, &db) != SQLITE_OK)
    g_error ("cannot open %s", store_path);
  exec_or_die (db, "PRAGMA synchronous=OFF; BEGIN");
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  for (gint64 i = 0; i < count; i++)
    {
      char id[19];
      char number[32];
      char death[16];
      char cremation[16];

      make_id_number (first + i, id);
      g_snprintf (number, sizeof number, "FJ450222-2019-%07" G_GINT64_FORMAT, i + 1);
      g_snprintf (death, sizeof death, "Q%08" G_GINT64_FORMAT, first + i);
      g_snprintf (cremation, sizeof cremation, "HH%08" G_GINT64_FORMAT, first + i);
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, death, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, cremation, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("bulk insert: %s", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  exec_or_die (db, "COMMIT");
  sqlite3_close (db);
}

/* The lookup the duplicate guard makes, run directly: mean µs per query
 * and SQLite's plan for it. */
static double
time_lookup (const char *store_path,
             gint64      prior,
             guint       count,
             char      **plan)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *sql = "SELECT id, case_number, approved_on FROM funeral_application"
                    " WHERE deceased_id = ? AND state IN ('submitted', 'reviewed', 'approved', 'paid')"
                    " ORDER BY id";
  g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ", sql, NULL);
  GString *plan_text = g_string_new (NULL);
  gint64 start;
  guint found = 0;

  sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READONLY, NULL);
  sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, "x", -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (plan_text, "%s%s", plan_text->len > 0 ? "; " : "",
                            (const char *) sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  *plan = g_string_free (plan_text, FALSE);

  sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  start = g_get_monotonic_time ();
  for (guint i = 0; i < count; i++)
    {
      char id[19];

      make_id_number (g_random_int_range (0, (gint32) MIN (prior, G_MAXINT32)), id);
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        found++;
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  if (found != count)
    g_error ("lookup found %u of %u prior cases", found, count);
  return (double) (g_get_monotonic_time () - start) / count;
}

int
main (int argc, char **argv)
{
  guint applications = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1200;
  gint64 prior = argc > 2 ? g_ascii_strtoll (argv[2], NULL, 10) : 1000000;
  g_autofree char *dir = g_dir_make_tmp ("bench-funeral-XXXXXX", NULL);
  g_autofree char *config_path = g_build_filename (dir, "minzheng.conf", NULL);
  g_autofree char *store_path = g_build_filename (dir, "office.db", NULL);
  g_autofree char *config_text = NULL;
  g_autofree char *plan = NULL;
  Host host = { NULL };
  double elapsed[3] = { 0, 0, 0 };
  double cpu[3] = { 0, 0, 0 };
  double concurrent[3] = { 0, 0, 0 };
  guint per_client;
  double refused_duplicate, refused_category;
  double lookup_us;
  gint64 start;
  guint done;
  guint refusals = 500;

  /* Figures appear as they are measured, also when a later step fails. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (applications < ROUNDS || prior < 1)
    {
      fprintf (stderr, "usage: %s [APPLICATIONS [PRIOR_CASES]]\n", argv[0]);
      return 2;
    }
  config_text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n"
                                 "[plugins]\npath=%s;%s\nenabled=funeral;bench_plain\n"
                                 "[store]\npath=%s\n"
                                 "[audit]\nkey_path=%s/office.key\n"
                                 "[plugin.funeral]\ncap_per_case=1200\ncap_cremation=600\n",
                                 FUNERAL_PLUGIN_DIR, BENCH_PLUGIN_DIR, store_path, dir);
  g_file_set_contents (config_path, config_text, -1, NULL);

  host_open (&host, config_path);
  /* Interleaved rounds, so that no side alone meets a colder cache or a
   * busier disk. */
  for (guint round = 0; round < ROUNDS; round++)
    {
      gint64 base = prior + (gint64) round * applications;

      for (BenchKind k = BENCH_PLAIN; k <= BENCH_FUNERAL; k++)
        elapsed[k] += time_actions (&host, k, k == BENCH_PLAIN ? 0 : base, applications / ROUNDS,
                                    &cpu[k]);
    }
  per_client = MAX (applications / CLIENTS / ROUNDS, 1);
  for (guint round = 0; round < ROUNDS; round++)
    {
      gint64 base = prior + (gint64) (ROUNDS + round) * applications;

      for (BenchKind k = BENCH_PLAIN; k <= BENCH_FUNERAL; k++)
        concurrent[k] += time_concurrent (&host, k, base, per_client);
    }
  host_close (&host);
  done = applications / ROUNDS * ROUNDS;
  printf ("one client, synchronous=FULL, %u actions each:\n", done);
  printf ("  plain create actions (trivial kind):   %6.0f /s  %5.0f us CPU each\n",
          done / elapsed[BENCH_PLAIN], cpu[BENCH_PLAIN] * 1e6 / done);
  printf ("  same-shape create actions (no rules):  %6.0f /s  %5.0f us CPU each\n",
          done / elapsed[BENCH_SHAPED], cpu[BENCH_SHAPED] * 1e6 / done);
  printf ("  funeral applications (submit):         %6.0f /s  %5.0f us CPU each\n",
          done / elapsed[BENCH_FUNERAL], cpu[BENCH_FUNERAL] * 1e6 / done);
  printf ("  target: funeral / plain action of the same shape = %.2f (>= 0.8: %s)\n",
          elapsed[BENCH_SHAPED] / elapsed[BENCH_FUNERAL],
          elapsed[BENCH_SHAPED] / elapsed[BENCH_FUNERAL] >= 0.8 ? "met" : "NOT met");
  printf ("  funeral / trivial one-field action: %.2f (the width and indexes of the row)\n",
          elapsed[BENCH_PLAIN] / elapsed[BENCH_FUNERAL]);
  printf ("  CPU ratios: funeral / plain %.2f, funeral / same-shape %.2f\n",
          cpu[BENCH_PLAIN] / cpu[BENCH_FUNERAL], cpu[BENCH_SHAPED] / cpu[BENCH_FUNERAL]);
  printf ("%u clients at once (group commit), %u actions each in each of %u rounds:\n",
          CLIENTS, per_client, ROUNDS);
  printf ("  plain %.0f /s, same-shape %.0f /s, funeral %.0f /s\n",
          ROUNDS * CLIENTS * per_client / concurrent[BENCH_PLAIN],
          ROUNDS * CLIENTS * per_client / concurrent[BENCH_SHAPED],
          ROUNDS * CLIENTS * per_client / concurrent[BENCH_FUNERAL]);
  printf ("  target: funeral / plain action of the same shape = %.2f (>= 0.8: %s)\n",
          concurrent[BENCH_SHAPED] / concurrent[BENCH_FUNERAL],
          concurrent[BENCH_SHAPED] / concurrent[BENCH_FUNERAL] >= 0.8 ? "met" : "NOT met");
  printf ("  funeral / trivial one-field action: %.2f\n",
          concurrent[BENCH_PLAIN] / concurrent[BENCH_FUNERAL]);

  start = g_get_monotonic_time ();
  bulk_insert (store_path, 0, prior);
  printf ("bulk-inserted %" G_GINT64_FORMAT " prior cases directly into SQLite "
          "(no audit entries) in %.1f s\n",
          prior, (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);

  lookup_us = time_lookup (store_path, prior, 10000, &plan);
  printf ("duplicate lookup, the guard's query run directly: %.1f us per query\n"
          "  plan: %s\n", lookup_us, plan);

  host_open (&host, config_path);
  time_refusals (&host, prior, refusals, &refused_duplicate, &refused_category);
  host_close (&host);
  printf ("refused through the host, whole action (each refusal is audited durably), "
          "%u each, alternating:\n"
          "  duplicate deceased found:  %.3f ms\n"
          "  category not covered:      %.3f ms (refused before the duplicate check)\n",
          refusals, refused_duplicate * 1000, refused_category * 1000);

  mz_test_remove_tree (dir);
  return 0;
}
