/* minzheng host — finding, checking, ordering, starting and stopping plugins.
 *
 * The rules are the architecture brief's: only enabled names are opened,
 * only from the configured directories; each library is checked in a fixed
 * order (file → magic → ABI → struct size → name → fields → duplicates →
 * dependencies → init) and the first failure refuses it with one code and
 * a message that names the plugin, what failed and what to do.  A refused
 * plugin leaves the others running unless the office marks it required.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "loader.h"
#include "loader-checks.h"
#include "log.h"
#include "services.h"

G_DEFINE_QUARK (mz-loader-error-quark, mz_loader_error)

struct _MzLoader
{
  MzConfig *config;
  MzServices *services;
  GPtrArray *plugins;     /* MzPlugin *, configuration order, owned */
  GPtrArray *init_order;  /* MzPlugin *, borrowed from @plugins */
  gboolean load_started;
  gboolean shut_down;
};

typedef struct
{
  const char *code;     /* machine code, after "loader." */
  const char *summary;  /* for the clerk: what kind of failure */
} ErrorInfo;

static const ErrorInfo error_info[] = {
  [MZ_LOADER_ERROR_OPEN_FAILED] = { "OPEN_FAILED", "无法加载插件文件" },
  [MZ_LOADER_ERROR_NOT_A_PLUGIN] = { "NOT_A_PLUGIN", "不是 minzheng 插件" },
  [MZ_LOADER_ERROR_BAD_DESCRIPTOR] = { "BAD_DESCRIPTOR", "插件描述信息无效" },
  [MZ_LOADER_ERROR_ABI_MISMATCH] = { "ABI_MISMATCH", "插件接口版本（ABI）与主机不符" },
  [MZ_LOADER_ERROR_DEPENDENCY_MISSING] = { "DEPENDENCY_MISSING", "缺少所依赖的插件" },
  [MZ_LOADER_ERROR_DEPENDENCY_CYCLE] = { "DEPENDENCY_CYCLE", "插件之间循环依赖" },
  [MZ_LOADER_ERROR_DUPLICATE_NAME] = { "DUPLICATE_NAME", "插件名称重复" },
  [MZ_LOADER_ERROR_INIT_FAILED] = { "INIT_FAILED", "插件初始化失败" },
  [MZ_LOADER_ERROR_NOT_ENABLED] = { "NOT_ENABLED", "插件未在配置中启用" },
  [MZ_LOADER_ERROR_NOT_FOUND] = { "NOT_FOUND", "找不到插件文件" },
  [MZ_LOADER_ERROR_BAD_NAME] = { "BAD_NAME", "插件名称不合法" },
};

const char *
mz_loader_error_code_name (int code)
{
  if (code < 0 || code >= (int) G_N_ELEMENTS (error_info))
    return "UNKNOWN";
  return error_info[code].code;
}

const char *
mz_plugin_state_name (MzPluginState state)
{
  switch (state)
    {
    case MZ_PLUGIN_STATE_FOUND:
      return "found";
    case MZ_PLUGIN_STATE_OPENED:
      return "opened";
    case MZ_PLUGIN_STATE_LOADED:
      return "loaded";
    case MZ_PLUGIN_STATE_REFUSED:
      return "refused";
    case MZ_PLUGIN_STATE_SHUTDOWN:
      return "shutdown";
    default:
      return "unknown";
    }
}

/* Sets @error to "<English: what failed: what to do>（插件“name”：<summary>）
 * [loader.<code>]", the two-faced convention of mz-error.h. */
void
mz_loader_set_error (GError       **error,
                     MzLoaderError  code,
                     const char    *name,
                     const char    *format,
                     ...)
{
  g_autofree char *what = NULL;
  g_autofree char *lower = g_ascii_strdown (error_info[code].code, -1);
  g_autofree char *shown = mz_loader_printable (name);
  va_list ap;

  va_start (ap, format);
  what = g_strdup_vprintf (format, ap);
  va_end (ap);

  g_set_error (error, MZ_LOADER_ERROR, code, "%s（插件“%s”：%s）[loader.%s]",
               what, shown, error_info[code].summary, lower);
}

