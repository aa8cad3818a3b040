/* minzheng funeral plugin — the business rules of 惠民殡葬 (funeral fee
 * reduction) as pure functions: the office's rule set, eligibility, caps,
 * payment and case numbers.  Nothing here needs the host, so the tests call
 * these functions directly.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <minzheng/minzheng.h>

G_BEGIN_DECLS

/* The largest amount one item may claim: 100 万元 in fen.  Bounding claims
 * and caps keeps every product in the scaling below inside 64 bits. */
#define FUNERAL_MONEY_MAX G_GINT64_CONSTANT (100000000)

/**
 * FuneralItem:
 * @FUNERAL_ITEM_TRANSPORT: 遗体接运 transport of the remains
 * @FUNERAL_ITEM_COLD_STORAGE: 遗体冷藏 cold storage of the remains
 * @FUNERAL_ITEM_CREMATION: 火化 cremation
 * @FUNERAL_ITEM_ASH_STORAGE: 骨灰寄存 storage of the ashes
 *
 * The basic funeral services (基本殡葬服务) a reduction pays for.
 */
typedef enum
{
  FUNERAL_ITEM_TRANSPORT,
  FUNERAL_ITEM_COLD_STORAGE,
  FUNERAL_ITEM_CREMATION,
  FUNERAL_ITEM_ASH_STORAGE,
  FUNERAL_N_ITEMS
} FuneralItem;

/* "transport", "cold_storage", "cremation", "ash_storage" */
const char *funeral_item_name (FuneralItem item);
/* "遗体接运", "遗体冷藏", "火化", "骨灰寄存" */
const char *funeral_item_label (FuneralItem item);

/* Every eligibility category the plugin knows, { NULL, NULL }-terminated;
 * the configuration picks which of them an office covers. */
extern const MzEnumValue funeral_categories[];
/* The Chinese label of a category value, or NULL when unknown. */
const char *funeral_category_label (const char *value);

/**
 * FuneralCountUnit:
 * @FUNERAL_UNIT_CASE: 例, one per deceased person
 * @FUNERAL_UNIT_HOUSEHOLD: 户 reported beside 例: one household per
 *   deceased (the data links no household, so 户 = 例)
 */
typedef enum
{
  FUNERAL_UNIT_CASE,
  FUNERAL_UNIT_HOUSEHOLD,
} FuneralCountUnit;

/* "例" or "户" */
const char *funeral_count_unit_text (FuneralCountUnit unit);

/**
 * FuneralRules:
 * @categories: eligible category values, in configuration order
 * @item_cap: cap per item in fen, -1 when the item has no cap of its own
 * @case_cap: cap per case in fen, -1 when there is none
 * @exclude_policy_grant: families that receive a policy funeral grant
 *   (丧葬补助费) from another scheme are refused
 * @count_unit: whether the report adds a 户 figure to the 例 one
 * @amount_decimals: decimals of 万元 in the report (1 or 2)
 *
 * One office's rule set, read from `[plugin.funeral]`.
 */
typedef struct
{
  char **categories;
  gint64 item_cap[FUNERAL_N_ITEMS];
  gint64 case_cap;
  gboolean exclude_policy_grant;
  FuneralCountUnit count_unit;
  guint amount_decimals;
} FuneralRules;

void funeral_rules_free (FuneralRules *rules);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FuneralRules, funeral_rules_free)

/* Returns the configured value of @key (newly allocated), or NULL when the
 * key is absent. */
typedef char *(*FuneralConfigLookup) (const char *key, gpointer user_data);

/* The keys `[plugin.funeral]` may hold, NULL-terminated. */
extern const char *const funeral_config_keys[];

/* Refuses (MZ_RULE_ERROR_CONFIG, code funeral.config.unknown_key) the first
 * of @keys that funeral_config_keys lacks, naming it and the known keys: a
 * misspelt cap would otherwise be absent, and an absent cap is no cap. */
gboolean funeral_rules_check_keys (const char *const *keys,
                                   GError           **error);

/**
 * funeral_rules_parse:
 * @lookup: reads one key of `[plugin.funeral]` as text
 *
 * Builds the rule set from the configuration, applying the documented
 * defaults for absent keys.  A value that cannot be used fails with
 * %MZ_RULE_ERROR_CONFIG and a message naming the key.
 */
FuneralRules *funeral_rules_parse (FuneralConfigLookup lookup,
                                   gpointer            user_data,
                                   GError            **error);

/* A compact JSON text of @rules (caps in 元), stored with every judged case
 * so that the case keeps the rules it was judged by. */
char *funeral_rules_snapshot (const FuneralRules *rules);

/* Refuses (MZ_RULE_ERROR_REFUSED) a category the office does not cover, and
 * a policy-grant recipient when the office excludes them. */
gboolean funeral_rules_check_eligibility (const FuneralRules *rules,
                                          const char         *category,
                                          gboolean            policy_grant,
                                          GError            **error);

