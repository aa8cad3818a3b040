/* The log writer: one JSON shape for every line, plugins tagged by their
 * log domain, the request id of the thread, and the file and syslog
 * targets.  Targets are process-wide, so each case that installs the writer
 * runs in its own subprocess.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "log.h"
#include "loader-test-util.h"

static JsonObject *
parse_line (const char *line)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  GError *error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

static const char *
field (JsonObject *line,
       const char *name)
{
  JsonObject *fields = json_object_get_object_member (line, "fields");

  g_assert_true (json_object_has_member (fields, name));
  if (json_object_get_null_member (fields, name))
    return NULL;
  return json_object_get_string_member (fields, name);
}

/* Every line has time (RFC 3339, UTC), level, message and the standard
 * fields, null when they do not apply; text is escaped. */
static void
test_format (void)
{
  const GLogField fields[] = {
    { "MESSAGE", "引号 \" 反斜杠 \\ 换行\n结束", -1 },
    { "MZ_ERROR_CODE", "INIT_FAILED", -1 },
    { "PRIORITY", "4", -1 },
    { "BINARY", "\0\1", 2 },
  };
  g_autofree char *text = mz_log_format_json (G_LOG_LEVEL_WARNING, fields, G_N_ELEMENTS (fields));
  g_autoptr (JsonObject) line = NULL;
  g_autoptr (GDateTime) time = NULL;
  JsonObject *all;

  g_assert_true (g_str_has_suffix (text, "}\n"));
  g_assert_true (strchr (text, '\n') == text + strlen (text) - 1);
  line = parse_line (text);
  g_assert_cmpstr (json_object_get_string_member (line, "level"), ==, "warning");
  g_assert_cmpstr (json_object_get_string_member (line, "message"), ==, fields[0].value);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (line, "time"), "Z"));
  time = g_date_time_new_from_iso8601 (json_object_get_string_member (line, "time"), NULL);
  g_assert_nonnull (time);
  g_assert_null (field (line, "MZ_OFFICE"));
  g_assert_null (field (line, "MZ_PLUGIN"));
  g_assert_null (field (line, "MZ_PLUGIN_VERSION"));
  g_assert_null (field (line, "MZ_REQUEST_ID"));
  g_assert_null (field (line, "MESSAGE_ID"));
  g_assert_null (field (line, "GLIB_DOMAIN"));
  g_assert_cmpstr (field (line, "MZ_ERROR_CODE"), ==, "INIT_FAILED");
  all = json_object_get_object_member (line, "fields");
  g_assert_false (json_object_has_member (all, "PRIORITY"));
  g_assert_false (json_object_has_member (all, "BINARY"));
}

static GPtrArray *
read_lines (const char *path)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  GError *error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (parsed, parse_line (lines[i]));
  return parsed;
}

static gpointer
log_from_thread (gpointer data)
{
  mz_log_set_request_id (data);
  g_log_structured ("minzheng", G_LOG_LEVEL_MESSAGE, "MESSAGE", "from a worker");
  return NULL;
}

static void
test_file_target (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *target = NULL;
  g_autoptr (GPtrArray) lines = NULL;
  MzPlugin plugin = { .name = (char *) "socorg" };
  GError *error = NULL;
  JsonObject *line;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  dir = g_dir_make_tmp ("mz-log-XXXXXX", NULL);
  path = g_build_filename (dir, "minzheng.log", NULL);
  target = g_strconcat ("file:", path, NULL);
  g_assert_true (mz_log_init (target, "450222", &error));
  g_assert_no_error (error);
  mz_log_register_plugin ("socorg", "0.1.0");

  /* A plugin's own g_log() call, by its domain. */
  g_log_structured ("mz-socorg", G_LOG_LEVEL_MESSAGE, "MESSAGE_ID", "socorg.checked",
                    "MESSAGE", "年检 %d 家", 12);
  /* The host on behalf of a request. */
  mz_log_set_request_id ("req-7");
  g_log_structured ("minzheng", G_LOG_LEVEL_WARNING, "MZ_ERROR_CODE", "NOT_FOUND",
                    "MESSAGE", "host line");
  /* The request id is the thread's own. */
  g_thread_join (g_thread_new ("worker", log_from_thread, (gpointer) "req-8"));
  g_assert_cmpstr (mz_log_get_request_id (), ==, "req-7");
  mz_log_set_request_id (NULL);
  /* MzHost.log with odd arguments: a NULL message, a fatal level. */
  mz_log_plugin (&plugin, G_LOG_LEVEL_ERROR, NULL, NULL);
  mz_log_plugin (NULL, 0, "host.note", "from nowhere");

  lines = read_lines (path);
  g_assert_cmpuint (lines->len, ==, 5);
  line = g_ptr_array_steal_index (lines, 2);
  g_assert_cmpstr (json_object_get_string_member (line, "message"), ==, "from a worker");
  g_assert_cmpstr (field (line, "MZ_REQUEST_ID"), ==, "req-8");
  json_object_unref (line);

  line = lines->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (line, "message"), ==, "年检 12 家");
  g_assert_cmpstr (field (line, "MZ_OFFICE"), ==, "450222");
  g_assert_cmpstr (field (line, "MZ_PLUGIN"), ==, "socorg");
  g_assert_cmpstr (field (line, "MZ_PLUGIN_VERSION"), ==, "0.1.0");
  g_assert_cmpstr (field (line, "MESSAGE_ID"), ==, "socorg.checked");
  g_assert_null (field (line, "MZ_REQUEST_ID"));

  line = lines->pdata[1];
  g_assert_cmpstr (field (line, "MZ_REQUEST_ID"), ==, "req-7");
  g_assert_null (field (line, "MZ_PLUGIN"));
  g_assert_cmpstr (field (line, "MZ_ERROR_CODE"), ==, "NOT_FOUND");
  g_assert_cmpstr (json_object_get_string_member (line, "level"), ==, "warning");

  line = lines->pdata[2];
  g_assert_cmpstr (json_object_get_string_member (line, "level"), ==, "critical");
  g_assert_cmpstr (json_object_get_string_member (line, "message"), ==, "(no message)");
  g_assert_cmpstr (field (line, "MZ_PLUGIN_VERSION"), ==, "0.1.0");

  line = lines->pdata[3];
  g_assert_cmpstr (json_object_get_string_member (line, "level"), ==, "message");
  g_assert_cmpstr (field (line, "GLIB_DOMAIN"), ==, "minzheng");
  g_assert_cmpstr (field (line, "MESSAGE_ID"), ==, "host.note");

  mz_test_remove_tree (dir);
}

