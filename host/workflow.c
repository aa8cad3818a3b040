/* minzheng host — performing actions: checks before the transaction, then
 * inside it state, version, separation of duties, guard, effect, the write,
 * the history row and the audit entry.
 *
 * Refusals are audited too.  A refusal found before the transaction
 * (unknown field, bad value, missing permission) and one found inside it
 * (stale version, guard) take the same path: the unit of work fails, the
 * store rolls back its savepoint, and the refusal entry is written in a
 * savepoint of its own in the same group-commit transaction.  The caller
 * therefore learns of a refusal only once the entry recording it is
 * durable, and a refusal never leaves a partial change behind.  For
 * mz_services_act_all the whole set rolls back and the refusal entries of
 * the bad requests are what commits.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "services-private.h"
#include "store-records.h"

typedef struct
{
  MzServices *services;
  const MzActRequest *request;
  const MzKind *kind;
  const MzActionDef *def;
  MzRecord *input;          /* validated inputs */
  gboolean *supplied;       /* per field: the caller gave it (maybe "" to clear) */
  char *today;
  GError *refusal;          /* refused before the transaction */
  const char *audit_action; /* act_all: "import", else NULL */
  MzActResult result;
  char *changes;            /* audit changes JSON of the write */
} MzActJob;

static void
act_job_free (MzActJob *job)
{
  if (job == NULL)
    return;
  mz_record_free (job->input);
  g_free (job->supplied);
  g_free (job->today);
  g_clear_error (&job->refusal);
  g_free (job->changes);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MzActJob, act_job_free)

static gboolean
in_list (const char *const *list,
         const char        *name)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    if (g_strcmp0 (list[i], name) == 0)
      return TRUE;
  return FALSE;
}

static const char *
state_label (const MzKind *kind,
             const char   *state)
{
  const MzStateDef *def = mz_kind_state (kind, state);

  return def != NULL ? def->label : state;
}

static gboolean
has_text (const char *text)
{
  for (; text != NULL && *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return TRUE;
  return FALSE;
}

/* Everything that can be decided without the database, in the caller's
 * thread, so that a bad request never holds the writer. */
static gboolean
act_prepare (MzActJob *job,
             GError  **error)
{
  MzServices *services = job->services;
  const MzActRequest *req = job->request;
  const MzActor *actor = req->actor;
  GHashTableIter iter;
  gpointer key, value;
  const char *unknown = NULL;

  job->kind = mz_services_lookup_kind (services, req->plugin, req->kind);
  if (job->kind == NULL)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_NOT_FOUND,
                   "没有已加载的插件 %s 或其记录类型 %s [record.kind_unknown]",
                   req->plugin != NULL ? req->plugin : "(空)", req->kind != NULL ? req->kind : "(空)");
      return FALSE;
    }
  job->def = mz_kind_action (job->kind, req->action);
  if (job->def == NULL)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_NOT_FOUND,
                   "记录类型 %s 没有操作“%s” [record.action_unknown]",
                   job->kind->qualified, req->action != NULL ? req->action : "(空)");
      return FALSE;
    }
  if (actor == NULL || actor->user == NULL || actor->user[0] == '\0')
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION,
                   "未指明操作人，不能执行「%s」 [record.no_actor]", job->def->label);
      return FALSE;
    }
  if ((job->def->flags & MZ_ACTION_SYSTEM) != 0 || g_strcmp0 (actor->role, MZ_ROLE_SYSTEM) == 0)
    {
      if ((job->def->flags & MZ_ACTION_SYSTEM) == 0 || g_strcmp0 (actor->role, MZ_ROLE_SYSTEM) != 0)
        {
          g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION,
                       "操作「%s」%s [record.system_only]", job->def->label,
                       (job->def->flags & MZ_ACTION_SYSTEM) ? "只能由系统到期处理执行"
                                                            : "不能以系统身份执行");
          return FALSE;
        }
    }
  else if (!mz_roles_allow (services->roles, actor->role, job->def->permission))
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_PERMISSION,
                   "角色“%s”没有权限 %s，不能执行「%s」 [record.permission]",
                   actor->role != NULL ? actor->role : "(无)", job->def->permission, job->def->label);
      return FALSE;
    }
  if ((job->def->flags & MZ_ACTION_CREATE) && req->record_id != 0)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_STATE,
                   "「%s」是新建操作，不能指定记录编号 [record.create_with_id]", job->def->label);
      return FALSE;
    }
  if (!(job->def->flags & MZ_ACTION_CREATE) && req->record_id <= 0)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_NOT_FOUND,
                   "「%s」须指定要办理的记录编号 [record.no_id]", job->def->label);
      return FALSE;
    }
  if ((job->def->flags & MZ_ACTION_REASON_REQUIRED) && !has_text (req->reason))
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED,
                   "办理「%s」须填写理由 [record.reason_required]", job->def->label);
      return FALSE;
    }

  job->input = mz_record_new (job->kind);
  job->supplied = g_new0 (gboolean, job->kind->n_fields + 1);
  if (req->inputs == NULL)
    return TRUE;
  /* A request with several bad inputs is refused for the same one every
   * time: a field the action does not take first (the first by name), then
   * the values in the kind's order of fields, not the hash table's. */
  g_hash_table_iter_init (&iter, req->inputs);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      int index = mz_kind_field (job->kind, key);

      if ((index < 0 || !in_list (job->def->inputs, key))
          && (unknown == NULL || strcmp (key, unknown) < 0))
        unknown = key;
    }
  if (unknown != NULL)
    {
      int index = mz_kind_field (job->kind, unknown);

      return mz_field_error_set (error, MZ_FIELD_ERROR_UNKNOWN, unknown,
                                 index >= 0 ? job->kind->def->fields[index].label : NULL,
                                 "unknown", index < 0 ? "记录类型 %s 没有此字段"
                                                      : "操作「%s」不接受此字段",
                                 index < 0 ? job->kind->qualified : job->def->label);
    }
  for (guint index = 0; index < job->kind->n_fields; index++)
    {
      const MzFieldDef *field = &job->kind->def->fields[index];
      MzValue v = { 0 };

      if (!g_hash_table_lookup_extended (req->inputs, field->name, NULL, &value))
        continue;
      /* Only ID numbers need today (a birth date may not be in the future). */
      if (job->today == NULL && field->type == MZ_FIELD_ID_NUMBER)
        job->today = mz_services_today (services);
      if (!mz_value_parse (field, value != NULL ? value : "", job->today, &v, error))
        return FALSE;
      mz_record_take (job->input, index, &v);
      job->supplied[index] = TRUE;
    }
  return TRUE;
}

