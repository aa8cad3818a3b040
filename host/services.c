/* minzheng host — the services behind MzHost: configuration, logging,
 * clock, declarations, and the entry points for actions.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "audit-private.h"
#include "log.h"
#include "report.h"
#include "services-private.h"
#include "store-schema.h"

#define MZ_DEFAULT_TIMEZONE "Asia/Shanghai"

/* --- office and configuration -------------------------------------------- */

static const char *
host_office_id (MzPlugin *self)
{
  return mz_config_get_office_id (mz_plugin_services (self)->config);
}

static const char *
host_office_name (MzPlugin *self)
{
  return mz_config_get_office_name (mz_plugin_services (self)->config);
}

static char *
plugin_group (MzPlugin *self)
{
  return g_strdup_printf ("plugin.%s", self->name);
}

static char *
host_config_get_string (MzPlugin   *self,
                        const char *key,
                        const char *fallback)
{
  GKeyFile *kf = mz_config_get_key_file (mz_plugin_services (self)->config);
  g_autofree char *group = plugin_group (self);
  char *value = g_key_file_get_string (kf, group, key, NULL);

  return value != NULL ? value : g_strdup (fallback);
}

/* A present key of the wrong type is a configuration error naming the
 * file, the group and the key; an absent key is the fallback. */
static gboolean
config_value_error (MzPlugin   *self,
                    const char *group,
                    const char *key,
                    const char *expected,
                    GError    **error)
{
  GKeyFile *kf = mz_config_get_key_file (mz_plugin_services (self)->config);
  g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);

  g_set_error (error, MZ_CONFIG_ERROR, MZ_CONFIG_ERROR_INVALID_VALUE,
               "%s：[%s] %s=%s 不是%s；请改正配置 [config.invalid_value]",
               mz_config_get_origin (mz_plugin_services (self)->config), group, key,
               raw != NULL ? raw : "", expected);
  return FALSE;
}

static gboolean
host_config_get_int64 (MzPlugin   *self,
                       const char *key,
                       gint64      fallback,
                       gint64     *out,
                       GError    **error)
{
  GKeyFile *kf = mz_config_get_key_file (mz_plugin_services (self)->config);
  g_autofree char *group = plugin_group (self);
  g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);

  *out = fallback;
  if (raw == NULL)
    return TRUE;
  g_strstrip (raw);
  if (!g_ascii_string_to_signed (raw, 10, G_MININT64, G_MAXINT64, out, NULL))
    {
      *out = fallback;
      return config_value_error (self, group, key, "整数", error);
    }
  return TRUE;
}

static gboolean
host_config_get_boolean (MzPlugin   *self,
                         const char *key,
                         gboolean    fallback,
                         gboolean   *out,
                         GError    **error)
{
  GKeyFile *kf = mz_config_get_key_file (mz_plugin_services (self)->config);
  g_autofree char *group = plugin_group (self);
  g_autoptr (GError) local = NULL;

  *out = fallback;
  if (!g_key_file_has_key (kf, group, key, NULL))
    return TRUE;
  *out = g_key_file_get_boolean (kf, group, key, &local);
  if (local != NULL)
    {
      *out = fallback;
      return config_value_error (self, group, key, "布尔值（true 或 false）", error);
    }
  return TRUE;
}

static char **
host_config_get_string_list (MzPlugin   *self,
                             const char *key)
{
  GKeyFile *kf = mz_config_get_key_file (mz_plugin_services (self)->config);
  g_autofree char *group = plugin_group (self);

  return g_key_file_get_string_list (kf, group, key, NULL, NULL);
}

static char **
host_config_get_keys (MzPlugin *self)
{
  GKeyFile *kf = mz_config_get_key_file (mz_plugin_services (self)->config);
  g_autofree char *group = plugin_group (self);
  char **keys = g_key_file_get_keys (kf, group, NULL, NULL);

  return keys != NULL ? keys : g_new0 (char *, 1);
}

/* --- clock ------------------------------------------------------------------- */

