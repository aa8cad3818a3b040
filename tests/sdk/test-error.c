/* Tests of the error convention "<中文理由> [<code>]": building refusals and
 * field errors, and taking the code and the reason back apart.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include "sdk-private.h"

static void
assert_parts (const GError *error, const char *code, const char *reason)
{
  g_autofree char *c = mz_error_code_name (error);
  g_autofree char *r = mz_error_reason (error);

  g_assert_cmpstr (c, ==, code);
  g_assert_cmpstr (r, ==, reason);
}

static void
test_rule_refuse (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_rule_refuse (&error, "marriage.under_age",
                                  "男方未满%s周岁，不符合法定婚龄（民法典第一千零四十七条）", "二十二"));
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==,
                   "男方未满二十二周岁，不符合法定婚龄（民法典第一千零四十七条） [marriage.under_age]");
  assert_parts (error, "marriage.under_age",
                "男方未满二十二周岁，不符合法定婚龄（民法典第一千零四十七条）");

  /* A guard may be called without an error location. */
  g_assert_false (mz_rule_refuse (NULL, "funeral.duplicate", "已申请过减免"));
}

static void
test_field_error_set (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_field_error_set (&error, MZ_FIELD_ERROR_CHECKSUM, "husband_id", "男方身份证号",
                                      "id_number.checksum", "校验码错误，应为 %c", 'X'));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_CHECKSUM);
  g_assert_cmpstr (error->message, ==,
                   "字段 husband_id（男方身份证号）：校验码错误，应为 X [field.id_number.checksum]");
  assert_parts (error, "field.id_number.checksum", "字段 husband_id（男方身份证号）：校验码错误，应为 X");
  g_clear_error (&error);

  g_assert_false (mz_field_error_set (&error, MZ_FIELD_ERROR_REQUIRED, "cremation_no", NULL,
                                      "required", "必须填写"));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_REQUIRED);
  g_assert_cmpstr (error->message, ==, "字段 cremation_no：必须填写 [field.required]");
}

static void
test_sdk_error_set (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (mz_sdk_error_set (&error, MZ_FIELD_ERROR_RANGE, "money.negative", "金额不能为负数"));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_RANGE);
  assert_parts (error, "money.negative", "金额不能为负数");
}

static void
test_code_absent (void)
{
  static const struct { const char *message; const char *code; const char *reason; } cases[] = {
    { "no code at all", NULL, "no code at all" },
    { "empty []", NULL, "empty []" },
    { "not at the end [x.y] then more", NULL, "not at the end [x.y] then more" },
    { "spaces are not a code [a b]", NULL, "spaces are not a code [a b]" },
    { "见附件 [附件一]", NULL, "见附件 [附件一]" },
    { "]", NULL, "]" },
    { "[only]", "only", "" },
    { "两个括号 [first] [second.code]", "second.code", "两个括号 [first]" },
    { "no space[tight-code_1]", "tight-code_1", "no space" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = g_error_new_literal (MZ_RULE_ERROR, MZ_RULE_ERROR_STATE,
                                                      cases[i].message);

      assert_parts (error, cases[i].code, cases[i].reason);
    }
}

static void
test_domains (void)
{
  g_assert_cmpuint (MZ_FIELD_ERROR, !=, MZ_RULE_ERROR);
  g_assert_cmpstr (g_quark_to_string (MZ_FIELD_ERROR), ==, "mz-field-error-quark");
  g_assert_cmpstr (g_quark_to_string (MZ_RULE_ERROR), ==, "mz-rule-error-quark");
}

static void
test_code_name_null (void)
{
  if (g_test_subprocess ())
    {
      g_free (mz_error_code_name (NULL));
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*error != NULL*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/error/rule-refuse", test_rule_refuse);
  g_test_add_func ("/error/field-error-set", test_field_error_set);
  g_test_add_func ("/error/sdk-error-set", test_sdk_error_set);
  g_test_add_func ("/error/code-absent-or-odd", test_code_absent);
  g_test_add_func ("/error/domains", test_domains);
  g_test_add_func ("/error/code-name-null", test_code_name_null);

  return g_test_run ();
}
