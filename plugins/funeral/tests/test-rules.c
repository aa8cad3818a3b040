/* Unit tests of the funeral plugin's rules, without a host.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "rules.h"

#include <string.h>

/* A configuration group as "key", "value", ..., NULL pairs. */
static char *
lookup_pairs (const char *key,
              gpointer    user_data)
{
  const char *const *pairs = user_data;

  for (guint i = 0; pairs[i] != NULL; i += 2)
    if (strcmp (pairs[i], key) == 0)
      return g_strdup (pairs[i + 1]);
  return NULL;
}

static FuneralRules *
rules_from (const char *const *pairs)
{
  g_autoptr (GError) error = NULL;
  FuneralRules *rules = funeral_rules_parse (lookup_pairs, (gpointer) pairs, &error);

  g_assert_no_error (error);
  g_assert_nonnull (rules);
  return rules;
}

static void
assert_code (const GError *error,
             const char   *code)
{
  g_autofree char *got = NULL;

  g_assert_nonnull (error);
  got = mz_error_code_name (error);
  g_assert_cmpstr (got, ==, code);
}

static void
test_defaults (void)
{
  const char *const none[] = { NULL };
  g_autoptr (FuneralRules) rules = rules_from (none);
  const char *const floor[] = { "dibao", "tekun", "youfu", "unidentified", NULL };

  g_assert_true (g_strv_equal ((const char *const *) rules->categories, floor));
  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    g_assert_cmpint (rules->item_cap[i], ==, -1);
  g_assert_cmpint (rules->case_cap, ==, -1);
  g_assert_true (rules->exclude_policy_grant);
  g_assert_cmpint (rules->count_unit, ==, FUNERAL_UNIT_CASE);
  g_assert_cmpuint (rules->amount_decimals, ==, 2);
}

static void
test_config_values (void)
{
  const char *const pairs[] = {
    "categories", "dibao, resident",
    "cap_cremation", "600",
    "cap_per_case", "1,200.50",
    "exclude_policy_grant", "false",
    "count_unit", "户",
    "amount_decimals", "1",
    NULL,
  };
  g_autoptr (FuneralRules) rules = rules_from (pairs);
  const char *const expected[] = { "dibao", "resident", NULL };

  g_assert_true (g_strv_equal ((const char *const *) rules->categories, expected));
  g_assert_cmpint (rules->item_cap[FUNERAL_ITEM_CREMATION], ==, 60000);
  g_assert_cmpint (rules->item_cap[FUNERAL_ITEM_TRANSPORT], ==, -1);
  g_assert_cmpint (rules->case_cap, ==, 120050);
  g_assert_false (rules->exclude_policy_grant);
  g_assert_cmpint (rules->count_unit, ==, FUNERAL_UNIT_HOUSEHOLD);
  g_assert_cmpuint (rules->amount_decimals, ==, 1);
}

/* Every key refuses a malformed value with an error naming that key. */
static void
test_config_malformed (void)
{
  const char *const bad[][2] = {
    { "categories", "dibao;rich" },
    { "categories", "dibao;dibao" },
    { "categories", " ; " },
    { "cap_transport", "abc" },
    { "cap_cold_storage", "-5" },
    { "cap_cremation", "1.234" },
    { "cap_ash_storage", "" },
    { "cap_per_case", "12x0" },
    { "cap_per_case", "99999999999" },
    { "exclude_policy_grant", "maybe" },
    { "count_unit", "人" },
    { "amount_decimals", "3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *const pairs[] = { bad[i][0], bad[i][1], NULL };
      g_autoptr (GError) error = NULL;
      g_autoptr (FuneralRules) rules = funeral_rules_parse (lookup_pairs, (gpointer) pairs, &error);
      g_autofree char *code = g_strconcat ("funeral.config.", bad[i][0], NULL);

      g_test_message ("%s=%s: %s", bad[i][0], bad[i][1], error ? error->message : "accepted");
      g_assert_null (rules);
      g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, bad[i][0]));
      assert_code (error, code);
    }
}

/* Each known category is accepted when the office covers it and refused,
 * naming it, when it does not. */
