/* marriage plugin — unit tests of the business rules, without the host.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "rules.h"
#include "notice.h"
#include "id-maker.h"

/* Asserts that @error is a refusal whose code is @code. */
static void
assert_refused (GError *error, const char *code)
{
  g_autofree char *name = NULL;

  g_assert_nonnull (error);
  name = mz_error_code_name (error);
  g_assert_cmpstr (name, ==, code);
}

/* ... that also cites @law ("《民法典》第一千零四十七条"). */
static void
assert_refused_citing (GError *error, const char *code, const char *law)
{
  assert_refused (error, code);
  if (strstr (error->message, law) == NULL)
    g_error ("expected %s cited, got: %s", law, error->message);
}

static MzMarriageApplication
application_new (const char *man_id, const char *woman_id, const char *date)
{
  MzMarriageApplication app = {
    .man = { .id_number = man_id, .present = TRUE, .voluntary = TRUE },
    .woman = { .id_number = woman_id, .present = TRUE, .voluntary = TRUE },
    .date = date,
    .declaration_signed = TRUE,
  };
  return app;
}

static void
test_accept_ordinary (void)
{
  g_autofree char *man = test_id_make ("450222", "1995-06-01", 13);
  g_autofree char *woman = test_id_make ("450221", "1997-02-11", 24);
  MzMarriageApplication app = application_new (man, woman, "2021-05-20");
  g_autoptr (GError) error = NULL;

  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
}

/* 民法典第一千零四十七条: the day before the 22nd birthday is refused, the
 * birthday itself is accepted. */
static void
test_man_age_boundary (void)
{
  g_autofree char *man = test_id_make ("450222", "1999-05-10", 11);
  g_autofree char *woman = test_id_make ("450222", "1998-01-01", 22);
  MzMarriageApplication app = application_new (man, woman, "2021-05-09");
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.under_age", "《民法典》第一千零四十七条");
  /* The ground and the day, not the birth date: the message is shown and
   * audited. */
  g_assert_cmpstr (error->message, ==,
                   "男方至登记日 2021-05-09 未满二十二周岁，不符合法定婚龄（《民法典》第一千零四十七条）"
                   " [marriage.under_age]");
  g_clear_error (&error);

  app.date = "2021-05-10";
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
}

static void
test_woman_age_boundary (void)
{
  g_autofree char *man = test_id_make ("450222", "1990-01-01", 31);
  g_autofree char *woman = test_id_make ("450203", "2001-03-15", 42);
  MzMarriageApplication app = application_new (man, woman, "2021-03-14");
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.under_age", "《民法典》第一千零四十七条");
  g_assert_nonnull (strstr (error->message, "女方"));
  g_assert_nonnull (strstr (error->message, "二十周岁"));
  g_assert_null (strstr (error->message, "2001"));
  g_clear_error (&error);

  app.date = "2021-03-15";
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
}

/* A man born on 29 February 2000 turns 22 on 1 March 2022 (mz_date_age_on). */
static void
test_leap_day_birthday (void)
{
  g_autofree char *man = test_id_make ("450222", "2000-02-29", 15);
  g_autofree char *woman = test_id_make ("450222", "2000-01-01", 26);
  MzMarriageApplication app = application_new (man, woman, "2022-02-28");
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.under_age", "《民法典》第一千零四十七条");
  g_clear_error (&error);

  app.date = "2022-03-01";
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
}

static void
test_not_man_and_woman (void)
{
  g_autofree char *man = test_id_make ("450222", "1990-01-01", 31);
  g_autofree char *man2 = test_id_make ("450222", "1991-01-01", 33);
  g_autofree char *woman = test_id_make ("450222", "1992-01-01", 44);
  g_autofree char *woman2 = test_id_make ("450222", "1993-01-01", 46);
  MzMarriageApplication app = application_new (man, man2, "2021-05-20");
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.not_man_and_woman", "《民法典》第一千零四十六条");
  g_assert_nonnull (strstr (error->message, "女方身份证号码所示性别为男"));
  g_clear_error (&error);

  app = application_new (woman, woman2, "2021-05-20");
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.not_man_and_woman", "《民法典》第一千零四十六条");
  g_clear_error (&error);

  /* The two entered the wrong way round: said so, not as a ground of law. */
  app = application_new (woman, man, "2021-05-20");
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused (error, "marriage.sides_swapped");
  g_assert_nonnull (strstr (error->message, "男女双方信息填反"));
  g_assert_null (strstr (error->message, "结婚须为男女双方"));
  g_clear_error (&error);

  app = application_new (man, woman, "2021-05-20");
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
}

