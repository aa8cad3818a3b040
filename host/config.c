/* minzheng host — the office's configuration (GKeyFile).
 *
 * The host validates every key of the groups it reads itself ([office],
 * [plugins], [log] and [store] path) when the file is loaded, so that a
 * daemon never starts half-configured.  Other groups ([plugin.NAME], the
 * rest of [store], [audit], [roles] ...) belong to the parts that read them
 * and are left alone here.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <stdarg.h>
#include <string.h>

#include <minzheng/minzheng.h>

#include "config.h"

G_DEFINE_QUARK (mz-config-error-quark, mz_config_error)

struct _MzConfig
{
  GKeyFile *key_file;
  char *origin;      /* the file as given, or the origin of data */
  char *directory;   /* absolute; relative paths are resolved against it */
  char *office_id;
  char *office_name;
  char *timezone;
  char **plugin_dirs;
  char **enabled;
  char **required;
  char *store_path;
  char *log_target;
};

/* Keys of the groups the host owns; anything else in these groups is a
 * typing mistake that would otherwise be silently ignored. */
static const char *const office_keys[] = { "id", "name", "timezone", NULL };
static const char *const plugins_keys[] = { "path", "enabled", "required", NULL };
static const char *const log_keys[] = { "target", NULL };

/* Every configuration error has the same shape: where (file, group, key),
 * what is wrong and what is expected, a Chinese summary for the clerk who
 * reads the console, and the machine code. */
static gboolean G_GNUC_PRINTF (6, 7)
config_fail (GError       **error,
             MzConfigError  code,
             const char    *origin,
             const char    *group,
             const char    *key,
             const char    *format,
             ...)
{
  static const char *const codes[] = {
    [MZ_CONFIG_ERROR_NOT_FOUND] = "config.not_found",
    [MZ_CONFIG_ERROR_PARSE] = "config.parse",
    [MZ_CONFIG_ERROR_MISSING_KEY] = "config.missing_key",
    [MZ_CONFIG_ERROR_INVALID_VALUE] = "config.invalid_value",
  };
  static const char *const summaries[] = {
    [MZ_CONFIG_ERROR_NOT_FOUND] = "配置文件无法读取",
    [MZ_CONFIG_ERROR_PARSE] = "配置文件格式错误",
    [MZ_CONFIG_ERROR_MISSING_KEY] = "配置缺少必填项",
    [MZ_CONFIG_ERROR_INVALID_VALUE] = "配置项取值无效",
  };
  g_autofree char *what = NULL;
  g_autofree char *where = NULL;
  va_list ap;

  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);

  if (group != NULL && key != NULL)
    where = g_strdup_printf ("%s: [%s] %s", origin, group, key);
  else if (group != NULL)
    where = g_strdup_printf ("%s: [%s]", origin, group);
  else
    where = g_strdup (origin);

  g_set_error (error, MZ_CONFIG_ERROR, code, "%s: %s（%s）[%s]",
               where, what, summaries[code], codes[code]);
  return FALSE;
}

void
mz_config_free (MzConfig *config)
{
  if (config == NULL)
    return;
  g_clear_pointer (&config->key_file, g_key_file_unref);
  g_free (config->origin);
  g_free (config->directory);
  g_free (config->office_id);
  g_free (config->office_name);
  g_free (config->timezone);
  g_strfreev (config->plugin_dirs);
  g_strfreev (config->enabled);
  g_strfreev (config->required);
  g_free (config->store_path);
  g_free (config->log_target);
  g_free (config);
}

static gboolean
check_known_keys (MzConfig           *config,
                  const char         *group,
                  const char *const  *known,
                  GError            **error)
{
  g_auto (GStrv) keys = NULL;

  if (!g_key_file_has_group (config->key_file, group))
    return TRUE;
  keys = g_key_file_get_keys (config->key_file, group, NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      if (!g_strv_contains (known, keys[i]))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) known);
          return config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE, config->origin, group,
                              keys[i], "unknown key; this group takes only: %s", list);
        }
    }
  return TRUE;
}

