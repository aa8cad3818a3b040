/* bench-reports — the report and import figures of issue 4, measured in
 * one run on this machine:
 *
 *   1. group commit: 32 threads performing create actions through
 *      mz_services_act (validation, guard, write, audit) — the baseline;
 *   2. import: a CSV file of the same number of rows through the import
 *      path (parse, validate, create action, audit as import, one
 *      transaction) — rows/s and the ratio to (1), target ≥ 0.5;
 *   3. report: the testreg report for 2021 H1 over RECORDS records spread
 *      over 2019–2023, through mz_report_run (authorizer, one snapshot,
 *      the durable report.run audit entry) — target < 100 ms — next to the
 *      same two queries on raw SQLite.  The RECORDS are inserted straight
 *      into the table with one prepared statement, which is NOT how the
 *      API writes; it only fills the table quickly for timing the report.
 *
 * Usage: bench-reports [RECORDS [ROWS]]   (default 1000000 and 20000)
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "import.h"
#include "loader.h"
#include "registry.h"
#include "store-sqlite.h"
#include "report.h"
#include "services.h"
#include "mz-test-util.h"

#define N_THREADS 32

typedef struct
{
  MzServices *services;
  guint first;
  guint count;
  guint failed;
} Worker;

static char *
id_number (guint n)
{
  static const int weights[] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char checks[] = "10X98765432";
  char body[18];
  int sum = 0;

  /* Births spread over 1950–1999 (day 1–28), sequence 000–999. */
  g_snprintf (body, sizeof body, "450222%04u%02u%02u%03u", 1950 + (n / 1000) % 50,
              1 + (n / 50000) % 12, 1 + (n / 600000) % 28, n % 1000);
  for (int i = 0; i < 17; i++)
    sum += (body[i] - '0') * weights[i];
  return g_strdup_printf ("%s%c", body, checks[sum % 11]);
}

static gpointer
worker_run (gpointer data)
{
  Worker *w = data;
  const MzActor clerk = { "bench", "clerk", NULL, "bench" };

  for (guint i = w->first; i < w->first + w->count; i++)
    {
      g_autoptr (GHashTable) inputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      g_autoptr (GError) error = NULL;
      MzActRequest request = { 0 };
      MzActResult result = { 0 };

      g_hash_table_insert (inputs, "name", g_strdup_printf ("申请人%u", i));
      g_hash_table_insert (inputs, "id_number", id_number (i));
      g_hash_table_insert (inputs, "category", g_strdup ("dibao"));
      g_hash_table_insert (inputs, "applied_on", g_strdup ("2024-03-01"));
      g_hash_table_insert (inputs, "amount", g_strdup ("12000"));
      request.plugin = "testreg";
      request.kind = "application";
      request.action = "submit";
      request.inputs = inputs;
      request.actor = &clerk;
      if (!mz_services_act (w->services, &request, &result, &error))
        w->failed++;
    }
  return NULL;
}

