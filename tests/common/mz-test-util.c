/* minzheng tests and benchmarks — small helpers they all need.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-test-util.h"

#include <glib/gstdio.h>

/* A symbolic link is removed, never followed: tests link to fixture
 * directories they must not empty. */
void
mz_test_remove_tree (const char *path)
{
  g_autoptr (GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK)
      || (dir = g_dir_open (path, 0, NULL)) == NULL)
    {
      g_remove (path);
      return;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      mz_test_remove_tree (child);
    }
  g_rmdir (path);
}