/* A string value, trimmed; NULL (without error) when the key is absent.
 * Present but empty counts as absent for required keys. */
static char *
get_string (MzConfig    *config,
            const char  *group,
            const char  *key,
            GError     **error)
{
  g_autoptr (GError) local = NULL;
  char *value = g_key_file_get_string (config->key_file, group, key, &local);

  if (value == NULL)
    {
      if (!g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND)
          && !g_error_matches (local, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
        config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE, config->origin, group, key,
                     "%s; expected plain text", local->message);
      return NULL;
    }
  return g_strstrip (value);
}

static char *
get_required_string (MzConfig    *config,
                     const char  *group,
                     const char  *key,
                     const char  *expected,
                     GError     **error)
{
  GError *local = NULL;
  g_autofree char *value = get_string (config, group, key, &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  if (value == NULL || *value == '\0')
    {
      config_fail (error, MZ_CONFIG_ERROR_MISSING_KEY, config->origin, group, key,
                   "missing; expected %s", expected);
      return NULL;
    }
  return g_steal_pointer (&value);
}

/* A ';'-separated list with its entries trimmed and empty entries dropped,
 * so "marriage; funeral;" means what the clerk meant. */
static char **
get_list (MzConfig   *config,
          const char *group,
          const char *key)
{
  g_auto (GStrv) raw = g_key_file_get_string_list (config->key_file, group, key, NULL, NULL);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; raw != NULL && raw[i] != NULL; i++)
    {
      g_strstrip (raw[i]);
      if (raw[i][0] != '\0')
        g_strv_builder_add (builder, raw[i]);
    }
  return g_strv_builder_end (builder);
}

static char *
resolve_path (MzConfig   *config,
              const char *path)
{
  return g_canonicalize_filename (path, config->directory);
}

static gboolean
load_office (MzConfig  *config,
             GError   **error)
{
  g_autoptr (GError) local = NULL;
  g_autoptr (GTimeZone) tz = NULL;

  config->office_id = get_required_string (config, "office", "id",
                                           "the office's six-digit division code (GB/T 2260), e.g. 450222",
                                           error);
  if (config->office_id == NULL)
    return FALSE;
  if (!mz_division_code_check (config->office_id, &local))
    return config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE, config->origin, "office", "id",
                        "“%s” is not a division code (%s); expected six digits (GB/T 2260), "
                        "e.g. 450222", config->office_id, local->message);

  config->office_name = get_required_string (config, "office", "name",
                                             "the office's name, e.g. 柳城县民政局", error);
  if (config->office_name == NULL)
    return FALSE;

  config->timezone = get_string (config, "office", "timezone", &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (config->timezone == NULL || *config->timezone == '\0')
    {
      g_free (config->timezone);
      config->timezone = g_strdup ("Asia/Shanghai");
    }
  tz = g_time_zone_new_identifier (config->timezone);
  if (tz == NULL)
    return config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE, config->origin, "office",
                        "timezone", "“%s” is not a known time zone; expected an IANA name "
                        "such as Asia/Shanghai", config->timezone);
  return TRUE;
}

static gboolean
check_directories (MzConfig    *config,
                   const char  *source,
                   GError     **error)
{
  for (guint i = 0; config->plugin_dirs[i] != NULL; i++)
    {
      if (!g_file_test (config->plugin_dirs[i], G_FILE_TEST_IS_DIR))
        {
          if (g_strcmp0 (source, "MINZHENG_PLUGIN_PATH") == 0)
            return config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE,
                                "$MINZHENG_PLUGIN_PATH", NULL, NULL,
                                "names “%s”, which is not a directory; "
                                "expected ':'-separated existing directories",
                                config->plugin_dirs[i]);
          return config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE, config->origin, "plugins",
                              "path", "“%s” is not a directory; expected ';'-separated "
                              "existing directories that hold <name>.so plugins",
                              config->plugin_dirs[i]);
        }
    }
  return TRUE;
}

