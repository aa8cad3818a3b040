/* Tests of the shared validators: ID number (GB 11643-1999), unified social
 * credit code (GB 32100-2015) and division code (GB/T 2260).  Expected
 * values were worked out by hand from the standards, not by this code.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include <string.h>

/* Asserts that @error is in MZ_FIELD_ERROR with @code and that its message
 * ends with the rule code @rule, as the error convention requires. */
static void
assert_field_error (GError *error, MzFieldError code, const char *rule)
{
  g_autofree char *name = NULL;

  g_assert_nonnull (error);
  g_assert_error (error, MZ_FIELD_ERROR, (gint) code);
  name = mz_error_code_name (error);
  g_assert_cmpstr (name, ==, rule);
}

static void
assert_id_refused (const char *text, const char *today, gboolean legacy,
                   MzFieldError code, const char *rule)
{
  g_autoptr (GError) error = NULL;
  MzIdNumber id;

  g_assert_false (mz_id_number_parse (text, today, legacy, &id, &error));
  assert_field_error (error, code, rule);
  /* A refusal is shown and kept in the audit log as it is: it never
   * quotes the number's birth date digits. */
  if (strlen (text) >= 14)
    {
      g_autofree char *digits = g_strndup (text + 6, 8);
      g_autofree char *dashed = g_strdup_printf ("%.4s-%.2s-%.2s", text + 6, text + 10, text + 12);

      g_assert_null (strstr (error->message, digits));
      g_assert_null (strstr (error->message, dashed));
    }
}

