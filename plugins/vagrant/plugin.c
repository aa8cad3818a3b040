/* minzheng plugin “vagrant” — 流浪乞讨救助: relief for vagrants and beggars.
 *
 * 流浪乞讨人员 (vagrants and beggars) 救助 (relief) under the 城市生活无着的流浪乞讨人员救助管理办法 (2003).
 *
 * This release declares the plugin and starts it; the record kinds,
 * workflow and reports of the business line come with its own issue.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

static const char *const vagrant_requires[] = { NULL };

/* Says in the office's log that the business line is in service, so an
 * operator can see which modules this office runs. */
static gboolean
vagrant_init (MzPlugin     *self,
              const MzHost *host,
              GError      **error)
{
  host->log (self, G_LOG_LEVEL_INFO, "vagrant.started", "流浪乞讨救助模块已启动 (relief for vagrants and beggars)");
  return TRUE;
}

MZ_PLUGIN_DEFINE (vagrant, "0.1.0", "流浪乞讨救助 relief for vagrants and beggars",
                  "LGPL-2.1-or-later", "minzheng", vagrant_requires,
                  vagrant_init, NULL)
