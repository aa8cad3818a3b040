/* marriage plugin tests — builds synthetic resident ID numbers with a
 * correct ISO 7064 MOD 11-2 check character, computed here independently
 * of the SDK's validator so the tests check it rather than echo it.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <glib.h>

/* @division "450222", @birth "YYYY-MM-DD", @sequence 0–999 (odd = male). */
static inline char *
test_id_make (const char *division, const char *birth, guint sequence)
{
  static const int weights[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
  static const char checks[] = "10X98765432";
  char body[18];
  int sum = 0;

  g_assert_cmpuint (strlen (division), ==, 6);
  g_assert_cmpuint (strlen (birth), ==, 10);
  g_snprintf (body, sizeof body, "%.6s%.4s%.2s%.2s%03u", division, birth, birth + 5,
              birth + 8, sequence % 1000);
  for (int i = 0; i < 17; i++)
    sum += (body[i] - '0') * weights[i];
  return g_strdup_printf ("%s%c", body, checks[sum % 11]);
}
