/* The store engine alone: group commit, a refusal that does not spoil its
 * batch, a storage failure that fails the whole batch, full disk, backup.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "store-sqlite.h"

#define N_THREADS 32
#define TEST_ERROR (g_quark_from_static_string ("test-error"))

typedef struct
{
  char *dir;
  char *path;
  MzStore *store;
  gint commits;
  gint rollbacks;
} Engine;

static gboolean
count_commit (MzStore *store,
              MzStoreTxn *txn,
              gpointer data,
              GError **error)
{
  Engine *e = data;

  g_atomic_int_inc (&e->commits);
  return TRUE;
}

static void
count_rollback (gpointer data)
{
  Engine *e = data;

  g_atomic_int_inc (&e->rollbacks);
}

static gboolean
create_tables (MzStore *store,
               MzStoreTxn *txn,
               gpointer data,
               GError **error)
{
  return mz_store_exec (store, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE, blob BLOB);"
                               "CREATE TABLE refusals (v TEXT)", error);
}

static Engine *
engine_new (const char *synchronous)
{
  Engine *e = g_new0 (Engine, 1);
  g_autoptr (GError) error = NULL;
  MzStoreOptions options = { NULL, synchronous, 0, 0 };
  MzStoreHooks hooks = { count_commit, count_rollback, e };

  e->dir = g_dir_make_tmp ("mz-engine-XXXXXX", &error);
  g_assert_no_error (error);
  e->path = g_build_filename (e->dir, "engine.db", NULL);
  options.path = e->path;
  e->store = mz_store_open (&options, &error);
  g_assert_no_error (error);
  mz_store_set_hooks (e->store, &hooks);
  g_assert_true (mz_store_write (e->store, create_tables, NULL, NULL, &error));
  g_assert_no_error (error);
  e->commits = 0;
  return e;
}

static void
engine_free (Engine *e)
{
  g_autofree char *wal = g_strconcat (e->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (e->path, "-shm", NULL);
  g_autofree char *backup = g_build_filename (e->dir, "backup.db", NULL);

  mz_store_close (e->store);
  g_unlink (e->path);
  g_unlink (wal);
  g_unlink (shm);
  g_unlink (backup);
  g_rmdir (e->dir);
  g_free (e->path);
  g_free (e->dir);
  g_free (e);
}

static gint64
count_rows (Engine     *e,
            const char *sql)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (MzStoreReader) reader = mz_store_open_reader (e->store, &error);
  sqlite3 *db = mz_store_reader_db (reader);
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

static gboolean
insert_work (MzStore *store,
             MzStoreTxn *txn,
             gpointer data,
             GError **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
  sqlite3_stmt *stmt = mz_store_prepare (store, "INSERT INTO t (v) VALUES (?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (db, rc, "insert", error);
  return TRUE;
}

static gboolean
record_refusal (MzStore      *store,
                MzStoreTxn   *txn,
                gpointer      data,
                const GError *refusal,
                GError      **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
  sqlite3_stmt *stmt = mz_store_prepare (store, "INSERT INTO refusals (v) VALUES (?)", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return rc == SQLITE_DONE || mz_store_set_error (db, rc, "refusal", error);
}

/* Holds the writer until every client thread has queued its write, so the
 * next batch deterministically holds them all. */
typedef struct
{
  Engine *e;
  gint queued;
  gint expected;
  gboolean ok;          /* the gate's own write */
} Gate;

static gboolean
gate_work (MzStore *store,
           MzStoreTxn *txn,
           gpointer data,
           GError **error)
{
  Gate *gate = data;

  while (g_atomic_int_get (&gate->queued) < gate->expected)
    g_usleep (1000);
  g_usleep (200000);
  return TRUE;
}

static gpointer
gate_thread (gpointer data)
{
  Gate *gate = data;
  g_autoptr (GError) error = NULL;

  gate->ok = mz_store_write (gate->e->store, gate_work, NULL, gate, &error);
  return NULL;
}

typedef struct
{
  Gate *gate;
  char *value;
  GError *error;
  gboolean ok;
} Client;

static gpointer
client_thread (gpointer data)
{
  Client *c = data;

  g_atomic_int_inc (&c->gate->queued);
  c->ok = mz_store_write (c->gate->e->store, insert_work, record_refusal, c->value, &c->error);
  return NULL;
}

/* Runs N_THREADS clients behind a gate; client @dup (or -1) inserts a
 * value that already exists. */
static void
run_clients (Engine *e,
             Client *clients,
             int     dup)
{
  Gate gate = { e, 0, N_THREADS, FALSE };
  GThread *threads[N_THREADS];
  GThread *gate_t = g_thread_new ("gate", gate_thread, &gate);

  g_usleep (10000);
  for (int i = 0; i < N_THREADS; i++)
    {
      clients[i].gate = &gate;
      clients[i].value = i == dup ? g_strdup ("existing") : g_strdup_printf ("v%d", i);
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  for (int i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  g_thread_join (gate_t);
  g_assert_true (gate.ok);
}

static void
test_group_commit (void)
{
  Engine *e = engine_new (NULL);
  Client clients[N_THREADS] = { 0 };

  run_clients (e, clients, -1);
  for (int i = 0; i < N_THREADS; i++)
    {
      g_assert_no_error (clients[i].error);
      g_assert_true (clients[i].ok);
      g_free (clients[i].value);
    }
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, N_THREADS);
  /* The clients queued while the gate's unit ran join its transaction
   * (or, if the scheduler held one back, come in a batch of their own):
   * far fewer commits than writes. */
  g_assert_cmpint (e->commits, <=, 4);
  g_assert_cmpstr (mz_store_get_synchronous (e->store), ==, "FULL");
  engine_free (e);
}

static void
test_refusal_isolated (void)
{
  Engine *e = engine_new (NULL);
  Client clients[N_THREADS] = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (mz_store_write (e->store, insert_work, NULL, "existing", &error));
  g_assert_no_error (error);
  e->commits = 0;
  run_clients (e, clients, 7);
  for (int i = 0; i < N_THREADS; i++)
    {
      if (i == 7)
        {
          g_assert_false (clients[i].ok);
          g_assert_error (clients[i].error, MZ_STORE_ERROR, MZ_STORE_ERROR_SQL);
        }
      else
        {
          g_assert_no_error (clients[i].error);
          g_assert_true (clients[i].ok);
        }
      g_clear_error (&clients[i].error);
      g_free (clients[i].value);
    }
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, N_THREADS);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM refusals WHERE v = 'existing'"), ==, 1);
  g_assert_cmpint (e->commits, <=, 4);
  g_assert_cmpint (e->rollbacks, ==, 0);
  engine_free (e);
}