/* A name or string taken from a plugin, made safe to print: valid UTF-8,
 * no control characters, and bounded, since a broken plugin may hand us
 * anything. */
char *
mz_loader_printable (const char *text)
{
  g_autofree char *bounded = NULL;
  char *valid;

  if (text == NULL)
    return g_strdup ("(null)");
  bounded = g_strndup (text, 64);
  valid = g_utf8_make_valid (bounded, -1);
  for (char *p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20)
      *p = '?';
  return valid;
}

static void
refuse (MzPlugin     *plugin,
        GError       *error)
{
  g_clear_error (&plugin->error);
  plugin->error = error;
  plugin->state = MZ_PLUGIN_STATE_REFUSED;
}

gboolean
mz_plugin_name_is_valid (const char *name)
{
  gsize length;

  if (name == NULL || !g_ascii_islower (name[0]))
    return FALSE;
  length = strnlen (name, 33);
  if (length > 32)
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!g_ascii_islower (name[i]) && !g_ascii_isdigit (name[i]) && name[i] != '_')
      return FALSE;
  return TRUE;
}

void
mz_plugin_free (MzPlugin *plugin)
{
  if (plugin == NULL)
    return;
  g_free (plugin->name);
  g_free (plugin->path);
  g_clear_error (&plugin->error);
  g_free (plugin);
}

static MzPlugin *
plugin_new (const char *name,
            const char *path)
{
  MzPlugin *plugin = g_new0 (MzPlugin, 1);

  plugin->name = g_strdup (name);
  plugin->path = g_strdup (path);
  plugin->state = MZ_PLUGIN_STATE_FOUND;
  return plugin;
}

/* dlopen()s @plugin->path and runs the descriptor checks (magic to fields).
 * The library stays mapped whatever the outcome: a library whose
 * constructors ran may have registered anything, and unmapping it could
 * leave dangling pointers behind. */
static gboolean
plugin_open (MzPlugin          *plugin,
             MzLoaderStageFunc  stage,
             gpointer           user_data,
             GError           **error)
{
  MzPluginDescriptor *(*get_descriptor) (void);
  const MzPluginDescriptor *descriptor;

  if (!mz_loader_check_elf (plugin->name, plugin->path, error))
    return FALSE;

  if (stage != NULL)
    stage ("open", user_data);
  plugin->handle = dlopen (plugin->path, RTLD_NOW | RTLD_LOCAL);
  if (plugin->handle == NULL)
    {
      const char *text = dlerror ();

      mz_loader_set_error (error, MZ_LOADER_ERROR_OPEN_FAILED, plugin->name,
                           "plugin “%s”: %s cannot be loaded: %s: rebuild it for this "
                           "system, or install the libraries and symbols it needs",
                           plugin->name, plugin->path, text != NULL ? text : "unknown error");
      return FALSE;
    }

  dlerror ();
  *(void **) &get_descriptor = dlsym (plugin->handle, MZ_PLUGIN_ENTRY_SYMBOL);
  if (get_descriptor == NULL)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_NOT_A_PLUGIN, plugin->name,
                           "plugin “%s”: %s exports no " MZ_PLUGIN_ENTRY_SYMBOL "(), so it is "
                           "not a minzheng plugin: build it with MZ_PLUGIN_DEFINE from "
                           "<minzheng/minzheng.h>, or remove it from [plugins] enabled",
                           plugin->name, plugin->path);
      return FALSE;
    }

  if (stage != NULL)
    stage ("descriptor", user_data);
  descriptor = get_descriptor ();
  if (!mz_loader_check_descriptor (plugin->name, descriptor, error))
    return FALSE;

  plugin->descriptor = descriptor;
  plugin->state = MZ_PLUGIN_STATE_OPENED;
  return TRUE;
}

