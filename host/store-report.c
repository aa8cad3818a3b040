/* minzheng host — the reader of reports in the SQLite backend: hardening,
 * the authorizer, running a plugin's report queries, the host's counts.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "store-report.h"

#include <string.h>

#include "report.h"
#include "store-sqlite.h"

/* Functions a report query may call: aggregates, NULL handling, text and
 * date helpers.  Everything else (load_extension, randomblob, zeroblob,
 * the sqlite_* introspection functions ...) is refused. */
static const char *const allowed_functions[] = {
  "count", "sum", "total", "min", "max", "avg", "group_concat",
  "coalesce", "ifnull", "nullif", "iif", "abs", "round",
  "length", "lower", "upper", "trim", "ltrim", "rtrim", "substr", "substring",
  "instr", "replace", "like", "glob", "printf", "format", "typeof", "cast",
  "date", "time", "datetime", "julianday", "strftime", "unixepoch",
  NULL
};

struct _MzStoreReportScope
{
  sqlite3 *db;
  char *plugin;
  GHashTable *tables;        /* tables the plugin may read */
  GHashTable *personal;      /* "table.column" it may not read */
  char *denied;              /* what the authorizer refused first */
  gint64 limit_usec;
  gint64 deadline;           /* monotonic µs; later queries are interrupted */
};

void
mz_store_report_harden (MzStoreReader *reader)
{
  sqlite3 *db;

  g_return_if_fail (reader != NULL);

  db = mz_store_reader_db (reader);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
  sqlite3_limit (db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_exec (db, "PRAGMA mmap_size = 1073741824", NULL, NULL, NULL);
}

MzStoreReader *
mz_store_report_reader_open (const char *path,
                             GError    **error)
{
  MzStoreReader *reader;
  sqlite3 *db = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_STORE,
                   "无法以只读方式打开数据库 %s：%s [report.store]",
                   path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close (db);
      return NULL;
    }
  reader = mz_store_reader_adopt (db);
  sqlite3_busy_timeout (db, 5000);
  mz_store_report_harden (reader);
  rc = sqlite3_exec (db, "PRAGMA query_only = ON", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_STORE,
                   "无法以只读方式打开数据库 %s：%s [report.store]", path, sqlite3_errmsg (db));
      mz_store_reader_close (reader);
      return NULL;
    }
  return reader;
}

/* Describes what the authorizer refused, in words a plugin author acts on. */
static char *
describe_denial (int         action,
                 const char *arg1,
                 const char *arg2)
{
  switch (action)
    {
    case SQLITE_READ:
      if (arg1 != NULL && arg2 != NULL && *arg2 != '\0')
        return g_strdup_printf ("读取表 %s 的列 %s", arg1, arg2);
      return g_strdup_printf ("读取表 %s", arg1 != NULL ? arg1 : "?");
    case SQLITE_FUNCTION:
      return g_strdup_printf ("调用函数 %s()", arg2 != NULL ? arg2 : "?");
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
      return g_strdup_printf ("写入表 %s", arg1 != NULL ? arg1 : "?");
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
      return g_strdup ("附加或分离数据库（ATTACH/DETACH）");
    case SQLITE_PRAGMA:
      return g_strdup_printf ("执行 PRAGMA %s", arg1 != NULL ? arg1 : "");
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
      return g_strdup ("控制事务");
    case SQLITE_RECURSIVE:
      return g_strdup ("递归查询（WITH RECURSIVE）");
    default:
      return g_strdup_printf ("修改数据库或其结构（SQLite 操作 %d）", action);
    }
}

/* The authorizer: SELECT, reads of the plugin's own tables in the main
 * database except their personal columns, and the functions listed above.
 * Reports print figures, never a person: a personal value read here would
 * escape the audit of personal reads.  SQLITE_DENY (not IGNORE) so that a
 * forbidden read fails loudly instead of reading NULLs. */
static int
report_authorize (void       *data,
                  int         action,
                  const char *arg1,
                  const char *arg2,
                  const char *db_name,
                  const char *trigger)
{
  MzStoreReportScope *scope = data;

  switch (action)
    {
    case SQLITE_SELECT:
      return SQLITE_OK;
    case SQLITE_READ:
      /* count(*) reads no column and SQLite names no database for it. */
      if (arg1 != NULL && (db_name == NULL || strcmp (db_name, "main") == 0)
          && g_hash_table_contains (scope->tables, arg1))
        {
          g_autofree char *column = g_strconcat (arg1, ".", arg2 != NULL ? arg2 : "", NULL);

          if (!g_hash_table_contains (scope->personal, column))
            return SQLITE_OK;
          if (scope->denied == NULL)
            scope->denied = g_strdup_printf ("读取个人信息 %s（报表只输出统计数字）", column);
          return SQLITE_DENY;
        }
      break;
    case SQLITE_FUNCTION:
      if (arg2 != NULL && g_strv_contains (allowed_functions, arg2))
        return SQLITE_OK;
      break;
    default:
      break;
    }
  if (scope->denied == NULL)
    scope->denied = describe_denial (action, arg1, arg2);
  return SQLITE_DENY;
}

static int
report_progress (void *data)
{
  MzStoreReportScope *scope = data;

  return g_get_monotonic_time () > scope->deadline ? 1 : 0;
}