static gboolean
fatal_work (MzStore *store,
            MzStoreTxn *txn,
            gpointer data,
            GError **error)
{
  g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO, "simulated I/O failure [store.io]");
  return FALSE;
}

static void
test_fatal_fails_batch (void)
{
  Engine *e = engine_new (NULL);
  Client clients[N_THREADS] = { 0 };
  Gate gate = { e, 0, N_THREADS, FALSE };
  GThread *threads[N_THREADS];
  GThread *gate_t = g_thread_new ("gate", gate_thread, &gate);
  g_autoptr (GError) error = NULL;

  g_usleep (10000);
  for (int i = 0; i < N_THREADS - 1; i++)
    {
      clients[i].gate = &gate;
      clients[i].value = g_strdup_printf ("v%d", i);
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  g_atomic_int_inc (&gate.queued);
  g_assert_false (mz_store_write (e->store, fatal_work, NULL, NULL, &error));
  g_assert_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO);
  for (int i = 0; i < N_THREADS - 1; i++)
    g_thread_join (threads[i]);
  g_thread_join (gate_t);

  /* Whoever shared the failing batch failed with it; nothing it did stayed. */
  for (int i = 0; i < N_THREADS - 1; i++)
    {
      if (!clients[i].ok)
        g_assert_error (clients[i].error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO);
      g_clear_error (&clients[i].error);
      g_free (clients[i].value);
    }
  g_assert_cmpint (e->rollbacks, >=, 1);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), <, N_THREADS - 1);
  g_clear_error (&error);
  g_assert_true (mz_store_write (e->store, insert_work, NULL, "after", &error));
  g_assert_no_error (error);
  engine_free (e);
}

/* Units queued with MZ_STORE_WRITE_RERUNNABLE share the transaction
 * without savepoints of their own; one that refuses after writing sends
 * its batch back to the start, every unit then in its own savepoint. */
typedef enum
{
  RERUN_WRITE,          /* inserts its value */
  RERUN_REFUSE,         /* inserts its value, then refuses */
  RERUN_REFUSE_CLEAN,   /* refuses before writing anything */
  RERUN_FATAL,          /* inserts its value, then fails the batch */
} RerunKind;

typedef struct
{
  Gate *gate;
  char *value;
  RerunKind kind;
  gboolean rerunnable;
  gint runs;            /* writer thread only */
  gint first_order;     /* when it first ran, among all units */
  guint64 first_txn;    /* the transaction it first ran in */
  gboolean ok;
  GError *error;
} Rerun;

static gint rerun_order;

static gboolean
rerun_work (MzStore *store,
            MzStoreTxn *txn,
            gpointer data,
            GError **error)
{
  Rerun *r = data;

  if (r->runs++ == 0)
    {
      r->first_order = rerun_order++;
      r->first_txn = mz_store_txn_generation (txn);
    }
  if (r->kind == RERUN_REFUSE_CLEAN)
    {
      g_set_error (error, TEST_ERROR, 1, "refused before writing [test.refused]");
      return FALSE;
    }
  if (!insert_work (store, txn, r->value, error))
    return FALSE;
  if (r->kind == RERUN_REFUSE)
    {
      g_set_error (error, TEST_ERROR, 1, "refused after writing [test.refused]");
      return FALSE;
    }
  if (r->kind == RERUN_FATAL)
    return fatal_work (store, txn, data, error);
  return TRUE;
}

static gboolean
rerun_refused (MzStore      *store,
               MzStoreTxn   *txn,
               gpointer      data,
               const GError *refusal,
               GError      **error)
{
  Rerun *r = data;

  return record_refusal (store, txn, r->value, refusal, error);
}

static gboolean
rerun_gate_work (MzStore *store,
                 MzStoreTxn *txn,
                 gpointer data,
                 GError **error)
{
  return gate_work (store, txn, data, error);
}

static gpointer
rerun_gate_thread (gpointer data)
{
  Gate *gate = data;
  g_autoptr (GError) error = NULL;

  gate->ok = mz_store_write_full (gate->e->store, MZ_STORE_WRITE_RERUNNABLE, rerun_gate_work, NULL, gate,
                                  &error);
  return NULL;
}

static gpointer
rerun_thread (gpointer data)
{
  Rerun *r = data;

  g_atomic_int_inc (&r->gate->queued);
  r->ok = mz_store_write_full (r->gate->e->store, r->rerunnable ? MZ_STORE_WRITE_RERUNNABLE : MZ_STORE_WRITE_NONE,
                               rerun_work, rerun_refused, r, &r->error);
  return NULL;
}

/* Queues every unit of @units behind a rerunnable gate, so that they
 * share its batch, and waits for them; whether the gate's own unit
 * committed. */
