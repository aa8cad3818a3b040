/* minzheng host — writing a composed report as text, JSON or CSV.
 *
 * The JSON form is a stable interface other systems read, so it is written
 * by hand rather than through a generic serializer: a figure's value must
 * print with exactly its declared decimals (35.6, never 35.600000000000001)
 * and the key order must not change between releases.
 *
 * Copyright the minzheng authors. SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "report.h"

#include <string.h>

gboolean
mz_report_format_parse (const char     *name,
                        MzReportFormat *out)
{
  g_return_val_if_fail (out != NULL, FALSE);

  if (g_strcmp0 (name, "text") == 0)
    *out = MZ_REPORT_FORMAT_TEXT;
  else if (g_strcmp0 (name, "json") == 0)
    *out = MZ_REPORT_FORMAT_JSON;
  else if (g_strcmp0 (name, "csv") == 0)
    *out = MZ_REPORT_FORMAT_CSV;
  else
    return FALSE;
  return TRUE;
}

char *
mz_report_value_format (gint64 value,
                        guint  decimals)
{
  /* Work on the magnitude as unsigned so that G_MININT64 has one too. */
  guint64 magnitude = value < 0 ? (guint64) (-(value + 1)) + 1 : (guint64) value;
  guint64 scale = 1;
  g_autofree char *fraction = NULL;

  g_return_val_if_fail (decimals <= 18, NULL);

  if (decimals == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, value);
  for (guint i = 0; i < decimals; i++)
    scale *= 10;
  fraction = g_strdup_printf ("%0*" G_GUINT64_FORMAT, (int) decimals, magnitude % scale);
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%s", value < 0 ? "-" : "",
                          magnitude / scale, fraction);
}

