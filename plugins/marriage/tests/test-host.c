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
                           "declaration_signed", "1", "man_voluntary", "1",
                           "woman_voluntary", "1", NULL);
}

/* Asserts a refusal with @code that cites @law ("《民法典》第一千零四十七条"). */
static void
assert_refusal (GError *error, const char *code, const char *law)
{
  host_fixture_assert_code (error, code);
  if (strstr (error->message, law) == NULL)
    g_error ("expected %s cited, got: %s", law, error->message);
}

/* The newest audit entry of @action: its outcome, reason and changes. */
typedef struct
{
  gint64 count;
  char *outcome;
  char *reason;
  char *changes;
  gint64 object_id;
} AuditLast;

static void
audit_last_clear (AuditLast *a)
{
  g_free (a->outcome);
  g_free (a->reason);
  g_free (a->changes);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AuditLast, audit_last_clear)

static void
audit_last (HostFixture *f, const char *action, const char *object_kind, AuditLast *out)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  memset (out, 0, sizeof *out);
  g_assert_cmpint (sqlite3_open_v2 (f->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT outcome, reason, changes, object_id,"
                                       " (SELECT count (*) FROM audit_entries"
                                       "  WHERE action = ?1 AND object_kind = ?2)"
                                       " FROM audit_entries WHERE action = ?1 AND object_kind = ?2"
                                       " ORDER BY seq DESC LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, object_kind, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->outcome = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      out->reason = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      out->changes = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      out->object_id = sqlite3_column_int64 (stmt, 3);
      out->count = sqlite3_column_int64 (stmt, 4);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
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
  assert_refusal (error, "marriage.under_age", "《民法典》第一千零四十七条");
  /* The ground and the date of registration, not the birth date. */
  g_assert_nonnull (strstr (error->message, "男方至登记日 2021-05-09 未满二十二周岁"));
  g_assert_null (strstr (error->message, "1999-05-10"));
  g_clear_error (&error);
  g_assert_cmpint (register_couple (f, young_woman, &error), ==, 0);
  assert_refusal (error, "marriage.under_age", "《民法典》第一千零四十七条");
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
  g_autofree char *voluntary = NULL;
  g_autofree char *kinship = NULL;
  gint64 id;

  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_present", "1", "woman_name", c->woman_name,
                                     "woman_id_number", c->woman_id, "woman_present", "1",
                                     NULL), ==, 0);
  assert_refusal (error, "marriage.declaration_missing", "《民法典》第一千零四十二条、第一千零四十八条");
  g_assert_nonnull (strstr (error->message, "《婚姻登记条例》"));
  g_clear_error (&error);

  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_present", "1", "woman_name", c->woman_name,
                                     "woman_id_number", c->woman_id, "declaration_signed", "1",
                                     NULL), ==, 0);
  assert_refusal (error, "marriage.not_present", "《民法典》第一千零四十九条");
  g_clear_error (&error);

  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_present", "1", "woman_name", "某某",
                                     "woman_id_number", second_man, "woman_present", "1",
                                     "declaration_signed", "1", NULL), ==, 0);
  assert_refusal (error, "marriage.not_man_and_woman", "《民法典》第一千零四十六条");
  g_clear_error (&error);

  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_sex", "male", "man_birth_date", "1990-03-02",
                                     "man_present", "1", "woman_name", c->woman_name,
                                     "woman_id_number", c->woman_id, "woman_present", "1",
                                     "declaration_signed", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.birth_mismatch");
  g_assert_null (strstr (error->message, "1990-03-0"));
  g_clear_error (&error);

  /* The man's number in the woman's place and hers in his: a slip of the
   * clerk, said as such. */
  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->woman_name, "man_id_number", c->woman_id,
                                     "man_present", "1", "woman_name", c->man_name,
                                     "woman_id_number", c->man_id, "woman_present", "1",
                                     "declaration_signed", "1", "man_voluntary", "1",
                                     "woman_voluntary", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.sides_swapped");
  g_assert_nonnull (strstr (error->message, "男女双方信息填反"));
  g_assert_null (strstr (error->message, "结婚须为男女双方"));
  g_clear_error (&error);
  /* No notice of refusal for the slip: the clerk corrects it. */
  g_assert_cmpint (host_fixture_act (f, "refusal", "refuse", 0, &error,
                                     "man_name", c->woman_name, "man_id_number", c->woman_id,
                                     "man_present", "1", "woman_name", c->man_name,
                                     "woman_id_number", c->man_id, "woman_present", "1",
                                     "declaration_signed", "1", "man_voluntary", "1",
                                     "woman_voluntary", "1", NULL), ==, 0);
  host_fixture_assert_code (error, "marriage.sides_swapped");
  g_clear_error (&error);

  /* Each party confirms in person that they marry of their own free will. */
  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_present", "1", "woman_name", c->woman_name,
                                     "woman_id_number", c->woman_id, "woman_present", "1",
                                     "declaration_signed", "1", "man_voluntary", "1", NULL), ==, 0);
  assert_refusal (error, "marriage.not_voluntary", "《民法典》第一千零四十六条");
  g_assert_nonnull (strstr (error->message, "女方未当面确认本人自愿结婚"));
  g_clear_error (&error);

  /* The clerk found a prohibited kinship although the declaration says
   * there is none. */
  g_assert_cmpint (host_fixture_act (f, "registration", "register", 0, &error,
                                     "man_name", c->man_name, "man_id_number", c->man_id,
                                     "man_present", "1", "woman_name", c->woman_name,
                                     "woman_id_number", c->woman_id, "woman_present", "1",
                                     "declaration_signed", "1", "man_voluntary", "1",
                                     "woman_voluntary", "1", "prohibited_kinship", "1",
                                     NULL), ==, 0);
  assert_refusal (error, "marriage.prohibited_kinship", "《民法典》第一千零四十八条");
  g_clear_error (&error);

  /* No certificate number was drawn by the refused attempts; the finding
   * of no prohibited kinship is kept with the confirmations. */
  id = host_fixture_act (f, "registration", "register", 0, &error,
                         "man_name", c->man_name, "man_id_number", c->man_id,
                         "man_present", "1", "woman_name", c->woman_name,
                         "woman_id_number", c->woman_id, "woman_present", "1",
                         "declaration_signed", "1", "man_voluntary", "1",
                         "woman_voluntary", "1", "prohibited_kinship", "0", NULL);
  g_assert_no_error (error);
  number = host_fixture_column (f, "marriage_registration", id, "certificate_number");
  g_assert_cmpstr (number, ==, "J450222-2021-000001");
  voluntary = host_fixture_column (f, "marriage_registration", id, "woman_voluntary");
  kinship = host_fixture_column (f, "marriage_registration", id, "prohibited_kinship");
  g_assert_cmpstr (voluntary, ==, "1");
  g_assert_cmpstr (kinship, ==, "0");
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
  assert_refusal (error, "marriage.already_married", "《民法典》第一千零四十二条");
  g_assert_nonnull (strstr (error->message, "男方"));
  g_assert_nonnull (strstr (error->message, "J450222-2021-000001"));
  g_clear_error (&error);
  g_assert_cmpint (register_couple (f, third, &error), ==, 0);
  assert_refusal (error, "marriage.already_married", "《民法典》第一千零四十二条");
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
  assert_refusal (error, "marriage.cooling_off", "《民法典》第一千零七十七条");
  g_clear_error (&error);
  host_fixture_set_today (f, "2021-03-31"); /* day 30 */
  g_assert_cmpint (register_divorce (f, da, &error), ==, 0);
  assert_refusal (error, "marriage.cooling_off", "《民法典》第一千零七十七条");
  g_clear_error (&error);

  host_fixture_set_today (f, "2021-04-01"); /* day 31 */
  /* Both must come: one alone is refused. */
  g_assert_cmpint (host_fixture_act (f, "divorce", "register", da, &error,
                                     "man_present", "1", NULL), ==, 0);
  assert_refusal (error, "marriage.not_present", "《民法典》第一千零七十六条");
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
  assert_refusal (error, "marriage.window_lapsed", "《民法典》第一千零七十七条");
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
  g_autofree char *kept = NULL;
  g_autofree char *by = NULL;

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
  assert_refusal (error, "marriage.withdraw_closed", "《民法典》第一千零七十七条");
  g_clear_error (&error);

  /* Day 30: still possible, and a right: no reason need be given
   * (民法典第一千零七十七条). */
  host_fixture_set_today (f, "2021-03-31");
  request.reason = NULL;
  g_assert_true (mz_services_act (f->services, &request, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (result.state, ==, "withdrawn");
  reason = host_fixture_column (f, "marriage_divorce", d, "withdrawal_reason");
  g_assert_null (reason);
  by = host_fixture_column (f, "marriage_divorce", d, "withdrawn_by");
  g_assert_cmpstr (by, ==, "woman");

  /* The marriage is still in force: a new application may follow, and a
   * reason the party chooses to give is kept. */
  request.record_id = accept_divorce (f, a, "J450222-2021-000001", &error);
  g_assert_no_error (error);
  g_assert_cmpint (request.record_id, >, 0);
  request.reason = "女方不愿离婚";
  g_assert_true (mz_services_act (f->services, &request, &result, &error));
  g_assert_no_error (error);
  kept = host_fixture_column (f, "marriage_divorce", request.record_id, "withdrawal_reason");
  g_assert_cmpstr (kept, ==, "女方不愿离婚");
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
  assert_refusal (error, "marriage.no_agreement", "《民法典》第一千零七十六条");
  g_clear_error (&error);

  g_assert_cmpint (host_fixture_act (f, "divorce", "accept", 0, &error,
                                     "marriage_certificate_number", "J450222-2021-000001",
                                     "man_name", a->man_name, "man_id_number", a->man_id,
                                     "woman_name", a->woman_name, "woman_id_number", a->woman_id,
                                     "agreement_present", "1", "man_capacity", "1",
                                     "man_present", "1", "woman_present", "1", NULL), ==, 0);
  assert_refusal (error, "marriage.no_capacity", "《婚姻登记条例》");
  g_clear_error (&error);

  /* Another couple's certificate. */
  g_assert_cmpint (accept_divorce (f, other, "J450222-2021-000001", &error), ==, 0);
  host_fixture_assert_code (error, "marriage.parties_mismatch");
  g_clear_error (&error);

  /* Registered elsewhere: refused until mainland China is affirmed. */
  g_assert_cmpint (accept_divorce (f, other, "J450105-2012-000321", &error), ==, 0);
  assert_refusal (error, "marriage.not_mainland", "《婚姻登记条例》");
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
  /* The applicant must come in person. */
  g_assert_cmpint (host_fixture_act (f, "replacement", "issue", 0, &error,
                                     "certificate_type", "marriage",
                                     "original_certificate_number", "J450222-2021-000001",
                                     "applicant_name", a->woman_name,
                                     "applicant_id_number", a->woman_id, NULL), ==, 0);
  assert_refusal (error, "marriage.not_present", "《婚姻登记条例》");
  g_clear_error (&error);
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
  assert_refusal (error, "marriage.archive_unverified", "《婚姻登记条例》");
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
  assert_refusal (error, "marriage.under_age", "《民法典》第一千零四十七条");
  g_clear_error (&error);

  id = register_couple (f, now, &error);
  g_assert_no_error (error);
  number = host_fixture_column (f, "marriage_registration", id, "certificate_number");
  g_assert_cmpstr (number, ==, "J450222-2021-000002");
}


static const MzActor auditor = { "audit01", "auditor", "session-2", "test" };

/* A field of a record as JSON. */
static const char *
json_field (JsonNode *record, const char *field)
{
  JsonObject *fields = json_object_get_object_member (json_node_get_object (record), "fields");

  return json_object_get_string_member (fields, field);
}

/* An auditor (no personal.read) reads and lists registrations: ID numbers
 * and names come masked, and each read is in the audit log as record.read
 * with "personal":"masked"; a supervisor sees them and the log says so. */
static void
test_read_masked (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) c = couple_new ("1990-03-01", 50, "1992-03-01", 50);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) one = NULL;
  g_autoptr (JsonNode) list = NULL;
  g_autoptr (JsonNode) shown = NULL;
  g_auto (AuditLast) read = { 0 };
  g_auto (AuditLast) read_shown = { 0 };
  g_autofree char *masked_id = NULL;
  g_autofree char *masked_woman_id = NULL;
  g_autofree char *ids = NULL;
  MzFindQuery query = { 0 };
  gint64 id;

  id = register_couple (f, c, &error);
  g_assert_no_error (error);
  masked_id = g_strdup_printf ("4502**********%s", c->man_id + 14);
  masked_woman_id = g_strdup_printf ("4502**********%s", c->woman_id + 14);

  one = mz_services_record_get (f->services, "marriage", "registration", id, &auditor, NULL,
                                &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_field (one, "man_id_number"), ==, masked_id);
  g_assert_cmpstr (json_field (one, "certificate_number"), ==, "J450222-2021-000001");
  g_assert_cmpstr (json_field (one, "man_name"), !=, c->man_name);
  audit_last (f, "record.read", "marriage.registration", &read);
  g_assert_cmpint (read.count, ==, 1);
  g_assert_cmpstr (read.outcome, ==, "ok");
  g_assert_cmpint (read.object_id, ==, id);
  g_assert_nonnull (strstr (read.changes, "\"personal\":\"masked\""));
  audit_last_clear (&read);

  list = mz_services_record_find (f->services, "marriage", "registration", &query, &auditor,
                                  NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 1);
  g_assert_cmpstr (json_field (json_array_get_element (json_node_get_array (list), 0),
                               "woman_id_number"), ==, masked_woman_id);
  audit_last (f, "record.read", "marriage.registration", &read);
  g_assert_cmpint (read.count, ==, 2);
  ids = g_strdup_printf ("\"ids\":[%" G_GINT64_FORMAT "]", id);
  g_assert_nonnull (strstr (read.changes, ids));
  g_assert_nonnull (strstr (read.changes, "\"personal\":\"masked\""));

  shown = mz_services_record_get (f->services, "marriage", "registration", id,
                                  &host_fixture_actor, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_field (shown, "man_id_number"), ==, c->man_id);
  audit_last (f, "record.read", "marriage.registration", &read_shown);
  g_assert_cmpint (read_shown.count, ==, 3);
  g_assert_nonnull (strstr (read_shown.changes, "\"personal\":\"shown\""));
}

