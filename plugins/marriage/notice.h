/* marriage plugin — the printable 不予办理结婚登记告知书 (notice of refusal
 * of marriage registration) a clerk hands to the applicants.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MzMarriageNotice:
 * @man_name: 男方姓名
 * @woman_name: 女方姓名
 * @applied_date: the day they applied, "YYYY-MM-DD"
 * @reason: the ground of refusal with its article, without the "[code]" part
 * @office_name: the registration office ("柳城县民政局")
 * @notice_date: the day the notice is issued, "YYYY-MM-DD"
 */
typedef struct
{
  const char *man_name;
  const char *woman_name;
  const char *applied_date;
  const char *reason;
  const char *office_name;
  const char *notice_date;
} MzMarriageNotice;

/* "2021年5月1日"; a copy of @date when it is not a date. */
char *mz_marriage_date_chinese (const char *date);

/* The notice as plain UTF-8 text ready to print. */
char *mz_marriage_notice_render (const MzMarriageNotice *notice);

G_END_DECLS
