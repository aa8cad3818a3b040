/* The real funeral.so through the host: eligibility, caps, uniqueness,
 * separation of duties, payment and a configuration change after approval.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "funeral-test-office.h"
#include "rules.h"

/* Every category the plugin knows, so that each is covered somewhere. */
static const char all_categories[] =
  "categories=dibao;tekun;youfu;unidentified;low_income;orphan;disabled;resident";
static const char floor_only[] = "categories=dibao;tekun;youfu;unidentified";

typedef struct
{
  guint person;                /* 0 for unidentified remains */
  const char *category;
  const char *policy_grant;    /* NULL, "true" or "false" */
  const char *claims[FUNERAL_N_ITEMS];
} Application;

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
assert_text (FuneralOffice *office,
             gint64         id,
             const char    *column,
             const char    *expected)
{
  g_autofree char *value = funeral_office_get (office, id, column);

  g_assert_cmpstr (value, ==, expected);
}

/* Submits @app as @actor; the cremation certificate is numbered after the
 * person (or @cremation when given). */
static gint64
submit_as (FuneralOffice     *office,
           const MzActor     *actor,
           const Application *app,
           const char        *cremation,
           GError           **error)
{
  char id[19] = "";
  g_autofree char *cert = cremation != NULL ? g_strdup (cremation)
                                             : g_strdup_printf ("HH2021%05u", app->person);
  gboolean unidentified = app->person == 0;

  if (!unidentified)
    funeral_test_id_number (app->person, TRUE, id);
  return funeral_office_act (office, actor, "submit", 0, NULL, error,
                             "deceased_name", unidentified ? "无名氏" : "韦某某",
                             "deceased_id", id,
                             "deceased_sex", "male",
                             "death_date", "2021-03-01",
                             "household_division", unidentified ? "" : "450222",
                             "death_certificate_no", "Q450222210001",
                             "cremation_certificate_no", cert,
                             "funeral_home", "柳州市殡仪馆",
                             "category", app->category,
                             "policy_grant", app->policy_grant != NULL ? app->policy_grant : "",
                             "applicant_name", unidentified ? "柳城县公安局" : "韦某",
                             "applicant_relation", unidentified ? "公安机关" : "子",
                             "applicant_phone", "0772-7612345",
                             "claim_transport", app->claims[0] != NULL ? app->claims[0] : "",
                             "claim_cold_storage", app->claims[1] != NULL ? app->claims[1] : "",
                             "claim_cremation", app->claims[2] != NULL ? app->claims[2] : "",
                             "claim_ash_storage", app->claims[3] != NULL ? app->claims[3] : "",
                             NULL);
}

static gint64
submit (FuneralOffice *office,
        guint          person,
        const char    *category,
        GError       **error)
{
  const Application app = { person, category, NULL, { "20000", NULL, "50000", "5000" } };

  return submit_as (office, &funeral_clerk, &app, NULL, error);
}

/* Review by the reviewer and approval by the approver. */
static void
review_and_approve (FuneralOffice *office,
                    gint64         id)
{
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (funeral_office_act (office, &funeral_reviewer, "review", id, NULL, &error,
                                       NULL), ==, id);
  g_assert_no_error (error);
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "approve", id, NULL, &error,
                                       NULL), ==, id);
  g_assert_no_error (error);
}

/* Each category: accepted by an office that covers it, refused naming it
 * by an office with only the national floor when it is not in the floor.
 * A process holds one office at a time: the plugin keeps the host it was
 * given at init (MzAction does not lead back to the plugin's handle). */
static void
test_categories (void)
{
  const char *const floor[] = { "dibao", "tekun", "youfu", "unidentified", NULL };
  const char *const configs[] = { all_categories, floor_only };

  for (guint k = 0; k < G_N_ELEMENTS (configs); k++)
    {
      g_autoptr (FuneralOffice) office = funeral_office_new (configs[k], "2021-03-05");
      guint person = 1;

      for (const MzEnumValue *c = funeral_categories; c->value != NULL; c++, person++)
        {
          gboolean unidentified = strcmp (c->value, "unidentified") == 0;
          gboolean covered = k == 0 || g_strv_contains (floor, c->value);
          g_autoptr (GError) error = NULL;
          gint64 id;

          id = submit (office, unidentified ? 0 : person, c->value, &error);
          if (covered)
            {
              g_assert_no_error (error);
              g_assert_cmpint (id, >, 0);
              assert_text (office, id, "state", "submitted");
            }
          else
            {
              g_assert_cmpint (id, ==, 0);
              g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED);
              assert_code (error, "funeral.category_not_covered");
              g_assert_nonnull (strstr (error->message, c->label));
            }
        }
    }
}

