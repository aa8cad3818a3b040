/* minzheng host — the loader's checks of one file and one descriptor, and
 * of requirements between plugins.
 *
 * Each check refuses with the loader's error code for it and a message in
 * two parts: what failed, and what the operator or the plugin's author does
 * about it.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "loader-checks.h"

/* Enough of an ELF header to judge a file: e_ident, e_type, e_machine. */
typedef struct
{
  guchar ident[EI_NIDENT];
  guint16 type;
  guint16 machine;
} ElfHead;

static const char *
machine_name (guint16 machine)
{
  switch (machine)
    {
    case EM_X86_64:
      return "x86-64";
    case EM_AARCH64:
      return "AArch64 (arm64)";
    case EM_386:
      return "i386";
    case EM_ARM:
      return "32-bit ARM";
    case EM_RISCV:
      return "RISC-V";
    case EM_PPC64:
      return "PowerPC 64";
    case EM_S390:
      return "s390x";
    case EM_MIPS:
      return "MIPS";
    case EM_LOONGARCH:
      return "LoongArch";
    default:
      return NULL;
    }
}

static gssize
read_head (const char *path,
           ElfHead    *head,
           int        *saved_errno)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  gssize n;

  if (fd < 0)
    {
      *saved_errno = errno;
      return -1;
    }
  do
    n = read (fd, head, sizeof *head);
  while (n < 0 && errno == EINTR);
  *saved_errno = errno;
  close (fd);
  return n;
}

/* The host's own class, byte order and machine, from its executable, so
 * that no list of architectures has to be kept in step with the compiler. */
static const ElfHead *
host_head (void)
{
  static ElfHead head;
  static gsize done;

  if (g_once_init_enter (&done))
    {
      int saved;

      if (read_head ("/proc/self/exe", &head, &saved) != (gssize) sizeof head)
        memset (&head, 0, sizeof head);
      g_once_init_leave (&done, 1);
    }
  return &head;
}

gboolean
mz_loader_check_elf (const char  *name,
                     const char  *path,
                     GError     **error)
{
  const ElfHead *host = host_head ();
  ElfHead head = { { 0 } };
  int saved = 0;
  gssize n = read_head (path, &head, &saved);

  if (n < 0)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_OPEN_FAILED, name,
                           "plugin “%s”: %s cannot be read (%s): check that the file "
                           "exists and the daemon's user may read it",
                           name, path, g_strerror (saved));
      return FALSE;
    }
  if (n == 0)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_OPEN_FAILED, name,
                           "plugin “%s”: %s is an empty file (0 bytes): install it again, "
                           "the copy was probably cut short", name, path);
      return FALSE;
    }
  if (n < SELFMAG || memcmp (head.ident, ELFMAG, SELFMAG) != 0)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_OPEN_FAILED, name,
                           "plugin “%s”: %s is not an ELF shared library (it does not start "
                           "with \\177ELF): install the compiled plugin, not a script, "
                           "archive or text file", name, path);
      return FALSE;
    }
  if (n < (gssize) sizeof head)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_OPEN_FAILED, name,
                           "plugin “%s”: %s is a truncated ELF file (%zd bytes): install "
                           "it again", name, path, n);
      return FALSE;
    }
  if (host->ident[EI_CLASS] == 0)
    return TRUE;
  if (head.ident[EI_CLASS] != host->ident[EI_CLASS]
      || head.ident[EI_DATA] != host->ident[EI_DATA]
      || head.machine != host->machine)
    {
      const char *theirs = machine_name (head.ident[EI_DATA] == host->ident[EI_DATA]
                                         ? head.machine : GUINT16_SWAP_LE_BE (head.machine));
      const char *ours = machine_name (host->machine);
      g_autofree char *theirs_text = theirs != NULL ? g_strdup (theirs)
        : g_strdup_printf ("machine %u", head.machine);

      mz_loader_set_error (error, MZ_LOADER_ERROR_OPEN_FAILED, name,
                           "plugin “%s”: %s is built for another architecture (%s, %d-bit), "
                           "this host is %s (%d-bit): install the plugin built for %s",
                           name, path, theirs_text,
                           head.ident[EI_CLASS] == ELFCLASS64 ? 64 : 32,
                           ours != NULL ? ours : "this machine",
                           host->ident[EI_CLASS] == ELFCLASS64 ? 64 : 32,
                           ours != NULL ? ours : "this machine");
      return FALSE;
    }
  if (head.type != ET_DYN)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_OPEN_FAILED, name,
                           "plugin “%s”: %s is an ELF %s, not a shared library: build "
                           "it with meson's shared_module() (or gcc -shared)",
                           name, path,
                           head.type == ET_EXEC ? "executable" : head.type == ET_REL
                           ? "object file (.o)" : "file of another type");
      return FALSE;
    }
  return TRUE;
}

