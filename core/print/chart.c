/* chart.c - inline SVG bar charts (chart.h).
 *
 * Drawn in a 680-unit-wide view box that the page scales to its printable
 * width (about 0.25 mm a unit on A4).  Labels longer than LABEL_MAX bytes
 * are cut (at a character boundary) and end in "…", so that nothing is
 * drawn outside the box. */
#include "print/chart.h"

#include "print/html.h"

#include <string.h>

#define WIDTH 680
#define LABEL_W 170 /* the bars start here */
#define BAR_W 470   /* and are at most this long */
#define ROW_H 22
#define LABEL_MAX 26

/* Shades that stay apart in grey: dark green, red, amber, light grey. */
static const char *const fills[PR_CHART_SERIES] = {"#2e7d32", "#c62828", "#f2b632", "#bdbdbd"};
static const char *const inks[PR_CHART_SERIES] = {"#fff", "#fff", "#000", "#000"};

/* A label, escaped, cut to LABEL_MAX bytes at a character boundary. */
static cev_code label(cev_buf *b, const char *s)
{
    size_t len = strlen(s);
    if (len <= LABEL_MAX)
        return pr_html_text_len(b, s, len, 0);
    size_t cut = LABEL_MAX - 1;
    while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
        cut--;
    cev_code rc = pr_html_text_len(b, s, cut, 0);
    return rc == CEV_OK ? cev_buf_puts(b, "…") : rc;
}

static cev_code open_svg(cev_buf *b, const char *caption, unsigned height)
{
    cev_code rc = cev_buf_puts(b, "<figure class=\"chart\"><figcaption>");
    if (rc == CEV_OK)
        rc = pr_html_text(b, caption);
    if (rc == CEV_OK)
        rc = cev_buf_printf(b,
                            "</figcaption><svg "
                            "viewBox=\"0 0 %d %u\" width=\"100%%\" role=\"img\" "
                            "font-size=\"12\">",
                            WIDTH, height);
    return rc;
}

static cev_code close_svg(cev_buf *b)
{
    return cev_buf_puts(b, "</svg></figure>\n");
}

static cev_code legend(cev_buf *b, unsigned y, const char *const *names, size_t nseries)
{
    cev_code rc = CEV_OK;
    unsigned x = LABEL_W;
    for (size_t s = 0; s < nseries && rc == CEV_OK; s++) {
        rc = cev_buf_printf(b,
                            "<rect x=\"%u\" y=\"%u\" width=\"12\" height=\"12\" fill=\"%s\" "
                            "stroke=\"#000\" stroke-width=\"0.5\"/><text x=\"%u\" y=\"%u\">",
                            x, y, fills[s], x + 16, y + 10);
        if (rc == CEV_OK)
            rc = label(b, names[s]);
        if (rc == CEV_OK)
            rc = cev_buf_puts(b, "</text>");
        x += 16 + 8 * (unsigned)(strlen(names[s]) > 14 ? 14 : strlen(names[s])) + 24;
    }
    return rc;
}

/* One bar: its segments, each with its count when there is room. */
static cev_code bar(cev_buf *b, const pr_bar *row, size_t nseries, unsigned y, double scale)
{
    cev_code rc = cev_buf_printf(b, "<text x=\"%d\" y=\"%u\" text-anchor=\"end\">",
                                 LABEL_W - 8, y + 15);
    if (rc == CEV_OK)
        rc = label(b, row->label ? row->label : "");
    if (rc == CEV_OK)
        rc = cev_buf_puts(b, "</text>");
    double x = LABEL_W;
    unsigned long total = 0;
    for (size_t s = 0; s < nseries && rc == CEV_OK; s++) {
        unsigned long n = row->counts[s];
        total += n;
        if (n == 0)
            continue;
        double w = n * scale;
        rc = cev_buf_printf(b, "<rect x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"%d\" "
                               "fill=\"%s\"/>",
                            x, y + 2, w, ROW_H - 4, fills[s]);
        if (rc == CEV_OK && w >= 8.0 * (n >= 100 ? 3 : n >= 10 ? 2 : 1) + 4)
            rc = cev_buf_printf(b, "<text x=\"%.1f\" y=\"%u\" text-anchor=\"middle\" "
                                   "fill=\"%s\">%lu</text>",
                                x + w / 2, y + 15, inks[s], n);
        x += w;
    }
    if (rc == CEV_OK)
        rc = cev_buf_printf(b, "<text x=\"%.1f\" y=\"%u\">%lu</text>", x + 4, y + 15, total);
    return rc;
}

cev_code pr_chart_stacked(cev_buf *b, const char *caption, const pr_bar *rows, size_t nrows,
                          const char *const *names, size_t nseries)
{
    if (nseries > PR_CHART_SERIES)
        nseries = PR_CHART_SERIES;
    unsigned long most = 1;
    for (size_t i = 0; i < nrows; i++) {
        unsigned long t = 0;
        for (size_t s = 0; s < nseries; s++)
            t += rows[i].counts[s];
        most = t > most ? t : most;
    }
    double scale = (double)(BAR_W - 40) / (double)most; /* room for the total */
    unsigned height = (unsigned)(nrows * ROW_H) + (nseries > 1 ? 28 : 6);
    cev_code rc = open_svg(b, caption, height);
    for (size_t i = 0; i < nrows && rc == CEV_OK; i++)
        rc = bar(b, &rows[i], nseries, (unsigned)(i * ROW_H), scale);
    if (rc == CEV_OK && nseries > 1)
        rc = legend(b, (unsigned)(nrows * ROW_H) + 10, names, nseries);
    return rc == CEV_OK ? close_svg(b) : rc;
}

cev_code pr_chart_columns(cev_buf *b, const char *caption, const unsigned long *counts,
                          const char *const *labels, size_t nbins)
{
    enum { TOP = 18, PLOT_H = 130, FOOT = 22, LEFT = 20 };
    unsigned long most = 1;
    for (size_t i = 0; i < nbins; i++)
        most = counts[i] > most ? counts[i] : most;
    double step = nbins ? (double)(WIDTH - 2 * LEFT) / (double)nbins : 0;
    cev_code rc = open_svg(b, caption, TOP + PLOT_H + FOOT);
    if (rc == CEV_OK)
        rc = cev_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>",
                            LEFT, TOP + PLOT_H, WIDTH - LEFT, TOP + PLOT_H);
    for (size_t i = 0; i < nbins && rc == CEV_OK; i++) {
        double h = (double)counts[i] * PLOT_H / (double)most;
        double x = LEFT + i * step + step * 0.15, w = step * 0.7;
        rc = cev_buf_printf(b,
                            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                            "fill=\"#4a6fa5\"/><text x=\"%.1f\" y=\"%.1f\" "
                            "text-anchor=\"middle\">%lu</text>"
                            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
                            x, TOP + PLOT_H - h, w, h, x + w / 2, TOP + PLOT_H - h - 4,
                            counts[i], x + w / 2, TOP + PLOT_H + 16);
        if (rc == CEV_OK)
            rc = label(b, labels[i]);
        if (rc == CEV_OK)
            rc = cev_buf_puts(b, "</text>");
    }
    return rc == CEV_OK ? close_svg(b) : rc;
}
