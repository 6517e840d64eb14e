/* daemon/livenets.h: the local networks the collector uses now, which
 * may be replaced while it runs (networks added in the dashboard, a
 * reloaded config file).
 *
 * Each published table is a version with a reference count. Readers hold
 * a version while they use it; publishing puts a new version in place and
 * the old one is freed when its last holder lets go. A receive worker
 * keeps a version across batches and checks once per batch (one atomic
 * load) whether a newer one was published; HTTP threads hold one for a
 * request. So at most one version per worker and per request in progress
 * outlives its replacement, and none for longer than a worker's poll
 * interval or a request. Thread-safe. */
#ifndef OF_DAEMON_LIVENETS_H
#define OF_DAEMON_LIVENETS_H

#include "account/nets.h"
#include "util/compiler.h"

struct livenets;
struct netsref; /* one held version */

/* Publishes first (built, see nets_build), which it now owns. NULL on
 * allocation failure (first is freed then). */
struct livenets *livenets_new(struct nets *first);

/* Frees the current version once nobody holds it. Every netsref must have
 * been put, or be put later. NULL-safe. */
void livenets_free(struct livenets *l);

/* Replaces the current version with n (built), which it now owns. 0, or
 * -ENOMEM with n freed and the current version kept. */
OF_MUST_CHECK int livenets_publish(struct livenets *l, struct nets *n);

/* The current version, held until netsref_put. Never NULL. */
struct netsref *livenets_get(struct livenets *l);

/* Lets go of a version. NULL-safe. */
void netsref_put(struct netsref *r);

const struct nets *netsref_nets(const struct netsref *r);

/* For a reader that keeps a version across uses: when *held (NULL at
 * first) is not the current version, puts it and takes the current one.
 * Returns the networks of *held. Costs one atomic load when nothing
 * changed. */
const struct nets *livenets_refresh(struct livenets *l, struct netsref **held);

#endif
