/* account/bins.h: what accounting produces, the rows a store keeps.
 *
 * A bin row is one host's 12 class byte and packet counters for one
 * direction and one 5-minute bin; a batch is the rows an agg hands to the
 * store at once. They are accounting's output, so they live here, and the
 * store (store/store.h) takes them as its input: the dependency runs one
 * way, from the store to accounting. */
#ifndef OF_ACCOUNT_BINS_H
#define OF_ACCOUNT_BINS_H

#include <stddef.h>
#include <stdint.h>

#include "account/classes.h"
#include "util/addr.h"

/* Counters saturate here (in memory and in the store) rather than wrap or
 * leave the signed 64-bit range SQL databases use. */
#define BIN_COUNTER_MAX ((uint64_t)1 << 62)

struct bin_row {
    struct of_addr host; /* 0.0.0.0 (ADDR_V4, all zero) = all hosts */
    uint8_t dir;         /* enum traffic_dir */
    int64_t ts;          /* bin start, UNIX seconds, multiple of BIN_SECONDS */
    uint64_t bytes[CLASS__COUNT];
    uint64_t packets[CLASS__COUNT];
};

struct bin_batch {
    const struct bin_row *rows;
    size_t n;
};

#endif