static gboolean
run_reruns (Engine *e,
            Rerun  *units)
{
  Gate gate = { e, 0, N_THREADS, FALSE };
  GThread *threads[N_THREADS];
  GThread *gate_t = g_thread_new ("gate", rerun_gate_thread, &gate);

  rerun_order = 0;
  g_usleep (10000);
  for (int i = 0; i < N_THREADS; i++)
    {
      units[i].gate = &gate;
      units[i].value = g_strdup_printf ("v%d", i);
      threads[i] = g_thread_new ("client", rerun_thread, &units[i]);
    }
  for (int i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  g_thread_join (gate_t);
  return gate.ok;
}

/* Whether @r ran in the same transaction as @refused, before it. */
static gboolean
ran_before (const Rerun *r,
            const Rerun *refused)
{
  return r->first_txn == refused->first_txn && r->first_order < refused->first_order;
}

static void
test_rerun_after_refusal (void)
{
  Engine *e = engine_new (NULL);
  Rerun units[N_THREADS] = { 0 };

  for (int i = 0; i < N_THREADS; i++)
    {
      units[i].rerunnable = TRUE;
      units[i].kind = i == 7 ? RERUN_REFUSE : RERUN_WRITE;
    }
  g_assert_true (run_reruns (e, units));

  /* The refusing unit's own write is gone, its refusal is recorded once,
   * and everyone else's write stayed. */
  for (int i = 0; i < N_THREADS; i++)
    {
      if (i == 7)
        {
          g_assert_false (units[i].ok);
          g_assert_error (units[i].error, TEST_ERROR, 1);
          g_assert_cmpint (units[i].runs, ==, 2);
        }
      else
        {
          g_assert_no_error (units[i].error);
          g_assert_true (units[i].ok);
          /* Only those that ran before it in its transaction ran again. */
          g_assert_cmpint (units[i].runs, ==, ran_before (&units[i], &units[7]) ? 2 : 1);
        }
      g_clear_error (&units[i].error);
      g_free (units[i].value);
    }
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, N_THREADS - 1);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t WHERE v = 'v7'"), ==, 0);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM refusals"), ==, 1);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM refusals WHERE v = 'v7'"), ==, 1);
  g_assert_cmpuint (mz_store_get_restarts (e->store), ==, 1);
  /* The rollback was told to the hooks, so state kept beside the
   * database (the audit log's tail) reloads. */
  g_assert_cmpint (e->rollbacks, ==, 1);
  engine_free (e);
}

/* Runs @units in one batch in the order given: a first unit holds the
 * writer until each of them was queued after the one before. */
typedef struct
{
  gint running;
  gint release;
} Hold;

static gboolean
hold_work (MzStore *store,
           MzStoreTxn *txn,
           gpointer data,
           GError **error)
{
  Hold *hold = data;

  g_atomic_int_set (&hold->running, 1);
  while (!g_atomic_int_get (&hold->release))
    g_usleep (1000);
  return TRUE;
}

typedef struct
{
  MzStore *store;
  MzStoreWriteFlags flags;
  MzStoreWorkFunc work;
  MzStoreRefusedFunc refused;
  gpointer data;
  gboolean ok;
  GError *error;
} Queued;

static gpointer
queued_thread (gpointer data)
{
  Queued *q = data;

  q->ok = mz_store_write_full (q->store, q->flags, q->work, q->refused, q->data, &q->error);
  return NULL;
}

static void
run_in_order (Engine *e,
              Queued *units,
              guint   n)
{
  Hold hold = { 0, 0 };
  Queued held = { e->store, MZ_STORE_WRITE_RERUNNABLE, hold_work, NULL, &hold, FALSE, NULL };
  GThread *holder = g_thread_new ("hold", queued_thread, &held);
  g_autofree GThread **threads = g_new0 (GThread *, n);

  while (!g_atomic_int_get (&hold.running))
    g_usleep (1000);
  for (guint i = 0; i < n; i++)
    {
      units[i].store = e->store;
      threads[i] = g_thread_new ("unit", queued_thread, &units[i]);
      while (mz_store_get_queued (e->store) < i + 1)
        g_usleep (1000);
    }
  /* One batch for all, with every caller waiting: the limit the writer
   * takes them by (a fresh store has no fsync time yet to split by). */
  g_assert_cmpuint (mz_store_get_batch_limit (e->store), >=, n + 1);
  g_atomic_int_set (&hold.release, 1);
  for (guint i = 0; i < n; i++)
    g_thread_join (threads[i]);
  g_thread_join (holder);
  g_clear_error (&held.error);
}

static void
set_rerun (Queued   *q,
           Rerun    *r,
           RerunKind kind,
           gboolean  rerunnable,
           const char *value)
{
  r->kind = kind;
  r->rerunnable = rerunnable;
  r->value = g_strdup (value);
  q->flags = rerunnable ? MZ_STORE_WRITE_RERUNNABLE : MZ_STORE_WRITE_NONE;
  q->work = rerun_work;
  q->refused = rerun_refused;
  q->data = r;
}

/* A unit that may not run again never does, whatever its place: after it,
 * the batch has savepoints and a later refusal undoes only itself; before
 * it, a refusal after writing starts the batch over with savepoints. */
static void
test_rerun_spares_others (void)
{
  for (guint order = 0; order < 2; order++)
    {
      Engine *e = engine_new (NULL);
      Queued q[3] = { { 0 } };
      Rerun r[3] = { { 0 } };
      guint refusing = order == 0 ? 1 : 0;   /* the non-rerunnable unit is the other of the first two */
      guint once = 1 - refusing;

      rerun_order = 0;
      set_rerun (&q[refusing], &r[refusing], RERUN_REFUSE, TRUE, "refused");
      set_rerun (&q[once], &r[once], RERUN_WRITE, FALSE, "once");
      set_rerun (&q[2], &r[2], RERUN_WRITE, TRUE, "last");
      run_in_order (e, q, 3);

      g_assert_cmpint (r[once].runs, ==, 1);
      g_assert_true (q[once].ok);
      g_assert_true (q[2].ok);
      g_assert_false (q[refusing].ok);
      g_assert_error (q[refusing].error, TEST_ERROR, 1);
      /* Refused first: the batch started over (the hold ran again too). */
      g_assert_cmpuint (mz_store_get_restarts (e->store), ==, refusing == 0 ? 1 : 0);
      g_assert_cmpint (r[refusing].runs, ==, refusing == 0 ? 2 : 1);
      g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t WHERE v = 'refused'"), ==, 0);
      g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t WHERE v IN ('once', 'last')"), ==, 2);
      g_assert_cmpint (count_rows (e, "SELECT count(*) FROM refusals WHERE v = 'refused'"), ==, 1);
      for (guint i = 0; i < 3; i++)
        {
          g_clear_error (&q[i].error);
          g_free (r[i].value);
        }
      engine_free (e);
    }
}

