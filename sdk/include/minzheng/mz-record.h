/* minzheng SDK — what a plugin declares: record kinds, workflows, due work
 * and reports.  Declarations are constant data the plugin keeps for its whole
 * life; the host copies nothing it does not need and never writes to them.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#if !defined (__MINZHENG_H_INSIDE__) && !defined (MINZHENG_COMPILATION)
#error "Only <minzheng/minzheng.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/* Opaque handles the host passes to plugin callbacks.  Their contents are
 * reached only through MzHost functions. */
typedef struct _MzRecord MzRecord;   /* one record as stored: id, state, version, values */
typedef struct _MzAction MzAction;   /* one action in progress inside the write transaction */
typedef struct _MzReport MzReport;   /* one report section being built */

/**
 * MzFieldType:
 * @MZ_FIELD_TEXT: UTF-8 text, at most @max_length characters
 * @MZ_FIELD_INTEGER: 64-bit integer within [@min, @max]
 * @MZ_FIELD_DATE: calendar date "YYYY-MM-DD" (office-local)
 * @MZ_FIELD_MONEY: amount in fen (分), integer, never negative unless @min says so
 * @MZ_FIELD_ENUM: one of @enum_values, stored by value, shown by label
 * @MZ_FIELD_BOOLEAN: 0 or 1 ("true"/"false"/"是"/"否" accepted on input)
 * @MZ_FIELD_ID_NUMBER: 居民身份证号码 (GB 11643-1999), normalised to upper-case X
 * @MZ_FIELD_USCC: 统一社会信用代码 (GB 32100-2015)
 * @MZ_FIELD_DIVISION: 行政区划代码 (GB/T 2260), six digits
 * @MZ_FIELD_REFERENCE: id of a record of @reference_kind
 * @MZ_FIELD_DATETIME: UTC instant, ISO 8601 "YYYY-MM-DDTHH:MM:SSZ"
 *
 * Values cross the API as text (dates, enums, identifiers) or 64-bit
 * integers (integer, money, boolean, reference).
 */
typedef enum
{
  MZ_FIELD_TEXT = 1,
  MZ_FIELD_INTEGER,
  MZ_FIELD_DATE,
  MZ_FIELD_MONEY,
  MZ_FIELD_ENUM,
  MZ_FIELD_BOOLEAN,
  MZ_FIELD_ID_NUMBER,
  MZ_FIELD_USCC,
  MZ_FIELD_DIVISION,
  MZ_FIELD_REFERENCE,
  MZ_FIELD_DATETIME,
} MzFieldType;

/**
 * MzFieldFlags:
 * @MZ_FIELD_REQUIRED: must be present when the record is created
 * @MZ_FIELD_PERSONAL: personal data: masked for roles without the
 *   personal-data permission, and every read of it is audited
 * @MZ_FIELD_INDEXED: the host keeps an index on it (for find and reports)
 * @MZ_FIELD_LEGACY_ID: an ID number field that also accepts 15-digit legacy numbers
 */
typedef enum
{
  MZ_FIELD_FLAGS_NONE = 0,
  MZ_FIELD_REQUIRED = 1 << 0,
  MZ_FIELD_PERSONAL = 1 << 1,
  MZ_FIELD_INDEXED = 1 << 2,
  MZ_FIELD_LEGACY_ID = 1 << 3,
} MzFieldFlags;

typedef struct
{
  const char *value;   /* stored and used by programs: "dibao" */
  const char *label;   /* shown to clerks: "最低生活保障对象" */
} MzEnumValue;

/**
 * MzFieldDef:
 * @name: `[a-z][a-z0-9_]*`; becomes the column name
 * @label: Chinese label used in forms and error messages
 * @type: an #MzFieldType
 * @flags: #MzFieldFlags
 * @max_length: text: maximum length in characters (0 = 256)
 * @min: integer/money: smallest allowed value
 * @max: integer/money: largest allowed value (0 together with @min 0 = no bound;
 *   money is never negative unless @min is negative)
 * @enum_values: enum: array terminated by { NULL, NULL }
 * @reference_kind: reference: name of a kind of the same plugin
 * @since: the kind's schema version that added this field (0 or 1 = from the start)
 *
 * Arrays of fields end with an element whose @name is %NULL.
 */
