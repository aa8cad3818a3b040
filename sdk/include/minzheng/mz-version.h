/* minzheng SDK — version of the plugin ABI this header set describes.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined (__MINZHENG_H_INSIDE__) && !defined (MINZHENG_COMPILATION)
#error "Only <minzheng/minzheng.h> can be included directly."
#endif

/* The ABI major changes when a descriptor or MzHost member changes meaning or
 * moves; a plugin is loaded only by a host with the same major.  The minor
 * grows when members are appended; a plugin built against minor N runs on any
 * host with minor >= N. */
#define MZ_ABI_MAJOR 1
#define MZ_ABI_MINOR 1

#define MZ_SDK_VERSION "1.1.0"
