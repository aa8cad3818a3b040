/* minzheng host — the one structured log writer of the process.
 *
 * GLib lets a process install exactly one writer; the host installs this
 * one so that its own lines and every plugin's (through MzHost.log or
 * plain g_log()) reach the operator in one shape, tagged with the office,
 * the plugin and the request.  The log stream is a copy for operators; the
 * audit log is the record.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "log.h"

G_DEFINE_QUARK (mz-log-error-quark, mz_log_error)

typedef enum
{
  TARGET_STDERR,
  TARGET_FILE,
  TARGET_JOURNAL,
  TARGET_SYSLOG,
} TargetKind;

/* The writer's state; guarded by log_lock because any thread may log. */
static GMutex log_lock;
static gboolean writer_installed;
static TargetKind target_kind = TARGET_STDERR;
static int target_fd = -1;           /* file or UDP socket */
static char *office;
static char *hostname;
static GHashTable *plugin_versions;  /* plugin name → version */

static GPrivate request_id_key = G_PRIVATE_INIT (g_free);

/* The fields every line carries, in this order, whether or not the caller
 * gave them, so that consumers can rely on one shape. */
static const char *const standard_fields[] = {
  "MZ_OFFICE", "MZ_PLUGIN", "MZ_PLUGIN_VERSION", "MZ_REQUEST_ID", "MESSAGE_ID", "GLIB_DOMAIN",
};
enum { N_STANDARD = G_N_ELEMENTS (standard_fields) };

static gboolean
is_standard (const char *key)
{
  for (guint i = 0; i < N_STANDARD; i++)
    if (strcmp (standard_fields[i], key) == 0)
      return TRUE;
  return FALSE;
}

static const char *
level_name (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return "error";
  if (level & G_LOG_LEVEL_CRITICAL)
    return "critical";
  if (level & G_LOG_LEVEL_WARNING)
    return "warning";
  if (level & G_LOG_LEVEL_MESSAGE)
    return "message";
  if (level & G_LOG_LEVEL_INFO)
    return "info";
  return "debug";
}

/* RFC 5424 severities, as journald's PRIORITY uses them too. */
static int
level_severity (GLogLevelFlags level)
{
  if (level & G_LOG_LEVEL_ERROR)
    return 3;
  if (level & G_LOG_LEVEL_CRITICAL)
    return 2;
  if (level & G_LOG_LEVEL_WARNING)
    return 4;
  if (level & G_LOG_LEVEL_MESSAGE)
    return 5;
  if (level & G_LOG_LEVEL_INFO)
    return 6;
  return 7;
}

static const char *
field_string (const GLogField *field)
{
  if (field->length < 0)
    return field->value;
  return NULL;
}

