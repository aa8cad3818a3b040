/* minzheng host — the writer's VFS: SQLite's own unix VFS, except that
 * writes to the write-ahead log are gathered in memory and handed to the
 * kernel in one piece when SQLite syncs the log.
 *
 * Why.  SQLite appends a transaction's pages to the WAL as two writes per
 * page (a 24-byte frame header, then the page), so a group commit of
 * twenty actions made about a hundred pwrite calls before its fsync.  On
 * the disk of our benchmarks those calls were a fifth of the writer
 * thread's time, and the writer is the one thread every action passes
 * through.  Gathered, they are one call per 31 pages.
 *
 * Why it is safe.  Nothing is promised about a WAL frame until the log is
 * synced: a crash before the sync loses the transaction whether its bytes
 * sat in this buffer or in the kernel's page cache.  Every operation that
 * could observe the file — a read (SQLite rereads its own frames when it
 * rewrites checksums or spills the cache), its size, a truncation, a sync,
 * a close — first writes out what is gathered.  Other connections learn of
 * new frames only from the wal-index, which SQLite updates after the sync
 * (sqlite3WalFrames: write frames, sync, then walIndexAppend and the
 * header).  That order holds only when every commit syncs the log, so the
 * store uses this VFS at synchronous=FULL or EXTRA and never at NORMAL,
 * where a commit updates the wal-index without a sync.
 *
 * Deferred syncs.  The store may ask (mz_store_vfs_defer_sync) that a
 * commit's sync only hand the gathered bytes to the kernel, and fsync the
 * log itself on another thread before it answers anyone (store.c, "the
 * overlapped sync").  What is then true and what is not is written there.
 * One sync is never deferred: the one after SQLite wrote a new header for
 * a log it starts over, which must be durable before any frame follows.
 *
 * Failures.  The unix VFS's own write does the final pwrite, so a full
 * disk or a file-size limit comes back as SQLITE_FULL / SQLITE_IOERR_WRITE
 * from the sync, and SQLite fails the commit as it would have failed the
 * write.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "store-sqlite.h"

#define MZ_STORE_VFS_NAME "mz-wal-gather"
/* Beyond this much a write goes out at once (a checkpoint-sized batch
 * would otherwise hold megabytes); a commit of a few hundred pages fits. */
#define GATHER_CAPACITY (2 * 1024 * 1024)
/* The unix VFS writes at most 128 KiB - 1 bytes per call (it masks the
 * length with 0x1ffff, since SQLite's own writes are at most one page):
 * what is gathered goes out in pieces of 31 pages. */
#define GATHER_WRITE_MAX ((gsize) 31 * 4096)
/* The WAL file's header, before its first frame. */
#define WAL_HEADER_SIZE 32

typedef struct
{
  sqlite3_file base;        /* pMethods = &gather_methods */
  sqlite3_file *real;       /* the unix VFS's file, in the same allocation */
  guint8 *buf;              /* bytes for [start, start + len) of the file */
  gsize len;
  sqlite3_int64 start;
  gboolean defer_sync;      /* a sync hands the bytes to the kernel only */
  gboolean header_unsynced; /* the log's header was written since the last real sync */
  int failed;               /* a write-out that failed, until the store takes it */
  guint64 real_syncs;       /* syncs passed to the unix VFS (for tests) */
} GatherFile;

static sqlite3_vfs *real_vfs;
/* Tests only (mz_store_vfs_inject_sync_failure): what the next real sync
 * of a log returns instead of syncing. */
static gint injected_sync_failure;
static sqlite3_vfs gather_vfs;

/* Writes out what is gathered; the buffer is empty afterwards, whatever
 * the outcome.  A failure is also kept (@failed) until the store takes it
 * (mz_store_vfs_take_failure): SQLite believes those frames written, and a
 * write-out that a read or a size query triggered reports its failure to
 * a caller that may not treat it as a failed write, so the store dooms the
 * whole transaction instead. */
static int
gather_flush (GatherFile *g)
{
  int rc = SQLITE_OK;

  for (gsize done = 0; done < g->len && rc == SQLITE_OK; done += GATHER_WRITE_MAX)
    rc = g->real->pMethods->xWrite (g->real, g->buf + done, (int) MIN (g->len - done, GATHER_WRITE_MAX),
                                    g->start + (sqlite3_int64) done);
  g->len = 0;
  if (rc != SQLITE_OK && g->failed == SQLITE_OK)
    g->failed = rc;
  return rc;
}

static int
gather_close (sqlite3_file *file)
{
  GatherFile *g = (GatherFile *) file;
  int rc = gather_flush (g);
  int rc_close = g->real->pMethods->xClose (g->real);

  g_free (g->buf);
  g->buf = NULL;
  return rc != SQLITE_OK ? rc : rc_close;
}

static int
gather_read (sqlite3_file *file,
             void         *out,
             int           amount,
             sqlite3_int64 offset)
{
  GatherFile *g = (GatherFile *) file;
  int rc = gather_flush (g);

  return rc != SQLITE_OK ? rc : g->real->pMethods->xRead (g->real, out, amount, offset);
}