/* RFC 5424 over UDP to a collector listening on loopback. */
static void
test_syslog_target (void)
{
  struct sockaddr_in address = { .sin_family = AF_INET };
  socklen_t length = sizeof address;
  g_autofree char *target = NULL;
  char datagram[2048];
  gssize n;
  int fd;
  GError *error = NULL;
  struct timeval timeout = { .tv_sec = 10 };

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  fd = socket (AF_INET, SOCK_DGRAM, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &address, sizeof address), ==, 0);
  g_assert_cmpint (getsockname (fd, (struct sockaddr *) &address, &length), ==, 0);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);

  target = g_strdup_printf ("syslog:127.0.0.1:%u", ntohs (address.sin_port));
  g_assert_true (mz_log_init (target, "450222", &error));
  g_assert_no_error (error);
  mz_log_register_plugin ("vagrant", "0.1.0");
  g_log_structured ("mz-vagrant", G_LOG_LEVEL_WARNING, "MESSAGE_ID", "vagrant.shelter full",
                    "MESSAGE", "救助站已满 \"A\"");

  n = recv (fd, datagram, sizeof datagram - 1, 0);
  g_assert_cmpint (n, >, 0);
  datagram[n] = '\0';
  close (fd);
  /* daemon (3) * 8 + warning (4) */
  g_assert_true (g_str_has_prefix (datagram, "<28>1 "));
  g_assert_nonnull (strstr (datagram, " vagrant.shelter_full [mz@32473 office=\"450222\" "
                            "plugin=\"vagrant\" version=\"0.1.0\"] \xef\xbb\xbf救助站已满 \"A\""));
}

/* Where journald is not running (a container, a CI runner), the journal
 * target still logs: JSON lines on stderr rather than nothing. */
static void
test_journal_fallback (void)
{
  GError *error = NULL;

  if (g_file_test ("/run/systemd/journal/socket", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("journald is running here; the fallback cannot be observed");
      return;
    }
  if (g_test_subprocess ())
    {
      g_assert_true (mz_log_init ("journal", "450222", &error));
      g_assert_no_error (error);
      g_log_structured ("minzheng", G_LOG_LEVEL_MESSAGE, "MESSAGE_ID", "test.journal",
                        "MESSAGE", "to the journal");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*\"message\":\"to the journal\"*\"MZ_OFFICE\":\"450222\"*");
}

static void
test_bad_targets (void)
{
  GError *error = NULL;

  g_assert_false (mz_log_init ("file:/nonexistent-dir/minzheng.log", NULL, &error));
  g_assert_error (error, MZ_LOG_ERROR, MZ_LOG_ERROR_TARGET);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/minzheng.log"));
  g_clear_error (&error);
  g_assert_false (mz_log_init ("syslog:no-such-host.invalid:514", NULL, &error));
  g_assert_error (error, MZ_LOG_ERROR, MZ_LOG_ERROR_TARGET);
  g_assert_nonnull (strstr (error->message, "cannot resolve no-such-host.invalid"));
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/log/format", test_format);
  g_test_add_func ("/log/file-target", test_file_target);
  g_test_add_func ("/log/syslog-target", test_syslog_target);
  g_test_add_func ("/log/journal-fallback", test_journal_fallback);
  g_test_add_func ("/log/bad-targets", test_bad_targets);

  return g_test_run ();
}
