/* store/cells.h: the counters of one stored row as one blob.
 *
 * A row of the SQLite store is one host and one step (a 5-minute bin, an
 * hour, a day); its counters are both directions' bytes and packets of
 * every class, and in the rollups also each class's peak bytes. Most of
 * them are zero (a host rarely has traffic of every class), so they are
 * kept as a blob of only the nonzero ones: per direction, a bit mask of
 * the classes present, then for each of those classes its values as
 * variable-length integers (7 bits a byte, low bits first). A typical bin
 * takes a few dozen bytes where 24 integer columns took about 60, and one
 * row holds both directions, which halves the rows and keys.
 *
 * The blob comes back from the file, which anyone can edit, so it is read
 * through a bounds-checked cursor and refused whole when it is malformed. */
#ifndef OF_STORE_CELLS_H
#define OF_STORE_CELLS_H

#include <stddef.h>
#include <stdint.h>

#include "account/bins.h"

/* What each class holds: a bin bytes and packets, a rollup also the peak. */
enum cells_kind {
    CELLS_BIN = 2,
    CELLS_ROLLUP = 3,
};

/* Values of one row: v[dir][k * CLASS__COUNT + class], k 0 bytes, 1
 * packets, 2 peak bytes (rollups only). */
#define CELLS_VALUES ((size_t)3 * CLASS__COUNT)
struct cells {
    uint64_t v[DIR__COUNT][CELLS_VALUES];
};

/* The longest blob: every value needs at most 9 bytes (they are at most
 * 2^62), a mask at most 2. */
#define CELLS_BLOB_MAX (DIR__COUNT * (2 + CELLS_VALUES * 9))

/* Writes c's first kind * CLASS__COUNT values of each direction to out
 * (CELLS_BLOB_MAX bytes) and returns the length. Values must be at most
 * BIN_COUNTER_MAX, as cells_decode accepts: cells_merge keeps them so. */
size_t cells_encode(const struct cells *c, enum cells_kind kind, uint8_t *out);

/* Reads a blob of the kind into c (all values; those the kind lacks are
 * zero). 0, or -EBADMSG when it is malformed: cut short, bytes left over,
 * a class that does not exist, a value past BIN_COUNTER_MAX. An empty blob
 * or NULL reads as all zero. */
int cells_decode(const void *blob, size_t len, enum cells_kind kind, struct cells *c);

/* The total bytes of each direction of a blob, which is checked whole as
 * cells_decode checks it; 0 or -EBADMSG. For the monthly totals, which
 * need nothing else of a row. */
int cells_totals(const void *blob, size_t len, enum cells_kind kind, uint64_t total[DIR__COUNT]);

/* a += b for the first kind * CLASS__COUNT values of each direction: sums
 * stop at BIN_COUNTER_MAX, and the peaks (rollups) take the larger. */
void cells_merge(struct cells *a, const struct cells *b, enum cells_kind kind);

#endif
