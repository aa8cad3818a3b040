/* Bad input at every field type, through mz_services_act: each refusal
 * names the field, its label, the rule and the value (masked when
 * personal), and nothing is written.  SQL metacharacters are data.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <string.h>

#include "store-test.h"

static StoreFixture *fx;

typedef struct
{
  const char *field;
  const char *value;
  MzFieldError code;
  const char *rule;
} BadInput;

static const BadInput bad_inputs[] = {
  { "name", "一二三四五六七八九", MZ_FIELD_ERROR_TOO_LONG, "[field.text.too_long]" },
  { "note", "line\001break", MZ_FIELD_ERROR_FORMAT, "[field.text.control]" },
  { "note", "\xff\xfe", MZ_FIELD_ERROR_FORMAT, "[field.text.encoding]" },
  { "count", "12a", MZ_FIELD_ERROR_FORMAT, "[field.integer.format]" },
  { "count", "101", MZ_FIELD_ERROR_RANGE, "[field.integer.range]" },
  { "count", "-1", MZ_FIELD_ERROR_RANGE, "[field.integer.range]" },
  { "born", "2025-02-30", MZ_FIELD_ERROR_FORMAT, "[field.date.invalid]" },
  { "born", "2025-2-3", MZ_FIELD_ERROR_FORMAT, "[field.date.format]" },
  { "born", "20250203", MZ_FIELD_ERROR_FORMAT, "[field.date.format]" },
  { "amount", "-100", MZ_FIELD_ERROR_RANGE, "[field.money.negative]" },
  { "amount", "12.50", MZ_FIELD_ERROR_FORMAT, "[field.money.format]" },
  { "amount", "99999999999999999999", MZ_FIELD_ERROR_FORMAT, "[field.money.format]" },
  { "category", "wubao", MZ_FIELD_ERROR_ENUM, "[field.enum.unknown]" },
  { "category", "DIBAO", MZ_FIELD_ERROR_ENUM, "[field.enum.unknown]" },
  { "urgent", "maybe", MZ_FIELD_ERROR_FORMAT, "[field.boolean.format]" },
  { "person_id", "440524188001010015", MZ_FIELD_ERROR_CHECKSUM, "[field.id_number.checksum]" },
  { "person_id", "44052418800101001", MZ_FIELD_ERROR_FORMAT, "[field.id_number.length]" },
  { "person_id", "44052420990101001X", MZ_FIELD_ERROR_RANGE, "[field.id_number.birth_date]" },
  { "org", "51100000500000024G", MZ_FIELD_ERROR_CHECKSUM, "[field.uscc.checksum]" },
  { "division", "12345", MZ_FIELD_ERROR_FORMAT, "[field.division.format]" },
  { "parent", "x1", MZ_FIELD_ERROR_FORMAT, "[field.reference.format]" },
  { "parent", "0", MZ_FIELD_ERROR_FORMAT, "[field.reference.format]" },
  { "seen_at", "2025-05-20 08:00", MZ_FIELD_ERROR_FORMAT, "[field.datetime.format]" },
  { "seen_at", "2025-05-20T08:00:00", MZ_FIELD_ERROR_FORMAT, "[field.datetime.format]" },
  { "cert_no", "C-1", MZ_FIELD_ERROR_UNKNOWN, "[field.unknown]" },
  { "no_such", "1", MZ_FIELD_ERROR_UNKNOWN, "[field.unknown]" },
};

static void
test_bad_input (gconstpointer data)
{
  const BadInput *bad = data;
  g_autoptr (GError) error = NULL;
  const char *name = g_str_equal (bad->field, "name") ? bad->value : "张三";
  const char *label;
  int index;
  gint64 before = store_test_query_int (fx, "SELECT count(*) FROM storetest_case");

  if (g_str_equal (bad->field, "name"))
    g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                    "name", name, NULL));
  else
    g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                    "name", name, bad->field, bad->value, NULL));
  g_assert_error (error, MZ_FIELD_ERROR, (gint) bad->code);
  g_test_message ("%s=%s: %s", bad->field, bad->value, error->message);
  g_assert_nonnull (strstr (error->message, bad->field));
  g_assert_true (g_str_has_suffix (error->message, bad->rule));

  index = mz_kind_field (mz_services_lookup_kind (fx->services, "storetest", "case"), bad->field);
  label = index >= 0 ? mz_services_lookup_kind (fx->services, "storetest", "case")->def->fields[index].label : NULL;
  if (label != NULL)
    g_assert_nonnull (strstr (error->message, label));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpint (store_test_query_int (fx, "SELECT count(*) FROM storetest_case"), ==, before);
}

static void
test_personal_masked_in_message (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                  "name", "张三", "person_id", "440524188001010015", NULL));
  g_assert_null (strstr (error->message, "440524188001010015"));
  g_assert_nonnull (strstr (error->message, "4405**********0015"));
  g_clear_error (&error);

  g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                  "name", "欧阳娜娜娜娜娜娜娜", NULL));
  g_assert_null (strstr (error->message, "欧阳娜娜娜娜娜娜娜"));
  g_assert_nonnull (strstr (error->message, "[field.text.too_long]"));
}

/* A request with several bad values is refused for the first of them in
 * the kind's order of fields (born comes before amount and category),
 * whatever order the caller's table holds them in; several unknown fields,
 * for the first by name. */