static void
json_string (GString    *out,
             const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static char *
iso_utc (gint64 usec)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return dt != NULL ? g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

static void
format_json (MzReportDoc *doc,
             GString     *out)
{
  g_autofree char *generated = iso_utc (doc->generated_at);

  g_string_append (out, "{\n  \"office\": {\"id\": ");
  json_string (out, doc->office_id);
  g_string_append (out, ", \"name\": ");
  json_string (out, doc->office_name);
  g_string_append (out, "},\n  \"from\": ");
  json_string (out, doc->from);
  g_string_append (out, ",\n  \"to\": ");
  json_string (out, doc->to);
  g_string_append (out, ",\n  \"generated_at\": ");
  json_string (out, generated);
  g_string_append (out, ",\n  \"sections\": [");

  for (guint i = 0; i < doc->sections->len; i++)
    {
      MzReport *report = g_ptr_array_index (doc->sections, i);

      g_string_append (out, i > 0 ? ",\n    {\n" : "\n    {\n");
      g_string_append (out, "      \"plugin\": ");
      json_string (out, report->plugin);
      g_string_append (out, ",\n      \"title\": ");
      json_string (out, report->title);
      g_string_append (out, ",\n      \"figures\": [");
      for (guint j = 0; j < report->figures->len; j++)
        {
          MzReportFigure *figure = g_ptr_array_index (report->figures, j);
          g_autofree char *value = mz_report_value_format (figure->value, figure->decimals);

          g_string_append (out, j > 0 ? ",\n        {\"key\": " : "\n        {\"key\": ");
          json_string (out, figure->key);
          g_string_append (out, ", \"label\": ");
          json_string (out, figure->label);
          g_string_append_printf (out, ", \"value\": %s, \"unit\": ", value);
          json_string (out, figure->unit);
          g_string_append_c (out, '}');
        }
      g_string_append (out, report->figures->len > 0 ? "\n      ],\n" : "],\n");
      g_string_append (out, "      \"sentence\": ");
      json_string (out, report->sentence);
      if (report->error != NULL)
        {
          g_autofree char *code = mz_error_code_name (report->error);

          g_string_append (out, ",\n      \"error\": {\"code\": ");
          json_string (out, code != NULL ? code : "report.failed");
          g_string_append (out, ", \"message\": ");
          json_string (out, report->error->message);
          g_string_append_c (out, '}');
        }
      g_string_append (out, "\n    }");
    }
  g_string_append (out, doc->sections->len > 0 ? "\n  ]\n}\n" : "]\n}\n");
}

/* Section numbers as a Chinese report writes them: 一、二、… 十一、… 九十九. */
static void
chinese_number (GString *out,
                guint    n)
{
  static const char *const digits[] = {
    "零", "一", "二", "三", "四", "五", "六", "七", "八", "九"
  };

  if (n == 0 || n >= 100)
    {
      g_string_append_printf (out, "%u", n);
      return;
    }
  if (n >= 20)
    g_string_append (out, digits[n / 10]);
  if (n >= 10)
    g_string_append (out, "十");
  if (n % 10 != 0 || n < 10)
    g_string_append (out, digits[n % 10]);
}

static void
format_text (MzReportDoc *doc,
             GString     *out)
{
  g_autofree char *generated = iso_utc (doc->generated_at);

  g_string_append_printf (out, "%s（%s）工作统计\n", doc->office_name, doc->office_id);
  g_string_append_printf (out, "统计期间：%s 至 %s\n", doc->from, doc->to);
  g_string_append_printf (out, "生成时间：%s\n", generated);

  for (guint i = 0; i < doc->sections->len; i++)
    {
      MzReport *report = g_ptr_array_index (doc->sections, i);

      g_string_append_c (out, '\n');
      chinese_number (out, i + 1);
      g_string_append_printf (out, "、%s\n", report->title);
      if (report->error != NULL)
        {
          g_string_append_printf (out, "  （%s）\n", report->error->message);
          continue;
        }
      for (guint j = 0; j < report->figures->len; j++)
        {
          MzReportFigure *figure = g_ptr_array_index (report->figures, j);
          g_autofree char *value = mz_report_value_format (figure->value, figure->decimals);

          g_string_append_printf (out, "  %s %s%s%s\n", figure->label, value,
                                  *figure->unit != '\0' ? " " : "", figure->unit);
        }
      if (report->sentence != NULL && *report->sentence != '\0')
        g_string_append_printf (out, "  %s\n", report->sentence);
    }
}

/* RFC 4180: quote a field that holds a comma, a quote or a line break,
 * doubling the quotes inside. */
static void
csv_field (GString    *out,
           const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (out, text);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
format_csv (MzReportDoc *doc,
            GString     *out)
{
  g_string_append (out, "plugin,key,label,value,unit\r\n");
  for (guint i = 0; i < doc->sections->len; i++)
    {
      MzReport *report = g_ptr_array_index (doc->sections, i);

      for (guint j = 0; j < report->figures->len; j++)
        {
          MzReportFigure *figure = g_ptr_array_index (report->figures, j);
          g_autofree char *value = mz_report_value_format (figure->value, figure->decimals);

          csv_field (out, report->plugin);
          g_string_append_c (out, ',');
          csv_field (out, figure->key);
          g_string_append_c (out, ',');
          csv_field (out, figure->label);
          g_string_append_c (out, ',');
          csv_field (out, value);
          g_string_append_c (out, ',');
          csv_field (out, figure->unit);
          g_string_append (out, "\r\n");
        }
    }
}

char *
mz_report_doc_format (MzReportDoc    *doc,
                      MzReportFormat  format)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (doc != NULL, NULL);

  switch (format)
    {
    case MZ_REPORT_FORMAT_JSON:
      format_json (doc, out);
      break;
    case MZ_REPORT_FORMAT_CSV:
      format_csv (doc, out);
      break;
    case MZ_REPORT_FORMAT_TEXT:
    default:
      format_text (doc, out);
      break;
    }
  return g_string_free (out, FALSE);
}