MzPlugin *
mz_loader_check_file (const char        *path,
                      MzLoaderStageFunc  stage,
                      gpointer           user_data,
                      GError           **error)
{
  g_autoptr (MzPlugin) plugin = NULL;
  g_autofree char *base = NULL;
  g_autofree char *absolute = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  base = g_path_get_basename (path);
  if (g_str_has_suffix (base, ".so"))
    base[strlen (base) - 3] = '\0';
  if (!mz_plugin_name_is_valid (base))
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_NAME, base,
                           "plugin file %s: “%s” is not a valid plugin name ([a-z][a-z0-9_]*, "
                           "at most 32 bytes): name the file <name>.so after the plugin",
                           path, base);
      return NULL;
    }
  /* dlopen() searches the library path for a name without a slash, so
   * "mzctl plugin check foo.so" would not open ./foo.so: always hand it an
   * absolute path, which is also what the report shows. */
  absolute = g_canonicalize_filename (path, NULL);
  plugin = plugin_new (base, absolute);
  if (!plugin_open (plugin, stage, user_data, error))
    return NULL;
  return g_steal_pointer (&plugin);
}

MzLoader *
mz_loader_new (MzConfig   *config,
               MzServices *services)
{
  MzLoader *loader;

  g_return_val_if_fail (config != NULL, NULL);

  loader = g_new0 (MzLoader, 1);
  loader->config = config;
  loader->services = services;
  loader->plugins = g_ptr_array_new_with_free_func ((GDestroyNotify) mz_plugin_free);
  loader->init_order = g_ptr_array_new ();
  return loader;
}

void
mz_loader_free (MzLoader *loader)
{
  if (loader == NULL)
    return;
  mz_loader_shutdown (loader);
  g_ptr_array_unref (loader->init_order);
  g_ptr_array_unref (loader->plugins);
  g_free (loader);
}

static MzPlugin *
find_plugin (gpointer    data,
             const char *name)
{
  MzLoader *loader = data;

  for (guint i = 0; i < loader->plugins->len; i++)
    {
      MzPlugin *plugin = g_ptr_array_index (loader->plugins, i);

      if (strcmp (plugin->name, name) == 0)
        return plugin;
    }
  return NULL;
}

/* Adds @path to @found if it is a regular file not already there under
 * another spelling (a directory listed twice, a symbolic link): one file
 * reached twice is not a duplicate plugin. */
static void
add_candidate (GPtrArray  *found,
               GPtrArray  *real,
               const char *path)
{
  g_autofree char *resolved = NULL;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return;
  resolved = realpath (path, NULL);
  if (resolved == NULL || g_ptr_array_find_with_equal_func (real, resolved, g_str_equal, NULL))
    return;
  g_ptr_array_add (found, g_strdup (path));
  g_ptr_array_add (real, g_steal_pointer (&resolved));
}

/* Every file in the plugin directories that could be @name: <dir>/<name>.so
 * (an installed tree) and <dir>/<name>/<name>.so (meson's build tree). */
static GPtrArray *
find_candidates (MzLoader   *loader,
                 const char *name)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) real = g_ptr_array_new_with_free_func (g_free);
  const char *const *dirs = mz_config_get_plugin_dirs (loader->config);
  g_autofree char *file = g_strconcat (name, ".so", NULL);

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      g_autofree char *flat = g_build_filename (dirs[i], file, NULL);
      g_autofree char *nested = g_build_filename (dirs[i], name, file, NULL);

      add_candidate (found, real, flat);
      add_candidate (found, real, nested);
    }
  return found;
}

/* Two files that both claim @plugin's name make the deployment ambiguous:
 * which one runs would depend on the order of directories.  The second is
 * opened (it is enabled by name) only to say what it is. */
static void
check_duplicates (MzPlugin  *plugin,
                  GPtrArray *candidates)
{
  g_autoptr (MzPlugin) other = NULL;
  g_autoptr (GError) other_error = NULL;
  g_autofree char *what = NULL;
  GError *error = NULL;

  if (candidates->len < 2)
    return;

  other = plugin_new (plugin->name, g_ptr_array_index (candidates, 1));
  if (plugin_open (other, NULL, NULL, &other_error))
    {
      g_autofree char *version = mz_loader_printable (other->descriptor->version);

      what = g_strdup_printf ("version %s", version);
    }
  else
    what = g_strdup_printf ("not loadable: %s", mz_loader_error_code_name (other_error->code));

  mz_loader_set_error (&error, MZ_LOADER_ERROR_DUPLICATE_NAME, plugin->name,
                       "plugin “%s” is provided by two files, %s (version %s) and %s (%s): "
                       "remove one of them from the plugin directories",
                       plugin->name, plugin->path, plugin->descriptor->version,
                       other->path, what);
  refuse (plugin, error);
}

