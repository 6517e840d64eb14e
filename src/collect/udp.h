/* collect/udp.h: UDP sockets for the collectors, read in batches.
 *
 * A socket is bound with a large receive buffer (bursts of export datagrams
 * arrive faster than any thread can be scheduled) and, where the system has
 * them, SO_REUSEPORT (one socket per worker; the kernel keeps each exporter
 * on one of them, so its templates stay with one worker), recvmmsg (one
 * system call for up to UDP_BATCH datagrams) and SO_RXQ_OVFL (the kernel's
 * count of datagrams it dropped because the buffer was full). Without them
 * the portable recvmsg path is used. */
#ifndef OF_COLLECT_UDP_H
#define OF_COLLECT_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/addr.h"
#include "util/compiler.h"

#define UDP_BATCH     64
#define UDP_MAX_DGRAM 65536

struct udp_sock {
    int fd;
    uint16_t port;
    struct of_addr bound;
    uint64_t kernel_drops; /* datagrams the kernel dropped (SO_RXQ_OVFL), where told */
    uint64_t truncated;    /* datagrams larger than UDP_MAX_DGRAM (not decoded) */
};

struct udp_batch {
    size_t n;
    struct of_addr from[UDP_BATCH];
    size_t len[UDP_BATCH];
    uint8_t *buf; /* UDP_BATCH * UDP_MAX_DGRAM bytes */
};

/* Binds addr:port (IPv6 sockets are IPv6-only, so that 0.0.0.0 and :: can
 * both be bound). rcvbuf is the wanted receive buffer in bytes (the kernel
 * may grant less: the granted size is logged). 0 or -errno. */
OF_MUST_CHECK int udp_open(struct udp_sock *s, const char *addr, uint16_t port, int rcvbuf,
                           bool reuseport);
void udp_close(struct udp_sock *s);

/* True when several sockets can share one port with the kernel spreading
 * datagrams over them (so several workers can receive). */
bool udp_can_share_port(void);

/* Whether addr:port could be bound by a socket that shares it with nobody:
 * 0, or -EADDRINUSE when another socket holds it. Binding with SO_REUSEPORT
 * would succeed beside another process's socket of the same user, which
 * then takes a share of the datagrams: the first of our sockets asks this
 * first, and a second collector's first socket finds ours. */
OF_MUST_CHECK int udp_probe(const char *addr, uint16_t port);

/* The port actually bound (useful when port 0 was asked for). */
uint16_t udp_local_port(const struct udp_sock *s);

OF_MUST_CHECK int udp_batch_init(struct udp_batch *b);
void udp_batch_fini(struct udp_batch *b);

/* Receives what is waiting without blocking, up to UDP_BATCH datagrams.
 * Returns how many (0 when none), or -errno. */
int udp_recv(struct udp_sock *s, struct udp_batch *b);

#endif
