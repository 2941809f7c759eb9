/*
 * floor.c - the cost of merely reading and writing the JSON: parses each
 * line of stdin with cJSON and prints it back, one line per line.  The
 * benchmark compares certeval with this.
 */
#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    static char out[1 << 24];
    while ((n = getline(&line, &cap, stdin)) > 0) {
        cJSON *j = cJSON_ParseWithLength(line, (size_t)n);
        if (j && cJSON_PrintPreallocated(j, out, sizeof out, 0))
            puts(out);
        else
            puts("null");
        cJSON_Delete(j);
    }
    free(line);
    return 0;
}