static void
open_enabled (MzLoader   *loader,
              const char *name)
{
  MzPlugin *plugin = plugin_new (name, NULL);
  g_autoptr (GPtrArray) candidates = NULL;
  GError *error = NULL;

  plugin->required = g_strv_contains (mz_config_get_required (loader->config), name);
  g_ptr_array_add (loader->plugins, plugin);

  if (!mz_plugin_name_is_valid (name))
    {
      mz_loader_set_error (&error, MZ_LOADER_ERROR_BAD_NAME, name,
                           "plugin name “%s” in [plugins] enabled of %s is not valid: "
                           "a name is [a-z][a-z0-9_]*, at most 32 bytes, never a path "
                           "(no “/” or “..”); write the plugin's name only",
                           plugin->name, mz_config_get_origin (loader->config));
      refuse (plugin, error);
      return;
    }

  candidates = find_candidates (loader, name);
  if (candidates->len == 0)
    {
      g_autofree char *dirs = g_strjoinv (", ", (char **) mz_config_get_plugin_dirs (loader->config));

      mz_loader_set_error (&error, MZ_LOADER_ERROR_NOT_FOUND, name,
                           "plugin “%s” is enabled but neither %s.so nor %s/%s.so is in "
                           "the plugin directories (%s): install it there, or remove it "
                           "from [plugins] enabled in %s",
                           name, name, name, name, dirs, mz_config_get_origin (loader->config));
      refuse (plugin, error);
      return;
    }

  plugin->path = g_strdup (g_ptr_array_index (candidates, 0));
  if (!plugin_open (plugin, NULL, NULL, &error))
    {
      refuse (plugin, error);
      return;
    }
  check_duplicates (plugin, candidates);
}

/* Refuses every opened plugin whose requirement is not enabled, was
 * refused, or is too old; repeats until nothing changes, since refusing one
 * plugin can leave another without its dependency.  Returns TRUE when it
 * refused anything. */
static gboolean
refuse_missing_dependencies (MzLoader *loader)
{
  gboolean any = FALSE;
  gboolean changed = TRUE;

  while (changed)
    {
      changed = FALSE;
      for (guint i = 0; i < loader->plugins->len; i++)
        {
          MzPlugin *plugin = g_ptr_array_index (loader->plugins, i);
          GError *error = NULL;

          if (plugin->state != MZ_PLUGIN_STATE_OPENED)
            continue;
          if (!mz_loader_check_requirements (plugin, find_plugin, loader,
                                             mz_config_get_origin (loader->config), &error))
            {
              refuse (plugin, error);
              changed = any = TRUE;
            }
        }
    }
  return any;
}

enum { WHITE, GREY, BLACK };

/* Depth-first search over the requirements of opened plugins.  Meeting a
 * grey plugin again closes a cycle: every plugin on the stack from it on
 * is refused, with the whole cycle in the message. */
