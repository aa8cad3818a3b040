/* minzheng bench — how fast `mzctl audit verify` checks the log.
 *
 * Writes N entries (default 1,000,000; first argument; the second names the
 * hash, sha256 by default or sm3) to a fresh database
 * through mz_audit_append with the default checkpoint policy, then times,
 * in the same run:
 *   - mz_audit_verify over the whole log;
 *   - baseline 1: SHA-256 of each entry's canonical bytes, held in memory
 *     (the hashing verify cannot avoid: one leaf per entry);
 *   - baseline 2: reading every row's columns with one SELECT, no hashing.
 * and prints entries per second and the ratios.  Verify uses two threads
 * (this machine has two cores) and the CPU's SHA instructions when present
 * (the same digests as libsodium); the process CPU time is printed too, as
 * other work on a shared machine slows the wall-clock figures.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <glib/gstdio.h>

#include "audit-private.h"
#include "store-audit-sqlite.h"
#include "store-sqlite.h"
#include "sha256.h"

#define BASE_USEC G_GINT64_CONSTANT (1772323200000000)

static void
exec_or_die (sqlite3    *db,
             const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static double
seconds_since (gint64 start)
{
  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Plain SHA-256 of every entry's canonical bytes with @algo's digest. */
static double
time_hashing (const MzHashAlgo *algo,
              GByteArray       *canon_all,
              GArray           *offsets,
              guint64           n)
{
  volatile guint8 sink = 0;
  guint8 digest[MZ_HASH_MAX_SIZE];
  gint64 start = g_get_monotonic_time ();

  for (guint64 i = 0; i < n; i++)
    {
      guint off = g_array_index (offsets, guint, i);
      guint end = g_array_index (offsets, guint, i + 1);

      algo->digest (canon_all->data + off, end - off, digest);
      sink ^= digest[0];
    }
  return seconds_since (start);
}

