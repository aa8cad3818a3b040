/* bench/startup — how long minzhengd takes from exec to "ready", and its
 * peak memory, with all five business-line plugins and with none.
 *
 *   bench-startup [RUNS] [--minzhengd PATH] [--plugin-dir DIR]
 *
 * Each configuration is started once to create its store (not counted),
 * then RUNS times (default 20).  A run is timed from just before fork() to
 * the moment the "ready" line arrives on the daemon's standard output; the
 * daemon is then stopped with SIGTERM and its peak RSS read from wait4().
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include "mz-test-util.h"

static const char *const five[] = { "marriage", "funeral", "socorg", "placename", "vagrant", NULL };

typedef struct
{
  double ms;
  double rss_mb;
} Sample;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6;
}

/* One start: fork, exec, wait for "ready", SIGTERM, reap.  Exits the
 * benchmark if the daemon does not get ready or does not stop cleanly,
 * since a figure for a failed start would be meaningless. */
static Sample
start_once (const char *minzhengd,
            const char *config)
{
  int out[2];
  int devnull;
  pid_t pid;
  double t0;
  double t1 = 0;
  char buffer[4096];
  GString *seen = g_string_new (NULL);
  struct rusage usage;
  int status;
  Sample sample;

  if (pipe2 (out, O_CLOEXEC) != 0)
    g_error ("pipe: %s", g_strerror (errno));
  t0 = now_ms ();
  pid = fork ();
  if (pid == 0)
    {
      devnull = open ("/dev/null", O_WRONLY);
      dup2 (out[1], STDOUT_FILENO);
      dup2 (devnull, STDERR_FILENO);
      execl (minzhengd, minzhengd, "--config", config, (char *) NULL);
      _exit (127);
    }
  close (out[1]);
  for (;;)
    {
      gssize n = read (out[0], buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      g_string_append_len (seen, buffer, n);
      if (strstr (seen->str, "ready") != NULL && strchr (seen->str, '\n') != NULL)
        {
          t1 = now_ms ();
          break;
        }
    }
  kill (pid, SIGTERM);
  close (out[0]);
  while (wait4 (pid, &status, 0, &usage) < 0 && errno == EINTR)
    ;
  if (t1 == 0 || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    {
      fprintf (stderr, "bench-startup: %s --config %s did not start and stop cleanly "
               "(wait status %d); its output: %s\n", minzhengd, config, status, seen->str);
      exit (1);
    }
  g_string_free (seen, TRUE);
  sample.ms = t1 - t0;
  sample.rss_mb = (double) usage.ru_maxrss / 1024.0;
  return sample;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The value at @q (0..1) of @n sorted values, nearest rank. */
static double
quantile (double *values,
          guint   n,
          double  q)
{
  guint rank;

  qsort (values, n, sizeof (double), compare_double);
  rank = (guint) (q * (double) n + 0.999999);
  return values[CLAMP (rank, 1, n) - 1];
}

typedef struct
{
  double median_ms;
  double p95_ms;
  double median_mb;
  double max_mb;
} Figures;

static Figures
measure (const char *minzhengd,
         const char *config,
         guint       runs)
{
  g_autofree double *ms = g_new (double, runs);
  g_autofree double *mb = g_new (double, runs);
  Figures f;

  start_once (minzhengd, config);
  for (guint i = 0; i < runs; i++)
    {
      Sample s = start_once (minzhengd, config);

      ms[i] = s.ms;
      mb[i] = s.rss_mb;
    }
  f.median_ms = quantile (ms, runs, 0.5);
  f.p95_ms = quantile (ms, runs, 0.95);
  f.median_mb = quantile (mb, runs, 0.5);
  f.max_mb = quantile (mb, runs, 1.0);
  return f;
}

static char *
write_config (const char *dir,
              const char *name,
              const char *plugin_dir,
              const char *enabled)
{
  g_autofree char *file = g_strconcat (name, ".conf", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = g_strdup_printf ("[office]\nid = 450222\nname = 柳城县民政局\n"
                                           "[plugins]\npath = %s\nenabled = %s\n"
                                           "[store]\npath = %s.db\n"
                                           "[log]\ntarget = stderr\n",
                                           plugin_dir, enabled, name);
  GError *error = NULL;

  if (!g_file_set_contents (path, text, -1, &error))
    g_error ("%s", error->message);
  return path;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *minzhengd = g_strdup (MZ_MINZHENGD);
  g_autofree char *plugin_dir = g_strdup (MZ_PLUGIN_BUILD_DIR);
  const GOptionEntry entries[] = {
    { "minzhengd", 0, 0, G_OPTION_ARG_FILENAME, &minzhengd, "The daemon to start", "PATH" },
    { "plugin-dir", 0, 0, G_OPTION_ARG_FILENAME, &plugin_dir,
      "Where the five plugins are (<dir>/<name>.so or <dir>/<name>/<name>.so)", "DIR" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[RUNS]");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *all = g_strjoinv ("; ", (char **) five);
  g_autofree char *config_five = NULL;
  g_autofree char *config_none = NULL;
  guint64 runs = 20;
  Figures none;
  Figures with_five;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || (argc > 1 && !g_ascii_string_to_unsigned (argv[1], 10, 1, 100000, &runs, &error)))
    {
      fprintf (stderr, "bench-startup: %s\n", error->message);
      return 2;
    }

  dir = g_dir_make_tmp ("mz-bench-startup-XXXXXX", &error);
  if (dir == NULL)
    {
      fprintf (stderr, "bench-startup: %s\n", error->message);
      return 1;
    }
  config_five = write_config (dir, "five", plugin_dir, all);
  config_none = write_config (dir, "none", plugin_dir, "");

  none = measure (minzhengd, config_none, (guint) runs);
  with_five = measure (minzhengd, config_five, (guint) runs);
  mz_test_remove_tree (dir);

  printf ("bench/startup: minzhengd exec → \"ready\" on stdout, %u runs each "
          "(after one uncounted run that creates the store)\n\n", (guint) runs);
  printf ("%-22s %10s %10s %15s %12s\n", "", "median ms", "p95 ms", "median RSS MB", "max RSS MB");
  printf ("%-22s %10.1f %10.1f %15.1f %12.1f\n", "no plugins (baseline)",
          none.median_ms, none.p95_ms, none.median_mb, none.max_mb);
  printf ("%-22s %10.1f %10.1f %15.1f %12.1f\n", "five plugins",
          with_five.median_ms, with_five.p95_ms, with_five.median_mb, with_five.max_mb);
  printf ("%-22s %9.2fx %10s %14.2fx\n\n", "ratio five / none",
          with_five.median_ms / none.median_ms, "",
          with_five.median_mb / none.median_mb);
  printf ("targets: ready < 50 ms with five plugins (p95 %.1f ms): %s; "
          "peak RSS < 20 MB (max %.1f MB): %s\n",
          with_five.p95_ms, with_five.p95_ms < 50.0 ? "met" : "NOT met",
          with_five.max_mb, with_five.max_mb < 20.0 ? "met" : "NOT met");
  return 0;
}