static void
test_entered_sex_and_birth (void)
{
  g_autofree char *man = test_id_make ("450222", "1990-07-08", 31);
  g_autofree char *woman = test_id_make ("450222", "1992-01-01", 44);
  MzMarriageApplication app = application_new (man, woman, "2021-05-20");
  g_autoptr (GError) error = NULL;

  app.man.sex = "female";
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused (error, "marriage.sex_mismatch");
  g_clear_error (&error);

  app.man.sex = "male";
  app.man.birth_date = "1990-07-09";
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused (error, "marriage.birth_mismatch");
  g_assert_null (strstr (error->message, "1990-07-08"));
  g_assert_null (strstr (error->message, "1990-07-09"));
  g_clear_error (&error);

  app.man.birth_date = "1990-07-08";
  app.woman.sex = "female";
  app.woman.birth_date = "1992-01-01";
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
}

static void
test_bad_id_number (void)
{
  g_autofree char *man = test_id_make ("450222", "1990-07-08", 31);
  g_autofree char *woman = test_id_make ("450222", "1992-01-01", 44);
  MzMarriageApplication app = application_new (man, woman, "2021-05-20");
  g_autoptr (GError) error = NULL;

  /* Break the check character. */
  man[17] = man[17] == '0' ? '1' : '0';
  g_assert_false (mz_marriage_application_check (&app, &error));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_CHECKSUM);
  g_assert_nonnull (strstr (error->message, "man_id_number"));
}

static void
test_declaration (void)
{
  g_autofree char *man = test_id_make ("450222", "1990-07-08", 31);
  g_autofree char *woman = test_id_make ("450222", "1992-01-01", 44);
  MzMarriageApplication app = application_new (man, woman, "2025-06-01");
  g_autoptr (GError) error = NULL;

  app.declaration_signed = FALSE;
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.declaration_missing", "《婚姻登记条例》");
  g_assert_nonnull (strstr (error->message, "《民法典》第一千零四十二条、第一千零四十八条"));
  g_clear_error (&error);

  app.declaration_signed = TRUE;
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
}

static void
test_presence (void)
{
  g_autofree char *man = test_id_make ("450222", "1990-07-08", 31);
  g_autofree char *woman = test_id_make ("450222", "1992-01-01", 44);
  MzMarriageApplication app = application_new (man, woman, "2025-06-01");
  g_autoptr (GError) error = NULL;

  app.woman.present = FALSE;
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.not_present", "《民法典》第一千零四十九条");
  g_assert_nonnull (strstr (error->message, "女方未亲自到场"));
  g_clear_error (&error);

  app.man.present = FALSE;
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused (error, "marriage.not_present");
  g_assert_nonnull (strstr (error->message, "男女双方"));
  g_clear_error (&error);

  /* A historical import does not carry presence or the declaration, but is
   * still held to the legal age. */
  app.historical = TRUE;
  app.declaration_signed = FALSE;
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
  app.date = "2010-01-01";
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused (error, "marriage.under_age");
}


/* 民法典第一千零四十六条: each party confirms in person marrying of their
 * own free will. */
static void
test_voluntary (void)
{
  g_autofree char *man = test_id_make ("450222", "1990-07-08", 31);
  g_autofree char *woman = test_id_make ("450222", "1992-01-01", 44);
  MzMarriageApplication app = application_new (man, woman, "2025-06-01");
  g_autoptr (GError) error = NULL;

  app.man.voluntary = FALSE;
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.not_voluntary", "《民法典》第一千零四十六条");
  g_assert_nonnull (strstr (error->message, "男方未当面确认本人自愿结婚"));
  g_clear_error (&error);

  app.woman.voluntary = FALSE;
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.not_voluntary", "《民法典》第一千零四十六条");
  g_assert_nonnull (strstr (error->message, "男女双方"));
  g_clear_error (&error);

  app.man.voluntary = app.woman.voluntary = TRUE;
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);

  /* Not on file for a historical import. */
  app.man.voluntary = FALSE;
  app.historical = TRUE;
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
}

/* 民法典第一千零四十八条: lineal relatives by blood and collateral relatives
 * within three generations may not marry; the clerk's finding refuses even
 * over a signed declaration. */
