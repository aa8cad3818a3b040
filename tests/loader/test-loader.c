/* The loader's checks, one broken fixture per rule, and what a working
 * office sees: dependency order, reverse shutdown, selective deployment.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <elf.h>
#include <string.h>
#include <unistd.h>

#include "loader.h"
#include "services.h"
#include "loader-test-util.h"

/* An office with its configuration loaded, services made and plugins
 * loaded from @path (';'-separated). */
typedef struct
{
  TestOffice *office;
  MzConfig *config;
  MzServices *services;
  MzLoader *loader;
  gboolean load_ok;
  GError *load_error;
} Loaded;

static Loaded *
load (const char *path,
      const char *enabled,
      const char *required)
{
  Loaded *l = g_new0 (Loaded, 1);
  GError *error = NULL;

  l->office = office_new (path, enabled, required);
  l->config = mz_config_load (l->office->config, &error);
  g_assert_no_error (error);
  l->services = mz_services_new (l->config, &error);
  g_assert_no_error (error);
  l->loader = mz_loader_new (l->config, l->services);
  l->load_ok = mz_loader_load_all (l->loader, &l->load_error);
  return l;
}

static Loaded *
load_fixtures (const char *enabled)
{
  return load (MZ_FIXTURE_DIR, enabled, NULL);
}

static void
loaded_free (Loaded *l)
{
  mz_loader_free (l->loader);
  mz_services_free (l->services);
  mz_config_free (l->config);
  office_free (l->office);
  g_clear_error (&l->load_error);
  g_free (l);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Loaded, loaded_free)

static MzPlugin *
plugin_named (MzLoader   *loader,
              const char *name)
{
  for (guint i = 0; i < mz_loader_get_n_plugins (loader); i++)
    {
      MzPlugin *plugin = mz_loader_get_plugin (loader, i);

      if (strcmp (plugin->name, name) == 0)
        return plugin;
    }
  g_assert_not_reached ();
}

/* A refusal is right when it has the code, names the plugin, says what to
 * do (@fix), and carries the machine code at the end. */
static void
assert_refused (MzLoader     *loader,
                const char   *name,
                MzLoaderError code,
                const char   *fix)
{
  MzPlugin *plugin = plugin_named (loader, name);
  g_autofree char *quoted = g_strdup_printf ("“%s”", name);
  g_autofree char *lower = g_ascii_strdown (mz_loader_error_code_name (code), -1);
  g_autofree char *tail = g_strdup_printf ("[loader.%s]", lower);

  g_assert_cmpint (plugin->state, ==, MZ_PLUGIN_STATE_REFUSED);
  g_assert_error (plugin->error, MZ_LOADER_ERROR, (gint) code);
  if (strstr (plugin->error->message, quoted) == NULL)
    g_error ("message does not name plugin %s: %s", name, plugin->error->message);
  if (strstr (plugin->error->message, fix) == NULL)
    g_error ("message does not say “%s”: %s", fix, plugin->error->message);
  g_assert_true (g_str_has_suffix (plugin->error->message, tail));
}

static void
assert_loaded (MzLoader   *loader,
               const char *name)
{
  MzPlugin *plugin = plugin_named (loader, name);

  if (plugin->state != MZ_PLUGIN_STATE_LOADED)
    g_error ("plugin %s is %s: %s", name, mz_plugin_state_name (plugin->state),
             plugin->error != NULL ? plugin->error->message : "");
}

static char *
read_maps (void)
{
  char *maps = NULL;
  GError *error = NULL;

  g_file_get_contents ("/proc/self/maps", &maps, NULL, &error);
  g_assert_no_error (error);
  return maps;
}

/* --- files that are not loadable ------------------------------------------ */