gboolean
mz_loader_parse_version (const char *text,
                         guint       out[3])
{
  g_auto (GStrv) parts = NULL;
  guint n;

  if (text == NULL || *text == '\0' || strnlen (text, 33) > 32)
    return FALSE;
  parts = g_strsplit (text, ".", 4);
  n = g_strv_length (parts);
  if (n < 2 || n > 3)
    return FALSE;
  out[2] = 0;
  for (guint i = 0; i < n; i++)
    {
      guint64 v;

      if (parts[i][0] == '\0' || !g_ascii_isdigit (parts[i][0])
          || !g_ascii_string_to_unsigned (parts[i], 10, 0, 65535, &v, NULL))
        return FALSE;
      out[i] = (guint) v;
    }
  return TRUE;
}

static gboolean
parse_requirement (const char    *text,
                   MzRequirement *out)
{
  const char *op = strstr (text, ">=");
  g_autofree char *name = op != NULL ? g_strndup (text, (gsize) (op - text)) : g_strdup (text);

  if (!mz_plugin_name_is_valid (name))
    return FALSE;
  out->has_version = op != NULL;
  if (op != NULL && !mz_loader_parse_version (op + 2, out->version))
    return FALSE;
  out->name = g_steal_pointer (&name);
  return TRUE;
}

static void
requirement_free (MzRequirement *requirement)
{
  g_free (requirement->name);
  g_free (requirement);
}

GPtrArray *
mz_loader_parse_requirements (const MzPluginDescriptor *descriptor)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) requirement_free);

  for (guint i = 0; descriptor->requires != NULL && descriptor->requires[i] != NULL; i++)
    {
      MzRequirement *requirement = g_new0 (MzRequirement, 1);

      if (parse_requirement (descriptor->requires[i], requirement))
        g_ptr_array_add (all, requirement);
      else
        requirement_free (requirement);
    }
  return all;
}

static gboolean
check_text_field (const char  *file_name,
                  const char  *field,
                  const char  *value,
                  GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                           "plugin “%s” has an empty %s in its descriptor: fill it in "
                           "MZ_PLUGIN_DEFINE and rebuild", file_name, field);
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL) || strchr (value, '\n') != NULL)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                           "plugin “%s” has a %s that is not one line of UTF-8 text: "
                           "fix it in MZ_PLUGIN_DEFINE and rebuild", file_name, field);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_fields (const char                *file_name,
              const MzPluginDescriptor  *d,
              GError                   **error)
{
  guint version[3];

  if (!check_text_field (file_name, "version", d->version, error)
      || !check_text_field (file_name, "description", d->description, error)
      || !check_text_field (file_name, "license", d->license, error))
    return FALSE;
  if (!mz_loader_parse_version (d->version, version))
    {
      g_autofree char *shown = mz_loader_printable (d->version);

      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                           "plugin “%s” declares version “%s”, which is not MAJOR.MINOR[.MICRO] "
                           "in digits: fix it in MZ_PLUGIN_DEFINE and rebuild",
                           file_name, shown);
      return FALSE;
    }
  if (d->init == NULL)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                           "plugin “%s” has no init function: give one to MZ_PLUGIN_DEFINE "
                           "(it registers the plugin's record kinds) and rebuild", file_name);
      return FALSE;
    }
  for (guint i = 0; d->requires != NULL && d->requires[i] != NULL; i++)
    {
      MzRequirement requirement = { 0 };

      if (!parse_requirement (d->requires[i], &requirement))
        {
          g_autofree char *shown = mz_loader_printable (d->requires[i]);

          mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                               "plugin “%s” requires “%s”, which is neither “name” nor "
                               "“name>=X.Y”: fix its requires list and rebuild",
                               file_name, shown);
          return FALSE;
        }
      g_free (requirement.name);
    }
  return TRUE;
}

