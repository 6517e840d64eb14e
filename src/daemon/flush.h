/* daemon/flush.h: moving counters from an agg into the store. */
#ifndef OF_DAEMON_FLUSH_H
#define OF_DAEMON_FLUSH_H

#include <stddef.h>

#include "account/agg.h"
#include "store/store.h"
#include "util/compiler.h"

/* Writes every row of a (host rows and their 0.0.0.0 sums) in one store
 * transaction, then empties a. On failure a keeps its rows, so a later
 * flush can try again. *rows (may be NULL) gets the number written. */
OF_MUST_CHECK int flush_agg(struct store *st, struct agg *a, size_t *rows);

#endif
