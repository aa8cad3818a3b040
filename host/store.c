/* minzheng host — the SQLite store: writer thread, group commit, readers.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/statvfs.h>

#include <glib/gstdio.h>

#include "store-sqlite.h"

G_DEFINE_QUARK (mz-store-error-quark, mz_store_error)

#define MZ_STORE_READER_POOL 4
/* Log size, in frames, past which the writer checkpoints after a commit
 * (SQLite's own default for its automatic checkpoint). */
#define MZ_STORE_CHECKPOINT_PAGES 1000
/* Below this much room a failed write is taken for a full disk. */
#define MZ_STORE_LOW_SPACE (4 * 1024 * 1024)

typedef struct _MzStoreJob
{
  MzStoreWorkFunc work;
  MzStoreRefusedFunc refused;
  gpointer data;
  gboolean exclusive;
  gboolean rerunnable;  /* MZ_STORE_WRITE_RERUNNABLE */
  gboolean done;
  gboolean ok;
  GError *error;
  GMutex done_lock;   /* guards @done; @ok and @error are written before it */
  GCond cond;         /* signalled once @done: wakes this caller only */
  /* Callers of the same batch this caller wakes once woken (see
   * wake_batch); written by the writer before it wakes the batch's first
   * caller, read after @done, so the locks order them. */
  struct _MzStoreJob *children[2];
} MzStoreJob;

/* In this backend a unit of work's transaction is the writer connection's
 * current one; the handle only names it. */
struct _MzStoreTxn
{
  sqlite3 *db;
  guint64 generation;           /* see mz_store_txn_generation; 0 = unknown */
  gboolean dropped;             /* rolled back while a batch was open (rollback_hook) */
};

struct _MzStoreReader
{
  sqlite3 *db;
};

struct _MzStore
{
  char *path;
  char *synchronous;
  guint busy_timeout_ms;
  guint max_batch;
  gboolean in_batch;            /* a batch's transaction is open (writer only) */
  gboolean committing;          /* the batch's own COMMIT is running (writer only) */
  /* What batch_limit weighs. */
  gint in_flight;               /* callers inside submit (atomic) */
  gint sync_usec;               /* moving average of the sync thread's fdatasync, µs (atomic; 0 = none yet) */
  gint unit_usec;               /* moving average of a unit's time on the writer, µs (atomic) */

  sqlite3 *writer;              /* used by the writer thread only */
  MzStoreTxn txn;               /* what units of work receive: the writer */
  guint64 generations;          /* the last generation handed out; writer only */
  GHashTable *statements;       /* SQL text → sqlite3_stmt *, writer only */
  GHashTable *by_address;       /* caller's SQL pointer → the same statements */
  GHashTable *kept_sql;         /* key → SQL text (mz_store_sql_keep), writer only */
  GThread *thread;

  GMutex lock;                  /* guards queue, closing, writer_idle and the counts */
  GCond work_cond;              /* the writer waits here for work */
  gboolean writer_idle;         /* the writer is (about to be) waiting on work_cond */
  GQueue queue;
  gboolean closing;
  MzStoreHooks hooks;

  GMutex pool_lock;
  GPtrArray *readers;           /* idle pooled read-only connections */

  guint64 n_batches;            /* under @lock */
  guint64 n_units;
  guint64 n_restarts;           /* batches run again (restart_batch) */

  /* The overlapped sync (see run_batch), when the writer's VFS gathers. */
  gboolean gathered;            /* the writer uses the gathering VFS */
  sqlite3_file *wal;            /* its log, once open; writer only */
  int wal_fd;                   /* our own descriptor of the log, for fdatasync */
  int wal_pages;                /* frames in the log after the last commit */
  GThread *sync_thread;
  GMutex sync_lock;             /* guards the four below */
  GCond sync_cond;
  GPtrArray *sync_queue;        /* committed batches (GPtrArray of jobs) awaiting fdatasync */
  gboolean sync_closing;
  GError *sync_failure;         /* an fsync failed: the store takes no more writes */
  gboolean directory_synced;    /* the sync thread fsynced the log's directory once */
  guint64 n_overlapped;         /* batches answered by the sync thread */
  guint sync_outstanding;       /* batches handed over and not yet answered */
};

/* SQLite reports a write cut short by RLIMIT_FSIZE as SQLITE_IOERR_WRITE,
 * and its saved errno is not reliable by then; so after a failed write we
 * look at the free space and the file-size limit ourselves. */
static gboolean
space_exhausted (sqlite3 *db)
{
  const char *path = sqlite3_db_filename (db, "main");
  g_autofree char *dir = NULL;
  g_autofree char *wal = NULL;
  struct statvfs fs;
  struct rlimit limit;
  GStatBuf st;
  goffset largest = 0;

  if (path == NULL || path[0] == '\0')
    return FALSE;
  dir = g_path_get_dirname (path);
  if (statvfs (dir, &fs) == 0 && (guint64) fs.f_bavail * fs.f_frsize < MZ_STORE_LOW_SPACE)
    return TRUE;
  wal = g_strconcat (path, "-wal", NULL);
  if (g_stat (path, &st) == 0)
    largest = st.st_size;
  if (g_stat (wal, &st) == 0 && st.st_size > largest)
    largest = st.st_size;
  return getrlimit (RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY
         && (guint64) largest + MZ_STORE_LOW_SPACE > (guint64) limit.rlim_cur;
}

/* Full disk and I/O errors must be told apart from a constraint that one
 * unit of work hit: the former leave nothing committed and fail the whole
 * batch. */
gboolean
mz_store_set_error (sqlite3    *db,
                    int         rc,
                    const char *what,
                    GError    **error)
{
  int primary = rc & 0xff;
  /* SQLite sets the system's errno on I/O errors only and never clears
   * it: read for any other code, an old error's ENOSPC would make every
   * later failure a full disk. */
  int sys_errno = db != NULL && (primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_FULL)
                  ? sqlite3_system_errno (db) : 0;
  const char *detail = db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc);

  if (primary == SQLITE_FULL || sys_errno == ENOSPC || sys_errno == EFBIG
      || ((rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE
           || rc == SQLITE_IOERR_SHMSIZE) && db != NULL && space_exhausted (db)))
    g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_FULL,
                 "存储空间已满，%s未能保存，本批操作均未提交；请释放磁盘空间后重试（%s） [store.full]",
                 what, detail);
  else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_BUSY,
                 "数据库被其他进程长时间占用，%s未能保存；请稍后重试（%s） [store.busy]",
                 what, detail);
  else if (primary == SQLITE_IOERR || primary == SQLITE_CORRUPT || primary == SQLITE_NOMEM
           || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY
           || primary == SQLITE_NOTADB || primary == SQLITE_PROTOCOL)
    g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO,
                 "数据库读写失败，%s未能保存，本批操作均未提交；请检查磁盘和数据库文件（%s） [store.io]",
                 what, detail);
  else
    g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_SQL,
                 "数据库语句失败：%s（%s） [store.sql]", what, detail);
  return FALSE;
}

gboolean
mz_store_error_is_fatal (const GError *error)
{
  return error != NULL && error->domain == MZ_STORE_ERROR && error->code != MZ_STORE_ERROR_SQL;
}

