/* collect/daemon.h: the collector service (ophanimflow run). */
#ifndef OF_COLLECT_DAEMON_H
#define OF_COLLECT_DAEMON_H

#include "config/config.h"
#include "store/store.h"
#include "util/compiler.h"

/* Listens, collects and writes to st every cfg->flush_interval seconds
 * until SIGTERM or SIGINT, then receives what is still queued, writes
 * everything it holds and returns 0. -errno when it cannot start (no socket
 * could be bound). Blocks SIGTERM, SIGINT and SIGHUP in the calling thread. */
OF_MUST_CHECK int daemon_run(const struct of_config *cfg, struct store *st);

#endif
