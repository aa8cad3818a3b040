/* marriage plugin — what plugin.c shares with the kind and report files.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>

G_BEGIN_DECLS

/* The host table and this plugin's handle, set once by init before any
 * kind is registered, and read-only afterwards. */
extern const MzHost *mz_marriage_host;
extern MzPlugin *mz_marriage_self;

extern const MzKindDef mz_marriage_registration_kind;
extern const MzKindDef mz_marriage_divorce_kind;
extern const MzKindDef mz_marriage_replacement_kind;
extern const MzKindDef mz_marriage_refusal_kind;
extern const MzDueDef mz_marriage_due[];
extern const MzReportDef mz_marriage_report;

/* Enum values shared by several kinds. */
extern const MzEnumValue mz_marriage_sex_values[];
extern const MzEnumValue mz_marriage_side_values[];

/* The fields of one party of a marriage application, and of both with the
 * declaration: shared by `registration` and `refusal`. */
#define MZ_MARRIAGE_PARTY_FIELDS(side, label)                                                  \
  { side "_name", label "姓名", MZ_FIELD_TEXT, MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL, 64 },   \
  { side "_id_number", label "身份证号码", MZ_FIELD_ID_NUMBER,                                  \
    MZ_FIELD_REQUIRED | MZ_FIELD_PERSONAL | MZ_FIELD_INDEXED },                                \
  { side "_sex", label "性别", MZ_FIELD_ENUM, MZ_FIELD_FLAGS_NONE, 0, 0, 0,                     \
    mz_marriage_sex_values },                                                                  \
  { side "_birth_date", label "出生日期", MZ_FIELD_DATE, MZ_FIELD_PERSONAL },                    \
  { side "_nationality", label "国籍", MZ_FIELD_TEXT, MZ_FIELD_FLAGS_NONE, 32 },                \
  { side "_present", label "亲自到场", MZ_FIELD_BOOLEAN }

#define MZ_MARRIAGE_APPLICATION_FIELDS                                                         \
  MZ_MARRIAGE_PARTY_FIELDS ("man", "男方"),                                                    \
  MZ_MARRIAGE_PARTY_FIELDS ("woman", "女方"),                                                  \
  { "declaration_signed", "已签署无配偶及无禁止结婚亲属关系声明", MZ_FIELD_BOOLEAN }

/* What the clerk records of consent and kinship (民法典第一千零四十六条,
 * 第一千零四十八条): each party's confirmation in person of marrying of
 * their own free will, and the clerk's finding of a prohibited kinship.
 * Added after the kinds' first versions, so they come last, with the
 * version of the kind that added them. */
#define MZ_MARRIAGE_CONSENT_FIELDS(since)                                                      \
  { "man_voluntary", "男方当面确认自愿结婚", MZ_FIELD_BOOLEAN, MZ_FIELD_FLAGS_NONE, 0, 0, 0,       \
    NULL, NULL, since },                                                                       \
  { "woman_voluntary", "女方当面确认自愿结婚", MZ_FIELD_BOOLEAN, MZ_FIELD_FLAGS_NONE, 0, 0, 0,     \
    NULL, NULL, since },                                                                       \
  { "prohibited_kinship", "经审查双方为直系血亲或三代以内旁系血亲", MZ_FIELD_BOOLEAN,             \
    MZ_FIELD_FLAGS_NONE, 0, 0, 0, NULL, NULL, since }

#define MZ_MARRIAGE_PARTY_INPUTS(side)                                                         \
  side "_name", side "_id_number", side "_sex", side "_birth_date", side "_nationality",        \
  side "_present", side "_voluntary"

#define MZ_MARRIAGE_APPLICATION_INPUTS                                                         \
  MZ_MARRIAGE_PARTY_INPUTS ("man"), MZ_MARRIAGE_PARTY_INPUTS ("woman"), "declaration_signed",  \
  "prohibited_kinship"

/* Every rule of a marriage registration on the action's values: rules.c on
 * both parties, then, unless @historical, that neither has a marriage in
 * this office's records that has not ended.  The date is the host's today,
 * or registration_date when @historical. */
gboolean mz_marriage_registration_check (MzAction *action,
                                         gboolean  historical,
                                         GError  **error);

/* A value of the action: what the caller supplied, else what the record
 * held before the action (NULL / @fallback when neither has it). */
const char *mz_marriage_value_text (MzAction *action, const char *field);
gint64 mz_marriage_value_int64 (MzAction *action, const char *field, gint64 fallback);

/* Refuses with a field error when @field has no value in the action. */
gboolean mz_marriage_value_require (MzAction   *action,
                                    const char *field,
                                    const char *label,
                                    GError    **error);

/* [plugin.marriage] promised_days: days from acceptance within which a
 * registration or replacement is on time (0–365, default 0). */
gboolean mz_marriage_promised_days (gint64 *out, GError **error);

/* Refuses an import whose @date is after the host's today. */
gboolean mz_marriage_date_not_future (MzAction   *action,
                                      const char *field,
                                      const char *label,
                                      GError    **error);

/**
 * MzMarriageFound:
 * what the kinds need of a record an action_find returned: its id, state,
 * certificate number and parties' ID numbers
 */
typedef struct
{
  gint64 id;
  char state[32];
  char certificate[40];
  char man_id[19];
  char woman_id[19];
} MzMarriageFound;

/* The first record of @kind with @field == @value (in one of @states when
 * not NULL); @found->id is 0 when there is none. */
gboolean mz_marriage_find_first (MzAction           *action,
                                 const char         *kind,
                                 const char         *field,
                                 const char         *value,
                                 const char *const  *states,
                                 MzMarriageFound    *found,
                                 GError            **error);

/* Draws the next number of @prefix for the year of @date from this office's
 * counter and sets @field to the formatted certificate number.  A number
 * already held by an imported record of @kind is passed over (drawn again),
 * so live numbering continues after imported history without duplicates
 * and every number up to the counter is held by some record. */
gboolean mz_marriage_certificate_assign (MzAction   *action,
                                         const char *kind,
                                         const char *prefix,
                                         const char *date,
                                         const char *field,
                                         GError    **error);

/* Sets processing_days to the days from @accepted to @completed; when
 * @accepted is NULL the matter was accepted and completed the same day,
 * and accepted_date is set to @completed. */
gboolean mz_marriage_processing_days_set (MzAction   *action,
                                          const char *accepted,
                                          const char *completed,
                                          GError    **error);

/* Every record of @kind with @field == @value (in one of @states when not
 * NULL), as an array of MzMarriageFound in id order; NULL on error. */
GArray *mz_marriage_find_all (MzAction           *action,
                              const char         *kind,
                              const char         *field,
                              const char         *value,
                              const char *const  *states,
                              GError            **error);

/* TRUE when the marriage @registration_id has a registered divorce
 * (离婚登记) in this office's records. */
gboolean mz_marriage_is_divorced (MzAction *action,
                                  gint64    registration_id,
                                  gboolean *divorced,
                                  GError  **error);

G_END_DECLS
