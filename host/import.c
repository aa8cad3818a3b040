/* minzheng host — importing rows as create actions, all or nothing.
 *
 * Offices bring in records from the systems they used before, including
 * certificate numbers already issued and historical dates, which is why a
 * plugin may declare a create action named "import" with those inputs.
 * Every row still goes through the host's validation, the action's
 * permission, guard and effect, and is audited as an import by the named
 * actor: an import is not a back door into the store.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include <string.h>

#include "import.h"
#include "record.h"

struct _MzImportBatch
{
  MzServices *services;
  MzActor actor;
  char *correlation_id;
  GArray *requests;          /* MzActRequest */
  GPtrArray *sources;        /* per request: the file's name in problems, or NULL */
  GArray *lines;             /* per request: guint line */
  GPtrArray *strings;        /* plugin/kind/action names the requests point to */
  GPtrArray *problems;       /* MzImportProblem * */
  const char *action;        /* of the last file added */
  gboolean committed;
};

MzImportBatch *
mz_import_batch_new (MzServices    *services,
                     const MzActor *actor,
                     const char    *correlation_id)
{
  MzImportBatch *batch;

  g_return_val_if_fail (services != NULL, NULL);
  g_return_val_if_fail (actor != NULL && actor->user != NULL && actor->role != NULL, NULL);

  batch = g_new0 (MzImportBatch, 1);
  batch->services = services;
  batch->strings = g_ptr_array_new_with_free_func (g_free);
  batch->actor.user = g_strdup (actor->user);
  batch->actor.role = g_strdup (actor->role);
  batch->actor.session = g_strdup (actor->session);
  batch->actor.address = g_strdup (actor->address != NULL ? actor->address : "cli");
  batch->correlation_id = correlation_id != NULL ? g_strdup (correlation_id)
                                                 : g_uuid_string_random ();
  batch->requests = g_array_new (FALSE, TRUE, sizeof (MzActRequest));
  batch->sources = g_ptr_array_new ();
  batch->lines = g_array_new (FALSE, TRUE, sizeof (guint));
  batch->problems = g_ptr_array_new_with_free_func (mz_import_problem_free);
  return batch;
}

void
mz_import_batch_free (MzImportBatch *batch)
{
  if (batch == NULL)
    return;
  for (guint i = 0; i < batch->requests->len; i++)
    g_clear_pointer (&g_array_index (batch->requests, MzActRequest, i).inputs, g_hash_table_unref);
  g_array_unref (batch->requests);
  g_ptr_array_unref (batch->sources);
  g_array_unref (batch->lines);
  g_ptr_array_unref (batch->problems);
  g_ptr_array_unref (batch->strings);
  g_free ((char *) batch->actor.user);
  g_free ((char *) batch->actor.role);
  g_free ((char *) batch->actor.session);
  g_free ((char *) batch->actor.address);
  g_free (batch->correlation_id);
  g_free (batch);
}

/* A string that lives as long as the batch, for the requests to point to. */
static const char *
batch_intern (MzImportBatch *batch,
              const char    *text)
{
  for (guint i = 0; i < batch->strings->len; i++)
    if (g_strcmp0 (g_ptr_array_index (batch->strings, i), text) == 0)
      return g_ptr_array_index (batch->strings, i);
  g_ptr_array_add (batch->strings, g_strdup (text));
  return g_ptr_array_index (batch->strings, batch->strings->len - 1);
}

const MzActionDef *
mz_import_default_action (const MzKindDef *kind,
                          GError         **error)
{
  const MzActionDef *only = NULL;
  g_autoptr (GString) names = g_string_new (NULL);
  guint n_create = 0;

  g_return_val_if_fail (kind != NULL, NULL);

  for (const MzActionDef *a = kind->actions; a != NULL && a->name != NULL; a++)
    {
      if ((a->flags & MZ_ACTION_CREATE) == 0 || (a->flags & MZ_ACTION_SYSTEM) != 0)
        continue;
      if (strcmp (a->name, "import") == 0)
        return a;
      only = a;
      n_create++;
      g_string_append_printf (names, "%s%s", names->len > 0 ? "、" : "", a->name);
    }
  if (n_create == 1)
    return only;
  if (n_create == 0)
    g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_TARGET,
                 "“%s”（%s）没有新建记录的动作，不能导入 [import.no_create_action]",
                 kind->label, kind->name);
  else
    g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_TARGET,
                 "“%s”（%s）有多个新建记录的动作（%s），请用 --action 指定一个 "
                 "[import.ambiguous_action]", kind->label, kind->name, names->str);
  return NULL;
}