typedef struct
{
  const char *name;
  const char *label;
  MzFieldType type;
  MzFieldFlags flags;
  guint max_length;
  gint64 min;
  gint64 max;
  const MzEnumValue *enum_values;
  const char *reference_kind;
  guint since;
} MzFieldDef;

/**
 * MzIndexDef:
 * @name: `[a-z][a-z0-9_]*`, unique within the kind
 * @fields: %NULL-terminated field names
 * @unique: the combination may be held by one record only
 * @unless_states: for unique keys: records in these states do not hold the
 *   key (e.g. a rejected application does not block a new one); %NULL-terminated, may be %NULL
 * @since: schema version that added the index
 *
 * Arrays of indexes end with an element whose @name is %NULL.
 */
typedef struct
{
  const char *name;
  const char *const *fields;
  gboolean unique;
  const char *const *unless_states;
  guint since;
} MzIndexDef;

/**
 * MzStateDef:
 * @name: `[a-z][a-z0-9_]*`
 * @label: Chinese label ("冷静期")
 * @final: no action leads out of it
 *
 * Arrays of states end with an element whose @name is %NULL.  Records
 * created by an action start in that action's @to state.
 */
typedef struct
{
  const char *name;
  const char *label;
  gboolean final;
} MzStateDef;

/* Guards check business rules and must not change anything; effects run
 * after every guard passed, inside the same transaction, and may set fields
 * (mz_host->action_set_*) or draw sequence numbers.  Either returns FALSE
 * with @error set to refuse the whole action.
 *
 * The host may call a guard and an effect more than once for one request:
 * when an action committed in the same group as this one is refused after
 * it changed something (this one included), the host rolls the whole
 * group back and runs its actions again.  What the first call changed in
 * the store through the host is undone; what it did elsewhere (a log
 * line, the plugin's own memory) is not.  So both must change things only
 * through the MzAction they are given, and keep nothing of their own from
 * one call to the next. */
typedef gboolean (*MzActionFunc) (MzAction *action, gpointer user_data, GError **error);

/**
 * MzActionFlags:
 * @MZ_ACTION_CREATE: creates a new record (no @from states)
 * @MZ_ACTION_SYSTEM: performed only by the host's due-work job, audited as the system
 * @MZ_ACTION_REASON_REQUIRED: the caller must give a reason (rejections, withdrawals)
 */
typedef enum
{
  MZ_ACTION_FLAGS_NONE = 0,
  MZ_ACTION_CREATE = 1 << 0,
  MZ_ACTION_SYSTEM = 1 << 1,
  MZ_ACTION_REASON_REQUIRED = 1 << 2,
} MzActionFlags;

/**
 * MzActionDef:
 * @name: `[a-z][a-z0-9_]*` ("register", "approve")
 * @label: Chinese label ("登记")
 * @flags: #MzActionFlags
 * @from: %NULL-terminated states the action may start from (%NULL for create actions)
 * @to: the state the record is in afterwards
 * @permission: the permission the actor's role needs ("funeral.approve")
 * @inputs: %NULL-terminated fields the caller may set with this action (others are refused)
 * @distinct_from: %NULL-terminated names of actions whose actor on this record
 *   may not perform this one (separation of duties), may be %NULL
 * @guard: business rules, may be %NULL
 * @effect: changes beyond the inputs, may be %NULL
 * @user_data: passed to @guard and @effect
 *
 * Arrays of actions end with an element whose @name is %NULL.
 */
