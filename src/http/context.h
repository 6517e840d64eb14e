/* http/context.h: what the server's endpoints share. The server fills it
 * before it starts listening; endpoints only read it, from any number of
 * threads (the store pool, the counters and the allow list under its lock
 * are what may change meanwhile). */
#ifndef OF_HTTP_CONTEXT_H
#define OF_HTTP_CONTEXT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "http/allow.h"
#include "util/addr.h"

#define HTTP_MAX_LISTENERS CONFIG_MAX_ADDRS

struct appdb;
struct dbpool;
struct networks;
struct ratelimit;
struct status_board;

/* Answers by status class, for the metrics. */
enum http_code_class { HTTP_2XX, HTTP_3XX, HTTP_4XX, HTTP_5XX, HTTP_CODE__COUNT };

struct http_counters {
    atomic_uint_fast64_t replies[HTTP_CODE__COUNT];
    atomic_uint_fast64_t slow_closed; /* connections closed for taking too long */
};

struct http_listener {
    struct of_addr addr;
    uint16_t port;
};

struct http_ctx {
    const struct of_config *cfg;
    struct dbpool *db;
    struct status_board *board;  /* NULL when no collector publishes status */
    pthread_rwlock_t allow_lock; /* a reload replaces allow under it */
    struct allow allow;          /* ENDPOINTS_HOSTS */
    struct appdb *app;           /* the dashboard's tables; NULL: nobody can log in */
    struct networks *networks;   /* NULL: the config's networks, read-only */
    struct ratelimit *logins;    /* failed logins per client address */
    const char *font;            /* chart font file; NULL when none was found */
    uint64_t started_ms;         /* UNIX ms */
    struct http_listener listeners[HTTP_MAX_LISTENERS];
    size_t nlisteners;
    struct http_counters counters;
};

#endif
