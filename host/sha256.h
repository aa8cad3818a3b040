/* minzheng host — SHA-256 with the x86 SHA extensions, when the CPU has them.
 *
 * Verifying the audit log is dominated by SHA-256 (one leaf and about one
 * node hash per entry).  libsodium's SHA-256 is portable C; the SHA-NI
 * instructions found on current Intel and AMD server CPUs are several
 * times faster and give the same digests (tests/audit/test-merkle.c
 * compares the two on every length up to several blocks).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE if this CPU (x86-64 with SHA, SSSE3 and SSE4.1) can run mz_sha256_ni. */
gboolean mz_sha256_ni_available (void);
/* SHA-256 of @len bytes; only when mz_sha256_ni_available (). */
void mz_sha256_ni (const guint8 *data, gsize len, guint8 out[32]);

G_END_DECLS