/* A unit without a savepoint that refuses before writing anything is
 * refused as it is: no restart, nobody runs twice. */
static void
test_rerun_clean_refusal (void)
{
  Engine *e = engine_new (NULL);
  Queued q[3] = { { 0 } };
  Rerun r[3] = { { 0 } };

  set_rerun (&q[0], &r[0], RERUN_WRITE, TRUE, "before");
  set_rerun (&q[1], &r[1], RERUN_REFUSE_CLEAN, TRUE, "refused");
  set_rerun (&q[2], &r[2], RERUN_WRITE, TRUE, "after");
  run_in_order (e, q, 3);
  g_assert_true (q[0].ok);
  g_assert_false (q[1].ok);
  g_assert_error (q[1].error, TEST_ERROR, 1);
  g_assert_true (q[2].ok);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (r[i].runs, ==, 1);
      g_clear_error (&q[i].error);
      g_free (r[i].value);
    }
  g_assert_cmpuint (mz_store_get_restarts (e->store), ==, 0);
  g_assert_cmpint (e->rollbacks, ==, 0);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t WHERE v IN ('before', 'after')"), ==, 2);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM refusals WHERE v = 'refused'"), ==, 1);
  engine_free (e);
}

/* A unit without a savepoint that fails the batch fails it as any other:
 * no restart, nothing kept, every caller told. */
/* SQLite abandons the transaction (simulated here by a ROLLBACK of the
 * unit's own) and the unit, having swallowed that, begins another with a
 * SAVEPOINT and writes on: not being in autocommit proves nothing then.
 * The store knows from its rollback hook: the batch fails as storage, and
 * neither the row before nor the row after the drop is kept. */
static gboolean
drop_and_write_on (MzStore *store,
                   MzStoreTxn *txn,
                   gpointer data,
                   GError **error)
{
  sqlite3 *db = mz_store_txn_db (txn);

  g_assert_true (insert_work (store, txn, "before-drop", error));
  g_assert_cmpint (sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SAVEPOINT x", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_true (insert_work (store, txn, "after-drop", error));
  return TRUE;
}

static void
test_dropped_transaction (void)
{
  Engine *e = engine_new (NULL);
  Queued q[2] = { { e->store, MZ_STORE_WRITE_RERUNNABLE, drop_and_write_on, NULL, NULL, FALSE, NULL },
                  { e->store, MZ_STORE_WRITE_RERUNNABLE, insert_work, NULL, "behind", FALSE, NULL } };
  g_autoptr (GError) error = NULL;

  run_in_order (e, q, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_false (q[i].ok);
      g_assert_error (q[i].error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO);
      g_clear_error (&q[i].error);
    }
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t WHERE v IN ('before-drop', 'after-drop', 'behind')"),
                   ==, 0);
  g_assert_true (mz_store_write (e->store, insert_work, NULL, "after", &error));
  g_assert_no_error (error);
  engine_free (e);
}

static void
test_rerun_fatal (void)
{
  Engine *e = engine_new (NULL);
  Rerun units[N_THREADS] = { 0 };
  g_autoptr (GError) error = NULL;

  for (int i = 0; i < N_THREADS; i++)
    {
      units[i].rerunnable = TRUE;
      units[i].kind = i == 5 ? RERUN_FATAL : RERUN_WRITE;
    }
  g_assert_false (run_reruns (e, units));
  for (int i = 0; i < N_THREADS; i++)
    {
      /* Units of a later batch, if the scheduler held one back, commit. */
      if (!units[i].ok)
        g_assert_error (units[i].error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO);
      else
        g_assert_cmpuint (units[i].first_txn, !=, units[5].first_txn);
      /* Those queued after it in its batch never ran. */
      g_assert_cmpint (units[i].runs, <=, 1);
      g_clear_error (&units[i].error);
      g_free (units[i].value);
    }
  g_assert_false (units[5].ok);
  g_assert_cmpuint (mz_store_get_restarts (e->store), ==, 0);
  g_assert_cmpint (e->rollbacks, ==, 1);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t WHERE v = 'v5'"), ==, 0);
  g_assert_true (mz_store_write (e->store, insert_work, NULL, "after", &error));
  g_assert_no_error (error);
  engine_free (e);
}

/* The batch limit: half the callers when an fsync is short beside the
 * writer's time for all of them, so that one half runs while the other
 * waits for its fsync; every caller in one batch when the fsync is long.
 * The units are rerunnable, as actions are: the writer's time per unit is
 * taken from batches of those only. */
static gboolean
slow_insert (MzStore *store,
             MzStoreTxn *txn,
             gpointer data,
             GError **error)
{
  g_usleep (1000);
  return insert_work (store, txn, data, error);
}

typedef struct
{
  Engine *e;
  gint id;
  gint done;
} Looper;

static gpointer
looper_thread (gpointer data)
{
  Looper *l = data;
  g_autoptr (GError) error = NULL;

  for (gint n = 0; n < 30; n++)
    {
      g_autofree char *value = g_strdup_printf ("loop-%d-%d", l->id, n);

      g_assert_true (mz_store_write_full (l->e->store, MZ_STORE_WRITE_RERUNNABLE, slow_insert, NULL, value, &error));
    }
  g_atomic_int_set (&l->done, 1);
  return NULL;
}

/* Stand-ins for the sync thread's fdatasync with a fixed duration (what
 * the disk does does not matter here; nothing is power-cut). */
static int
sync_100us (int fd)
{
  g_usleep (100);
  return 0;
}

static int
sync_50ms (int fd)
{
  g_usleep (50000);
  return 0;
}

/* Runs 8 callers of 30 units of 1 ms each; the smallest batch limit seen
 * while they ran. */
