/* minzheng plugin “placename” — 地名审批: place-name approval.
 *
 * 地名 (place name) 审批 (approval) under the 地名管理条例 (Regulations on Place Names, 2022).
 *
 * This release declares the plugin and starts it; the record kinds,
 * workflow and reports of the business line come with its own issue.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

static const char *const placename_requires[] = { NULL };

/* Says in the office's log that the business line is in service, so an
 * operator can see which modules this office runs. */
static gboolean
placename_init (MzPlugin     *self,
                const MzHost *host,
                GError      **error)
{
  host->log (self, G_LOG_LEVEL_INFO, "placename.started", "地名审批模块已启动 (place-name approval)");
  return TRUE;
}

MZ_PLUGIN_DEFINE (placename, "0.1.0", "地名审批 place-name approval",
                  "LGPL-2.1-or-later", "minzheng", placename_requires,
                  placename_init, NULL)