static void
test_categories (void)
{
  for (const MzEnumValue *c = funeral_categories; c->value != NULL; c++)
    {
      const char *const in[] = { "categories", c->value, NULL };
      const char *other = strcmp (c->value, "dibao") == 0 ? "tekun" : "dibao";
      const char *const out[] = { "categories", other, NULL };
      g_autoptr (FuneralRules) covered = rules_from (in);
      g_autoptr (FuneralRules) uncovered = rules_from (out);
      g_autoptr (GError) error = NULL;

      g_assert_true (funeral_rules_check_eligibility (covered, c->value, FALSE, &error));
      g_assert_no_error (error);

      g_assert_false (funeral_rules_check_eligibility (uncovered, c->value, FALSE, &error));
      g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED);
      assert_code (error, "funeral.category_not_covered");
      g_assert_nonnull (strstr (error->message, c->label));
      g_assert_nonnull (strstr (error->message, funeral_category_label (other)));
    }
}

static void
test_policy_grant (void)
{
  const char *const excluded[] = { NULL };
  const char *const allowed[] = { "exclude_policy_grant", "false", NULL };
  g_autoptr (FuneralRules) strict = rules_from (excluded);
  g_autoptr (FuneralRules) lenient = rules_from (allowed);
  g_autoptr (GError) error = NULL;

  g_assert_true (funeral_rules_check_eligibility (strict, "dibao", FALSE, &error));
  g_assert_false (funeral_rules_check_eligibility (strict, "dibao", TRUE, &error));
  assert_code (error, "funeral.policy_grant_excluded");
  g_clear_error (&error);
  g_assert_true (funeral_rules_check_eligibility (lenient, "dibao", TRUE, &error));
  g_assert_no_error (error);
}

static gint64
approve (const FuneralRules *rules,
         gint64 t, gint64 c, gint64 f, gint64 a,
         gint64 approved[FUNERAL_N_ITEMS])
{
  const gint64 claims[FUNERAL_N_ITEMS] = { t, c, f, a };

  return funeral_rules_approve_amounts (rules, claims, approved);
}

/* An item cap of 600 元: a claim of exactly the cap is approved in full,
 * one fen more is reduced to the cap while the claim is kept. */
static void
test_item_cap_boundary (void)
{
  const char *const pairs[] = { "cap_cremation", "600", NULL };
  g_autoptr (FuneralRules) rules = rules_from (pairs);
  gint64 approved[FUNERAL_N_ITEMS];

  g_assert_cmpint (approve (rules, 100, 0, 60000, 0, approved), ==, 60100);
  g_assert_cmpint (approved[FUNERAL_ITEM_CREMATION], ==, 60000);
  g_assert_cmpint (approve (rules, 100, 0, 60001, 0, approved), ==, 60100);
  g_assert_cmpint (approved[FUNERAL_ITEM_CREMATION], ==, 60000);
  g_assert_cmpint (approved[FUNERAL_ITEM_TRANSPORT], ==, 100);
}

/* A case cap of 1200 元 (郯城县): a claim totalling the cap is untouched;
 * one fen more is scaled to exactly the cap.  Worked by hand: 300+300+
 * 600.01 元 → quotients 29999, 29999, 60000 fen with remainders 90001,
 * 90001, 60000 (of 120001); the two fen left go to the first two items. */
static void
test_case_cap_boundary (void)
{
  const char *const pairs[] = { "cap_per_case", "1200", NULL };
  g_autoptr (FuneralRules) rules = rules_from (pairs);
  gint64 approved[FUNERAL_N_ITEMS];

  g_assert_cmpint (approve (rules, 30000, 30000, 60000, 0, approved), ==, 120000);
  g_assert_cmpint (approved[0], ==, 30000);
  g_assert_cmpint (approved[1], ==, 30000);
  g_assert_cmpint (approved[2], ==, 60000);
  g_assert_cmpint (approved[3], ==, 0);

  g_assert_cmpint (approve (rules, 30000, 30000, 60001, 0, approved), ==, 120000);
  g_assert_cmpint (approved[0], ==, 30000);
  g_assert_cmpint (approved[1], ==, 30000);
  g_assert_cmpint (approved[2], ==, 60000);
  g_assert_cmpint (approved[3], ==, 0);

  /* One item alone one fen over the case cap. */
  g_assert_cmpint (approve (rules, 0, 0, 120001, 0, approved), ==, 120000);
  g_assert_cmpint (approved[2], ==, 120000);
}

/* For random claims and caps, the scaled amounts sum to the case cap, never
 * exceed the item-capped claim, and stay within one fen of the exact
 * proportional share, checked in integers as |approved × sum − capped ×
 * cap| < sum. */