/* [plugins] path (relative entries against the file's directory), or the
 * build-time plugin directory, unless $MINZHENG_PLUGIN_PATH (':'-separated,
 * relative entries against the working directory) overrides both. */
static gboolean
load_plugin_dirs (MzConfig  *config,
                  GError   **error)
{
  const char *env = g_getenv ("MINZHENG_PLUGIN_PATH");
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  if (env != NULL && *env != '\0')
    {
      g_auto (GStrv) parts = g_strsplit (env, ":", -1);
      g_autofree char *cwd = g_get_current_dir ();

      for (guint i = 0; parts[i] != NULL; i++)
        if (parts[i][0] != '\0')
          {
            g_autofree char *dir = g_canonicalize_filename (parts[i], cwd);

            g_strv_builder_add (builder, dir);
          }
      config->plugin_dirs = g_strv_builder_end (builder);
      return check_directories (config, "MINZHENG_PLUGIN_PATH", error);
    }

  if (g_key_file_has_key (config->key_file, "plugins", "path", NULL))
    {
      g_auto (GStrv) parts = get_list (config, "plugins", "path");

      if (parts[0] == NULL)
        return config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE, config->origin, "plugins",
                            "path", "empty; expected ';'-separated directories, "
                            "or remove the key to use %s", MZ_PLUGINDIR);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_autofree char *dir = resolve_path (config, parts[i]);

          g_strv_builder_add (builder, dir);
        }
    }
  else
    {
      /* The built-in directory is not checked: it may be absent on a
       * machine that enables no plugin, and the loader names it when a
       * plugin is not found there. */
      g_strv_builder_add (builder, MZ_PLUGINDIR);
      config->plugin_dirs = g_strv_builder_end (builder);
      return TRUE;
    }
  config->plugin_dirs = g_strv_builder_end (builder);
  return check_directories (config, "plugins", error);
}

static gboolean
load_plugins (MzConfig  *config,
              GError   **error)
{
  if (!load_plugin_dirs (config, error))
    return FALSE;

  config->enabled = get_list (config, "plugins", "enabled");
  config->required = get_list (config, "plugins", "required");

  for (guint i = 0; config->enabled[i] != NULL; i++)
    for (guint j = 0; j < i; j++)
      if (strcmp (config->enabled[i], config->enabled[j]) == 0)
        return config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE, config->origin, "plugins",
                            "enabled", "names “%s” twice; expected each plugin once",
                            config->enabled[i]);

  for (guint i = 0; config->required[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) config->enabled, config->required[i]))
      return config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE, config->origin, "plugins",
                          "required", "names “%s”, which is not in [plugins] enabled; "
                          "expected every required plugin to be enabled too",
                          config->required[i]);
  return TRUE;
}

/* The forms mz_log_init understands; a file target is made absolute here
 * so the log does not move when the daemon changes directory. */
