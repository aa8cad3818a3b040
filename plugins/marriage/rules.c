/* marriage plugin — business rules of 婚姻登记 as pure functions.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

const char *
mz_marriage_side_label (MzMarriageSide side)
{
  return side == MZ_MARRIAGE_SIDE_MAN ? "男方" : "女方";
}

/* The host has already validated the number; parsing again gives the sex
 * and birth date, and turns a number that slipped through (a unit test, a
 * future host) into a field error rather than a crash. */
static gboolean
party_parse_id (const MzMarriageParty *party,
                MzMarriageSide         side,
                const char            *on,
                MzIdNumber            *id,
                GError               **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *rule = NULL;
  g_autofree char *reason = NULL;
  const char *field = side == MZ_MARRIAGE_SIDE_MAN ? "man_id_number" : "woman_id_number";
  const char *label = side == MZ_MARRIAGE_SIDE_MAN ? "男方身份证号码" : "女方身份证号码";

  if (party->id_number == NULL || *party->id_number == '\0')
    return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, field, label,
                               "required", "必须填写");

  if (mz_id_number_parse (party->id_number, on, FALSE, id, &local))
    return TRUE;

  rule = mz_error_code_name (local);
  /* The SDK's reason for a birth date after @on quotes the birth date. */
  if (g_strcmp0 (rule, "id_number.birth_date") == 0)
    return mz_field_error_set (error, local->code, field, label, rule,
                               "身份证号码所示出生日期无效或晚于登记日期 %s，请核对身份证件", on);
  reason = mz_error_reason (local);
  return mz_field_error_set (error, local->domain == MZ_FIELD_ERROR ? local->code
                                                                    : MZ_FIELD_ERROR_FORMAT,
                             field, label, rule != NULL ? rule : "id_number.format",
                             "%s", reason);
}

gboolean
mz_marriage_party_check (const MzMarriageParty *party,
                         MzMarriageSide         side,
                         const char            *on,
                         GError               **error)
{
  MzIdNumber id;
  const char *who = mz_marriage_side_label (side);
  MzSex expected = side == MZ_MARRIAGE_SIDE_MAN ? MZ_SEX_MALE : MZ_SEX_FEMALE;
  const char *id_sex;
  gint min_age = side == MZ_MARRIAGE_SIDE_MAN ? MZ_MARRIAGE_MIN_AGE_MAN
                                              : MZ_MARRIAGE_MIN_AGE_WOMAN;
  gint age;

  g_return_val_if_fail (party != NULL, FALSE);
  g_return_val_if_fail (on != NULL, FALSE);

  if (!party_parse_id (party, side, on, &id, error))
    return FALSE;
  id_sex = id.sex == MZ_SEX_MALE ? "male" : "female";

  if (id.sex != expected)
    return mz_rule_refuse (error, "marriage.not_man_and_woman",
                           "%s身份证号码所示性别为%s，结婚须为男女双方（《民法典》第一千零四十六条、第一千零四十九条）",
                           who, id.sex == MZ_SEX_MALE ? "男" : "女");

  if (party->sex != NULL && *party->sex != '\0' && strcmp (party->sex, id_sex) != 0)
    return mz_rule_refuse (error, "marriage.sex_mismatch",
                           "%s填写的性别与身份证号码所示性别（%s）不一致，请核对身份证件",
                           who, id.sex == MZ_SEX_MALE ? "男" : "女");

  if (party->birth_date != NULL && *party->birth_date != '\0'
      && strcmp (party->birth_date, id.birth) != 0)
    return mz_rule_refuse (error, "marriage.birth_mismatch",
                           "%s填写的出生日期与身份证号码所示出生日期不一致，请核对身份证件", who);

  age = mz_date_age_on (id.birth, on);
  if (age < 0)
    return mz_rule_refuse (error, "marriage.bad_date",
                           "%s身份证号码所示出生日期晚于登记日期 %s，请核对", who, on);
  if (age < min_age)
    return mz_rule_refuse (error, "marriage.under_age",
                           "%s至登记日 %s 未满%s周岁，不符合法定婚龄（《民法典》第一千零四十七条）",
                           who, on, side == MZ_MARRIAGE_SIDE_MAN ? "二十二" : "二十");
  return TRUE;
}

/* Both numbers valid, the man's a woman's and the woman's a man's: the
 * clerk entered the parties in each other's place, which is not the
 * ground of 民法典第一千零四十六条 and should not be reported as one. */
