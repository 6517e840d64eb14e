/* util/log.c: log lines to stderr, the journal or syslog.
 *
 * A line is formatted once into a buffer and written with one call, so
 * lines from several threads never interleave. On stderr it carries its own
 * UTC timestamp and level name; the journal and syslog keep time and level
 * themselves, so there the line is only the message, its level given as an
 * RFC 5424 severity: a "<N>" prefix the journal reads (SyslogLevelPrefix,
 * on by default) or syslog's priority. */
#include "util/log.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/syslog_sink.h"

static enum log_level max_level = LOG_INFO;
static enum log_sink sink = LOG_SINK_STDERR;
static const char *const level_names[] = {"error", "warning", "info", "debug"};
/* RFC 5424 severities of the levels: err, warning, info, debug. */
static const int level_severity[] = {3, 4, 6, 7};

void log_set_level(enum log_level max)
{
    max_level = max;
}

void log_set_sink(enum log_sink s)
{
    sink = s;
    if (s == LOG_SINK_SYSLOG)
        syslog_sink_open("ophanimflow");
}

enum log_sink log_detect_sink(void)
{
    /* systemd sets JOURNAL_STREAM to "DEVICE:INODE" of the stream it gave
     * as stdout/stderr; a child whose stderr was redirected inherits the
     * variable, so the numbers must match stderr's to count. */
    const char *js = getenv("JOURNAL_STREAM");
    struct stat st;
    if (!js || fstat(STDERR_FILENO, &st) < 0)
        return LOG_SINK_STDERR;
    char want[64];
    int n = snprintf(want, sizeof(want), "%" PRIu64 ":%" PRIu64, (uint64_t)st.st_dev,
                     (uint64_t)st.st_ino);
    if (n < 0 || (size_t)n >= sizeof(want) || strcmp(js, want) != 0)
        return LOG_SINK_STDERR;
    return LOG_SINK_JOURNAL;
}

/* The line's prefix: a timestamp and level, or the journal's "<N>". */
static int format_prefix(enum log_level lvl, char *line, size_t len)
{
    if (sink == LOG_SINK_JOURNAL)
        return snprintf(line, len, "<%d>", level_severity[lvl]);
    if (sink == LOG_SINK_SYSLOG)
        return 0;
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    int n = (int)strftime(line, len, "%Y-%m-%dT%H:%M:%SZ ", &tm);
    return n + snprintf(line + n, len - (size_t)n, "%s: ", level_names[lvl]);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
    if (lvl > max_level)
        return;
    char line[1024];
    int n = format_prefix(lvl, line, sizeof(line));
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof(line))
        (void)vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
    va_end(ap);
    if (sink == LOG_SINK_SYSLOG) {
        syslog_sink_write(level_severity[lvl], line);
        return;
    }
    /* one fprintf per line: stdio locks the stream, so lines never interleave */
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