static void
test_case_cap_random (void)
{
  for (guint round = 0; round < 2000; round++)
    {
      FuneralRules rules = { NULL };
      gint64 claims[FUNERAL_N_ITEMS];
      gint64 capped[FUNERAL_N_ITEMS];
      gint64 approved[FUNERAL_N_ITEMS];
      gint64 sum = 0;
      gint64 total;
      gint64 got = 0;

      rules.case_cap = g_test_rand_int_range (0, 300000);
      for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
        {
          rules.item_cap[i] = g_test_rand_bit () ? -1 : g_test_rand_int_range (0, 100000);
          claims[i] = g_test_rand_int_range (0, 200000);
          capped[i] = rules.item_cap[i] >= 0 ? MIN (claims[i], rules.item_cap[i]) : claims[i];
          sum += capped[i];
        }
      total = funeral_rules_approve_amounts (&rules, claims, approved);
      g_assert_cmpint (total, ==, MIN (sum, rules.case_cap));
      for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
        {
          g_assert_cmpint (approved[i], >=, 0);
          g_assert_cmpint (approved[i], <=, capped[i]);
          if (sum > rules.case_cap)
            g_assert_cmpint (ABS (approved[i] * sum - capped[i] * rules.case_cap), <, sum);
          got += approved[i];
        }
      g_assert_cmpint (got, ==, total);
    }
}

static void
test_claims (void)
{
  const gint64 nothing[FUNERAL_N_ITEMS] = { 0, 0, 0, 0 };
  const gint64 negative[FUNERAL_N_ITEMS] = { 100, -1, 0, 0 };
  const gint64 huge[FUNERAL_N_ITEMS] = { 0, 0, FUNERAL_MONEY_MAX + 1, 0 };
  const gint64 fine[FUNERAL_N_ITEMS] = { 0, 0, 1, 0 };
  g_autoptr (GError) error = NULL;

  g_assert_false (funeral_rules_check_claims (nothing, &error));
  assert_code (error, "funeral.nothing_claimed");
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_claims (negative, &error));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_RANGE);
  g_assert_nonnull (strstr (error->message, "claim_cold_storage"));
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_claims (huge, &error));
  g_assert_nonnull (strstr (error->message, "claim_cremation"));
  g_clear_error (&error);
  g_assert_true (funeral_rules_check_claims (fine, &error));
  g_assert_no_error (error);
}

static void
test_death_date (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (funeral_rules_check_death_date ("2021-03-05", "1940-01-01", "2021-03-05", &error));
  g_assert_true (funeral_rules_check_death_date ("2021-03-05", NULL, "2021-06-30", &error));
  g_assert_false (funeral_rules_check_death_date ("2021-03-06", NULL, "2021-03-05", &error));
  assert_code (error, "field.funeral.death_in_future");
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_death_date ("1939-12-31", "1940-01-01", "2021-03-05", &error));
  assert_code (error, "field.funeral.death_before_birth");
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_death_date ("2021-02-30", NULL, "2021-03-05", &error));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_FORMAT);
}

/* 11010519491231002X is a woman born 1949-12-31 (GB 11643-1999 example). */
static void
test_deceased (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (funeral_rules_check_deceased ("unidentified", NULL, "unknown", NULL,
                                               "2021-03-05", "2021-03-10", &error));
  g_assert_true (funeral_rules_check_deceased ("dibao", "11010519491231002X", "female", "450222",
                                               "2021-03-05", "2021-03-10", &error));
  g_assert_true (funeral_rules_check_deceased ("dibao", "11010519491231002X", "unknown", "450222",
                                               "2021-03-05", "2021-03-10", &error));
  g_assert_no_error (error);

  g_assert_false (funeral_rules_check_deceased ("dibao", NULL, "male", "450222",
                                                "2021-03-05", "2021-03-10", &error));
  assert_code (error, "field.funeral.deceased_id_required");
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_deceased ("tekun", "11010519491231002X", "female", NULL,
                                                "2021-03-05", "2021-03-10", &error));
  assert_code (error, "field.funeral.household_required");
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_deceased ("dibao", "11010519491231002X", "male", "450222",
                                                "2021-03-05", "2021-03-10", &error));
  assert_code (error, "field.funeral.sex_mismatch");
  g_assert_nonnull (strstr (error->message, "deceased_sex"));
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_deceased ("dibao", "11010519491231002X", "female", "450222",
                                                "1949-12-30", "2021-03-10", &error));
  assert_code (error, "field.funeral.death_before_birth");
}

