/* minzheng host — what guards and effects may do with the action in
 * progress (the MzHost action_* members), and conditions for finds.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "services-private.h"
#include "store-records.h"

const char *
mz_action_get_name (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->def->name;
}

const MzRecord *
mz_action_get_record (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->before;
}

const MzRecord *
mz_action_get_input (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->input;
}

const MzActor *
mz_action_get_actor (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->request->actor;
}

const char *
mz_action_get_reason (MzAction *action)
{
  g_return_val_if_fail (action != NULL, NULL);
  return action->request->reason;
}

/* Setting values is for effects: a guard that writes is a plugin bug. */
static int
settable_field (MzAction   *action,
                const char *field,
                GError    **error)
{
  int index;

  g_return_val_if_fail (action != NULL, -1);
  if (!action->in_effect)
    {
      g_critical ("%s: action_set_* called outside an effect", action->kind->qualified);
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "插件在校验阶段试图修改记录，已拒绝 [action.set_in_guard]");
      return -1;
    }
  index = mz_kind_field (action->kind, field);
  if (index < 0)
    mz_field_error_set (error, MZ_FIELD_ERROR_UNKNOWN, field != NULL ? field : "(空)", NULL,
                        "unknown", "记录类型 %s 没有此字段", action->kind->qualified);
  return index;
}

gboolean
mz_action_set_text (MzAction   *action,
                    const char *field,
                    const char *value,
                    GError    **error)
{
  MzValue v = { 0 };
  int index = settable_field (action, field, error);

  if (index < 0)
    return FALSE;
  if (!mz_field_type_is_text (action->kind->def->fields[index].type))
    {
      g_critical ("%s: field %s is not a text field", action->kind->qualified, field);
      return mz_field_error_set (error, MZ_FIELD_ERROR_FORMAT, field,
                                 action->kind->def->fields[index].label, "type",
                                 "不是文本类字段，应使用 action_set_int64");
    }
  if (value != NULL && action->kind->def->fields[index].type == MZ_FIELD_ID_NUMBER)
    {
      g_autofree char *today = action->today != NULL ? g_strdup (action->today)
                                                     : mz_services_today (action->services);

      if (!mz_value_parse (&action->kind->def->fields[index], value, today, &v, error))
        return FALSE;
    }
  else if (value != NULL && !mz_value_parse (&action->kind->def->fields[index], value, NULL, &v, error))
    return FALSE;
  mz_record_take (action->after, (guint) index, &v);
  return TRUE;
}

gboolean
mz_action_set_int64 (MzAction   *action,
                     const char *field,
                     gint64      value,
                     GError    **error)
{
  MzValue v = { TRUE, value, NULL };
  int index = settable_field (action, field, error);

  if (index < 0)
    return FALSE;
  if (mz_field_type_is_text (action->kind->def->fields[index].type))
    {
      g_critical ("%s: field %s is a text field", action->kind->qualified, field);
      return mz_field_error_set (error, MZ_FIELD_ERROR_FORMAT, field,
                                 action->kind->def->fields[index].label, "type",
                                 "是文本类字段，应使用 action_set_text");
    }
  if (!mz_value_check_number (&action->kind->def->fields[index], value, error))
    return FALSE;
  mz_record_take (action->after, (guint) index, &v);
  return TRUE;
}

static gboolean
counter_ok (const char *counter)
{
  gsize n = 0;

  if (counter == NULL)
    return FALSE;
  for (; counter[n] != '\0'; n++)
    if (!g_ascii_isgraph (counter[n]))
      return FALSE;
  return n > 0 && n <= 64;
}

/* Drawn inside the action's transaction: the number is durable
 * exactly when the record that uses it is, so a crash can neither skip
 * nor repeat it. */
gboolean
mz_action_next_sequence (MzAction   *action,
                         const char *counter,
                         gint64     *out,
                         GError    **error)
{
  g_return_val_if_fail (action != NULL && out != NULL, FALSE);
  if (!action->in_effect)
    {
      g_critical ("%s: action_next_sequence called outside an effect", action->kind->qualified);
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "插件在校验阶段试图取号，已拒绝 [action.sequence_in_guard]");
      return FALSE;
    }
  if (!counter_ok (counter))
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "计数器名称“%s”无效：须为 1 到 64 个可见 ASCII 字符 [action.counter]",
                   counter != NULL ? counter : "(空)");
      return FALSE;
    }
  return mz_store_sequence_next (action->store, action->kind->plugin->name, counter, out, error);
}

gboolean
mz_action_find (MzAction           *action,
                const char         *kind_name,
                const MzCondition  *conditions,
                const char *const  *states,
                MzRecordFunc        func,
                gpointer            user_data,
                GError            **error)
{
  const MzKind *kind;

  g_return_val_if_fail (action != NULL && func != NULL, FALSE);

  kind = mz_services_lookup_kind (action->services, action->kind->plugin->name, kind_name);
  if (kind == NULL)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                   "插件 %s 没有记录类型“%s” [action.find_kind]",
                   action->kind->plugin->name, kind_name != NULL ? kind_name : "(空)");
      return FALSE;
    }
  return mz_store_record_find (action->store, kind, conditions, states, func, user_data, error);
}
