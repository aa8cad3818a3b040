/* Due work with a fixed clock: the listing (deadlines, days overdue, the
 * automatic action), the automatic transitions applied as the system and
 * audited so, and report runs over the testreg plugin with their audit
 * entries and a failing section beside a good one.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "due.h"
#include "host-fixture.h"
#include "import.h"
#include "report.h"

static MzDueItem *
find_item (GPtrArray  *items,
           const char *due,
           gint64      id)
{
  for (guint i = 0; i < items->len; i++)
    {
      MzDueItem *item = g_ptr_array_index (items, i);

      if (item->record_id == id && strcmp (item->due, due) == 0)
        return item;
    }
  return NULL;
}

/* The item, which must be listed. */
static MzDueItem *
get_item (GPtrArray  *items,
          const char *due,
          gint64      id)
{
  MzDueItem *item = find_item (items, due, id);

  if (item == NULL)
    g_error ("record %" G_GINT64_FORMAT " is not listed for %s", id, due);
  return item;
}

static gint64
import_done (HostFixture *f,
             const char  *applied_on)
{
  g_autoptr (MzImportBatch) batch = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = host_fixture_id_number (500);
  g_autofree char *csv = NULL;
  const MzActor actor = { "importer", "supervisor", NULL, "cli" };

  csv = g_strdup_printf ("name,id_number,category,applied_on,certificate_no\n旧,%s,dibao,%s,OLD-1\n",
                         id, applied_on);
  batch = mz_import_batch_new (f->services, &actor, NULL);
  g_assert_true (mz_import_batch_add_data (batch, "testreg", "application", NULL, MZ_IMPORT_FORMAT_CSV,
                                           NULL, csv, strlen (csv), &error));
  g_assert_true (mz_import_batch_commit (batch, &error));
  g_assert_no_error (error);
  return host_fixture_count (f, "SELECT max(id) FROM testreg_application");
}

static void
test_list_and_run (void)
{
  HostFixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GPtrArray) soon = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  MzDueRunStats stats = { 0 };
  MzDueItem *item;
  gint64 a, b, c, d, e;

  host_fixture_open (&f, NULL);
  host_fixture_set_today (&f, "2021-03-01");
  a = host_fixture_submit (&f, "甲", "2021-01-10");   /* deadline 02-09: 20 days overdue */
  b = host_fixture_submit (&f, "乙", "2021-02-20");   /* deadline 03-22: 21 days to go */
  c = host_fixture_submit (&f, "丙", "2021-01-29");   /* deadline 02-28: 1 day overdue */
  d = host_fixture_submit (&f, "丁", "2021-01-30");   /* deadline 03-01: due today */
  e = import_done (&f, "2020-02-01");                 /* annual review 2021-01-31: 29 days */

  items = mz_due_list (f.services, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 4);
  g_assert_null (find_item (items, "pending_too_long", b));

  item = get_item (items, "pending_too_long", a);
  g_assert_cmpstr (item->deadline, ==, "2021-02-09");
  g_assert_cmpint (item->days_overdue, ==, 20);
  g_assert_cmpstr (item->state, ==, "pending");
  g_assert_cmpstr (item->state_label, ==, "待审核");
  g_assert_cmpstr (item->action, ==, "lapse");
  item = get_item (items, "pending_too_long", c);
  g_assert_cmpint (item->days_overdue, ==, 1);
  item = get_item (items, "pending_too_long", d);
  g_assert_cmpstr (item->deadline, ==, "2021-03-01");
  g_assert_cmpint (item->days_overdue, ==, 0);
  item = get_item (items, "annual_review", e);
  g_assert_cmpstr (item->deadline, ==, "2021-01-31");
  g_assert_cmpint (item->days_overdue, ==, 29);
  g_assert_null (item->action);
  /* Most overdue first. */
  g_assert_cmpint (((MzDueItem *) g_ptr_array_index (items, 0))->days_overdue, ==, 29);

  /* A horizon of 30 days also shows what falls due soon. */
  soon = mz_due_list (f.services, "2021-03-01", 30, &error);
  g_assert_no_error (error);
  item = get_item (soon, "pending_too_long", b);
  g_assert_cmpint (item->days_overdue, ==, -21);

  json = mz_due_format_json (items, "2021-03-01");
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_parser_get_root (parser)), "items")), ==, 4);
  text = mz_due_format_text (items, "2021-03-01");
  g_assert_nonnull (strstr (text, "逾期 20 天"));
  g_assert_nonnull (strstr (text, "今天到期"));

  /* The run lapses a and c, not d (due today, not yet overdue) nor e. */
  g_assert_true (mz_due_run (f.services, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 2);
  g_assert_cmpuint (stats.failed, ==, 0);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application WHERE state = 'lapsed'"),
                   ==, 2);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT state FROM testreg_application WHERE id = %" G_GINT64_FORMAT, a);
    g_autofree char *state = host_fixture_text (&f, sql);
    g_assert_cmpstr (state, ==, "lapsed");
  }
  /* Audited as done by the system. */
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM audit_entries WHERE actor_user = 'system'"
                                           " AND actor_role = 'system' AND outcome = 'ok'"
                                           " AND action LIKE '%lapse%'"), ==, 2);

  /* Nothing left to do the same day; the next day d lapses too. */
  g_assert_true (mz_due_run (f.services, &stats, &error));
  g_assert_cmpuint (stats.applied, ==, 0);
  host_fixture_set_today (&f, "2021-03-02");
  g_assert_true (mz_due_run (f.services, &stats, &error));
  g_assert_cmpuint (stats.applied, ==, 1);
  after = mz_due_list (f.services, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_nonnull (find_item (after, "annual_review", e));
  host_fixture_close (&f);
}

