/* What the loader, minzhengd and mzctl tests share: a temporary office
 * with a configuration written to disk.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include "mz-test-util.h"

typedef struct
{
  char *dir;     /* temporary directory, removed by office_free */
  char *config;  /* dir/minzheng.conf */
  char *log;     /* $MZ_FIXTURE_LOG, where fixtures record init and shutdown */
} TestOffice;

/* Writes a configuration for office 450222 with the given [plugins] keys
 * (@required may be NULL) and its store in the temporary directory. */
static inline TestOffice *
office_new (const char *path,
            const char *enabled,
            const char *required)
{
  TestOffice *office = g_new0 (TestOffice, 1);
  g_autofree char *text = NULL;
  GError *error = NULL;

  office->dir = g_dir_make_tmp ("mz-loader-XXXXXX", &error);
  g_assert_no_error (error);
  office->config = g_build_filename (office->dir, "minzheng.conf", NULL);
  /* Fixtures record into $MZ_FIXTURE_LOG, which test_fixture_log_init set
   * once before any thread existed; each office starts it empty. */
  office->log = g_strdup (g_getenv ("MZ_FIXTURE_LOG"));
  g_assert_nonnull (office->log);
  g_file_set_contents (office->log, "", 0, &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("[office]\n"
                          "id = 450222\n"
                          "name = 柳城县民政局\n"
                          "\n[plugins]\n"
                          "path = %s\n"
                          "enabled = %s\n"
                          "%s%s%s"
                          "\n[store]\n"
                          "path = office.db\n",
                          path, enabled,
                          required != NULL ? "required = " : "",
                          required != NULL ? required : "",
                          required != NULL ? "\n" : "");
  g_file_set_contents (office->config, text, -1, &error);
  g_assert_no_error (error);
  return office;
}

/* Call first in main(): environment changes are not safe once the store's
 * threads run.  Returns the file to remove at the end, or NULL. */
static inline char *
test_fixture_log_init (void)
{
  char *path;
  int fd;

  /* A g_test_trap_subprocess child uses its parent's file. */
  if (g_getenv ("MZ_FIXTURE_LOG") != NULL)
    return NULL;
  path = g_build_filename (g_get_tmp_dir (), "mz-fixture-XXXXXX.log", NULL);
  fd = g_mkstemp (path);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_setenv ("MZ_FIXTURE_LOG", path, TRUE);
  return path;
}

static inline void
office_free (TestOffice *office)
{
  mz_test_remove_tree (office->dir);
  g_free (office->dir);
  g_free (office->config);
  g_free (office->log);
  g_free (office);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestOffice, office_free)