static gboolean
load_log (MzConfig  *config,
          GError   **error)
{
  GError *local = NULL;
  g_autofree char *target = get_string (config, "log", "target", &local);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (target == NULL || *target == '\0')
    {
      config->log_target = g_strdup ("stderr");
      return TRUE;
    }

  if (strcmp (target, "stderr") == 0 || strcmp (target, "journal") == 0)
    {
      config->log_target = g_steal_pointer (&target);
      return TRUE;
    }
  if (g_str_has_prefix (target, "file:") && target[5] != '\0')
    {
      g_autofree char *path = resolve_path (config, target + 5);

      config->log_target = g_strconcat ("file:", path, NULL);
      return TRUE;
    }
  if (g_str_has_prefix (target, "syslog:"))
    {
      const char *colon = strrchr (target + 7, ':');
      guint64 port = 0;

      if (colon != NULL && colon > target + 7
          && g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
        {
          config->log_target = g_steal_pointer (&target);
          return TRUE;
        }
    }
  return config_fail (error, MZ_CONFIG_ERROR_INVALID_VALUE, config->origin, "log", "target",
                      "“%s” is not a log target; expected stderr, journal, file:PATH "
                      "or syslog:HOST:PORT", target);
}

static gboolean
config_validate (MzConfig  *config,
                 GError   **error)
{
  g_autofree char *store = NULL;

  if (!check_known_keys (config, "office", office_keys, error)
      || !check_known_keys (config, "plugins", plugins_keys, error)
      || !check_known_keys (config, "log", log_keys, error))
    return FALSE;

  if (!load_office (config, error) || !load_plugins (config, error) || !load_log (config, error))
    return FALSE;

  store = get_required_string (config, "store", "path",
                               "the office's database file, e.g. minzheng.db "
                               "(relative to the configuration file)", error);
  if (store == NULL)
    return FALSE;
  config->store_path = resolve_path (config, store);
  return TRUE;
}

static MzConfig *
config_new (const char *origin)
{
  MzConfig *config = g_new0 (MzConfig, 1);
  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *dir = g_path_get_dirname (origin);

  config->key_file = g_key_file_new ();
  config->origin = g_strdup (origin);
  config->directory = g_canonicalize_filename (dir, cwd);
  return config;
}

MzConfig *
mz_config_load (const char  *path,
                GError     **error)
{
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (GError) local = NULL;
  g_autofree char *data = NULL;
  gsize length = 0;

  if (path == NULL)
    path = g_getenv ("MINZHENG_CONFIG");
  if (path == NULL || *path == '\0')
    path = MZ_SYSCONFDIR "/minzheng.conf";

  config = config_new (path);
  if (!g_file_get_contents (path, &data, &length, &local))
    {
      config_fail (error, MZ_CONFIG_ERROR_NOT_FOUND, path, NULL, NULL,
                   "cannot be read (%s); give an existing file with --config FILE "
                   "or $MINZHENG_CONFIG", local->message);
      return NULL;
    }
  if (!g_key_file_load_from_data (config->key_file, data, length, G_KEY_FILE_NONE, &local))
    {
      config_fail (error, MZ_CONFIG_ERROR_PARSE, path, NULL, NULL,
                   "not a valid configuration file (%s); expected “[group]” lines "
                   "and “key = value” lines", local->message);
      return NULL;
    }
  if (!config_validate (config, error))
    return NULL;
  return g_steal_pointer (&config);
}

MzConfig *
mz_config_load_from_data (const char  *data,
                          const char  *origin,
                          GError     **error)
{
  g_autoptr (MzConfig) config = NULL;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (data != NULL, NULL);

  config = config_new (origin != NULL ? origin : "<data>");
  if (!g_key_file_load_from_data (config->key_file, data, -1, G_KEY_FILE_NONE, &local))
    {
      config_fail (error, MZ_CONFIG_ERROR_PARSE, config->origin, NULL, NULL,
                   "not a valid configuration (%s); expected “[group]” lines "
                   "and “key = value” lines", local->message);
      return NULL;
    }
  if (!config_validate (config, error))
    return NULL;
  return g_steal_pointer (&config);
}

const char *
mz_config_get_origin (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return config->origin;
}

const char *
mz_config_get_directory (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return config->directory;
}

char *
mz_config_resolve_path (MzConfig   *config,
                        const char *path)
{
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  return resolve_path (config, path);
}

const char *
mz_config_get_office_id (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return config->office_id;
}

const char *
mz_config_get_office_name (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return config->office_name;
}

const char *
mz_config_get_timezone (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return config->timezone;
}

const char *const *
mz_config_get_plugin_dirs (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return (const char *const *) config->plugin_dirs;
}

const char *const *
mz_config_get_enabled (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return (const char *const *) config->enabled;
}

const char *const *
mz_config_get_required (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return (const char *const *) config->required;
}

const char *
mz_config_get_store_path (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return config->store_path;
}

const char *
mz_config_get_log_target (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return config->log_target;
}

GKeyFile *
mz_config_get_key_file (MzConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);
  return config->key_file;
}