gboolean
mz_store_fail_batch (MzStore    *store,
                     const char *what,
                     GError    **error)
{
  int rc;

  g_return_val_if_fail (g_thread_self () == store->thread, FALSE);
  /* After a successful step the last code is SQLITE_ROW or SQLITE_DONE. */
  rc = sqlite3_extended_errcode (store->writer);
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE)
    rc = SQLITE_IOERR;
  return mz_store_set_error (store->writer, rc, what, error);
}

static gboolean
exec_sql (sqlite3    *db,
          const char *sql,
          GError    **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return mz_store_set_error (db, rc, sql, error);
  return TRUE;
}

static gboolean
query_text (sqlite3    *db,
            const char *sql,
            char      **out,
            GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      mz_store_set_error (db, rc, sql, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return TRUE;
}

static int commit_hook (void *data);
static void rollback_hook (void *data);

static gboolean
configure_writer (MzStore *store,
                  GError **error)
{
  g_autofree char *mode = NULL;
  g_autofree char *sync_sql = g_strdup_printf ("PRAGMA synchronous=%s", store->synchronous);

  sqlite3_extended_result_codes (store->writer, 1);
  sqlite3_commit_hook (store->writer, commit_hook, store);
  sqlite3_rollback_hook (store->writer, rollback_hook, store);
  sqlite3_busy_timeout (store->writer, (int) store->busy_timeout_ms);
  if (!query_text (store->writer, "PRAGMA journal_mode=WAL", &mode, error))
    return FALSE;
  if (g_ascii_strcasecmp (mode, "wal") != 0)
    {
      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN,
                   "数据库 %s 无法切换到 WAL 日志模式（当前为 %s） [store.wal]",
                   store->path, mode);
      return FALSE;
    }
  /* temp_store=MEMORY keeps the statement journal of the units' savepoints
   * in memory: at the default, past 64 KiB per transaction (a batch of
   * twenty units passes it) SQLite spilled it to a temporary file, and those
   * writes were about 7 % of the writer's time.  It holds the pages the
   * batch changed, a few megabytes at most (max_batch units). */
  return exec_sql (store->writer, sync_sql, error)
         && exec_sql (store->writer, "PRAGMA foreign_keys=ON", error)
         && exec_sql (store->writer, "PRAGMA temp_store=MEMORY", error);
}

/* Fails every job of @jobs with a copy of @fatal; the batch left nothing. */
static void
fail_jobs (GPtrArray    *jobs,
           const GError *fatal)
{
  for (guint i = 0; i < jobs->len; i++)
    {
      MzStoreJob *job = g_ptr_array_index (jobs, i);

      g_clear_error (&job->error);
      job->error = g_error_copy (fatal);
      job->ok = FALSE;
    }
}

/* Statements a unit of work left mid-step would make COMMIT fail; reset
 * them all first (cheap: a handful of cached statements). */
static void
reset_statements (sqlite3 *db)
{
  for (sqlite3_stmt *s = sqlite3_next_stmt (db, NULL); s != NULL; s = sqlite3_next_stmt (db, s))
    if (sqlite3_stmt_busy (s))
      sqlite3_reset (s);
}

/* Transaction control runs several times per unit of work: prepared once. */
static gboolean
step_cached (MzStore    *store,
             const char *sql,
             GError    **error)
{
  sqlite3_stmt *stmt = mz_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return mz_store_set_error (store->writer, rc, sql, error);
  return TRUE;
}

static gboolean
run_refused (MzStore    *store,
             MzStoreJob *job,
             GError    **error)
{
  if (job->refused == NULL)
    return TRUE;
  if (!step_cached (store, "SAVEPOINT mz_refused", error))
    return FALSE;
  if (!job->refused (store, &store->txn, job->data, job->error, error))
    return FALSE;
  return step_cached (store, "RELEASE mz_refused", error);
}

/* SQLite abandoned the batch's transaction by itself (it does so on some
 * full-disk and I/O errors): a failure of the whole batch, always one the
 * store counts as fatal, classified by the failure behind it where that is
 * known, as an I/O failure otherwise. */
static void
set_abandoned (MzStore    *store,
               const char *what,
               GError    **fatal)
{
  /* A failed write-out of the gathered log is the likeliest cause, and
   * the VFS kept its code; otherwise the writer's last one, unless a
   * later statement (a vetoed commit: commit_hook) left its own. */
  int rc = store->wal != NULL ? mz_store_vfs_take_failure (store->wal) : SQLITE_OK;
  int primary;

  if (rc == SQLITE_OK)
    rc = sqlite3_extended_errcode (store->writer);
  primary = rc & 0xff;
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_BUSY
      || primary == SQLITE_LOCKED || primary == SQLITE_NOMEM || primary == SQLITE_CORRUPT)
    mz_store_set_error (store->writer, rc, what, fatal);
  else
    mz_store_set_error (NULL, SQLITE_IOERR, what, fatal);
}

/* A unit of work failed with @local, which fails the whole batch when it
 * is the store's own failure or when SQLite itself abandoned the
 * transaction.  Returns FALSE and moves the failure to @fatal then; TRUE
 * when @local is a refusal, left in place. */
static gboolean
job_failure_is_refusal (MzStore *store,
                        GError **local,
                        GError **fatal)
{
  if (!mz_store_error_is_fatal (*local) && mz_store_txn_open (&store->txn))
    return TRUE;
  if (!mz_store_error_is_fatal (*local))
    {
      set_abandoned (store, (*local)->message, fatal);
      g_clear_error (local);
    }
  else
    g_propagate_error (fatal, g_steal_pointer (local));
  return FALSE;
}

/* A unit of work succeeded: the transaction must still be open.  SQLite
 * abandons it by itself on some full-disk and I/O errors, and a unit may
 * have swallowed the error that said so; without this check the units
 * after it would run outside any transaction.  (What the unit itself
 * wrote after that point was not committed either: commit_hook.) */
static gboolean
job_left_transaction (MzStore *store,
                      GError **fatal)
{
  if (mz_store_txn_open (&store->txn))
    return FALSE;
  set_abandoned (store, "事务被存储错误中止", fatal);
  return TRUE;
}

/* While a batch is open, nothing commits on the writer but the batch's
 * own COMMIT.  When SQLite abandoned the transaction and a unit of work
 * went on writing (having swallowed the error), each of its statements
 * would otherwise commit on its own, durably, with no audit entry and
 * while its caller is told nothing was saved; vetoed, the statement fails
 * and its change is rolled back. */
static int
commit_hook (void *data)
{
  MzStore *store = data;

  return store->in_batch && (!store->committing || store->txn.dropped);
}

/* A rollback while a batch is open is SQLite abandoning the transaction
 * (the store's own, in restart_batch, is followed by a BEGIN that clears
 * the mark; ROLLBACK TO a savepoint does not call the hook).  Noted,
 * because afterwards the connection may be in a transaction again — a
 * SAVEPOINT outside one begins one — and not being in autocommit would
 * prove nothing. */
static void
rollback_hook (void *data)
{
  MzStore *store = data;

  if (store->in_batch)
    store->txn.dropped = TRUE;
}