/* A refused registration is audited with outcome refused and its code; the
 * reason kept there names the ground and the date, and neither the birth
 * date nor the ID number.  The refusal record's reason is personal: hashed
 * in the audit log's changes and masked for the auditor. */
static void
test_refusal_privacy (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) young = couple_new ("1999-05-11", 51, "1999-01-01", 51);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) notice = NULL;
  g_auto (AuditLast) refused = { 0 };
  g_auto (AuditLast) issued = { 0 };
  g_autofree char *reason = NULL;
  gint64 id;

  g_assert_cmpint (register_couple (f, young, &error), ==, 0);
  assert_refusal (error, "marriage.under_age", "《民法典》第一千零四十七条");
  g_clear_error (&error);
  audit_last (f, "marriage.registration.register", "marriage.registration", &refused);
  g_assert_cmpint (refused.count, ==, 1);
  g_assert_cmpstr (refused.outcome, ==, "refused");
  g_assert_nonnull (strstr (refused.reason, "[marriage.under_age]"));
  g_assert_nonnull (strstr (refused.reason, "男方至登记日 2021-05-10 未满二十二周岁"));
  g_assert_null (strstr (refused.reason, "1999-05-11"));
  g_assert_null (strstr (refused.reason, young->man_id));
  g_assert_null (strstr (refused.reason, young->man_name));

  id = host_fixture_act (f, "refusal", "refuse", 0, &error,
                         "man_name", young->man_name, "man_id_number", young->man_id,
                         "man_present", "1", "woman_name", young->woman_name,
                         "woman_id_number", young->woman_id, "woman_present", "1",
                         "declaration_signed", "1", "man_voluntary", "1",
                         "woman_voluntary", "1", NULL);
  g_assert_no_error (error);
  reason = host_fixture_column (f, "marriage_refusal", id, "reason");
  g_assert_nonnull (strstr (reason, "未满二十二周岁"));
  audit_last (f, "marriage.refusal.refuse", "marriage.refusal", &issued);
  g_assert_cmpstr (issued.outcome, ==, "ok");
  g_assert_nonnull (strstr (issued.changes, "\"reason_code\":[null,\"marriage.under_age\"]"));
  g_assert_null (strstr (issued.changes, "未满"));

  notice = mz_services_record_get (f->services, "marriage", "refusal", id, &auditor, NULL,
                                   &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_field (notice, "reason_code"), ==, "marriage.under_age");
  g_assert_null (strstr (json_field (notice, "reason"), "未满"));
  g_assert_null (strstr (json_field (notice, "notice"), young->man_name));
}