static void
test_phone (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (funeral_rules_check_phone (NULL, &error));
  g_assert_true (funeral_rules_check_phone ("0772-7612345", &error));
  g_assert_true (funeral_rules_check_phone ("+86 139 0000 0000", &error));
  g_assert_no_error (error);
  g_assert_false (funeral_rules_check_phone ("1390000abcd", &error));
  assert_code (error, "field.funeral.phone_format");
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_phone ("1234", &error));
  assert_code (error, "field.funeral.phone_format");
}

static void
test_payment (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (funeral_rules_check_payment (120000, 120000, "2021-03-10", "2021-03-05",
                                              "2021-03-10", &error));
  g_assert_no_error (error);
  g_assert_false (funeral_rules_check_payment (120001, 120000, "2021-03-10", "2021-03-05",
                                               "2021-03-10", &error));
  assert_code (error, "field.funeral.payment_exceeds_approved");
  g_assert_nonnull (strstr (error->message, "1200.01"));
  g_clear_error (&error);
  /* one payment settles the case: less is refused, not left open */
  g_assert_false (funeral_rules_check_payment (119999, 120000, "2021-03-10", "2021-03-05",
                                               "2021-03-10", &error));
  assert_code (error, "field.funeral.payment_partial");
  g_assert_nonnull (strstr (error->message, "1199.99"));
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_payment (0, 120000, "2021-03-10", "2021-03-05",
                                               "2021-03-10", &error));
  assert_code (error, "field.funeral.payment_not_positive");
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_payment (120000, 120000, "2021-03-04", "2021-03-05",
                                               "2021-03-10", &error));
  assert_code (error, "field.funeral.payment_before_approval");
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_payment (120000, 120000, "2021-03-11", "2021-03-05",
                                               "2021-03-10", &error));
  assert_code (error, "field.funeral.payment_in_future");
}

static void
test_case_number (void)
{
  g_autofree char *number = funeral_case_number_format ("450222", 2021, 12);
  g_autofree char *counter = funeral_case_counter (2021);

  g_assert_cmpstr (number, ==, "FJ450222-2021-000012");
  g_assert_cmpstr (counter, ==, "FJ-2021");
}

static void
test_duplicate_message (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (funeral_rules_refuse_duplicate (&error, "funeral.duplicate_deceased", "该逝者",
                                                  "FJ450222-2021-000012", "2021-03-05", TRUE));
  g_assert_cmpstr (error->message, ==,
                   "该逝者已于2021-03-05办理减免（案号 FJ450222-2021-000012），不得重复申请 "
                   "[funeral.duplicate_deceased]");
  g_clear_error (&error);
  g_assert_false (funeral_rules_refuse_duplicate (&error, "funeral.duplicate_cremation",
                                                  "该火化证明", "FJ450222-2021-000013",
                                                  "2021-04-01", FALSE));
  g_assert_nonnull (strstr (error->message, "正在办理"));
  g_assert_nonnull (strstr (error->message, "FJ450222-2021-000013"));
  assert_code (error, "funeral.duplicate_cremation");
}

static void
test_snapshot (void)
{
  const char *const a[] = { "cap_per_case", "1200", "cap_cremation", "600", NULL };
  const char *const b[] = { "cap_per_case", "792", NULL };
  g_autoptr (FuneralRules) ra = rules_from (a);
  g_autoptr (FuneralRules) rb = rules_from (b);
  g_autofree char *sa = funeral_rules_snapshot (ra);
  g_autofree char *sb = funeral_rules_snapshot (rb);

  g_assert_cmpstr (sa, ==,
                   "{\"categories\":[\"dibao\",\"tekun\",\"youfu\",\"unidentified\"],"
                   "\"cap_transport\":null,\"cap_cold_storage\":null,\"cap_cremation\":\"600.00\","
                   "\"cap_ash_storage\":null,\"cap_per_case\":\"1200.00\","
                   "\"exclude_policy_grant\":true,\"count_unit\":\"例\"}");
  g_assert_nonnull (strstr (sb, "\"cap_per_case\":\"792.00\""));
}

