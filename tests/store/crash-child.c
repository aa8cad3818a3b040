/* The child of the crash test: acts in a loop on the office named by
 * argv[1] and prints each acknowledged step, until it is killed.
 *
 *   A <id>          the record was created (apply acknowledged)
 *   R <id>          it was reviewed
 *   C <id> <cert>   it was approved and drew certificate number <cert>
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdio.h>
#include <stdlib.h>

#include "store-test.h"

int
main (int   argc,
      char *argv[])
{
  StoreFixture fx = { 0 };
  g_autoptr (GError) error = NULL;
  g_autofree char *so = NULL;

  if (argc != 3)
    {
      g_printerr ("usage: %s OFFICE.conf STORETEST.so\n", argv[0]);
      return 2;
    }
  so = g_strdup (argv[2]);
  fx.config = mz_config_load (argv[1], &error);
  if (fx.config != NULL)
    fx.services = mz_services_new (fx.config, &error);
  if (fx.services != NULL)
    fx.plugin = store_test_load_plugin (fx.services, so, &error);
  if (fx.plugin == NULL)
    {
      g_printerr ("crash-child: %s\n", error->message);
      return 1;
    }

  for (guint n = 0;; n++)
    {
      g_autofree char *name = g_strdup_printf ("人%u", n);
      g_autoptr (JsonNode) node = NULL;
      MzActResult r;
      MzActor boss = { "bob", "supervisor", NULL, "test" };

      if (!store_test_act (&fx, "alice", "clerk", "apply", 0, 0, NULL, &r, &error, "name", name, NULL))
        break;
      printf ("A %" G_GINT64_FORMAT "\n", r.record_id);
      fflush (stdout);
      if (!store_test_act (&fx, "alice", "clerk", "review", r.record_id, 1, NULL, NULL, &error, NULL))
        break;
      printf ("R %" G_GINT64_FORMAT "\n", r.record_id);
      fflush (stdout);
      if (!store_test_act (&fx, "bob", "supervisor", "approve", r.record_id, 2, NULL, NULL, &error, NULL))
        break;
      node = mz_services_record_get (fx.services, "storetest", "case", r.record_id, &boss, NULL, &error);
      if (node == NULL)
        break;
      printf ("C %" G_GINT64_FORMAT " %s\n", r.record_id,
              json_object_get_string_member (json_object_get_object_member (json_node_get_object (node),
                                                                            "fields"), "cert_no"));
      fflush (stdout);
    }
  g_printerr ("crash-child: %s\n", error->message);
  return 1;
}