static void
test_policy_grant (void)
{
  const Application app = { 7, "dibao", "true", { NULL, NULL, "50000", NULL } };
  g_autoptr (GError) error = NULL;

  {
    g_autoptr (FuneralOffice) strict = funeral_office_new ("exclude_policy_grant=true", "2021-03-05");

    g_assert_cmpint (submit_as (strict, &funeral_clerk, &app, NULL, &error), ==, 0);
    assert_code (error, "funeral.policy_grant_excluded");
    g_clear_error (&error);
  }
  {
    g_autoptr (FuneralOffice) lenient = funeral_office_new ("exclude_policy_grant=false", "2021-03-05");

    g_assert_cmpint (submit_as (lenient, &funeral_clerk, &app, NULL, &error), >, 0);
    g_assert_no_error (error);
  }
}

/* Each item's cap, on the boundary and one fen over: the claim is kept,
 * the approved amount is the cap. */
static void
test_item_caps_boundary (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("cap_transport=300\ncap_cold_storage=200\n"
                                                         "cap_cremation=600\ncap_ash_storage=100",
                                                         "2021-03-05");
  const gint64 caps[FUNERAL_N_ITEMS] = { 30000, 20000, 60000, 10000 };
  const char *const claim_columns[FUNERAL_N_ITEMS] = {
    "claim_transport", "claim_cold_storage", "claim_cremation", "claim_ash_storage",
  };
  const char *const approved_columns[FUNERAL_N_ITEMS] = {
    "approved_transport", "approved_cold_storage", "approved_cremation", "approved_ash_storage",
  };
  guint person = 80;

  for (guint item = 0; item < FUNERAL_N_ITEMS; item++)
    for (gint64 over = 0; over <= 1; over++)
      {
        g_autofree char *claim = g_strdup_printf ("%" G_GINT64_FORMAT, caps[item] + over);
        Application app = { person++, "dibao", NULL, { NULL, NULL, NULL, NULL } };
        g_autoptr (GError) error = NULL;
        gint64 id;

        app.claims[item] = claim;
        id = submit_as (office, &funeral_clerk, &app, NULL, &error);
        g_assert_no_error (error);
        review_and_approve (office, id);
        g_assert_cmpint (funeral_office_get_int (office, id, claim_columns[item]), ==,
                         caps[item] + over);
        g_assert_cmpint (funeral_office_get_int (office, id, approved_columns[item]), ==, caps[item]);
        g_assert_cmpint (funeral_office_get_int (office, id, "approved_total"), ==, caps[item]);
      }
}

/* Item cap 600 元 and case cap 1200 元, on the boundary and one fen over:
 * the claim is kept, the approved amount reduced. */
static void
test_caps_boundary (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("cap_cremation=600\ncap_per_case=1200",
                                                         "2021-03-05");
  const Application at_item = { 1, "dibao", NULL, { NULL, NULL, "60000", NULL } };
  const Application over_item = { 2, "dibao", NULL, { NULL, NULL, "60001", NULL } };
  const Application at_case = { 3, "dibao", NULL, { "30000", "30000", "60000", NULL } };
  const Application over_case = { 4, "dibao", NULL, { "30000", "30000", "60000", "1" } };
  g_autoptr (GError) error = NULL;
  gint64 id;

  id = submit_as (office, &funeral_clerk, &at_item, NULL, &error);
  g_assert_no_error (error);
  review_and_approve (office, id);
  g_assert_cmpint (funeral_office_get_int (office, id, "claim_cremation"), ==, 60000);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_cremation"), ==, 60000);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_total"), ==, 60000);

  id = submit_as (office, &funeral_clerk, &over_item, NULL, &error);
  g_assert_no_error (error);
  review_and_approve (office, id);
  g_assert_cmpint (funeral_office_get_int (office, id, "claim_cremation"), ==, 60001);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_cremation"), ==, 60000);

  id = submit_as (office, &funeral_clerk, &at_case, NULL, &error);
  g_assert_no_error (error);
  review_and_approve (office, id);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_total"), ==, 120000);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_transport"), ==, 30000);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_ash_storage"), ==, 0);

  /* 1200.01 元 → 1200 元, worked by hand: exact shares 29999.75, 29999.75,
   * 59999.50 and 0.99999 fen; floors 29999, 29999, 59999, 0 leave 3 fen,
   * which go to the largest remainders: ash storage, transport, cold
   * storage.  The fen comes off cremation. */
  id = submit_as (office, &funeral_clerk, &over_case, NULL, &error);
  g_assert_no_error (error);
  review_and_approve (office, id);
  g_assert_cmpint (funeral_office_get_int (office, id, "claim_ash_storage"), ==, 1);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_total"), ==, 120000);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_transport"), ==, 30000);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_cold_storage"), ==, 30000);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_cremation"), ==, 59999);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_ash_storage"), ==, 1);
}

