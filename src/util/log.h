/* util/log.h: one line per event, to stderr (the journal takes it from
 * there under systemd). Messages about what senders do are rate-limited with
 * log_every so a flood of bad packets cannot flood the log. Thread-safe. */
#ifndef OF_UTIL_LOG_H
#define OF_UTIL_LOG_H

#include <stdbool.h>
#include <stdint.h>

#include "util/compiler.h"

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_set_level(enum log_level max);
void log_msg(enum log_level lvl, const char *fmt, ...) OF_PRINTF(2, 3);

/* A rate limit: true at most once per interval_s seconds (per limiter). */
struct log_limit {
    int64_t next;
    uint64_t suppressed;
};
bool log_every(struct log_limit *l, unsigned interval_s);

#endif
