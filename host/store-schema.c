/* minzheng host — the office database's schema (SQLite): see
 * store-schema.h.
 *
 * Every identifier spliced into a statement here (table, column, index
 * and state names) comes from a declaration that passed mz_kind_new's
 * checks; nothing from a request ever is.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "mz-config.h"

#include "record.h"
#include "store-schema.h"
#include "store-sqlite.h"

/* --- the statements of a kind's records ---------------------------------- */

MzStoreKind *
mz_store_kind_new (const MzKind *kind)
{
  MzStoreKind *sk = g_new0 (MzStoreKind, 1);
  g_autoptr (GString) select = g_string_new ("SELECT id, state, version, created_at, updated_at");
  g_autoptr (GString) insert = g_string_new (NULL);
  g_autoptr (GString) update = g_string_new (NULL);

  g_string_append_printf (insert, "INSERT INTO \"%s\" (state, version, created_at, updated_at", kind->table);
  g_string_append_printf (update, "UPDATE \"%s\" SET state = ?, version = version + 1, updated_at = ?",
                          kind->table);
  for (guint i = 0; i < kind->n_fields; i++)
    {
      g_string_append_printf (select, ", \"%s\"", kind->def->fields[i].name);
      g_string_append_printf (insert, ", \"%s\"", kind->def->fields[i].name);
      g_string_append_printf (update, ", \"%s\" = ?", kind->def->fields[i].name);
    }
  g_string_append_printf (select, " FROM \"%s\"", kind->table);
  g_string_append (insert, ") VALUES (?, 1, ?, ?");
  for (guint i = 0; i < kind->n_fields; i++)
    g_string_append (insert, ", ?");
  g_string_append (insert, ")");
  g_string_append (update, " WHERE id = ? AND version = ?");

  sk->select_sql = g_string_free (g_steal_pointer (&select), FALSE);
  sk->select_id_sql = g_strconcat (sk->select_sql, " WHERE id = ?", NULL);
  sk->insert_sql = g_string_free (g_steal_pointer (&insert), FALSE);
  sk->update_sql = g_string_free (g_steal_pointer (&update), FALSE);
  return sk;
}

void
mz_store_kind_free (MzStoreKind *sk)
{
  if (sk == NULL)
    return;
  g_free (sk->select_sql);
  g_free (sk->select_id_sql);
  g_free (sk->insert_sql);
  g_free (sk->update_sql);
  g_free (sk);
}

/* --- the host's own tables ----------------------------------------------- */

gboolean
mz_store_schema_create_host_tables (MzStore *store,
                                    GError **error)
{
  return mz_store_exec (store,
                        "CREATE TABLE IF NOT EXISTS mz_schema ("
                        " plugin TEXT NOT NULL, kind TEXT NOT NULL, version INTEGER NOT NULL,"
                        " definition TEXT NOT NULL, updated_at INTEGER NOT NULL,"
                        " PRIMARY KEY (plugin, kind));"
                        "CREATE TABLE IF NOT EXISTS mz_sequence ("
                        " plugin TEXT NOT NULL, counter TEXT NOT NULL, value INTEGER NOT NULL,"
                        " PRIMARY KEY (plugin, counter));"
                        "CREATE TABLE IF NOT EXISTS mz_record_action ("
                        " plugin TEXT NOT NULL, kind TEXT NOT NULL, record_id INTEGER NOT NULL,"
                        " action TEXT NOT NULL, actor_user TEXT NOT NULL, actor_role TEXT,"
                        " time_usec INTEGER NOT NULL, version INTEGER NOT NULL);"
                        "CREATE INDEX IF NOT EXISTS mz_record_action_record"
                        " ON mz_record_action (plugin, kind, record_id);"
                        "CREATE TABLE IF NOT EXISTS mz_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
                        error);
}

