/* decode/flow.h: what every decoder produces, whatever the protocol.
 *
 * A flow record is one direction of traffic between two addresses, with its
 * counters as the exporter reported them (not yet renormalized) and its times
 * already converted to absolute UNIX milliseconds, so that the accounting
 * never needs to know which protocol or clock form a record came from.
 * Decoders append records to a caller-owned batch; a rejected set is rolled
 * back by resetting the batch length to where the set started. */
#ifndef OF_DECODE_FLOW_H
#define OF_DECODE_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/addr.h"

struct flow_rec {
    struct of_addr src;
    struct of_addr dst;
    uint64_t bytes;    /* layer-3 bytes as exported (before sampling) */
    uint64_t packets;  /* packets as exported (before sampling) */
    uint64_t start_ms; /* UNIX ms of the first packet; 0 = unknown */
    uint64_t end_ms;   /* UNIX ms of the last packet; 0 = unknown */
    uint32_t sampling; /* 1-in-N rate the exporter signalled; 0 = none signalled */
    uint16_t sport;    /* 0 for protocols without ports */
    uint16_t dport;
    uint8_t proto; /* IP protocol number */
};

struct flow_batch {
    struct flow_rec *recs;
    size_t n;
    size_t cap;
};

/* The next free record, zeroed, or NULL when the batch is full. */
static inline struct flow_rec *flow_batch_push(struct flow_batch *b)
{
    if (b->n >= b->cap)
        return NULL;
    struct flow_rec *r = &b->recs[b->n++];
    memset(r, 0, sizeof(*r));
    return r;
}

#endif
