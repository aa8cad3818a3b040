/* minzheng SDK — helpers shared by the SDK's own sources, not installed.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>

G_BEGIN_DECLS

/* Sets @error in MZ_FIELD_ERROR to "<reason> [<rule>]" without a field
 * prefix: the validators do not know which field they check; the host adds
 * the field's name and label when it validates a record.  Returns FALSE. */
gboolean mz_sdk_error_set (GError     **error,
                           MzFieldError code,
                           const char  *rule,
                           const char  *format,
                           ...) G_GNUC_PRINTF (4, 5);

G_END_DECLS