/**
 * funeral_rules_approve_amounts:
 * @claims: claimed fen per item, each in [0, FUNERAL_MONEY_MAX]
 * @approved: (out): approved fen per item
 *
 * Offices reduce rather than refuse a claim above the caps: each item is
 * approved up to its own cap, and when their sum exceeds the case cap the
 * items are scaled down to exactly the case cap by largest remainders (each
 * item gets floor (a × cap / sum), the fen left over go one each to the
 * largest remainders, ties to the earlier item), so the result is
 * deterministic and never exceeds a claim or a cap.
 *
 * Returns: the approved total in fen.
 */
gint64 funeral_rules_approve_amounts (const FuneralRules *rules,
                                      const gint64        claims[FUNERAL_N_ITEMS],
                                      gint64              approved[FUNERAL_N_ITEMS]);

/* Refuses a claim of nothing at all, and any claim outside
 * [0, FUNERAL_MONEY_MAX] (naming the item). */
gboolean funeral_rules_check_claims (const gint64 claims[FUNERAL_N_ITEMS],
                                     GError     **error);

/* TRUE when the six-digit division code @division lies within @office's
 * area (GB/T 2260): a county-level office (450222) covers only its own
 * code; a prefecture-level one (4502xx ending in 00) every code with its
 * first four digits; a provincial one (xx0000) every code with its first
 * two. */
gboolean funeral_division_within (const char *office,
                                  const char *division);

/* Category `resident` (全体户籍居民) covers the office's own residents
 * only: refuses a deceased whose @household division is not within
 * @office (funeral_division_within), naming both codes.  Other categories
 * pass. */
gboolean funeral_rules_check_resident (const char *category,
                                       const char *household,
                                       const char *office,
                                       GError    **error);

/* One form per certificate number, whatever way it was typed: white space
 * removed (also U+3000), full-width ASCII (U+FF01–U+FF5E) folded to ASCII,
 * letters upper-cased; "ｈｈ－ｓａｍｅ " becomes "HH-SAME".  Returns NULL
 * when nothing is left. */
char *funeral_certificate_normalize (const char *text);

/* Checks the date of death against today and the birth date encoded in the
 * deceased's ID number (@birth may be NULL for unidentified remains). */
gboolean funeral_rules_check_death_date (const char *death_date,
                                         const char *birth,
                                         const char *today,
                                         GError    **error);

/* Checks the deceased: an ID number and a household division code are
 * required except for unidentified remains (无名遗体); the sex ("male",
 * "female" or "unknown") must agree with the ID number's sequence digit;
 * the date of death as funeral_rules_check_death_date().  The ID number is
 * expected to have passed the host's validation already. */
gboolean funeral_rules_check_deceased (const char *category,
                                       const char *id_number,
                                       const char *sex,
                                       const char *household,
                                       const char *death_date,
                                       const char *today,
                                       GError    **error);

/* A telephone number as clerks write it: digits with optional '+', '-' or
 * spaces, 5 to 20 characters; %NULL (not given) passes. */
gboolean funeral_rules_check_phone (const char *phone,
                                    GError    **error);

/* Checks a payment: the approved total exactly (one payment settles a case;
 * less is refused rather than left open), dated no earlier than the
 * approval and no later than today. */
gboolean funeral_rules_check_payment (gint64      amount,
                                      gint64      approved_total,
                                      const char *payment_date,
                                      const char *approved_on,
                                      const char *today,
                                      GError    **error);

/* The counter that numbers an office's cases of @year: "FJ-2021". */
char *funeral_case_counter (int year);
/* "FJ450222-2021-000012": 殡葬减免 case @seq of @office in @year. */
char *funeral_case_number_format (const char *office, int year, gint64 seq);

/* Refuses a second application for the same deceased or cremation
 * certificate, naming the first case's number and date.  @subject is
 * "该逝者" or "该火化证明", @code the machine code; @completed says whether
 * the first case was approved (办理减免) or is still being handled. */
gboolean funeral_rules_refuse_duplicate (GError    **error,
                                         const char *code,
                                         const char *subject,
                                         const char *case_number,
                                         const char *date,
                                         gboolean    completed);

/* --- report wording ------------------------------------------------------ */

/* @fen in 万元 scaled by 10^@decimals (@decimals ≤ 6), rounded half away
 * from zero: 356000 元 with one decimal is 356 (35.6 万元). */
gint64 funeral_fen_to_wan_scaled (gint64 fen, guint decimals);

/* How the work report names the period [@from, @to]: "2021年上半年",
 * "2021年下半年", "2021年全年", or "2021-01-01至2021-03-31" otherwise. */
char *funeral_period_phrase (const char *from, const char *to);

/* Who the office's reductions went to, in words, from its covered
 * @categories: their labels joined by "、" and "和", except that
 * 全体户籍居民 stands for every other category but 无名遗体. */
char *funeral_beneficiaries_phrase (const char *const *categories);

/* The sentence for the work report, e.g. "2021年上半年共为最低生活保障
 * 对象和特困供养人员办理惠民殡葬减免124例，减免基本殡葬服务费用12.26万元。"
 * or, with 户, "2023年全年共为最低生活保障对象和特困供养人员897户（897例）
 * 减免基本殡葬服务费用35.6万元。" */
char *funeral_report_sentence (const char        *period,
                               const char *const *categories,
                               gint64             cases,
                               FuneralCountUnit   unit,
                               gint64             fen,
                               guint              decimals);

G_END_DECLS