static gboolean
load_record (MzActJob  *job,
             MzStore   *store,
             MzRecord **out,
             GError   **error)
{
  if (!mz_store_record_load (store, job->kind, job->request->record_id, out, error))
    return FALSE;
  if (*out != NULL)
    return TRUE;
  g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_NOT_FOUND,
               "%s 记录 #%" G_GINT64_FORMAT " 不存在 [record.not_found]",
               job->kind->def->label, job->request->record_id);
  return FALSE;
}

static gboolean
check_state (MzActJob       *job,
             const MzRecord *before,
             GError        **error)
{
  const MzActionDef *def = job->def;
  g_autoptr (GString) allowed = NULL;

  if (job->request->expected_version != 0 && before->version != job->request->expected_version)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_STALE,
                   "记录 #%" G_GINT64_FORMAT " 已被他人修改（当前版本 %" G_GINT64_FORMAT
                   "，您依据的是版本 %" G_GINT64_FORMAT "），请刷新后重试 [record.stale]",
                   before->id, before->version, job->request->expected_version);
      return FALSE;
    }
  if (in_list (def->from, before->state))
    return TRUE;
  allowed = g_string_new (NULL);
  for (guint i = 0; def->from[i] != NULL; i++)
    g_string_append_printf (allowed, "%s「%s」(%s)", i > 0 ? "、" : "",
                            state_label (job->kind, def->from[i]), def->from[i]);
  g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_STATE,
               "记录当前状态为「%s」(%s)，「%s」只能在 %s 状态下办理 [record.state]",
               state_label (job->kind, before->state), before->state, def->label, allowed->str);
  return FALSE;
}

/* Separation of duties: who did which action on which record is in the
 * history written with every action. */