/* A datetime field counts by its office-local date (UTC+8): 15:59:59Z is
 * still the same day in 柳城县, 16:00:00Z is the next. */
static gint64
submit_visited (HostFixture *f,
                const char  *visited_at)
{
  g_autoptr (GHashTable) inputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr (GError) error = NULL;
  const MzActor clerk = { "clerk1", "clerk", NULL, "cli" };
  MzActRequest request = { 0 };
  MzActResult result = { 0 };

  g_hash_table_insert (inputs, "name", g_strdup ("访"));
  g_hash_table_insert (inputs, "id_number", host_fixture_id_number (700));
  g_hash_table_insert (inputs, "category", g_strdup ("dibao"));
  g_hash_table_insert (inputs, "applied_on", g_strdup ("2021-02-25"));
  g_hash_table_insert (inputs, "visited_at", g_strdup (visited_at));
  request.plugin = "testreg";
  request.kind = "application";
  request.action = "submit";
  request.inputs = inputs;
  request.actor = &clerk;
  g_assert_true (mz_services_act (f->services, &request, &result, &error));
  g_assert_no_error (error);
  return result.record_id;
}

static void
test_datetime_local_date (void)
{
  HostFixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = NULL;
  MzDueItem *item;
  gint64 late, early, later;

  host_fixture_open (&f, NULL);
  host_fixture_set_today (&f, "2021-03-01");
  early = submit_visited (&f, "2021-02-27T15:59:59Z");   /* 02-27 23:59:59 local: deadline 02-28 */
  late = submit_visited (&f, "2021-02-27T16:00:00Z");    /* 02-28 00:00:00 local: deadline 03-01 */
  later = submit_visited (&f, "2021-02-28T16:00:00Z");   /* 03-01 local: deadline 03-02, not listed */

  items = mz_due_list (f.services, NULL, 0, &error);
  g_assert_no_error (error);
  item = get_item (items, "visit_report", early);
  g_assert_cmpstr (item->deadline, ==, "2021-02-28");
  g_assert_cmpint (item->days_overdue, ==, 1);
  item = get_item (items, "visit_report", late);
  g_assert_cmpstr (item->deadline, ==, "2021-03-01");
  g_assert_cmpint (item->days_overdue, ==, 0);
  g_assert_null (find_item (items, "visit_report", later));
  host_fixture_close (&f);
}

/* The system action cannot be performed by a person. */
static void
test_system_action_reserved (void)
{
  HostFixture f = { 0 };
  g_autoptr (GError) error = NULL;
  const MzActor boss = { "boss", "supervisor", NULL, "cli" };
  MzActRequest request = { 0 };
  MzActResult result = { 0 };

  host_fixture_open (&f, NULL);
  request.plugin = "testreg";
  request.kind = "application";
  request.action = "lapse";
  request.record_id = host_fixture_submit (&f, "甲", "2021-01-10");
  request.actor = &boss;
  g_assert_false (mz_services_act (f.services, &request, &result, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM testreg_application WHERE state = 'pending'"),
                   ==, 1);
  host_fixture_close (&f);
}

static void
test_report_run (void)
{
  HostFixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (MzReportDoc) doc = NULL;
  g_autofree char *csv = NULL;
  const MzActor auditor = { "auditor1", "auditor", NULL, "cli" };

  host_fixture_open (&f, NULL);
  host_fixture_set_today (&f, "2021-07-05");
  host_fixture_submit (&f, "甲", "2020-12-31");
  host_fixture_submit (&f, "乙", "2021-01-01");
  host_fixture_submit (&f, "丙", "2021-06-30");
  host_fixture_submit (&f, "丁", "2021-07-01");

  g_assert_null (mz_report_run (f.services, "2021-06-30", "2021-01-01", NULL, &auditor, &error));
  g_assert_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_PERIOD);
  g_clear_error (&error);
  g_assert_null (mz_report_run (f.services, "2021-01-01", "2021-06-30", "marriage", &auditor, &error));
  g_assert_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_SECTION);
  g_clear_error (&error);

  doc = mz_report_run (f.services, "2021-01-01", "2021-06-30", NULL, &auditor, &error);
  g_assert_no_error (error);
  g_assert_true (mz_report_doc_check (doc, &error));
  g_assert_cmpstr (doc->office_name, ==, "柳城县民政局");
  csv = mz_report_doc_format (doc, MZ_REPORT_FORMAT_CSV);
  g_assert_cmpstr (csv, ==,
                   "plugin,key,label,value,unit\r\n"
                   "testreg,testreg.applications,救助申请,2,件\r\n"
                   "testreg,testreg.amount,申请金额,0.0,万元\r\n");
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM audit_entries WHERE action = 'report.run'"
                                           " AND actor_user = 'auditor1' AND outcome = 'ok'"), ==, 1);
  host_fixture_close (&f);
}