/* A plugin directory holding one file called @name.so with @bytes. */
static void
check_bad_file (const char  *name,
                const void  *bytes,
                gsize        length,
                const char  *what)
{
  g_autofree char *dir = g_dir_make_tmp ("mz-badfile-XXXXXX", NULL);
  g_autofree char *file = g_strconcat (name, ".so", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autoptr (Loaded) l = NULL;
  GError *error = NULL;

  g_file_set_contents (path, bytes, (gssize) length, &error);
  g_assert_no_error (error);
  l = load (dir, name, NULL);
  g_assert_true (l->load_ok);
  assert_refused (l->loader, name, MZ_LOADER_ERROR_OPEN_FAILED, what);
  g_assert_nonnull (strstr (plugin_named (l->loader, name)->error->message, path));
  mz_test_remove_tree (dir);
}

static void
test_zero_byte (void)
{
  check_bad_file ("empty", "", 0, "is an empty file (0 bytes): install it again");
}

static void
test_not_elf (void)
{
  const char text[] = "#!/bin/sh\necho this is not a library\n";

  check_bad_file ("script", text, sizeof text - 1,
                  "is not an ELF shared library (it does not start with \\177ELF)");
}

/* A well-formed ELF header of a shared object for AArch64: what an office
 * gets when it copies a plugin from an ARM server. */
static void
test_foreign_arch (void)
{
  Elf64_Ehdr header = { 0 };

  memcpy (header.e_ident, ELFMAG, SELFMAG);
  header.e_ident[EI_CLASS] = ELFCLASS64;
  header.e_ident[EI_DATA] = ELFDATA2LSB;
  header.e_ident[EI_VERSION] = EV_CURRENT;
  header.e_type = ET_DYN;
  header.e_machine = EM_AARCH64;
  header.e_version = EV_CURRENT;
  header.e_ehsize = sizeof header;
  header.e_phentsize = sizeof (Elf64_Phdr);
  header.e_shentsize = sizeof (Elf64_Shdr);

  check_bad_file ("arm", &header, sizeof header,
                  "is built for another architecture (AArch64 (arm64), 64-bit), this host is");
}

static void
test_unresolved_symbol (void)
{
  g_autoptr (Loaded) l = load_fixtures ("unresolved");

  assert_refused (l->loader, "unresolved", MZ_LOADER_ERROR_OPEN_FAILED,
                  "undefined symbol: mz_fixture_symbol_nobody_defines");
  assert_refused (l->loader, "unresolved", MZ_LOADER_ERROR_OPEN_FAILED,
                  "install the libraries and symbols it needs");
}

static void
test_not_a_plugin (void)
{
  g_autoptr (Loaded) l = load_fixtures ("noentry");

  assert_refused (l->loader, "noentry", MZ_LOADER_ERROR_NOT_A_PLUGIN,
                  "build it with MZ_PLUGIN_DEFINE");
}

static void
test_not_found (void)
{
  g_autoptr (Loaded) l = load_fixtures ("nosuchplugin");

  assert_refused (l->loader, "nosuchplugin", MZ_LOADER_ERROR_NOT_FOUND,
                  "install it there, or remove it from [plugins] enabled");
}

/* A name that walks out of the plugin directory is refused before any
 * file is looked at: the library it points to exists, and is never mapped. */
static void
test_bad_names (void)
{
  g_autofree char *outside_dir = g_dir_make_tmp ("mz-outside-XXXXXX", NULL);
  g_autofree char *outside = g_build_filename (outside_dir, "outside.so", NULL);
  g_autofree char *source = g_build_filename (MZ_FIXTURE_DIR, "base.so", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *enabled = NULL;
  g_autofree char *base_name = g_path_get_basename (outside_dir);
  g_autofree char *maps = NULL;
  g_autoptr (Loaded) l = NULL;
  gsize length;
  GError *error = NULL;

  g_file_get_contents (source, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (outside, contents, (gssize) length, &error);
  g_assert_no_error (error);

  enabled = g_strdup_printf ("../%s/outside; %s/outside; Base; base_is_a_very_long_name_past_32_bytes",
                             base_name, outside_dir);
  l = load_fixtures (enabled);
  for (guint i = 0; i < mz_loader_get_n_plugins (l->loader); i++)
    {
      MzPlugin *plugin = mz_loader_get_plugin (l->loader, i);

      assert_refused (l->loader, plugin->name, MZ_LOADER_ERROR_BAD_NAME,
                      "never a path (no “/” or “..”); write the plugin's name only");
      g_assert_null (plugin->path);
    }
  g_assert_cmpuint (mz_loader_get_n_plugins (l->loader), ==, 4);
  maps = read_maps ();
  g_assert_null (strstr (maps, outside));
  mz_test_remove_tree (outside_dir);
}

/* --- descriptors ----------------------------------------------------------- */

static void
test_bad_magic (void)
{
  g_autoptr (Loaded) l = load_fixtures ("badmagic");

  assert_refused (l->loader, "badmagic", MZ_LOADER_ERROR_BAD_DESCRIPTOR,
                  "magic 0x12345678 instead of 0x4d5a504c");
  assert_refused (l->loader, "badmagic", MZ_LOADER_ERROR_BAD_DESCRIPTOR,
                  "rebuild it against minzheng-sdk 1.1");
}

static void
test_abi_major_too_new (void)
{
  g_autoptr (Loaded) l = load_fixtures ("abinew");

  assert_refused (l->loader, "abinew", MZ_LOADER_ERROR_ABI_MISMATCH,
                  "was built for ABI 2.1, this host provides 1.1: rebuild it against minzheng-sdk 1.1");
}

static void
test_abi_major_too_old (void)
{
  g_autoptr (Loaded) l = load_fixtures ("abiold");

  assert_refused (l->loader, "abiold", MZ_LOADER_ERROR_ABI_MISMATCH,
                  "was built for ABI 0.1, this host provides 1.1: rebuild it against minzheng-sdk 1.1");
}

static void
test_abi_minor_too_new (void)
{
  g_autoptr (Loaded) l = load_fixtures ("minornew");

  assert_refused (l->loader, "minornew", MZ_LOADER_ERROR_ABI_MISMATCH,
                  "built for ABI 1.2, this host provides only 1.1: upgrade minzheng to a host "
                  "with ABI 1.2 or later");
}

static void
test_struct_too_small (void)
{
  g_autoptr (Loaded) l = load_fixtures ("smallstruct");

  assert_refused (l->loader, "smallstruct", MZ_LOADER_ERROR_BAD_DESCRIPTOR,
                  "has a descriptor of 16 bytes, this host reads");
  assert_refused (l->loader, "smallstruct", MZ_LOADER_ERROR_BAD_DESCRIPTOR,
                  "rebuild it with MZ_PLUGIN_DEFINE against minzheng-sdk 1.1");
}

static void
test_invalid_name (void)
{
  g_autoptr (Loaded) l = load_fixtures ("badname");

  assert_refused (l->loader, "badname", MZ_LOADER_ERROR_BAD_DESCRIPTOR,
                  "declares the name “Bad-Name”, which is not a plugin name");
}

static void
test_name_differs (void)
{
  g_autoptr (Loaded) l = load_fixtures ("othername");

  assert_refused (l->loader, "othername", MZ_LOADER_ERROR_BAD_DESCRIPTOR,
                  "declares the name “another”: rename the file to another.so");
}

static void
test_bad_fields (void)
{
  g_autoptr (Loaded) l = load_fixtures ("badversion; badrequires; base");

  assert_refused (l->loader, "badversion", MZ_LOADER_ERROR_BAD_DESCRIPTOR,
                  "declares version “one”, which is not MAJOR.MINOR[.MICRO]");
  assert_refused (l->loader, "badrequires", MZ_LOADER_ERROR_BAD_DESCRIPTOR,
                  "requires “no such>=x”, which is neither “name” nor “name>=X.Y”: fix its requires list");
  assert_loaded (l->loader, "base");
}

static void
test_duplicate_name (void)
{
  g_autoptr (Loaded) l = load_fixtures ("dup; base");

  assert_refused (l->loader, "dup", MZ_LOADER_ERROR_DUPLICATE_NAME,
                  "is provided by two files");
  assert_refused (l->loader, "dup", MZ_LOADER_ERROR_DUPLICATE_NAME,
                  "(version 2.0.0): remove one of them from the plugin directories");
  assert_loaded (l->loader, "base");
}

/* One file reached through a directory listed twice, or through a
 * symbolic link, is one plugin, not two. */
static void
test_same_file_twice (void)
{
  g_autofree char *dir = g_dir_make_tmp ("mz-link-XXXXXX", NULL);
  g_autofree char *link = g_build_filename (dir, "base.so", NULL);
  g_autofree char *path = g_strdup_printf ("%s; %s; %s", MZ_FIXTURE_DIR, MZ_FIXTURE_DIR, dir);
  g_autoptr (Loaded) l = NULL;

  g_assert_cmpint (symlink (MZ_FIXTURE_DIR "/base.so", link), ==, 0);
  l = load (path, "base", NULL);
  assert_loaded (l->loader, "base");
  mz_test_remove_tree (dir);
}

/* --- dependencies, init, order ---------------------------------------------- */

static void
test_dependency_missing (void)
{
  g_autoptr (Loaded) l = load_fixtures ("lonely; needsnewbase; base");

  assert_refused (l->loader, "lonely", MZ_LOADER_ERROR_DEPENDENCY_MISSING,
                  "requires “absent”, which is not enabled");
  assert_refused (l->loader, "lonely", MZ_LOADER_ERROR_DEPENDENCY_MISSING,
                  "add “absent” to [plugins] enabled (and install it), or disable “lonely”");
  assert_refused (l->loader, "needsnewbase", MZ_LOADER_ERROR_DEPENDENCY_MISSING,
                  "requires “base” 2.0.0 or later, but the installed “base” is version 1.0.0");
  assert_loaded (l->loader, "base");
}

static void
test_dependency_cycle (void)
{
  g_autoptr (Loaded) l = load_fixtures ("needscycle; cyclea; cycleb; base");

  assert_refused (l->loader, "cyclea", MZ_LOADER_ERROR_DEPENDENCY_CYCLE,
                  "is part of a dependency cycle (cyclea → cycleb → cyclea)");
  assert_refused (l->loader, "cycleb", MZ_LOADER_ERROR_DEPENDENCY_CYCLE,
                  "remove one of these requirements");
  assert_refused (l->loader, "needscycle", MZ_LOADER_ERROR_DEPENDENCY_MISSING,
                  "requires “cyclea”, which was refused (DEPENDENCY_CYCLE)");
  assert_loaded (l->loader, "base");
}

static void
test_init_failed (void)
{
  g_autoptr (Loaded) l = load_fixtures ("initfail; needsinitfail; base");
  g_autofree char *log = NULL;

  assert_refused (l->loader, "initfail", MZ_LOADER_ERROR_INIT_FAILED,
                  "refused to start: 配置项 [plugin.initfail] archive_dir 未设置");
  assert_refused (l->loader, "initfail", MZ_LOADER_ERROR_INIT_FAILED,
                  "correct what it reports");
  assert_refused (l->loader, "needsinitfail", MZ_LOADER_ERROR_DEPENDENCY_MISSING,
                  "requires “initfail”, which was refused (INIT_FAILED)");
  assert_loaded (l->loader, "base");

  /* The dependent plugin never ran its init. */
  g_file_get_contents (l->office->log, &log, NULL, NULL);
  g_assert_nonnull (strstr (log, "init initfail\n"));
  g_assert_null (strstr (log, "init needsinitfail\n"));
}

/* Requirements initialise first whatever the configured order, and
 * shutdown runs in exactly the reverse order. */
static void
test_order (void)
{
  g_autoptr (Loaded) l = load_fixtures ("top; needsbase; base");
  g_autofree char *log = NULL;
  GPtrArray *order = mz_loader_get_init_order (l->loader);

  g_assert_true (l->load_ok);
  g_assert_cmpuint (order->len, ==, 3);
  g_assert_cmpstr (((MzPlugin *) order->pdata[0])->name, ==, "base");
  g_assert_cmpstr (((MzPlugin *) order->pdata[1])->name, ==, "needsbase");
  g_assert_cmpstr (((MzPlugin *) order->pdata[2])->name, ==, "top");

  mz_loader_shutdown (l->loader);
  g_file_get_contents (l->office->log, &log, NULL, NULL);
  g_assert_cmpstr (log, ==,
                   "init base\ninit needsbase\ninit top\n"
                   "shutdown top\nshutdown needsbase\nshutdown base\n");
  g_assert_cmpint (plugin_named (l->loader, "base")->state, ==, MZ_PLUGIN_STATE_SHUTDOWN);

  /* Shutting down twice runs nothing twice. */
  mz_loader_shutdown (l->loader);
  g_clear_pointer (&log, g_free);
  g_file_get_contents (l->office->log, &log, NULL, NULL);
  g_assert_cmpuint (strlen (log), ==, strlen ("init base\ninit needsbase\ninit top\n"
                                              "shutdown top\nshutdown needsbase\nshutdown base\n"));
}

/* A required plugin that fails fails the whole load; one that loads does
 * not, even when an optional one beside it fails. */
static void
test_required_broken (void)
{
  g_autoptr (Loaded) broken = load (MZ_FIXTURE_DIR, "base; initfail", "initfail");
  g_autoptr (Loaded) fine = load (MZ_FIXTURE_DIR, "base; initfail", "base");

  g_assert_false (broken->load_ok);
  g_assert_error (broken->load_error, MZ_LOADER_ERROR, MZ_LOADER_ERROR_INIT_FAILED);
  g_assert_nonnull (strstr (broken->load_error->message,
                            "required plugin “initfail” could not be loaded"));
  g_assert_nonnull (strstr (broken->load_error->message, "[plugins] required"));
  g_assert_true (g_str_has_suffix (broken->load_error->message, "[loader.init_failed]"));

  g_assert_true (fine->load_ok);
  g_assert_no_error (fine->load_error);
  assert_loaded (fine->loader, "base");
}

/* Without services the loader checks everything but starts nothing:
 * what `mzctl plugins` needs to show a configuration safely. */
static void
test_check_only (void)
{
  g_autoptr (TestOffice) office = office_new (MZ_FIXTURE_DIR, "base; needsbase; lonely", NULL);
  g_autoptr (MzConfig) config = mz_config_load (office->config, NULL);
  g_autoptr (MzLoader) loader = mz_loader_new (config, NULL);
  g_autofree char *log = NULL;

  g_assert_true (mz_loader_load_all (loader, NULL));
  g_assert_cmpint (plugin_named (loader, "base")->state, ==, MZ_PLUGIN_STATE_OPENED);
  g_assert_cmpint (plugin_named (loader, "needsbase")->state, ==, MZ_PLUGIN_STATE_OPENED);
  assert_refused (loader, "lonely", MZ_LOADER_ERROR_DEPENDENCY_MISSING, "not enabled");
  g_assert_cmpuint (mz_loader_get_init_order (loader)->len, ==, 0);
  g_file_get_contents (office->log, &log, NULL, NULL);
  g_assert_cmpstr (log, ==, "");
}

static void
test_lookup (void)
{
  g_autoptr (Loaded) l = load_fixtures ("base; initfail");
  GError *error = NULL;

  g_assert_nonnull (mz_loader_lookup (l->loader, "base", &error));
  g_assert_no_error (error);
  g_assert_null (mz_loader_lookup (l->loader, "marriage", &error));
  g_assert_error (error, MZ_LOADER_ERROR, MZ_LOADER_ERROR_NOT_ENABLED);
  g_assert_nonnull (strstr (error->message, "add it to [plugins] enabled"));
  g_clear_error (&error);
  g_assert_null (mz_loader_lookup (l->loader, "initfail", &error));
  g_assert_error (error, MZ_LOADER_ERROR, MZ_LOADER_ERROR_INIT_FAILED);
  g_clear_error (&error);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fixture_log = test_fixture_log_init ();
  int status;

  g_unsetenv ("MINZHENG_PLUGIN_PATH");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/loader/open/zero-byte", test_zero_byte);
  g_test_add_func ("/loader/open/not-elf", test_not_elf);
  g_test_add_func ("/loader/open/foreign-arch", test_foreign_arch);
  g_test_add_func ("/loader/open/unresolved-symbol", test_unresolved_symbol);
  g_test_add_func ("/loader/not-a-plugin", test_not_a_plugin);
  g_test_add_func ("/loader/not-found", test_not_found);
  g_test_add_func ("/loader/bad-names", test_bad_names);
  g_test_add_func ("/loader/descriptor/bad-magic", test_bad_magic);
  g_test_add_func ("/loader/descriptor/abi-major-too-new", test_abi_major_too_new);
  g_test_add_func ("/loader/descriptor/abi-major-too-old", test_abi_major_too_old);
  g_test_add_func ("/loader/descriptor/abi-minor-too-new", test_abi_minor_too_new);
  g_test_add_func ("/loader/descriptor/struct-too-small", test_struct_too_small);
  g_test_add_func ("/loader/descriptor/invalid-name", test_invalid_name);
  g_test_add_func ("/loader/descriptor/name-differs", test_name_differs);
  g_test_add_func ("/loader/descriptor/bad-fields", test_bad_fields);
  g_test_add_func ("/loader/duplicate-name", test_duplicate_name);
  g_test_add_func ("/loader/same-file-twice", test_same_file_twice);
  g_test_add_func ("/loader/dependency/missing", test_dependency_missing);
  g_test_add_func ("/loader/dependency/cycle", test_dependency_cycle);
  g_test_add_func ("/loader/init-failed", test_init_failed);
  g_test_add_func ("/loader/order", test_order);
  g_test_add_func ("/loader/required-broken", test_required_broken);
  g_test_add_func ("/loader/lookup", test_lookup);
  g_test_add_func ("/loader/check-only", test_check_only);

  status = g_test_run ();
  if (fixture_log != NULL)
    g_remove (fixture_log);
  return status;
}