static void
test_kinship (void)
{
  g_autofree char *man = test_id_make ("450222", "1990-07-08", 31);
  g_autofree char *woman = test_id_make ("450222", "1992-01-01", 44);
  MzMarriageApplication app = application_new (man, woman, "2025-06-01");
  g_autoptr (GError) error = NULL;

  app.prohibited_kinship = TRUE;
  g_assert_false (mz_marriage_application_check (&app, &error));
  assert_refused_citing (error, "marriage.prohibited_kinship", "《民法典》第一千零四十八条");
  g_assert_nonnull (strstr (error->message, "直系血亲或者三代以内的旁系血亲"));
  g_clear_error (&error);

  app.prohibited_kinship = FALSE;
  g_assert_true (mz_marriage_application_check (&app, &error));
  g_assert_no_error (error);
}

/* A birth date after the registration date is refused without quoting it. */
static void
test_born_after_registration (void)
{
  g_autofree char *man = test_id_make ("450222", "1960-07-08", 31);
  g_autofree char *woman = test_id_make ("450222", "1992-01-01", 44);
  MzMarriageApplication app = application_new (man, woman, "1991-06-01");
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_marriage_application_check (&app, &error));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "woman_id_number"));
  g_assert_nonnull (strstr (error->message, "晚于登记日期 1991-06-01"));
  g_assert_null (strstr (error->message, "1992"));
}

