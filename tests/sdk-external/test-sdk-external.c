/* Builds the example plugin the way an author outside this tree would: the
 * SDK is installed with `meson install --destdir` into a temporary staging
 * directory, and example.so is compiled with `cc` using nothing but what
 * `pkg-config --cflags --libs minzheng-sdk` says.  The result must export
 * exactly one symbol, carry a valid descriptor, and pass the host's own
 * `mzctl plugin check --init`, which proves the installed headers, static
 * library and .pc file are complete.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include <dlfcn.h>
#include <string.h>

#include <json-glib/json-glib.h>

/* The staging is made once and shared by the tests below, which follow the
 * steps of an outside author in order. */
static char *stage_dir;
static char *plugin_path;

static const char *
env_required (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set; run this test through `meson test`", name);
  return value;
}

/* Runs @argv with PKG_CONFIG_PATH pointing at the staging only, and returns
 * its exit status; standard output and error are returned to the caller. */
static gint
run (const char *const *argv, char **out, char **err)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *pc_dir = g_build_filename (stage_dir, env_required ("MZ_PKGCONFIG_DIR"), NULL);
  g_auto (GStrv) envp = g_environ_setenv (g_get_environ (), "PKG_CONFIG_PATH", pc_dir, TRUE);
  gint status = -1;

  envp = g_environ_unsetenv (envp, "PKG_CONFIG_SYSROOT_DIR");
  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                     out, err, &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  return status;
}