static gboolean
find_cycle (MzLoader   *loader,
            MzPlugin   *plugin,
            GHashTable *colour,
            GPtrArray  *stack)
{
  g_autoptr (GPtrArray) requirements = NULL;

  g_hash_table_insert (colour, plugin, GINT_TO_POINTER (GREY));
  g_ptr_array_add (stack, plugin);

  requirements = mz_loader_parse_requirements (plugin->descriptor);
  for (guint i = 0; i < requirements->len; i++)
    {
      MzRequirement *requirement = g_ptr_array_index (requirements, i);
      MzPlugin *dep = find_plugin (loader, requirement->name);
      int c;

      if (dep == NULL || dep->state != MZ_PLUGIN_STATE_OPENED)
        continue;
      c = GPOINTER_TO_INT (g_hash_table_lookup (colour, dep));
      if (c == GREY)
        {
          guint start;
          g_autoptr (GString) path = g_string_new (NULL);

          g_ptr_array_find (stack, dep, &start);
          for (guint j = start; j < stack->len; j++)
            g_string_append_printf (path, "%s → ", ((MzPlugin *) g_ptr_array_index (stack, j))->name);
          g_string_append (path, dep->name);
          for (guint j = start; j < stack->len; j++)
            {
              MzPlugin *member = g_ptr_array_index (stack, j);
              GError *error = NULL;

              mz_loader_set_error (&error, MZ_LOADER_ERROR_DEPENDENCY_CYCLE, member->name,
                                   "plugin “%s” is part of a dependency cycle (%s), so none of "
                                   "them can start first: remove one of these requirements",
                                   member->name, path->str);
              refuse (member, error);
            }
          return TRUE;
        }
      if (c == WHITE && find_cycle (loader, dep, colour, stack))
        return TRUE;
    }

  g_hash_table_insert (colour, plugin, GINT_TO_POINTER (BLACK));
  g_ptr_array_remove_index (stack, stack->len - 1);
  return FALSE;
}

static gboolean
refuse_one_cycle (MzLoader *loader)
{
  g_autoptr (GHashTable) colour = g_hash_table_new (NULL, NULL);
  g_autoptr (GPtrArray) stack = g_ptr_array_new ();

  for (guint i = 0; i < loader->plugins->len; i++)
    {
      MzPlugin *plugin = g_ptr_array_index (loader->plugins, i);

      if (plugin->state == MZ_PLUGIN_STATE_OPENED
          && !g_hash_table_contains (colour, plugin)
          && find_cycle (loader, plugin, colour, stack))
        return TRUE;
    }
  return FALSE;
}

/* Appends @plugin after its requirements (depth-first, post-order), so
 * that dependencies initialise first; ties keep configuration order.
 * Only called once no cycle is left. */
static void
append_in_order (MzLoader   *loader,
                 MzPlugin   *plugin,
                 GPtrArray  *order,
                 GHashTable *seen)
{
  g_autoptr (GPtrArray) requirements = NULL;

  if (g_hash_table_contains (seen, plugin))
    return;
  g_hash_table_add (seen, plugin);

  requirements = mz_loader_parse_requirements (plugin->descriptor);
  for (guint i = 0; i < requirements->len; i++)
    {
      MzRequirement *requirement = g_ptr_array_index (requirements, i);
      MzPlugin *dep = find_plugin (loader, requirement->name);

      if (dep != NULL && dep->state == MZ_PLUGIN_STATE_OPENED)
        append_in_order (loader, dep, order, seen);
    }
  g_ptr_array_add (order, plugin);
}

gboolean
mz_loader_init_plugin (MzPlugin    *plugin,
                       MzServices  *services,
                       GError     **error)
{
  g_autoptr (GError) local = NULL;
  gboolean ok;

  g_return_val_if_fail (plugin != NULL && plugin->descriptor != NULL, FALSE);
  g_return_val_if_fail (services != NULL, FALSE);

  mz_log_register_plugin (plugin->name, plugin->descriptor->version);
  plugin->services = services;
  mz_services_attach_plugin (services, plugin);

  ok = plugin->descriptor->init (plugin, mz_services_get_host (services), &local);
  if (ok)
    {
      plugin->state = MZ_PLUGIN_STATE_LOADED;
      return TRUE;
    }

  mz_services_detach_plugin (services, plugin);
  if (local != NULL)
    mz_loader_set_error (error, MZ_LOADER_ERROR_INIT_FAILED, plugin->name,
                         "plugin “%s” refused to start: %s: correct what it reports "
                         "(its [plugin.%s] configuration, its data) and restart",
                         plugin->name, local->message, plugin->name);
  else
    mz_loader_set_error (error, MZ_LOADER_ERROR_INIT_FAILED, plugin->name,
                         "plugin “%s” refused to start without saying why (init returned "
                         "FALSE and no error): report this to its vendor",
                         plugin->name);
  return FALSE;
}

