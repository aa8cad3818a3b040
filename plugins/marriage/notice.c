/* marriage plugin — the printable 不予办理结婚登记告知书.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "notice.h"

#include <minzheng/minzheng.h>

char *
mz_marriage_date_chinese (const char *date)
{
  GDate parsed;

  g_return_val_if_fail (date != NULL, NULL);

  if (!mz_date_parse (date, &parsed))
    return g_strdup (date);
  return g_strdup_printf ("%d年%d月%d日", g_date_get_year (&parsed),
                          g_date_get_month (&parsed), g_date_get_day (&parsed));
}

/* The wording follows the notices offices issue under 《婚姻登记工作规范》:
 * who applied and when, the ground with its article, and the remedies
 * (行政复议 within 60 days, 行政诉讼 within 6 months) a refusal carries as
 * an administrative act. */
char *
mz_marriage_notice_render (const MzMarriageNotice *notice)
{
  g_autofree char *applied = NULL;
  g_autofree char *issued = NULL;

  g_return_val_if_fail (notice != NULL, NULL);
  g_return_val_if_fail (notice->man_name != NULL && notice->woman_name != NULL, NULL);
  g_return_val_if_fail (notice->applied_date != NULL && notice->notice_date != NULL, NULL);
  g_return_val_if_fail (notice->reason != NULL && notice->office_name != NULL, NULL);

  applied = mz_marriage_date_chinese (notice->applied_date);
  issued = mz_marriage_date_chinese (notice->notice_date);
  return g_strdup_printf ("不予办理结婚登记告知书\n"
                          "\n"
                          "%s、%s：\n"
                          "    你们于%s向本机关申请办理结婚登记。经审查，%s。"
                          "依照《中华人民共和国民法典》和《婚姻登记条例》的规定，本机关不予办理结婚登记。\n"
                          "    如对本决定不服，可以自收到本告知书之日起六十日内依法申请行政复议，"
                          "或者自收到本告知书之日起六个月内依法提起行政诉讼。\n"
                          "\n"
                          "%s（婚姻登记专用章）\n"
                          "%s\n",
                          notice->man_name, notice->woman_name, applied, notice->reason,
                          notice->office_name, issued);
}
