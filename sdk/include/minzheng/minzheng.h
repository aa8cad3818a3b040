/* minzheng SDK — the one header a plugin includes.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#define __MINZHENG_H_INSIDE__

#include <minzheng/mz-version.h>
#include <minzheng/mz-error.h>
#include <minzheng/mz-plugin.h>
#include <minzheng/mz-record.h>
#include <minzheng/mz-host.h>
#include <minzheng/mz-validate.h>

#undef __MINZHENG_H_INSIDE__