/* A realistic entry: a clerk registering a marriage, ~300 bytes. */
static void
make_entry (MzAuditEntry *e,
            guint64       i,
            char          bufs[4][160])
{
  static const char *const actions[] = {
    "marriage.registration.register", "record.read", "marriage.registration.issue_certificate",
    "funeral.reduction.approve", "report.run",
  };

  g_snprintf (bufs[0], 160, "clerk%02u", (guint) (i % 17));
  g_snprintf (bufs[1], 160, "sess-%08x", (guint) (i / 40 * 2654435761u));
  g_snprintf (bufs[2], 160, "req-%016" G_GINT64_MODIFIER "x", (gint64) i * 7919);
  g_snprintf (bufs[3], 160, "{\"state\":[\"applied\",\"registered\"],\"certificate_no\":[null,\"J440305-2026-%06u\"]}",
              (guint) (i % 1000000));
  memset (e, 0, sizeof *e);
  e->time_usec = BASE_USEC + (gint64) i * 1000;
  e->office = "440305";
  e->plugin = "marriage";
  e->plugin_version = "1.0.0";
  e->actor_user = bufs[0];
  e->actor_role = "clerk";
  e->actor_session = bufs[1];
  e->actor_address = "10.0.3.17";
  e->action = actions[i % G_N_ELEMENTS (actions)];
  e->object_kind = "marriage.registration";
  e->object_id = (gint64) i + 1000;
  e->outcome = "ok";
  e->reason = NULL;
  e->correlation_id = bufs[2];
  e->changes = i % 3 == 0 ? NULL : bufs[3];
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *key_path = NULL;
  g_autoptr (GByteArray) canon_all = g_byte_array_new ();
  g_autoptr (GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  MzAuditOptions options = { 0 };
  const MzHashAlgo *algo;
  MzAuditVerifyResult result = { 0 };
  MzAuditCanon canon = { 0 };
  sqlite3 *db = NULL;
  MzStoreReader *reader;
  MzStoreTxn *txn;
  MzAudit *audit;
  sqlite3_stmt *stmt = NULL;
  guint64 n = 1000000;
  volatile guint8 sink = 0;
  gint64 start;
  double append_s, verify_s, verify_cpu = 0, hash_s, hash_ni_s, scan_s, cpu;
  gsize bytes = 0;

  if ((argc > 1 && !g_ascii_string_to_unsigned (argv[1], 10, 1, G_MAXUINT32, &n, &error)) ||
      (argc > 2 && mz_hash_algo_lookup (argv[2]) == NULL))
    {
      g_printerr ("usage: %s [ENTRIES [sha256|sm3]]%s%s\n", argv[0],
                  error != NULL ? "  " : "", error != NULL ? error->message : "");
      return 2;
    }
  algo = mz_hash_algo_lookup (argc > 2 ? argv[2] : "sha256");
  if (sodium_init () < 0)
    return 1;

  dir = g_dir_make_tmp ("mz-bench-audit-XXXXXX", &error);
  g_assert_no_error (error);
  db_path = g_build_filename (dir, "office.db", NULL);
  key_path = g_build_filename (dir, "office.key", NULL);
  if (sqlite3_open (db_path, &db) != SQLITE_OK)
    g_error ("cannot open %s", db_path);
  exec_or_die (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL");
  options.key_path = key_path;
  options.hash = algo->name;
  txn = mz_store_txn_wrap (db);
  audit = mz_audit_open (txn, &options, &error);
  g_assert_no_error (error);

  /* Append in transactions of 10,000, as a bulk import would. */
  start = g_get_monotonic_time ();
  for (guint64 i = 1; i <= n; i++)
    {
      MzAuditEntry e;
      char bufs[4][160];

      if (i % 10000 == 1)
        exec_or_die (db, "BEGIN IMMEDIATE");
      make_entry (&e, i, bufs);
      if (!mz_audit_append (audit, &e, NULL, &error) ||
          !mz_audit_checkpoint (audit, e.time_usec, FALSE, &error))
        g_error ("%s", error->message);
      if (i % 10000 == 0 || i == n)
        {
          if (i == n && !mz_audit_checkpoint (audit, e.time_usec, TRUE, &error))
            g_error ("%s", error->message);
          exec_or_die (db, "COMMIT");
        }
    }
  append_s = seconds_since (start);
  mz_audit_free (audit);
  mz_store_txn_free (txn);
  sqlite3_close (db);

  for (guint64 i = 1; i <= n; i++)
    {
      MzAuditEntry e;
      char bufs[4][160];

      make_entry (&e, i, bufs);
      mz_audit_canon_entry (&canon, (gint64) i, &e);
      g_array_append_val (offsets, canon_all->len);
      g_byte_array_append (canon_all, canon.data, (guint) canon.len);
    }
  g_array_append_val (offsets, canon_all->len);
  mz_audit_canon_clear (&canon);
  bytes = canon_all->len;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    g_error ("cannot reopen %s", db_path);

  /* Warm the page cache once so that every timing below reads memory. */
  exec_or_die (db, "SELECT count(*), sum(length(leaf_hash)) FROM audit_entries");
  reader = mz_store_audit_reader_open (db_path, &error);
  g_assert_no_error (error);

  /* Best of three: on a shared machine the fastest run is the one least
   * disturbed by other work. */
  verify_s = G_MAXDOUBLE;
  for (int run = 0; run < 3; run++)
    {
      double s;

      cpu = cpu_seconds ();
      start = g_get_monotonic_time ();
      if (!mz_audit_verify (reader, NULL, &result, &error))
        g_error ("verify failed: %s", error->message);
      s = seconds_since (start);
      g_assert_cmpint (result.entries, ==, (gint64) n);
      if (s < verify_s)
        {
          verify_s = s;
          verify_cpu = cpu_seconds () - cpu;
        }
    }

  hash_s = time_hashing (mz_hash_algo_sha256_portable (), canon_all, offsets, n);
  hash_ni_s = time_hashing (algo, canon_all, offsets, n);

  start = g_get_monotonic_time ();
  if (sqlite3_prepare_v2 (db, "SELECT seq, " MZ_AUDIT_ENTRY_COLUMNS ", leaf_hash, chain_hash"
                              " FROM audit_entries ORDER BY seq", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int col = 0; col < 2 + MZ_AUDIT_ENTRY_COLUMN_COUNT + 1; col++)
      sink ^= (guint8) sqlite3_column_bytes (stmt, col);
  sqlite3_finalize (stmt);
  scan_s = seconds_since (start);
  mz_store_reader_close (reader);
  sqlite3_close (db);

  printf ("audit verify benchmark (%s), %" G_GUINT64_FORMAT " entries (%.0f bytes each on average), %" G_GINT64_FORMAT " checkpoints\n",
          algo->name, n, (double) bytes / (double) n, result.checkpoints);
  printf ("  append (10,000 per transaction):  %10.0f entries/s  (%.2f s)\n", (double) n / append_s, append_s);
  printf ("  mz_audit_verify (best of 3):      %10.0f entries/s  (%.3f s wall, %.3f s CPU)\n",
          (double) n / verify_s, verify_s, verify_cpu);
  printf ("  baseline SHA-256 (libsodium):     %10.0f entries/s  (%.3f s, one thread)\n", (double) n / hash_s, hash_s);
  printf ("  baseline %-24s %10.0f entries/s  (%.3f s, one thread)\n",
          algo != mz_hash_algo_sha256 () ? "SM3:" : mz_sha256_ni_available () ? "SHA-256 (SHA-NI):" : "SHA-256 (libsodium):",
          (double) n / hash_ni_s, hash_ni_s);
  printf ("  baseline SQLite row scan:         %10.0f entries/s  (%.3f s, one thread)\n", (double) n / scan_s, scan_s);
  printf ("  verify / libsodium SHA-256:       %10.2f\n", hash_s / verify_s);
  printf ("  verify / SQLite scan:             %10.2f\n", scan_s / verify_s);
  printf ("  target 1,000,000 entries/s:       %s\n", (double) n / verify_s >= 1e6 ? "met" : "NOT met");

  {
    g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
    g_autofree char *pub = g_strconcat (key_path, ".pub", NULL);
    g_unlink (db_path);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (key_path);
    g_unlink (pub);
    g_rmdir (dir);
  }
  return 0;
}
