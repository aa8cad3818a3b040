/* marriage plugin — business rules of 婚姻登记 as pure functions.
 *
 * Nothing here touches the host: the plugin gathers values from records
 * and calls these, and the unit tests call them directly.  Every refusal
 * is an MZ_RULE_ERROR_REFUSED "<中文理由（法条）> [marriage.<code>]".
 *
 * Law: 民法典 (Civil Code) arts. 1042, 1046–1053, 1076–1078; 婚姻登记条例
 * (Marriage Registration Regulations, revised, in force 2025-05-10).
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>

G_BEGIN_DECLS

/* 法定婚龄 (legal marriage age), 民法典第一千零四十七条. */
#define MZ_MARRIAGE_MIN_AGE_MAN 22
#define MZ_MARRIAGE_MIN_AGE_WOMAN 20

/* 离婚冷静期 (cooling-off) and the collection window after it, in days,
 * 民法典第一千零七十七条.  Day 0 is the day the application is accepted;
 * days 1–30 are the cooling-off, days 31–60 the window in which both must
 * come for the certificate; from day 61 the application is deemed withdrawn. */
#define MZ_MARRIAGE_COOLING_OFF_DAYS 30
#define MZ_MARRIAGE_COLLECTION_DAYS 30

/* The day the Civil Code, and with it the cooling-off, took effect. */
#define MZ_MARRIAGE_CIVIL_CODE_IN_FORCE "2021-01-01"

/**
 * MzMarriageSide:
 * @MZ_MARRIAGE_SIDE_MAN: 男方
 * @MZ_MARRIAGE_SIDE_WOMAN: 女方
 */
typedef enum
{
  MZ_MARRIAGE_SIDE_MAN,
  MZ_MARRIAGE_SIDE_WOMAN,
} MzMarriageSide;

/**
 * MzMarriageParty:
 * @id_number: 居民身份证号码 as entered
 * @sex: "male" / "female" when the clerk entered it, else %NULL
 * @birth_date: "YYYY-MM-DD" when the clerk entered it, else %NULL
 * @present: the clerk recorded that the party came in person (亲自到场)
 * @voluntary: the party confirmed to the clerk, in person, that they marry
 *   of their own free will (自愿结婚, 民法典第一千零四十六条)
 *
 * One party of a marriage registration, as the rules need it.
 */
typedef struct
{
  const char *id_number;
  const char *sex;
  const char *birth_date;
  gboolean present;
  gboolean voluntary;
} MzMarriageParty;

/**
 * MzMarriageApplication:
 * @man: 男方
 * @woman: 女方
 * @date: the registration date "YYYY-MM-DD" ages are counted on
 * @declaration_signed: 声明 signed (no spouse, no prohibited kinship)
 * @prohibited_kinship: the clerk found the parties to be lineal relatives
 *   by blood or collateral relatives by blood within three generations
 *   (直系血亲或者三代以内的旁系血亲, 民法典第一千零四十八条)
 * @historical: an imported record of a past registration: presence,
 *   voluntariness, kinship and the declaration were checked by the system
 *   of the time and are not on file
 */
typedef struct
{
  MzMarriageParty man;
  MzMarriageParty woman;
  const char *date;
  gboolean declaration_signed;
  gboolean prohibited_kinship;
  gboolean historical;
} MzMarriageApplication;

const char *mz_marriage_side_label (MzMarriageSide side);

/* Checks one party: a valid ID number of the right sex for @side (民法典
 * 第一千零四十六条: a man and a woman), entered sex and birth date agreeing
 * with the number, and the legal age on @on.  Refusals name the party and
 * the date of registration, never the birth date or the number: they are
 * shown to whoever sees the error and kept in the audit log. */
gboolean mz_marriage_party_check (const MzMarriageParty *party,
                                  MzMarriageSide         side,
                                  const char            *on,
                                  GError               **error);

/* Checks everything about an application that does not need the records:
 * that the two parties were not entered the wrong way round, both parties,
 * then (all skipped when @historical) the declaration, presence, each
 * party's confirmation of free will, and kinship. */
gboolean mz_marriage_application_check (const MzMarriageApplication *application,
                                        GError                     **error);

/* Refuses when @existing_certificate (the certificate number of a marriage of
 * the party in this office's records that has not ended) is not %NULL:
 * 民法典第一千零四十二条 forbids bigamy. */