/* One unit of work in its savepoint.  Returns FALSE only for a failure
 * that dooms the batch (@fatal set); a refusal stays in job->error. */
static gboolean
run_job (MzStore    *store,
         MzStoreJob *job,
         GError    **fatal)
{
  GError *local = NULL;

  if (!step_cached (store, "SAVEPOINT mz_job", fatal))
    return FALSE;
  if (job->work (store, &store->txn, job->data, &local))
    {
      job->ok = TRUE;
      reset_statements (store->writer);
      return !job_left_transaction (store, fatal) && step_cached (store, "RELEASE mz_job", fatal);
    }

  g_assert (local != NULL);
  reset_statements (store->writer);
  if (!job_failure_is_refusal (store, &local, fatal))
    return FALSE;
  job->ok = FALSE;
  job->error = local;
  mz_store_note_rollback (store);
  if (!step_cached (store, "ROLLBACK TO mz_job", fatal)
      || !step_cached (store, "RELEASE mz_job", fatal))
    return FALSE;
  return run_refused (store, job, fatal);
}

/* A unit that may run again (MZ_STORE_WRITE_RERUNNABLE), without a
 * savepoint.  Returns TRUE when the batch goes on: the unit succeeded, or
 * it refused before writing anything (most refusals: stale version, wrong
 * state, a guard, a unique key SQLite turned down before writing), which
 * then stands as it is.  FALSE with @restart set when it refused after
 * writing: that cannot be undone alone, and the batch starts over
 * (restart_batch); FALSE with @fatal set when it failed the batch.
 * Rows written are what sqlite3_total_changes64 counts: every INSERT,
 * UPDATE and DELETE that completed, with the rows of its triggers, and
 * what a statement that failed kept (OR FAIL); one that failed otherwise
 * was undone by SQLite itself.  Rows are all a rerunnable unit may write. */
static gboolean
run_job_unguarded (MzStore    *store,
                   MzStoreJob *job,
                   gboolean   *restart,
                   GError    **fatal)
{
  sqlite3_int64 changes = sqlite3_total_changes64 (store->writer);
  GError *local = NULL;

  *restart = FALSE;
  if (job->work (store, &store->txn, job->data, &local))
    {
      job->ok = TRUE;
      reset_statements (store->writer);
      return !job_left_transaction (store, fatal);
    }
  g_assert (local != NULL);
  reset_statements (store->writer);
  if (!job_failure_is_refusal (store, &local, fatal))
    return FALSE;
  if (sqlite3_total_changes64 (store->writer) == changes)
    {
      job->ok = FALSE;
      job->error = local;
      return run_refused (store, job, fatal);
    }
  g_error_free (local);
  *restart = TRUE;
  return FALSE;
}

/* Begins a batch's write transaction (again, after restart_batch): a
 * new generation (mz_store_txn_generation), and no drop noted yet. */
static gboolean
begin_batch (MzStore *store,
             GError **fatal)
{
  if (!step_cached (store, "BEGIN IMMEDIATE", fatal))
    return FALSE;
  store->txn.dropped = FALSE;
  store->txn.generation = ++store->generations;
  return TRUE;
}

/* Rolls back the transaction of a batch whose first @n_run units ran
 * without savepoints, one of them refusing, and begins it again so that
 * they run again from the first, each in its own savepoint. */
static gboolean
restart_batch (MzStore   *store,
               GPtrArray *jobs,
               guint      n_run,
               GError   **fatal)
{
  for (guint i = 0; i < n_run; i++)
    {
      MzStoreJob *job = g_ptr_array_index (jobs, i);

      job->ok = FALSE;
      g_clear_error (&job->error);
    }
  reset_statements (store->writer);
  if (!step_cached (store, "ROLLBACK", fatal))
    return FALSE;
  /* What a write-out of the rolled-back frames met no longer matters; a
   * full disk will be met again by the next one. */
  if (store->wal != NULL)
    mz_store_vfs_take_failure (store->wal);
  if (store->hooks.after_rollback != NULL)
    store->hooks.after_rollback (store->hooks.data);
  g_mutex_lock (&store->lock);
  store->n_restarts++;
  g_mutex_unlock (&store->lock);
  return begin_batch (store, fatal);
}

/* The writer's log, and our own descriptor of it, once SQLite has it open
 * (inside the first transaction): from then on a commit's fsync can be
 * deferred to the sync thread. */
static void
find_wal (MzStore *store)
{
  sqlite3_file *wal = NULL;
  const char *path;
  int fd;

  if (!store->gathered || store->wal != NULL)
    return;
  path = sqlite3_filename_wal (sqlite3_db_filename (store->writer, "main"));
  fd = path != NULL ? g_open (path, O_RDWR | O_CLOEXEC, 0) : -1;
  if (fd < 0
      || sqlite3_file_control (store->writer, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) != SQLITE_OK
      || !mz_store_vfs_defer_sync (wal, FALSE))
    {
      /* No deferred syncs then, and SQLite's automatic checkpoint back in
       * place of ours (it also removes our hook). */
      if (fd >= 0)
        close (fd);
      store->gathered = FALSE;
      sqlite3_wal_autocheckpoint (store->writer, MZ_STORE_CHECKPOINT_PAGES);
      return;
    }
  store->wal_fd = fd;
  store->wal = wal;
}

/* Adds @sample, bounded by @most, to the moving average at @average (an
 * atomic int of µs; 0 = no sample yet): each new sample weighs an eighth. */
static void
moving_average_add (gint  *average,
                    gint64 sample,
                    gint64 most)
{
  gint64 avg = g_atomic_int_get (average);

  sample = MIN (sample, most);
  g_atomic_int_set (average, (gint) (avg == 0 ? sample : (7 * avg + sample) / 8));
}

/* How many units the batch being formed may hold: max_batch, or half the
 * callers waiting on the store when that makes more work per second.
 *
 * With everyone in one batch, the writer has nothing to do from its
 * COMMIT until the callers, answered after the fsync, queue again: the
 * fsync and the wake-ups are idle time for the one thread every action
 * passes through.  In two halves, one half runs while the other waits for
 * its fsync.  But fsyncs are one after another, so two waves need two
 * per cycle: worth it only while an fsync (s) is shorter than what the
 * writer does for all the callers (n units of u each).  A model of the
 * cycle: one wave takes n·u + s (plus the commit and the wake-ups), two
 * take the larger of n·u (plus two commits), n/2·u + s, and 2·s.  So
 * split when s < n·u: on the benchmark machine (s ≈ 0.2 ms, u ≈ 17 µs,
 * 32 callers) it splits; on a disk whose fsync takes milliseconds it does
 * not, and every caller shares one fsync as before.  s and u are moving
 * averages the sync thread and the writer keep. */
static guint
batch_limit (MzStore *store)
{
  gint sync_usec = g_atomic_int_get (&store->sync_usec);
  gint unit_usec = g_atomic_int_get (&store->unit_usec);
  guint callers = (guint) g_atomic_int_get (&store->in_flight);

  if (sync_usec > 0 && unit_usec > 0 && (gint64) callers * unit_usec > sync_usec)
    return MAX (1, MIN ((callers + 1) / 2, store->max_batch));
  return store->max_batch;
}