/* A second application for the same deceased is refused naming the first
 * case's number and approval date. */
static void
test_duplicate_deceased (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  const Application again = { 11, "dibao", NULL, { NULL, NULL, "50000", NULL } };
  g_autoptr (GError) error = NULL;
  g_autofree char *number = NULL;
  g_autofree char *expected = NULL;
  gint64 first;

  first = submit (office, 11, "dibao", &error);
  g_assert_no_error (error);
  review_and_approve (office, first);
  number = funeral_office_get (office, first, "case_number");
  g_assert_cmpstr (number, ==, "FJ450222-2021-000001");

  funeral_office_set_today (office, "2021-04-01");
  g_assert_cmpint (submit_as (office, &funeral_clerk, &again, "HH-OTHER-1", &error), ==, 0);
  expected = g_strdup_printf ("该逝者已于2021-03-05办理减免（案号 %s），不得重复申请 "
                              "[funeral.duplicate_deceased]", number);
  g_assert_cmpstr (error->message, ==, expected);
}

/* A case approved days after it was submitted is named with the day of
 * its approval, when the reduction was granted. */
static void
test_duplicate_names_approval_date (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  const Application again = { 12, "dibao", NULL, { NULL, NULL, "50000", NULL } };
  g_autoptr (GError) error = NULL;
  gint64 first;

  first = submit (office, 12, "dibao", &error);
  g_assert_no_error (error);
  g_assert_cmpint (funeral_office_act (office, &funeral_reviewer, "review", first, NULL, &error,
                                       NULL), ==, first);
  funeral_office_set_today (office, "2021-03-10");
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "approve", first, NULL, &error,
                                       NULL), ==, first);
  g_assert_no_error (error);

  funeral_office_set_today (office, "2021-04-01");
  g_assert_cmpint (submit_as (office, &funeral_clerk, &again, "HH-OTHER-12", &error), ==, 0);
  g_assert_cmpstr (error->message, ==,
                   "该逝者已于2021-03-10办理减免（案号 FJ450222-2021-000001），不得重复申请 "
                   "[funeral.duplicate_deceased]");
}

/* A cremation certificate number typed another way (white space, case,
 * full-width characters from a Chinese input method) is the same
 * certificate: refused naming the first case, which stores one form. */
static void
test_duplicate_cremation_variants (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  const char *const variants[] = {
    "HH-SAME", "HH-SAME ", "hh-same", "ＨＨ-ＳＡＭＥ", "ｈｈ－ｓａｍｅ", "　HH - SAME\t",
  };
  const Application first_app = { 25, "dibao", NULL, { NULL, NULL, "50000", NULL } };
  g_autoptr (GError) error = NULL;
  gint64 first;

  first = submit_as (office, &funeral_clerk, &first_app, " Hh-same ", &error);
  g_assert_no_error (error);
  assert_text (office, first, "cremation_certificate_no", "HH-SAME");

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      const Application other = { 26 + i, "tekun", NULL, { NULL, NULL, "50000", NULL } };

      g_test_message ("variant “%s”", variants[i]);
      g_assert_cmpint (submit_as (office, &funeral_clerk, &other, variants[i], &error), ==, 0);
      assert_code (error, "funeral.duplicate_cremation");
      g_assert_nonnull (strstr (error->message, "FJ450222-2021-000001"));
      g_clear_error (&error);
    }

  {
    const Application blank = { 40, "tekun", NULL, { NULL, NULL, "50000", NULL } };

    g_assert_cmpint (submit_as (office, &funeral_clerk, &blank, "　 ", &error), ==, 0);
    assert_code (error, "field.required");
    g_assert_nonnull (strstr (error->message, "cremation_certificate_no"));
  }
}

