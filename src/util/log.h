/* util/log.h: one line per event. Lines go to stderr with a timestamp (a
 * terminal, a file), to stderr with "<N>" priority prefixes when stderr is
 * systemd's journal (it reads the level from them and stamps the time
 * itself), or to syslog(3) with the daemon facility. Messages about what
 * senders do are rate-limited with log_every so a flood of bad packets
 * cannot flood the log. Thread-safe once the sink is chosen. */
#ifndef OF_UTIL_LOG_H
#define OF_UTIL_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "util/compiler.h"

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

enum log_sink {
    LOG_SINK_STDERR,  /* "2024-05-14T10:00:00Z info: message" on stderr (the default) */
    LOG_SINK_JOURNAL, /* "<6>message" on stderr, for systemd's journal */
    LOG_SINK_SYSLOG,  /* syslog(3), facility daemon, ident "ophanimflow" */
};

void log_set_level(enum log_level max);

/* Chooses where lines go; call it before starting threads. */
void log_set_sink(enum log_sink sink);

/* LOG_SINK_JOURNAL when stderr is the journal (the device and inode that
 * systemd puts in JOURNAL_STREAM are stderr's), else LOG_SINK_STDERR. */
enum log_sink log_detect_sink(void);

void log_msg(enum log_level lvl, const char *fmt, ...) OF_PRINTF(2, 3);

/* A rate limit: true at most once per interval_s seconds (per limiter). */
struct log_limit {
    int64_t next;
    uint64_t suppressed;
};
bool log_every(struct log_limit *l, unsigned interval_s);

#endif