/* Moves queued units of work into @jobs, up to batch_limit, stopping at an
 * exclusive one; whether any came. */
static gboolean
take_queued (MzStore   *store,
             GPtrArray *jobs)
{
  guint before = jobs->len;
  guint limit = batch_limit (store);

  g_mutex_lock (&store->lock);
  while (!g_queue_is_empty (&store->queue) && jobs->len < limit
         && !((MzStoreJob *) g_queue_peek_head (&store->queue))->exclusive)
    g_ptr_array_add (jobs, g_queue_pop_head (&store->queue));
  g_mutex_unlock (&store->lock);
  return jobs->len > before;
}

/* The database holds every personal record of the office: a new one is
 * made here readable by its owner only, before SQLite would make it with
 * the umask's permissions (world-readable by default).  SQLite gives its
 * WAL and shared-memory files the database's mode.  An existing file
 * that others may read is left as the administrator set it, with a
 * warning. */
static gboolean
create_private (const char *path,
                GError    **error)
{
  GStatBuf st;
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

  if (fd >= 0)
    {
      close (fd);
      return TRUE;
    }
  if (errno != EEXIST)
    {
      int saved = errno;

      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN,
                   "无法创建数据库 %s：%s；请检查路径和权限 [store.open]", path, g_strerror (saved));
      return FALSE;
    }
  if (g_stat (path, &st) == 0 && (st.st_mode & 077) != 0)
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                      "MESSAGE_ID", "store.permissions",
                      "MESSAGE", "数据库 %s 的权限为 %04o，本机其他用户可读取全部个人信息；"
                                 "建议 chmod 600 [store.permissions]", path, (unsigned) (st.st_mode & 07777));
  return TRUE;
}

/* A copy of the store's fsync failure, or NULL. */
static GError *
sync_failure_copy (MzStore *store)
{
  GError *copy = NULL;

  g_mutex_lock (&store->sync_lock);
  if (store->sync_failure != NULL)
    copy = g_error_copy (store->sync_failure);
  g_mutex_unlock (&store->sync_lock);
  return copy;
}

/* An fsync of the log failed: what was written may or may not be on the
 * disk, and a later fsync that succeeds does not prove it (the kernel
 * reports a lost write-back once).  The store stops taking writes; a
 * restart reads what is there.  Returns a copy of the (first) failure. */
static GError *
sync_failed (MzStore    *store,
             const char *why)
{
  g_mutex_lock (&store->sync_lock);
  if (store->sync_failure == NULL)
    {
      store->sync_failure = g_error_new (MZ_STORE_ERROR, MZ_STORE_ERROR_IO,
                                         "数据库日志写入磁盘失败（%s）：本批操作是否已保存无法确认，"
                                         "存储已停止接受写入；请检查磁盘后重启服务，并核对这些操作"
                                         " [store.sync_failed]", why);
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                        "MESSAGE_ID", "store.sync_failed",
                        "MESSAGE", "store %s: fsync of the log failed: %s; no more writes",
                        store->path, why);
    }
  g_mutex_unlock (&store->sync_lock);
  return sync_failure_copy (store);
}

/* Whether batches committed earlier still wait for their fsync. */
static gboolean
sync_outstanding (MzStore *store)
{
  gboolean outstanding;

  g_mutex_lock (&store->sync_lock);
  outstanding = store->sync_outstanding > 0;
  g_mutex_unlock (&store->sync_lock);
  return outstanding;
}

/* Whether more work waits: then this batch's fsync can overlap the next. */
static gboolean
more_queued (MzStore *store)
{
  gboolean more;

  g_mutex_lock (&store->lock);
  more = !g_queue_is_empty (&store->queue);
  g_mutex_unlock (&store->lock);
  return more;
}

static int
wal_hook (void       *data,
          sqlite3    *db,
          const char *name,
          int         pages)
{
  MzStore *store = data;

  store->wal_pages = pages;
  return SQLITE_OK;
}

/* The group commit: one transaction for every queued unit of work, one
 * COMMIT (one fsync of the WAL at synchronous=FULL), then every caller is
 * answered.  A unit that refuses rolls back only its savepoint.
 *
 * The overlapped sync.  The fsync of a commit costs the writer thread
 * more than any other step of a batch (about a fifth of its time with 32
 * clients on our benchmark machine, most of it the virtual disk's
 * notification), and no other batch can run meanwhile.  So when more work
 * is already queued, COMMIT only hands the log's new frames to the kernel
 * (mz_store_vfs_defer_sync) and the sync thread fsyncs the log and then
 * answers the batch's callers, while the writer goes on with the next
 * batch.  So does a batch of several callers when nothing waits yet: with
 * that many clients more work comes during the fsync (an inline fsync
 * there cost the writer 13 % of its time at 32 clients).  A batch of one
 * with nothing queued is fsynced inline as before, so one client at a
 * time pays no hand-over.  What holds:
 *   - no caller is answered before its commit is durable;
 *   - a later batch is never durable without the earlier ones (one log,
 *     written in order, each fsync covering everything before it);
 *   - no checkpoint copies frames that are not yet durable into the
 *     database file: SQLite's automatic checkpoint is replaced by ours
 *     (wal_hook, after COMMIT, with deferral off), whose own fsync of the
 *     log comes first;
 *   - what changes: another connection may read a batch up to one fsync
 *     before it is durable (a power cut in that window loses the batch, as
 *     it would have lost it a moment earlier, but a report might have
 *     counted it).  Its callers are not answered until it is durable.
 * If the fsync fails, the batch's callers get the error and the store
 * takes no more writes: whether the kernel kept the pages is unknown (as
 * PostgreSQL concluded in 2018), and a restart reads what is on disk.
 * Returns whether the batch's answers were left to the sync thread. */
