/* marriage plugin — the real marriage.so loaded by the real loader, acted
 * on through mz_services_act with a fresh SQLite store and a fixed clock.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "host-fixture.h"
#include "id-maker.h"
#include "due.h"

typedef struct
{
  char *man_name, *man_id, *woman_name, *woman_id;
} Couple;

static Couple *
couple_new (const char *man_birth, guint man_seq, const char *woman_birth, guint woman_seq)
{
  Couple *c = g_new0 (Couple, 1);

  c->man_name = g_strdup_printf ("测试男%u", man_seq);
  c->woman_name = g_strdup_printf ("测试女%u", woman_seq);
  c->man_id = test_id_make ("450222", man_birth, man_seq * 2 + 1);
  c->woman_id = test_id_make ("450222", woman_birth, woman_seq * 2);
  return c;
}

static void
couple_free (Couple *c)
{
  g_free (c->man_name);
  g_free (c->man_id);
  g_free (c->woman_name);
  g_free (c->woman_id);
  g_free (c);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Couple, couple_free)

static gint64
register_couple (HostFixture *f, const Couple *c, GError **error)
{
  return host_fixture_act (f, "registration", "register", 0, error,
                           "man_name", c->man_name, "man_id_number", c->man_id,
                           "man_present", "1", "woman_name", c->woman_name,
                           "woman_id_number", c->woman_id, "woman_present", "1",
                           "declaration_signed", "1", NULL);
}

static gint64
accept_divorce (HostFixture *f, const Couple *c, const char *certificate, GError **error)
{
  return host_fixture_act (f, "divorce", "accept", 0, error,
                           "marriage_certificate_number", certificate,
                           "man_name", c->man_name, "man_id_number", c->man_id,
                           "woman_name", c->woman_name, "woman_id_number", c->woman_id,
                           "agreement_present", "1", "man_capacity", "1", "woman_capacity", "1",
                           "man_present", "1", "woman_present", "1", NULL);
}

static gint64
register_divorce (HostFixture *f, gint64 id, GError **error)
{
  return host_fixture_act (f, "divorce", "register", id, error,
                           "man_present", "1", "woman_present", "1", NULL);
}

static void
test_register (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) c = couple_new ("1995-06-01", 1, "1997-02-11", 1);
  g_autoptr (Couple) d = couple_new ("1990-01-01", 2, "1991-01-01", 2);
  g_autoptr (GError) error = NULL;
  gint64 id, id2;
  g_autofree char *number = NULL;
  g_autofree char *number2 = NULL;
  g_autofree char *date = NULL;
  g_autofree char *nationality = NULL;
  g_autofree char *state = NULL;

  id = register_couple (f, c, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  number = host_fixture_column (f, "marriage_registration", id, "certificate_number");
  date = host_fixture_column (f, "marriage_registration", id, "registration_date");
  nationality = host_fixture_column (f, "marriage_registration", id, "man_nationality");
  state = host_fixture_column (f, "marriage_registration", id, "state");
  g_assert_cmpstr (number, ==, "J450222-2021-000001");
  g_assert_cmpstr (date, ==, "2021-05-10");
  g_assert_cmpstr (nationality, ==, "中国");
  g_assert_cmpstr (state, ==, "registered");

  id2 = register_couple (f, d, &error);
  g_assert_no_error (error);
  number2 = host_fixture_column (f, "marriage_registration", id2, "certificate_number");
  g_assert_cmpstr (number2, ==, "J450222-2021-000002");
}

/* The 22nd / 20th birthday through the host clock: the day before is
 * refused, the day itself accepted. */
