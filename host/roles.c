/* minzheng host — roles and the permissions they grant.
 *
 * Configuration:
 *
 *     [roles]
 *     clerk=marriage.*;funeral.*;!*.approve;personal.read
 *     supervisor=*
 *
 * Each role lists permission patterns separated by `;`.  `*` and `?` are
 * wildcards (GLib patterns, compiled once per role); a pattern starting with `!` takes
 * away what it matches and wins over any grant.  Without a [roles] group
 * the built-in roles below apply.  The role "system" is reserved for the
 * host's due-work job and cannot be configured.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include "services-private.h"

/* Built-in roles: clerks (窗口登记员) do the everyday steps but not
 * approvals, and not imports either: an import action creates a record
 * directly in a later state (a funeral case already paid, a marriage
 * already registered), so in a clerk's hands it would step around the
 * approval and its separation of duties.  Nor do clerks take the whole
 * database or the audit log out (db.backup, audit.export): that is the
 * administrators' and the auditors' part.  Supervisors (审核/审批人) may
 * do everything; auditors (审计员) and system administrators (系统管理员)
 * see records only masked and perform no action, per the separation of
 * duties of 等保 level 3. */
static const struct
{
  const char *role;
  const char *patterns;
} builtin_roles[] = {
  { "clerk", "*;!*.approve;!*.reject;!*.revoke;!*.import;!db.*;!audit.*;!plugin.*" },
  { "supervisor", "*" },
  { "auditor", "audit.*;report.*" },
  { "admin", "db.*;plugin.*;report.*" },
};

/* A role's patterns, each compiled once: g_pattern_match_simple compiled
 * its pattern at every call, and the permission check runs for every
 * action (it was an eighth of a client thread's time at 32 clients). */
typedef struct
{
  guint n;
  gboolean *deny;           /* the pattern started with '!' */
  GPatternSpec **specs;     /* NULL for an empty pattern (matches nothing) */
} MzRole;

static void
role_free (MzRole *role)
{
  for (guint i = 0; i < role->n; i++)
    if (role->specs[i] != NULL)
      g_pattern_spec_free (role->specs[i]);
  g_free (role->specs);
  g_free (role->deny);
  g_free (role);
}

static MzRole *
role_new (char **patterns)
{
  MzRole *role = g_new0 (MzRole, 1);

  role->n = patterns != NULL ? g_strv_length (patterns) : 0;
  role->deny = g_new0 (gboolean, role->n);
  role->specs = g_new0 (GPatternSpec *, role->n);
  for (guint i = 0; i < role->n; i++)
    {
      const char *p = g_strstrip (patterns[i]);

      role->deny[i] = p[0] == '!';
      if (role->deny[i])
        p++;
      if (p[0] != '\0')
        role->specs[i] = g_pattern_spec_new (p);
    }
  return role;
}

GHashTable *
mz_roles_load (GKeyFile   *key_file,
               const char *origin,
               GError    **error)
{
  g_autoptr (GHashTable) roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        (GDestroyNotify) role_free);
  g_auto (GStrv) keys = NULL;

  if (key_file == NULL || !g_key_file_has_group (key_file, "roles"))
    {
      for (guint i = 0; i < G_N_ELEMENTS (builtin_roles); i++)
        {
          g_auto (GStrv) patterns = g_strsplit (builtin_roles[i].patterns, ";", -1);

          g_hash_table_insert (roles, g_strdup (builtin_roles[i].role), role_new (patterns));
        }
      return g_steal_pointer (&roles);
    }

  keys = g_key_file_get_keys (key_file, "roles", NULL, NULL);
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_auto (GStrv) patterns = g_key_file_get_string_list (key_file, "roles", keys[i], NULL, NULL);

      if (g_str_equal (keys[i], MZ_ROLE_SYSTEM))
        {
          g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                       "%s：[roles] %s 是主机保留的角色（到期自动处理），不能配置 [config.roles.reserved]",
                       origin, keys[i]);
          return NULL;
        }
      g_hash_table_insert (roles, g_strdup (keys[i]), role_new (patterns));
    }
  return g_steal_pointer (&roles);
}

gboolean
mz_roles_known (GHashTable *roles,
                const char *role)
{
  return role != NULL && g_hash_table_contains (roles, role);
}

gboolean
mz_roles_allow (GHashTable *roles,
                const char *role,
                const char *permission)
{
  MzRole *r;
  gboolean granted = FALSE;

  if (role == NULL || permission == NULL)
    return FALSE;
  r = g_hash_table_lookup (roles, role);
  for (guint i = 0; r != NULL && i < r->n; i++)
    {
      if (r->specs[i] == NULL || !g_pattern_spec_match_string (r->specs[i], permission))
        continue;
      if (r->deny[i])
        return FALSE;
      granted = TRUE;
    }
  return granted;
}