static void
test_wan_rounding (void)
{
  /* 356000 元, 356499.99 元, 356500 元, 1152700 元 in fen */
  g_assert_cmpint (funeral_fen_to_wan_scaled (35600000, 1), ==, 356);
  g_assert_cmpint (funeral_fen_to_wan_scaled (35649999, 1), ==, 356);
  g_assert_cmpint (funeral_fen_to_wan_scaled (35650000, 1), ==, 357);
  g_assert_cmpint (funeral_fen_to_wan_scaled (115270000, 2), ==, 11527);
  g_assert_cmpint (funeral_fen_to_wan_scaled (115265000, 2), ==, 11527);
  g_assert_cmpint (funeral_fen_to_wan_scaled (115264999, 2), ==, 11526);
  g_assert_cmpint (funeral_fen_to_wan_scaled (0, 2), ==, 0);
}

static void
test_period_and_sentence (void)
{
  g_autofree char *h1 = funeral_period_phrase ("2021-01-01", "2021-06-30");
  g_autofree char *h2 = funeral_period_phrase ("2021-07-01", "2021-12-31");
  g_autofree char *year = funeral_period_phrase ("2023-01-01", "2023-12-31");
  g_autofree char *other = funeral_period_phrase ("2021-01-01", "2021-03-31");
  const char *const floor[] = { "dibao", "tekun", "youfu", "unidentified", NULL };
  const char *const two[] = { "dibao", "tekun", NULL };
  const char *const residents[] = { "dibao", "resident", "unidentified", NULL };
  g_autofree char *households = NULL;
  g_autofree char *cases = NULL;
  g_autofree char *everyone = NULL;

  g_assert_cmpstr (h1, ==, "2021年上半年");
  g_assert_cmpstr (h2, ==, "2021年下半年");
  g_assert_cmpstr (year, ==, "2023年全年");
  g_assert_cmpstr (other, ==, "2021-01-01至2021-03-31");

  /* The seeds: 2023 897 户 35.6 万元 (困难群体), 天门市 1017 例 (低保、五保). */
  households = funeral_report_sentence (year, floor, 897, FUNERAL_UNIT_HOUSEHOLD, 35600000, 1);
  g_assert_cmpstr (households, ==,
                   "2023年全年共办理惠民殡葬减免897户（897例），减免对象为最低生活保障对象、"
                   "特困供养人员、重点优抚对象和无名遗体，减免基本殡葬服务费用35.6万元。");
  cases = funeral_report_sentence (h1, two, 1017, FUNERAL_UNIT_CASE, 115270000, 2);
  g_assert_cmpstr (cases, ==,
                   "2021年上半年共办理惠民殡葬减免1017例，减免对象为最低生活保障对象和特困供养人员，"
                   "减免基本殡葬服务费用115.27万元。");
  /* An office covering every resident does not call them 困难群众. */
  everyone = funeral_report_sentence (h1, residents, 124, FUNERAL_UNIT_CASE, 12260000, 2);
  g_assert_cmpstr (everyone, ==,
                   "2021年上半年共办理惠民殡葬减免124例，减免对象为户籍居民和无名遗体，"
                   "减免基本殡葬服务费用12.26万元。");
  g_assert_null (strstr (everyone, "困难"));
}

static void
test_beneficiaries (void)
{
  const char *const one[] = { "dibao", NULL };
  const char *const resident_only[] = { "resident", NULL };
  g_autofree char *a = funeral_beneficiaries_phrase (one);
  g_autofree char *b = funeral_beneficiaries_phrase (resident_only);

  g_assert_cmpstr (a, ==, "最低生活保障对象");
  g_assert_cmpstr (b, ==, "户籍居民");
}

/* Every key the parser reads is known; an unknown one is refused naming it
 * and the known keys. */
static void
test_config_keys (void)
{
  const char *const good[] = { "categories", "cap_per_case", "cap_cremation", "count_unit", NULL };
  const char *const misspelt[] = { "categories", "cap_per_cse", NULL };
  const char *const none[] = { NULL };
  g_autoptr (GError) error = NULL;

  g_assert_true (funeral_rules_check_keys (good, &error));
  g_assert_no_error (error);
  g_assert_true (funeral_rules_check_keys (none, &error));
  g_assert_true (funeral_rules_check_keys (funeral_config_keys, &error));
  g_assert_no_error (error);
  g_assert_false (funeral_rules_check_keys (misspelt, &error));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG);
  assert_code (error, "funeral.config.unknown_key");
  g_assert_nonnull (strstr (error->message, "cap_per_cse"));
  g_assert_nonnull (strstr (error->message, "cap_per_case"));
}