static int
gather_write (sqlite3_file *file,
              const void   *data,
              int           amount,
              sqlite3_int64 offset)
{
  GatherFile *g = (GatherFile *) file;
  int rc;

  /* The log's header: SQLite writes it when it starts the log over and
   * syncs it before the first frame (see gather_sync). */
  if (offset < WAL_HEADER_SIZE)
    g->header_unsynced = TRUE;
  /* Within what is gathered (SQLite rewriting a frame of the same
   * transaction): in place. */
  if (g->len > 0 && offset >= g->start && offset + amount <= g->start + (sqlite3_int64) g->len)
    {
      memcpy (g->buf + (offset - g->start), data, (gsize) amount);
      return SQLITE_OK;
    }
  /* Right after it, with room: appended. */
  if (g->len > 0 && offset == g->start + (sqlite3_int64) g->len && g->len + (gsize) amount <= GATHER_CAPACITY)
    {
      memcpy (g->buf + g->len, data, (gsize) amount);
      g->len += (gsize) amount;
      return SQLITE_OK;
    }
  /* Anywhere else: what is gathered goes out first, in order. */
  rc = gather_flush (g);
  if (rc != SQLITE_OK)
    return rc;
  if ((gsize) amount > GATHER_WRITE_MAX)
    return g->real->pMethods->xWrite (g->real, data, amount, offset);
  if (g->buf == NULL)
    g->buf = g_malloc (GATHER_CAPACITY);
  memcpy (g->buf, data, (gsize) amount);
  g->start = offset;
  g->len = (gsize) amount;
  return SQLITE_OK;
}

static int
gather_truncate (sqlite3_file *file,
                 sqlite3_int64 size)
{
  GatherFile *g = (GatherFile *) file;
  int rc = gather_flush (g);

  return rc != SQLITE_OK ? rc : g->real->pMethods->xTruncate (g->real, size);
}

static int
gather_sync (sqlite3_file *file,
             int           flags)
{
  GatherFile *g = (GatherFile *) file;
  int rc = gather_flush (g);

  /* A deferred sync never covers a new header: SQLite syncs the header of
   * a restarted log before any frame follows it, so that a power cut
   * cannot leave the old header over a mix of old and new frames (SQLite's
   * ticket ff5be73dee); that sync stays real. */
  if (rc != SQLITE_OK || (g->defer_sync && !g->header_unsynced))
    return rc;
  rc = g_atomic_int_exchange (&injected_sync_failure, SQLITE_OK);
  if (rc == SQLITE_OK)
    rc = g->real->pMethods->xSync (g->real, flags);
  g->real_syncs++;
  if (rc == SQLITE_OK)
    g->header_unsynced = FALSE;
  return rc;
}

static int
gather_file_size (sqlite3_file  *file,
                  sqlite3_int64 *size)
{
  GatherFile *g = (GatherFile *) file;
  int rc = gather_flush (g);

  return rc != SQLITE_OK ? rc : g->real->pMethods->xFileSize (g->real, size);
}

static int
gather_lock (sqlite3_file *file,
             int           level)
{
  GatherFile *g = (GatherFile *) file;

  return g->real->pMethods->xLock (g->real, level);
}

static int
gather_unlock (sqlite3_file *file,
               int           level)
{
  GatherFile *g = (GatherFile *) file;

  return g->real->pMethods->xUnlock (g->real, level);
}

static int
gather_check_reserved_lock (sqlite3_file *file,
                            int          *out)
{
  GatherFile *g = (GatherFile *) file;

  return g->real->pMethods->xCheckReservedLock (g->real, out);
}

static int
gather_file_control (sqlite3_file *file,
                     int           op,
                     void         *arg)
{
  GatherFile *g = (GatherFile *) file;
  int rc = gather_flush (g);

  return rc != SQLITE_OK ? rc : g->real->pMethods->xFileControl (g->real, op, arg);
}

static int
gather_sector_size (sqlite3_file *file)
{
  GatherFile *g = (GatherFile *) file;

  return g->real->pMethods->xSectorSize (g->real);
}

static int
gather_device_characteristics (sqlite3_file *file)
{
  GatherFile *g = (GatherFile *) file;

  return g->real->pMethods->xDeviceCharacteristics (g->real);
}

/* Version 1: a log file has no shared memory and is never memory-mapped. */
static const sqlite3_io_methods gather_methods = {
  .iVersion = 1,
  .xClose = gather_close,
  .xRead = gather_read,
  .xWrite = gather_write,
  .xTruncate = gather_truncate,
  .xSync = gather_sync,
  .xFileSize = gather_file_size,
  .xLock = gather_lock,
  .xUnlock = gather_unlock,
  .xCheckReservedLock = gather_check_reserved_lock,
  .xFileControl = gather_file_control,
  .xSectorSize = gather_sector_size,
  .xDeviceCharacteristics = gather_device_characteristics,
};

/* The database file and everything but the log are the unix VFS's own
 * files, opened straight into @file (our szOsFile leaves room for them). */