static gboolean
sides_swapped (const MzMarriageApplication *application)
{
  MzIdNumber man;
  MzIdNumber woman;

  if (application->man.id_number == NULL || application->woman.id_number == NULL)
    return FALSE;
  return mz_id_number_parse (application->man.id_number, application->date, FALSE, &man, NULL)
         && mz_id_number_parse (application->woman.id_number, application->date, FALSE, &woman,
                                NULL)
         && man.sex == MZ_SEX_FEMALE && woman.sex == MZ_SEX_MALE;
}

gboolean
mz_marriage_application_check (const MzMarriageApplication *application,
                               GError                     **error)
{
  g_return_val_if_fail (application != NULL, FALSE);

  if (application->date == NULL || !mz_date_parse (application->date, &(GDate) { 0 }))
    return mz_rule_refuse (error, "marriage.bad_date", "登记日期无效");

  if (sides_swapped (application))
    return mz_rule_refuse (error, "marriage.sides_swapped",
                           "男方栏身份证号码所示性别为女，女方栏身份证号码所示性别为男："
                           "男女双方信息填反，请将双方信息对调后重新提交");

  if (!mz_marriage_party_check (&application->man, MZ_MARRIAGE_SIDE_MAN,
                                application->date, error)
      || !mz_marriage_party_check (&application->woman, MZ_MARRIAGE_SIDE_WOMAN,
                                   application->date, error))
    return FALSE;

  if (application->historical)
    return TRUE;

  if (!application->declaration_signed)
    return mz_rule_refuse (error, "marriage.declaration_missing",
                           "当事人未签署本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的声明"
                           "（《婚姻登记条例》；《民法典》第一千零四十二条、第一千零四十八条）");

  if (!application->man.present || !application->woman.present)
    return mz_rule_refuse (error, "marriage.not_present",
                           "%s未亲自到场，结婚登记须男女双方亲自到婚姻登记机关申请（《民法典》第一千零四十九条）",
                           !application->man.present && !application->woman.present
                             ? "男女双方"
                             : mz_marriage_side_label (application->man.present
                                                         ? MZ_MARRIAGE_SIDE_WOMAN
                                                         : MZ_MARRIAGE_SIDE_MAN));

  if (!application->man.voluntary || !application->woman.voluntary)
    return mz_rule_refuse (error, "marriage.not_voluntary",
                           "%s未当面确认本人自愿结婚；结婚应当男女双方完全自愿，禁止任何一方对另一方加以强迫"
                           "（《民法典》第一千零四十六条）",
                           !application->man.voluntary && !application->woman.voluntary
                             ? "男女双方"
                             : mz_marriage_side_label (application->man.voluntary
                                                         ? MZ_MARRIAGE_SIDE_WOMAN
                                                         : MZ_MARRIAGE_SIDE_MAN));

  if (application->prohibited_kinship)
    return mz_rule_refuse (error, "marriage.prohibited_kinship",
                           "经审查，男女双方为直系血亲或者三代以内的旁系血亲，禁止结婚（《民法典》第一千零四十八条）");
  return TRUE;
}

gboolean
mz_marriage_spouse_check (MzMarriageSide side,
                          const char    *existing_certificate,
                          GError       **error)
{
  if (existing_certificate == NULL)
    return TRUE;
  return mz_rule_refuse (error, "marriage.already_married",
                         "%s在本机关有尚未解除的婚姻登记（结婚证字号 %s），不得重婚（《民法典》第一千零四十二条）",
                         mz_marriage_side_label (side), existing_certificate);
}

gboolean
mz_marriage_divorce_application_check (const MzMarriageDivorceApplication *application,
                                       GError                            **error)
{
  g_return_val_if_fail (application != NULL, FALSE);

  if (!application->linked && !application->registered_in_mainland)
    return mz_rule_refuse (error, "marriage.not_mainland",
                           "结婚登记不是在中国内地办理的（或未确认），婚姻登记机关不予受理协议离婚（《婚姻登记条例》）");
  if (!application->agreement_present)
    return mz_rule_refuse (error, "marriage.no_agreement",
                           "双方未签订书面离婚协议，不予受理离婚登记（《民法典》第一千零七十六条）");
  if (!application->man_capacity || !application->woman_capacity)
    return mz_rule_refuse (error, "marriage.no_capacity",
                           "%s不具有完全民事行为能力，不予受理协议离婚，可通过诉讼离婚（《婚姻登记条例》）",
                           !application->man_capacity && !application->woman_capacity
                             ? "男女双方"
                             : (application->man_capacity ? "女方" : "男方"));
  if (!application->man_present || !application->woman_present)
    return mz_rule_refuse (error, "marriage.not_present",
                           "%s未亲自到场，离婚登记须双方亲自到婚姻登记机关办理（《民法典》第一千零七十六条）",
                           !application->man_present && !application->woman_present
                             ? "男女双方"
                             : (application->man_present ? "女方" : "男方"));
  return TRUE;
}