/* 宣告婚姻无效 and 撤销婚姻: each needs the court, changes the state, and
 * leaves the parties free to register again. */
static void
test_annulment_revocation (HostFixture *f, gconstpointer data)
{
  static const struct
  {
    const char *action;
    const char *state;
  } judgments[] = {
    { "record_annulment", "annulled" },
    { "record_revocation", "revoked" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (judgments); i++)
    {
      g_autoptr (Couple) c = couple_new ("1990-01-01", 60 + i, "1992-01-01", 60 + i);
      g_autoptr (GError) error = NULL;
      g_autofree char *state = NULL;
      g_autofree char *judgment = NULL;
      gint64 marriage, again;

      host_fixture_set_today (f, "2021-01-05");
      marriage = register_couple (f, c, &error);
      g_assert_no_error (error);
      host_fixture_set_today (f, "2021-04-01");

      g_assert_cmpint (host_fixture_act (f, "registration", judgments[i].action, marriage, &error,
                                         "judgment_number", "（2021）桂0222民初300号",
                                         "judgment_date", "2021-03-20", NULL), ==, 0);
      g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_REQUIRED);
      g_assert_nonnull (strstr (error->message, "court"));
      g_clear_error (&error);
      g_assert_cmpint (host_fixture_act (f, "registration", judgments[i].action, marriage, &error,
                                         "court", "柳城县人民法院", "judgment_date", "2021-03-20",
                                         NULL), ==, 0);
      g_assert_error (error, MZ_FIELD_ERROR, MZ_FIELD_ERROR_REQUIRED);
      g_assert_nonnull (strstr (error->message, "judgment_number"));
      g_clear_error (&error);
      state = host_fixture_column (f, "marriage_registration", marriage, "state");
      g_assert_cmpstr (state, ==, "registered");
      g_clear_pointer (&state, g_free);

      /* Still married: neither may register with someone else yet. */
      g_assert_cmpint (register_couple (f, c, &error), ==, 0);
      assert_refusal (error, "marriage.already_married", "《民法典》第一千零四十二条");
      g_clear_error (&error);

      g_assert_cmpint (host_fixture_act (f, "registration", judgments[i].action, marriage, &error,
                                         "judgment_number", "（2021）桂0222民初300号",
                                         "court", "柳城县人民法院", "judgment_date", "2021-03-20",
                                         NULL), ==, marriage);
      g_assert_no_error (error);
      state = host_fixture_column (f, "marriage_registration", marriage, "state");
      judgment = host_fixture_column (f, "marriage_registration", marriage, "judgment_number");
      g_assert_cmpstr (state, ==, judgments[i].state);
      g_assert_cmpstr (judgment, ==, "（2021）桂0222民初300号");

      /* The marriage is void or revoked: the same two may register anew. */
      again = register_couple (f, c, &error);
      g_assert_no_error (error);
      g_assert_cmpint (again, >, marriage);
    }
}

