/* minzheng SDK — calendar dates as "YYYY-MM-DD" strings, the form every
 * record, deadline and report period uses.  Proleptic Gregorian calendar,
 * years 0001–9999, no time zone: a date is already office-local.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <minzheng/minzheng.h>

#include <string.h>

/* Strict on purpose: exactly four digits, '-', two digits, '-', two digits,
 * and a day that exists.  Lenient forms ("2024-2-9", "2024/02/09") are for
 * input screens to normalise, not for stored values. */
gboolean
mz_date_parse (const char *text, GDate *out)
{
  int year;
  int month;
  int day;

  g_return_val_if_fail (text != NULL, FALSE);

  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;

  year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  month = (text[5] - '0') * 10 + (text[6] - '0');
  day = (text[8] - '0') * 10 + (text[9] - '0');
  if (year < 1 || month < 1 || month > 12 || day < 1
      || !g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year))
    return FALSE;

  if (out != NULL)
    {
      g_date_clear (out, 1);
      g_date_set_dmy (out, (GDateDay) day, (GDateMonth) month, (GDateYear) year);
    }
  return TRUE;
}

static char *
date_format (const GDate *date)
{
  return g_strdup_printf ("%04u-%02u-%02u",
                          (guint) g_date_get_year (date),
                          (guint) g_date_get_month (date),
                          (guint) g_date_get_day (date));
}

/* Works on Julian day numbers so that month ends and leap years need no
 * special cases; a result outside 0001–9999 has no "YYYY-MM-DD" form and
 * gives NULL. */
char *
mz_date_add_days (const char *date, gint days)
{
  GDate d;
  gint64 julian;

  g_return_val_if_fail (date != NULL, NULL);

  if (!mz_date_parse (date, &d))
    return NULL;
  julian = (gint64) g_date_get_julian (&d) + days;
  /* Julian day 1 is 0001-01-01; 3652059 is 9999-12-31. */
  if (julian < 1 || julian > 3652059)
    return NULL;
  g_date_set_julian (&d, (guint32) julian);
  return date_format (&d);
}

gint
mz_date_diff_days (const char *from, const char *to)
{
  GDate a;
  GDate b;

  g_return_val_if_fail (from != NULL, G_MININT);
  g_return_val_if_fail (to != NULL, G_MININT);

  if (!mz_date_parse (from, &a) || !mz_date_parse (to, &b))
    return G_MININT;
  return g_date_days_between (&a, &b);
}

/* Age in completed years, the way the law counts it (民法典 art. 1259 and
 * the marriage-age rule): a person is N years old from the N-th anniversary
 * of the birth date.  Comparing (month, day) pairs makes someone born on
 * 29 February one year older on 1 March in common years, which is how
 * Chinese registration offices count.  A date before the birth is bad
 * input. */
gint
mz_date_age_on (const char *birth, const char *on)
{
  GDate b;
  GDate o;
  gint age;

  g_return_val_if_fail (birth != NULL, -1);
  g_return_val_if_fail (on != NULL, -1);

  if (!mz_date_parse (birth, &b) || !mz_date_parse (on, &o))
    return -1;
  if (g_date_compare (&o, &b) < 0)
    return -1;

  age = (gint) g_date_get_year (&o) - (gint) g_date_get_year (&b);
  if (g_date_get_month (&o) < g_date_get_month (&b)
      || (g_date_get_month (&o) == g_date_get_month (&b)
          && g_date_get_day (&o) < g_date_get_day (&b)))
    age--;
  return age;
}