gint
mz_marriage_divorce_day (const char *accepted, const char *on)
{
  g_return_val_if_fail (accepted != NULL, G_MININT);
  g_return_val_if_fail (on != NULL, G_MININT);

  return mz_date_diff_days (accepted, on);
}

/* Days are counted as 民法典第二百零一条 counts them: the day of acceptance
 * is not counted, so day 30 is the last day of the cooling-off. */
static gboolean
divorce_day_get (const char *accepted, const char *on, gint *day, GError **error)
{
  *day = mz_marriage_divorce_day (accepted, on);
  if (*day == G_MININT)
    return mz_rule_refuse (error, "marriage.bad_date", "受理日期或办理日期无效");
  if (*day < 0)
    return mz_rule_refuse (error, "marriage.bad_date",
                           "办理日期 %s 早于受理日期 %s", on, accepted);
  return TRUE;
}

gboolean
mz_marriage_divorce_register_check (const char *accepted,
                                    const char *on,
                                    GError    **error)
{
  gint day;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (!divorce_day_get (accepted, on, &day, error))
    return FALSE;

  first = mz_date_add_days (accepted, MZ_MARRIAGE_COOLING_OFF_DAYS + 1);
  last = mz_date_add_days (accepted, MZ_MARRIAGE_COOLING_OFF_DAYS + MZ_MARRIAGE_COLLECTION_DAYS);
  if (day <= MZ_MARRIAGE_COOLING_OFF_DAYS)
    return mz_rule_refuse (error, "marriage.cooling_off",
                           "离婚冷静期未满（%s 受理，今日为第 %d 日），%s 起方可申请发给离婚证（《民法典》第一千零七十七条）",
                           accepted, day, first);
  if (day > MZ_MARRIAGE_COOLING_OFF_DAYS + MZ_MARRIAGE_COLLECTION_DAYS)
    return mz_rule_refuse (error, "marriage.window_lapsed",
                           "冷静期届满后三十日内（至 %s）未申请发给离婚证，离婚登记申请视为撤回（《民法典》第一千零七十七条）",
                           last);
  return TRUE;
}

gboolean
mz_marriage_divorce_withdraw_check (const char *accepted,
                                    const char *on,
                                    GError    **error)
{
  gint day;

  if (!divorce_day_get (accepted, on, &day, error))
    return FALSE;
  if (day > MZ_MARRIAGE_COOLING_OFF_DAYS)
    return mz_rule_refuse (error, "marriage.withdraw_closed",
                           "撤回离婚登记申请须在受理之日起三十日内提出（%s 受理，今日为第 %d 日）；"
                           "期满后双方未申请发给离婚证的，视为撤回（《民法典》第一千零七十七条）",
                           accepted, day);
  return TRUE;
}

gboolean
mz_marriage_divorce_lapse_check (const char *accepted,
                                 const char *on,
                                 GError    **error)
{
  gint day;

  if (!divorce_day_get (accepted, on, &day, error))
    return FALSE;
  if (day <= MZ_MARRIAGE_COOLING_OFF_DAYS + MZ_MARRIAGE_COLLECTION_DAYS)
    return mz_rule_refuse (error, "marriage.not_lapsed",
                           "申请发给离婚证的期限尚未届满（今日为第 %d 日，期限至第 %d 日）",
                           day, MZ_MARRIAGE_COOLING_OFF_DAYS + MZ_MARRIAGE_COLLECTION_DAYS);
  return TRUE;
}

gboolean
mz_marriage_divorce_history_check (const char *accepted,
                                   const char *registered,
                                   GError    **error)
{
  gint day;

  if (!divorce_day_get (accepted, registered, &day, error))
    return FALSE;
  if (strcmp (accepted, MZ_MARRIAGE_CIVIL_CODE_IN_FORCE) < 0)
    return TRUE;
  return mz_marriage_divorce_register_check (accepted, registered, error);
}