/* The host stores an ID number with a lower-case check character x in
 * upper case, so the same deceased typed either way is one deceased. */
static void
test_duplicate_deceased_lowercase_x (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  g_autoptr (GError) error = NULL;
  g_autofree char *lower = NULL;
  char id[19] = "";
  guint person = 100;
  gint64 first;

  do
    funeral_test_id_number (++person, TRUE, id);
  while (id[17] != 'X');
  lower = g_ascii_strdown (id, -1);

#define DECEASED(id_, cert_)                                                                    "deceased_name", "韦某某", "deceased_id", (id_), "deceased_sex", "male",                        "death_date", "2021-03-01", "household_division", "450222",                                     "death_certificate_no", "Q-X", "cremation_certificate_no", (cert_),                             "funeral_home", "柳州市殡仪馆", "category", "dibao", "applicant_name", "韦某",                   "applicant_relation", "子", "claim_cremation", "50000"

  first = funeral_office_act (office, &funeral_clerk, "submit", 0, NULL, &error,
                              DECEASED (lower, "HH-X1"), NULL);
  g_assert_no_error (error);
  assert_text (office, first, "deceased_id", id);
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "submit", 0, NULL, &error,
                                       DECEASED (id, "HH-X2"), NULL), ==, 0);
  assert_code (error, "funeral.duplicate_deceased");
  g_assert_nonnull (strstr (error->message, "FJ450222-2021-000001"));
  g_clear_error (&error);
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "submit", 0, NULL, &error,
                                       DECEASED (lower, "HH-X3"), NULL), ==, 0);
  assert_code (error, "funeral.duplicate_deceased");
#undef DECEASED
}

/* The same cremation certificate for another person is refused, naming
 * the pending first case. */
static void
test_duplicate_cremation (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  const Application first_app = { 21, "dibao", NULL, { NULL, NULL, "50000", NULL } };
  const Application second_app = { 22, "tekun", NULL, { NULL, NULL, "50000", NULL } };
  g_autoptr (GError) error = NULL;
  g_autofree char *number = NULL;

  g_assert_cmpint (submit_as (office, &funeral_clerk, &first_app, "HH-SAME", &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (submit_as (office, &funeral_clerk, &second_app, "HH-SAME", &error), ==, 0);
  assert_code (error, "funeral.duplicate_cremation");
  g_assert_nonnull (strstr (error->message, "FJ450222-2021-000001"));
  g_assert_nonnull (strstr (error->message, "2021-03-05"));
  g_assert_nonnull (strstr (error->message, "正在办理"));
}

/* A rejected application holds neither key: the family may apply again. */
static void
test_rejected_does_not_block (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  const Application app = { 31, "dibao", NULL, { NULL, NULL, "50000", NULL } };
  g_autoptr (GError) error = NULL;
  gint64 first, second;

  first = submit_as (office, &funeral_clerk, &app, "HH-31", &error);
  g_assert_no_error (error);
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "reject", first, NULL, &error,
                                       NULL), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "reject", first,
                                       "低保资格核查未通过", &error, NULL), ==, first);
  g_assert_no_error (error);
  assert_text (office, first, "state", "rejected");
  assert_text (office, first, "rejected_on", "2021-03-05");
  assert_text (office, first, "rejection_reason", "低保资格核查未通过");

  second = submit_as (office, &funeral_clerk, &app, "HH-31", &error);
  g_assert_no_error (error);
  g_assert_cmpint (second, >, first);
  assert_text (office, second, "case_number", "FJ450222-2021-000002");
}

/* The store itself holds the keys, whatever a guard does: a second active
 * row for a deceased or a cremation certificate cannot be written, a
 * second rejected one can. */
