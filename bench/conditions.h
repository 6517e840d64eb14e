/* bench/conditions.h: the conditions a benchmark's figures were measured
 * in, printed before them: a figure means little without the build type,
 * the number of cores and how busy the machine was. */
#ifndef OF_BENCH_CONDITIONS_H
#define OF_BENCH_CONDITIONS_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifndef OF_BUILD_TYPE
#define OF_BUILD_TYPE "?"
#endif

static inline void bench_print_conditions(void)
{
    char line[128] = "?";
    FILE *f = fopen("/proc/loadavg", "r");
    if (f) {
        if (!fgets(line, sizeof(line), f))
            (void)snprintf(line, sizeof(line), "?");
        fclose(f);
    }
    line[strcspn(line, "\n")] = '\0';
    printf("build %s, %ld cores, load average at start: %s (figures are only as good as the "
           "machine is idle)\n\n",
           OF_BUILD_TYPE, sysconf(_SC_NPROCESSORS_ONLN), line);
}

#endif
