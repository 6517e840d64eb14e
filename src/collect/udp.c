/* collect/udp.c: socket setup and batch receive. */
#include "collect/udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/log.h"

static int sock_bind(int fd, const struct of_addr *a, uint16_t port)
{
    struct sockaddr_storage ss;
    socklen_t sl;
    memset(&ss, 0, sizeof(ss));
    if (a->af == ADDR_V4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        memcpy(&sin->sin_addr, a->b, 4);
        sl = sizeof(*sin);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        memcpy(&sin6->sin6_addr, a->b, 16);
        sl = sizeof(*sin6);
    }
    return bind(fd, (struct sockaddr *)&ss, sl) < 0 ? -errno : 0;
}

static void sock_options(int fd, const struct of_addr *a, int rcvbuf, bool reuseport)
{
    int one = 1;
    if (a->af == ADDR_V6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
#if defined(HAVE_SO_REUSEPORT_LB)
    if (reuseport)
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEPORT_LB, &one, sizeof(one));
#elif defined(HAVE_SO_REUSEPORT)
    if (reuseport)
        (void)setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
#else
    (void)reuseport;
#endif
#ifdef HAVE_SO_RXQ_OVFL
    (void)setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof(one));
#endif
#ifdef SO_RCVBUFFORCE
    /* root may go past net.core.rmem_max; others get what SO_RCVBUF allows */
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
#endif
        (void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
}

int udp_open(struct udp_sock *s, const char *addr, uint16_t port, int rcvbuf, bool reuseport)
{
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    if (addr_parse(addr, &s->bound) < 0)
        return -EINVAL;
    int fd = socket(s->bound.af == ADDR_V4 ? AF_INET : AF_INET6, SOCK_DGRAM, 0);
    if (fd < 0)
        return -errno;
    sock_options(fd, &s->bound, rcvbuf, reuseport);
    int rc = sock_bind(fd, &s->bound, port);
    if (rc < 0) {
        close(fd);
        return rc;
    }
    s->fd = fd;
    s->port = udp_local_port(s);
    int got = 0;
    socklen_t gl = sizeof(got);
    if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &got, &gl) == 0 && got < rcvbuf)
        log_msg(LOG_WARN,
                "UDP %s:%u: receive buffer is %d bytes, %d asked (raise net.core.rmem_max)", addr,
                s->port, got, rcvbuf);
    return 0;
}

int udp_probe(const char *addr, uint16_t port)
{
    struct of_addr a;
    if (addr_parse(addr, &a) < 0)
        return -EINVAL;
    int fd = socket(a.af == ADDR_V4 ? AF_INET : AF_INET6, SOCK_DGRAM, 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    if (a.af == ADDR_V6)
        (void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    int rc = sock_bind(fd, &a, port);
    close(fd);
    return rc;
}

void udp_close(struct udp_sock *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

bool udp_can_share_port(void)
{
#if defined(HAVE_SO_REUSEPORT_LB) || defined(HAVE_SO_REUSEPORT)
    return true;
#else
    return false;
#endif
}

uint16_t udp_local_port(const struct udp_sock *s)
{
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    if (getsockname(s->fd, (struct sockaddr *)&ss, &sl) < 0)
        return 0;
    /* getsockname filled in ss, which the analyzer does not know.
     * NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

int udp_batch_init(struct udp_batch *b)
{
    memset(b, 0, sizeof(*b));
    b->buf = malloc((size_t)UDP_BATCH * UDP_MAX_DGRAM);
    return b->buf ? 0 : -ENOMEM;
}

void udp_batch_fini(struct udp_batch *b)
{
    free(b->buf);
    b->buf = NULL;
}

static void from_sockaddr(const struct sockaddr_storage *ss, struct of_addr *a)
{
    if (ss->ss_family == AF_INET) {
        addr_from_v4(a, (const uint8_t *)&((const struct sockaddr_in *)ss)->sin_addr);
    } else {
        addr_from_v6(a, (const uint8_t *)&((const struct sockaddr_in6 *)ss)->sin6_addr);
        addr_unmap(a);
    }
}

/* Reads the kernel's drop counter from a message's control data. */
static void note_drops(struct udp_sock *s, struct msghdr *m)
{
#ifdef HAVE_SO_RXQ_OVFL
    for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
            uint32_t drops;
            memcpy(&drops, CMSG_DATA(c), sizeof(drops));
            if (drops > s->kernel_drops)
                s->kernel_drops = drops;
        }
    }
#else
    (void)s;
    (void)m;
#endif
}

struct recv_slot {
    struct sockaddr_storage from;
    struct iovec iov;
    _Alignas(struct cmsghdr) char ctl[CMSG_SPACE(sizeof(uint32_t))];
};

static void slot_prepare(struct udp_batch *b, size_t i, struct recv_slot *slot, struct msghdr *m)
{
    slot->iov.iov_base = b->buf + i * UDP_MAX_DGRAM;
    slot->iov.iov_len = UDP_MAX_DGRAM;
    memset(m, 0, sizeof(*m));
    m->msg_name = &slot->from;
    m->msg_namelen = sizeof(slot->from);
    m->msg_iov = &slot->iov;
    m->msg_iovlen = 1;
    m->msg_control = slot->ctl;
    m->msg_controllen = sizeof(slot->ctl);
}

/* Keeps a received message in the batch unless it was cut short. */
static void slot_accept(struct udp_sock *s, struct udp_batch *b, struct recv_slot *slot,
                        struct msghdr *m, size_t len)
{
    note_drops(s, m);
    if (m->msg_flags & MSG_TRUNC) {
        s->truncated++;
        return;
    }
    if (b->n != (size_t)(((uint8_t *)slot->iov.iov_base - b->buf) / UDP_MAX_DGRAM))
        memmove(b->buf + b->n * UDP_MAX_DGRAM, slot->iov.iov_base, len);
    from_sockaddr(&slot->from, &b->from[b->n]);
    b->len[b->n++] = len;
}

#ifdef HAVE_RECVMMSG
int udp_recv(struct udp_sock *s, struct udp_batch *b)
{
    struct recv_slot slots[UDP_BATCH];
    struct mmsghdr msgs[UDP_BATCH];
    for (size_t i = 0; i < UDP_BATCH; i++) {
        slot_prepare(b, i, &slots[i], &msgs[i].msg_hdr);
        msgs[i].msg_len = 0;
    }
    int n;
    do
        n = recvmmsg(s->fd, msgs, UDP_BATCH, MSG_DONTWAIT, NULL);
    while (n < 0 && errno == EINTR);
    b->n = 0;
    if (n < 0)
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
    for (int i = 0; i < n; i++)
        slot_accept(s, b, &slots[i], &msgs[i].msg_hdr, msgs[i].msg_len);
    return (int)b->n;
}
#else
int udp_recv(struct udp_sock *s, struct udp_batch *b)
{
    struct recv_slot slot;
    struct msghdr m;
    b->n = 0;
    for (size_t i = 0; i < UDP_BATCH; i++) {
        slot_prepare(b, b->n, &slot, &m);
        ssize_t n;
        do
            n = recvmsg(s->fd, &m, MSG_DONTWAIT);
        while (n < 0 && errno == EINTR);
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            return b->n ? (int)b->n : -errno;
        }
        slot_accept(s, b, &slot, &m, (size_t)n);
    }
    return (int)b->n;
}
#endif
