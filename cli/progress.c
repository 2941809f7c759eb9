/*
 * progress.c - the progress line (docs/certeval.1): records done, problems found,
 * rate, on stderr when it is a terminal, unless -q.  One line, rewritten in
 * place; cleared before any other line is printed, so that the two never
 * share a line of the terminal.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define EVERY 2000 /* records between two updates */

void cli_progress_init(cli_progress *p, int quiet, const char *unit, const char *problems)
{
    p->on = !quiet && isatty(STDERR_FILENO);
    p->shown = 0;
    p->unit = unit;
    p->problems = problems;
    clock_gettime(CLOCK_MONOTONIC, &p->start);
}

/* The singular of the units the commands count in ("1 record", "1 error");
 * other words (adjectives: "different", "would change") are invariable. */
static const char *unit_for(long n, const char *plural)
{
    static const char *const forms[][2] = {
        {"records", "record"}, {"errors", "error"}, {"entries", "entry"}};
    if (n == 1)
        for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
            if (strcmp(plural, forms[i][0]) == 0)
                return forms[i][1];
    return plural;
}

static void show(cli_progress *p, long done, long problems)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double s = (double)(now.tv_sec - p->start.tv_sec) + (now.tv_nsec - p->start.tv_nsec) / 1e9;
    /* \033[K: erases what a longer line left */
    fprintf(stderr, "\rcerteval: %ld %s, ", done, unit_for(done, p->unit));
    if (p->problems)
        fprintf(stderr, "%ld %s, ", problems, unit_for(problems, p->problems));
    fprintf(stderr, "%.0f %s/s\033[K", s > 0 ? done / s : 0.0, p->unit);
    p->shown = 1;
}

void cli_progress_step(cli_progress *p, long done, long problems)
{
    if (p->on && done % EVERY == 0)
        show(p, done, problems);
}

void cli_progress_clear(cli_progress *p)
{
    if (p->on && p->shown) {
        fflush(stdout); /* what was printed before the line goes first */
        fputs("\r\033[K", stderr);
        p->shown = 0;
    }
}

void cli_progress_end(cli_progress *p, long done, long problems)
{
    if (!p->on)
        return;
    show(p, done, problems);
    fputc('\n', stderr);
    p->shown = 0;
}