gboolean
mz_store_meta_ensure (MzStore    *store,
                      const char *key,
                      const char *value,
                      char      **out,
                      GError    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *out = NULL;
  stmt = mz_store_prepare (store, "INSERT OR IGNORE INTO mz_meta (key, value) VALUES (?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "初始化 mz_meta", error);

  stmt = mz_store_prepare (store, "SELECT value FROM mz_meta WHERE key = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *out = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "读取 mz_meta", error);
  return TRUE;
}

/* --- a kind's schema version and definition ------------------------------ */

gboolean
mz_store_schema_table_owner (MzStore      *store,
                             const MzKind *kind,
                             char        **other,
                             GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *other = NULL;
  stmt = mz_store_prepare (store,
                           "SELECT plugin, kind FROM mz_schema WHERE plugin || '_' || kind = ?"
                           " AND NOT (plugin = ? AND kind = ?)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind->table, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind->plugin->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, kind->def->name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *other = g_strdup_printf ("%s.%s", sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "读取 mz_schema", error);
  return TRUE;
}

gboolean
mz_store_schema_stored (MzStore      *store,
                        const MzKind *kind,
                        gint64       *version,
                        char        **definition,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  *version = 0;
  *definition = NULL;
  stmt = mz_store_prepare (store, "SELECT version, definition FROM mz_schema WHERE plugin = ? AND kind = ?",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind->plugin->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind->def->name, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *definition = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      *version = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "读取 mz_schema", error);
  return TRUE;
}

gboolean
mz_store_schema_record (MzStore      *store,
                        const MzKind *kind,
                        const char   *definition,
                        GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = mz_store_prepare (store,
                           "INSERT INTO mz_schema (plugin, kind, version, definition, updated_at)"
                           " VALUES (?, ?, ?, ?, strftime('%s','now'))"
                           " ON CONFLICT (plugin, kind) DO UPDATE SET version = excluded.version,"
                           " definition = excluded.definition, updated_at = excluded.updated_at"
                           " WHERE version != excluded.version OR definition != excluded.definition",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind->plugin->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind->def->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, kind->def->schema_version);
  sqlite3_bind_text (stmt, 4, definition, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "写入 mz_schema", error);
  return TRUE;
}

/* --- a kind's table, columns and indexes --------------------------------- */

static const char *
column_type (MzFieldType type)
{
  return mz_field_type_is_text (type) ? "TEXT" : "INTEGER";
}

static char *
column_sql (const MzKind     *kind,
            const MzFieldDef *f)
{
  if (f->type == MZ_FIELD_REFERENCE)
    {
      g_autofree char *target = g_strdup_printf ("%s_%s", kind->plugin->name, f->reference_kind);
      return g_strdup_printf ("\"%s\" INTEGER REFERENCES \"%s\" (id)", f->name, target);
    }
  return g_strdup_printf ("\"%s\" %s", f->name, column_type (f->type));
}

static gboolean
existing_columns (MzStore      *store,
                  const MzKind *kind,
                  GHashTable   *columns,
                  GError      **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT name FROM pragma_table_info('%s')", kind->table);
  sqlite3_stmt *stmt = mz_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "读取表结构", error);
  return TRUE;
}

char *
mz_store_index_name (const MzKind *kind,
                     const char   *index)
{
  return g_strdup_printf ("%s_%s", kind->table, index);
}

char *
mz_store_field_index_name (const MzKind *kind,
                           const char   *field)
{
  return g_strdup_printf ("%s_f_%s", kind->table, field);
}

static gboolean
create_indexes (MzStore      *store,
                const MzKind *kind,
                GError      **error)
{
  const MzKindDef *def = kind->def;

  for (guint i = 0; def->indexes != NULL && def->indexes[i].name != NULL; i++)
    {
      const MzIndexDef *ix = &def->indexes[i];
      g_autofree char *name = mz_store_index_name (kind, ix->name);
      g_autoptr (GString) sql = g_string_new (NULL);

      g_string_append_printf (sql, "CREATE %sINDEX IF NOT EXISTS \"%s\" ON \"%s\" (",
                              ix->unique ? "UNIQUE " : "", name, kind->table);
      for (guint j = 0; ix->fields[j] != NULL; j++)
        g_string_append_printf (sql, "%s\"%s\"", j > 0 ? ", " : "", ix->fields[j]);
      g_string_append (sql, ")");
      if (ix->unless_states != NULL && ix->unless_states[0] != NULL)
        {
          /* State names are validated identifiers: safe as SQL literals. */
          g_string_append (sql, " WHERE state NOT IN (");
          for (guint j = 0; ix->unless_states[j] != NULL; j++)
            g_string_append_printf (sql, "%s'%s'", j > 0 ? ", " : "", ix->unless_states[j]);
          g_string_append (sql, ")");
        }
      if (!mz_store_exec (store, sql->str, error))
        return FALSE;
    }
  for (guint i = 0; i < kind->n_fields; i++)
    if (def->fields[i].flags & MZ_FIELD_INDEXED)
      {
        g_autofree char *name = mz_store_field_index_name (kind, def->fields[i].name);
        g_autofree char *sql = g_strdup_printf ("CREATE INDEX IF NOT EXISTS \"%s\" ON \"%s\" (\"%s\")",
                                                name, kind->table, def->fields[i].name);
        if (!mz_store_exec (store, sql, error))
          return FALSE;
      }
  return TRUE;
}

gboolean
mz_store_schema_sync_table (MzStore      *store,
                            const MzKind *kind,
                            GError      **error)
{
  g_autoptr (GHashTable) columns = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GString) create = g_string_new (NULL);

  g_string_append_printf (create,
                          "CREATE TABLE IF NOT EXISTS \"%s\" ("
                          "id INTEGER PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL,"
                          " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL",
                          kind->table);
  for (guint i = 0; i < kind->n_fields; i++)
    {
      g_autofree char *col = column_sql (kind, &kind->def->fields[i]);
      g_string_append_printf (create, ", %s", col);
    }
  g_string_append (create, ")");
  if (!mz_store_exec (store, create->str, error) || !existing_columns (store, kind, columns, error))
    return FALSE;

  /* ALTER TABLE … ADD COLUMN for fields the stored table lacks. */
  for (guint i = 0; i < kind->n_fields; i++)
    if (!g_hash_table_contains (columns, kind->def->fields[i].name))
      {
        g_autofree char *col = column_sql (kind, &kind->def->fields[i]);
        g_autofree char *sql = g_strdup_printf ("ALTER TABLE \"%s\" ADD COLUMN %s", kind->table, col);

        if (!mz_store_exec (store, sql, error))
          return FALSE;
      }
  return create_indexes (store, kind, error);
}

gboolean
mz_store_schema_indexes (MzStore          *store,
                         const MzKind     *kind,
                         MzStoreIndexFunc  func,
                         gpointer          user_data,
                         GError          **error)
{
  sqlite3_stmt *stmt;
  int rc;

  /* origin 'c': made by CREATE INDEX, not behind a PRIMARY KEY or UNIQUE. */
  stmt = mz_store_prepare (store, "SELECT name, \"unique\" FROM pragma_index_list(?) WHERE origin = 'c'", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, kind->table, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func ((const char *) sqlite3_column_text (stmt, 0), sqlite3_column_int (stmt, 1) != 0, user_data);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return mz_store_set_error (sqlite3_db_handle (stmt), rc, "读取索引列表", error);
  return TRUE;
}

gboolean
mz_store_schema_drop_index (MzStore    *store,
                            const char *name,
                            GError    **error)
{
  /* The name is one the host built from validated identifiers. */
  g_autofree char *sql = g_strdup_printf ("DROP INDEX \"%s\"", name);

  return mz_store_exec (store, sql, error);
}