static void
test_unique_indexes (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  const Application app = { 35, "dibao", NULL, { NULL, NULL, "50000", NULL } };
  const char *insert = "INSERT INTO funeral_application (state, version, created_at, updated_at,"
                       " deceased_name, deceased_id, cremation_certificate_no)"
                       " SELECT ?, 1, 0, 0, deceased_name, deceased_id, ? FROM funeral_application"
                       " WHERE id = ?";
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const struct
  {
    const char *state;
    const char *cremation;
    int rc;
  } tries[] = {
    { "submitted", "HH-OTHER", SQLITE_CONSTRAINT },   /* same deceased */
    { "rejected", "HH-OTHER", SQLITE_DONE },          /* rejected: holds no key */
    { "rejected", "HH-35", SQLITE_DONE },
  };
  gint64 id;

  id = submit_as (office, &funeral_clerk, &app, "HH-35", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (office->store_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, insert, -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (tries); i++)
    {
      sqlite3_bind_text (stmt, 1, tries[i].state, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, tries[i].cremation, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 3, id);
      g_assert_cmpint (sqlite3_step (stmt), ==, tries[i].rc);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  /* Rolled back by hand: these rows are not the host's. */
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM funeral_application WHERE state = 'rejected'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* A store written by schema version 1 (no rejection_reason) is migrated
 * when the plugin starts: its pending case can then be rejected with its
 * reason kept.  Version 1 is recreated by hand from version 2's store. */
static void
test_schema_v1_migrates (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  const char *const downgrade =
    "ALTER TABLE funeral_application DROP COLUMN rejection_reason;"
    "UPDATE mz_schema SET version = 1, definition = json_set (definition, '$.fields',"
    " (SELECT json_group_array (json (value)) FROM json_each (definition, '$.fields')"
    "  WHERE json_extract (value, '$.name') != 'rejection_reason'))"
    " WHERE plugin = 'funeral' AND kind = 'application';";
  g_autoptr (GError) error = NULL;
  sqlite3 *db = NULL;
  gint64 id;

  id = submit (office, 36, "dibao", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (office->store_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, downgrade, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "SELECT rejection_reason FROM funeral_application",
                                 NULL, NULL, NULL), ==, SQLITE_ERROR);
  sqlite3_close (db);

  funeral_office_restart (office, "", "2021-03-06");
  assert_text (office, id, "rejection_reason", NULL);
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "reject", id, "死亡证明与火化证明不符",
                                       &error, NULL), ==, id);
  g_assert_no_error (error);
  assert_text (office, id, "rejection_reason", "死亡证明与火化证明不符");
}

/* Whoever submitted or reviewed a case may not approve it. */
static void
test_separation_of_duties (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  const Application app = { 41, "dibao", NULL, { NULL, NULL, "50000", NULL } };
  g_autoptr (GError) error = NULL;
  gint64 id;

  id = submit_as (office, &funeral_reviewer, &app, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "review", id, NULL, &error,
                                       NULL), ==, id);
  g_assert_no_error (error);

  /* the submitter */
  g_assert_cmpint (funeral_office_act (office, &funeral_reviewer, "approve", id, NULL, &error,
                                       NULL), ==, 0);
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_SEPARATION);
  g_clear_error (&error);
  /* the reviewer */
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "approve", id, NULL, &error,
                                       NULL), ==, 0);
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_SEPARATION);
  g_clear_error (&error);
  /* the submitter may not turn it down alone either */
  g_assert_cmpint (funeral_office_act (office, &funeral_reviewer, "reject", id, "材料不全", &error,
                                       NULL), ==, 0);
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_SEPARATION);
  g_clear_error (&error);
  assert_text (office, id, "state", "reviewed");
  /* a clerk lacks the permission altogether */
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "approve", id, NULL, &error,
                                       NULL), ==, 0);
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION);
  g_clear_error (&error);

  {
    const MzActor third = { "sun.director", "supervisor", "s4", "127.0.0.1" };

    g_assert_cmpint (funeral_office_act (office, &third, "approve", id, NULL, &error, NULL), ==, id);
    g_assert_no_error (error);
  }
  assert_text (office, id, "state", "approved");
}