static gboolean
run_batch (MzStore   *store,
           GPtrArray *jobs)
{
  g_autoptr (GError) fatal = NULL;
  gboolean deferred = FALSE;
  gboolean guarded = FALSE;  /* each unit in its own savepoint */
  gboolean restart = FALSE;
  gboolean representative = TRUE;  /* every unit an action (rerunnable) */
  gint64 start;
  int rc;

  fatal = sync_failure_copy (store);
  if (fatal != NULL || !begin_batch (store, &fatal))
    {
      fail_jobs (jobs, fatal);
      return FALSE;
    }
  store->in_batch = TRUE;
  start = g_get_monotonic_time ();

  /* Work queued while the batch ran joins it, up to batch_limit: the
   * transaction stays open as long as there is work, so the commit's
   * fixed costs (BEGIN, the log's shared pages, the fsync) are shared by
   * as many as arrive in the meantime.
   *
   * Savepoints.  A unit's refusal must undo its own writes and no one
   * else's, which a savepoint per unit does; but SQLite's savepoints are
   * not free: each copies every page its unit changes into the statement
   * journal, so the hot pages (the last leaf of each table and index) are
   * copied again for every unit.  With 32 clients that was a quarter of
   * the writer's time per action.  So a unit that may run again
   * (MZ_STORE_WRITE_RERUNNABLE: actions) runs without one.  Most refusals
   * come before anything is written (stale version, state, guards) and
   * stand as they are.  When such a unit refuses after writing, the whole
   * transaction is rolled back and the batch runs again from its first
   * unit, this time each in its own savepoint: a batch runs at most
   * twice, and only the units up to that refusal run twice.  Once a unit
   * that may not run again has run, the rest of the batch has savepoints. */
  for (guint i = 0; fatal == NULL; i++)
    {
      MzStoreJob *job;

      if (i == jobs->len && !take_queued (store, jobs))
        break;
      job = g_ptr_array_index (jobs, i);
      representative = representative && job->rerunnable;
      if (guarded || !job->rerunnable)
        {
          guarded = TRUE;
          run_job (store, job, &fatal);
        }
      else if (!run_job_unguarded (store, job, &restart, &fatal) && restart
               && restart_batch (store, jobs, i + 1, &fatal))
        {
          guarded = TRUE;
          i = G_MAXUINT;  /* from the first unit again */
        }
    }

  /* The writer's time per unit, for batch_limit: from batches of actions
   * only (an import's one long unit says nothing of the callers waiting),
   * each sample bounded so that no single batch swings it for long. */
  if (jobs->len > 0 && representative)
    moving_average_add (&store->unit_usec, (g_get_monotonic_time () - start) / jobs->len, 100000);
  if (fatal == NULL && store->hooks.before_commit != NULL)
    store->hooks.before_commit (store, &store->txn, store->hooks.data, &fatal);

  if (fatal == NULL)
    {
      sqlite3_stmt *commit = mz_store_prepare (store, "COMMIT", &fatal);

      reset_statements (store->writer);
      find_wal (store);
      /* A write-out of gathered frames that failed during the batch (one a
       * read set off, say) dooms it, whatever the unit that met it did. */
      rc = store->wal != NULL ? mz_store_vfs_take_failure (store->wal) : SQLITE_OK;
      if (rc != SQLITE_OK)
        mz_store_set_error (store->writer, rc, "写入日志", &fatal);
      else
        fatal = sync_failure_copy (store);
      /* Deferred also while earlier batches wait for their fsync, so that
       * no answer overtakes theirs. */
      deferred = store->wal != NULL && (jobs->len > 1 || more_queued (store) || sync_outstanding (store));
      if (deferred)
        mz_store_vfs_defer_sync (store->wal, TRUE);
      if (commit != NULL && fatal == NULL)
        {
          store->committing = TRUE;
          rc = sqlite3_step (commit);
          store->committing = FALSE;
          sqlite3_reset (commit);
          if ((rc & 0xff) == SQLITE_IOERR && sqlite3_extended_errcode (store->writer) == SQLITE_IOERR_FSYNC)
            fatal = sync_failed (store, "fsync");
          else if (rc != SQLITE_DONE)
            mz_store_set_error (store->writer, rc, "提交", &fatal);
        }
      if (deferred)
        mz_store_vfs_defer_sync (store->wal, FALSE);
      /* SQLite's own checkpoint would have run inside COMMIT, deferred
       * fsync and all; ours runs here, where the log's fsync is real. */
      if (store->wal != NULL && store->wal_pages >= MZ_STORE_CHECKPOINT_PAGES)
        {
          store->wal_pages = 0;
          sqlite3_wal_checkpoint_v2 (store->writer, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        }
    }
  store->in_batch = FALSE;

  /* A failure met only because SQLite had dropped the transaction (a
   * RELEASE of a savepoint that went with it, a COMMIT with nothing to
   * commit) is the storage failure behind it, not a statement's. */
  if (fatal != NULL && store->txn.dropped && !mz_store_error_is_fatal (fatal))
    {
      g_clear_error (&fatal);
      set_abandoned (store, "事务被存储错误中止", &fatal);
    }
  if (fatal != NULL)
    {
      reset_statements (store->writer);
      if (!sqlite3_get_autocommit (store->writer))
        sqlite3_exec (store->writer, "ROLLBACK", NULL, NULL, NULL);
      if (store->wal != NULL)
        mz_store_vfs_take_failure (store->wal);
      if (store->hooks.after_rollback != NULL)
        store->hooks.after_rollback (store->hooks.data);
      g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING,
                        "MESSAGE_ID", "store.batch_failed",
                        "MESSAGE", "store %s: batch of %u rolled back: %s",
                        store->path, jobs->len, fatal->message);
      fail_jobs (jobs, fatal);
      return FALSE;
    }
  return deferred;
}

static void
run_exclusive (MzStore    *store,
               MzStoreJob *job)
{
  GError *local = sync_failure_copy (store);

  /* After a failed fsync the store writes nothing more, setup included. */
  if (local == NULL)
    job->ok = job->work (store, &store->txn, job->data, &local);
  job->error = local;
  reset_statements (store->writer);
  if (!sqlite3_get_autocommit (store->writer))
    sqlite3_exec (store->writer, "ROLLBACK", NULL, NULL, NULL);
}

static void
wake_job (MzStoreJob *job)
{
  g_mutex_lock (&job->done_lock);
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->done_lock);
}

/* The callers of a batch are woken as a binary tree: the writer wakes the
 * first, and each woken caller wakes the next two before it returns.  Each
 * wake-up is a system call of a few microseconds; made by the writer for
 * every caller, they were about 6 % of its time, time in which no other
 * batch could run.  The tree keeps the last caller of a batch of n within
 * about log2 n wake-ups of the commit.  A job is alive until its caller
 * has been woken, so a parent may still reach its children. */
static void
wake_batch (GPtrArray *jobs)
{
  for (guint i = 0; i < jobs->len; i++)
    {
      MzStoreJob *job = g_ptr_array_index (jobs, i);

      for (guint c = 0; c < 2; c++)
        job->children[c] = 2 * i + 1 + c < jobs->len ? g_ptr_array_index (jobs, 2 * i + 1 + c) : NULL;
    }
  if (jobs->len > 0)
    wake_job (g_ptr_array_index (jobs, 0));
}

/* The directory entry of a log the store created must be durable too;
 * SQLite's first fsync of the file did that when it made every fsync. */
static int
sync_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_CLOEXEC, 0);
  int rc;

  if (fd < 0)
    return -1;
  rc = fsync (fd);
  close (fd);
  return rc;
}

static int (*sync_fd) (int fd) = fdatasync;

void
mz_store_set_sync_func (int (*func) (int fd))
{
  sync_fd = func != NULL ? func : fdatasync;
}

/* Fsyncs the log for every batch the writer committed with a deferred
 * sync, as many at a time as are waiting, then answers their callers.
 * Once an fsync failed, nothing more is answered as saved (sync_failed):
 * the batches waiting then are failed without another fsync, whose
 * success would prove nothing. */