gboolean
mz_loader_check_descriptor (const char                *file_name,
                            const MzPluginDescriptor  *d,
                            GError                   **error)
{
  if (d == NULL)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                           "plugin “%s” returned no descriptor (NULL): rebuild it with "
                           "MZ_PLUGIN_DEFINE", file_name);
      return FALSE;
    }
  if (d->magic != MZ_PLUGIN_MAGIC)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                           "plugin “%s” has a descriptor with magic 0x%08x instead of 0x%08x "
                           "(“MZPL”), so it was not written by MZ_PLUGIN_DEFINE or is corrupt: "
                           "rebuild it against minzheng-sdk %d.%d",
                           file_name, d->magic, MZ_PLUGIN_MAGIC, MZ_ABI_MAJOR, MZ_ABI_MINOR);
      return FALSE;
    }
  if (d->abi_major != MZ_ABI_MAJOR)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_ABI_MISMATCH, file_name,
                           "plugin “%s” was built for ABI %u.%u, this host provides %d.%d: "
                           "rebuild it against minzheng-sdk %d.%d",
                           file_name, d->abi_major, d->abi_minor, MZ_ABI_MAJOR, MZ_ABI_MINOR,
                           MZ_ABI_MAJOR, MZ_ABI_MINOR);
      return FALSE;
    }
  if (d->abi_minor > MZ_ABI_MINOR)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_ABI_MISMATCH, file_name,
                           "plugin “%s” was built for ABI %u.%u, this host provides only %d.%d: "
                           "upgrade minzheng to a host with ABI %u.%u or later, or rebuild "
                           "the plugin against minzheng-sdk %d.%d",
                           file_name, d->abi_major, d->abi_minor, MZ_ABI_MAJOR, MZ_ABI_MINOR,
                           d->abi_major, d->abi_minor, MZ_ABI_MAJOR, MZ_ABI_MINOR);
      return FALSE;
    }
  if (d->struct_size < MZ_DESCRIPTOR_MIN_SIZE)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                           "plugin “%s” has a descriptor of %u bytes, this host reads %zu: "
                           "rebuild it with MZ_PLUGIN_DEFINE against minzheng-sdk %d.%d",
                           file_name, d->struct_size, (gsize) MZ_DESCRIPTOR_MIN_SIZE,
                           MZ_ABI_MAJOR, MZ_ABI_MINOR);
      return FALSE;
    }
  if (!mz_plugin_name_is_valid (d->name))
    {
      g_autofree char *shown = mz_loader_printable (d->name);

      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                           "plugin “%s” declares the name “%s”, which is not a plugin name "
                           "([a-z][a-z0-9_]*, at most 32 bytes): fix the name in "
                           "MZ_PLUGIN_DEFINE, rebuild, and name the file after it",
                           file_name, shown);
      return FALSE;
    }
  if (strcmp (d->name, file_name) != 0)
    {
      mz_loader_set_error (error, MZ_LOADER_ERROR_BAD_DESCRIPTOR, file_name,
                           "plugin file “%s.so” declares the name “%s”: rename the file to "
                           "%s.so and enable “%s”, or fix the name in MZ_PLUGIN_DEFINE",
                           file_name, d->name, d->name, d->name);
      return FALSE;
    }
  return check_fields (file_name, d, error);
}

static int
compare_versions (const guint a[3],
                  const guint b[3])
{
  for (guint i = 0; i < 3; i++)
    if (a[i] != b[i])
      return a[i] < b[i] ? -1 : 1;
  return 0;
}

gboolean
mz_loader_check_requirements (MzPlugin         *plugin,
                              MzLoaderFindFunc  find,
                              gpointer          data,
                              const char       *origin,
                              GError          **error)
{
  g_autoptr (GPtrArray) requirements = mz_loader_parse_requirements (plugin->descriptor);

  for (guint i = 0; i < requirements->len; i++)
    {
      MzRequirement *requirement = g_ptr_array_index (requirements, i);
      MzPlugin *dep = find (data, requirement->name);
      guint version[3];

      if (dep == NULL)
        {
          mz_loader_set_error (error, MZ_LOADER_ERROR_DEPENDENCY_MISSING, plugin->name,
                               "plugin “%s” requires “%s”, which is not enabled in %s: add "
                               "“%s” to [plugins] enabled (and install it), or disable “%s”",
                               plugin->name, requirement->name, origin, requirement->name,
                               plugin->name);
          return FALSE;
        }
      if (dep->state == MZ_PLUGIN_STATE_REFUSED)
        {
          mz_loader_set_error (error, MZ_LOADER_ERROR_DEPENDENCY_MISSING, plugin->name,
                               "plugin “%s” requires “%s”, which was refused (%s): make "
                               "“%s” load first (see its own message), or disable “%s”",
                               plugin->name, dep->name,
                               mz_loader_error_code_name (dep->error->code),
                               dep->name, plugin->name);
          return FALSE;
        }
      if (requirement->has_version
          && (!mz_loader_parse_version (dep->descriptor->version, version)
              || compare_versions (version, requirement->version) < 0))
        {
          mz_loader_set_error (error, MZ_LOADER_ERROR_DEPENDENCY_MISSING, plugin->name,
                               "plugin “%s” requires “%s” %u.%u.%u or later, but the installed "
                               "“%s” is version %s: install a newer “%s”, or a “%s” that "
                               "works with this one",
                               plugin->name, dep->name, requirement->version[0],
                               requirement->version[1], requirement->version[2],
                               dep->name, dep->descriptor->version, dep->name, plugin->name);
          return FALSE;
        }
    }
  return TRUE;
}
