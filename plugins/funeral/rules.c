/* minzheng funeral plugin — business rules of 惠民殡葬 as pure functions.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "rules.h"

#include <string.h>

static const char *const item_names[FUNERAL_N_ITEMS] = {
  "transport", "cold_storage", "cremation", "ash_storage",
};

static const char *const item_labels[FUNERAL_N_ITEMS] = {
  "遗体接运", "遗体冷藏", "火化", "骨灰寄存",
};

/* The national floor is dibao, tekun, youfu and unidentified; provinces
 * and counties add the others. */
const MzEnumValue funeral_categories[] = {
  { "dibao", "最低生活保障对象" },       /* 低保 */
  { "tekun", "特困供养人员" },           /* 特困 (五保、三无) */
  { "youfu", "重点优抚对象" },           /* 重点优抚对象 */
  { "unidentified", "无名遗体" },        /* 无名、无主遗体 */
  { "low_income", "低收入家庭成员" },    /* 低保边缘 */
  { "orphan", "孤儿及事实无人抚养儿童" },
  { "disabled", "重度残疾人" },
  { "resident", "全体户籍居民" },        /* 本地户籍居民普惠 */
  { NULL, NULL },
};

static const char *const default_categories = "dibao;tekun;youfu;unidentified";

const char *const funeral_config_keys[] = {
  "categories", "cap_transport", "cap_cold_storage", "cap_cremation", "cap_ash_storage",
  "cap_per_case", "exclude_policy_grant", "count_unit", "amount_decimals", NULL,
};

const char *
funeral_item_name (FuneralItem item)
{
  g_return_val_if_fail (item < FUNERAL_N_ITEMS, NULL);
  return item_names[item];
}

const char *
funeral_item_label (FuneralItem item)
{
  g_return_val_if_fail (item < FUNERAL_N_ITEMS, NULL);
  return item_labels[item];
}

const char *
funeral_category_label (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  for (const MzEnumValue *c = funeral_categories; c->value != NULL; c++)
    if (strcmp (c->value, value) == 0)
      return c->label;
  return NULL;
}

const char *
funeral_count_unit_text (FuneralCountUnit unit)
{
  return unit == FUNERAL_UNIT_HOUSEHOLD ? "户" : "例";
}

void
funeral_rules_free (FuneralRules *rules)
{
  if (rules == NULL)
    return;
  g_strfreev (rules->categories);
  g_free (rules);
}

static gboolean
config_error (GError    **error,
              const char *key,
              const char *value,
              const char *expected)
{
  g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
               "配置 [plugin.funeral] 的 %s 值“%s”无效：%s [funeral.config.%s]",
               key, value, expected, key);
  return FALSE;
}

gboolean
funeral_rules_check_keys (const char *const *keys,
                          GError           **error)
{
  g_return_val_if_fail (keys != NULL, FALSE);

  for (guint i = 0; keys[i] != NULL; i++)
    if (!g_strv_contains (funeral_config_keys, keys[i]))
      {
        g_autofree char *known = g_strjoinv ("、", (char **) funeral_config_keys);

        g_set_error (error, MZ_RULE_ERROR, MZ_RULE_ERROR_CONFIG,
                     "配置 [plugin.funeral] 含有未知的键 %s（拼写错误的上限会被当作不设上限）；"
                     "可用的键为 %s [funeral.config.unknown_key]", keys[i], known);
        return FALSE;
      }
  return TRUE;
}

/* Categories are separated by ';' as GKeyFile lists are, or by ',' which
 * clerks type by habit; every one must be known and listed once. */