static void
test_age_boundary (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) young_man = couple_new ("1999-05-10", 3, "1995-01-01", 3);
  g_autoptr (Couple) young_woman = couple_new ("1990-01-01", 4, "2001-05-10", 4);
  g_autoptr (GError) error = NULL;

  host_fixture_set_today (f, "2021-05-09");
  g_assert_cmpint (register_couple (f, young_man, &error), ==, 0);
  host_fixture_assert_code (error, "marriage.under_age");
  g_clear_error (&error);
  g_assert_cmpint (register_couple (f, young_woman, &error), ==, 0);
  host_fixture_assert_code (error, "marriage.under_age");
  g_clear_error (&error);

  host_fixture_set_today (f, "2021-05-10");
  g_assert_cmpint (register_couple (f, young_man, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (register_couple (f, young_woman, &error), >, 0);
  g_assert_no_error (error);
}

static void
test_refusals (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) c = couple_new ("1990-03-01", 5, "1992-03-01", 5);
  g_autofree char *second_man = test_id_make ("450222", "1991-03-01", 13);
  g_autoptr (GError) error = NULL;
  g_autofree char *number = NULL;
  gint64 id;

  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_present", "1", "woman_name", c->woman_name,
                                     "woman_id_number", c->woman_id, "woman_present", "1",
                                     NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.declaration_missing");
  g_clear_error (&error);

  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_present", "1", "woman_name", c->woman_name,
                                     "woman_id_number", c->woman_id, "declaration_signed", "1",
                                     NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.not_present");
  g_clear_error (&error);

  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_present", "1", "woman_name", "某某",
                                     "woman_id_number", second_man, "woman_present", "1",
                                     "declaration_signed", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.not_man_and_woman");
  g_clear_error (&error);

  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_sex", "male", "man_birth_date", "1990-03-02",
                                     "man_present", "1", "woman_name", c->woman_name,
                                     "woman_id_number", c->woman_id, "woman_present", "1",
                                     "declaration_signed", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.birth_mismatch");
  g_clear_error (&error);

  /* No certificate number was drawn by the refused attempts. */
  id = register_couple (f, c, &error);
  g_assert_no_error (error);
  number = host_fixture_column (f, "marriage_registration", id, "certificate_number");
  g_assert_cmpstr (number, ==, "J450222-2021-000001");
}

/* A marriage not ended blocks another; a court divorce, or a divorce
 * registered here, ends it. */