static gpointer
sync_thread (gpointer data)
{
  MzStore *store = data;

  g_mutex_lock (&store->sync_lock);
  for (;;)
    {
      g_autoptr (GPtrArray) batches = NULL;
      g_autoptr (GError) failure = NULL;
      gboolean directory = !store->directory_synced;
      int rc = 0;

      while (store->sync_queue->len == 0 && !store->sync_closing)
        g_cond_wait (&store->sync_cond, &store->sync_lock);
      if (store->sync_queue->len == 0)
        break;
      batches = g_steal_pointer (&store->sync_queue);
      store->sync_queue = g_ptr_array_new ();
      failure = store->sync_failure != NULL ? g_error_copy (store->sync_failure) : NULL;
      g_mutex_unlock (&store->sync_lock);

      if (failure == NULL)
        {
          gint64 began = g_get_monotonic_time ();

          rc = sync_fd (store->wal_fd);
          moving_average_add (&store->sync_usec, g_get_monotonic_time () - began, 10 * G_USEC_PER_SEC);
          if (rc == 0 && directory)
            rc = sync_directory (store->path);
          if (rc != 0)
            failure = sync_failed (store, g_strerror (errno));
          else if (directory)
            store->directory_synced = TRUE;
        }
      /* The failure is the store's before anyone hears of it, so a caller
       * that tries again at once finds the store closed to writes. */
      for (guint i = 0; i < batches->len; i++)
        {
          GPtrArray *jobs = g_ptr_array_index (batches, i);

          if (failure != NULL)
            fail_jobs (jobs, failure);
          wake_batch (jobs);
          g_ptr_array_unref (jobs);
        }
      g_mutex_lock (&store->sync_lock);
      store->sync_outstanding -= batches->len;
    }
  g_mutex_unlock (&store->sync_lock);
  return NULL;
}

static gpointer
writer_thread (gpointer data)
{
  MzStore *store = data;
  g_autoptr (GPtrArray) jobs = g_ptr_array_new ();

  g_mutex_lock (&store->lock);
  for (;;)
    {
      MzStoreJob *head;
      guint n_jobs = 0;

      while (g_queue_is_empty (&store->queue) && !store->closing)
        {
          store->writer_idle = TRUE;
          g_cond_wait (&store->work_cond, &store->lock);
        }
      store->writer_idle = FALSE;
      if (g_queue_is_empty (&store->queue))
        break;

      head = g_queue_peek_head (&store->queue);
      g_ptr_array_set_size (jobs, 0);
      if (head->exclusive)
        g_ptr_array_add (jobs, g_queue_pop_head (&store->queue));
      else
        while (!g_queue_is_empty (&store->queue) && jobs->len < batch_limit (store)
               && !((MzStoreJob *) g_queue_peek_head (&store->queue))->exclusive)
          g_ptr_array_add (jobs, g_queue_pop_head (&store->queue));
      g_mutex_unlock (&store->lock);

      store->txn.generation = 0;
      if (head->exclusive)
        run_exclusive (store, head);
      else if (run_batch (store, jobs))
        {
          /* Answered by the sync thread once the log is fsynced. */
          n_jobs = jobs->len;
          g_mutex_lock (&store->sync_lock);
          store->n_overlapped++;
          store->sync_outstanding++;
          g_ptr_array_add (store->sync_queue, g_steal_pointer (&jobs));
          g_cond_signal (&store->sync_cond);
          g_mutex_unlock (&store->sync_lock);
          jobs = g_ptr_array_new ();
        }

      store->txn.generation = 0;
      /* Each caller is woken under its own job's lock, not the store's:
       * woken while the writer held the store's lock, every caller went
       * back to sleep on that lock and had to be woken a second time.
       * A job may be gone as soon as its lock is released. */
      if (jobs->len > 0)
        {
          n_jobs = jobs->len;
          wake_batch (jobs);
        }

      g_mutex_lock (&store->lock);
      store->n_batches++;
      store->n_units += n_jobs;
    }
  g_mutex_unlock (&store->lock);
  return NULL;
}

static gboolean
submit (MzStore    *store,
        MzStoreJob *job,
        GError    **error)
{
  g_return_val_if_fail (g_thread_self () != store->thread, FALSE);

  g_atomic_int_inc (&store->in_flight);
  g_mutex_lock (&store->lock);
  if (store->closing)
    {
      g_mutex_unlock (&store->lock);
      g_atomic_int_add (&store->in_flight, -1);
      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_CLOSED,
                   "存储正在关闭，不再接受操作 [store.closed]");
      return FALSE;
    }
  g_mutex_init (&job->done_lock);
  g_cond_init (&job->cond);
  g_queue_push_tail (&store->queue, job);
  /* Signalling costs a system call even when nobody waits: while the
   * writer is busy it takes everything queued when it looks again. */
  if (store->writer_idle)
    {
      store->writer_idle = FALSE;
      g_cond_signal (&store->work_cond);
    }
  g_mutex_unlock (&store->lock);

  g_mutex_lock (&job->done_lock);
  while (!job->done)
    g_cond_wait (&job->cond, &job->done_lock);
  g_mutex_unlock (&job->done_lock);
  g_cond_clear (&job->cond);
  g_mutex_clear (&job->done_lock);
  for (guint c = 0; c < 2; c++)
    if (job->children[c] != NULL)
      wake_job (job->children[c]);
  g_atomic_int_add (&store->in_flight, -1);

  if (!job->ok)
    {
      g_propagate_error (error, job->error);
      return FALSE;
    }
  g_clear_error (&job->error);
  return TRUE;
}

gboolean
mz_store_write_full (MzStore           *store,
                     MzStoreWriteFlags  flags,
                     MzStoreWorkFunc    work,
                     MzStoreRefusedFunc refused,
                     gpointer           data,
                     GError           **error)
{
  MzStoreJob job = { .work = work, .refused = refused, .data = data,
                     .rerunnable = (flags & MZ_STORE_WRITE_RERUNNABLE) != 0 };

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (work != NULL, FALSE);
  return submit (store, &job, error);
}

gboolean
mz_store_write (MzStore           *store,
                MzStoreWorkFunc    work,
                MzStoreRefusedFunc refused,
                gpointer           data,
                GError           **error)
{
  return mz_store_write_full (store, MZ_STORE_WRITE_NONE, work, refused, data, error);
}

gboolean
mz_store_run_exclusive (MzStore        *store,
                        MzStoreWorkFunc work,
                        gpointer        data,
                        GError        **error)
{
  MzStoreJob job = { .work = work, .data = data, .exclusive = TRUE };

  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail (work != NULL, FALSE);
  return submit (store, &job, error);
}

sqlite3_stmt *
mz_store_prepare (MzStore    *store,
                  const char *sql,
                  GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (g_thread_self () == store->thread, NULL);

  /* Most callers pass the same constant or per-kind string every time:
   * look it up by address first, confirmed against the statement's text
   * (an address can be reused by another string), then by content. */
  stmt = g_hash_table_lookup (store->by_address, sql);
  if (stmt == NULL || strcmp (sqlite3_sql (stmt), sql) != 0)
    {
      /* SQL built afresh per call lives at ever new addresses: keep the
       * address table bounded by forgetting it all now and then. */
      if (g_hash_table_size (store->by_address) > 4 * g_hash_table_size (store->statements) + 64)
        g_hash_table_remove_all (store->by_address);
      stmt = g_hash_table_lookup (store->statements, sql);
      if (stmt != NULL)
        g_hash_table_insert (store->by_address, (gpointer) sql, stmt);
    }
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  rc = sqlite3_prepare_v3 (store->writer, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      mz_store_set_error (store->writer, rc, sql, error);
      return NULL;
    }
  g_hash_table_insert (store->statements, g_strdup (sql), stmt);
  g_hash_table_insert (store->by_address, (gpointer) sql, stmt);
  return stmt;
}

