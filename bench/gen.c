/*
 * gen.c - writes a realistic session of N candidates for a title package:
 * evidence for every assessment of every modality (situation, oral, dossier,
 * field, quiz), 2-3 assessors, some absences, missing dossiers, capitalised
 * blocks and deliberations.  Deterministic for a seed.
 *   gen PACKAGE_DIR N [SEED [ASSESSORS]] > session.jsonl
 * ASSESSORS fixes the number of assessors of every situation and oral.
 */
#include <cjson/cJSON.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static unsigned rnd(unsigned n) /* xorshift64*, uniform enough for a benchmark */
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (unsigned)((state * 2685821657736338717ULL) >> 33) % n;
}

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* The session's calendar: every dossier whose config has a deadline
 * (deadline_days) is due on 2024-03-01 (a work submitted on 2024-03-04 is
 * late), written as session.deadlines. */
static void deadlines(const cJSON *blocks)
{
    int first = 1;
    const cJSON *b, *a;
    cJSON_ArrayForEach(b, blocks)
    {
        cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(b, "assessments"))
        {
            const cJSON *config = cJSON_GetObjectItemCaseSensitive(a, "config");
            if (strcmp(str(a, "modality"), "dossier") != 0 ||
                !cJSON_GetObjectItemCaseSensitive(config, "deadline_days"))
                continue;
            printf("%s\"%s\": \"2024-03-01\"", first ? ", \"deadlines\": {" : ", ", str(a, "id"));
            first = 0;
        }
    }
    if (!first)
        printf("}");
}

static double num(const cJSON *o, const char *k, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

/* A rating on [0, max] in half points, mostly in the upper half. */
static void rating(double max)
{
    unsigned steps = (unsigned)(max * 2);
    unsigned r = steps / 3 + rnd(steps - steps / 3 + 1);
    printf("%g", r / 2.0);
}

static void grid(const cJSON *config, int per_item_max, unsigned assessors)
{
    const cJSON *criteria = cJSON_GetObjectItemCaseSensitive(config, "criteria");
    printf("\"assessors\": {");
    for (unsigned j = 0; j < assessors; j++) {
        printf("%s\"J%u\": {", j ? ", " : "", j + 1);
        int first = 1;
        for (const cJSON *c = criteria ? criteria->child : NULL; c; c = c->next) {
            printf("%s\"%s\": ", first ? "" : ", ", str(c, "id"));
            rating(per_item_max ? num(c, "max", 4) : num(config, "scale_max", 3));
            first = 0;
        }
        printf("}");
    }
    printf("}");
}

static void evidence(const cJSON *a, unsigned assessors)
{
    const char *m = str(a, "modality");
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(a, "config");
    unsigned roll = rnd(100);
    printf("\"%s\": {", str(a, "id"));
    if (roll < 2) {
        printf("\"status\": \"absent\"}");
        return;
    }
    if (strcmp(m, "field") == 0) {
        printf("\"supervisor\": \"T%u\", \"ratings\": {", 1 + rnd(40));
        const cJSON *comps = cJSON_GetObjectItemCaseSensitive(config, "competencies");
        for (const cJSON *c = comps ? comps->child : NULL; c; c = c->next) {
            printf("%s\"%s\": ", c == comps->child ? "" : ", ", c->valuestring);
            if (rnd(20) == 0)
                printf("null");
            else
                rating(num(config, "scale_max", 4));
        }
        printf("}}");
    } else if (strcmp(m, "quiz") == 0) {
        printf("\"answers\": {");
        const cJSON *qs = cJSON_GetObjectItemCaseSensitive(config, "questions");
        for (const cJSON *q = qs ? qs->child : NULL; q; q = q->next) {
            const cJSON *ans = cJSON_GetObjectItemCaseSensitive(q, "answer");
            printf("%s\"%s\": ", q == qs->child ? "" : ", ", str(q, "id"));
            if (rnd(4) == 0)
                printf("\"z\"");
            else {
                char *t = cJSON_PrintUnformatted(ans);
                printf("%s", t);
                cJSON_free(t);
            }
        }
        printf("}}");
    } else if (strcmp(m, "dossier") == 0) {
        if (roll < 4) {
            printf("\"status\": \"missing\"}");
            return;
        }
        printf("\"submitted_on\": \"%s\", \"pages\": %u, ", rnd(30) ? "2024-02-20" : "2024-03-04",
               8 + rnd(20));
        grid(config, 1, 1 + rnd(2));
        printf("}");
    } else { /* situation, oral */
        if (strcmp(m, "oral") == 0)
            printf("\"duration_minutes\": %u, ", 15 + rnd(30));
        grid(config, 0, assessors);
        printf("}");
    }
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: gen PACKAGE_DIR N [SEED [ASSESSORS]]\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/title.json", argv[1]);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return 2;
    }
    static char text[1 << 22];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[len] = '\0';
    cJSON *title = cJSON_Parse(text);
    if (title == NULL) {
        fprintf(stderr, "%s: not JSON\n", path);
        return 2;
    }
    long n = atol(argv[2]);
    unsigned fixed = argc > 4 ? (unsigned)atoi(argv[4]) : 0;
    state = argc > 3 ? strtoull(argv[3], NULL, 10) | 1 : 88172645463325252ULL;
    const cJSON *blocks = cJSON_GetObjectItemCaseSensitive(title, "blocks");
    const char *date = str(title, "valid_until")[0] ? str(title, "valid_until") : "2024-03-14";
    for (long i = 0; i < n; i++) {
        unsigned assessors = fixed ? fixed : 2 + rnd(2);
        printf("{\"candidate\": \"B%07ld\", \"title\": \"%s\", \"session\": {\"id\": \"BENCH\", "
               "\"date\": \"%s\"",
               i, str(title, "code"), date);
        deadlines(blocks);
        printf("}, \"jury\": [");
        unsigned members = assessors > 3 ? assessors : 3; /* everyone who assesses sits */
        for (unsigned j = 1; j <= members; j++)
            printf("%s{\"id\": \"J%u\", \"profile\": \"%s\"}", j > 1 ? ", " : "", j,
                   j == 2 ? "trainer" : "professional");
        printf("]");
        const cJSON *held = NULL;
        if (rnd(5) == 0) { /* a capitalised block */
            held = cJSON_GetArrayItem(blocks, (int)rnd((unsigned)cJSON_GetArraySize(blocks)));
            printf(", \"acquired_blocks\": [{\"block\": \"%s\", \"date\": \"2023-06-20\"}]",
                   str(held, "code"));
        }
        printf(", \"evidence\": {");
        int first = 1;
        for (const cJSON *b = blocks ? blocks->child : NULL; b; b = b->next) {
            if (b == held || rnd(10) == 0) /* held, or not presented */
                continue;
            const cJSON *as = cJSON_GetObjectItemCaseSensitive(b, "assessments");
            for (const cJSON *a = as ? as->child : NULL; a; a = a->next) {
                printf("%s", first ? "" : ", ");
                evidence(a, assessors);
                first = 0;
            }
        }
        printf("}");
        if (rnd(25) == 0) { /* on the first block, presented or not: an E_SCHEMA now and then */
            const cJSON *b = cJSON_GetArrayItem(blocks, 0);
            if (b != held)
                printf(", \"deliberation\": {\"%s\": {\"decision\": \"validated\", "
                       "\"motivation\": \"Délibération du jury\"}}",
                       str(b, "code"));
        }
        printf("}\n");
    }
    cJSON_Delete(title);
    return 0;
}
