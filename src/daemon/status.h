/* daemon/status.h: a snapshot of the collector's counters, for the
 * status API and the metrics.
 *
 * The daemon's writer thread builds a snapshot about once a second (it
 * already takes each worker's lock to swap aggs, so a worker never waits
 * for a reader of the status) and publishes it on a board. HTTP threads
 * take a reference to the latest one and read it at leisure; a snapshot is
 * never changed after it is published, and lives until the last reference
 * is dropped. Exporters are merged across workers by address: each worker
 * keeps its own table, and an exporter may be seen by several. */
#ifndef OF_DAEMON_STATUS_H
#define OF_DAEMON_STATUS_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "account/agg.h"
#include "decode/exporter.h"
#include "store/retention.h"
#include "util/addr.h"
#include "util/compiler.h"

struct status_listener {
    struct of_addr addr;
    uint16_t port;
    const char *protocol;  /* "netflow" (v5, v9 and IPFIX) or "sflow", static */
    uint64_t kernel_drops; /* summed over the workers' sockets */
    uint64_t truncated;
};

struct status_exporter {
    struct of_addr addr;
    uint32_t rate;     /* latest signalled sampling rate; 0 = none (the default applies) */
    uint64_t first_ms; /* UNIX ms */
    uint64_t last_ms;
    struct exporter_stats st;
};

struct status {
    atomic_uint refs;
    uint64_t taken_ms;   /* when the snapshot was built, UNIX ms */
    uint64_t started_ms; /* when the collector started, UNIX ms */
    unsigned workers;
    uint32_t default_rate; /* SAMPLING_RATE */
    struct status_listener *listeners;
    size_t nlisteners, listeners_cap;
    struct status_exporter *exporters; /* in address order after status_finish */
    size_t nexporters, exporters_cap;
    uint64_t exporters_refused; /* datagrams from exporters past MAX_EXPORTERS */
    struct agg_stats acct;
    uint64_t rows_written;            /* rows written to the store */
    uint64_t flush_errors;            /* failed writes (retried) */
    struct retention_stats retention; /* its options and what it deleted */
};

/* An empty snapshot with one reference. NULL on allocation failure. */
struct status *status_new(void);

/* Drops a reference; the last one frees. NULL-safe. */
void status_put(struct status *s);

/* Adds a listening socket; a socket of another worker on the same address
 * and port is merged into it. 0 or -ENOMEM. */
OF_MUST_CHECK int status_add_listener(struct status *s, const struct of_addr *addr, uint16_t port,
                                      const char *protocol, uint64_t kernel_drops,
                                      uint64_t truncated);

/* Copies one worker's view of an exporter. 0 or -ENOMEM. */
OF_MUST_CHECK int status_add_exporter(struct status *s, const struct exporter *e);

/* Adds one worker's accounting counters. */
void status_add_acct(struct status *s, const struct agg_stats *a);

/* Sorts the exporters by address and merges the entries of one address:
 * counters add up, first and last seen are the extremes, and the rate is
 * the one of the worker that heard from it last. */
void status_finish(struct status *s);

/* Where the latest snapshot is published. Thread-safe. */
struct status_board;

struct status_board *status_board_new(void);    /* NULL on allocation failure */
void status_board_free(struct status_board *b); /* drops the published snapshot; NULL-safe */

/* Replaces the published snapshot with s, taking over the caller's reference. */
void status_board_publish(struct status_board *b, struct status *s);

/* A reference to the latest snapshot (release with status_put), or NULL
 * when none has been published yet. */
struct status *status_board_get(struct status_board *b);

#endif