MzStoreReportScope *
mz_store_report_scope_begin (MzStoreReader      *reader,
                             const char         *plugin,
                             const char *const  *tables,
                             const char *const  *personal,
                             gint64              limit_usec)
{
  MzStoreReportScope *scope;

  g_return_val_if_fail (reader != NULL, NULL);
  g_return_val_if_fail (plugin != NULL, NULL);

  scope = g_new0 (MzStoreReportScope, 1);
  scope->db = mz_store_reader_db (reader);
  scope->plugin = g_strdup (plugin);
  scope->tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scope->personal = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (const char *const *t = tables; t != NULL && *t != NULL; t++)
    g_hash_table_add (scope->tables, g_strdup (*t));
  for (const char *const *c = personal; c != NULL && *c != NULL; c++)
    g_hash_table_add (scope->personal, g_strdup (*c));
  scope->limit_usec = limit_usec;
  scope->deadline = g_get_monotonic_time () + limit_usec;
  sqlite3_set_authorizer (scope->db, report_authorize, scope);
  sqlite3_progress_handler (scope->db, 10000, report_progress, scope);
  return scope;
}

char *
mz_store_report_scope_end (MzStoreReportScope *scope)
{
  char *denied;

  g_return_val_if_fail (scope != NULL, NULL);

  sqlite3_progress_handler (scope->db, 0, NULL, NULL);
  sqlite3_set_authorizer (scope->db, NULL, NULL);
  denied = g_steal_pointer (&scope->denied);
  g_hash_table_unref (scope->tables);
  g_hash_table_unref (scope->personal);
  g_free (scope->plugin);
  g_free (scope);
  return denied;
}

static gboolean
query_failed (MzStoreReportScope *scope,
              int                 rc,
              GError            **error)
{
  if (scope->denied != NULL)
    mz_report_set_denied (error, scope->plugin, scope->denied);
  else if (rc == SQLITE_INTERRUPT)
    g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                 "插件 %s 的报表查询超过 %d 秒，已中止 [report.timeout]",
                 scope->plugin, (int) (scope->limit_usec / G_USEC_PER_SEC));
  else
    g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                 "插件 %s 的报表查询出错：%s [report.query]",
                 scope->plugin, sqlite3_errmsg (scope->db));
  return FALSE;
}

static gboolean
only_blanks (const char *tail)
{
  for (; tail != NULL && *tail != '\0'; tail++)
    if (!g_ascii_isspace (*tail) && *tail != ';')
      return FALSE;
  return TRUE;
}

/* Prepares one statement in @scope with the parameters bound as text. */
static sqlite3_stmt *
query_prepare (MzStoreReportScope *scope,
               const char         *sql,
               const char *const  *params,
               GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  const char *tail = NULL;
  guint n_params = params != NULL ? g_strv_length ((char **) params) : 0;
  int rc;

  rc = sqlite3_prepare_v2 (scope->db, sql, -1, &stmt, &tail);
  if (rc != SQLITE_OK || stmt == NULL)
    {
      if (rc == SQLITE_OK)
        g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                     "插件 %s 的报表查询是空的 [report.query]", scope->plugin);
      else
        query_failed (scope, rc, error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  if (!only_blanks (tail) || !sqlite3_stmt_readonly (stmt))
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                   "插件 %s 的报表查询须是一条只读的 SELECT 语句 [report.query]", scope->plugin);
      sqlite3_finalize (stmt);
      return NULL;
    }
  if ((guint) sqlite3_bind_parameter_count (stmt) != n_params)
    {
      g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                   "插件 %s 的报表查询有 %d 个参数占位符，却给了 %u 个值 [report.query]",
                   scope->plugin, sqlite3_bind_parameter_count (stmt), n_params);
      sqlite3_finalize (stmt);
      return NULL;
    }
  for (guint i = 0; i < n_params; i++)
    sqlite3_bind_text (stmt, (int) i + 1, params[i], -1, SQLITE_TRANSIENT);
  return stmt;
}

gboolean
mz_store_report_query (MzStoreReportScope *scope,
                       const char         *sql,
                       const char *const  *params,
                       MzRowFunc           func,
                       gpointer            user_data,
                       GError            **error)
{
  sqlite3_stmt *stmt;
  g_autofree const char **values = NULL;
  int n_columns, rc;

  g_return_val_if_fail (scope != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  stmt = query_prepare (scope, sql, params, error);
  if (stmt == NULL)
    return FALSE;

  n_columns = sqlite3_column_count (stmt);
  values = g_new0 (const char *, n_columns + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      for (int i = 0; i < n_columns; i++)
        values[i] = (const char *) sqlite3_column_text (stmt, i);
      if (func != NULL && !func ((guint) n_columns, values, user_data, error))
        {
          sqlite3_finalize (stmt);
          return FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      query_failed (scope, rc, error);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

gboolean
mz_store_report_query_int64 (MzStoreReportScope *scope,
                             const char         *sql,
                             const char *const  *params,
                             gint64             *out,
                             GError            **error)
{
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;
  int rc;

  g_return_val_if_fail (scope != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = 0;
  stmt = query_prepare (scope, sql, params, error);
  if (stmt == NULL)
    return FALSE;

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_count (stmt) > 0)
    {
      switch (sqlite3_column_type (stmt, 0))
        {
        case SQLITE_INTEGER:
          *out = sqlite3_column_int64 (stmt, 0);
          break;
        case SQLITE_NULL:
          break;
        default:
          ok = FALSE;
          g_set_error (error, MZ_REPORT_ERROR, MZ_REPORT_ERROR_QUERY,
                       "插件 %s 的报表查询结果“%s”不是整数 [report.not_integer]",
                       scope->plugin, (const char *) sqlite3_column_text (stmt, 0));
          break;
        }
    }
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    ok = query_failed (scope, rc, error);
  sqlite3_finalize (stmt);
  return ok;
}

gint64
mz_store_report_count_rows (MzStoreReader *reader,
                            const char    *table)
{
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = 0;

  g_return_val_if_fail (reader != NULL, 0);
  g_return_val_if_fail (table != NULL, 0);

  sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", table);
  if (sqlite3_prepare_v2 (mz_store_reader_db (reader), sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}