static void
test_id_valid_examples (void)
{
  g_autoptr (GError) error = NULL;
  MzIdNumber id;

  g_assert_true (mz_id_number_parse ("11010519491231002X", "2024-06-01", FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id.normalized, ==, "11010519491231002X");
  g_assert_cmpstr (id.division, ==, "110105");
  g_assert_cmpstr (id.birth, ==, "1949-12-31");
  g_assert_cmpint (id.sex, ==, MZ_SEX_FEMALE);
  g_assert_false (id.legacy);

  g_assert_true (mz_id_number_parse ("440524188001010014", "2024-06-01", FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id.normalized, ==, "440524188001010014");
  g_assert_cmpstr (id.division, ==, "440524");
  g_assert_cmpstr (id.birth, ==, "1880-01-01");
  g_assert_cmpint (id.sex, ==, MZ_SEX_MALE);

  g_assert_true (mz_id_number_parse ("320106199612310042", "2024-06-01", FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id.sex, ==, MZ_SEX_FEMALE);
  /* Weighted sum divisible by 11: the check character is 1. */
  g_assert_true (mz_id_number_parse ("450222199001010061", NULL, FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_true (mz_id_number_parse ("110105198001011238", NULL, FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id.sex, ==, MZ_SEX_MALE);

  /* The output is optional. */
  g_assert_true (mz_id_number_parse ("11010519491231002X", NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
}

static void
test_id_lower_case_x (void)
{
  g_autoptr (GError) error = NULL;
  MzIdNumber id;

  g_assert_true (mz_id_number_parse ("11010519491231002x", "2024-06-01", FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id.normalized, ==, "11010519491231002X");
}

static void
test_id_spaces (void)
{
  g_autoptr (GError) error = NULL;
  MzIdNumber id;

  g_assert_true (mz_id_number_parse ("  11010519491231002X \t", NULL, FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id.normalized, ==, "11010519491231002X");

  assert_id_refused ("110105 19491231002X", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.length");
  assert_id_refused ("110105 1949123102X", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.format");
}

static void
test_id_wrong_length (void)
{
  assert_id_refused ("", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.length");
  assert_id_refused ("   ", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.length");
  assert_id_refused ("11010519491231002", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.length");
  assert_id_refused ("11010519491231002X1", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.length");
  /* A 15-digit legacy number where the kind does not allow one. */
  assert_id_refused ("110105491231002", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.length");
  assert_id_refused ("1101054912310021", NULL, TRUE, MZ_FIELD_ERROR_FORMAT, "id_number.length");
}

static void
test_id_characters (void)
{
  g_autoptr (GError) error = NULL;

  assert_id_refused ("1101051949A231002X", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.format");
  /* X is a check character only, never a digit elsewhere. */
  assert_id_refused ("X10105194912310021", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.format");
  assert_id_refused ("11010519491231002Y", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.format");
  assert_id_refused ("11010549123100X", NULL, TRUE, MZ_FIELD_ERROR_FORMAT, "id_number.format");
  /* Full-width digits count as one character each: right length, wrong characters. */
  assert_id_refused ("１１０１０５19491231002X", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.format");
  assert_id_refused ("身份证号", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.length");
  assert_id_refused ("11010519491231002\xff", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.format");

  g_assert_false (mz_id_number_parse ("1101051949A231002X", NULL, FALSE, NULL, &error));
  g_assert_nonnull (strstr (error->message, "第 11 位"));
}

static void
test_id_checksum (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_id_number_parse ("110105194912310021", NULL, FALSE, NULL, &error));
  assert_field_error (error, MZ_FIELD_ERROR_CHECKSUM, "id_number.checksum");
  /* The clerk is told what the check character should be. */
  g_assert_nonnull (strstr (error->message, "应为 X"));
  /* The number itself is personal data and stays out of messages. */
  g_assert_null (strstr (error->message, "1101051949"));
  g_clear_error (&error);

  g_assert_false (mz_id_number_parse ("440524188001010015", NULL, FALSE, NULL, &error));
  assert_field_error (error, MZ_FIELD_ERROR_CHECKSUM, "id_number.checksum");
  g_assert_nonnull (strstr (error->message, "应为 4"));
}

static void
test_id_february_29 (void)
{
  g_autoptr (GError) error = NULL;
  MzIdNumber id;

  g_assert_true (mz_id_number_parse ("110105200002290013", "2024-06-01", FALSE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id.birth, ==, "2000-02-29");

  /* 1900 is not a leap year (divisible by 100, not by 400). */
  assert_id_refused ("110105190002290017", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.birth_date");
  assert_id_refused ("110105202302290014", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.birth_date");
  assert_id_refused ("110105200013010013", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.birth_date");
  assert_id_refused ("110105200004310013", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.birth_date");
  assert_id_refused ("110105200001000013", NULL, FALSE, MZ_FIELD_ERROR_FORMAT, "id_number.birth_date");
}

static void
test_id_birth_future (void)
{
  g_autoptr (GError) error = NULL;

  /* Born today is fine, born tomorrow is not. */
  g_assert_true (mz_id_number_parse ("110105202401010014", "2024-01-01", FALSE, NULL, &error));
  g_assert_no_error (error);
  assert_id_refused ("11010520240102001X", "2024-01-01", FALSE, MZ_FIELD_ERROR_RANGE, "id_number.birth_date");
  g_assert_true (mz_id_number_parse ("11010520240102001X", "2024-01-02", FALSE, NULL, &error));
  g_assert_no_error (error);

  /* Without @today the office's real date is the limit. */
  assert_id_refused ("110105299901010014", NULL, FALSE, MZ_FIELD_ERROR_RANGE, "id_number.birth_date");
}

static void
test_id_birth_lower_bound (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (mz_id_number_parse ("110105180001010010", NULL, FALSE, NULL, &error));
  g_assert_no_error (error);
  assert_id_refused ("110105179912310016", NULL, FALSE, MZ_FIELD_ERROR_RANGE, "id_number.birth_date");
}

static void
test_id_legacy (void)
{
  g_autoptr (GError) error = NULL;
  MzIdNumber id;

  g_assert_true (mz_id_number_parse ("110105491231002", NULL, TRUE, &id, &error));
  g_assert_no_error (error);
  g_assert_true (id.legacy);
  g_assert_cmpstr (id.normalized, ==, "110105491231002");
  g_assert_cmpstr (id.division, ==, "110105");
  g_assert_cmpstr (id.birth, ==, "1949-12-31");
  g_assert_cmpint (id.sex, ==, MZ_SEX_FEMALE);

  g_assert_true (mz_id_number_parse ("440524800229013", NULL, TRUE, &id, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (id.birth, ==, "1980-02-29");
  g_assert_cmpint (id.sex, ==, MZ_SEX_MALE);

  /* 1900-02-29 never existed, and a legacy year is always 19YY. */
  assert_id_refused ("110105000229013", NULL, TRUE, MZ_FIELD_ERROR_FORMAT, "id_number.birth_date");
  /* 18-digit numbers are still accepted when legacy ones are. */
  g_assert_true (mz_id_number_parse ("11010519491231002X", NULL, TRUE, &id, &error));
  g_assert_false (id.legacy);
}

static void
test_id_null_text (void)
{
  if (g_test_subprocess ())
    {
      mz_id_number_parse (NULL, NULL, FALSE, NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*text != NULL*");
}

static void
test_id_bad_today (void)
{
  if (g_test_subprocess ())
    {
      mz_id_number_parse ("11010519491231002X", "2024-13-01", FALSE, NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*mz_date_parse*");
}

static void
test_uscc_valid_examples (void)
{
  g_autoptr (GError) error = NULL;
  MzUscc code;

  g_assert_true (mz_uscc_parse ("51100000500009247D", &code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code.normalized, ==, "51100000500009247D");
  g_assert_cmpstr (code.division, ==, "100000");
  g_assert_true (code.civil_affairs);
  g_assert_cmpint (code.type, ==, MZ_USCC_SOCIAL_GROUP);
  g_assert_true (code.inner_check_ok);

  g_assert_true (mz_uscc_parse ("53100000500019795A", &code, &error));
  g_assert_no_error (error);
  g_assert_cmpint (code.type, ==, MZ_USCC_FOUNDATION);
  g_assert_true (code.inner_check_ok);

  g_assert_true (mz_uscc_parse ("52450222MJ0000018P", &code, &error));
  g_assert_no_error (error);
  g_assert_cmpint (code.type, ==, MZ_USCC_PRIVATE_NONPROFIT);
  g_assert_cmpstr (code.division, ==, "450222");
  g_assert_true (code.inner_check_ok);

  /* Weighted sum divisible by 31: the check character is 0, not 31. */
  g_assert_true (mz_uscc_parse ("51450222MJ00002450", &code, &error));
  g_assert_no_error (error);
  g_assert_true (code.inner_check_ok);

  /* An enterprise: valid, but not registered by civil affairs. */
  g_assert_true (mz_uscc_parse ("91350100123456788Q", &code, &error));
  g_assert_no_error (error);
  g_assert_false (code.civil_affairs);
  g_assert_cmpint (code.type, ==, MZ_USCC_OTHER);
}

static void
test_uscc_checksum (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_uscc_parse ("51100000500000024G", NULL, &error));
  assert_field_error (error, MZ_FIELD_ERROR_CHECKSUM, "uscc.checksum");
  g_assert_nonnull (strstr (error->message, "应为 M"));
  g_clear_error (&error);

  g_assert_false (mz_uscc_parse ("51100000500009247E", NULL, &error));
  assert_field_error (error, MZ_FIELD_ERROR_CHECKSUM, "uscc.checksum");
  g_assert_nonnull (strstr (error->message, "应为 D"));
}

static void
test_uscc_inner_check (void)
{
  g_autoptr (GError) error = NULL;
  MzUscc code;

  /* Outer check right, organisation code check wrong: a warning, not a refusal. */
  g_assert_true (mz_uscc_parse ("511000005000092431", &code, &error));
  g_assert_no_error (error);
  g_assert_false (code.inner_check_ok);

  /* Inner check characters X (remainder 1) and 0 (remainder 0). */
  g_assert_true (mz_uscc_parse ("5111000000000006XJ", &code, &error));
  g_assert_no_error (error);
  g_assert_true (code.inner_check_ok);
  g_assert_true (mz_uscc_parse ("51110000000000000J", &code, &error));
  g_assert_no_error (error);
  g_assert_true (code.inner_check_ok);
}

static void
test_uscc_lower_case_and_spaces (void)
{
  g_autoptr (GError) error = NULL;
  MzUscc code;

  g_assert_true (mz_uscc_parse (" 52450222mj0000018p ", &code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code.normalized, ==, "52450222MJ0000018P");

  g_assert_false (mz_uscc_parse ("5110000050 0009247D", NULL, &error));
  assert_field_error (error, MZ_FIELD_ERROR_FORMAT, "uscc.length");
  g_clear_error (&error);
  g_assert_false (mz_uscc_parse ("511000005 0009247D", NULL, &error));
  assert_field_error (error, MZ_FIELD_ERROR_FORMAT, "uscc.alphabet");
}

static void
test_uscc_alphabet (void)
{
  const char *outside = "IOZSV";

  for (const char *c = outside; *c != '\0'; c++)
    {
      g_autoptr (GError) error = NULL;
      char text[] = "52450222MJ0000018P";

      text[8] = *c;
      g_assert_false (mz_uscc_parse (text, NULL, &error));
      assert_field_error (error, MZ_FIELD_ERROR_FORMAT, "uscc.alphabet");
      g_assert_nonnull (strstr (error->message, "第 9 位"));
    }
  {
    g_autoptr (GError) error = NULL;

    g_assert_false (mz_uscc_parse ("52450222MJ00000-8P", NULL, &error));
    assert_field_error (error, MZ_FIELD_ERROR_FORMAT, "uscc.alphabet");
  }
  {
    g_autoptr (GError) error = NULL;

    /* Letters are allowed in the alphabet, but not in the division part. */
    g_assert_false (mz_uscc_parse ("5245A222MJ0000018P", NULL, &error));
    assert_field_error (error, MZ_FIELD_ERROR_FORMAT, "uscc.division");
  }
}

static void
test_uscc_length (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_uscc_parse ("51100000500009247", NULL, &error));
  assert_field_error (error, MZ_FIELD_ERROR_FORMAT, "uscc.length");
  g_clear_error (&error);
  g_assert_false (mz_uscc_parse ("51100000500009247DD", NULL, &error));
  assert_field_error (error, MZ_FIELD_ERROR_FORMAT, "uscc.length");
  g_clear_error (&error);
  g_assert_false (mz_uscc_parse ("", NULL, &error));
  assert_field_error (error, MZ_FIELD_ERROR_FORMAT, "uscc.length");
}

static void
test_uscc_null_text (void)
{
  if (g_test_subprocess ())
    {
      mz_uscc_parse (NULL, NULL, NULL);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*text != NULL*");
}

static void
test_division (void)
{
  static const struct { const char *text; const char *rule; } cases[] = {
    { "110105", NULL },
    { "450222", NULL },
    { "440524", NULL },
    { "110000", NULL },
    { "820000", NULL },
    { "441900", NULL },
    { "", "division.format" },
    { "11010", "division.format" },
    { "1101050", "division.format" },
    { "11010a", "division.format" },
    { "１１０１０５", "division.format" },
    { " 110105", "division.format" },
    { "100000", "division.province" },
    { "990000", "division.province" },
    { "190101", "division.province" },
    { "110015", "division.format" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      gboolean ok = mz_division_code_check (cases[i].text, &error);

      if (cases[i].rule == NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          assert_field_error (error, MZ_FIELD_ERROR_FORMAT, cases[i].rule);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/validate/id-number/valid-examples", test_id_valid_examples);
  g_test_add_func ("/validate/id-number/lower-case-x", test_id_lower_case_x);
  g_test_add_func ("/validate/id-number/spaces", test_id_spaces);
  g_test_add_func ("/validate/id-number/wrong-length", test_id_wrong_length);
  g_test_add_func ("/validate/id-number/characters", test_id_characters);
  g_test_add_func ("/validate/id-number/checksum", test_id_checksum);
  g_test_add_func ("/validate/id-number/february-29", test_id_february_29);
  g_test_add_func ("/validate/id-number/birth-in-future", test_id_birth_future);
  g_test_add_func ("/validate/id-number/birth-lower-bound", test_id_birth_lower_bound);
  g_test_add_func ("/validate/id-number/legacy-15", test_id_legacy);
  g_test_add_func ("/validate/id-number/null-text", test_id_null_text);
  g_test_add_func ("/validate/id-number/bad-today", test_id_bad_today);
  g_test_add_func ("/validate/uscc/valid-examples", test_uscc_valid_examples);
  g_test_add_func ("/validate/uscc/checksum", test_uscc_checksum);
  g_test_add_func ("/validate/uscc/inner-check-warning", test_uscc_inner_check);
  g_test_add_func ("/validate/uscc/lower-case-and-spaces", test_uscc_lower_case_and_spaces);
  g_test_add_func ("/validate/uscc/alphabet", test_uscc_alphabet);
  g_test_add_func ("/validate/uscc/length", test_uscc_length);
  g_test_add_func ("/validate/uscc/null-text", test_uscc_null_text);
  g_test_add_func ("/validate/division/shape", test_division);

  return g_test_run ();
}