static void
json_append_string (GString    *out,
                    const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  valid = g_utf8_make_valid (text, -1);
  g_string_append_c (out, '"');
  for (const char *p = valid; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
append_utc_time (GString *out)
{
  gint64 now = g_get_real_time ();
  time_t seconds = (time_t) (now / G_USEC_PER_SEC);
  struct tm tm;

  gmtime_r (&seconds, &tm);
  g_string_append_printf (out, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
                          tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                          tm.tm_hour, tm.tm_min, tm.tm_sec, (int) (now % G_USEC_PER_SEC));
}

static const char *
find_field (const GLogField *fields,
            gsize            n_fields,
            const char      *key)
{
  for (gsize i = 0; i < n_fields; i++)
    if (strcmp (fields[i].key, key) == 0)
      return field_string (&fields[i]);
  return NULL;
}

char *
mz_log_format_json (GLogLevelFlags   level,
                    const GLogField *fields,
                    gsize            n_fields)
{
  GString *out = g_string_sized_new (256);

  g_string_append (out, "{\"time\":\"");
  append_utc_time (out);
  g_string_append_printf (out, "\",\"level\":\"%s\",\"message\":", level_name (level));
  json_append_string (out, find_field (fields, n_fields, "MESSAGE"));
  g_string_append (out, ",\"fields\":{");
  for (guint i = 0; i < N_STANDARD; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "\"%s\":", standard_fields[i]);
      json_append_string (out, find_field (fields, n_fields, standard_fields[i]));
    }
  for (gsize i = 0; i < n_fields; i++)
    {
      const char *value = field_string (&fields[i]);

      /* MESSAGE is above; PRIORITY repeats the level; binary values are
       * not text and have no JSON form. */
      if (value == NULL || strcmp (fields[i].key, "MESSAGE") == 0
          || strcmp (fields[i].key, "PRIORITY") == 0
          || is_standard (fields[i].key))
        continue;
      g_string_append_c (out, ',');
      json_append_string (out, fields[i].key);
      g_string_append_c (out, ':');
      json_append_string (out, value);
    }
  g_string_append (out, "}}\n");
  return g_string_free (out, FALSE);
}

/* One write(2) per line, so that lines from several threads or processes
 * appending to one file never interleave. */
static void
write_line (int         fd,
            const char *line)
{
  gsize length = strlen (line);
  gssize written;

  do
    written = write (fd, line, length);
  while (written < 0 && errno == EINTR);
}

static void
sd_append_param (GString    *out,
                 const char *name,
                 const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_string_append_printf (out, " %s=\"", name);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\' || *p == ']')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* RFC 5424: <PRI>1 TIMESTAMP HOST APP PROCID MSGID [SD] BOM MSG, facility
 * daemon; 32473 is the example enterprise number RFC 5612 reserves. */
static void
write_syslog (GLogLevelFlags   level,
              const GLogField *fields,
              gsize            n_fields)
{
  const char *message_id = find_field (fields, n_fields, "MESSAGE_ID");
  const char *message = find_field (fields, n_fields, "MESSAGE");
  g_autoptr (GString) out = g_string_sized_new (256);
  g_autofree char *valid = g_utf8_make_valid (message != NULL ? message : "", -1);

  g_string_append_printf (out, "<%d>1 ", 3 * 8 + level_severity (level));
  append_utc_time (out);
  g_string_append_printf (out, " %s %s %d ", hostname,
                          g_get_prgname () != NULL ? g_get_prgname () : "minzheng",
                          (int) getpid ());
  if (message_id != NULL && *message_id != '\0')
    {
      g_autofree char *msgid = g_strndup (message_id, 32);

      for (char *p = msgid; *p != '\0'; p++)
        if (*p <= ' ' || *p > '~')
          *p = '_';
      g_string_append (out, msgid);
    }
  else
    g_string_append_c (out, '-');
  g_string_append (out, " [mz@32473");
  sd_append_param (out, "office", find_field (fields, n_fields, "MZ_OFFICE"));
  sd_append_param (out, "plugin", find_field (fields, n_fields, "MZ_PLUGIN"));
  sd_append_param (out, "version", find_field (fields, n_fields, "MZ_PLUGIN_VERSION"));
  sd_append_param (out, "request", find_field (fields, n_fields, "MZ_REQUEST_ID"));
  sd_append_param (out, "error", find_field (fields, n_fields, "MZ_ERROR_CODE"));
  g_string_append (out, "] \xef\xbb\xbf");
  g_string_append (out, valid);
  (void) send (target_fd, out->str, out->len, MSG_DONTWAIT);
}

static void
write_json (int              fd,
            GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields)
{
  g_autofree char *line = mz_log_format_json (level, fields, n_fields);

  write_line (fd, line);
}

/* Adds the standard fields the caller did not give, from the office, the
 * plugin the log domain names and this thread's request. */
static GLogWriterOutput
mz_log_writer (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  g_autofree GLogField *all = g_new (GLogField, n_fields + N_STANDARD);
  const char *domain = find_field (fields, n_fields, "GLIB_DOMAIN");
  const char *plugin = find_field (fields, n_fields, "MZ_PLUGIN");
  const char *request_id = mz_log_get_request_id ();
  const char *version = NULL;
  gsize n = n_fields;
  g_autoptr (GMutexLocker) locker = NULL;

  if ((level & G_LOG_LEVEL_DEBUG) && g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;

  locker = g_mutex_locker_new (&log_lock);
  memcpy (all, fields, n_fields * sizeof (GLogField));

  if (plugin == NULL && domain != NULL && g_str_has_prefix (domain, "mz-")
      && plugin_versions != NULL && g_hash_table_contains (plugin_versions, domain + 3))
    {
      plugin = domain + 3;
      all[n++] = (GLogField) { "MZ_PLUGIN", plugin, -1 };
    }
  if (plugin != NULL && find_field (fields, n_fields, "MZ_PLUGIN_VERSION") == NULL
      && plugin_versions != NULL)
    {
      version = g_hash_table_lookup (plugin_versions, plugin);
      if (version != NULL)
        all[n++] = (GLogField) { "MZ_PLUGIN_VERSION", version, -1 };
    }
  if (office != NULL && find_field (fields, n_fields, "MZ_OFFICE") == NULL)
    all[n++] = (GLogField) { "MZ_OFFICE", office, -1 };
  if (request_id != NULL && find_field (fields, n_fields, "MZ_REQUEST_ID") == NULL)
    all[n++] = (GLogField) { "MZ_REQUEST_ID", request_id, -1 };

  switch (target_kind)
    {
    case TARGET_JOURNAL:
      if (g_log_writer_journald (level, all, n, NULL) == G_LOG_WRITER_HANDLED)
        break;
      write_json (STDERR_FILENO, level, all, n);
      break;
    case TARGET_SYSLOG:
      write_syslog (level, all, n);
      break;
    case TARGET_FILE:
      write_json (target_fd, level, all, n);
      break;
    case TARGET_STDERR:
    default:
      write_json (STDERR_FILENO, level, all, n);
      break;
    }
  return G_LOG_WRITER_HANDLED;
}

static int
open_syslog (const char  *target,
             GError     **error)
{
  const char *spec = target + strlen ("syslog:");
  const char *colon = strrchr (spec, ':');
  g_autofree char *host = NULL;
  struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM };
  struct addrinfo *result = NULL;
  int status;
  int fd = -1;

  if (colon == NULL || colon == spec)
    {
      g_set_error (error, MZ_LOG_ERROR, MZ_LOG_ERROR_TARGET,
                   "log target “%s”: expected syslog:HOST:PORT", target);
      return -1;
    }
  host = g_strndup (spec, (gsize) (colon - spec));
  if (host[0] == '[' && host[strlen (host) - 1] == ']')
    {
      memmove (host, host + 1, strlen (host));
      host[strlen (host) - 1] = '\0';
    }
  status = getaddrinfo (host, colon + 1, &hints, &result);
  if (status != 0)
    {
      g_set_error (error, MZ_LOG_ERROR, MZ_LOG_ERROR_TARGET,
                   "log target “%s”: cannot resolve %s (%s); give an address or a "
                   "name this machine can resolve", target, host, gai_strerror (status));
      return -1;
    }
  for (struct addrinfo *ai = result; ai != NULL && fd < 0; ai = ai->ai_next)
    {
      fd = socket (ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
      if (fd >= 0 && connect (fd, ai->ai_addr, ai->ai_addrlen) != 0)
        {
          close (fd);
          fd = -1;
        }
    }
  freeaddrinfo (result);
  if (fd < 0)
    g_set_error (error, MZ_LOG_ERROR, MZ_LOG_ERROR_TARGET,
                 "log target “%s”: cannot open a UDP socket to it (%s)", target,
                 g_strerror (errno));
  return fd;
}

gboolean
mz_log_init (const char  *target,
             const char  *office_id,
             GError     **error)
{
  TargetKind kind;
  int fd = -1;
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (target != NULL, FALSE);

  /* Under systemd, stderr is a stream into the journal: speak journald's
   * own protocol then, so that the fields stay fields. */
  if (strcmp (target, "stderr") == 0)
    kind = g_log_writer_is_journald (STDERR_FILENO) ? TARGET_JOURNAL : TARGET_STDERR;
  else if (strcmp (target, "journal") == 0)
    kind = TARGET_JOURNAL;
  else if (g_str_has_prefix (target, "file:") && target[5] != '\0')
    {
      kind = TARGET_FILE;
      fd = g_open (target + 5, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
      if (fd < 0)
        {
          int saved = errno;

          g_set_error (error, MZ_LOG_ERROR, MZ_LOG_ERROR_TARGET,
                       "log file %s cannot be opened for appending (%s); "
                       "create its directory or give the daemon write access",
                       target + 5, g_strerror (saved));
          return FALSE;
        }
    }
  else if (g_str_has_prefix (target, "syslog:"))
    {
      kind = TARGET_SYSLOG;
      fd = open_syslog (target, error);
      if (fd < 0)
        return FALSE;
    }
  else
    {
      g_set_error (error, MZ_LOG_ERROR, MZ_LOG_ERROR_TARGET,
                   "log target “%s” is unknown; expected stderr, journal, file:PATH "
                   "or syslog:HOST:PORT", target);
      return FALSE;
    }

  locker = g_mutex_locker_new (&log_lock);
  if (target_fd >= 0)
    close (target_fd);
  target_fd = fd;
  target_kind = kind;
  g_free (office);
  office = g_strdup (office_id);
  if (hostname == NULL)
    hostname = g_strdup (g_get_host_name ());
  if (!writer_installed)
    {
      g_log_set_writer_func (mz_log_writer, NULL, NULL);
      writer_installed = TRUE;
    }
  return TRUE;
}

void
mz_log_register_plugin (const char *name,
                        const char *version)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_if_fail (name != NULL);

  locker = g_mutex_locker_new (&log_lock);
  if (plugin_versions == NULL)
    plugin_versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (plugin_versions, g_strdup (name), g_strdup (version != NULL ? version : ""));
}

void
mz_log_set_request_id (const char *request_id)
{
  g_private_replace (&request_id_key, g_strdup (request_id));
}

const char *
mz_log_get_request_id (void)
{
  return g_private_get (&request_id_key);
}

void
mz_log_plugin (MzPlugin      *plugin,
               GLogLevelFlags level,
               const char    *message_id,
               const char    *message)
{
  g_autofree char *domain = NULL;
  GLogField fields[6];
  gsize n = 0;

  /* A plugin must not be able to abort the host by logging: G_LOG_LEVEL_ERROR
   * is fatal in GLib, so it is recorded as critical; no level means message. */
  level &= G_LOG_LEVEL_MASK;
  if (level & G_LOG_LEVEL_ERROR)
    level = G_LOG_LEVEL_CRITICAL;
  if (level == 0)
    level = G_LOG_LEVEL_MESSAGE;

  fields[n++] = (GLogField) { "MESSAGE", message != NULL ? message : "(no message)", -1 };
  if (message_id != NULL)
    fields[n++] = (GLogField) { "MESSAGE_ID", message_id, -1 };
  if (plugin != NULL && plugin->name != NULL)
    {
      domain = g_strconcat ("mz-", plugin->name, NULL);
      fields[n++] = (GLogField) { "GLIB_DOMAIN", domain, -1 };
      fields[n++] = (GLogField) { "MZ_PLUGIN", plugin->name, -1 };
      if (plugin->descriptor != NULL && plugin->descriptor->version != NULL)
        fields[n++] = (GLogField) { "MZ_PLUGIN_VERSION", plugin->descriptor->version, -1 };
    }
  else
    fields[n++] = (GLogField) { "GLIB_DOMAIN", "minzheng", -1 };

  g_log_structured_array (level, fields, n);
}