static gboolean
parse_categories (const char *value,
                  char     ***out,
                  GError    **error)
{
  g_auto (GStrv) parts = g_strsplit_set (value, ";,", -1);
  g_autoptr (GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *name = g_strstrip (parts[i]);

      if (*name == '\0')
        continue;
      if (funeral_category_label (name) == NULL)
        return config_error (error, "categories", value,
                             "含有未知的减免对象类别，可用类别为 dibao、tekun、youfu、unidentified、"
                             "low_income、orphan、disabled、resident");
      for (guint j = 0; j < list->len; j++)
        if (strcmp (g_ptr_array_index (list, j), name) == 0)
          return config_error (error, "categories", value, "同一类别列出了两次");
      g_ptr_array_add (list, g_strdup (name));
    }
  if (list->len == 0)
    return config_error (error, "categories", value, "至少要列出一个减免对象类别");
  g_ptr_array_add (list, NULL);
  *out = (char **) g_ptr_array_free (g_steal_pointer (&list), FALSE);
  return TRUE;
}

/* An absent cap means no cap of that kind; a present one must be an amount
 * in 元 within the bound that keeps the arithmetic in 64 bits. */
static gboolean
parse_cap (FuneralConfigLookup lookup,
           gpointer            user_data,
           const char         *key,
           gint64              bound,
           gint64             *out,
           GError            **error)
{
  g_autofree char *value = lookup (key, user_data);
  g_autoptr (GError) local = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *expected = NULL;

  *out = -1;
  if (value == NULL)
    return TRUE;
  if (!mz_money_parse_yuan (value, out, &local))
    {
      reason = mz_error_reason (local);
      expected = g_strdup_printf ("应为以元为单位的金额，如 1200 或 1200.50（%s）", reason);
      return config_error (error, key, value, expected);
    }
  if (*out > bound)
    {
      g_autofree char *max = mz_money_format_yuan (bound);

      expected = g_strdup_printf ("超过上限 %s 元", max);
      return config_error (error, key, value, expected);
    }
  return TRUE;
}

static gboolean
parse_boolean (FuneralConfigLookup lookup,
               gpointer            user_data,
               const char         *key,
               gboolean            fallback,
               gboolean           *out,
               GError            **error)
{
  g_autofree char *value = lookup (key, user_data);

  *out = fallback;
  if (value == NULL)
    return TRUE;
  if (strcmp (value, "true") == 0 || strcmp (value, "1") == 0)
    *out = TRUE;
  else if (strcmp (value, "false") == 0 || strcmp (value, "0") == 0)
    *out = FALSE;
  else
    return config_error (error, key, value, "应为 true 或 false");
  return TRUE;
}