static void
init_in_order (MzLoader *loader)
{
  g_autoptr (GPtrArray) order = g_ptr_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < loader->plugins->len; i++)
    {
      MzPlugin *plugin = g_ptr_array_index (loader->plugins, i);

      if (plugin->state == MZ_PLUGIN_STATE_OPENED)
        append_in_order (loader, plugin, order, seen);
    }

  for (guint i = 0; i < order->len; i++)
    {
      MzPlugin *plugin = g_ptr_array_index (order, i);
      GError *error = NULL;

      /* A requirement whose own init failed is missing now. */
      if (!mz_loader_check_requirements (plugin, find_plugin, loader,
                                         mz_config_get_origin (loader->config), &error))
        {
          refuse (plugin, error);
          continue;
        }
      if (loader->services == NULL)
        continue;
      if (!mz_loader_init_plugin (plugin, loader->services, &error))
        {
          refuse (plugin, error);
          continue;
        }
      g_ptr_array_add (loader->init_order, plugin);
    }
}

gboolean
mz_loader_load_all (MzLoader  *loader,
                    GError   **error)
{
  const char *const *enabled;
  const char *const *required;

  g_return_val_if_fail (loader != NULL, FALSE);
  g_return_val_if_fail (!loader->load_started, FALSE);
  loader->load_started = TRUE;

  enabled = mz_config_get_enabled (loader->config);
  for (guint i = 0; enabled[i] != NULL; i++)
    open_enabled (loader, enabled[i]);

  refuse_missing_dependencies (loader);
  while (refuse_one_cycle (loader))
    refuse_missing_dependencies (loader);

  init_in_order (loader);

  required = mz_config_get_required (loader->config);
  for (guint i = 0; required[i] != NULL; i++)
    {
      MzPlugin *plugin = find_plugin (loader, required[i]);

      if (plugin != NULL && plugin->state == MZ_PLUGIN_STATE_REFUSED)
        {
          g_set_error (error, MZ_LOADER_ERROR, plugin->error->code,
                       "required plugin “%s” could not be loaded, so the office cannot "
                       "run (it is listed in [plugins] required of %s): %s",
                       plugin->name, mz_config_get_origin (loader->config),
                       plugin->error->message);
          return FALSE;
        }
    }
  return TRUE;
}

void
mz_loader_shutdown (MzLoader *loader)
{
  g_return_if_fail (loader != NULL);

  if (loader->shut_down)
    return;
  loader->shut_down = TRUE;

  for (guint i = loader->init_order->len; i > 0; i--)
    {
      MzPlugin *plugin = g_ptr_array_index (loader->init_order, i - 1);

      if (plugin->state != MZ_PLUGIN_STATE_LOADED)
        continue;
      if (plugin->descriptor->shutdown != NULL)
        plugin->descriptor->shutdown (plugin);
      mz_services_detach_plugin (loader->services, plugin);
      plugin->state = MZ_PLUGIN_STATE_SHUTDOWN;
    }
}

guint
mz_loader_get_n_plugins (MzLoader *loader)
{
  g_return_val_if_fail (loader != NULL, 0);
  return loader->plugins->len;
}

MzPlugin *
mz_loader_get_plugin (MzLoader *loader,
                      guint     index)
{
  g_return_val_if_fail (loader != NULL, NULL);
  g_return_val_if_fail (index < loader->plugins->len, NULL);
  return g_ptr_array_index (loader->plugins, index);
}

GPtrArray *
mz_loader_get_init_order (MzLoader *loader)
{
  g_return_val_if_fail (loader != NULL, NULL);
  return loader->init_order;
}

MzPlugin *
mz_loader_lookup (MzLoader    *loader,
                  const char  *name,
                  GError     **error)
{
  MzPlugin *plugin;

  g_return_val_if_fail (loader != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  plugin = find_plugin (loader, name);
  if (plugin == NULL)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_NOT_ENABLED, name,
                           "plugin “%s” is not enabled in this office: add it to [plugins] "
                           "enabled in %s and restart minzhengd",
                           name, mz_config_get_origin (loader->config));
      return NULL;
    }
  if (plugin->state == MZ_PLUGIN_STATE_REFUSED)
    {
      g_propagate_error (error, g_error_copy (plugin->error));
      return NULL;
    }
  return plugin;
}
