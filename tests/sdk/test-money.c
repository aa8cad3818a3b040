/* Tests of money in integer fen: parsing 元 text, printing 元 and 万元
 * with half-away-from-zero rounding, and the int64 limits.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

static void
assert_parses (const char *text, gint64 expected)
{
  g_autoptr (GError) error = NULL;
  gint64 fen = -1;

  g_assert_true (mz_money_parse_yuan (text, &fen, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fen, ==, expected);
}

static void
assert_refused (const char *text, MzFieldError code, const char *rule)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *name = NULL;
  gint64 fen = 7;

  g_assert_false (mz_money_parse_yuan (text, &fen, &error));
  g_assert_error (error, MZ_FIELD_ERROR, (gint) code);
  name = mz_error_code_name (error);
  g_assert_cmpstr (name, ==, rule);
  /* The output is left alone on failure. */
  g_assert_cmpint (fen, ==, 7);
}

static void
test_parse_valid (void)
{
  assert_parses ("1200", 120000);
  assert_parses ("1200.5", 120050);
  assert_parses ("1200.50", 120050);
  assert_parses ("1,200.50", 120050);
  assert_parses ("12,345,678.09", 1234567809);
  assert_parses ("0", 0);
  assert_parses ("0.01", 1);
  assert_parses ("007", 700);
  assert_parses (" 792 ", 79200);
  assert_parses ("92233720368547758.07", G_MAXINT64);
}

static void
test_parse_refused (void)
{
  assert_refused ("", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("   ", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("1200.555", MZ_FIELD_ERROR_FORMAT, "money.decimals");
  assert_refused ("0.001", MZ_FIELD_ERROR_FORMAT, "money.decimals");
  assert_refused ("-5", MZ_FIELD_ERROR_RANGE, "money.negative");
  assert_refused ("+5", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("12,00", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("1,2345", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("1234,567", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused (",123", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("1,,234", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("1200.", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused (".5", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("1 200", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("1200元", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("１２００", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("1e3", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("1.2.3", MZ_FIELD_ERROR_FORMAT, "money.format");
  assert_refused ("92233720368547758.08", MZ_FIELD_ERROR_RANGE, "money.overflow");
  assert_refused ("92233720368547759", MZ_FIELD_ERROR_RANGE, "money.overflow");
  assert_refused ("100000000000000000000000", MZ_FIELD_ERROR_RANGE, "money.overflow");
}

static void
assert_yuan (gint64 fen, const char *expected)
{
  g_autofree char *got = mz_money_format_yuan (fen);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_format_yuan (void)
{
  assert_yuan (0, "0.00");
  assert_yuan (1, "0.01");
  assert_yuan (120000, "1200.00");
  assert_yuan (120050, "1200.50");
  assert_yuan (-150, "-1.50");
  assert_yuan (G_MAXINT64, "92233720368547758.07");
  assert_yuan (G_MININT64, "-92233720368547758.08");
}

static void
test_round_trip (void)
{
  static const gint64 amounts[] = { 0, 1, 99, 100, 79200, 117200, 154000, 3560000000, G_MAXINT64 };

  for (gsize i = 0; i < G_N_ELEMENTS (amounts); i++)
    {
      g_autofree char *text = mz_money_format_yuan (amounts[i]);

      assert_parses (text, amounts[i]);
    }
}

static void
assert_wan (gint64 fen, guint decimals, const char *expected)
{
  g_autofree char *got = mz_money_format_wan (fen, decimals);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_format_wan (void)
{
  /* The 2023 funeral report: 35.6 万元. */
  assert_wan (35600000, 1, "35.6");
  assert_wan (35600000, 2, "35.60");
  assert_wan (35600000, 0, "36");
  /* Half away from zero, on both sides of zero. */
  assert_wan (35650000, 1, "35.7");
  assert_wan (35649999, 1, "35.6");
  assert_wan (-35650000, 1, "-35.7");
  assert_wan (-35649999, 1, "-35.6");
  assert_wan (500000, 0, "1");
  assert_wan (499999, 0, "0");
  /* Nothing left after rounding: no "-0.0". */
  assert_wan (-1, 1, "0.0");
  assert_wan (0, 2, "0.00");
  assert_wan (120000, 2, "0.12");
  assert_wan (1, 6, "0.000001");
  assert_wan (-1, 6, "-0.000001");
  assert_wan (G_MAXINT64, 0, "9223372036855");
  assert_wan (G_MININT64, 6, "-9223372036854.775808");
}

static void
test_format_wan_too_many_decimals (void)
{
  if (g_test_subprocess ())
    {
      g_free (mz_money_format_wan (1, 7));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*decimals <= 6*");
}

static void
test_parse_null (void)
{
  if (g_test_subprocess ())
    {
      mz_money_parse_yuan (NULL, NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*text != NULL*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/money/parse/valid", test_parse_valid);
  g_test_add_func ("/money/parse/refused", test_parse_refused);
  g_test_add_func ("/money/parse/null", test_parse_null);
  g_test_add_func ("/money/format-yuan", test_format_yuan);
  g_test_add_func ("/money/round-trip", test_round_trip);
  g_test_add_func ("/money/format-wan", test_format_wan);
  g_test_add_func ("/money/format-wan/too-many-decimals", test_format_wan_too_many_decimals);

  return g_test_run ();
}