static guint
smallest_limit (int (*sync) (int fd))
{
  Engine *e = engine_new (NULL);
  Looper loopers[8];
  GThread *threads[8];
  guint smallest = G_MAXUINT;
  gint left = 8;

  mz_store_set_sync_func (sync);
  for (gint i = 0; i < 8; i++)
    {
      loopers[i] = (Looper) { e, i, 0 };
      threads[i] = g_thread_new ("looper", looper_thread, &loopers[i]);
    }
  while (left > 0)
    {
      smallest = MIN (smallest, mz_store_get_batch_limit (e->store));
      g_usleep (2000);
      left = 0;
      for (gint i = 0; i < 8; i++)
        left += !g_atomic_int_get (&loopers[i].done);
    }
  for (gint i = 0; i < 8; i++)
    g_thread_join (threads[i]);
  mz_store_set_sync_func (NULL);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, 8 * 30);
  engine_free (e);
  return smallest;
}

static void
test_batch_split (void)
{
  /* 8 callers × 1 ms > 0.1 ms: halves. */
  g_assert_cmpuint (smallest_limit (sync_100us), <=, 4);
  /* 8 callers × 1 ms (a few under load) < 50 ms: one batch for all. */
  g_assert_cmpuint (smallest_limit (sync_50ms), ==, 256);
}

static gboolean
insert_blob (MzStore *store,
             MzStoreTxn *txn,
             gpointer data,
             GError **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
  sqlite3_stmt *stmt = mz_store_prepare (store, "INSERT INTO t (blob) VALUES (zeroblob(?))", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, GPOINTER_TO_INT (data));
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (db, rc, "insert blob", error);
  return TRUE;
}

/* RLIMIT_FSIZE stands in for a full disk (no root needed for a tmpfs):
 * with SIGXFSZ ignored, writes past the limit fail with EFBIG. */
static void
test_full_disk_subprocess (void)
{
  Engine *e = engine_new (NULL);
  g_autoptr (GError) error = NULL;
  struct rlimit saved, limit;
  gint64 before;

  signal (SIGXFSZ, SIG_IGN);
  g_assert_true (mz_store_write (e->store, insert_blob, NULL, GINT_TO_POINTER (4096), &error));
  before = count_rows (e, "SELECT count(*) FROM t");
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  limit = saved;
  limit.rlim_cur = 256 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  g_assert_false (mz_store_write (e->store, insert_blob, NULL, GINT_TO_POINTER (1024 * 1024), &error));
  g_assert_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "[store.full]"));
  g_clear_error (&error);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, before);
  g_assert_cmpint (e->rollbacks, >=, 1);

  /* Space comes back: the same store, without reopening, works again. */
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_assert_true (mz_store_write (e->store, insert_blob, NULL, GINT_TO_POINTER (1024 * 1024), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, before + 1);
  g_assert_true (mz_store_check_integrity (e->store, &error));
  engine_free (e);
}