gint64
mz_services_now (MzServices *services)
{
  gint64 fixed = __atomic_load_n (&services->fixed_now, __ATOMIC_RELAXED);

  return fixed != 0 ? fixed : g_get_real_time ();
}

/* The audit log's clock: always the real one.  A fixed clock (mzctl
 * --now, tests) moves what plugins and records see as the present, so that
 * legal deadlines can be tried; it must not move when the log says an
 * action was done or a checkpoint signed, or whoever may run mzctl could
 * backdate entries between real ones. */
static gint64
audit_now (void)
{
  return g_get_real_time ();
}

void
mz_services_set_now (MzServices *services,
                     gint64      now_usec)
{
  g_return_if_fail (services != NULL);
  __atomic_store_n (&services->fixed_now, now_usec, __ATOMIC_RELAXED);
}

/* Today's date is asked for several times per action (validation,
 * guards): each thread keeps the office-local day it last computed, with
 * that day's bounds, and formats anew only when the clock leaves them. */
typedef struct
{
  char tz[64];              /* the zone's identifier */
  gint64 from;              /* first and one past the last microsecond of the day */
  gint64 until;
  char text[16];
} MzToday;

static GPrivate today_cache = G_PRIVATE_INIT (g_free);

static const char *
services_today (MzServices *services)
{
  gint64 now = mz_services_now (services);
  MzToday *today = g_private_get (&today_cache);

  if (today == NULL)
    {
      today = g_new0 (MzToday, 1);
      g_private_set (&today_cache, today);
    }
  if (now < today->from || now >= today->until
      || strcmp (today->tz, g_time_zone_get_identifier (services->office_tz)) != 0)
    {
      gint64 seconds = now >= 0 ? now / G_USEC_PER_SEC : -((-now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
      g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (seconds);
      g_autoptr (GDateTime) local = g_date_time_to_timezone (utc, services->office_tz);
      g_autoptr (GDateTime) midnight = g_date_time_new (services->office_tz,
                                                        g_date_time_get_year (local),
                                                        g_date_time_get_month (local),
                                                        g_date_time_get_day_of_month (local),
                                                        0, 0, 0);
      g_autoptr (GDateTime) next = midnight != NULL ? g_date_time_add_days (midnight, 1) : NULL;

      g_snprintf (today->text, sizeof today->text, "%04d-%02d-%02d",
                  g_date_time_get_year (local), g_date_time_get_month (local),
                  g_date_time_get_day_of_month (local));
      g_strlcpy (today->tz, g_time_zone_get_identifier (services->office_tz), sizeof today->tz);
      /* A zone whose midnight can be skipped: no caching, every call computes. */
      today->from = next != NULL ? g_date_time_to_unix (midnight) * G_USEC_PER_SEC : 0;
      today->until = next != NULL ? g_date_time_to_unix (next) * G_USEC_PER_SEC : 0;
    }
  return today->text;
}

char *
mz_services_today (MzServices *services)
{
  return g_strdup (services_today (services));
}

GTimeZone *
mz_services_get_timezone (MzServices *services)
{
  g_return_val_if_fail (services != NULL, NULL);
  return services->office_tz;
}

static gint64
host_now (MzPlugin *self)
{
  return mz_services_now (mz_plugin_services (self));
}

/* "Valid until the next call": the calling thread's own buffer, so that
 * plugins running in concurrent requests do not overwrite each other's
 * date. */
static const char *
host_today (MzPlugin *self)
{
  return services_today (mz_plugin_services (self));
}

/* --- the table ---------------------------------------------------------------------- */

static void
fill_host (MzHost *host)
{
  host->struct_size = sizeof (MzHost);
  host->abi_major = MZ_ABI_MAJOR;
  host->abi_minor = MZ_ABI_MINOR;
  host->office_id = host_office_id;
  host->office_name = host_office_name;
  host->config_get_string = host_config_get_string;
  host->config_get_int64 = host_config_get_int64;
  host->config_get_boolean = host_config_get_boolean;
  host->config_get_string_list = host_config_get_string_list;
  host->config_get_keys = host_config_get_keys;
  host->log = mz_log_plugin;
  host->now = host_now;
  host->today = host_today;
  host->register_kind = mz_declare_kind;
  host->register_due = mz_declare_due;
  host->register_report = mz_declare_report;
  host->record_id = mz_record_get_id;
  host->record_kind = mz_record_get_kind;
  host->record_state = mz_record_get_state;
  host->record_version = mz_record_get_version;
  host->record_has = mz_record_has;
  host->record_get_text = mz_record_get_text;
  host->record_get_int64 = mz_record_get_int64;
  host->action_name = mz_action_get_name;
  host->action_record = mz_action_get_record;
  host->action_input = mz_action_get_input;
  host->action_actor = mz_action_get_actor;
  host->action_reason = mz_action_get_reason;
  host->action_set_text = mz_action_set_text;
  host->action_set_int64 = mz_action_set_int64;
  host->action_next_sequence = mz_action_next_sequence;
  host->action_find = mz_action_find;
  host->report_query = mz_report_query;
  host->report_query_int64 = mz_report_query_int64;
  host->report_add_figure = mz_report_add_figure;
  host->report_set_sentence = mz_report_set_sentence;
}

const MzHost *
mz_services_get_host (MzServices *services)
{
  g_return_val_if_fail (services != NULL, NULL);
  return &services->host;
}

/* --- opening and closing ---------------------------------------------------------------- */

static gboolean
before_commit (MzStore *store,
               MzStoreTxn *txn,
               gpointer data,
               GError **error)
{
  MzServices *services = data;
  g_autoptr (GError) local = NULL;

  if (mz_audit_checkpoint (services->audit, audit_now (), FALSE, &local))
    return TRUE;
  return mz_store_fail_batch (store, local != NULL ? local->message : "审计检查点", error);
}

static void
after_rollback (gpointer data)
{
  MzServices *services = data;

  mz_audit_rollback (services->audit);
}

typedef struct
{
  MzServices *services;
  MzAuditOptions options;
} MzOpenAudit;

static gboolean
open_audit (MzStore *store,
            MzStoreTxn *txn,
            gpointer data,
            GError **error)
{
  MzOpenAudit *open = data;
  const char *hash;

  open->services->audit = mz_audit_open (txn, &open->options, error);
  if (open->services->audit == NULL)
    return FALSE;
  if (open->options.hash == NULL)
    return TRUE;
  hash = mz_audit_get_hash (open->services->audit);
  if (g_strcmp0 (hash, open->options.hash) != 0)
    {
      g_set_error (error, MZ_CONFIG_ERROR, MZ_CONFIG_ERROR_INVALID_VALUE,
                   "%s：[audit] hash=%s 与已有审计日志的哈希算法 %s 不同；日志建立后不能更换算法，"
                   "请改回 %s 或删去此键 [config.audit.hash_mismatch]",
                   mz_config_get_origin (open->services->config), open->options.hash,
                   hash, hash);
      return FALSE;
    }
  return TRUE;
}

/* The salt that keys hashes of personal values in audit changes is made
 * once per store and kept in it, so equal values hash equally across runs. */
static gboolean
setup_tables (MzStore *store,
              MzStoreTxn *txn,
              gpointer data,
              GError **error)
{
  MzServices *services = data;
  guchar raw[16];
  char salt[sizeof raw * 2 + 1];

  if (!mz_store_schema_create_host_tables (store, error))
    return FALSE;
  randombytes_buf (raw, sizeof raw);
  sodium_bin2hex (salt, sizeof salt, raw, sizeof raw);
  return mz_store_meta_ensure (store, "audit_salt", salt, &services->salt, error);
}

static gboolean
config_uint (MzConfig   *config,
             const char *group,
             const char *key,
             guint       fallback,
             guint      *out,
             GError    **error)
{
  GKeyFile *kf = mz_config_get_key_file (config);
  g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);
  guint64 n;

  *out = fallback;
  if (raw == NULL)
    return TRUE;
  g_strstrip (raw);
  if (!g_ascii_string_to_unsigned (raw, 10, 0, G_MAXUINT, &n, NULL))
    {
      g_set_error (error, MZ_CONFIG_ERROR, MZ_CONFIG_ERROR_INVALID_VALUE,
                   "%s：[%s] %s=%s 不是非负整数；请改正配置 [config.invalid_value]",
                   mz_config_get_origin (config), group, key, raw);
      return FALSE;
    }
  *out = (guint) n;
  return TRUE;
}

/* [audit] key_path defaults to office.key beside the database; a relative
 * path is taken relative to the database's directory. */
/* --now of minzhengd and mzctl alike: "YYYY-MM-DD" (noon, local time)
 * or an ISO 8601 time; NULL means the real clock (0). */
gboolean
mz_services_parse_now (const char *now,
                       gint64     *out_usec,
                       GError    **error)
{
  g_autoptr (GTimeZone) local = NULL;
  g_autoptr (GDateTime) dt = NULL;

  g_return_val_if_fail (out_usec != NULL, FALSE);

  *out_usec = 0;
  if (now == NULL)
    return TRUE;

  local = g_time_zone_new_local ();
  if (strlen (now) == 10)
    {
      g_autofree char *full = g_strconcat (now, "T12:00:00", NULL);

      dt = g_date_time_new_from_iso8601 (full, local);
    }
  else
    dt = g_date_time_new_from_iso8601 (now, local);
  if (dt == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--now “%s” 不是有效的日期或时间；请写 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM:SS"
                   "（not a date or time） [options.now]", now);
      return FALSE;
    }
  *out_usec = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

char *
mz_services_audit_key_path_for (MzConfig *config)
{
  GKeyFile *kf = mz_config_get_key_file (config);
  g_autofree char *dir = g_path_get_dirname (mz_config_get_store_path (config));
  g_autofree char *path = g_key_file_get_string (kf, "audit", "key_path", NULL);

  if (path == NULL)
    return g_build_filename (dir, "office.key", NULL);
  if (g_path_is_absolute (path))
    return g_steal_pointer (&path);
  return g_build_filename (dir, path, NULL);
}

/* The database's directory is created here, for minzhengd and every mzctl
 * command alike, so that a fresh office needs no step by hand; 0700
 * because it holds personal data and the office key. */
static gboolean
make_store_directory (MzConfig  *config,
                      GError   **error)
{
  g_autofree char *dir = g_path_get_dirname (mz_config_get_store_path (config));

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "无法建立数据库目录 %s（%s），它由 %s 的 [store] path 指定：请建立该目录或授予写权限 "
                   "[store.directory]", dir, g_strerror (saved), mz_config_get_origin (config));
      return FALSE;
    }
  return TRUE;
}

