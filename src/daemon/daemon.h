/* daemon/daemon.h: the collector service (ophanimflow run). */
#ifndef OF_DAEMON_DAEMON_H
#define OF_DAEMON_DAEMON_H

#include "config/config.h"
#include "daemon/livenets.h"
#include "daemon/status.h"
#include "store/store.h"
#include "util/compiler.h"

struct daemon;

/* Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (so that threads
 * started afterwards, the daemon's and the caller's, inherit the mask),
 * binds the sockets and starts the workers. When board is not NULL, a
 * status snapshot is published on it now and about once a second. With
 * live (may be NULL), the workers account with the networks published
 * there, from the next batch on; without, with cfg->nets. 0, or -errno
 * when it cannot start (no socket could be bound). cfg, st, board and live
 * must outlive the daemon. */
OF_MUST_CHECK int daemon_new(struct daemon **out, const struct of_config *cfg, struct store *st,
                             struct status_board *board, struct livenets *live);

/* fn(arg) runs in daemon_wait's thread at each SIGHUP (without it, SIGHUP
 * is only logged). Call before daemon_wait. */
void daemon_on_reload(struct daemon *d, void (*fn)(void *arg), void *arg);

/* Replaces the retention options the daemon started with (a reload); the
 * writer applies them at its next tick. Call only from the reload hook,
 * which runs in the writer's thread. */
void daemon_set_retention(struct daemon *d, const struct retention_cfg *cfg);

/* Writes to st every cfg->flush_interval seconds until SIGTERM or SIGINT,
 * and keeps the store within its retention (store/retention.h). */
void daemon_wait(struct daemon *d);

/* Stops the workers, receives what is still queued, writes everything
 * held, logs the totals and frees. 0, or -EIO when counters could not be
 * written (each loss logged with its size). NULL-safe. */
int daemon_free(struct daemon *d);

/* daemon_new without status, daemon_wait, daemon_free: 0 or the error of
 * daemon_new or daemon_free. */
OF_MUST_CHECK int daemon_run(const struct of_config *cfg, struct store *st);

#endif