static gboolean
check_separation (MzActJob *job,
                  MzStore  *store,
                  GError  **error)
{
  g_autoptr (GPtrArray) done = NULL;

  if (job->def->distinct_from == NULL || job->def->distinct_from[0] == NULL)
    return TRUE;
  done = mz_store_record_actions_by (store, job->kind, job->request->record_id,
                                     job->request->actor->user, error);
  if (done == NULL)
    return FALSE;
  for (guint i = 0; i < done->len; i++)
    if (in_list (job->def->distinct_from, g_ptr_array_index (done, i)))
      {
        const MzActionDef *other = mz_kind_action (job->kind, g_ptr_array_index (done, i));

        g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_SEPARATION,
                     "按职责分离要求，办理过「%s」的人员（%s）不能再办理「%s」，请由他人办理 [record.separation]",
                     other != NULL ? other->label : (const char *) g_ptr_array_index (done, i),
                     job->request->actor->user, job->def->label);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_references (MzActJob       *job,
                  MzStore        *store,
                  const MzRecord *before,
                  const MzRecord *after,
                  GError        **error)
{
  for (guint i = 0; i < job->kind->n_fields; i++)
    {
      const MzFieldDef *f = &job->kind->def->fields[i];
      gboolean exists = FALSE;

      if (f->type != MZ_FIELD_REFERENCE || !after->values[i].set
          || (before != NULL && mz_value_equal (&before->values[i], &after->values[i])))
        continue;
      if (!mz_store_record_exists (store, job->kind->plugin->name, f->reference_kind,
                                   after->values[i].number, &exists, error))
        return FALSE;
      if (!exists)
        return mz_field_error_set (error, MZ_FIELD_ERROR_REFERENCE, f->name, f->label,
                                   "reference.missing", "引用的记录 #%" G_GINT64_FORMAT " 不存在",
                                   after->values[i].number);
    }
  return TRUE;
}

static gboolean
check_required (MzActJob       *job,
                const MzRecord *after,
                GError        **error)
{
  for (guint i = 0; i < job->kind->n_fields; i++)
    {
      const MzFieldDef *f = &job->kind->def->fields[i];

      if ((f->flags & MZ_FIELD_REQUIRED) && !after->values[i].set)
        return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, f->name, f->label, "required",
                                   (job->def->flags & MZ_ACTION_CREATE) ? "必填项未填写"
                                                                        : "必填项不能清空");
    }
  return TRUE;
}

/* JSON string literal of @text (valid UTF-8: validated on input). */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, (char) c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

static void
append_change_value (MzServices       *services,
                     GString          *out,
                     const MzFieldDef *f,
                     const MzValue    *v)
{
  if (!v->set)
    g_string_append (out, "null");
  else if (f->flags & MZ_FIELD_PERSONAL || f->type == MZ_FIELD_ID_NUMBER)
    {
      g_autofree char *text = mz_value_to_string (f, v);
      g_autofree char *hash = mz_services_hash_personal (services, text);
      append_json_string (out, hash);
    }
  else if (mz_field_type_is_text (f->type))
    append_json_string (out, v->text);
  else
    {
      char digits[24];

      g_snprintf (digits, sizeof digits, "%" G_GINT64_FORMAT, v->number);
      g_string_append (out, digits);
    }
}

/* {"state": [before, after], "field": [before, after], …} for what
 * changed.  Written directly: this runs in the writer for every action,
 * and a JSON tree per action cost more than the rest of the bookkeeping. */