MzServices *
mz_services_new (MzConfig *config,
                 GError  **error)
{
  g_autoptr (MzServices) services = NULL;
  GKeyFile *kf;
  g_autofree char *tz = NULL;
  g_autofree char *sync = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *hash = NULL;
  MzStoreOptions store_options = { 0 };
  MzOpenAudit open = { 0 };
  MzStoreHooks hooks = { before_commit, after_rollback, NULL };

  g_return_val_if_fail (config != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, MZ_STORE_ERROR, MZ_STORE_ERROR_OPEN, "libsodium 初始化失败 [host.sodium]");
      return NULL;
    }
  kf = mz_config_get_key_file (config);
  services = g_new0 (MzServices, 1);
  services->config = config;
  services->plugins = g_ptr_array_new ();
  services->office_id = g_strdup (mz_config_get_office_id (config));
  fill_host (&services->host);

  tz = g_key_file_get_string (kf, "office", "timezone", NULL);
  services->office_tz = g_time_zone_new_identifier (tz != NULL ? tz : MZ_DEFAULT_TIMEZONE);
  if (services->office_tz == NULL)
    {
      g_set_error (error, MZ_CONFIG_ERROR, MZ_CONFIG_ERROR_INVALID_VALUE,
                   "%s：[office] timezone=%s 不是已知的时区（如 Asia/Shanghai） [config.invalid_value]",
                   mz_config_get_origin (config), tz);
      return NULL;
    }
  services->roles = mz_roles_load (kf, mz_config_get_origin (config), error);
  if (services->roles == NULL)
    return NULL;

  sync = g_key_file_get_string (kf, "store", "synchronous", NULL);
  store_options.path = mz_config_get_store_path (config);
  store_options.synchronous = sync;
  if (!config_uint (config, "store", "busy_timeout_ms", 5000, &store_options.busy_timeout_ms, error)
      || !config_uint (config, "store", "max_batch", 256, &store_options.max_batch, error))
    return NULL;
  if (!make_store_directory (config, error))
    return NULL;
  services->store = mz_store_open (&store_options, error);
  if (services->store == NULL)
    return NULL;

  key_path = mz_services_audit_key_path_for (config);
  services->audit_key_path = g_strdup (key_path);
  open.services = services;
  open.options.key_path = key_path;
  hash = g_key_file_get_string (kf, "audit", "hash", NULL);
  if (hash != NULL)
    g_strstrip (hash);
  if (hash != NULL && mz_hash_algo_lookup (hash) == NULL)
    {
      g_set_error (error, MZ_CONFIG_ERROR, MZ_CONFIG_ERROR_INVALID_VALUE,
                   "%s：[audit] hash=%s 不是支持的哈希算法，应为 sha256 或 sm3 [config.audit.hash]",
                   mz_config_get_origin (config), hash);
      return NULL;
    }
  open.options.hash = hash;
  if (!config_uint (config, "audit", "checkpoint_every", 1000, &open.options.checkpoint_every, error)
      || !config_uint (config, "audit", "checkpoint_seconds", 60, &open.options.checkpoint_seconds, error)
      || !mz_store_run_exclusive (services->store, open_audit, &open, error))
    return NULL;
  services->checkpoint_seconds = open.options.checkpoint_seconds != 0 ? open.options.checkpoint_seconds : 60;
  hooks.data = services;
  mz_store_set_hooks (services->store, &hooks);
  if (!mz_store_write (services->store, setup_tables, NULL, services, error))
    return NULL;
  return g_steal_pointer (&services);
}

