/* minzheng host — what plugins declare from init: record kinds (checked
 * and given their tables), due work and report sections (the MzHost
 * register_* members).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include "services-private.h"

gboolean
mz_declare_kind (MzPlugin        *self,
                 const MzKindDef *def,
                 GError         **error)
{
  MzServices *services = mz_plugin_services (self);
  MzPluginEntry *entry = mz_plugin_entry (self);
  g_autoptr (MzKind) kind = mz_kind_new (self, def, entry->kinds, error);

  if (kind == NULL)
    return FALSE;
  if (!mz_store_write (services->store, mz_schema_apply, NULL, kind, error))
    return FALSE;
  g_ptr_array_add (entry->kinds, g_steal_pointer (&kind));
  return TRUE;
}

static gboolean
bad_declaration (GError    **error,
                 MzPlugin   *self,
                 const char *what,
                 const char *name,
                 const char *reason)
{
  g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
               "插件 %s 的%s %s 声明有误：%s；请修正插件后重新构建 [%s.invalid]",
               self->name, what, name != NULL ? name : "(无名)", reason,
               g_str_equal (what, "到期事项") ? "due" : "report");
  return FALSE;
}

static const MzKind *
own_kind (MzPlugin   *self,
          const char *name)
{
  MzPluginEntry *entry = mz_plugin_entry (self);

  for (guint i = 0; name != NULL && i < entry->kinds->len; i++)
    {
      MzKind *kind = g_ptr_array_index (entry->kinds, i);

      if (g_str_equal (kind->def->name, name))
        return kind;
    }
  return NULL;
}

gboolean
mz_declare_due (MzPlugin       *self,
                const MzDueDef *due,
                GError        **error)
{
  const MzKind *kind;
  int field;
  const MzActionDef *action;

  g_return_val_if_fail (due != NULL, FALSE);

  if (due->name == NULL || due->label == NULL || !g_utf8_validate (due->label, -1, NULL))
    return bad_declaration (error, self, "到期事项", due->name, "缺少名称或中文说明");
  for (const char *p = due->name; *p != '\0'; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '_')
      return bad_declaration (error, self, "到期事项", due->name, "名称须为 [a-z][a-z0-9_]*");
  kind = own_kind (self, due->kind);
  if (kind == NULL)
    return bad_declaration (error, self, "到期事项", due->name, "所指的记录类型未注册（须先注册类型）");
  for (guint i = 0; due->states != NULL && due->states[i] != NULL; i++)
    if (mz_kind_state (kind, due->states[i]) == NULL)
      return bad_declaration (error, self, "到期事项", due->name, "所列状态不属于该记录类型");
  if (due->states == NULL || due->states[0] == NULL)
    return bad_declaration (error, self, "到期事项", due->name, "须列出被监视的状态");
  field = mz_kind_field (kind, due->date_field);
  if (field < 0 || (kind->def->fields[field].type != MZ_FIELD_DATE
                    && kind->def->fields[field].type != MZ_FIELD_DATETIME))
    return bad_declaration (error, self, "到期事项", due->name, "date_field 须为该类型的日期或时间字段");
  if (due->after_days < 0)
    return bad_declaration (error, self, "到期事项", due->name, "after_days 不能为负数");
  if (due->action != NULL)
    {
      action = mz_kind_action (kind, due->action);
      if (action == NULL || !(action->flags & MZ_ACTION_SYSTEM))
        return bad_declaration (error, self, "到期事项", due->name,
                                "所指的操作不存在或不是 MZ_ACTION_SYSTEM 操作");
      for (guint i = 0; due->states[i] != NULL; i++)
        if (action->flags & MZ_ACTION_CREATE || !g_strv_contains (action->from, due->states[i]))
          return bad_declaration (error, self, "到期事项", due->name,
                                  "所指的操作不能从被监视的每个状态出发");
    }
  g_ptr_array_add (mz_plugin_entry (self)->dues, (gpointer) due);
  return TRUE;
}

gboolean
mz_declare_report (MzPlugin          *self,
                   const MzReportDef *report,
                   GError           **error)
{
  g_return_val_if_fail (report != NULL, FALSE);

  if (report->title == NULL || report->title[0] == '\0' || !g_utf8_validate (report->title, -1, NULL))
    return bad_declaration (error, self, "报表", report->title, "缺少中文标题");
  if (report->build == NULL)
    return bad_declaration (error, self, "报表", report->title, "没有 build 回调");
  g_ptr_array_add (mz_plugin_entry (self)->reports, (gpointer) report);
  return TRUE;
}
