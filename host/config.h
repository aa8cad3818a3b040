/* minzheng host — the office's configuration (GKeyFile).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * MzConfigError:
 * @MZ_CONFIG_ERROR_NOT_FOUND: the file does not exist or cannot be read
 * @MZ_CONFIG_ERROR_PARSE: the file is not valid key-file syntax
 * @MZ_CONFIG_ERROR_MISSING_KEY: a required key is absent
 * @MZ_CONFIG_ERROR_INVALID_VALUE: a key's value is not what it must be
 *
 * Every message names the file, the group and the key, and what is expected.
 */
typedef enum
{
  MZ_CONFIG_ERROR_NOT_FOUND,
  MZ_CONFIG_ERROR_PARSE,
  MZ_CONFIG_ERROR_MISSING_KEY,
  MZ_CONFIG_ERROR_INVALID_VALUE,
} MzConfigError;

#define MZ_CONFIG_ERROR (mz_config_error_quark ())
GQuark mz_config_error_quark (void);

typedef struct _MzConfig MzConfig;

/* Loads @path, or when @path is NULL the file named by $MINZHENG_CONFIG,
 * and validates every key the host itself reads.  Relative paths inside
 * the file are resolved against the file's directory. */
MzConfig *mz_config_load (const char *path, GError **error);
/* A configuration from text, for tests; @origin names it in messages. */
MzConfig *mz_config_load_from_data (const char *data, const char *origin, GError **error);
void mz_config_free (MzConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzConfig, mz_config_free)

const char *mz_config_get_origin (MzConfig *config);          /* file path or origin */
const char *mz_config_get_office_id (MzConfig *config);       /* [office] id, division code */
const char *mz_config_get_office_name (MzConfig *config);     /* [office] name */
/* [plugins] path, then $MINZHENG_PLUGIN_PATH (':'-separated) overriding it. */
const char *const *mz_config_get_plugin_dirs (MzConfig *config);
const char *const *mz_config_get_enabled (MzConfig *config);  /* [plugins] enabled */
const char *const *mz_config_get_required (MzConfig *config); /* [plugins] required */
const char *mz_config_get_store_path (MzConfig *config);      /* [store] path, absolute */
const char *mz_config_get_log_target (MzConfig *config);      /* [log] target */
/* Additions for the host's other parts: the file's directory (absolute),
 * against which relative paths in it are resolved; such a path resolved
 * (newly allocated); and [office] timezone (default Asia/Shanghai). */
const char *mz_config_get_directory (MzConfig *config);
char *mz_config_resolve_path (MzConfig *config, const char *path);
const char *mz_config_get_timezone (MzConfig *config);

/* The whole file, for groups the host does not interpret ([plugin.NAME],
 * [store], [audit] ...).  Owned by @config. */
GKeyFile *mz_config_get_key_file (MzConfig *config);

G_END_DECLS