static int
gather_open (sqlite3_vfs  *vfs,
             const char   *name,
             sqlite3_file *file,
             int           flags,
             int          *out_flags)
{
  GatherFile *g = (GatherFile *) file;
  int rc;

  if ((flags & SQLITE_OPEN_WAL) == 0)
    return real_vfs->xOpen (real_vfs, name, file, flags, out_flags);

  memset (g, 0, sizeof *g);
  g->real = (sqlite3_file *) (g + 1);
  rc = real_vfs->xOpen (real_vfs, name, g->real, flags, out_flags);
  if (rc != SQLITE_OK)
    {
      /* SQLite calls xClose only on a file whose pMethods is set. */
      g->base.pMethods = NULL;
      return rc;
    }
  g->base.pMethods = &gather_methods;
  return SQLITE_OK;
}

static int
gather_delete (sqlite3_vfs *vfs, const char *name, int sync_dir)
{
  return real_vfs->xDelete (real_vfs, name, sync_dir);
}

static int
gather_access (sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
  return real_vfs->xAccess (real_vfs, name, flags, out);
}

static int
gather_full_pathname (sqlite3_vfs *vfs, const char *name, int n_out, char *out)
{
  return real_vfs->xFullPathname (real_vfs, name, n_out, out);
}

static void *
gather_dl_open (sqlite3_vfs *vfs, const char *name)
{
  return real_vfs->xDlOpen (real_vfs, name);
}

static void
gather_dl_error (sqlite3_vfs *vfs, int n, char *out)
{
  real_vfs->xDlError (real_vfs, n, out);
}

static void (*gather_dl_sym (sqlite3_vfs *vfs, void *handle, const char *symbol)) (void)
{
  return real_vfs->xDlSym (real_vfs, handle, symbol);
}

static void
gather_dl_close (sqlite3_vfs *vfs, void *handle)
{
  real_vfs->xDlClose (real_vfs, handle);
}

static int
gather_randomness (sqlite3_vfs *vfs, int n, char *out)
{
  return real_vfs->xRandomness (real_vfs, n, out);
}

static int
gather_sleep (sqlite3_vfs *vfs, int microseconds)
{
  return real_vfs->xSleep (real_vfs, microseconds);
}

static int
gather_current_time (sqlite3_vfs *vfs, double *out)
{
  return real_vfs->xCurrentTime (real_vfs, out);
}

static int
gather_get_last_error (sqlite3_vfs *vfs, int n, char *out)
{
  return real_vfs->xGetLastError (real_vfs, n, out);
}

static int
gather_current_time_int64 (sqlite3_vfs *vfs, sqlite3_int64 *out)
{
  return real_vfs->xCurrentTimeInt64 (real_vfs, out);
}

static gpointer
register_vfs (gpointer unused)
{
  real_vfs = sqlite3_vfs_find (NULL);
  if (real_vfs == NULL || real_vfs->iVersion < 2)
    return NULL;
  gather_vfs = (sqlite3_vfs) {
    .iVersion = 2,
    .szOsFile = (int) sizeof (GatherFile) + real_vfs->szOsFile,
    .mxPathname = real_vfs->mxPathname,
    .zName = MZ_STORE_VFS_NAME,
    .xOpen = gather_open,
    .xDelete = gather_delete,
    .xAccess = gather_access,
    .xFullPathname = gather_full_pathname,
    .xDlOpen = gather_dl_open,
    .xDlError = gather_dl_error,
    .xDlSym = gather_dl_sym,
    .xDlClose = gather_dl_close,
    .xRandomness = gather_randomness,
    .xSleep = gather_sleep,
    .xCurrentTime = gather_current_time,
    .xGetLastError = gather_get_last_error,
    .xCurrentTimeInt64 = gather_current_time_int64,
  };
  if (sqlite3_vfs_register (&gather_vfs, 0) != SQLITE_OK)
    return NULL;
  return (gpointer) MZ_STORE_VFS_NAME;
}

gboolean
mz_store_vfs_defer_sync (sqlite3_file *wal,
                         gboolean      defer)
{
  if (wal == NULL || wal->pMethods != &gather_methods)
    return FALSE;
  ((GatherFile *) wal)->defer_sync = defer;
  return TRUE;
}

void
mz_store_vfs_inject_sync_failure (int rc)
{
  g_atomic_int_set (&injected_sync_failure, rc);
}

guint64
mz_store_vfs_real_syncs (sqlite3_file *wal)
{
  if (wal == NULL || wal->pMethods != &gather_methods)
    return 0;
  return ((GatherFile *) wal)->real_syncs;
}

int
mz_store_vfs_take_failure (sqlite3_file *wal)
{
  GatherFile *g = (GatherFile *) wal;
  int rc;

  if (wal == NULL || wal->pMethods != &gather_methods)
    return SQLITE_OK;
  rc = g->failed;
  g->failed = SQLITE_OK;
  return rc;
}

const char *
mz_store_vfs_wal_gather (void)
{
  static GOnce once = G_ONCE_INIT;

  return g_once (&once, register_vfs, NULL);
}