static void
test_several_bad_values (void)
{
  for (guint round = 0; round < 8; round++)
    {
      g_autoptr (GError) error = NULL;

      if (round % 2 == 0)
        g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                        "name", "张三", "category", "xx", "amount", "-5", "born", "2021-02-30", NULL));
      else
        g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                        "born", "2021-02-30", "amount", "-5", "name", "张三", "category", "xx", NULL));
      g_assert_nonnull (strstr (error->message, "born"));
      g_clear_error (&error);

      g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                      "name", "张三", "zeta", "1", "alpha", "2", "born", "2021-02-30", NULL));
      g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_UNKNOWN);
      g_assert_nonnull (strstr (error->message, "alpha"));
    }
}

static void
test_required (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                  "note", "no name", NULL));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_REQUIRED);
  g_assert_nonnull (strstr (error->message, "姓名"));
  g_clear_error (&error);
  g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                  "name", "", NULL));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_REQUIRED);
}

static void
test_missing_reference (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, NULL, &error,
                                  "name", "张三", "parent", "42", NULL));
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_REFERENCE);
  g_assert_nonnull (strstr (error->message, "#42"));
}

/* Every type accepts its good forms, normalised as documented. */
static void
test_good_values (void)
{
  g_autoptr (GError) error = NULL;
  const char *sql_text = "Robert'); DROP TABLE storetest_case;-- \" % _ \\";
  g_autofree char *note = NULL;
  g_autofree char *person = NULL;
  g_autofree char *seen = NULL;
  MzActResult result;

  g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, &result, &error,
                                 "name", "张三", "note", sql_text, "count", "100", "born", "2000-02-29",
                                 "amount", "0", "category", "tekun", "urgent", "是",
                                 "person_id", "11010519491231002x", "org", "51100000500009247D",
                                 "division", "450222", "seen_at", "2025-05-20T08:00:00+08:00", NULL));
  g_assert_no_error (error);
  g_assert_cmpint (result.record_id, ==, 1);
  note = store_test_query (fx, "SELECT note FROM storetest_case WHERE id = 1");
  g_assert_cmpstr (note, ==, sql_text);
  person = store_test_query (fx, "SELECT person_id FROM storetest_case WHERE id = 1");
  g_assert_cmpstr (person, ==, "11010519491231002X");
  seen = store_test_query (fx, "SELECT seen_at FROM storetest_case WHERE id = 1");
  g_assert_cmpstr (seen, ==, "2025-05-20T00:00:00Z");
  g_assert_cmpint (store_test_query_int (fx, "SELECT urgent FROM storetest_case WHERE id = 1"), ==, 1);

  /* A reference to the record just made is fine. */
  g_assert_true (store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, &result, &error,
                                 "name", "李四", "parent", "1", NULL));
  g_assert_no_error (error);
  g_assert_cmpint (result.record_id, ==, store_test_query_int (fx, "SELECT max(id) FROM storetest_case"));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    {
      g_autofree char *path = g_strdup_printf ("/store/validate/bad/%s/%u", bad_inputs[i].field, i);
      g_test_add_data_func (path, &bad_inputs[i], test_bad_input);
    }
  g_test_add_func ("/store/validate/personal-masked", test_personal_masked_in_message);
  g_test_add_func ("/store/validate/required", test_required);
  g_test_add_func ("/store/validate/several-bad-values", test_several_bad_values);
  g_test_add_func ("/store/validate/missing-reference", test_missing_reference);
  g_test_add_func ("/store/validate/good-values", test_good_values);
  fx = store_fixture_new (NULL);
  status = g_test_run ();
  store_fixture_free (fx);
  return status;
}