static char *
changes_json (MzActJob       *job,
              const MzRecord *before,
              const MzRecord *after)
{
  GString *out = g_string_sized_new (128);
  const char *sep = "";

  g_string_append_c (out, '{');
  if (before == NULL || g_strcmp0 (before->state, after->state) != 0)
    {
      g_string_append (out, "\"state\":[");
      if (before != NULL)
        append_json_string (out, before->state);
      else
        g_string_append (out, "null");
      g_string_append_c (out, ',');
      append_json_string (out, after->state);
      g_string_append_c (out, ']');
      sep = ",";
    }
  for (guint i = 0; i < job->kind->n_fields; i++)
    {
      const MzFieldDef *f = &job->kind->def->fields[i];
      static const MzValue unset = { 0 };
      const MzValue *old = before != NULL ? &before->values[i] : &unset;

      if (mz_value_equal (old, &after->values[i]))
        continue;
      /* Field names are validated identifiers: no escaping needed.
       * Plain appends, not printf: this runs for every changed field. */
      g_string_append (out, sep);
      g_string_append_c (out, '"');
      g_string_append (out, f->name);
      g_string_append (out, "\":[");
      append_change_value (job->services, out, f, old);
      g_string_append_c (out, ',');
      append_change_value (job->services, out, f, &after->values[i]);
      g_string_append_c (out, ']');
      sep = ",";
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/* The action itself, inside the writer's transaction (its savepoint). */
static gboolean
run_action (MzActJob *job,
            MzStore  *store,
            GError  **error)
{
  g_autoptr (MzRecord) before = NULL;
  g_autoptr (MzRecord) after = NULL;
  gboolean create = (job->def->flags & MZ_ACTION_CREATE) != 0;
  gint64 now = mz_services_now (job->services);
  MzAction action = { 0 };

  if (!create)
    {
      if (!load_record (job, store, &before, error)
          || !check_state (job, before, error)
          || !check_separation (job, store, error))
        return FALSE;
      after = mz_record_copy (before);
    }
  else
    after = mz_record_new (job->kind);

  g_free (after->state);
  after->state = g_strdup (job->def->to);
  for (guint i = 0; i < job->kind->n_fields; i++)
    if (job->supplied[i])
      {
        MzValue v = job->input->values[i];

        v.text = g_strdup (v.text);
        mz_record_take (after, i, &v);
      }

  action.services = job->services;
  action.store = store;
  action.kind = job->kind;
  action.def = job->def;
  action.request = job->request;
  action.before = before;
  action.input = job->input;
  action.after = after;
  action.today = job->today;

  if (job->def->guard != NULL && !job->def->guard (&action, job->def->user_data, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED,
                     "业务规则不允许办理「%s」 [%s.refused]", job->def->label, job->kind->plugin->name);
      return FALSE;
    }
  action.in_effect = TRUE;
  if (job->def->effect != NULL && !job->def->effect (&action, job->def->user_data, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED,
                     "「%s」未能完成 [%s.effect_failed]", job->def->label, job->kind->plugin->name);
      return FALSE;
    }

  if (!check_required (job, after, error)
      || !check_references (job, store, before, after, error)
      || !mz_store_record_write (store, job->kind, after, create, now, error)
      || !mz_store_record_history_append (store, job->kind, after->id, job->def->name,
                                          job->request->actor, after->version, now, error))
    return FALSE;

  g_free (job->changes);  /* from an earlier run of a batch run again */
  job->changes = changes_json (job, before, after);
  job->result.record_id = after->id;
  job->result.version = after->version;
  g_strlcpy (job->result.state, after->state, sizeof job->result.state);
  return TRUE;
}

/* Audit entries name the action "<plugin>.<kind>.<action>", prefixed by
 * the bulk operation ("import.") when it came through act_all.  Joined
 * with g_strconcat: this runs in the writer for every action. */
static gboolean
audit_job (MzActJob     *job,
           const char   *outcome,
           const GError *refusal,
           GError      **error)
{
  const MzActRequest *req = job->request;
  const MzActor *actor = req->actor;
  g_autofree char *action = NULL;
  g_autofree char *object_kind = g_strconcat (req->plugin != NULL ? req->plugin : "", ".",
                                              req->kind != NULL ? req->kind : "", NULL);
  MzAuditEntry entry = { 0 };

  action = g_strconcat (job->audit_action != NULL ? job->audit_action : "",
                        job->audit_action != NULL ? "." : "", object_kind, ".",
                        req->action != NULL ? req->action : "", NULL);
  entry.plugin = job->kind != NULL ? job->kind->plugin->name : "host";
  if (job->kind != NULL && job->kind->plugin->descriptor != NULL)
    entry.plugin_version = job->kind->plugin->descriptor->version;
  entry.actor_user = actor != NULL ? actor->user : NULL;
  entry.actor_role = actor != NULL ? actor->role : NULL;
  entry.actor_session = actor != NULL ? actor->session : NULL;
  entry.actor_address = actor != NULL ? actor->address : NULL;
  entry.action = action;
  entry.object_kind = object_kind;
  entry.object_id = refusal == NULL ? job->result.record_id : req->record_id;
  entry.outcome = outcome;
  entry.reason = refusal != NULL ? refusal->message : req->reason;
  entry.correlation_id = req->correlation_id;
  entry.changes = refusal == NULL ? job->changes : NULL;
  return mz_services_audit_append (job->services, &entry, error);
}

static gboolean
act_work (MzStore *store,
          MzStoreTxn *txn,
          gpointer data,
          GError **error)
{
  MzActJob *job = data;

  if (job->refusal != NULL)
    {
      g_propagate_error (error, g_error_copy (job->refusal));
      return FALSE;
    }
  return run_action (job, store, error) && audit_job (job, "ok", NULL, error);
}

static gboolean
act_refused (MzStore      *store,
             MzStoreTxn   *txn,
             gpointer      data,
             const GError *refusal,
             GError      **error)
{
  return audit_job (data, "refused", refusal, error);
}

static MzActJob *
act_job_new (MzServices         *services,
             const MzActRequest *request,
             const char         *audit_action)
{
  MzActJob *job = g_new0 (MzActJob, 1);

  job->services = services;
  job->request = request;
  job->audit_action = audit_action;
  act_prepare (job, &job->refusal);
  return job;
}

gboolean
mz_workflow_act (MzServices         *services,
                 const MzActRequest *request,
                 MzActResult        *result,
                 GError            **error)
{
  g_autoptr (MzActJob) job = act_job_new (services, request, NULL);

  /* An action keeps everything it changes in the database and sets its
   * outputs afresh each run, so that the store may run it without a
   * savepoint of its own and run it again when another unit refuses. */
  if (!mz_store_write_full (services->store, MZ_STORE_WRITE_RERUNNABLE, act_work, act_refused, job, error))
    return FALSE;
  if (result != NULL)
    *result = job->result;
  return TRUE;
}

typedef struct
{
  GPtrArray *jobs;     /* MzActJob * */
  GError **errors;     /* per job, the caller's array */
  guint n_failed;
} MzActAllJob;

static gboolean
act_all_work (MzStore *store,
              MzStoreTxn *txn,
              gpointer data,
              GError **error)
{
  MzActAllJob *all = data;

  all->n_failed = 0;
  for (guint i = 0; i < all->jobs->len; i++)
    {
      MzActJob *job = g_ptr_array_index (all->jobs, i);
      GError *local = NULL;

      g_clear_error (&all->errors[i]);
      if (job->refusal != NULL)
        {
          all->errors[i] = g_error_copy (job->refusal);
          all->n_failed++;
          continue;
        }
      if (!mz_store_request_begin (store, error))
        return FALSE;
      if (run_action (job, store, &local))
        {
          if (!mz_store_request_end (store, TRUE, error))
            return FALSE;
          continue;
        }
      if (mz_store_error_is_fatal (local))
        {
          g_propagate_error (error, local);
          return FALSE;
        }
      all->errors[i] = local;
      all->n_failed++;
      if (!mz_store_request_end (store, FALSE, error))
        return FALSE;
    }
  if (all->n_failed > 0)
    {
      g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_REFUSED,
                   "共 %u 条，其中 %u 条被拒绝，全部未保存 [records.refused]",
                   all->jobs->len, all->n_failed);
      return FALSE;
    }
  for (guint i = 0; i < all->jobs->len; i++)
    if (!audit_job (g_ptr_array_index (all->jobs, i), "ok", NULL, error))
      return FALSE;
  return TRUE;
}

static gboolean
act_all_refused (MzStore      *store,
                 MzStoreTxn   *txn,
                 gpointer      data,
                 const GError *refusal,
                 GError      **error)
{
  MzActAllJob *all = data;

  for (guint i = 0; i < all->jobs->len; i++)
    if (all->errors[i] != NULL
        && !audit_job (g_ptr_array_index (all->jobs, i), "refused", all->errors[i], error))
      return FALSE;
  return TRUE;
}

gboolean
mz_workflow_act_all (MzServices         *services,
                     const MzActRequest *requests,
                     gsize               n_requests,
                     const char         *audit_action,
                     MzActResult        *results,
                     GError            **errors,
                     GError            **error)
{
  g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) act_job_free);
  MzActAllJob all = { jobs, errors, 0 };

  for (gsize i = 0; i < n_requests; i++)
    g_ptr_array_add (jobs, act_job_new (services, &requests[i], audit_action));
  if (!mz_store_write (services->store, act_all_work, act_all_refused, &all, error))
    return FALSE;
  for (gsize i = 0; results != NULL && i < n_requests; i++)
    results[i] = ((MzActJob *) g_ptr_array_index (jobs, i))->result;
  return TRUE;
}