FuneralRules *
funeral_rules_parse (FuneralConfigLookup lookup,
                     gpointer            user_data,
                     GError            **error)
{
  g_autoptr (FuneralRules) rules = g_new0 (FuneralRules, 1);
  g_autofree char *categories = NULL;
  g_autofree char *unit = NULL;
  g_autofree char *decimals = NULL;

  g_return_val_if_fail (lookup != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  categories = lookup ("categories", user_data);
  if (!parse_categories (categories != NULL ? categories : default_categories,
                         &rules->categories, error))
    return NULL;

  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    {
      g_autofree char *key = g_strconcat ("cap_", item_names[i], NULL);

      if (!parse_cap (lookup, user_data, key, FUNERAL_MONEY_MAX, &rules->item_cap[i], error))
        return NULL;
    }
  if (!parse_cap (lookup, user_data, "cap_per_case", FUNERAL_MONEY_MAX * FUNERAL_N_ITEMS,
                  &rules->case_cap, error))
    return NULL;

  if (!parse_boolean (lookup, user_data, "exclude_policy_grant", TRUE,
                      &rules->exclude_policy_grant, error))
    return NULL;

  unit = lookup ("count_unit", user_data);
  if (unit == NULL || strcmp (unit, "例") == 0)
    rules->count_unit = FUNERAL_UNIT_CASE;
  else if (strcmp (unit, "户") == 0)
    rules->count_unit = FUNERAL_UNIT_HOUSEHOLD;
  else
    {
      config_error (error, "count_unit", unit, "应为“例”或“户”");
      return NULL;
    }

  decimals = lookup ("amount_decimals", user_data);
  if (decimals == NULL || strcmp (decimals, "2") == 0)
    rules->amount_decimals = 2;
  else if (strcmp (decimals, "1") == 0)
    rules->amount_decimals = 1;
  else
    {
      config_error (error, "amount_decimals", decimals, "应为 1 或 2");
      return NULL;
    }

  return g_steal_pointer (&rules);
}

static void
snapshot_cap (GString    *out,
              const char *key,
              gint64      fen)
{
  g_autofree char *yuan = NULL;

  if (fen < 0)
    {
      g_string_append_printf (out, ",\"%s\":null", key);
      return;
    }
  yuan = mz_money_format_yuan (fen);
  g_string_append_printf (out, ",\"%s\":\"%s\"", key, yuan);
}

/* The snapshot holds only identifiers and numbers the parser accepted, so
 * it needs no escaping. */
char *
funeral_rules_snapshot (const FuneralRules *rules)
{
  GString *out = g_string_new ("{\"categories\":[");

  g_return_val_if_fail (rules != NULL, NULL);

  for (guint i = 0; rules->categories[i] != NULL; i++)
    g_string_append_printf (out, "%s\"%s\"", i > 0 ? "," : "", rules->categories[i]);
  g_string_append_c (out, ']');
  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    {
      g_autofree char *key = g_strconcat ("cap_", item_names[i], NULL);

      snapshot_cap (out, key, rules->item_cap[i]);
    }
  snapshot_cap (out, "cap_per_case", rules->case_cap);
  g_string_append_printf (out, ",\"exclude_policy_grant\":%s,\"count_unit\":\"%s\"}",
                          rules->exclude_policy_grant ? "true" : "false",
                          funeral_count_unit_text (rules->count_unit));
  return g_string_free (out, FALSE);
}

gboolean
funeral_rules_check_eligibility (const FuneralRules *rules,
                                 const char         *category,
                                 gboolean            policy_grant,
                                 GError            **error)
{
  const char *label;
  g_autoptr (GString) covered = NULL;

  g_return_val_if_fail (rules != NULL, FALSE);
  g_return_val_if_fail (category != NULL, FALSE);

  if (g_strv_contains ((const char *const *) rules->categories, category))
    {
      if (policy_grant && rules->exclude_policy_grant)
        return mz_rule_refuse (error, "funeral.policy_grant_excluded",
                               "逝者家属已从其他渠道领取丧葬补助费，按本局规定不再减免基本殡葬服务费用");
      return TRUE;
    }

  covered = g_string_new (NULL);
  for (guint i = 0; rules->categories[i] != NULL; i++)
    g_string_append_printf (covered, "%s%s", i > 0 ? "、" : "",
                            funeral_category_label (rules->categories[i]));
  label = funeral_category_label (category);
  return mz_rule_refuse (error, "funeral.category_not_covered",
                         "逝者类别“%s”（%s）不在本局惠民殡葬减免范围内，本局减免对象为：%s",
                         label != NULL ? label : category, category, covered->str);
}

gint64
funeral_rules_approve_amounts (const FuneralRules *rules,
                               const gint64        claims[FUNERAL_N_ITEMS],
                               gint64              approved[FUNERAL_N_ITEMS])
{
  gint64 sum = 0;
  gint64 given = 0;
  gint64 remainder[FUNERAL_N_ITEMS];
  gboolean bumped[FUNERAL_N_ITEMS] = { FALSE };

  g_return_val_if_fail (rules != NULL, 0);

  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    {
      g_return_val_if_fail (claims[i] >= 0 && claims[i] <= FUNERAL_MONEY_MAX, 0);
      approved[i] = claims[i];
      if (rules->item_cap[i] >= 0 && approved[i] > rules->item_cap[i])
        approved[i] = rules->item_cap[i];
      sum += approved[i];
    }
  if (rules->case_cap < 0 || sum <= rules->case_cap)
    return sum;

  /* Both factors are at most FUNERAL_MONEY_MAX × FUNERAL_N_ITEMS, so the
   * product stays below 2^63. */
  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    {
      gint64 scaled = approved[i] * rules->case_cap;

      remainder[i] = scaled % sum;
      approved[i] = scaled / sum;
      given += approved[i];
    }
  for (gint64 left = rules->case_cap - given; left > 0; left--)
    {
      guint best = FUNERAL_N_ITEMS;

      for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
        if (!bumped[i] && (best == FUNERAL_N_ITEMS || remainder[i] > remainder[best]))
          best = i;
      bumped[best] = TRUE;
      approved[best]++;
    }
  return rules->case_cap;
}

gboolean
funeral_rules_check_claims (const gint64 claims[FUNERAL_N_ITEMS],
                            GError     **error)
{
  gint64 sum = 0;

  for (guint i = 0; i < FUNERAL_N_ITEMS; i++)
    {
      g_autofree char *field = g_strconcat ("claim_", item_names[i], NULL);
      g_autofree char *max = mz_money_format_yuan (FUNERAL_MONEY_MAX);

      if (claims[i] < 0 || claims[i] > FUNERAL_MONEY_MAX)
        return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, field, item_labels[i],
                                   "funeral.claim_range",
                                   "申报金额应在 0 至 %s 元之间", max);
      sum += claims[i];
    }
  if (sum == 0)
    return mz_rule_refuse (error, "funeral.nothing_claimed",
                           "未申报任何基本殡葬服务项目（遗体接运、遗体冷藏、火化、骨灰寄存）的费用");
  return TRUE;
}