static char *
pkg_config (const char *arg)
{
  const char *argv[] = { env_required ("PKG_CONFIG"), arg, "minzheng-sdk", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint status = run (argv, &out, &err);

  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("pkg-config %s minzheng-sdk failed: %s", arg, err);
  return g_strstrip (g_steal_pointer (&out));
}

static void
stage_install (void)
{
  const char *argv[] = { env_required ("MESON"), "install", "-C", env_required ("MZ_BUILD_ROOT"),
                         "--no-rebuild", "--quiet", "--destdir", NULL, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint status;

  stage_dir = g_dir_make_tmp ("mz-sdk-external-XXXXXX", &error);
  g_assert_no_error (error);
  argv[7] = stage_dir;
  status = run (argv, &out, &err);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("meson install failed:\n%s%s", out, err);
}

static void
test_pkg_config (void)
{
  g_autofree char *flags = pkg_config ("--cflags");
  g_autofree char *libs = pkg_config ("--libs");
  g_autofree char *version = pkg_config ("--modversion");
  g_autofree char *abi_major = pkg_config ("--variable=abi_major");
  g_autofree char *abi_minor = pkg_config ("--variable=abi_minor");
  g_autofree char *plugindir = pkg_config ("--variable=plugindir");
  g_autofree char *abi = g_strdup_printf ("%d", MZ_ABI_MAJOR);
  g_autofree char *minor = g_strdup_printf ("%d", MZ_ABI_MINOR);

  /* The flags lead into the staging, not to some other installed copy. */
  g_assert_true (g_str_has_prefix (flags, "-I"));
  g_assert_nonnull (strstr (flags, stage_dir));
  g_assert_nonnull (strstr (flags, "glib-2.0"));
  g_assert_nonnull (strstr (libs, stage_dir));
  g_assert_nonnull (strstr (libs, "-lminzheng-sdk"));
  g_assert_nonnull (strstr (libs, "-lglib-2.0"));
  g_assert_cmpstr (version, ==, MZ_SDK_VERSION);
  g_assert_cmpstr (abi_major, ==, abi);
  g_assert_cmpstr (abi_minor, ==, minor);
  g_assert_true (g_str_has_prefix (plugindir, stage_dir));
  g_assert_true (g_str_has_suffix (plugindir, "/minzheng/plugins"));
}

/* The compiler line of the template's header comment, plus the sanitizer
 * flags of this build: a sanitized SDK library needs its runtime. */
static GPtrArray *
compile_argv (const char *output, const char *source, gboolean link)
{
  g_autofree char *flags = pkg_config (link ? "--cflags" : "--cflags-only-I");
  g_autofree char *libs = link ? pkg_config ("--libs") : g_strdup ("");
  g_autofree char *all = g_strconcat (flags, " ", libs, NULL);
  g_auto (GStrv) words = NULL;
  const char *sanitize = g_getenv ("MZ_SANITIZE");
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  g_ptr_array_add (argv, g_strdup ("cc"));
  if (link)
    {
      g_ptr_array_add (argv, g_strdup ("-shared"));
      g_ptr_array_add (argv, g_strdup ("-fPIC"));
      g_ptr_array_add (argv, g_strdup ("-fvisibility=hidden"));
      g_ptr_array_add (argv, g_strdup ("-Wl,--no-undefined"));
    }
  else
    g_ptr_array_add (argv, g_strdup ("-c"));
  g_ptr_array_add (argv, g_strdup ("-Wall"));
  g_ptr_array_add (argv, g_strdup ("-Wextra"));
  g_ptr_array_add (argv, g_strdup ("-Werror"));
  if (sanitize != NULL && *sanitize != '\0' && g_strcmp0 (sanitize, "none") != 0)
    g_ptr_array_add (argv, g_strdup_printf ("-fsanitize=%s", sanitize));
  g_ptr_array_add (argv, g_strdup ("-o"));
  g_ptr_array_add (argv, g_strdup (output));
  g_ptr_array_add (argv, g_strdup (source));
  g_assert_true (g_shell_parse_argv (all, NULL, &words, &error));
  g_assert_no_error (error);
  for (char **w = words; *w != NULL; w++)
    g_ptr_array_add (argv, g_strdup (*w));
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
test_build_plugin (void)
{
  g_autoptr (GPtrArray) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint status;

  plugin_path = g_build_filename (stage_dir, "example.so", NULL);
  argv = compile_argv (plugin_path, env_required ("MZ_EXAMPLE_SOURCE"), TRUE);
  status = run ((const char *const *) argv->pdata, &out, &err);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("compiling the example plugin failed:\n%s", err);
  g_assert_true (g_file_test (plugin_path, G_FILE_TEST_IS_REGULAR));
}

static void
test_exports (void)
{
  const char *argv[] = { "nm", "-D", "--defined-only", NULL, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_assert_nonnull (plugin_path);
  argv[3] = plugin_path;
  g_assert_true (g_spawn_check_wait_status (run (argv, &out, &err), NULL));

  /* "0000000000001470 T mz_plugin_get_descriptor": the last word is the name. */
  lines = g_strsplit (out, "\n", -1);
  for (char **l = lines; *l != NULL; l++)
    {
      g_auto (GStrv) words = g_strsplit (g_strstrip (*l), " ", -1);
      guint n = g_strv_length (words);

      if (n > 0 && *words[n - 1] != '\0')
        g_ptr_array_add (names, g_strdup (words[n - 1]));
    }
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, MZ_PLUGIN_ENTRY_SYMBOL);
}

static const MzPluginDescriptor *
load_descriptor (void)
{
  const MzPluginDescriptor *(*entry) (void);
  void *handle;

  g_assert_nonnull (plugin_path);
  handle = dlopen (plugin_path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL)
    g_error ("dlopen: %s", dlerror ());
  *(void **) (&entry) = dlsym (handle, MZ_PLUGIN_ENTRY_SYMBOL);
  g_assert_nonnull (entry);
  return entry ();
}

static void
test_descriptor (void)
{
  const MzPluginDescriptor *d = load_descriptor ();

  g_assert_nonnull (d);
  g_assert_cmpuint (d->magic, ==, MZ_PLUGIN_MAGIC);
  g_assert_cmpuint (d->abi_major, ==, MZ_ABI_MAJOR);
  g_assert_cmpuint (d->abi_minor, ==, MZ_ABI_MINOR);
  g_assert_cmpuint (d->struct_size, ==, sizeof (MzPluginDescriptor));
  g_assert_cmpstr (d->name, ==, "example");
  g_assert_cmpstr (d->version, ==, "1.0.0");
  g_assert_cmpstr (d->license, ==, "LGPL-2.1-or-later");
  g_assert_nonnull (d->requires);
  g_assert_null (d->requires[0]);
  g_assert_nonnull (d->init);
  g_assert_null (d->shutdown);
}

/* The real host's own check: `mzctl plugin check --init` loads the plugin in
 * a child process exactly as minzhengd would and runs its init, in which the
 * SDK validator linked into the plugin checks the office code. */
static void
test_host_accepts (void)
{
  g_autofree char *config = g_build_filename (stage_dir, "office.conf", NULL);
  const char *argv[] = { env_required ("MZCTL"), "plugin", "check", "--init", "--json",
                         "--config", config, plugin_path, NULL };
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  JsonObject *result;
  JsonObject *plugin;
  gint status;

  g_assert_nonnull (plugin_path);
  g_file_set_contents (config,
                       "[office]\nid = 450222\nname = 柳城县民政局\n"
                       "[store]\npath = minzheng.db\n", -1, &error);
  g_assert_no_error (error);
  status = run (argv, &out, &err);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("mzctl plugin check refused the example plugin:\n%s%s", out, err);

  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);
  result = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (result, "ok"));
  g_assert_false (json_object_get_boolean_member (result, "crashed"));
  g_assert_cmpstr (json_object_get_string_member (result, "stage"), ==, "shutdown");
  plugin = json_object_get_object_member (result, "plugin");
  g_assert_cmpstr (json_object_get_string_member (plugin, "name"), ==, "example");
  g_assert_cmpstr (json_object_get_string_member (plugin, "state"), ==, "loaded");
}

static void
test_direct_include_refused (void)
{
  g_autofree char *source = g_build_filename (stage_dir, "direct.c", NULL);
  g_autofree char *object = g_build_filename (stage_dir, "direct.o", NULL);
  g_autoptr (GPtrArray) argv = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint status;

  g_file_set_contents (source, "#include <minzheng/mz-error.h>\nint direct (void);\n", -1, &error);
  g_assert_no_error (error);
  argv = compile_argv (object, source, FALSE);
  status = run ((const char *const *) argv->pdata, &out, &err);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (err, "Only <minzheng/minzheng.h> can be included directly"));
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  stage_install ();
  g_test_add_func ("/sdk-external/pkg-config", test_pkg_config);
  g_test_add_func ("/sdk-external/build-plugin", test_build_plugin);
  g_test_add_func ("/sdk-external/exports-only-entry", test_exports);
  g_test_add_func ("/sdk-external/descriptor", test_descriptor);
  g_test_add_func ("/sdk-external/host-accepts", test_host_accepts);
  g_test_add_func ("/sdk-external/direct-include-refused", test_direct_include_refused);
  ret = g_test_run ();

  /* The staging holds a whole install; remove it like a user would. */
  {
    const char *rm[] = { "rm", "-rf", stage_dir, NULL };

    g_spawn_sync (NULL, (char **) rm, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                  NULL, NULL, NULL, NULL);
  }
  g_free (stage_dir);
  g_free (plugin_path);
  return ret;
}