static gboolean
final_checkpoint (MzStore *store,
                  MzStoreTxn *txn,
                  gpointer data,
                  GError **error)
{
  MzServices *services = data;

  return mz_audit_checkpoint (services->audit, audit_now (), TRUE, error);
}

static gboolean
due_checkpoint (MzStore *store,
                MzStoreTxn *txn,
                gpointer data,
                GError **error)
{
  MzServices *services = data;

  return mz_audit_checkpoint (services->audit, audit_now (), FALSE, error);
}

gboolean
mz_services_role_allows (MzServices *services,
                         const char *role,
                         const char *permission)
{
  g_return_val_if_fail (services != NULL, FALSE);
  g_return_val_if_fail (permission != NULL, FALSE);
  return mz_roles_known (services->roles, role) && mz_roles_allow (services->roles, role, permission);
}

guint
mz_services_get_checkpoint_seconds (MzServices *services)
{
  g_return_val_if_fail (services != NULL, 0);
  return services->checkpoint_seconds;
}

gboolean
mz_services_checkpoint (MzServices *services,
                        GError    **error)
{
  g_return_val_if_fail (services != NULL, FALSE);
  return mz_store_write (services->store, due_checkpoint, NULL, services, error);
}

static void
plugin_entry_free (gpointer data)
{
  MzPluginEntry *entry = data;

  entry->plugin->services_data = NULL;
  g_ptr_array_unref (entry->kinds);
  g_ptr_array_unref (entry->reports);
  g_ptr_array_unref (entry->dues);
  g_free (entry);
}

