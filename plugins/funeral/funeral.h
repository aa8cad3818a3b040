/* minzheng funeral plugin — what plugin.c and report.c share.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>

#include "rules.h"

G_BEGIN_DECLS

/* The host handle and table this plugin was given at init, and the
 * office's rule set read from the configuration then. */
typedef struct
{
  MzPlugin *self;
  const MzHost *host;
  FuneralRules *rules;
} FuneralPlugin;

/* Builds the 殡葬减免 report section; @user_data is the FuneralPlugin. */
gboolean funeral_report_build (MzReport   *report,
                               const char *from,
                               const char *to,
                               gpointer    user_data,
                               GError    **error);

G_END_DECLS
