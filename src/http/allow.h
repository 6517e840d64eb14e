/* http/allow.h: ENDPOINTS_HOSTS, the clients allowed to read data.
 *
 * As in the original, the list holds exact client addresses (no prefixes)
 * and an empty list lets everyone in. A client reaching a dual-stack
 * socket over IPv4 shows up as ::ffff:a.b.c.d; it is compared as the
 * plain IPv4 address, so "127.0.0.1" in the list matches it. Read-only
 * after allow_init: any number of threads may check. */
#ifndef OF_HTTP_ALLOW_H
#define OF_HTTP_ALLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "config/config.h"
#include "util/addr.h"
#include "util/compiler.h"

struct allow {
    struct of_addr a[CONFIG_MAX_ADDRS];
    size_t n; /* 0: everyone */
};

/* Parses the configured list. 0, or -EINVAL for an entry that is not an
 * address (the config reader refuses those already). */
OF_MUST_CHECK int allow_init(struct allow *al, const struct addr_list *hosts);

/* True when the client at addr may read. */
bool allow_addr(const struct allow *al, const struct of_addr *addr);

/* The same for a socket address (AF_INET or AF_INET6); anything else, or
 * NULL, is refused when the list is not empty. */
bool allow_sockaddr(const struct allow *al, const struct sockaddr *sa);

/* A socket address as an of_addr, IPv4-mapped IPv6 unmapped. 0 or -EINVAL. */
OF_MUST_CHECK int allow_from_sockaddr(const struct sockaddr *sa, struct of_addr *out);

#endif