static double
bench_group_commit (MzServices *services,
                    guint       n)
{
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  gint64 start = g_get_monotonic_time ();
  guint failed = 0;

  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t] = (Worker) { services, 1000000 + t * (n / N_THREADS), n / N_THREADS, 0 };
      threads[t] = g_thread_new ("bench", worker_run, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_thread_join (threads[t]);
      failed += workers[t].failed;
    }
  if (failed > 0)
    g_error ("%u actions failed", failed);
  return (double) (n / N_THREADS * N_THREADS) / ((double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
}

static double
bench_import (MzServices *services,
              guint       n)
{
  GString *csv = g_string_new ("name,id_number,category,applied_on,amount,certificate_no\n");
  const MzActor importer = { "bench", "supervisor", NULL, "bench" };
  g_autoptr (MzImportBatch) batch = NULL;
  g_autoptr (GError) error = NULL;
  gint64 start;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = id_number (2000000 + i);

      g_string_append_printf (csv, "\"历史申请人%u\",%s,%s,2020-%02u-%02u,%u,LS-2020-%07u\n", i, id,
                              i % 3 ? "dibao" : "tekun", 1 + i % 12, 1 + i % 28, 5000 + i % 1000, i);
    }
  start = g_get_monotonic_time ();
  batch = mz_import_batch_new (services, &importer, NULL);
  if (!mz_import_batch_add_data (batch, "testreg", "application", NULL, MZ_IMPORT_FORMAT_CSV, NULL,
                                 csv->str, csv->len, &error)
      || !mz_import_batch_commit (batch, &error))
    g_error ("import failed: %s", error->message);
  g_string_free (csv, TRUE);
  return (double) n / ((double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC);
}

/* Direct bulk insert, for the report timing only (see the top comment). */
static void
fill_records (const char *path,
              guint       n)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GDate day;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    g_error ("open %s: %s", path, sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 10000);
  sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
  if (sqlite3_prepare_v2 (db, "INSERT INTO testreg_application (state, version, created_at, updated_at,"
                          " name, id_number, category, applied_on, amount) VALUES (?, 1, 0, 0, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    g_error ("prepare: %s", sqlite3_errmsg (db));
  for (guint i = 0; i < n; i++)
    {
      char date[11], name[32];
      g_autofree char *id = id_number (3000000 + i);

      /* 2019-01-01 + (i mod 1826) days: five years, evenly. */
      g_date_set_dmy (&day, 1, 1, 2019);
      g_date_add_days (&day, i % 1826);
      g_snprintf (date, sizeof date, "%04u-%02u-%02u", g_date_get_year (&day), g_date_get_month (&day),
                  g_date_get_day (&day));
      g_snprintf (name, sizeof name, "记录%u", i);
      sqlite3_bind_text (stmt, 1, i % 4 ? "done" : "pending", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, i % 3 ? "dibao" : "tekun", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, date, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 6, 10000 + i % 5000);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("insert: %s", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  sqlite3_exec (db, "ANALYZE", NULL, NULL, NULL);
  sqlite3_close (db);
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median_ms (double *samples,
           guint   n)
{
  qsort (samples, n, sizeof *samples, (int (*) (const void *, const void *)) compare_double);
  return samples[n / 2];
}

/* The same two statements testreg's report runs, on a plain connection
 * with the same mmap setting; with @state_filter the sum is restricted to
 * finished records, which no index covers (state is not a field), to show
 * what table lookups cost. */
static double
raw_report_ms (const char *path,
               gboolean    state_filter)
{
  const char *const sql[] = {
    "SELECT count(*) FROM testreg_application WHERE applied_on BETWEEN ? AND ?",
    state_filter
      ? "SELECT coalesce(sum(amount), 0) FROM testreg_application WHERE applied_on BETWEEN ? AND ? AND state = 'done'"
      : "SELECT coalesce(sum(amount), 0) FROM testreg_application WHERE applied_on BETWEEN ? AND ?",
  };
  sqlite3 *db = NULL;
  MzStoreReader *reader;
  double samples[7];

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  reader = mz_store_reader_adopt (db);
  mz_store_report_harden (reader);
  for (guint r = 0; r < G_N_ELEMENTS (samples); r++)
    {
      gint64 start = g_get_monotonic_time ();

      for (guint q = 0; q < G_N_ELEMENTS (sql); q++)
        {
          sqlite3_stmt *stmt = NULL;

          sqlite3_prepare_v2 (db, sql[q], -1, &stmt, NULL);
          sqlite3_bind_text (stmt, 1, "2021-01-01", -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 2, "2021-06-30", -1, SQLITE_STATIC);
          sqlite3_step (stmt);
          sqlite3_finalize (stmt);
        }
      samples[r] = (double) (g_get_monotonic_time () - start) / 1000.0;
    }
  mz_store_reader_close (reader);
  return median_ms (samples, G_N_ELEMENTS (samples));
}

/* The testreg section alone under the authorizer, without the audit
 * entry: what the plugin's queries cost through the report machinery. */
static double
sections_ms (MzServices *services)
{
  static const char *const tables[] = { "testreg_application", NULL };
  MzPluginEntry *entry = mz_services_lookup_plugin (services, "testreg");
  double samples[7];

  for (guint r = 0; r < G_N_ELEMENTS (samples); r++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (MzReportDoc) doc = mz_report_doc_new ("450222", "", "2021-01-01", "2021-06-30", 0);
      gint64 start = g_get_monotonic_time ();
      MzStoreReader *reader = mz_services_open_reader (services, &error);

      if (reader == NULL)
        g_error ("%s", error->message);
      mz_store_report_harden (reader);
      mz_report_doc_run_section (doc, reader, "testreg", tables, NULL,
                                 g_ptr_array_index (entry->reports, 0));
      mz_store_reader_close (reader);
      samples[r] = (double) (g_get_monotonic_time () - start) / 1000.0;
      if (!mz_report_doc_check (doc, &error))
        g_error ("%s", error->message);
    }
  return median_ms (samples, G_N_ELEMENTS (samples));
}

int
main (int   argc,
      char *argv[])
{
  guint records = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  guint rows = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 20000;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("mz-bench-reports-XXXXXX", &error);
  g_autofree char *config_path = NULL, *store_path = NULL, *text = NULL;
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (MzServices) services = NULL;
  g_autoptr (MzLoader) loader = NULL;
  const MzActor auditor = { "bench", "auditor", NULL, "bench" };
  double group_rate, import_rate, raw_ms, run_ms, section_ms, samples[7];
  gint64 figure = -1;

  if (dir == NULL || rows < N_THREADS)
    g_error ("usage: bench-reports [RECORDS [ROWS ≥ %d]]", N_THREADS);
  config_path = g_build_filename (dir, "minzheng.conf", NULL);
  store_path = g_build_filename (dir, "office.db", NULL);
  text = g_strdup_printf ("[office]\nid=450222\nname=柳城县民政局\n\n[plugins]\npath=%s\nenabled=testreg\n\n"
                          "[store]\npath=%s\n\n[audit]\nkey_path=%s/office.key\n",
                          TESTREG_DIR, store_path, dir);
  if (!g_file_set_contents (config_path, text, -1, &error)
      || (config = mz_config_load (config_path, &error)) == NULL
      || (services = mz_services_new (config, &error)) == NULL)
    g_error ("%s", error->message);
  loader = mz_loader_new (config, services);
  if (!mz_loader_load_all (loader, &error))
    g_error ("%s", error->message);

  printf ("bench-reports: %u records for the report, %u rows for import and group commit, "
          "synchronous=FULL, %d threads\n", records, rows, N_THREADS);
  group_rate = bench_group_commit (services, rows);
  printf ("group commit, %d clients, create action + audit: %.0f actions/s\n", N_THREADS, group_rate);
  import_rate = bench_import (services, rows);
  printf ("import (CSV, validation, guard, audit, one transaction): %.0f rows/s = %.2f x group commit "
          "(target >= 0.5)\n", import_rate, import_rate / group_rate);

  fill_records (store_path, records);
  for (guint r = 0; r < G_N_ELEMENTS (samples); r++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr (MzReportDoc) doc = mz_report_run (services, "2021-01-01", "2021-06-30", NULL, &auditor, &error);
      MzReport *section;

      if (doc == NULL || !mz_report_doc_check (doc, &error))
        g_error ("report: %s", error->message);
      samples[r] = (double) (g_get_monotonic_time () - start) / 1000.0;
      section = g_ptr_array_index (doc->sections, 0);
      figure = ((MzReportFigure *) g_ptr_array_index (section->figures, 0))->value;
    }
  run_ms = median_ms (samples, G_N_ELEMENTS (samples));
  section_ms = sections_ms (services);
  raw_ms = raw_report_ms (store_path, FALSE);
  printf ("report 2021-01-01..2021-06-30 over %u records (%" G_GINT64_FORMAT " in the period), "
          "median of %u runs:\n"
          "  mz_report_run (reader, authorizer, durable report.run audit entry): %.1f ms (target < 100 ms)\n"
          "  the section alone (reader, authorizer, no audit entry): %.1f ms\n"
          "  raw SQLite, same two queries, one connection: %.1f ms; section / raw = %.2f\n",
          records + 2 * rows, figure, (guint) G_N_ELEMENTS (samples), run_ms, section_ms, raw_ms,
          section_ms / raw_ms);
  printf ("  raw SQLite, sum restricted to state = 'done' (no covering index, table lookups): %.1f ms\n",
          raw_report_ms (store_path, TRUE));

  mz_loader_shutdown (loader);
  g_clear_pointer (&loader, mz_loader_free);
  g_clear_pointer (&services, mz_services_free);
  mz_test_remove_tree (dir);
  return 0;
}