static void
test_full_disk (void)
{
  g_test_trap_subprocess ("/store/engine/full-disk/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_backup (void)
{
  Engine *e = engine_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *dest = g_build_filename (e->dir, "backup.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  for (int i = 0; i < 10; i++)
    {
      g_autofree char *v = g_strdup_printf ("b%d", i);
      g_assert_true (mz_store_write (e->store, insert_work, NULL, v, &error));
    }
  g_assert_true (mz_store_backup (e->store, dest, &error));
  g_assert_no_error (error);
  g_assert_false (mz_store_backup (e->store, dest, &error));
  g_assert_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_EXISTS);

  g_assert_cmpint (sqlite3_open_v2 (dest, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 10);
  sqlite3_finalize (stmt);
  /* One self-contained file, not a WAL database. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "delete");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  engine_free (e);
}

static gboolean
checkpoint_restart (MzStore    *store,
                    MzStoreTxn *txn,
                    gpointer    data,
                    GError    **error)
{
  int log = -1, done = -1;

  g_assert_cmpint (sqlite3_wal_checkpoint_v2 (mz_store_txn_db (txn), NULL, SQLITE_CHECKPOINT_RESTART,
                                              &log, &done), ==, SQLITE_OK);
  g_assert_cmpint (log, ==, done);
  return TRUE;
}

/* Transactions larger than what the writer's VFS gathers (2 MiB), one
 * that rewrites the log from its start after a checkpoint, and a batch of
 * small ones all reach the file: a reader sees them at once, and a store
 * opened again on the file finds them intact. */
static void
test_wal_gathered (void)
{
  Engine *e = engine_new (NULL);
  g_autoptr (GError) error = NULL;
  Client clients[N_THREADS] = { 0 };
  MzStoreOptions options = { e->path, NULL, 0, 0 };

  for (int i = 0; i < 3; i++)
    g_assert_true (mz_store_write (e->store, insert_blob, NULL, GINT_TO_POINTER (3 * 1024 * 1024), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (e, "SELECT sum(length(blob)) FROM t"), ==, 9 * 1024 * 1024);
  g_assert_true (mz_store_run_exclusive (e->store, checkpoint_restart, NULL, &error));
  g_assert_no_error (error);
  run_clients (e, clients, -1);
  for (int i = 0; i < N_THREADS; i++)
    {
      g_assert_true (clients[i].ok);
      g_free (clients[i].value);
    }
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, 3 + N_THREADS);

  mz_store_close (e->store);
  e->store = mz_store_open (&options, &error);
  g_assert_no_error (error);
  g_assert_true (mz_store_check_integrity (e->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, 3 + N_THREADS);
  g_assert_cmpint (count_rows (e, "SELECT sum(length(blob)) FROM t"), ==, 9 * 1024 * 1024);
  engine_free (e);
}

typedef struct
{
  Engine *e;
  guint worker;
  gint blob;
} Writer;

static gpointer
writer_loop (gpointer data)
{
  Writer *w = data;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *v = g_strdup_printf ("w%u-%u", w->worker, i);

      g_assert_true (mz_store_write (w->e->store, w->blob > 0 ? insert_blob : insert_work, NULL,
                                     w->blob > 0 ? GINT_TO_POINTER (w->blob) : (gpointer) v, &error));
      g_assert_no_error (error);
    }
  return NULL;
}

static void
run_writers (Engine *e,
             gint    blob)
{
  Writer writers[8];
  GThread *threads[8];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      writers[i] = (Writer) { e, i, blob };
      threads[i] = g_thread_new ("writer", writer_loop, &writers[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
}

/* A batch committed while others wait leaves its fsync to the sync thread
 * (store.c, run_batch); with writers keeping the queue busy every caller
 * is answered, and a store opened again on the file finds every write. */
static void
test_overlapped_sync (void)
{
  Engine *e = engine_new (NULL);
  g_autoptr (GError) error = NULL;
  MzStoreOptions options = { e->path, NULL, 0, 0 };

  Client clients[N_THREADS] = { 0 };

  /* The gate's batch commits while the clients it held are queued: its
   * fsync is deferred whatever the scheduler does next. */
  run_clients (e, clients, -1);
  for (int i = 0; i < N_THREADS; i++)
    {
      g_assert_true (clients[i].ok);
      g_free (clients[i].value);
    }
  g_assert_cmpuint (mz_store_get_overlapped (e->store), >=, 1);
  run_writers (e, 0);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, 800 + N_THREADS);
  mz_store_close (e->store);
  e->store = mz_store_open (&options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, 800 + N_THREADS);
  g_assert_true (mz_store_check_integrity (e->store, &error));
  engine_free (e);
}

/* SQLite's automatic checkpoint is replaced by the writer's own where
 * fsyncs may be deferred: the log still stops growing.  800 rows of 16 KiB
 * are over 3000 pages of log; checkpointed past 1000 and restarted, it
 * stays well under half that. */
static void
test_overlapped_checkpoints (void)
{
  Engine *e = engine_new (NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *wal = g_strconcat (e->path, "-wal", NULL);
  GStatBuf st;

  run_writers (e, 16 * 1024);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, 800);
  g_assert_cmpint (g_stat (wal, &st), ==, 0);
  g_assert_cmpint (st.st_size, <, 1500 * (4096 + 24));
  g_assert_true (mz_store_check_integrity (e->store, &error));
  engine_free (e);
}

typedef struct
{
  guint64 before, after_restart, after_next;
} HeaderSyncs;

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

/* Two commits with their syncs deferred, the first of them starting the
 * log over after a checkpoint: its header's sync must still reach the
 * disk, the commits' own must not. */
static gboolean
deferred_commits (MzStore    *store,
                  MzStoreTxn *txn,
                  gpointer    data,
                  GError    **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
  HeaderSyncs *counts = data;
  sqlite3_file *wal = NULL;

  g_assert_cmpint (sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_RESTART, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_file_control (db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal), ==, SQLITE_OK);
  g_assert_true (mz_store_vfs_defer_sync (wal, TRUE));
  counts->before = mz_store_vfs_real_syncs (wal);
  exec_ok (db, "BEGIN IMMEDIATE; INSERT INTO t (v) VALUES ('restart'); COMMIT");
  counts->after_restart = mz_store_vfs_real_syncs (wal);
  exec_ok (db, "BEGIN IMMEDIATE; INSERT INTO t (v) VALUES ('next'); COMMIT");
  counts->after_next = mz_store_vfs_real_syncs (wal);
  g_assert_true (mz_store_vfs_defer_sync (wal, FALSE));
  exec_ok (db, "BEGIN IMMEDIATE; INSERT INTO t (v) VALUES ('durable'); COMMIT");
  return TRUE;
}

static void
test_restart_header_synced (void)
{
  Engine *e = engine_new (NULL);
  g_autoptr (GError) error = NULL;
  HeaderSyncs counts = { 0 };

  g_assert_true (mz_store_write (e->store, insert_work, NULL, "before", &error));
  g_assert_true (mz_store_run_exclusive (e->store, deferred_commits, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.after_restart, ==, counts.before + 1);
  g_assert_cmpuint (counts.after_next, ==, counts.after_restart);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, 4);
  engine_free (e);
}

static gboolean
noop_work (MzStore    *store,
           MzStoreTxn *txn,
           gpointer    data,
           GError    **error)
{
  return TRUE;
}

static int
failing_sync (int fd)
{
  errno = EIO;
  return -1;
}

static void
assert_sync_failed (const GError *error)
{
  g_assert_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "[store.sync_failed]"));
}

/* The sync thread's fdatasync fails: the batch it covered is failed, and
 * so is everything after (a later fsync that succeeds would not prove
 * the lost pages reached the disk), setup work included. */
static void
test_sync_thread_failure (void)
{
  Engine *e = engine_new (NULL);
  Client clients[N_THREADS] = { 0 };
  Gate gate = { e, 0, N_THREADS, FALSE };
  GThread *threads[N_THREADS];
  GThread *gate_t;
  g_autoptr (GError) error = NULL;

  g_assert_true (mz_store_write (e->store, insert_work, NULL, "before", &error));
  mz_store_set_sync_func (failing_sync);
  gate_t = g_thread_new ("gate", gate_thread, &gate);
  g_usleep (10000);
  for (int i = 0; i < N_THREADS; i++)
    {
      clients[i].gate = &gate;
      clients[i].value = g_strdup_printf ("v%d", i);
      threads[i] = g_thread_new ("client", client_thread, &clients[i]);
    }
  for (int i = 0; i < N_THREADS; i++)
    g_thread_join (threads[i]);
  g_thread_join (gate_t);
  mz_store_set_sync_func (NULL);

  g_assert_false (gate.ok);
  for (int i = 0; i < N_THREADS; i++)
    {
      g_assert_false (clients[i].ok);
      assert_sync_failed (clients[i].error);
      g_clear_error (&clients[i].error);
      g_free (clients[i].value);
    }
  g_assert_false (mz_store_write (e->store, insert_work, NULL, "after", &error));
  assert_sync_failed (error);
  g_clear_error (&error);
  g_assert_false (mz_store_run_exclusive (e->store, noop_work, NULL, &error));
  assert_sync_failed (error);
  engine_free (e);
}

/* An inline COMMIT whose fsync fails stops the store the same way. */
static void
test_inline_sync_failure (void)
{
  Engine *e = engine_new (NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (mz_store_write (e->store, insert_work, NULL, "before", &error));
  mz_store_vfs_inject_sync_failure (SQLITE_IOERR_FSYNC);
  g_assert_false (mz_store_write (e->store, insert_work, NULL, "lost?", &error));
  assert_sync_failed (error);
  g_clear_error (&error);
  g_assert_false (mz_store_write (e->store, insert_work, NULL, "after", &error));
  assert_sync_failed (error);
  engine_free (e);
}

/* A unit that writes, then in a savepoint of its own spills pages into
 * the gathered log and reads them back (which writes them out) while the
 * disk is full, swallows the error, and lets the disk have room again
 * before it returns.  The failed write-out took frames with it: the batch
 * must fail and leave nothing.  Here SQLite itself abandons the
 * transaction on the read's SQLITE_FULL; the store's own check of the
 * VFS's failure at COMMIT (run_batch) is the second line, for errors after
 * which SQLite carries on, and this test does not tell the two apart. */
static gboolean
spill_and_swallow (MzStore    *store,
                   MzStoreTxn *txn,
                   gpointer    data,
                   GError    **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
  struct rlimit *saved = data;
  struct rlimit limit = *saved;
  int rc;

  exec_ok (db, "PRAGMA cache_size=10");
  exec_ok (db, "INSERT INTO t (v, blob) VALUES ('first', randomblob(262144))");
  limit.rlim_cur = 256 * 1024;
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  exec_ok (db, "SAVEPOINT inner");
  rc = sqlite3_exec (db, "INSERT INTO t (blob) VALUES (randomblob(1048576))", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "SELECT hex(substr(blob, 1, 1)) || hex(substr(blob, -1, 1)) FROM t", NULL, NULL, NULL);
  g_assert_cmpint (rc, !=, SQLITE_OK);
  sqlite3_exec (db, "ROLLBACK TO inner", NULL, NULL, NULL);
  sqlite3_exec (db, "RELEASE inner", NULL, NULL, NULL);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, saved), ==, 0);
  return TRUE;
}

/* The same, and then the unit goes on writing as if nothing happened:
 * outside any transaction now, that row would commit on its own. */
static gboolean
spill_swallow_and_write (MzStore    *store,
                         MzStoreTxn *txn,
                         gpointer    data,
                         GError    **error)
{
  g_autoptr (GError) ignored = NULL;

  spill_and_swallow (store, txn, data, error);
  insert_work (store, txn, "leaked", &ignored);
  return TRUE;
}

static void
test_failed_write_out_subprocess (void)
{
  Engine *e = engine_new (NULL);
  g_autoptr (GError) error = NULL;
  struct rlimit saved;
  gint64 before;

  signal (SIGXFSZ, SIG_IGN);
  g_assert_true (mz_store_write (e->store, insert_work, NULL, "kept", &error));
  before = count_rows (e, "SELECT count(*) FROM t");
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved), ==, 0);
  g_assert_false (mz_store_write (e->store, spill_and_swallow, NULL, &saved, &error));
  g_assert_true (g_error_matches (error, MZ_STORE_ERROR, MZ_STORE_ERROR_FULL)
                 || g_error_matches (error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO));
  g_clear_error (&error);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, before);

  /* The same swallowed failure in a unit without a savepoint of its own,
   * with another unit behind it in the batch: SQLite dropped the
   * transaction, so the batch fails there and the unit behind never runs
   * outside a transaction (its row would have committed on its own). */
  {
    Queued q[2] = { { e->store, MZ_STORE_WRITE_RERUNNABLE, spill_and_swallow, NULL, &saved, FALSE, NULL },
                    { e->store, MZ_STORE_WRITE_RERUNNABLE, insert_work, NULL, "victim", FALSE, NULL } };

    run_in_order (e, q, 2);
    for (guint i = 0; i < 2; i++)
      {
        g_assert_false (q[i].ok);
        g_assert_true (g_error_matches (q[i].error, MZ_STORE_ERROR, MZ_STORE_ERROR_FULL)
                       || g_error_matches (q[i].error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO));
        g_clear_error (&q[i].error);
      }
    g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t WHERE v = 'victim'"), ==, 0);
    g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, before);
  }

  /* A unit that writes on after the transaction was dropped: its own
   * statement is refused its commit (commit_hook), so nothing of it
   * stays, and the batch fails. */
  g_assert_false (mz_store_write (e->store, spill_swallow_and_write, NULL, &saved, &error));
  g_assert_true (g_error_matches (error, MZ_STORE_ERROR, MZ_STORE_ERROR_FULL)
                 || g_error_matches (error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO));
  g_clear_error (&error);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t WHERE v = 'leaked'"), ==, 0);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, before);

  g_assert_true (mz_store_write (e->store, insert_work, NULL, "after", &error));
  g_assert_no_error (error);
  g_assert_true (mz_store_check_integrity (e->store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t"), ==, before + 1);
  engine_free (e);
}

static void
test_failed_write_out (void)
{
  g_test_trap_subprocess ("/store/engine/failed-write-out/subprocess", 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* The database holds every personal record: made readable by its owner
 * only, whatever the umask, and SQLite's log and shared memory with it. */
static void
test_private_files (void)
{
  mode_t saved = umask (022);
  Engine *e = engine_new (NULL);
  g_autofree char *wal = g_strconcat (e->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (e->path, "-shm", NULL);
  const char *paths[] = { e->path, wal, shm };

  umask (saved);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      GStatBuf st;

      g_assert_cmpint (g_stat (paths[i], &st), ==, 0);
      g_assert_cmpint (st.st_mode & 0777, ==, 0600);
    }
  engine_free (e);
}

/* Readers see committed data and cannot write. */
static void
test_readers_read_only (void)
{
  Engine *e = engine_new (NULL);
  g_autoptr (GError) error = NULL;
  MzStoreReader *pooled;
  MzStoreReader *own;

  g_assert_true (mz_store_write (e->store, insert_work, NULL, "r1", &error));
  pooled = mz_store_reader_acquire (e->store, &error);
  g_assert_no_error (error);
  own = mz_store_open_reader (e->store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (mz_store_reader_db (pooled), "INSERT INTO t (v) VALUES ('no')", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (mz_store_reader_db (own), "DELETE FROM t", NULL, NULL, NULL), !=, SQLITE_OK);
  mz_store_reader_release (e->store, pooled);
  /* The pool hands the same connection out again. */
  g_assert_true (mz_store_reader_acquire (e->store, &error) == pooled);
  mz_store_reader_release (e->store, pooled);
  mz_store_reader_close (own);
  g_assert_cmpint (count_rows (e, "SELECT count(*) FROM t WHERE v = 'r1'"), ==, 1);
  engine_free (e);
}

/* What the writer connection runs with, read on the writer thread:
 * synchronous and foreign_keys are per connection. */
typedef struct
{
  gint64 synchronous;
  gint64 foreign_keys;
  gint64 temp_store;
  char *journal_mode;
  char *vfs;
} Pragmas;

static gboolean
read_pragmas (MzStore *store,
              MzStoreTxn *txn,
              gpointer data,
              GError **error)
{
  sqlite3 *db = mz_store_txn_db (txn);
  Pragmas *p = data;
  sqlite3_stmt *stmt = NULL;
  sqlite3_vfs *vfs = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT synchronous, foreign_keys, journal_mode, temp_store"
                                           " FROM pragma_synchronous, pragma_foreign_keys,"
                                           " pragma_journal_mode, pragma_temp_store", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  p->synchronous = sqlite3_column_int64 (stmt, 0);
  p->foreign_keys = sqlite3_column_int64 (stmt, 1);
  p->journal_mode = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
  p->temp_store = sqlite3_column_int64 (stmt, 3);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_file_control (db, "main", SQLITE_FCNTL_VFS_POINTER, &vfs), ==, SQLITE_OK);
  p->vfs = g_strdup (vfs->zName);
  return TRUE;
}

/* FULL (2) unless configured, NORMAL (1) when asked for; WAL, which is
 * persistent, also as a separate reader sees the file; foreign keys on. */
static void
test_pragmas (void)
{
  /* The VFS that gathers WAL writes until the sync only where every
   * commit syncs the log (store-vfs.c). */
  const struct { const char *configured; gint64 synchronous; const char *name; gboolean gathered; } cases[] = {
    { NULL, 2, "FULL", TRUE },
    { "extra", 3, "EXTRA", TRUE },
    { "normal", 1, "NORMAL", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Engine *e = engine_new (cases[i].configured);
      g_autoptr (GError) error = NULL;
      Pragmas p = { 0 };
      MzStoreReader *reader;
      sqlite3_stmt *stmt = NULL;

      g_assert_true (mz_store_run_exclusive (e->store, read_pragmas, &p, &error));
      g_assert_no_error (error);
      g_assert_cmpint (p.synchronous, ==, cases[i].synchronous);
      g_assert_cmpint (p.foreign_keys, ==, 1);
      g_assert_cmpstr (p.journal_mode, ==, "wal");
      g_assert_cmpstr (mz_store_get_synchronous (e->store), ==, cases[i].name);
      g_assert_cmpint (p.temp_store, ==, 2);
      /* The library's memory statistics are off (configure_library): with
       * a store open and written to, SQLite counts nothing. */
      g_assert_cmpint (sqlite3_memory_used (), ==, 0);
      if (cases[i].gathered)
        g_assert_cmpstr (p.vfs, ==, "mz-wal-gather");
      else
        g_assert_cmpstr (p.vfs, !=, "mz-wal-gather");
      g_free (p.journal_mode);
      g_free (p.vfs);

      reader = mz_store_open_reader (e->store, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sqlite3_prepare_v2 (mz_store_reader_db (reader), "PRAGMA journal_mode", -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
      sqlite3_finalize (stmt);
      mz_store_reader_close (reader);
      engine_free (e);
    }
}

static void
test_synchronous_off_refused (void)
{
  g_autoptr (GError) error = NULL;
  MzStoreOptions options = { "/nonexistent/x.db", "OFF", 0, 0 };

  g_assert_null (mz_store_open (&options, &error));
  g_assert_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* A failed batch is logged as a warning for operators; here it is expected. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_test_add_func ("/store/engine/group-commit", test_group_commit);
  g_test_add_func ("/store/engine/refusal-isolated", test_refusal_isolated);
  g_test_add_func ("/store/engine/fatal-fails-batch", test_fatal_fails_batch);
  g_test_add_func ("/store/engine/rerun-after-refusal", test_rerun_after_refusal);
  g_test_add_func ("/store/engine/rerun-spares-others", test_rerun_spares_others);
  g_test_add_func ("/store/engine/rerun-clean-refusal", test_rerun_clean_refusal);
  g_test_add_func ("/store/engine/rerun-fatal", test_rerun_fatal);
  g_test_add_func ("/store/engine/dropped-transaction", test_dropped_transaction);
  g_test_add_func ("/store/engine/batch-split", test_batch_split);
  g_test_add_func ("/store/engine/full-disk", test_full_disk);
  g_test_add_func ("/store/engine/full-disk/subprocess", test_full_disk_subprocess);
  g_test_add_func ("/store/engine/backup", test_backup);
  g_test_add_func ("/store/engine/readers-read-only", test_readers_read_only);
  g_test_add_func ("/store/engine/pragmas", test_pragmas);
  g_test_add_func ("/store/engine/wal-gathered", test_wal_gathered);
  g_test_add_func ("/store/engine/private-files", test_private_files);
  g_test_add_func ("/store/engine/restart-header-synced", test_restart_header_synced);
  g_test_add_func ("/store/engine/sync-thread-failure", test_sync_thread_failure);
  g_test_add_func ("/store/engine/inline-sync-failure", test_inline_sync_failure);
  g_test_add_func ("/store/engine/failed-write-out", test_failed_write_out);
  g_test_add_func ("/store/engine/failed-write-out/subprocess", test_failed_write_out_subprocess);
  g_test_add_func ("/store/engine/overlapped-sync", test_overlapped_sync);
  g_test_add_func ("/store/engine/overlapped-checkpoints", test_overlapped_checkpoints);
  g_test_add_func ("/store/engine/synchronous-off-refused", test_synchronous_off_refused);
  return g_test_run ();
}
