/* example — the smallest complete minzheng plugin, kept as a template for
 * plugins built outside this tree.  It is compiled by tests/sdk-external
 * exactly as an outside author would, against an installed SDK only:
 *
 *     cc -shared -fPIC -fvisibility=hidden -Wl,--no-undefined -o example.so \
 *        example.c $(pkg-config --cflags --libs minzheng-sdk)
 *
 * The file name (example.so) must equal the name given to MZ_PLUGIN_DEFINE.
 * -fvisibility=hidden keeps every symbol but the entry function private;
 * MZ_PLUGIN_DEFINE marks that one for export itself.  This plugin holds
 * nothing to release, so it passes NULL for shutdown.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

/* A plugin refuses to start when its configuration cannot work; here the
 * office code must be a real division code, checked with the SDK's own
 * validator so that the message follows the house convention. */
static gboolean
example_init (MzPlugin *self, const MzHost *host, GError **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *reason = NULL;

  if (!mz_division_code_check (host->office_id (self), &local))
    {
      reason = mz_error_reason (local);
      return mz_rule_refuse (error, "example.office_id", "本单位行政区划代码不可用：%s", reason);
    }
  host->log (self, G_LOG_LEVEL_INFO, "example.started", "示例插件已启动");
  return TRUE;
}

static const char *const example_requires[] = { NULL };

MZ_PLUGIN_DEFINE (example, "1.0.0", "示例插件 example plugin for outside authors",
                  "LGPL-2.1-or-later", "minzheng", example_requires,
                  example_init, NULL)