/* Year of a "YYYY-MM-DD" date, 0 when it is not one. */
static gint
date_year (const char *date)
{
  GDate parsed;

  if (date == NULL || !mz_date_parse (date, &parsed))
    return 0;
  return g_date_get_year (&parsed);
}

char *
mz_marriage_certificate_format (const char *prefix,
                                const char *division,
                                const char *date,
                                gint64      sequence,
                                GError    **error)
{
  gint year = date_year (date);

  g_return_val_if_fail (prefix != NULL, NULL);
  g_return_val_if_fail (division != NULL, NULL);

  if (year == 0)
    {
      mz_rule_refuse (error, "marriage.bad_date", "登记日期无效，无法编制证书字号");
      return NULL;
    }
  if (sequence < 1 || sequence > 999999)
    {
      mz_rule_refuse (error, "marriage.sequence_exhausted",
                      "%s 字号 %d 年度已用尽（序号 %" G_GINT64_FORMAT "），请联系系统管理员",
                      prefix, year, sequence);
      return NULL;
    }
  return g_strdup_printf ("%s%s-%04d-%06" G_GINT64_FORMAT, prefix, division, year, sequence);
}

char *
mz_marriage_certificate_counter (const char *prefix, const char *date)
{
  g_return_val_if_fail (prefix != NULL, NULL);

  return g_strdup_printf ("%s-%04d", prefix, date_year (date));
}

static gboolean
all_digits (const char *s, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

gboolean
mz_marriage_certificate_check (const char *number,
                               const char *prefix,
                               const char *date,
                               GError    **error)
{
  gsize plen;
  gint year = date_year (date);
  const char *p;

  g_return_val_if_fail (prefix != NULL, FALSE);

  plen = strlen (prefix);
  /* prefix + 6 + '-' + 4 + '-' + 6 */
  if (number == NULL || strlen (number) != plen + 18 || strncmp (number, prefix, plen) != 0)
    return mz_rule_refuse (error, "marriage.certificate_format",
                           "证书字号“%s”格式不符，应为 %s+六位行政区划代码-年份-六位序号，如 %s450222-2021-000001",
                           number != NULL ? number : "", prefix, prefix);
  p = number + plen;
  if (!all_digits (p, 6) || p[6] != '-' || !all_digits (p + 7, 4) || p[11] != '-'
      || !all_digits (p + 12, 6) || strcmp (p + 12, "000000") == 0)
    return mz_rule_refuse (error, "marriage.certificate_format",
                           "证书字号“%s”格式不符，应为 %s+六位行政区划代码-年份-六位序号",
                           number, prefix);
  if (year != 0 && g_ascii_strtoll (p + 7, NULL, 10) != year)
    return mz_rule_refuse (error, "marriage.certificate_year",
                           "证书字号“%s”的年份与办理日期 %s 不一致", number, date);
  return TRUE;
}

gint64
mz_marriage_rate_permille (gint64 part, gint64 whole)
{
  g_return_val_if_fail (part >= 0 && whole >= 0 && part <= whole, 0);

  if (whole == 0)
    return -1;
  return part * 1000 / whole;
}

char *
mz_marriage_rate_format (gint64 permille)
{
  if (permille % 10 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, permille / 10);
  return g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, permille / 10, permille % 10);
}

/* A rate over nothing is not 100%: with nothing to measure (@permille < 0)
 * the sentence says so instead of giving a figure. */
static char *
rate_phrase (const char *label,
             gint64      permille,
             const char *none)
{
  g_autofree char *rate = NULL;

  if (permille < 0)
    return g_strdup (none);
  rate = mz_marriage_rate_format (permille);
  return g_strdup_printf ("%s%s%%", label, rate);
}

char *
mz_marriage_report_sentence (const MzMarriageFigures *figures)
{
  g_autofree char *on_time = NULL;
  g_autofree char *qualified = NULL;

  g_return_val_if_fail (figures != NULL, NULL);

  on_time = rate_phrase ("按时办结率", figures->on_time_permille, "本期无办结事项，不计按时办结率");
  qualified = rate_phrase ("登记合格率", figures->qualified_permille, "本期无结婚登记，不计登记合格率");
  return g_strdup_printf ("窗口共办理结婚登记%" G_GINT64_FORMAT "对，离婚登记%" G_GINT64_FORMAT
                          "对，补发结婚登记%" G_GINT64_FORMAT "对，补发离婚登记%" G_GINT64_FORMAT
                          "对，%s，%s。",
                          figures->registered, figures->divorced, figures->reissued_marriage,
                          figures->reissued_divorce, on_time, qualified);
}