void
mz_services_free (MzServices *services)
{
  g_autoptr (GError) error = NULL;

  if (services == NULL)
    return;
  if (services->store != NULL && services->audit != NULL
      && !mz_store_write (services->store, final_checkpoint, NULL, services, &error))
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_WARNING, "MESSAGE_ID", "audit.checkpoint_failed",
                      "MESSAGE", "closing checkpoint not written: %s", error->message);
  g_clear_pointer (&services->store, mz_store_close);
  g_clear_pointer (&services->audit, mz_audit_free);
  g_ptr_array_set_free_func (services->plugins, plugin_entry_free);
  g_ptr_array_unref (services->plugins);
  g_clear_pointer (&services->office_tz, g_time_zone_unref);
  g_clear_pointer (&services->roles, g_hash_table_destroy);
  g_free (services->salt);
  g_free (services->office_id);
  g_free (services->audit_key_path);
  g_free (services);
}

void
mz_services_attach_plugin (MzServices *services,
                           MzPlugin   *plugin)
{
  MzPluginEntry *entry;

  g_return_if_fail (services != NULL && plugin != NULL);
  g_return_if_fail (plugin->services_data == NULL);

  entry = g_new0 (MzPluginEntry, 1);
  entry->plugin = plugin;
  entry->kinds = g_ptr_array_new_with_free_func ((GDestroyNotify) mz_kind_free);
  entry->reports = g_ptr_array_new ();
  entry->dues = g_ptr_array_new ();
  plugin->services = services;
  plugin->services_data = entry;
  g_ptr_array_add (services->plugins, entry);
}