gboolean
funeral_rules_check_death_date (const char *death_date,
                                const char *birth,
                                const char *today,
                                GError    **error)
{
  GDate date;

  g_return_val_if_fail (today != NULL, FALSE);

  if (death_date == NULL || !mz_date_parse (death_date, &date))
    return mz_field_error_set (error, MZ_FIELD_ERROR_FORMAT, "death_date", "死亡日期",
                               "date.format", "应为 YYYY-MM-DD 格式的日期");
  if (strcmp (death_date, today) > 0)
    return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "death_date", "死亡日期",
                               "funeral.death_in_future", "死亡日期 %s 晚于今天 %s",
                               death_date, today);
  if (birth != NULL && strcmp (death_date, birth) < 0)
    return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "death_date", "死亡日期",
                               "funeral.death_before_birth",
                               "死亡日期 %s 早于身份证号码所载出生日期 %s", death_date, birth);
  return TRUE;
}

gboolean
funeral_rules_check_deceased (const char *category,
                              const char *id_number,
                              const char *sex,
                              const char *household,
                              const char *death_date,
                              const char *today,
                              GError    **error)
{
  MzIdNumber parsed;
  g_autoptr (GError) local = NULL;

  g_return_val_if_fail (category != NULL && today != NULL, FALSE);

  if (id_number == NULL)
    {
      if (strcmp (category, "unidentified") != 0)
        return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "deceased_id", "逝者身份证号码",
                                   "funeral.deceased_id_required",
                                   "除无名遗体外，必须填写逝者身份证号码");
      return funeral_rules_check_death_date (death_date, NULL, today, error);
    }
  if (household == NULL && strcmp (category, "unidentified") != 0)
    return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "household_division",
                               "户籍所在地行政区划代码", "funeral.household_required",
                               "除无名遗体外，必须填写逝者户籍所在地行政区划代码");
  if (!mz_id_number_parse (id_number, NULL, FALSE, &parsed, &local))
    {
      g_autofree char *reason = mz_error_reason (local);

      return mz_field_error_set (error, (MzFieldError) local->code, "deceased_id",
                                 "逝者身份证号码", "id_number", "%s", reason);
    }
  if (sex != NULL && parsed.sex != MZ_SEX_UNKNOWN
      && ((strcmp (sex, "male") == 0 && parsed.sex != MZ_SEX_MALE)
          || (strcmp (sex, "female") == 0 && parsed.sex != MZ_SEX_FEMALE)))
    return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "deceased_sex", "逝者性别",
                               "funeral.sex_mismatch",
                               "与身份证号码所载性别（%s）不符",
                               parsed.sex == MZ_SEX_MALE ? "男" : "女");
  return funeral_rules_check_death_date (death_date, parsed.birth, today, error);
}