const char *
mz_store_sql_lookup (MzStore    *store,
                     const char *key)
{
  g_return_val_if_fail (g_thread_self () == store->thread, NULL);
  return g_hash_table_lookup (store->kept_sql, key);
}

const char *
mz_store_sql_keep (MzStore    *store,
                   const char *key,
                   char       *sql)
{
  g_return_val_if_fail (g_thread_self () == store->thread, NULL);
  g_hash_table_replace (store->kept_sql, g_strdup (key), sql);
  return sql;
}

gboolean
mz_store_step (MzStore    *store,
               const char *sql,
               GError    **error)
{
  g_return_val_if_fail (g_thread_self () == store->thread, FALSE);
  return step_cached (store, sql, error);
}

gboolean
mz_store_exec (MzStore    *store,
               const char *sql,
               GError    **error)
{
  g_return_val_if_fail (g_thread_self () == store->thread, FALSE);
  return exec_sql (store->writer, sql, error);
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

/* Settings of the SQLite library itself, which hold only if made before
 * its first use in the process (the store is the first user: nothing else
 * in the host may call SQLite).  Memory statistics off: with them on,
 * every allocation and free SQLite makes takes one process-wide mutex to
 * count it — a tenth of the writer's time per action at 32 clients went
 * to sqlite3Malloc and sqlite3_free — and nothing here reads the counts
 * (sqlite3_memory_used, a soft heap limit).  Too late, sqlite3_config
 * refuses with SQLITE_MISUSE and the defaults stay, which is only
 * slower. */
static void
configure_library (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&done, 1);
    }
}

MzStore *
mz_store_open (const MzStoreOptions *options,
               GError              **error)
{
  g_autoptr (MzStore) store = NULL;
  const char *sync = options->synchronous != NULL ? options->synchronous : "FULL";
  const char *vfs;
  int rc;

  g_return_val_if_fail (options != NULL && options->path != NULL, NULL);

  configure_library ();
  if (g_ascii_strcasecmp (sync, "FULL") != 0 && g_ascii_strcasecmp (sync, "EXTRA") != 0
      && g_ascii_strcasecmp (sync, "NORMAL") != 0)
    {
      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN,
                   "[store] synchronous=%s 不可用：只允许 FULL、EXTRA 或 NORMAL，"
                   "民政档案须在断电后保留，建议 FULL [store.synchronous]", sync);
      return NULL;
    }

  store = g_new0 (MzStore, 1);
  store->path = g_strdup (options->path);
  store->synchronous = g_ascii_strup (sync, -1);
  store->busy_timeout_ms = options->busy_timeout_ms != 0 ? options->busy_timeout_ms : 5000;
  store->max_batch = options->max_batch != 0 ? options->max_batch : 256;
  store->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  store->by_address = g_hash_table_new (g_direct_hash, g_direct_equal);
  store->kept_sql = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  store->readers = g_ptr_array_new ();
  g_mutex_init (&store->lock);
  g_cond_init (&store->work_cond);
  g_mutex_init (&store->pool_lock);
  g_queue_init (&store->queue);
  g_mutex_init (&store->sync_lock);
  g_cond_init (&store->sync_cond);
  store->sync_queue = g_ptr_array_new ();
  store->wal_fd = -1;

  /* No per-call mutex on the writer connection: only the writer thread
   * uses it once it runs (before, only this thread; after, only close),
   * and the lock and unlock around every bind, step and column call were
   * about 6 % of the instructions of an action. */
  if (!create_private (store->path, error))
    return NULL;
  vfs = g_str_equal (store->synchronous, "NORMAL") ? NULL : mz_store_vfs_wal_gather ();
  store->gathered = vfs != NULL;
  rc = sqlite3_open_v2 (store->path, &store->writer,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN,
                   "无法打开数据库 %s：%s；请检查路径和权限 [store.open]",
                   store->path, sqlite3_errmsg (store->writer));
      return NULL;
    }
  store->txn.db = store->writer;
  if (!configure_writer (store, error))
    return NULL;
  /* Checkpoints are the writer's own (see run_batch) where a commit's
   * fsync may be deferred; the hook replaces SQLite's automatic one. */
  if (store->gathered)
    sqlite3_wal_hook (store->writer, wal_hook, store);

  store->sync_thread = g_thread_new ("mz-store-sync", sync_thread, store);
  store->thread = g_thread_new ("mz-store-writer", writer_thread, store);
  return g_steal_pointer (&store);
}

void
mz_store_close (MzStore *store)
{
  if (store == NULL)
    return;

  if (store->thread != NULL)
    {
      g_mutex_lock (&store->lock);
      store->closing = TRUE;
      g_cond_signal (&store->work_cond);
      g_mutex_unlock (&store->lock);
      g_thread_join (store->thread);
    }
  if (store->sync_thread != NULL)
    {
      g_mutex_lock (&store->sync_lock);
      store->sync_closing = TRUE;
      g_cond_signal (&store->sync_cond);
      g_mutex_unlock (&store->sync_lock);
      g_thread_join (store->sync_thread);
    }
  if (store->wal_fd >= 0)
    close (store->wal_fd);
  g_ptr_array_unref (store->sync_queue);
  g_clear_error (&store->sync_failure);
  g_mutex_clear (&store->sync_lock);
  g_cond_clear (&store->sync_cond);
  g_hash_table_destroy (store->by_address);
  g_hash_table_destroy (store->kept_sql);
  g_hash_table_destroy (store->statements);
  for (guint i = 0; i < store->readers->len; i++)
    mz_store_reader_close (g_ptr_array_index (store->readers, i));
  g_ptr_array_free (store->readers, TRUE);
  if (store->writer != NULL)
    sqlite3_close_v2 (store->writer);
  g_mutex_clear (&store->lock);
  g_cond_clear (&store->work_cond);
  g_mutex_clear (&store->pool_lock);
  g_free (store->path);
  g_free (store->synchronous);
  g_free (store);
}

const char *
mz_store_get_path (MzStore *store)
{
  return store->path;
}

const char *
mz_store_get_synchronous (MzStore *store)
{
  return store->synchronous;
}

void
mz_store_set_hooks (MzStore            *store,
                    const MzStoreHooks *hooks)
{
  g_mutex_lock (&store->lock);
  store->hooks = *hooks;
  g_mutex_unlock (&store->lock);
}

void
mz_store_get_stats (MzStore *store,
                    guint64 *batches,
                    guint64 *units)
{
  g_mutex_lock (&store->lock);
  *batches = store->n_batches;
  *units = store->n_units;
  g_mutex_unlock (&store->lock);
}

guint
mz_store_get_batch_limit (MzStore *store)
{
  return batch_limit (store);
}

guint
mz_store_get_queued (MzStore *store)
{
  guint n;

  g_mutex_lock (&store->lock);
  n = g_queue_get_length (&store->queue);
  g_mutex_unlock (&store->lock);
  return n;
}

guint64
mz_store_get_restarts (MzStore *store)
{
  guint64 n;

  g_mutex_lock (&store->lock);
  n = store->n_restarts;
  g_mutex_unlock (&store->lock);
  return n;
}

