/* minzheng tests and benchmarks — small helpers they all need.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @path and everything below it: the temporary offices (database,
 * WAL, keys, configuration, demo folders) that tests and benchmarks make
 * with g_dir_make_tmp.  Missing files are not an error. */
void mz_test_remove_tree (const char *path);

G_END_DECLS
