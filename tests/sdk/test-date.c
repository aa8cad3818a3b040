/* Tests of the "YYYY-MM-DD" date helpers: strict parsing, day arithmetic
 * across month and year ends, and age in completed years, including people
 * born on 29 February.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

static void
test_parse_valid (void)
{
  GDate d;

  g_assert_true (mz_date_parse ("2024-02-29", &d));
  g_assert_cmpint (g_date_get_year (&d), ==, 2024);
  g_assert_cmpint (g_date_get_month (&d), ==, G_DATE_FEBRUARY);
  g_assert_cmpint (g_date_get_day (&d), ==, 29);

  g_assert_true (mz_date_parse ("2000-02-29", NULL));
  g_assert_true (mz_date_parse ("0001-01-01", NULL));
  g_assert_true (mz_date_parse ("9999-12-31", NULL));
  g_assert_true (mz_date_parse ("2025-05-10", NULL));
}

static void
test_parse_invalid (void)
{
  static const char *const bad[] = {
    "1900-02-29", "2023-02-29", "2024-02-30", "2024-04-31", "2024-13-01",
    "2024-00-10", "2024-01-00", "0000-01-01", "2024-2-9", "2024/02/09",
    "20240209", "2024-02-09 ", " 2024-02-09", "2024-02-09T00:00", "",
    "２０２４-01-01", "2024-0a-01", "-024-01-01",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      GDate d;

      g_date_clear (&d, 1);
      g_assert_false (mz_date_parse (bad[i], &d));
      g_assert_false (g_date_valid (&d));
    }
}

static void
test_parse_null (void)
{
  if (g_test_subprocess ())
    {
      mz_date_parse (NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*text != NULL*");
}

static void
assert_add (const char *date, gint days, const char *expected)
{
  g_autofree char *got = mz_date_add_days (date, days);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_add_days (void)
{
  assert_add ("2024-02-28", 1, "2024-02-29");
  assert_add ("2024-02-28", 2, "2024-03-01");
  assert_add ("2023-02-28", 1, "2023-03-01");
  assert_add ("2024-12-31", 1, "2025-01-01");
  assert_add ("2025-01-01", -1, "2024-12-31");
  assert_add ("2024-03-01", -1, "2024-02-29");
  assert_add ("2024-06-15", 0, "2024-06-15");
  /* The divorce cooling-off period: 30 days from acceptance. */
  assert_add ("2025-05-10", 30, "2025-06-09");
  assert_add ("2000-01-01", 366, "2001-01-01");
  assert_add ("9999-12-30", 1, "9999-12-31");
  /* No "YYYY-MM-DD" form outside years 1–9999. */
  assert_add ("9999-12-31", 1, NULL);
  assert_add ("0001-01-01", -1, NULL);
  assert_add ("2024-01-01", G_MAXINT, NULL);
  assert_add ("2024-01-01", G_MININT, NULL);
  assert_add ("2023-02-29", 1, NULL);
  assert_add ("not a date", 1, NULL);
}

static void
test_diff_days (void)
{
  g_assert_cmpint (mz_date_diff_days ("2024-01-01", "2024-12-31"), ==, 365);
  g_assert_cmpint (mz_date_diff_days ("2023-01-01", "2023-12-31"), ==, 364);
  g_assert_cmpint (mz_date_diff_days ("2024-12-31", "2024-01-01"), ==, -365);
  g_assert_cmpint (mz_date_diff_days ("2024-02-28", "2024-03-01"), ==, 2);
  g_assert_cmpint (mz_date_diff_days ("2023-02-28", "2023-03-01"), ==, 1);
  g_assert_cmpint (mz_date_diff_days ("2024-06-15", "2024-06-15"), ==, 0);
  g_assert_cmpint (mz_date_diff_days ("0001-01-01", "9999-12-31"), ==, 3652058);
  g_assert_cmpint (mz_date_diff_days ("2024-02-30", "2024-03-01"), ==, G_MININT);
  g_assert_cmpint (mz_date_diff_days ("2024-03-01", ""), ==, G_MININT);
}

static void
test_age_on (void)
{
  /* A man born 2003-05-10 may marry (22 周岁) from 2025-05-10, not a day earlier. */
  g_assert_cmpint (mz_date_age_on ("2003-05-10", "2025-05-09"), ==, 21);
  g_assert_cmpint (mz_date_age_on ("2003-05-10", "2025-05-10"), ==, 22);
  g_assert_cmpint (mz_date_age_on ("2003-05-10", "2025-05-11"), ==, 22);
  g_assert_cmpint (mz_date_age_on ("1949-12-31", "2024-12-30"), ==, 74);
  g_assert_cmpint (mz_date_age_on ("1949-12-31", "2024-12-31"), ==, 75);
  g_assert_cmpint (mz_date_age_on ("1949-12-31", "2025-01-01"), ==, 75);
  g_assert_cmpint (mz_date_age_on ("2024-06-15", "2024-06-15"), ==, 0);
  g_assert_cmpint (mz_date_age_on ("2024-06-15", "2025-06-14"), ==, 0);
  g_assert_cmpint (mz_date_age_on ("2024-06-15", "2025-06-15"), ==, 1);
}

static void
test_age_on_february_29 (void)
{
  /* In common years the birthday is taken as 1 March. */
  g_assert_cmpint (mz_date_age_on ("2004-02-29", "2026-02-28"), ==, 21);
  g_assert_cmpint (mz_date_age_on ("2004-02-29", "2026-03-01"), ==, 22);
  /* In leap years it is 29 February itself. */
  g_assert_cmpint (mz_date_age_on ("2004-02-29", "2028-02-28"), ==, 23);
  g_assert_cmpint (mz_date_age_on ("2004-02-29", "2028-02-29"), ==, 24);
  g_assert_cmpint (mz_date_age_on ("2004-02-29", "2100-02-28"), ==, 95);
  g_assert_cmpint (mz_date_age_on ("2004-02-29", "2100-03-01"), ==, 96);
}

static void
test_age_on_bad_input (void)
{
  g_assert_cmpint (mz_date_age_on ("2024-06-15", "2024-06-14"), ==, -1);
  g_assert_cmpint (mz_date_age_on ("2023-02-29", "2024-06-14"), ==, -1);
  g_assert_cmpint (mz_date_age_on ("2020-01-01", "2024-6-14"), ==, -1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/date/parse/valid", test_parse_valid);
  g_test_add_func ("/date/parse/invalid", test_parse_invalid);
  g_test_add_func ("/date/parse/null", test_parse_null);
  g_test_add_func ("/date/add-days", test_add_days);
  g_test_add_func ("/date/diff-days", test_diff_days);
  g_test_add_func ("/date/age-on/boundary-days", test_age_on);
  g_test_add_func ("/date/age-on/february-29", test_age_on_february_29);
  g_test_add_func ("/date/age-on/bad-input", test_age_on_bad_input);

  return g_test_run ();
}