/* Each year's numbering starts at 000001. */
static void
test_number_new_year (HostFixture *f, gconstpointer data)
{
  g_autoptr (Couple) a = couple_new ("1990-01-01", 70, "1992-01-01", 70);
  g_autoptr (Couple) b = couple_new ("1990-01-01", 71, "1992-01-01", 71);
  g_autoptr (GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  gint64 id;

  host_fixture_set_today (f, "2021-12-31");
  id = register_couple (f, a, &error);
  g_assert_no_error (error);
  first = host_fixture_column (f, "marriage_registration", id, "certificate_number");
  g_assert_cmpstr (first, ==, "J450222-2021-000001");

  host_fixture_set_today (f, "2022-01-01");
  id = register_couple (f, b, &error);
  g_assert_no_error (error);
  second = host_fixture_column (f, "marriage_registration", id, "certificate_number");
  g_assert_cmpstr (second, ==, "J450222-2022-000001");
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
  assert_refusal (error, "marriage.under_age", "《民法典》第一千零四十七条");
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
                                     "declaration_signed", "1", "man_voluntary", "1",
                                     "woman_voluntary", "1", NULL), ==, 0);
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
  ADD ("read-masked", test_read_masked);
  ADD ("refusal-privacy", test_refusal_privacy);
  ADD ("annulment-revocation", test_annulment_revocation);
  ADD ("number-new-year", test_number_new_year);
#undef ADD

  return g_test_run ();
}