static void
test_spouse (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (mz_marriage_spouse_check (MZ_MARRIAGE_SIDE_MAN, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (mz_marriage_spouse_check (MZ_MARRIAGE_SIDE_WOMAN, "J450222-2019-000007", &error));
  assert_refused_citing (error, "marriage.already_married", "《民法典》第一千零四十二条");
  g_assert_nonnull (strstr (error->message, "J450222-2019-000007"));
}

static void
test_divorce_application (void)
{
  MzMarriageDivorceApplication app = {
    .linked = TRUE, .agreement_present = TRUE, .man_capacity = TRUE,
    .woman_capacity = TRUE, .man_present = TRUE, .woman_present = TRUE,
  };
  g_autoptr (GError) error = NULL;

  g_assert_true (mz_marriage_divorce_application_check (&app, &error));
  g_assert_no_error (error);

  app.agreement_present = FALSE;
  g_assert_false (mz_marriage_divorce_application_check (&app, &error));
  assert_refused_citing (error, "marriage.no_agreement", "《民法典》第一千零七十六条");
  g_clear_error (&error);
  app.agreement_present = TRUE;

  app.woman_capacity = FALSE;
  g_assert_false (mz_marriage_divorce_application_check (&app, &error));
  assert_refused_citing (error, "marriage.no_capacity", "《婚姻登记条例》");
  g_assert_nonnull (strstr (error->message, "女方"));
  g_clear_error (&error);
  app.woman_capacity = TRUE;

  app.man_present = FALSE;
  g_assert_false (mz_marriage_divorce_application_check (&app, &error));
  assert_refused_citing (error, "marriage.not_present", "《民法典》第一千零七十六条");
  g_clear_error (&error);
  app.man_present = TRUE;

  /* Registered elsewhere: mainland China must be affirmed. */
  app.linked = FALSE;
  g_assert_false (mz_marriage_divorce_application_check (&app, &error));
  assert_refused_citing (error, "marriage.not_mainland", "《婚姻登记条例》");
  g_clear_error (&error);
  app.registered_in_mainland = TRUE;
  g_assert_true (mz_marriage_divorce_application_check (&app, &error));
  g_assert_no_error (error);
}

/* Accepted 2021-03-01 (day 0): days 1–30 cooling-off, 31–60 registration,
 * 61 on deemed withdrawn. */
static void
test_divorce_timeline (void)
{
  const char *accepted = "2021-03-01";
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (mz_marriage_divorce_day (accepted, "2021-03-30"), ==, 29);
  g_assert_cmpint (mz_marriage_divorce_day (accepted, "2021-04-30"), ==, 60);

  /* day 29 */
  g_assert_false (mz_marriage_divorce_register_check (accepted, "2021-03-30", &error));
  assert_refused_citing (error, "marriage.cooling_off", "《民法典》第一千零七十七条");
  g_clear_error (&error);
  g_assert_true (mz_marriage_divorce_withdraw_check (accepted, "2021-03-30", &error));
  g_assert_no_error (error);

  /* day 30: the last day of the cooling-off */
  g_assert_false (mz_marriage_divorce_register_check (accepted, "2021-03-31", &error));
  assert_refused_citing (error, "marriage.cooling_off", "《民法典》第一千零七十七条");
  g_assert_nonnull (strstr (error->message, "2021-04-01"));
  g_clear_error (&error);
  g_assert_true (mz_marriage_divorce_withdraw_check (accepted, "2021-03-31", &error));
  g_assert_no_error (error);

  /* day 31 */
  g_assert_true (mz_marriage_divorce_register_check (accepted, "2021-04-01", &error));
  g_assert_no_error (error);
  g_assert_false (mz_marriage_divorce_withdraw_check (accepted, "2021-04-01", &error));
  assert_refused_citing (error, "marriage.withdraw_closed", "《民法典》第一千零七十七条");
  g_clear_error (&error);

  /* day 60 */
  g_assert_true (mz_marriage_divorce_register_check (accepted, "2021-04-30", &error));
  g_assert_no_error (error);
  g_assert_false (mz_marriage_divorce_lapse_check (accepted, "2021-04-30", &error));
  assert_refused (error, "marriage.not_lapsed");
  g_clear_error (&error);

  /* day 61 */
  g_assert_false (mz_marriage_divorce_register_check (accepted, "2021-05-01", &error));
  assert_refused_citing (error, "marriage.window_lapsed", "《民法典》第一千零七十七条");
  g_clear_error (&error);
  g_assert_true (mz_marriage_divorce_lapse_check (accepted, "2021-05-01", &error));
  g_assert_no_error (error);

  /* before acceptance */
  g_assert_false (mz_marriage_divorce_withdraw_check (accepted, "2021-02-28", &error));
  assert_refused (error, "marriage.bad_date");
}

static void
test_divorce_history (void)
{
  g_autoptr (GError) error = NULL;

  /* Before the Civil Code there was no cooling-off. */
  g_assert_true (mz_marriage_divorce_history_check ("2020-12-30", "2020-12-30", &error));
  g_assert_no_error (error);
  g_assert_false (mz_marriage_divorce_history_check ("2021-01-04", "2021-02-03", &error));
  assert_refused_citing (error, "marriage.cooling_off", "《民法典》第一千零七十七条");
  g_clear_error (&error);
  g_assert_true (mz_marriage_divorce_history_check ("2021-01-04", "2021-02-04", &error));
  g_assert_no_error (error);
  g_assert_false (mz_marriage_divorce_history_check ("2020-12-30", "2020-12-29", &error));
  assert_refused (error, "marriage.bad_date");
}

static void
test_certificate_numbers (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *counter = NULL;
  g_autofree char *last = NULL;

  number = mz_marriage_certificate_format ("J", "450222", "2021-03-04", 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (number, ==, "J450222-2021-000001");
  last = mz_marriage_certificate_format ("BL", "450222", "2021-12-31", 999999, &error);
  g_assert_cmpstr (last, ==, "BL450222-2021-999999");
  g_assert_null (mz_marriage_certificate_format ("J", "450222", "2021-03-04", 1000000, &error));
  assert_refused (error, "marriage.sequence_exhausted");
  g_clear_error (&error);

  counter = mz_marriage_certificate_counter ("BJ", "2021-06-30");
  g_assert_cmpstr (counter, ==, "BJ-2021");

  g_assert_true (mz_marriage_certificate_check ("J450222-2021-000001", "J", "2021-03-04", &error));
  g_assert_no_error (error);
  g_assert_true (mz_marriage_certificate_check ("BL450222-2021-000057", "BL", "2021-03-04", &error));
  g_assert_no_error (error);
  g_assert_false (mz_marriage_certificate_check ("L450222-2021-000001", "J", "2021-03-04", &error));
  assert_refused (error, "marriage.certificate_format");
  g_clear_error (&error);
  g_assert_false (mz_marriage_certificate_check ("J450222-2021-000000", "J", "2021-03-04", &error));
  assert_refused (error, "marriage.certificate_format");
  g_clear_error (&error);
  g_assert_false (mz_marriage_certificate_check ("J45022-2021-0000001", "J", "2021-03-04", &error));
  assert_refused (error, "marriage.certificate_format");
  g_clear_error (&error);
  g_assert_false (mz_marriage_certificate_check ("J450222-2020-000001", "J", "2021-03-04", &error));
  assert_refused (error, "marriage.certificate_year");
}

static void
test_rates_and_sentence (void)
{
  MzMarriageFigures figures = {
    .registered = 1062, .divorced = 278, .reissued_marriage = 249, .reissued_divorce = 57,
    .on_time_permille = mz_marriage_rate_permille (1646, 1646),
    .qualified_permille = mz_marriage_rate_permille (1062, 1062),
  };
  MzMarriageFigures divorces_only = {
    .divorced = 3,
    .on_time_permille = mz_marriage_rate_permille (2, 3),
    .qualified_permille = mz_marriage_rate_permille (0, 0),
  };
  MzMarriageFigures nothing = {
    .on_time_permille = mz_marriage_rate_permille (0, 0),
    .qualified_permille = mz_marriage_rate_permille (0, 0),
  };
  g_autofree char *sentence = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *divorces_sentence = NULL;
  g_autofree char *empty_sentence = NULL;

  g_assert_cmpint (mz_marriage_rate_permille (1999, 2000), ==, 999);
  g_assert_cmpint (mz_marriage_rate_permille (1, 3), ==, 333);
  partial = mz_marriage_rate_format (995);
  g_assert_cmpstr (partial, ==, "99.5");

  sentence = mz_marriage_report_sentence (&figures);
  g_assert_cmpstr (sentence, ==,
                   "窗口共办理结婚登记1062对，离婚登记278对，补发结婚登记249对，补发离婚登记57对，"
                   "按时办结率100%，登记合格率100%。");

  /* A rate over nothing is undefined: no figure, and the sentence says so. */
  g_assert_cmpint (mz_marriage_rate_permille (0, 0), ==, -1);
  divorces_sentence = mz_marriage_report_sentence (&divorces_only);
  g_assert_cmpstr (divorces_sentence, ==,
                   "窗口共办理结婚登记0对，离婚登记3对，补发结婚登记0对，补发离婚登记0对，"
                   "按时办结率66.6%，本期无结婚登记，不计登记合格率。");
  empty_sentence = mz_marriage_report_sentence (&nothing);
  g_assert_cmpstr (empty_sentence, ==,
                   "窗口共办理结婚登记0对，离婚登记0对，补发结婚登记0对，补发离婚登记0对，"
                   "本期无办结事项，不计按时办结率，本期无结婚登记，不计登记合格率。");
}

static void
test_notice (void)
{
  MzMarriageNotice notice = {
    .man_name = "韦建华", .woman_name = "覃丽娟", .applied_date = "2021-05-09",
    .reason = "男方至登记日 2021-05-09 未满二十二周岁，不符合法定婚龄（《民法典》第一千零四十七条）",
    .office_name = "柳城县民政局", .notice_date = "2021-05-09",
  };
  g_autofree char *text = mz_marriage_notice_render (&notice);
  g_autofree char *chinese = mz_marriage_date_chinese ("2021-05-09");

  g_assert_cmpstr (chinese, ==, "2021年5月9日");
  g_assert_true (g_str_has_prefix (text, "不予办理结婚登记告知书\n"));
  g_assert_nonnull (strstr (text, "韦建华、覃丽娟："));
  g_assert_nonnull (strstr (text, "你们于2021年5月9日向本机关申请办理结婚登记"));
  g_assert_nonnull (strstr (text, "经审查，男方至登记日 2021-05-09 未满二十二周岁"));
  g_assert_nonnull (strstr (text, "第一千零四十七条）。"));
  g_assert_nonnull (strstr (text, "六十日内依法申请行政复议"));
  g_assert_nonnull (strstr (text, "柳城县民政局（婚姻登记专用章）\n2021年5月9日\n"));
  g_assert_true (g_utf8_validate (text, -1, NULL));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/marriage/rules/accept", test_accept_ordinary);
  g_test_add_func ("/marriage/rules/man-age-boundary", test_man_age_boundary);
  g_test_add_func ("/marriage/rules/woman-age-boundary", test_woman_age_boundary);
  g_test_add_func ("/marriage/rules/leap-day-birthday", test_leap_day_birthday);
  g_test_add_func ("/marriage/rules/not-man-and-woman", test_not_man_and_woman);
  g_test_add_func ("/marriage/rules/entered-sex-and-birth", test_entered_sex_and_birth);
  g_test_add_func ("/marriage/rules/bad-id-number", test_bad_id_number);
  g_test_add_func ("/marriage/rules/declaration", test_declaration);
  g_test_add_func ("/marriage/rules/presence", test_presence);
  g_test_add_func ("/marriage/rules/voluntary", test_voluntary);
  g_test_add_func ("/marriage/rules/kinship", test_kinship);
  g_test_add_func ("/marriage/rules/born-after-registration", test_born_after_registration);
  g_test_add_func ("/marriage/rules/spouse", test_spouse);
  g_test_add_func ("/marriage/rules/divorce-application", test_divorce_application);
  g_test_add_func ("/marriage/rules/divorce-timeline", test_divorce_timeline);
  g_test_add_func ("/marriage/rules/divorce-history", test_divorce_history);
  g_test_add_func ("/marriage/rules/certificate-numbers", test_certificate_numbers);
  g_test_add_func ("/marriage/rules/rates-and-sentence", test_rates_and_sentence);
  g_test_add_func ("/marriage/notice/render", test_notice);

  return g_test_run ();
}