gboolean mz_marriage_spouse_check (MzMarriageSide side,
                                   const char    *existing_certificate,
                                   GError       **error);

/* --- divorce by agreement (协议离婚) ------------------------------------ */

/**
 * MzMarriageDivorceApplication:
 * @linked: the marriage was found in this office's records
 * @registered_in_mainland: the applicants affirm the marriage was registered
 *   in mainland China (needed when not @linked)
 * @agreement_present: 书面离婚协议 present
 * @man_capacity: 男方具有完全民事行为能力
 * @woman_capacity: 女方具有完全民事行为能力
 * @man_present: 男方亲自到场
 * @woman_present: 女方亲自到场
 */
typedef struct
{
  gboolean linked;
  gboolean registered_in_mainland;
  gboolean agreement_present;
  gboolean man_capacity;
  gboolean woman_capacity;
  gboolean man_present;
  gboolean woman_present;
} MzMarriageDivorceApplication;

gboolean mz_marriage_divorce_application_check (const MzMarriageDivorceApplication *application,
                                                GError                            **error);

/* Day of the divorce timeline @on falls on (0 = acceptance day);
 * G_MININT on bad dates. */
gint mz_marriage_divorce_day (const char *accepted, const char *on);

/* Registration of the divorce: only on days 31–60. */
gboolean mz_marriage_divorce_register_check (const char *accepted,
                                             const char *on,
                                             GError    **error);
/* Withdrawal by either party: only during the cooling-off, days 0–30. */
gboolean mz_marriage_divorce_withdraw_check (const char *accepted,
                                             const char *on,
                                             GError    **error);
/* Deemed withdrawn (视为撤回): only from day 61. */
gboolean mz_marriage_divorce_lapse_check (const char *accepted,
                                          const char *on,
                                          GError    **error);
/* An imported historical divorce: registered on or after acceptance and,
 * for applications accepted under the Civil Code, within days 31–60. */
gboolean mz_marriage_divorce_history_check (const char *accepted,
                                            const char *registered,
                                            GError    **error);

/* --- certificate numbers --------------------------------------------------- */

/* Prefixes: J 结婚证, L 离婚证, BJ 补发结婚证, BL 补发离婚证. */
#define MZ_MARRIAGE_PREFIX_MARRIAGE "J"
#define MZ_MARRIAGE_PREFIX_DIVORCE "L"
#define MZ_MARRIAGE_PREFIX_REISSUE_MARRIAGE "BJ"
#define MZ_MARRIAGE_PREFIX_REISSUE_DIVORCE "BL"

/* "J450222-2021-000001"; sequences above 999999 refuse (NULL + @error). */
char *mz_marriage_certificate_format (const char *prefix,
                                      const char *division,
                                      const char *date,
                                      gint64      sequence,
                                      GError    **error);

/* The sequence counter of @prefix for the year of @date: "J-2021". */
char *mz_marriage_certificate_counter (const char *prefix, const char *date);

/* Checks an imported certificate number: @prefix (exactly), six-digit
 * division, the year of @date, a six-digit sequence from 000001. */
gboolean mz_marriage_certificate_check (const char *number,
                                        const char *prefix,
                                        const char *date,
                                        GError    **error);

/* --- report arithmetic ------------------------------------------------------ */

/* @part of @whole in per mille, truncated (so 100% means every one); -1
 * when @whole is 0: a rate over nothing is undefined, and the report omits
 * the figure and says so in its sentence. */
gint64 mz_marriage_rate_permille (gint64 part, gint64 whole);

/* "100", "99.5": a per-mille value as a percentage for the sentence. */
char *mz_marriage_rate_format (gint64 permille);

/**
 * MzMarriageFigures:
 * the counts and rates of one report period
 */
typedef struct
{
  gint64 registered;
  gint64 divorced;
  gint64 reissued_marriage;
  gint64 reissued_divorce;
  gint64 on_time_permille;    /* -1: nothing concluded in the period */
  gint64 qualified_permille;  /* -1: no registration in the period */
} MzMarriageFigures;

/* The sentence the office pastes into its work report. */
char *mz_marriage_report_sentence (const MzMarriageFigures *figures);

G_END_DECLS