static const MzActionDef *
choose_action (const MzKind *kind,
               const char   *name,
               GError      **error)
{
  const MzActionDef *def;

  if (name == NULL)
    return mz_import_default_action (kind->def, error);
  def = mz_kind_action (kind, name);
  if (def == NULL || (def->flags & MZ_ACTION_CREATE) == 0 || (def->flags & MZ_ACTION_SYSTEM) != 0)
    {
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_TARGET,
                   "“%s”（%s）没有名为 %s 的新建记录动作，不能用它导入 [import.no_such_action]",
                   kind->def->label, kind->qualified, name);
      return NULL;
    }
  return def;
}

/* Every column must be an input of the action; all strangers are named at
 * once, with the columns that would be accepted. */
static gboolean
check_columns (const MzKind      *kind,
               const MzActionDef *action,
               GPtrArray         *columns,
               GError           **error)
{
  g_autoptr (GString) unknown = g_string_new (NULL);
  g_autoptr (GString) allowed = g_string_new (NULL);
  const char *const *inputs = action->inputs;

  for (guint i = 0; i < columns->len; i++)
    {
      const char *column = g_ptr_array_index (columns, i);

      if (inputs == NULL || !g_strv_contains (inputs, column))
        g_string_append_printf (unknown, "%s%s", unknown->len > 0 ? "、" : "", column);
    }
  if (unknown->len == 0)
    return TRUE;
  for (const char *const *in = inputs; in != NULL && *in != NULL; in++)
    g_string_append_printf (allowed, "%s%s", allowed->len > 0 ? "、" : "", *in);
  g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_UNKNOWN_COLUMN,
               "未知的列：%s（“%s”的动作 %s 可用的列：%s） [import.unknown_column]",
               unknown->str, kind->def->label, action->name,
               allowed->len > 0 ? allowed->str : "无");
  return FALSE;
}

gboolean
mz_import_batch_add_data (MzImportBatch  *batch,
                          const char     *plugin,
                          const char     *kind_name,
                          const char     *action_name,
                          MzImportFormat  format,
                          const char     *source,
                          const char     *data,
                          gsize           length,
                          GError        **error)
{
  const MzKind *kind;
  const MzActionDef *action;
  g_autoptr (MzImportTable) table = NULL;
  g_autofree const char **columns = NULL;
  const char *source_name;

  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (!batch->committed, FALSE);
  g_return_val_if_fail (plugin != NULL && kind_name != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  kind = mz_services_lookup_kind (batch->services, plugin, kind_name);
  if (kind == NULL)
    {
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_TARGET,
                   "没有已启用的插件 %s 的记录类型 %s [import.no_such_kind]", plugin, kind_name);
      return FALSE;
    }
  action = choose_action (kind, action_name, error);
  if (action == NULL)
    return FALSE;

  table = mz_import_table_parse (data, length, format, error);
  if (table == NULL || !check_columns (kind, action, table->columns, error))
    return FALSE;

  source_name = source != NULL ? batch_intern (batch, source) : NULL;
  for (guint i = 0; i < table->problems->len; i++)
    {
      MzImportProblem *p = g_ptr_array_index (table->problems, i);

      p->source = g_strdup (source_name);
    }
  g_ptr_array_extend_and_steal (batch->problems, g_steal_pointer (&table->problems));
  table->problems = g_ptr_array_new ();

  plugin = batch_intern (batch, plugin);
  kind_name = batch_intern (batch, kind_name);
  batch->action = batch_intern (batch, action->name);
  columns = g_new0 (const char *, table->columns->len);
  for (guint c = 0; c < table->columns->len; c++)
    columns[c] = batch_intern (batch, g_ptr_array_index (table->columns, c));
  for (guint i = 0; i < table->rows->len; i++)
    {
      MzImportRow *row = g_ptr_array_index (table->rows, i);
      MzActRequest request = { 0 };

      request.plugin = plugin;
      request.kind = kind_name;
      request.action = batch->action;
      request.actor = &batch->actor;
      request.correlation_id = batch->correlation_id;
      request.inputs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      for (guint c = 0; c < row->n_cells; c++)
        if (row->cells[c] != NULL)
          g_hash_table_insert (request.inputs, (gpointer) columns[c], g_steal_pointer (&row->cells[c]));
      g_array_append_val (batch->requests, request);
      g_ptr_array_add (batch->sources, (gpointer) source_name);
      g_array_append_val (batch->lines, row->line);
    }
  return TRUE;
}

gboolean
mz_import_batch_add_file (MzImportBatch  *batch,
                          const char     *plugin,
                          const char     *kind,
                          const char     *action,
                          MzImportFormat  format,
                          const char     *path,
                          gboolean        name_in_problems,
                          GError        **error)
{
  g_autofree char *data = NULL;
  g_autofree char *base = NULL;
  g_autoptr (GError) local = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_get_contents (path, &data, &length, &local))
    {
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_FILE,
                   "无法读取导入文件 %s：%s [import.file]", path, local->message);
      return FALSE;
    }
  if (format == MZ_IMPORT_FORMAT_AUTO)
    format = mz_import_format_guess (path);
  base = g_path_get_basename (path);
  return mz_import_batch_add_data (batch, plugin, kind, action, format,
                                   name_in_problems ? base : NULL, data, length, error);
}