static void
test_payment (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("cap_per_case=1200", "2021-03-05");
  g_autoptr (GError) error = NULL;
  gint64 id;

  id = submit (office, 51, "tekun", &error);
  g_assert_no_error (error);
  review_and_approve (office, id);
  g_assert_cmpint (funeral_office_get_int (office, id, "approved_total"), ==, 75000);

  funeral_office_set_today (office, "2021-03-08");
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "pay", id, NULL, &error,
                                       "payment_reference", "LCCZ-1", "payment_date", "2021-03-08",
                                       "payment_amount", "75001", NULL), ==, 0);
  assert_code (error, "field.funeral.payment_exceeds_approved");
  g_clear_error (&error);
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "pay", id, NULL, &error,
                                       "payment_reference", "LCCZ-1", "payment_date", "2021-03-04",
                                       "payment_amount", "75000", NULL), ==, 0);
  assert_code (error, "field.funeral.payment_before_approval");
  g_clear_error (&error);
  /* less than approved: one payment settles a case */
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "pay", id, NULL, &error,
                                       "payment_reference", "LCCZ-1", "payment_date", "2021-03-08",
                                       "payment_amount", "74999", NULL), ==, 0);
  assert_code (error, "field.funeral.payment_partial");
  g_clear_error (&error);
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "pay", id, NULL, &error,
                                       "payment_date", "2021-03-08",
                                       "payment_amount", "75000", NULL), ==, 0);
  assert_code (error, "field.required");
  g_assert_nonnull (strstr (error->message, "payment_reference"));
  g_clear_error (&error);
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "pay", id, NULL, &error,
                                       "payment_reference", "LCCZ-1",
                                       "payment_amount", "75000", NULL), ==, 0);
  assert_code (error, "field.required");
  g_assert_nonnull (strstr (error->message, "payment_date"));
  g_clear_error (&error);
  assert_text (office, id, "state", "approved");
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "pay", id, NULL, &error,
                                       "payment_reference", "LCCZ-1", "payment_date", "2021-03-08",
                                       "payment_amount", "75000", NULL), ==, id);
  g_assert_no_error (error);
  assert_text (office, id, "state", "paid");
}

/* The cap falls from 1200 to 792 元 after a case was approved: that case
 * keeps its amount and its rule set (and may be paid in full); a case
 * pending at the change is approved under the new cap; a new one too. */
static void
test_config_change_after_approval (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("cap_per_case=1200", "2021-03-05");
  const Application big = { 61, "dibao", NULL, { "40000", "20000", "70000", "20000" } };
  const Application pending = { 62, "dibao", NULL, { "40000", "20000", "70000", "20000" } };
  const Application later = { 63, "dibao", NULL, { "40000", "20000", "70000", "20000" } };
  g_autoptr (GError) error = NULL;
  g_autofree char *rules_before = NULL;
  g_autofree char *rules_after = NULL;
  gint64 approved, waiting, fresh;

  approved = submit_as (office, &funeral_clerk, &big, NULL, &error);
  g_assert_no_error (error);
  review_and_approve (office, approved);
  waiting = submit_as (office, &funeral_clerk, &pending, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (funeral_office_get_int (office, approved, "approved_total"), ==, 120000);
  rules_before = funeral_office_get (office, approved, "rule_set");
  g_assert_nonnull (strstr (rules_before, "\"cap_per_case\":\"1200.00\""));

  funeral_office_restart (office, "cap_per_case=792", "2021-04-01");

  g_assert_cmpint (funeral_office_get_int (office, approved, "approved_total"), ==, 120000);
  rules_after = funeral_office_get (office, approved, "rule_set");
  g_assert_cmpstr (rules_after, ==, rules_before);

  review_and_approve (office, waiting);
  g_assert_cmpint (funeral_office_get_int (office, waiting, "approved_total"), ==, 79200);
  fresh = submit_as (office, &funeral_clerk, &later, NULL, &error);
  g_assert_no_error (error);
  review_and_approve (office, fresh);
  g_assert_cmpint (funeral_office_get_int (office, fresh, "approved_total"), ==, 79200);
  g_free (rules_after);
  rules_after = funeral_office_get (office, fresh, "rule_set");
  g_assert_nonnull (strstr (rules_after, "\"cap_per_case\":\"792.00\""));

  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "pay", approved, NULL, &error,
                                       "payment_reference", "LCCZ-61", "payment_date", "2021-04-01",
                                       "payment_amount", "120000", NULL), ==, approved);
  g_assert_no_error (error);
  g_assert_cmpint (funeral_office_get_int (office, approved, "approved_total"), ==, 120000);
}

/* Historical cases keep the previous system's amounts, checked only for
 * consistency; an approved, unpaid one can then be paid. */
