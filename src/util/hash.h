/* util/hash.h: keyed hashing for tables whose keys come from the network.
 *
 * SipHash-1-3 (as Rust's HashMap and Python's str hash use): with a key
 * chosen at start, a sender cannot pick addresses that all land in one
 * bucket. */
#ifndef OF_UTIL_HASH_H
#define OF_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

struct hash_key {
    uint64_t k0;
    uint64_t k1;
};

uint64_t hash_siphash13(const struct hash_key *key, const void *data, size_t len);

/* A key from the system's random source (arc4random on the BSDs,
 * getrandom/urandom elsewhere), mixed with the time if both fail. */
void hash_key_random(struct hash_key *key);

/* A fixed key for reproducible runs (tests, benchmarks). */
void hash_key_from_seed(struct hash_key *key, uint64_t seed);

#endif