guint64
mz_store_get_overlapped (MzStore *store)
{
  guint64 n;

  g_mutex_lock (&store->sync_lock);
  n = store->n_overlapped;
  g_mutex_unlock (&store->sync_lock);
  return n;
}

MzStoreReader *
mz_store_reader_adopt (sqlite3 *db)
{
  MzStoreReader *reader = g_new0 (MzStoreReader, 1);

  reader->db = db;
  return reader;
}

MzStoreTxn *
mz_store_txn_wrap (sqlite3 *db)
{
  MzStoreTxn *txn = g_new0 (MzStoreTxn, 1);

  txn->db = db;
  return txn;
}

void
mz_store_txn_free (MzStoreTxn *txn)
{
  g_free (txn);
}

sqlite3 *
mz_store_reader_db (MzStoreReader *reader)
{
  return reader->db;
}

sqlite3 *
mz_store_txn_db (MzStoreTxn *txn)
{
  return txn->db;
}

gboolean
mz_store_txn_open (MzStoreTxn *txn)
{
  return !txn->dropped && sqlite3_get_autocommit (txn->db) == 0;
}

guint64
mz_store_txn_generation (MzStoreTxn *txn)
{
  return txn->generation;
}

void
mz_store_note_rollback (MzStore *store)
{
  if (store->txn.generation != 0)
    store->txn.generation = ++store->generations;
}

void
mz_store_reader_close (MzStoreReader *reader)
{
  if (reader == NULL)
    return;
  sqlite3_close_v2 (reader->db);
  g_free (reader);
}

/* A new read-only connection, set up like every reader. */
static sqlite3 *
open_reader_db (MzStore *store,
                GError **error)
{
  sqlite3 *db = NULL;
  int rc;

  g_return_val_if_fail (store != NULL, NULL);

  rc = sqlite3_open_v2 (store->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_extended_result_codes (db, 1);
      sqlite3_busy_timeout (db, (int) store->busy_timeout_ms);
      rc = sqlite3_exec (db, "PRAGMA query_only=1", NULL, NULL, NULL);
    }
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN,
                   "无法以只读方式打开数据库 %s：%s [store.open]",
                   store->path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }
  return db;
}

MzStoreReader *
mz_store_open_reader (MzStore *store,
                      GError **error)
{
  sqlite3 *db = open_reader_db (store, error);

  return db != NULL ? mz_store_reader_adopt (db) : NULL;
}

void
mz_store_reader_begin (MzStoreReader *reader)
{
  sqlite3_exec (reader->db, "BEGIN", NULL, NULL, NULL);
}

void
mz_store_reader_end (MzStoreReader *reader)
{
  sqlite3_exec (reader->db, "COMMIT", NULL, NULL, NULL);
}

MzStoreReader *
mz_store_reader_acquire (MzStore *store,
                         GError **error)
{
  MzStoreReader *reader = NULL;

  g_mutex_lock (&store->pool_lock);
  if (store->readers->len > 0)
    reader = g_ptr_array_steal_index_fast (store->readers, store->readers->len - 1);
  g_mutex_unlock (&store->pool_lock);
  if (reader != NULL)
    return reader;
  return mz_store_open_reader (store, error);
}

void
mz_store_reader_release (MzStore       *store,
                         MzStoreReader *reader)
{
  if (reader == NULL)
    return;
  for (sqlite3_stmt *s = sqlite3_next_stmt (reader->db, NULL); s != NULL;
       s = sqlite3_next_stmt (reader->db, NULL))
    sqlite3_finalize (s);
  g_mutex_lock (&store->pool_lock);
  if (store->readers->len < MZ_STORE_READER_POOL)
    {
      g_ptr_array_add (store->readers, reader);
      reader = NULL;
    }
  g_mutex_unlock (&store->pool_lock);
  mz_store_reader_close (reader);
}

gboolean
mz_store_backup (MzStore    *store,
                 const char *dest,
                 GError    **error)
{
  sqlite3 *src = NULL;
  sqlite3 *out = NULL;
  sqlite3_backup *backup;
  int fd;
  int rc;

  g_return_val_if_fail (store != NULL && dest != NULL, FALSE);

  /* Made here, exclusively and 0600, before SQLite opens it: SQLite would
   * create it with the umask's permissions (world-readable), and a check
   * for an existing file followed by SQLite's create could race. */
  fd = g_open (dest, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      if (saved == EEXIST)
        g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_EXISTS,
                     "备份目标 %s 已存在；请指定一个新文件，以免覆盖已有备份 [store.backup_exists]",
                     dest);
      else
        g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN,
                     "无法创建备份文件 %s：%s [store.backup_open]", dest, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  src = open_reader_db (store, error);
  if (src == NULL)
    {
      g_unlink (dest);
      return FALSE;
    }
  rc = sqlite3_open_v2 (dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN,
                   "无法创建备份文件 %s：%s [store.backup_open]", dest, sqlite3_errmsg (out));
      sqlite3_close_v2 (out);
      sqlite3_close_v2 (src);
      g_unlink (dest);
      return FALSE;
    }
  sqlite3_exec (out, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
  backup = sqlite3_backup_init (out, "main", src, "main");
  if (backup == NULL)
    rc = sqlite3_errcode (out);
  else
    {
      rc = sqlite3_backup_step (backup, -1);
      sqlite3_backup_finish (backup);
      if (rc == SQLITE_DONE)
        rc = sqlite3_errcode (out);
    }
  /* The copy carries the WAL flag of the original; a backup is better one
   * self-contained file, readable even from read-only media. */
  if (rc == SQLITE_OK || rc == SQLITE_DONE)
    rc = sqlite3_exec (out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    mz_store_set_error (out, rc, "备份", error);
  sqlite3_close_v2 (src);
  if (sqlite3_close_v2 (out) != SQLITE_OK && rc == SQLITE_OK)
    rc = SQLITE_IOERR;
  if (rc != SQLITE_OK && rc != SQLITE_DONE)
    {
      if (error != NULL && *error == NULL)
        mz_store_set_error (NULL, rc, "备份", error);
      g_unlink (dest);
      return FALSE;
    }
  return TRUE;
}

/* PRAGMA integrity_check on @db; a failure names @path. */
static gboolean
check_integrity (sqlite3    *db,
                 const char *path,
                 GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GString) problems = g_string_new (NULL);
  int rc;

  rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check(20)", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "", line);
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    mz_store_set_error (db, rc, "完整性检查", error);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_OK)
    return FALSE;
  if (problems->len > 0)
    {
      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_IO,
                   "数据库 %s 完整性检查未通过：%s；请从备份恢复 [store.integrity]",
                   path, problems->str);
      return FALSE;
    }
  return TRUE;
}

gboolean
mz_store_check_integrity (MzStore *store,
                          GError **error)
{
  sqlite3 *db = open_reader_db (store, error);
  gboolean ok;

  if (db == NULL)
    return FALSE;
  ok = check_integrity (db, store->path, error);
  sqlite3_close_v2 (db);
  return ok;
}

gboolean
mz_store_reader_check_integrity (MzStoreReader *reader,
                                 const char    *path,
                                 GError       **error)
{
  return check_integrity (reader->db, path, error);
}
