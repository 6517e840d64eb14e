/* util/log.c: timestamped log lines on stderr. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static enum log_level max_level = LOG_INFO;
static const char *const level_names[] = {"error", "warning", "info", "debug"};

void log_set_level(enum log_level max)
{
    max_level = max;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl > max_level)
        return;
    char line[1024];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = (int)strftime(line, sizeof(line), "%Y-%m-%dT%H:%M:%SZ ", &tm);
    n += snprintf(line + n, sizeof(line) - (size_t)n, "%s: ", level_names[lvl]);
    va_list ap;
    va_start(ap, fmt);
    if (n > 0 && (size_t)n < sizeof(line))
        (void)vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    /* one fputs per line: stdio locks the stream, so lines never interleave */
    fprintf(stderr, "%s\n", line);
}

bool log_every(struct log_limit *l, unsigned interval_s)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    if (ts.tv_sec < l->next) {
        l->suppressed++;
        return false;
    }
    l->next = ts.tv_sec + interval_s;
    return true;
}
