/* page.c - the documents' frame and style sheet (page.h).
 *
 * The printable width is 210 mm less two 16 mm margins: 178 mm.  Tables
 * have a fixed layout and every cell may break a long word anywhere, so
 * that no name, however long, pushes past it.  Escapes of hidden
 * characters (html.h) are boxed in red, to be seen. */
#include "print/page.h"

static const char style[] =
    "@page{size:A4;margin:16mm 16mm 18mm 16mm}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{margin:0;font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,Helvetica,sans-serif;"
    "font-size:9.5pt;line-height:1.35;color:#000;overflow-wrap:anywhere}\n"
    "@media screen{body{width:178mm;margin:8mm auto}"
    ".page+.page{border-top:1.5pt dashed #888;margin-top:10mm;padding-top:8mm}}\n"
    "h1{font-size:16pt;margin:0 0 2mm}\n"
    "h2{font-size:11.5pt;margin:6mm 0 2mm;padding-bottom:1mm;border-bottom:0.8pt solid #000;"
    "break-after:avoid}\n"
    "h3{font-size:10pt;margin:4mm 0 1.5mm;break-after:avoid}\n"
    "p{margin:1mm 0 2mm}\n"
    "header{border-bottom:1.5pt solid #000;padding-bottom:3mm;margin-bottom:3mm}\n"
    ".certifier{font-size:10.5pt;font-weight:bold;margin:0 0 2mm}\n"
    ".subtitle{font-size:11pt;margin:0}\n"
    "table{width:100%;border-collapse:collapse;table-layout:fixed;margin:1mm 0 3mm}\n"
    "th,td{border:0.5pt solid #777;padding:1.2mm 1.6mm;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere;word-break:break-word}\n"
    "th{background:#eee;font-weight:bold}\n"
    "thead{display:table-header-group}\n"
    "tr{break-inside:avoid}\n"
    "table.facts th{width:32mm;background:none;border:none;padding-left:0}\n"
    "table.facts td{border:none}\n"
    "table.seal th{width:48mm}\n"
    ".id,.seq{font-size:8pt;color:#333}\n"
    ".nom{font-weight:bold}\n"
    ".hash{font-family:\"DejaVu Sans Mono\",\"Liberation Mono\",monospace;font-size:8pt;"
    "word-break:break-all}\n"
    ".validated{background:#e3f1e4}\n"
    ".not_validated{background:#f8e1e1}\n"
    ".absent{background:#fdf1d6}\n"
    ".not_presented{color:#555}\n"
    ".awarded{font-weight:bold}\n"
    ".note{display:block;font-size:7.5pt;color:#333}\n"
    "tr.why td{font-size:8pt;border-top:none}\n"
    ".warn{border-left:2.5pt solid #c62828;padding:1mm 2mm;background:#fbeaea}\n"
    ".esc{font-family:monospace;font-size:0.9em;color:#900;border:0.5pt solid #c00;"
    "padding:0 0.5pt}\n"
    ".block{break-inside:avoid}\n"
    ".detail{font-size:8pt;color:#444}\n"
    "figure.chart{margin:2mm 0 4mm;break-inside:avoid}\n"
    "figure.chart figcaption{font-weight:bold;margin-bottom:1mm}\n"
    "figure.chart svg{display:block;font-family:inherit}\n"
    ".signatures{break-inside:avoid;margin-top:6mm}\n"
    ".signatures table td{height:24mm}\n"
    ".verdict{font-size:13pt;font-weight:bold;border:1pt solid #000;padding:2mm 3mm;"
    "margin:2mm 0 3mm}\n"
    "ul.reasons{margin:0;padding-left:4mm;font-size:8.5pt}\n"
    "ul.reasons li{margin:0 0 0.8mm}\n"
    ".sign{break-inside:avoid;margin-top:3mm}\n"
    ".sign .space{height:14mm;margin:0}\n"
    ".page{break-after:page}\n"
    ".page:last-child{break-after:auto}\n";

void pr_page_open(pr_out *o, const char *what, const char *name, const char *css)
{
    pr_raw(o, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    pr_raw(o, what);
    pr_esc(o, name);
    pr_raw(o, "</title>\n<style>\n");
    pr_raw(o, style);
    if (css)
        pr_raw(o, css);
    pr_raw(o, "</style>\n</head>\n<body>\n");
}

void pr_page_close(pr_out *o)
{
    pr_raw(o, "</body>\n</html>\n");
}