gboolean
funeral_division_within (const char *office,
                         const char *division)
{
  gsize prefix = 6;

  g_return_val_if_fail (office != NULL && division != NULL, FALSE);

  if (strlen (office) != 6 || strlen (division) != 6)
    return FALSE;
  if (strcmp (office + 2, "0000") == 0)
    prefix = 2;
  else if (strcmp (office + 4, "00") == 0)
    prefix = 4;
  return strncmp (office, division, prefix) == 0;
}

gboolean
funeral_rules_check_resident (const char *category,
                              const char *household,
                              const char *office,
                              GError    **error)
{
  g_return_val_if_fail (category != NULL && office != NULL, FALSE);

  if (strcmp (category, "resident") != 0)
    return TRUE;
  if (household == NULL)
    return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "household_division",
                               "户籍所在地行政区划代码", "funeral.household_required",
                               "按全体户籍居民减免，必须填写逝者户籍所在地行政区划代码");
  if (!funeral_division_within (office, household))
    return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "household_division",
                               "户籍所在地行政区划代码", "funeral.not_resident",
                               "逝者户籍所在地 %s 不在本局辖区 %s 内，不能按全体户籍居民减免",
                               household, office);
  return TRUE;
}

char *
funeral_certificate_normalize (const char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;
  g_return_val_if_fail (g_utf8_validate (text, -1, NULL), NULL);

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0xFF01 && c <= 0xFF5E)
        c -= 0xFEE0;
      if (c == 0x3000 || (c < 0x80 && g_ascii_isspace ((char) c)))
        continue;
      if (c < 0x80)
        g_string_append_c (out, g_ascii_toupper ((char) c));
      else
        g_string_append_unichar (out, c);
    }
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

gboolean
funeral_rules_check_phone (const char *phone,
                           GError    **error)
{
  gsize length;

  if (phone == NULL)
    return TRUE;
  length = strlen (phone);
  if (length < 5 || length > 20 || strspn (phone, "0123456789+- ") != length)
    return mz_field_error_set (error, MZ_FIELD_ERROR_FORMAT, "applicant_phone", "申请人联系电话",
                               "funeral.phone_format",
                               "应为 5 至 20 位数字，可含 +、- 和空格");
  return TRUE;
}

gboolean
funeral_rules_check_payment (gint64      amount,
                             gint64      approved_total,
                             const char *payment_date,
                             const char *approved_on,
                             const char *today,
                             GError    **error)
{
  g_return_val_if_fail (today != NULL, FALSE);

  if (amount <= 0)
    return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "payment_amount", "支付金额",
                               "funeral.payment_not_positive", "支付金额应大于零");
  if (amount != approved_total)
    {
      g_autofree char *paid = mz_money_format_yuan (amount);
      g_autofree char *due = mz_money_format_yuan (approved_total);

      if (amount > approved_total)
        return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "payment_amount", "支付金额",
                                   "funeral.payment_exceeds_approved",
                                   "支付金额 %s 元超过核准减免金额 %s 元", paid, due);
      return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "payment_amount", "支付金额",
                                 "funeral.payment_partial",
                                 "支付金额 %s 元少于核准减免金额 %s 元；减免资金应一次足额支付",
                                 paid, due);
    }
  if (payment_date == NULL)
    return mz_field_error_set (error, MZ_FIELD_ERROR_REQUIRED, "payment_date", "支付日期",
                               "required", "必须填写");
  if (approved_on != NULL && strcmp (payment_date, approved_on) < 0)
    return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "payment_date", "支付日期",
                               "funeral.payment_before_approval",
                               "支付日期 %s 早于核准日期 %s", payment_date, approved_on);
  if (strcmp (payment_date, today) > 0)
    return mz_field_error_set (error, MZ_FIELD_ERROR_RANGE, "payment_date", "支付日期",
                               "funeral.payment_in_future", "支付日期 %s 晚于今天 %s",
                               payment_date, today);
  return TRUE;
}

char *
funeral_case_counter (int year)
{
  return g_strdup_printf ("FJ-%04d", year);
}

