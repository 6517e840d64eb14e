/* daemon/ingest.h: the one path every datagram takes, live or from a file.
 *
 * An ingest owns what a receiving thread needs to turn datagrams into
 * counters: its exporter table, its v9/IPFIX templates, a record batch and
 * the agg the counters go to. The UDP workers and the capture importer both
 * feed datagrams through ingest_datagram, so a capture is accounted exactly
 * as if its packets had arrived on the wire.
 *
 * Threads: the owning thread calls ingest_datagram between ingest_lock and
 * ingest_unlock (once per receive batch); the writer swaps the agg out with
 * ingest_swap_agg under the same lock. Counters may be read by others
 * without the lock: they are monotonic and only ever approximately current. */
#ifndef OF_DAEMON_INGEST_H
#define OF_DAEMON_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/agg.h"
#include "config/config.h"
#include "decode/exporter.h"
#include "util/addr.h"
#include "util/hash.h"

#define INGEST_MAX_RECORDS 8192 /* records one datagram may yield */

struct ingest;

/* NULL on allocation failure. cfg and budget (the memory the counters of
 * every ingest and spare agg may hold together, NULL for no limit but
 * MAX_ROWS) must outlive the ingest. */
struct ingest *ingest_new(const struct of_config *cfg, struct agg_budget *budget,
                          const struct hash_key *key);
void ingest_free(struct ingest *in); /* accepts NULL */

void ingest_lock(struct ingest *in);
void ingest_unlock(struct ingest *in);

/* The local networks the next datagrams are accounted with (cfg->nets
 * until then). nets must stay valid until it is replaced or the ingest is
 * freed. Call with the lock held. */
void ingest_use_nets(struct ingest *in, const struct nets *nets);

/* Decodes and accounts one datagram from `from`, arrived at arrival_ms. */
void ingest_datagram(struct ingest *in, const struct of_addr *from, const uint8_t *p, size_t len,
                     uint64_t arrival_ms);

/* True when the agg should be emptied before it fills. */
bool ingest_needs_flush(const struct ingest *in);

/* Hands out the current agg and puts `fresh` (empty) in its place. Call
 * with the lock held. */
struct agg *ingest_swap_agg(struct ingest *in, struct agg *fresh);

/* The current agg (call with the lock held). */
struct agg *ingest_agg(struct ingest *in);

/* Accounting and exporter counters, for summaries and status. */
const struct agg_stats *ingest_agg_stats(const struct ingest *in);
struct exporter_tab *ingest_exporters(struct ingest *in);

#endif