static void
test_already_married (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) first = couple_new ("1990-01-01", 6, "1992-01-01", 6);
  g_autoptr (Couple) second = couple_new ("1990-01-01", 6, "1993-01-01", 7);
  g_autoptr (Couple) third = couple_new ("1988-01-01", 8, "1992-01-01", 6);
  g_autoptr (GError) error = NULL;
  gint64 marriage, divorce;
  g_autofree char *state = NULL;

  host_fixture_set_today (f, "2021-01-05");
  marriage = register_couple (f, first, &error);
  g_assert_no_error (error);

  g_assert_cmpint (register_couple (f, second, &error), ==, 0);
  host_fixture_assert_code (error, "marriage.already_married");
  g_assert_nonnull (strstr (error->message, "男方"));
  g_assert_nonnull (strstr (error->message, "J450222-2021-000001"));
  g_clear_error (&error);
  g_assert_cmpint (register_couple (f, third, &error), ==, 0);
  host_fixture_assert_code (error, "marriage.already_married");
  g_assert_nonnull (strstr (error->message, "女方"));
  g_clear_error (&error);

  /* The woman's marriage ends by a divorce registered here. */
  host_fixture_set_today (f, "2021-02-01");
  divorce = accept_divorce (f, first, "J450222-2021-000001", &error);
  g_assert_no_error (error);
  host_fixture_set_today (f, "2021-03-05");
  g_assert_cmpint (register_divorce (f, divorce, &error), ==, divorce);
  g_assert_no_error (error);
  state = host_fixture_column (f, "marriage_divorce", divorce, "marriage");
  g_assert_cmpint (g_ascii_strtoll (state, NULL, 10), ==, marriage);
  g_assert_cmpint (register_couple (f, third, &error), >, 0);
  g_assert_no_error (error);

  /* A court judgment cannot end the dissolved marriage again. */
  g_assert_cmpint (host_fixture_act (f, "registration", "record_court_divorce", marriage, &error,
                                     "judgment_number", "（2021）桂0222民初100号",
                                     "court", "柳城县人民法院", "judgment_date", "2021-03-01",
                                     NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.marriage_ended");
}

static void
test_court_judgment (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) first = couple_new ("1990-01-01", 9, "1992-01-01", 9);
  g_autoptr (Couple) again = couple_new ("1990-01-01", 9, "1994-01-01", 10);
  g_autoptr (GError) error = NULL;
  gint64 marriage;
  g_autofree char *state = NULL;
  g_autofree char *court = NULL;

  host_fixture_set_today (f, "2021-01-05");
  marriage = register_couple (f, first, &error);
  g_assert_no_error (error);

  host_fixture_set_today (f, "2021-04-01");
  /* Incomplete judgment: the court is named. */
  g_assert_cmpint (host_fixture_act (f, "registration", "record_court_divorce", marriage, &error,
                                     "judgment_number", "（2021）桂0222民初200号",
                                     "judgment_date", "2021-03-20", NULL), ==, 0);
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_REQUIRED);
  g_assert_nonnull (strstr (error->message, "court"));
  g_clear_error (&error);
  /* A judgment before the marriage is refused. */
  g_assert_cmpint (host_fixture_act (f, "registration", "record_court_divorce", marriage, &error,
                                     "judgment_number", "（2021）桂0222民初200号",
                                     "court", "柳城县人民法院", "judgment_date", "2020-12-20",
                                     NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.bad_date");
  g_clear_error (&error);

  g_assert_cmpint (host_fixture_act (f, "registration", "record_court_divorce", marriage, &error,
                                     "judgment_number", "（2021）桂0222民初200号",
                                     "court", "柳城县人民法院", "judgment_date", "2021-03-20",
                                     NULL), ==, marriage);
  g_assert_no_error (error);
  state = host_fixture_column (f, "marriage_registration", marriage, "state");
  court = host_fixture_column (f, "marriage_registration", marriage, "court");
  g_assert_cmpstr (state, ==, "court_divorced");
  g_assert_cmpstr (court, ==, "柳城县人民法院");

  /* Ended: he may marry again; the old marriage cannot be divorced. */
  g_assert_cmpint (register_couple (f, again, &error), >, 0);
  g_assert_no_error (error);
  g_assert_cmpint (accept_divorce (f, first, "J450222-2021-000001", &error), ==, 0);
  host_fixture_assert_code (error, "marriage.marriage_ended");
}

/* Accepted on day 0 = 2021-03-01: register refused on days 29 and 30,
 * possible on 31 and 60, refused on 61, when the due work deems it
 * withdrawn. */
static void
test_divorce_timeline (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) a = couple_new ("1980-01-01", 20, "1982-01-01", 20);
  g_autoptr (Couple) b = couple_new ("1980-01-01", 21, "1982-01-01", 21);
  g_autoptr (Couple) c = couple_new ("1980-01-01", 22, "1982-01-01", 22);
  g_autoptr (GError) error = NULL;
  gint64 da, db, dc;
  MzDueRunStats stats = { 0 };
  g_autofree char *number = NULL;
  g_autofree char *days = NULL;
  g_autofree char *state = NULL;

  host_fixture_set_today (f, "2021-01-04");
  g_assert_cmpint (register_couple (f, a, &error), >, 0);
  g_assert_cmpint (register_couple (f, b, &error), >, 0);
  g_assert_cmpint (register_couple (f, c, &error), >, 0);
  g_assert_no_error (error);

  host_fixture_set_today (f, "2021-03-01");
  da = accept_divorce (f, a, "J450222-2021-000001", &error);
  db = accept_divorce (f, b, "J450222-2021-000002", &error);
  /* By reference to the marriage record: the certificate number is filled in. */
  dc = host_fixture_act (f, "divorce", "accept", 0, &error,
                         "marriage", "3", "man_name", c->man_name, "man_id_number", c->man_id,
                         "woman_name", c->woman_name, "woman_id_number", c->woman_id,
                         "agreement_present", "1", "man_capacity", "1", "woman_capacity", "1",
                         "man_present", "1", "woman_present", "1", NULL);
  g_assert_no_error (error);
  number = host_fixture_column (f, "marriage_divorce", dc, "marriage_certificate_number");
  g_assert_cmpstr (number, ==, "J450222-2021-000003");
  g_clear_pointer (&number, g_free);
  /* One application per marriage. */
  g_assert_cmpint (accept_divorce (f, a, "J450222-2021-000001", &error), ==, 0);
  host_fixture_assert_code (error, "marriage.divorce_pending");
  g_clear_error (&error);

  host_fixture_set_today (f, "2021-03-30"); /* day 29 */
  g_assert_cmpint (register_divorce (f, da, &error), ==, 0);
  host_fixture_assert_code (error, "marriage.cooling_off");
  g_clear_error (&error);
  host_fixture_set_today (f, "2021-03-31"); /* day 30 */
  g_assert_cmpint (register_divorce (f, da, &error), ==, 0);
  host_fixture_assert_code (error, "marriage.cooling_off");
  g_clear_error (&error);

  host_fixture_set_today (f, "2021-04-01"); /* day 31 */
  /* Both must come: one alone is refused. */
  g_assert_cmpint (host_fixture_act (f, "divorce", "register", da, &error,
                                     "man_present", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.not_present");
  g_clear_error (&error);
  g_assert_cmpint (register_divorce (f, da, &error), ==, da);
  g_assert_no_error (error);
  number = host_fixture_column (f, "marriage_divorce", da, "certificate_number");
  days = host_fixture_column (f, "marriage_divorce", da, "processing_days");
  g_assert_cmpstr (number, ==, "L450222-2021-000001");
  g_assert_cmpstr (days, ==, "31");

  host_fixture_set_today (f, "2021-04-30"); /* day 60 */
  g_assert_cmpint (register_divorce (f, db, &error), ==, db);
  g_assert_no_error (error);

  /* On day 60 nothing is due yet. */
  g_assert_true (mz_due_run (f->services, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 0);

  host_fixture_set_today (f, "2021-05-01"); /* day 61 */
  g_assert_cmpint (register_divorce (f, dc, &error), ==, 0);
  host_fixture_assert_code (error, "marriage.window_lapsed");
  g_clear_error (&error);
  state = host_fixture_column (f, "marriage_divorce", dc, "state");
  g_assert_cmpstr (state, ==, "accepted");

  /* The host's due work deems it withdrawn, as the system. */
  g_assert_true (mz_due_run (f->services, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 1);
  g_assert_cmpuint (stats.failed, ==, 0);
  g_clear_pointer (&state, g_free);
  state = host_fixture_column (f, "marriage_divorce", dc, "state");
  g_assert_cmpstr (state, ==, "deemed_withdrawn");
}

static void
test_divorce_withdraw (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) a = couple_new ("1980-01-01", 23, "1982-01-01", 23);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  MzActRequest request = { 0 };
  MzActResult result = { 0 };
  gint64 d;
  g_autofree char *reason = NULL;

  host_fixture_set_today (f, "2021-01-04");
  g_assert_cmpint (register_couple (f, a, &error), >, 0);
  host_fixture_set_today (f, "2021-03-01");
  d = accept_divorce (f, a, "J450222-2021-000001", &error);
  g_assert_no_error (error);

  g_hash_table_insert (inputs, "withdrawn_by", "woman");
  request.plugin = "marriage";
  request.kind = "divorce";
  request.action = "withdraw";
  request.record_id = d;
  request.inputs = inputs;
  request.actor = &host_fixture_actor;

  /* Day 31: the cooling-off is over, withdrawal is closed. */
  host_fixture_set_today (f, "2021-04-01");
  request.reason = "女方不愿离婚";
  g_assert_false (mz_services_act (f->services, &request, &result, &error));
  host_fixture_assert_code (error, "marriage.withdraw_closed");
  g_clear_error (&error);

  /* Day 30: still possible. */
  host_fixture_set_today (f, "2021-03-31");
  g_assert_true (mz_services_act (f->services, &request, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result.state, ==, "withdrawn");
  reason = host_fixture_column (f, "marriage_divorce", d, "withdrawal_reason");
  g_assert_cmpstr (reason, ==, "女方不愿离婚");

  /* The marriage is still in force: a new application may follow. */
  g_assert_cmpint (accept_divorce (f, a, "J450222-2021-000001", &error), >, 0);
  g_assert_no_error (error);
}

static void
test_divorce_refusals (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) a = couple_new ("1980-01-01", 24, "1982-01-01", 24);
  g_autoptr (Couple) other = couple_new ("1981-01-01", 25, "1983-01-01", 25);
  g_autoptr (GError) error = NULL;

  host_fixture_set_today (f, "2021-01-04");
  g_assert_cmpint (register_couple (f, a, &error), >, 0);
  host_fixture_set_today (f, "2021-03-01");

  g_assert_cmpint (host_fixture_act (f, "divorce", "accept", 0, &error,
                                     "marriage_certificate_number", "J450222-2021-000001",
                                     "man_name", a->man_name, "man_id_number", a->man_id,
                                     "woman_name", a->woman_name, "woman_id_number", a->woman_id,
                                     "man_capacity", "1", "woman_capacity", "1",
                                     "man_present", "1", "woman_present", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.no_agreement");
  g_clear_error (&error);

  g_assert_cmpint (host_fixture_act (f, "divorce", "accept", 0, &error,
                                     "marriage_certificate_number", "J450222-2021-000001",
                                     "man_name", a->man_name, "man_id_number", a->man_id,
                                     "woman_name", a->woman_name, "woman_id_number", a->woman_id,
                                     "agreement_present", "1", "man_capacity", "1",
                                     "man_present", "1", "woman_present", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.no_capacity");
  g_clear_error (&error);

  /* Another couple's certificate. */
  g_assert_cmpint (accept_divorce (f, other, "J450222-2021-000001", &error), ==, 0);
  host_fixture_assert_code (error, "marriage.parties_mismatch");
  g_clear_error (&error);

  /* Registered elsewhere: refused until mainland China is affirmed. */
  g_assert_cmpint (accept_divorce (f, other, "J450105-2012-000321", &error), ==, 0);
  host_fixture_assert_code (error, "marriage.not_mainland");
  g_clear_error (&error);
  g_assert_cmpint (host_fixture_act (f, "divorce", "accept", 0, &error,
                                     "marriage_certificate_number", "J450105-2012-000321",
                                     "registered_in_mainland", "1",
                                     "man_name", other->man_name, "man_id_number", other->man_id,
                                     "woman_name", other->woman_name,
                                     "woman_id_number", other->woman_id,
                                     "agreement_present", "1", "man_capacity", "1",
                                     "woman_capacity", "1", "man_present", "1",
                                     "woman_present", "1", NULL), >, 0);
  g_assert_no_error (error);
}

static void
test_replacement (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) a = couple_new ("1980-01-01", 26, "1982-01-01", 26);
  g_autoptr (Couple) b = couple_new ("1980-01-01", 27, "1982-01-01", 27);
  g_autoptr (GError) error = NULL;
  gint64 id, divorce;
  g_autofree char *number = NULL;
  g_autofree char *link = NULL;
  g_autofree char *bl = NULL;

  host_fixture_set_today (f, "2021-01-04");
  g_assert_cmpint (register_couple (f, a, &error), >, 0);
  g_assert_cmpint (register_couple (f, b, &error), >, 0);

  host_fixture_set_today (f, "2021-02-01");
  /* Not a party to the marriage. */
  g_assert_cmpint (host_fixture_act (f, "replacement", "issue", 0, &error,
                                     "certificate_type", "marriage",
                                     "original_certificate_number", "J450222-2021-000001",
                                     "applicant_name", b->woman_name,
                                     "applicant_id_number", b->woman_id,
                                     "applicant_present", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.not_a_party");
  g_clear_error (&error);

  id = host_fixture_act (f, "replacement", "issue", 0, &error,
                         "certificate_type", "marriage",
                         "original_certificate_number", "J450222-2021-000001",
                         "applicant_name", a->woman_name, "applicant_id_number", a->woman_id,
                         "applicant_present", "1", NULL);
  g_assert_no_error (error);
  number = host_fixture_column (f, "marriage_replacement", id, "certificate_number");
  link = host_fixture_column (f, "marriage_replacement", id, "registration");
  g_assert_cmpstr (number, ==, "BJ450222-2021-000001");
  g_assert_cmpstr (link, ==, "1");

  /* Lost again: the replacement stands for the marriage it replaced. */
  id = host_fixture_act (f, "replacement", "issue", 0, &error,
                         "certificate_type", "marriage",
                         "original_certificate_number", "BJ450222-2021-000001",
                         "applicant_name", a->man_name, "applicant_id_number", a->man_id,
                         "applicant_present", "1", NULL);
  g_assert_no_error (error);
  g_clear_pointer (&link, g_free);
  link = host_fixture_column (f, "marriage_replacement", id, "registration");
  g_assert_cmpstr (link, ==, "1");

  /* Not on record and the archive not checked. */
  g_assert_cmpint (host_fixture_act (f, "replacement", "issue", 0, &error,
                                     "certificate_type", "marriage",
                                     "original_certificate_number", "J450222-2009-000777",
                                     "applicant_name", b->man_name,
                                     "applicant_id_number", b->man_id,
                                     "applicant_present", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.archive_unverified");
  g_clear_error (&error);

  /* After their divorce, b get a divorce certificate, not a marriage one. */
  divorce = accept_divorce (f, b, "J450222-2021-000002", &error);
  g_assert_no_error (error);
  host_fixture_set_today (f, "2021-03-10");
  g_assert_cmpint (register_divorce (f, divorce, &error), ==, divorce);
  g_assert_cmpint (host_fixture_act (f, "replacement", "issue", 0, &error,
                                     "certificate_type", "marriage",
                                     "original_certificate_number", "J450222-2021-000002",
                                     "applicant_name", b->man_name,
                                     "applicant_id_number", b->man_id,
                                     "applicant_present", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.marriage_ended");
  g_clear_error (&error);
  id = host_fixture_act (f, "replacement", "issue", 0, &error,
                         "certificate_type", "divorce",
                         "original_certificate_number", "L450222-2021-000001",
                         "applicant_name", b->man_name, "applicant_id_number", b->man_id,
                         "applicant_present", "1", NULL);
  g_assert_no_error (error);
  bl = host_fixture_column (f, "marriage_replacement", id, "certificate_number");
  g_assert_cmpstr (bl, ==, "BL450222-2021-000001");
}

/* Live numbering continues after imported history. */
static void
test_import_then_register (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) old = couple_new ("1985-01-01", 30, "1986-01-01", 30);
  g_autoptr (Couple) now = couple_new ("1985-01-01", 31, "1986-01-01", 31);
  g_autoptr (GError) error = NULL;
  gint64 id;
  g_autofree char *number = NULL;

  g_assert_cmpint (host_fixture_act (f, "registration", "import", 0, &error,
                                     "man_name", old->man_name, "man_id_number", old->man_id,
                                     "woman_name", old->woman_name,
                                     "woman_id_number", old->woman_id,
                                     "registration_date", "2021-01-04",
                                     "certificate_number", "J450222-2021-000001", NULL), >, 0);
  g_assert_no_error (error);
  /* The same certificate number twice is refused. */
  g_assert_cmpint (host_fixture_act (f, "registration", "import", 0, &error,
                                     "man_name", now->man_name, "man_id_number", now->man_id,
                                     "woman_name", now->woman_name,
                                     "woman_id_number", now->woman_id,
                                     "registration_date", "2021-01-05",
                                     "certificate_number", "J450222-2021-000001", NULL), ==, 0);
  g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_DUPLICATE);
  g_clear_error (&error);
  /* An imported registration is still held to the legal age. */
  g_assert_cmpint (host_fixture_act (f, "registration", "import", 0, &error,
                                     "man_name", now->man_name, "man_id_number", now->man_id,
                                     "woman_name", now->woman_name,
                                     "woman_id_number", now->woman_id,
                                     "registration_date", "2006-12-31",
                                     "certificate_number", "J450222-2006-000001", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.under_age");
  g_clear_error (&error);

  id = register_couple (f, now, &error);
  g_assert_no_error (error);
  number = host_fixture_column (f, "marriage_registration", id, "certificate_number");
  g_assert_cmpstr (number, ==, "J450222-2021-000002");
}

/* The printable notice: issued only when the rules refuse, carrying the
 * ground they give. */
static void
test_refusal_notice (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) young = couple_new ("1999-05-11", 40, "1999-01-01", 40);
  g_autoptr (Couple) fine = couple_new ("1990-01-01", 41, "1992-01-01", 41);
  g_autoptr (GError) error = NULL;
  gint64 id;
  g_autofree char *notice = NULL;
  g_autofree char *code = NULL;

  g_assert_cmpint (register_couple (f, young, &error), ==, 0);
  host_fixture_assert_code (error, "marriage.under_age");
  g_clear_error (&error);

  id = host_fixture_act (f, "refusal", "refuse", 0, &error,
                         "man_name", young->man_name, "man_id_number", young->man_id,
                         "man_present", "1", "woman_name", young->woman_name,
                         "woman_id_number", young->woman_id, "woman_present", "1",
                         "declaration_signed", "1", NULL);
  g_assert_no_error (error);
  notice = host_fixture_column (f, "marriage_refusal", id, "notice");
  code = host_fixture_column (f, "marriage_refusal", id, "reason_code");
  g_assert_cmpstr (code, ==, "marriage.under_age");
  g_assert_true (g_str_has_prefix (notice, "不予办理结婚登记告知书"));
  g_assert_nonnull (strstr (notice, young->man_name));
  g_assert_nonnull (strstr (notice, "你们于2021年5月10日向本机关申请办理结婚登记"));
  g_assert_nonnull (strstr (notice, "未满二十二周岁"));
  g_assert_nonnull (strstr (notice, "柳城县民政局（婚姻登记专用章）"));
  g_assert_null (strstr (notice, "[marriage."));

  /* No notice for a couple the law lets marry. */
  g_assert_cmpint (host_fixture_act (f, "refusal", "refuse", 0, &error,
                                     "man_name", fine->man_name, "man_id_number", fine->man_id,
                                     "man_present", "1", "woman_name", fine->woman_name,
                                     "woman_id_number", fine->woman_id, "woman_present", "1",
                                     "declaration_signed", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.refusal_unfounded");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/marriage/host/" path, HostFixture, NULL, host_fixture_setup, func, \
              host_fixture_teardown)
  ADD ("register", test_register);
  ADD ("age-boundary", test_age_boundary);
  ADD ("refusals", test_refusals);
  ADD ("already-married", test_already_married);
  ADD ("court-judgment", test_court_judgment);
  ADD ("divorce-timeline", test_divorce_timeline);
  ADD ("divorce-withdraw", test_divorce_withdraw);
  ADD ("divorce-refusals", test_divorce_refusals);
  ADD ("replacement", test_replacement);
  ADD ("import-then-register", test_import_then_register);
  ADD ("refusal-notice", test_refusal_notice);
#undef ADD

  return g_test_run ();
}