static void
test_report_run_failing_section (void)
{
  HostFixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (MzReportDoc) doc = NULL;
  const MzActor auditor = { "auditor1", "auditor", NULL, "cli" };
  MzReport *good, *bad;

  host_fixture_open (&f, "[plugin.testreg]\nsnoop=true\n");
  host_fixture_submit (&f, "甲", "2021-01-01");
  doc = mz_report_run (f.services, "2021-01-01", "2021-06-30", NULL, &auditor, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (doc->sections->len, ==, 2);
  good = g_ptr_array_index (doc->sections, 0);
  bad = g_ptr_array_index (doc->sections, 1);
  g_assert_no_error (good->error);
  g_assert_cmpuint (good->figures->len, ==, 2);
  g_assert_error (bad->error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_DENIED);
  g_assert_nonnull (strstr (bad->error->message, "testreg"));
  g_assert_nonnull (strstr (bad->error->message, "audit_entries"));
  g_assert_false (mz_report_doc_check (doc, &error));
  g_assert_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_INCOMPLETE);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM audit_entries WHERE action = 'report.run'"
                                           " AND outcome = 'error'"), ==, 1);
  host_fixture_close (&f);
}

/* minzhengd applies the automatic transitions once at start and then
 * every [due] interval_seconds: a record that falls overdue while the
 * daemon runs (the clock is fixed with --now) lapses without anyone
 * asking.  The daemon is a real child process, stopped with SIGTERM. */
static void
test_daemon_applies (void)
{
  HostFixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) daemon = NULL;
  gint64 deadline;
  gint64 lapsed = 0;

  host_fixture_open (&f, "[due]\ninterval_seconds=1\n");
  host_fixture_set_today (&f, "2021-03-01");
  host_fixture_submit (&f, "甲", "2021-01-10");   /* 20 days overdue on 2021-03-01 */
  host_fixture_submit (&f, "乙", "2021-02-25");   /* not yet */
  host_fixture_stop (&f);

  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                             MINZHENGD, "--config", f.config_path, "--now", "2021-03-01", NULL);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      lapsed = host_fixture_count (&f, "SELECT count(*) FROM testreg_application WHERE state = 'lapsed'");
      if (lapsed > 0)
        break;
      g_usleep (G_USEC_PER_SEC / 10);
    }
  g_assert_cmpint (lapsed, ==, 1);
  g_assert_cmpint (host_fixture_count (&f, "SELECT count(*) FROM audit_entries WHERE actor_user = 'system'"
                                           " AND actor_role = 'system' AND outcome = 'ok'"), ==, 1);
  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon), ==, 0);
  host_fixture_close (&f);
}

static void
test_daemon_bad_interval (void)
{
  HostFixture f = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) daemon = NULL;
  g_autofree char *err = NULL;

  host_fixture_open (&f, "[due]\ninterval_seconds=0\n");
  host_fixture_stop (&f);
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                             MINZHENGD, "--config", f.config_path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (daemon, NULL, NULL, NULL, &err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (daemon));
  g_assert_cmpint (g_subprocess_get_exit_status (daemon), !=, 0);
  g_assert_nonnull (strstr (err, "interval_seconds"));
  host_fixture_close (&f);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/due/list-and-run", test_list_and_run);
  g_test_add_func ("/due/system-action-reserved", test_system_action_reserved);
  g_test_add_func ("/due/datetime-local-date", test_datetime_local_date);
  g_test_add_func ("/report/run", test_report_run);
  g_test_add_func ("/report/run-failing-section", test_report_run_failing_section);
  g_test_add_func ("/due/daemon-applies", test_daemon_applies);
  g_test_add_func ("/due/daemon-bad-interval", test_daemon_bad_interval);
  return g_test_run ();
}
