/* The child of the crash test: acts in a loop on the office named by
 * argv[1], from several threads at once (so that batches overlap their
 * fsync with the next batch, store.c), and prints each acknowledged step,
 * a whole line at a time, until it is killed.
 *
 *   A <id>          the record was created (apply acknowledged)
 *   R <id>          it was reviewed
 *   C <id> <cert>   it was approved and drew certificate number <cert>
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "store-test.h"

#define N_WORKERS 4

static GMutex out_lock;

/* One whole line, flushed before any other thread prints. */
G_GNUC_PRINTF (1, 2)
static void
acknowledge (const char *format,
             ...)
{
  va_list args;

  g_mutex_lock (&out_lock);
  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  fflush (stdout);
  g_mutex_unlock (&out_lock);
}

typedef struct
{
  StoreFixture *fx;
  guint worker;
} Worker;

static gpointer
work (gpointer data)
{
  Worker *w = data;
  StoreFixture *fx = w->fx;
  g_autoptr (GError) error = NULL;

  for (guint n = 0;; n++)
    {
      g_autofree char *name = g_strdup_printf ("人%u-%u", w->worker, n);
      g_autoptr (JsonNode) node = NULL;
      MzActResult r;
      MzActor boss = { "bob", "supervisor", NULL, "test" };

      if (!store_test_act (fx, "alice", "clerk", "apply", 0, 0, NULL, &r, &error, "name", name, NULL))
        break;
      acknowledge ("A %" G_GINT64_FORMAT "\n", r.record_id);
      if (!store_test_act (fx, "alice", "clerk", "review", r.record_id, 1, NULL, NULL, &error, NULL))
        break;
      acknowledge ("R %" G_GINT64_FORMAT "\n", r.record_id);
      if (!store_test_act (fx, "bob", "supervisor", "approve", r.record_id, 2, NULL, NULL, &error, NULL))
        break;
      node = mz_services_record_get (fx->services, "storetest", "case", r.record_id, &boss, NULL, &error);
      if (node == NULL)
        break;
      acknowledge ("C %" G_GINT64_FORMAT " %s\n", r.record_id,
                   json_object_get_string_member (json_object_get_object_member (json_node_get_object (node),
                                                                                 "fields"), "cert_no"));
    }
  g_printerr ("crash-child: %s\n", error->message);
  exit (1);
}


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

  {
    Worker workers[N_WORKERS];
    GThread *threads[N_WORKERS];

    for (guint i = 0; i < N_WORKERS; i++)
      {
        workers[i] = (Worker) { &fx, i };
        threads[i] = g_thread_new ("worker", work, &workers[i]);
      }
    for (guint i = 0; i < N_WORKERS; i++)
      g_thread_join (threads[i]);
  }
  return 1;
}
