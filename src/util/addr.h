/* util/addr.h: an IPv4 or IPv6 address as a small value type.
 *
 * IPv4 addresses keep their 4 bytes at the front of b[] and zeros behind, so
 * that two addresses compare equal exactly when af and all 16 bytes are equal
 * and a hash can cover the whole struct. Bytes are in network order. */
#ifndef OF_UTIL_ADDR_H
#define OF_UTIL_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

#define ADDR_V4 4
#define ADDR_V6 6

/* Longest text form (INET6_ADDRSTRLEN) including the terminating NUL. */
#define ADDR_STRLEN 46

struct of_addr {
    uint8_t af; /* ADDR_V4, ADDR_V6, or 0 for "no address" */
    uint8_t b[16];
};

/* Builds an address from 4 (IPv4) or 16 (IPv6) network-order bytes. */
void addr_from_v4(struct of_addr *a, const uint8_t b[4]);
void addr_from_v6(struct of_addr *a, const uint8_t b[16]);

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes plain IPv4; anything
 * else is left as it is. Exporters behind dual-stack sockets arrive mapped. */
void addr_unmap(struct of_addr *a);

bool addr_equal(const struct of_addr *a, const struct of_addr *b);

/* Writes the RFC 5952 text form into buf (at least ADDR_STRLEN bytes).
 * Returns buf. An address with af 0 prints as "-". */
const char *addr_format(const struct of_addr *a, char *buf, size_t len);

/* Parses an IPv4 or IPv6 address. 0 on success, -EINVAL otherwise; *out is
 * written only on success. */
OF_MUST_CHECK int addr_parse(const char *s, struct of_addr *out);

/* Parses "addr/len" (or a bare address, taken as a host route). The address
 * is masked to the prefix length. 0 on success, -EINVAL otherwise. */
OF_MUST_CHECK int addr_parse_cidr(const char *s, struct of_addr *out, unsigned *prefix_len);

/* Zeroes every bit of a past the first prefix_len bits. */
void addr_mask(struct of_addr *a, unsigned prefix_len);

#endif