void
mz_services_detach_plugin (MzServices *services,
                           MzPlugin   *plugin)
{
  MzPluginEntry *entry;

  g_return_if_fail (services != NULL && plugin != NULL);

  entry = plugin->services_data;
  if (entry == NULL)
    return;
  g_ptr_array_remove (services->plugins, entry);
  plugin_entry_free (entry);
}

/* --- registry -------------------------------------------------------------------------- */

GPtrArray *
mz_services_get_plugins (MzServices *services)
{
  return services->plugins;
}

MzPluginEntry *
mz_services_lookup_plugin (MzServices *services,
                           const char *plugin)
{
  for (guint i = 0; plugin != NULL && i < services->plugins->len; i++)
    {
      MzPluginEntry *entry = g_ptr_array_index (services->plugins, i);

      if (g_str_equal (entry->plugin->name, plugin))
        return entry;
    }
  return NULL;
}

const MzKind *
mz_services_lookup_kind (MzServices *services,
                         const char *plugin,
                         const char *kind)
{
  MzPluginEntry *entry = mz_services_lookup_plugin (services, plugin);

  for (guint i = 0; entry != NULL && kind != NULL && i < entry->kinds->len; i++)
    {
      MzKind *k = g_ptr_array_index (entry->kinds, i);

      if (g_str_equal (k->def->name, kind))
        return k;
    }
  return NULL;
}

MzConfig *
mz_services_get_config (MzServices *services)
{
  return services->config;
}

MzStore *
mz_services_get_store (MzServices *services)
{
  return services->store;
}

const char *
mz_services_get_office_id (MzServices *services)
{
  return services->office_id != NULL ? services->office_id : "";
}

const char *
mz_services_get_audit_key_path (MzServices *services)
{
  return services->audit_key_path;
}

MzStoreReader *
mz_services_open_reader (MzServices *services,
                         GError    **error)
{
  return mz_store_open_reader (services->store, error);
}

/* --- audit ------------------------------------------------------------------------------- */

char *
mz_services_hash_personal (MzServices *services,
                           const char *value)
{
  return mz_audit_personal_mac (services->salt, value);
}

gboolean
mz_services_audit_append (MzServices   *services,
                          MzAuditEntry *entry,
                          GError      **error)
{
  g_autoptr (GError) local = NULL;

  if (entry->time_usec == 0)
    entry->time_usec = audit_now ();
  if (entry->office == NULL)
    entry->office = mz_services_get_office_id (services);
  if (entry->plugin == NULL)
    entry->plugin = "host";
  if (entry->plugin_version == NULL)
    entry->plugin_version = MZ_VERSION;
  if (mz_audit_append (services->audit, entry, NULL, &local))
    return TRUE;

  /* An entry that cannot be written dooms the batch: classify it as a
   * storage failure so the store rolls everything back. */
  return mz_store_fail_batch (services->store, local != NULL ? local->message : "审计记录", error);
}