typedef struct
{
  const char *name;
  const char *label;
  MzActionFlags flags;
  const char *const *from;
  const char *to;
  const char *permission;
  const char *const *inputs;
  const char *const *distinct_from;
  MzActionFunc guard;
  MzActionFunc effect;
  gpointer user_data;
} MzActionDef;

/**
 * MzKindDef:
 * @struct_size: sizeof (MzKindDef); set with MZ_KIND_DEF_INIT
 * @name: `[a-z][a-z0-9_]*`, unique within the plugin
 * @label: Chinese label ("结婚登记")
 * @schema_version: grows by one whenever fields or indexes are added
 * @fields: field array
 * @indexes: index array, may be %NULL
 * @states: state array
 * @actions: action array
 *
 * The host stores records of kind K of plugin P in its own table and adds
 * to the declared fields the columns every record has: `id`, `state`,
 * `version`, `created_at` and `updated_at`.  Report queries name that table
 * as `P_K` (e.g. `marriage_registration`).
 */
typedef struct
{
  gsize struct_size;
  const char *name;
  const char *label;
  guint schema_version;
  const MzFieldDef *fields;
  const MzIndexDef *indexes;
  const MzStateDef *states;
  const MzActionDef *actions;
  /*< private >*/
  gpointer reserved[4];
} MzKindDef;

#define MZ_KIND_DEF_INIT .struct_size = sizeof (MzKindDef)

/**
 * MzDueDef:
 * @name: `[a-z][a-z0-9_]*`
 * @label: Chinese description shown by `mzctl due` ("离婚登记申请逾期未领证，视为撤回")
 * @kind: the plugin's kind
 * @states: %NULL-terminated states in which a record is watched
 * @date_field: a date or datetime field the deadline counts from
 * @after_days: due when today is later than @date_field + @after_days
 * @action: a %MZ_ACTION_SYSTEM action the host applies when due, or %NULL to only list it
 *
 * Arrays end with an element whose @name is %NULL.
 */
typedef struct
{
  const char *name;
  const char *label;
  const char *kind;
  const char *const *states;
  const char *date_field;
  gint after_days;
  const char *action;
} MzDueDef;

/* Fills one report section for the period [@from, @to] (inclusive dates,
 * "YYYY-MM-DD") with mz_host->report_* calls. */
typedef gboolean (*MzReportFunc) (MzReport   *report,
                                  const char *from,
                                  const char *to,
                                  gpointer    user_data,
                                  GError    **error);

typedef struct
{
  const char *title;        /* section title, "婚姻登记" */
  MzReportFunc build;
  gpointer user_data;
} MzReportDef;

/* Called once per row by report_query; values are the columns as text
 * (NULL for SQL NULL). */
typedef gboolean (*MzRowFunc) (guint               n_columns,
                               const char *const  *values,
                               gpointer            user_data,
                               GError            **error);

/* Called once per record found by action_find. Return FALSE to stop. */
typedef gboolean (*MzRecordFunc) (const MzRecord *record, gpointer user_data);

/**
 * MzConditionOp:
 * comparison for MzCondition, applied to the stored value
 */
typedef enum
{
  MZ_OP_EQ = 1,
  MZ_OP_NE,
  MZ_OP_LT,
  MZ_OP_LE,
  MZ_OP_GT,
  MZ_OP_GE,
} MzConditionOp;

/**
 * MzCondition:
 * @field: a declared field or one of `id`, `state`
 * @op: the comparison
 * @value: the value as text (numbers in decimal)
 *
 * Conditions are ANDed; an array ends with an element whose @field is %NULL.
 */
typedef struct
{
  const char *field;
  MzConditionOp op;
  const char *value;
} MzCondition;

/**
 * MzActor:
 * who performs an action: the user, the role, the session and the source
 * address ("127.0.0.1", "cli"), for the audit log and permission checks.
 */
typedef struct
{
  const char *user;
  const char *role;
  const char *session;
  const char *address;
} MzActor;

G_END_DECLS