/* "字段 husband_id（男方身份证号）：…" names its field; other refusals do not. */
static char *
field_of (const GError *error)
{
  const char *start, *end;

  if (error->domain != MZ_FIELD_ERROR || !g_str_has_prefix (error->message, "字段 "))
    return NULL;
  start = error->message + strlen ("字段 ");
  end = start;
  while (*end != '\0' && (g_ascii_isalnum (*end) || *end == '_'))
    end++;
  return end > start ? g_strndup (start, (gsize) (end - start)) : NULL;
}

static int
problem_compare (gconstpointer a,
                 gconstpointer b)
{
  const MzImportProblem *pa = *(const MzImportProblem *const *) a;
  const MzImportProblem *pb = *(const MzImportProblem *const *) b;
  int c = g_strcmp0 (pa->source, pb->source);

  if (c != 0)
    return c;
  return pa->line < pb->line ? -1 : pa->line > pb->line;
}

/* A problem of request @i, placed at its file and line. */
static void
batch_problem (MzImportBatch *batch,
               guint          i,
               const char    *field,
               const char    *message)
{
  MzImportProblem *p;

  mz_import_problem_add (batch->problems, g_array_index (batch->lines, guint, i), field, message);
  p = g_ptr_array_index (batch->problems, batch->problems->len - 1);
  p->source = g_strdup (g_ptr_array_index (batch->sources, i));
}

/* Rows that could not even be read stop the batch before the store sees
 * it; so that the clerk still learns of the other rows' bad values in the
 * same run, those are checked by type here (the rules of the guards need
 * the transaction and are checked once the file reads cleanly). */
static void
check_values (MzImportBatch *batch)
{
  g_autofree char *today = mz_services_today (batch->services);

  for (guint i = 0; i < batch->requests->len; i++)
    {
      MzActRequest *request = &g_array_index (batch->requests, MzActRequest, i);
      const MzKind *kind = mz_services_lookup_kind (batch->services, request->plugin, request->kind);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, request->inputs);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          int index = mz_kind_field (kind, key);
          const MzFieldDef *field;
          MzValue parsed = { 0 };
          g_autoptr (GError) error = NULL;

          if (index < 0)
            continue;
          field = &kind->def->fields[index];
          if (!mz_value_parse (field, value, today, &parsed, &error))
            {
              g_autofree char *message = NULL;

              if (!g_str_has_prefix (error->message, "字段 "))
                message = g_strdup_printf ("字段 %s（%s）：%s", field->name,
                                           field->label != NULL ? field->label : field->name,
                                           error->message);
              batch_problem (batch, i, key, message != NULL ? message : error->message);
            }
          mz_value_clear (&parsed);
        }
    }
}

static gboolean
fail_with_problems (MzImportBatch *batch,
                    GError       **error)
{
  g_ptr_array_sort (batch->problems, problem_compare);
  g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_ROWS,
               "有 %u 处错误，没有导入任何记录；改正后请重新导入整个文件 [import.rows]",
               batch->problems->len);
  return FALSE;
}

gboolean
mz_import_batch_commit (MzImportBatch *batch,
                        GError       **error)
{
  g_autofree GError **errors = NULL;
  g_autofree MzActResult *results = NULL;
  g_autoptr (GError) local_error = NULL;
  guint n = 0;
  gboolean ok;

  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (!batch->committed, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  n = batch->requests->len;
  if (batch->problems->len > 0)
    {
      check_values (batch);
      return fail_with_problems (batch, error);
    }
  if (n == 0)
    {
      g_set_error (error, MZ_IMPORT_ERROR, MZ_IMPORT_ERROR_EMPTY, "没有要导入的记录 [import.empty]");
      return FALSE;
    }

  errors = g_new0 (GError *, n);
  results = g_new0 (MzActResult, n);
  ok = mz_services_act_all (batch->services, (const MzActRequest *) batch->requests->data, n,
                            "import", results, errors, &local_error);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *field = NULL;

      if (errors[i] == NULL)
        continue;
      field = field_of (errors[i]);
      batch_problem (batch, i, field, errors[i]->message);
      g_clear_error (&errors[i]);
    }
  if (ok)
    {
      batch->committed = TRUE;
      return TRUE;
    }
  if (batch->problems->len > 0)
    return fail_with_problems (batch, error);
  g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "导入失败，没有导入任何记录：");
  return FALSE;
}

guint
mz_import_batch_get_n_rows (MzImportBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);
  return batch->requests->len;
}

GPtrArray *
mz_import_batch_get_problems (MzImportBatch *batch)
{
  g_return_val_if_fail (batch != NULL, NULL);
  return batch->problems;
}

const char *
mz_import_batch_get_action (MzImportBatch *batch)
{
  g_return_val_if_fail (batch != NULL, NULL);
  return batch->action;
}