static void
test_import (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("cap_per_case=792", "2021-07-05");
  g_autoptr (GError) error = NULL;
  char id[19];
  gint64 paid, approved;

#define HISTORICAL(id_, cert_, approved_cremation_)                                      \
  "deceased_name", "蓝某", "deceased_id", (id_), "deceased_sex", "male",                 \
  "death_date", "2021-02-01", "household_division", "450222",                            \
  "death_certificate_no", "Q-H", "cremation_certificate_no", (cert_),                    \
  "funeral_home", "柳州市殡仪馆", "category", "tekun", "applicant_name", "蓝某某",        \
  "applicant_relation", "子", "claim_cremation", "100000",                                \
  "submitted_on", "2021-02-03", "approved_on", "2021-02-10",                             \
  "approved_cremation", (approved_cremation_)

  funeral_test_id_number (71, TRUE, id);
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "import", 0, NULL, &error,
                                       HISTORICAL (id, "HH-H1", "100001"),
                                       "payment_reference", "P1", "payment_date", "2021-02-12",
                                       "payment_amount", "100001", NULL), ==, 0);
  assert_code (error, "field.funeral.approved_exceeds_claim");
  g_clear_error (&error);

  /* 1000 元 approved under the previous system's rules, above today's cap. */
  paid = funeral_office_act (office, &funeral_approver, "import", 0, NULL, &error,
                             HISTORICAL (id, "HH-H1", "100000"),
                             "payment_reference", "P1", "payment_date", "2021-02-12",
                             "payment_amount", "100000", NULL);
  g_assert_no_error (error);
  assert_text (office, paid, "state", "paid");
  assert_text (office, paid, "case_number", "FJ450222-2021-000001");
  assert_text (office, paid, "rule_set", "{\"source\":\"import\"}");
  g_assert_cmpint (funeral_office_get_int (office, paid, "approved_total"), ==, 100000);

  funeral_test_id_number (72, TRUE, id);
  approved = funeral_office_act (office, &funeral_approver, "import_approved", 0, NULL, &error,
                                 HISTORICAL (id, "HH-H2", "50000"), NULL);
  g_assert_no_error (error);
  assert_text (office, approved, "state", "approved");
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "pay", approved, NULL, &error,
                                       "payment_reference", "P2", "payment_date", "2021-07-05",
                                       "payment_amount", "50000", NULL), ==, approved);
  g_assert_no_error (error);

  /* An auditor (built-in role without funeral.import) may not import. */
  {
    const MzActor auditor = { "qian.auditor", "auditor", "s5", "127.0.0.1" };

    funeral_test_id_number (73, TRUE, id);
    g_assert_cmpint (funeral_office_act (office, &auditor, "import_approved", 0, NULL, &error,
                                         HISTORICAL (id, "HH-H3", "50000"), NULL), ==, 0);
    g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION);
  }
#undef HISTORICAL
}

/* Steps cannot be skipped: approval needs a review, payment an approval. */
static void
test_state_order (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  g_autoptr (GError) error = NULL;
  gint64 id;

  id = submit (office, 91, "dibao", &error);
  g_assert_no_error (error);
  g_assert_cmpint (funeral_office_act (office, &funeral_approver, "approve", id, NULL, &error,
                                       NULL), ==, 0);
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_STATE);
  g_clear_error (&error);
  assert_text (office, id, "state", "submitted");
  assert_text (office, id, "approved_total", NULL);

  g_assert_cmpint (funeral_office_act (office, &funeral_reviewer, "review", id, NULL, &error,
                                       NULL), ==, id);
  g_assert_no_error (error);
  g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "pay", id, NULL, &error,
                                       "payment_reference", "LCCZ-91", "payment_date", "2021-03-05",
                                       "payment_amount", "75000", NULL), ==, 0);
  g_assert_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_STATE);
  assert_text (office, id, "state", "reviewed");
}

/* Both certificate numbers are required, each refusal naming its field. */
static void
test_certificates_required (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  const char *const fields[] = { "death_certificate_no", "cremation_certificate_no" };
  char id[19];

  funeral_test_id_number (92, TRUE, id);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *named = g_strdup_printf ("字段 %s", fields[i]);

      g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "submit", 0, NULL, &error,
                                           "deceased_name", "韦某某", "deceased_id", id,
                                           "deceased_sex", "male", "death_date", "2021-03-01",
                                           "household_division", "450222",
                                           "death_certificate_no", i == 0 ? "" : "Q-92",
                                           "cremation_certificate_no", i == 1 ? "" : "HH-92",
                                           "funeral_home", "柳州市殡仪馆", "category", "dibao",
                                           "applicant_name", "韦某", "applicant_relation", "子",
                                           "claim_cremation", "50000", NULL), ==, 0);
      g_test_message ("%s", error->message);
      assert_code (error, "field.required");
      g_assert_nonnull (strstr (error->message, named));
    }
}

/* 全体户籍居民 covers the office's own residents: a deceased registered in
 * the neighbouring county is refused under it (and accepted as 低保). */
