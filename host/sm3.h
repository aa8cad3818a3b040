/* minzheng host — SM3 (GB/T 32905-2016), the Chinese national hash, as the
 * audit log's second hash algorithm: offices whose assessors require
 * 商用密码 algorithms create their log with it.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MZ_SM3_DIGEST_SIZE 32

/* SM3 of @len bytes of @data. */
void mz_sm3 (const guint8 *data, gsize len, guint8 out[MZ_SM3_DIGEST_SIZE]);

G_END_DECLS
