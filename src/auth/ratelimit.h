/* auth/ratelimit.h: failed logins per client address, in memory.
 *
 * After RATELIMIT_FAILS failures from one address within RATELIMIT_WINDOW_S
 * seconds, that address must wait until the oldest of them is that old.
 * An attempt counts as a failure from the moment it is let through, so
 * that many attempts sent at once cannot all pass the check before the
 * first has failed; a successful login forgets the address's failures. IPv6
 * clients are counted per /64, the block one subscriber usually holds.
 * The table has a fixed number of slots; when it is full, the address
 * whose last failure is the oldest is forgotten. Thread-safe. */
#ifndef OF_AUTH_RATELIMIT_H
#define OF_AUTH_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "util/addr.h"

#define RATELIMIT_FAILS    5
#define RATELIMIT_WINDOW_S 300
#define RATELIMIT_CLIENTS  4096 /* addresses remembered at most */

struct ratelimit;

/* Remembers up to max_clients addresses. NULL on allocation failure. */
struct ratelimit *ratelimit_new(size_t max_clients);
void ratelimit_free(struct ratelimit *rl); /* NULL-safe */

/* A login attempt from client at now (UNIX seconds). 0 when it may go on,
 * and it is counted as a failure until ratelimit_success; otherwise the
 * seconds (at least 1) until the client may try again. */
unsigned ratelimit_attempt(struct ratelimit *rl, const struct of_addr *client, int64_t now);

/* The attempt succeeded: the client's failures are forgotten. */
void ratelimit_success(struct ratelimit *rl, const struct of_addr *client);

/* Addresses remembered now (for tests). */
size_t ratelimit_count(struct ratelimit *rl);

#endif