static void
test_resident_division (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("categories=dibao;resident", "2021-03-05");
  char id[19];

#define RESIDENT(division_, category_, cert_)                                                   "deceased_name", "韦某某", "deceased_id", id, "deceased_sex", "male",                           "death_date", "2021-03-01", "household_division", (division_),                                  "death_certificate_no", "Q-R", "cremation_certificate_no", (cert_),                             "funeral_home", "柳州市殡仪馆", "category", (category_), "applicant_name", "韦某",              "applicant_relation", "子", "claim_cremation", "50000"

  {
    g_autoptr (GError) error = NULL;

    funeral_test_id_number (93, TRUE, id);
    g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "submit", 0, NULL, &error,
                                         RESIDENT ("450221", "resident", "HH-R1"), NULL), ==, 0);
    assert_code (error, "field.funeral.not_resident");
    g_assert_nonnull (strstr (error->message, "450221"));
    g_clear_error (&error);
    g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "submit", 0, NULL, &error,
                                         RESIDENT ("450221", "dibao", "HH-R1"), NULL), >, 0);
    g_assert_no_error (error);
    funeral_test_id_number (94, TRUE, id);
    g_assert_cmpint (funeral_office_act (office, &funeral_clerk, "submit", 0, NULL, &error,
                                         RESIDENT ("450222", "resident", "HH-R2"), NULL), >, 0);
    g_assert_no_error (error);
  }
#undef RESIDENT
}

/* A malformed configuration refuses the plugin, naming the key. */
static void
test_bad_config (void)
{
  g_autoptr (FuneralOffice) office = funeral_office_new ("", "2021-03-05");
  g_autoptr (GError) error = NULL;

  g_assert_false (funeral_office_try_start (office, "cap_per_case=12x0", "2021-03-05", &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "cap_per_case"));
  g_clear_error (&error);
  g_assert_false (funeral_office_try_start (office, "categories=dibao;rich", "2021-03-05", &error));
  g_assert_nonnull (strstr (error->message, "categories"));
  g_clear_error (&error);
  /* a misspelt key would leave the case without its cap */
  g_assert_false (funeral_office_try_start (office, "cap_per_cse = 1200", "2021-03-05", &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "cap_per_cse"));
  g_assert_nonnull (strstr (error->message, "funeral.config.unknown_key"));
  g_clear_error (&error);
  g_assert_true (funeral_office_try_start (office, "cap_per_case = 1200", "2021-03-05", &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/funeral/plugin/categories", test_categories);
  g_test_add_func ("/funeral/plugin/policy-grant", test_policy_grant);
  g_test_add_func ("/funeral/plugin/caps-boundary", test_caps_boundary);
  g_test_add_func ("/funeral/plugin/item-caps-boundary", test_item_caps_boundary);
  g_test_add_func ("/funeral/plugin/duplicate-deceased", test_duplicate_deceased);
  g_test_add_func ("/funeral/plugin/duplicate-names-approval-date",
                   test_duplicate_names_approval_date);
  g_test_add_func ("/funeral/plugin/duplicate-cremation", test_duplicate_cremation);
  g_test_add_func ("/funeral/plugin/duplicate-cremation-variants",
                   test_duplicate_cremation_variants);
  g_test_add_func ("/funeral/plugin/duplicate-deceased-lowercase-x",
                   test_duplicate_deceased_lowercase_x);
  g_test_add_func ("/funeral/plugin/rejected-does-not-block", test_rejected_does_not_block);
  g_test_add_func ("/funeral/plugin/unique-indexes", test_unique_indexes);
  g_test_add_func ("/funeral/plugin/schema-v1-migrates", test_schema_v1_migrates);
  g_test_add_func ("/funeral/plugin/separation-of-duties", test_separation_of_duties);
  g_test_add_func ("/funeral/plugin/payment", test_payment);
  g_test_add_func ("/funeral/plugin/state-order", test_state_order);
  g_test_add_func ("/funeral/plugin/certificates-required", test_certificates_required);
  g_test_add_func ("/funeral/plugin/resident-division", test_resident_division);
  g_test_add_func ("/funeral/plugin/config-change-after-approval",
                   test_config_change_after_approval);
  g_test_add_func ("/funeral/plugin/import", test_import);
  g_test_add_func ("/funeral/plugin/bad-config", test_bad_config);

  return g_test_run ();
}