char *
funeral_case_number_format (const char *office,
                            int         year,
                            gint64      seq)
{
  g_return_val_if_fail (office != NULL, NULL);
  g_return_val_if_fail (seq > 0, NULL);

  return g_strdup_printf ("FJ%s-%04d-%06" G_GINT64_FORMAT, office, year, seq);
}

gboolean
funeral_rules_refuse_duplicate (GError    **error,
                                const char *code,
                                const char *subject,
                                const char *case_number,
                                const char *date,
                                gboolean    completed)
{
  g_return_val_if_fail (code != NULL && subject != NULL, FALSE);

  if (completed)
    return mz_rule_refuse (error, code, "%s已于%s办理减免（案号 %s），不得重复申请",
                           subject, date != NULL ? date : "此前",
                           case_number != NULL ? case_number : "无");
  return mz_rule_refuse (error, code, "%s已于%s提出减免申请（案号 %s，正在办理），不得重复申请",
                         subject, date != NULL ? date : "此前",
                         case_number != NULL ? case_number : "无");
}

gint64
funeral_fen_to_wan_scaled (gint64 fen,
                           guint  decimals)
{
  gint64 divisor = 1000000;
  gint64 magnitude;

  g_return_val_if_fail (decimals <= 6, 0);

  for (guint i = 0; i < decimals; i++)
    divisor /= 10;
  magnitude = fen < 0 ? -fen : fen;
  magnitude = magnitude / divisor + (magnitude % divisor >= (divisor + 1) / 2 ? 1 : 0);
  return fen < 0 ? -magnitude : magnitude;
}

char *
funeral_period_phrase (const char *from,
                       const char *to)
{
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  if (strlen (from) == 10 && strlen (to) == 10 && strncmp (from, to, 4) == 0)
    {
      g_autofree char *year = g_strndup (from, 4);

      if (strcmp (from + 4, "-01-01") == 0 && strcmp (to + 4, "-06-30") == 0)
        return g_strdup_printf ("%s年上半年", year);
      if (strcmp (from + 4, "-07-01") == 0 && strcmp (to + 4, "-12-31") == 0)
        return g_strdup_printf ("%s年下半年", year);
      if (strcmp (from + 4, "-01-01") == 0 && strcmp (to + 4, "-12-31") == 0)
        return g_strdup_printf ("%s年全年", year);
    }
  return g_strdup_printf ("%s至%s", from, to);
}

char *
funeral_beneficiaries_phrase (const char *const *categories)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  gboolean resident;
  GString *out;

  g_return_val_if_fail (categories != NULL, NULL);

  resident = g_strv_contains (categories, "resident");
  for (guint i = 0; categories[i] != NULL; i++)
    {
      if (strcmp (categories[i], "resident") == 0)
        g_ptr_array_add (labels, (gpointer) "户籍居民");
      else if (!resident || strcmp (categories[i], "unidentified") == 0)
        g_ptr_array_add (labels, (gpointer) funeral_category_label (categories[i]));
    }
  out = g_string_new (NULL);
  for (guint i = 0; i < labels->len; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == labels->len ? "和" : "、");
      g_string_append (out, g_ptr_array_index (labels, i));
    }
  return g_string_free (out, FALSE);
}

char *
funeral_report_sentence (const char        *period,
                         const char *const *categories,
                         gint64             cases,
                         FuneralCountUnit   unit,
                         gint64             fen,
                         guint              decimals)
{
  g_autofree char *wan = mz_money_format_wan (fen, decimals);
  g_autofree char *who = NULL;

  g_return_val_if_fail (period != NULL && categories != NULL, NULL);

  who = funeral_beneficiaries_phrase (categories);
  if (unit == FUNERAL_UNIT_HOUSEHOLD)
    return g_strdup_printf ("%s共办理惠民殡葬减免%" G_GINT64_FORMAT "户（%" G_GINT64_FORMAT
                            "例），减免对象为%s，减免基本殡葬服务费用%s万元。",
                            period, cases, cases, who, wan);
  return g_strdup_printf ("%s共办理惠民殡葬减免%" G_GINT64_FORMAT "例，减免对象为%s，"
                          "减免基本殡葬服务费用%s万元。", period, cases, who, wan);
}
