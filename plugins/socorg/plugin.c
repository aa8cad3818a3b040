/* minzheng plugin “socorg” — 社会组织年检: social organisation annual inspection.
 *
 * 社会组织 (social organisation: 社会团体, 民办非企业单位/社会服务机构, 基金会); 年检 = annual inspection.
 *
 * This release declares the plugin and starts it; the record kinds,
 * workflow and reports of the business line come with its own issue.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

static const char *const socorg_requires[] = { NULL };

/* Says in the office's log that the business line is in service, so an
 * operator can see which modules this office runs. */
static gboolean
socorg_init (MzPlugin     *self,
             const MzHost *host,
             GError      **error)
{
  host->log (self, G_LOG_LEVEL_INFO, "socorg.started", "社会组织年检模块已启动 (social organisation annual inspection)");
  return TRUE;
}

MZ_PLUGIN_DEFINE (socorg, "0.1.0", "社会组织年检 social organisation annual inspection",
                  "LGPL-2.1-or-later", "minzheng", socorg_requires,
                  socorg_init, NULL)