typedef struct
{
  MzServices *services;
  MzAuditEntry entry;
} MzAuditJob;

static gboolean
audit_work (MzStore *store,
            MzStoreTxn *txn,
            gpointer data,
            GError **error)
{
  MzAuditJob *job = data;
  /* A copy: appending fills in the time and other defaults, which a run
   * again after a restarted batch must take afresh. */
  MzAuditEntry entry = job->entry;

  return mz_services_audit_append (job->services, &entry, error);
}

gboolean
mz_services_audit (MzServices         *services,
                   const MzAuditEntry *entry,
                   GError            **error)
{
  MzAuditJob job = { services, *entry };

  g_return_val_if_fail (services != NULL && entry != NULL, FALSE);
  /* Appending never refuses (its failures fail the batch) and fills in
   * the same fields each run: no savepoint needed. */
  return mz_store_write_full (services->store, MZ_STORE_WRITE_RERUNNABLE, audit_work, NULL, &job, error);
}

static gboolean
audit_by_actor (MzServices    *services,
                const MzActor *actor,
                const char    *action,
                const char    *outcome,
                const char    *reason,
                GError       **error)
{
  MzAuditEntry entry = { 0 };

  entry.actor_user = actor->user;
  entry.actor_role = actor->role;
  entry.actor_session = actor->session;
  entry.actor_address = actor->address;
  entry.action = action;
  entry.outcome = outcome;
  entry.reason = reason;
  return mz_services_audit (services, &entry, error);
}

gboolean
mz_services_audit_operation (MzServices    *services,
                             const MzActor *actor,
                             const char    *permission,
                             const char    *action,
                             const char    *reason,
                             GError       **error)
{
  g_autofree char *refusal = NULL;
  g_autofree char *refused_reason = NULL;

  g_return_val_if_fail (services != NULL && actor != NULL, FALSE);
  g_return_val_if_fail (permission != NULL && action != NULL && reason != NULL, FALSE);

  if (mz_services_role_allows (services, actor->role, permission))
    return audit_by_actor (services, actor, action, "ok", reason, error);

  refusal = g_strdup_printf ("角色“%s”没有权限 %s [host.permission]",
                             actor->role != NULL ? actor->role : "", permission);
  refused_reason = g_strdup_printf ("%s；%s", reason, refusal);
  if (!audit_by_actor (services, actor, action, "refused", refused_reason, error))
    return FALSE;
  g_set_error_literal (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION, refusal);
  return FALSE;
}

void
mz_services_audit_operation_failed (MzServices    *services,
                                    const MzActor *actor,
                                    const char    *action,
                                    const char    *reason,
                                    const GError  *failure)
{
  g_autofree char *failed = g_strdup_printf ("%s；失败：%s", reason, failure->message);

  audit_by_actor (services, actor, action, "error", failed, NULL);
}

/* --- actions ------------------------------------------------------------------------------ */

gboolean
mz_services_act (MzServices         *services,
                 const MzActRequest *request,
                 MzActResult        *result,
                 GError            **error)
{
  g_return_val_if_fail (services != NULL, FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  return mz_workflow_act (services, request, result, error);
}

gboolean
mz_services_act_all (MzServices         *services,
                     const MzActRequest *requests,
                     gsize               n_requests,
                     const char         *audit_action,
                     MzActResult        *results,
                     GError            **errors,
                     GError            **error)
{
  g_return_val_if_fail (services != NULL, FALSE);
  g_return_val_if_fail (requests != NULL || n_requests == 0, FALSE);
  g_return_val_if_fail (errors != NULL || n_requests == 0, FALSE);

  return mz_workflow_act_all (services, requests, n_requests, audit_action, results, errors, error);
}
