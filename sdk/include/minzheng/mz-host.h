/* minzheng SDK — MzHost, the table of services the host gives a plugin.
 *
 * Like sqlite3_api_routines: a plugin reaches the host only through this
 * table, never through a symbol of the host, a database handle or a file.
 * The table is append-only: members keep their offsets for every ABI 1.x
 * host; new members go at the end and raise MZ_ABI_MINOR.  A plugin that
 * wants a member newer than the minor it was built for tests
 * MZ_HOST_HAS (host, member) first.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined (__MINZHENG_H_INSIDE__) && !defined (MINZHENG_COMPILATION)
#error "Only <minzheng/minzheng.h> can be included directly."
#endif

#include <stddef.h>
#include <glib.h>

#include <minzheng/mz-plugin.h>
#include <minzheng/mz-record.h>

G_BEGIN_DECLS

struct _MzHost
{
  gsize struct_size;     /* sizeof (MzHost) as the host was built */
  guint16 abi_major;
  guint16 abi_minor;

  /* --- office and configuration ------------------------------------- */

  /* The office's division code ("450222") and name ("柳城县民政局"). */
  const char *(*office_id) (MzPlugin *self);
  const char *(*office_name) (MzPlugin *self);

  /* Keys of the plugin's own group `[plugin.<name>]` of the office's
   * configuration.  Strings and lists are newly allocated (g_free /
   * g_strfreev); a missing key returns the default (or NULL); a key that is
   * present but not of the asked type sets @error naming file, group and key. */
  char *(*config_get_string) (MzPlugin *self, const char *key, const char *fallback);
  gboolean (*config_get_int64) (MzPlugin *self, const char *key, gint64 fallback,
                                gint64 *out, GError **error);
  gboolean (*config_get_boolean) (MzPlugin *self, const char *key, gboolean fallback,
                                  gboolean *out, GError **error);
  char **(*config_get_string_list) (MzPlugin *self, const char *key);

  /* --- logging --------------------------------------------------------- */

  /* One structured log line; the host adds MZ_OFFICE, MZ_PLUGIN,
   * MZ_PLUGIN_VERSION and MZ_REQUEST_ID.  @message_id is a stable
   * identifier ("marriage.registered") or NULL.  Plugins may equally use
   * g_log() and friends: the host's writer tags their domain. */
  void (*log) (MzPlugin *self, GLogLevelFlags level, const char *message_id,
               const char *message);

  /* --- time ---------------------------------------------------------------- */

  /* Current UTC time in microseconds since the epoch, and the office-local
   * date "YYYY-MM-DD" (valid until the next call).  Both follow the host's
   * clock, which tests and `mzctl --now` can fix, so legal deadlines are
   * testable. */
  gint64 (*now) (MzPlugin *self);
  const char *(*today) (MzPlugin *self);

  /* --- declarations (call from init) ---------------------------------------- */

  gboolean (*register_kind) (MzPlugin *self, const MzKindDef *kind, GError **error);
  gboolean (*register_due) (MzPlugin *self, const MzDueDef *due, GError **error);
  gboolean (*register_report) (MzPlugin *self, const MzReportDef *report, GError **error);

  /* --- records (valid during the callback that received them) ------------ */

  gint64 (*record_id) (const MzRecord *record);
  const char *(*record_kind) (const MzRecord *record);
  const char *(*record_state) (const MzRecord *record);
  gint64 (*record_version) (const MzRecord *record);
  gboolean (*record_has) (const MzRecord *record, const char *field);
  /* text, date, datetime, enum, ID number, USCC, division; NULL when unset */
  const char *(*record_get_text) (const MzRecord *record, const char *field);
  /* integer, money, boolean, reference; @fallback when unset */
  gint64 (*record_get_int64) (const MzRecord *record, const char *field, gint64 fallback);

  /* --- the action in progress (guards and effects) ------------------------- */

  const char *(*action_name) (MzAction *action);
  /* The record as it was before the action; NULL for create actions. */
  const MzRecord *(*action_record) (MzAction *action);
  /* The values the caller supplied, already validated by type. */
  const MzRecord *(*action_input) (MzAction *action);
  const MzActor *(*action_actor) (MzAction *action);
  /* The reason the caller gave, or NULL. */
  const char *(*action_reason) (MzAction *action);
  /* Effects only: set a field of the record being written (validated). */
  gboolean (*action_set_text) (MzAction *action, const char *field, const char *value,
                               GError **error);
  gboolean (*action_set_int64) (MzAction *action, const char *field, gint64 value,
                                GError **error);
  /* Effects only: the next number of the named counter of this office
   * ("J-2021"), starting at 1, inside the action's transaction: never
   * repeated, never skipped, also under crashes and concurrent writers. */
  gboolean (*action_next_sequence) (MzAction *action, const char *counter,
                                    gint64 *out, GError **error);
  /* Records of one of the plugin's own kinds matching all @conditions (and,
   * if @states is not NULL, in one of those states), read inside the
   * action's transaction.  @func is called per record, in id order. */
  gboolean (*action_find) (MzAction *action, const char *kind,
                           const MzCondition *conditions, const char *const *states,
                           MzRecordFunc func, gpointer user_data, GError **error);

  /* --- reports ----------------------------------------------------------------- */

  /* Runs one read-only, parameterised SQL statement (`?` placeholders bound
   * to @params, NULL-terminated, as text) on a read-only connection that may
   * read only the plugin's own tables. */
  gboolean (*report_query) (MzReport *report, const char *sql, const char *const *params,
                            MzRowFunc func, gpointer user_data, GError **error);
  /* Convenience: the first column of the first row as an integer (0 when no row). */
  gboolean (*report_query_int64) (MzReport *report, const char *sql,
                                  const char *const *params, gint64 *out, GError **error);
  /* One figure: @value is scaled by 10^-@decimals (value 356, decimals 1 = 35.6).
   * @key is "plugin.name", stable across versions. */
  void (*report_add_figure) (MzReport *report, const char *key, const char *label,
                             gint64 value, guint decimals, const char *unit);
  /* The sentence the office pastes into its work report. */
  void (*report_set_sentence) (MzReport *report, const char *sentence);

  /* New members are appended here, raising MZ_ABI_MINOR.  The host owns
   * the table, so it needs no padding: struct_size says how far it goes. */

  /* --- ABI 1.1 ----------------------------------------------------------------- */

  /* The keys present in the plugin's group `[plugin.<name>]`, in file
   * order, NULL-terminated and newly allocated (g_strfreev); empty when the
   * group is absent.  Lets a plugin refuse a key it does not know, such as
   * a misspelt one that would otherwise be read as absent. */
  char **(*config_get_keys) (MzPlugin *self);
};

/* TRUE when @host was built with @member (an ABI 1.x minor that appended it). */
#define MZ_HOST_HAS(host, member) \
  ((host)->struct_size >= offsetof (MzHost, member) + sizeof (((MzHost *) 0)->member))

G_END_DECLS