/* The forms a hand-typed certificate number arrives in come out as one. */
static void
test_certificate_normalize (void)
{
  const char *const same[] = {
    "HH-SAME", "HH-SAME ", " hh-same", "hh-Same\t", "ＨＨ－ＳＡＭＥ", "ｈｈ－ｓａｍｅ　", "HH - SAME",
  };

  for (guint i = 0; i < G_N_ELEMENTS (same); i++)
    {
      g_autofree char *n = funeral_certificate_normalize (same[i]);

      g_assert_cmpstr (n, ==, "HH-SAME");
    }
  {
    g_autofree char *chinese = funeral_certificate_normalize ("柳火字ｎｏ.12");
    g_autofree char *blank = funeral_certificate_normalize (" 　");
    g_autofree char *other = funeral_certificate_normalize ("HH-SAMF");

    g_assert_cmpstr (chinese, ==, "柳火字NO.12");
    g_assert_null (blank);
    g_assert_cmpstr (other, ==, "HH-SAMF");
  }
  g_assert_null (funeral_certificate_normalize (NULL));
}

static void
test_division_within (void)
{
  g_autoptr (GError) error = NULL;

  /* county: only its own code */
  g_assert_true (funeral_division_within ("450222", "450222"));
  g_assert_false (funeral_division_within ("450222", "450221"));
  g_assert_false (funeral_division_within ("450222", "450200"));
  /* prefecture: its counties */
  g_assert_true (funeral_division_within ("450200", "450222"));
  g_assert_false (funeral_division_within ("450200", "450302"));
  /* province */
  g_assert_true (funeral_division_within ("450000", "450302"));
  g_assert_false (funeral_division_within ("450000", "420302"));

  g_assert_true (funeral_rules_check_resident ("resident", "450222", "450222", &error));
  g_assert_true (funeral_rules_check_resident ("dibao", "450221", "450222", &error));
  g_assert_no_error (error);
  g_assert_false (funeral_rules_check_resident ("resident", "450221", "450222", &error));
  assert_code (error, "field.funeral.not_resident");
  g_assert_nonnull (strstr (error->message, "450221"));
  g_clear_error (&error);
  g_assert_false (funeral_rules_check_resident ("resident", NULL, "450222", &error));
  assert_code (error, "field.funeral.household_required");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/funeral/rules/defaults", test_defaults);
  g_test_add_func ("/funeral/rules/config-values", test_config_values);
  g_test_add_func ("/funeral/rules/config-malformed", test_config_malformed);
  g_test_add_func ("/funeral/rules/categories", test_categories);
  g_test_add_func ("/funeral/rules/policy-grant", test_policy_grant);
  g_test_add_func ("/funeral/rules/item-cap-boundary", test_item_cap_boundary);
  g_test_add_func ("/funeral/rules/case-cap-boundary", test_case_cap_boundary);
  g_test_add_func ("/funeral/rules/case-cap-random", test_case_cap_random);
  g_test_add_func ("/funeral/rules/claims", test_claims);
  g_test_add_func ("/funeral/rules/death-date", test_death_date);
  g_test_add_func ("/funeral/rules/deceased", test_deceased);
  g_test_add_func ("/funeral/rules/phone", test_phone);
  g_test_add_func ("/funeral/rules/payment", test_payment);
  g_test_add_func ("/funeral/rules/case-number", test_case_number);
  g_test_add_func ("/funeral/rules/duplicate-message", test_duplicate_message);
  g_test_add_func ("/funeral/rules/snapshot", test_snapshot);
  g_test_add_func ("/funeral/rules/wan-rounding", test_wan_rounding);
  g_test_add_func ("/funeral/rules/period-and-sentence", test_period_and_sentence);
  g_test_add_func ("/funeral/rules/beneficiaries", test_beneficiaries);
  g_test_add_func ("/funeral/rules/config-keys", test_config_keys);
  g_test_add_func ("/funeral/rules/certificate-normalize", test_certificate_normalize);
  g_test_add_func ("/funeral/rules/division-within", test_division_within);

  return g_test_run ();
}
