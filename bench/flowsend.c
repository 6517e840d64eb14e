/* bench/flowsend.c: a flow exporter for load tests, at a given rate.
 *
 * It builds a ring of datagrams of one protocol up front (pktgen.h), then
 * sends them round and round to HOST:PORT for --seconds, paced to --rate
 * records per second in small bursts (sendmmsg where the system has it, one
 * sendto each otherwise), or as fast as it can with --rate 0. v9 and IPFIX
 * templates are resent every 1,000 datagrams of the ring, as exporters
 * refresh them; sequence numbers are stamped as each datagram leaves, so a
 * collector that checks them sees a clean stream.
 *
 * If the sender itself is not scheduled for a while (the machine is busy),
 * it does not send the records it owes in one burst: it writes them off and
 * reports how many, so that every step tests a rate, not a burst.
 *
 * At the end it prints, on one line of key=value pairs, exactly what the
 * kernel accepted: datagrams, records, packets and layer-3 bytes of the
 * records (in total, with a local destination, with a local source), so a
 * receiver's counted totals can be compared with what was sent. A datagram
 * whose send failed is not counted. Loss on the receiving side (a full
 * socket buffer) is invisible here by design: that is what the comparison
 * finds. */
#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pktgen.h"
#include "util/addr.h"
#include "util/parse.h"

#define SEND_BURST      32   /* datagrams per system call at most */
#define SEND_TPL_EVERY  1000 /* datagrams between template refreshes */
#define SEND_SNDBUF     (4 << 20)
#define SEND_SLEEP_NS   100000L /* longest nap while ahead of schedule */
#define SEND_MAX_BEHIND 2       /* bursts the sender may fall behind and catch up */

struct send_opts {
    enum pktgen_proto proto;
    char host[64];
    uint16_t port;
    uint64_t rate; /* records/s; 0 = as fast as possible */
    double seconds;
    uint32_t nhosts;
    size_t ndgrams;
    uint64_t seed;
    uint32_t sflow_rate;
};

struct ring {
    uint8_t *buf; /* n * PKTGEN_MAX_DGRAM */
    size_t *len;
    struct pktgen_sums *sums; /* per datagram */
    size_t n;
    double records_per_dgram;
};

struct sender {
    int fd;
    struct sockaddr_storage to;
    socklen_t tolen;
    const struct ring *ring;
    enum pktgen_proto proto;
    size_t next; /* ring index of the next datagram */
    struct pktgen_sums sent;
    uint64_t errors;
    int last_errno;
    double behind; /* records written off: the sender fell behind its schedule */
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void ring_free(struct ring *r)
{
    free(r->buf);
    free(r->len);
    free(r->sums);
    memset(r, 0, sizeof(*r));
}

static int ring_build(struct ring *r, const struct send_opts *o)
{
    struct timespec now;
    struct pktgen g;
    uint64_t records = 0;
    memset(r, 0, sizeof(*r));
    r->buf = malloc(o->ndgrams * PKTGEN_MAX_DGRAM);
    r->len = calloc(o->ndgrams, sizeof(*r->len));
    r->sums = calloc(o->ndgrams, sizeof(*r->sums));
    if (!r->buf || !r->len || !r->sums) {
        ring_free(r);
        return -ENOMEM;
    }
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t now_ms = (uint64_t)now.tv_sec * 1000u + (uint64_t)now.tv_nsec / 1000000u;
    pktgen_init(&g, o->seed, 0x0a000000u, o->nhosts, now_ms);
    g.sflow_rate = o->sflow_rate;
    for (size_t i = 0; i < o->ndgrams; i++) {
        size_t len = pktgen_build(&g, o->proto, i, SEND_TPL_EVERY, r->buf + i * PKTGEN_MAX_DGRAM,
                                  PKTGEN_MAX_DGRAM, &r->sums[i]);
        if (len == 0) {
            ring_free(r);
            return -EOVERFLOW;
        }
        r->len[i] = len;
        records += r->sums[i].records;
    }
    r->n = o->ndgrams;
    r->records_per_dgram = (double)records / (double)r->n;
    return 0;
}

static int sender_open(struct sender *s, const struct send_opts *o)
{
    struct of_addr a;
    memset(&s->to, 0, sizeof(s->to));
    if (addr_parse(o->host, &a) < 0)
        return -EINVAL;
    if (a.af == ADDR_V4) {
        struct sockaddr_in *sin = (struct sockaddr_in *)&s->to;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(o->port);
        memcpy(&sin->sin_addr, a.b, 4);
        s->tolen = sizeof(*sin);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&s->to;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(o->port);
        memcpy(&sin6->sin6_addr, a.b, 16);
        s->tolen = sizeof(*sin6);
    }
    /* Not connected: an unconnected UDP socket is not told of ICMP port
     * unreachables, so a collector that is not up yet costs datagrams, not
     * send errors. */
    s->fd = socket(a.af == ADDR_V4 ? AF_INET : AF_INET6, SOCK_DGRAM, 0);
    if (s->fd < 0)
        return -errno;
    int sndbuf = SEND_SNDBUF;
    (void)setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
    return 0;
}

/* Stamps the next n datagrams of the ring as the ones about to leave. */
static void sender_stamp(struct sender *s, size_t n)
{
    uint64_t dgrams = s->sent.datagrams, records = s->sent.records;
    for (size_t k = 0; k < n; k++) {
        size_t i = (s->next + k) % s->ring->n;
        pktgen_stamp(s->proto, s->ring->buf + i * PKTGEN_MAX_DGRAM, s->ring->len[i], dgrams,
                     records);
        dgrams++;
        records += s->ring->sums[i].records;
    }
}

/* Counts the first n datagrams of the burst as sent. */
static void sender_account(struct sender *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        pktgen_sums_add(&s->sent, &s->ring->sums[s->next]);
        s->next = (s->next + 1) % s->ring->n;
    }
}

static void sender_error(struct sender *s, int e)
{
    s->errors++;
    s->last_errno = e;
}

#ifdef HAVE_SENDMMSG
/* Sends up to n datagrams (n <= SEND_BURST) in one call. Returns how many
 * left; a failed datagram is skipped (counted as an error). */
static size_t sender_burst(struct sender *s, size_t n)
{
    assert(s->ring->n > 0); /* --dgrams is 1 to 2^20 */
    struct mmsghdr msgs[SEND_BURST];
    struct iovec iov[SEND_BURST];
    if (n > SEND_BURST)
        n = SEND_BURST;
    size_t avail = s->ring->n - s->next; /* keep the burst contiguous in the ring */
    if (n > avail)
        n = avail;
    sender_stamp(s, n);
    for (size_t k = 0; k < n; k++) {
        size_t i = s->next + k;
        iov[k].iov_base = s->ring->buf + i * PKTGEN_MAX_DGRAM;
        iov[k].iov_len = s->ring->len[i];
        memset(&msgs[k], 0, sizeof(msgs[k]));
        msgs[k].msg_hdr.msg_name = &s->to;
        msgs[k].msg_hdr.msg_namelen = s->tolen;
        msgs[k].msg_hdr.msg_iov = &iov[k];
        msgs[k].msg_hdr.msg_iovlen = 1;
    }
    int rc;
    do
        rc = sendmmsg(s->fd, msgs, (unsigned)n, 0);
    while (rc < 0 && errno == EINTR);
    if (rc < 0) {
        sender_error(s, errno);
        s->next = (s->next + 1) % s->ring->n; /* skip the one that failed */
        return 0;
    }
    sender_account(s, (size_t)rc);
    return (size_t)rc;
}
#else
static size_t sender_burst(struct sender *s, size_t n)
{
    assert(s->ring->n > 0); /* --dgrams is 1 to 2^20 */
    size_t done = 0;
    if (n > SEND_BURST)
        n = SEND_BURST;
    for (size_t k = 0; k < n; k++) {
        const uint8_t *p = s->ring->buf + s->next * PKTGEN_MAX_DGRAM;
        ssize_t rc;
        sender_stamp(s, 1);
        do
            rc = sendto(s->fd, p, s->ring->len[s->next], 0, (const struct sockaddr *)&s->to,
                        s->tolen);
        while (rc < 0 && errno == EINTR);
        if (rc < 0) {
            sender_error(s, errno);
            s->next = (s->next + 1) % s->ring->n;
            continue;
        }
        sender_account(s, 1);
        done++;
    }
    return done;
}
#endif

static void nap(double seconds)
{
    long ns = (long)(seconds * 1e9);
    if (ns > SEND_SLEEP_NS)
        ns = SEND_SLEEP_NS;
    if (ns <= 0)
        return;
    struct timespec ts = {0, ns};
    (void)nanosleep(&ts, NULL);
}

/* Sends for o->seconds: as fast as possible, or on a schedule that keeps
 * the records sent at rate * elapsed. When the sender was not scheduled for
 * a while it does not make up for the lost time in one burst far above the
 * rate (that would test the receiver's buffer, not its rate): what it is
 * behind by more than SEND_MAX_BEHIND bursts is written off, and counted
 * in s->behind. Returns the time it took. */
static double sender_run(struct sender *s, const struct send_opts *o)
{
    double t0 = mono_s(), el = 0;
    double max_behind = SEND_MAX_BEHIND * SEND_BURST * s->ring->records_per_dgram;
    while ((el = mono_s() - t0) < o->seconds) {
        if (o->rate == 0) {
            (void)sender_burst(s, SEND_BURST);
            continue;
        }
        double due = (double)o->rate * el - (double)s->sent.records - s->behind;
        if (due > max_behind) {
            s->behind += due - max_behind;
            due = max_behind;
        }
        if (due < s->ring->records_per_dgram) {
            nap((s->ring->records_per_dgram - due) / (double)o->rate);
            continue;
        }
        size_t n = (size_t)(due / s->ring->records_per_dgram);
        (void)sender_burst(s, n ? n : 1);
    }
    return el;
}

static void usage(FILE *f)
{
    fputs("usage: bench_flowsend --proto v5|v9|ipfix|sflow [--host ADDR] [--port N]\n"
          "                      [--rate RECORDS_PER_S] [--seconds S] [--hosts N]\n"
          "                      [--datagrams N] [--seed N] [--sflow-rate N]\n"
          "  --host ADDR      where to send (default 127.0.0.1)\n"
          "  --port N         default 42112, or 6343 for sflow\n"
          "  --rate R         records (sFlow: samples) per second; 0 = as fast as possible\n"
          "                   (default 100000)\n"
          "  --seconds S      how long to send (default 3)\n"
          "  --hosts N        local hosts, from 10.0.0.0 (default 65536)\n"
          "  --datagrams N    distinct datagrams in the ring (default 4096)\n"
          "  --seed N         traffic seed (default 1)\n"
          "  --sflow-rate N   sampling rate signalled in sFlow samples (default 1)\n"
          "Prints one line: proto= seconds= datagrams= records= packets= bytes=\n"
          "bytes_dst_local= bytes_src_local= wire_bytes= rate= errors= behind=\n"
          "(behind: records not sent because the sender lost time; rate is what it achieved)\n",
          f);
}

enum {
    OPT_PROTO = 1000,
    OPT_HOST,
    OPT_PORT,
    OPT_RATE,
    OPT_SECONDS,
    OPT_HOSTS,
    OPT_DGRAMS,
    OPT_SEED,
    OPT_SFLOW_RATE
};

static int parse_num(const char *arg, uint64_t min, uint64_t max, uint64_t *v)
{
    if (parse_u64(arg, min, max, v) < 0) {
        fprintf(stderr, "bench_flowsend: \"%s\" is not a number in %" PRIu64 "..%" PRIu64 "\n", arg,
                min, max);
        return -EINVAL;
    }
    return 0;
}

static int parse_opt(struct send_opts *o, int opt, const char *arg, bool *have_port)
{
    uint64_t v = 0;
    int rc = 0;
    switch (opt) {
    case OPT_PROTO:
        rc = pktgen_proto_parse(arg);
        if (rc < 0) {
            fprintf(stderr, "bench_flowsend: unknown protocol \"%s\"\n", arg);
            return -EINVAL;
        }
        o->proto = (enum pktgen_proto)rc;
        return 0;
    case OPT_HOST:
        rc = snprintf(o->host, sizeof(o->host), "%s", arg);
        return rc > 0 && (size_t)rc < sizeof(o->host) ? 0 : -EINVAL;
    case OPT_PORT:
        rc = parse_num(arg, 1, 65535, &v);
        o->port = (uint16_t)v;
        *have_port = true;
        return rc;
    case OPT_RATE:
        rc = parse_num(arg, 0, UINT64_C(1000000000000), &v);
        o->rate = v;
        return rc;
    case OPT_SECONDS:
        rc = parse_num(arg, 1, 86400, &v);
        o->seconds = (double)v;
        return rc;
    case OPT_HOSTS:
        rc = parse_num(arg, 1, 1u << 24, &v);
        o->nhosts = (uint32_t)v;
        return rc;
    case OPT_DGRAMS:
        rc = parse_num(arg, 1, 1u << 20, &v);
        o->ndgrams = (size_t)v;
        return rc;
    case OPT_SEED:
        rc = parse_num(arg, 0, UINT64_MAX, &v);
        o->seed = v;
        return rc;
    case OPT_SFLOW_RATE:
        rc = parse_num(arg, 1, 1000000000, &v);
        o->sflow_rate = (uint32_t)v;
        return rc;
    default:
        return -EINVAL;
    }
}

static int parse_args(int argc, char **argv, struct send_opts *o)
{
    static const struct option longopts[] = {
        {"proto", required_argument, NULL, OPT_PROTO},
        {"host", required_argument, NULL, OPT_HOST},
        {"port", required_argument, NULL, OPT_PORT},
        {"rate", required_argument, NULL, OPT_RATE},
        {"seconds", required_argument, NULL, OPT_SECONDS},
        {"hosts", required_argument, NULL, OPT_HOSTS},
        {"datagrams", required_argument, NULL, OPT_DGRAMS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"sflow-rate", required_argument, NULL, OPT_SFLOW_RATE},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    bool have_port = false;
    memset(o, 0, sizeof(*o));
    o->proto = PKTGEN_V5;
    (void)snprintf(o->host, sizeof(o->host), "127.0.0.1");
    o->rate = 100000;
    o->seconds = 3;
    o->nhosts = 65536;
    o->ndgrams = 4096;
    o->seed = 1;
    o->sflow_rate = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            exit(0);
        }
        if (parse_opt(o, opt, optarg, &have_port) < 0) {
            usage(stderr);
            return -EINVAL;
        }
    }
    if (!have_port)
        o->port = o->proto == PKTGEN_SFLOW ? 6343 : 42112;
    return optind == argc ? 0 : -EINVAL;
}

static void report(const struct send_opts *o, const struct sender *s, double el)
{
    printf("proto=%s seconds=%.3f datagrams=%" PRIu64 " records=%" PRIu64 " packets=%" PRIu64
           " bytes=%" PRIu64 " bytes_dst_local=%" PRIu64 " bytes_src_local=%" PRIu64
           " wire_bytes=%" PRIu64 " rate=%.0f errors=%" PRIu64 " behind=%.0f\n",
           pktgen_proto_names[o->proto], el, s->sent.datagrams, s->sent.records, s->sent.packets,
           s->sent.bytes, s->sent.bytes_dst_local, s->sent.bytes_src_local, s->sent.wire_bytes,
           el > 0 ? (double)s->sent.records / el : 0.0, s->errors, s->behind);
    if (s->errors)
        fprintf(stderr, "bench_flowsend: %" PRIu64 " datagrams not sent, last error: %s\n",
                s->errors, strerror(s->last_errno));
}

int main(int argc, char **argv)
{
    struct send_opts o;
    struct ring ring;
    struct sender s;
    int rc = parse_args(argc, argv, &o);
    if (rc < 0)
        return 2;
    memset(&s, 0, sizeof(s));
    s.fd = -1;
    rc = ring_build(&ring, &o);
    if (rc < 0) {
        fprintf(stderr, "bench_flowsend: building datagrams: %s\n", strerror(-rc));
        return 1;
    }
    s.ring = &ring;
    s.proto = o.proto;
    rc = sender_open(&s, &o);
    if (rc < 0) {
        fprintf(stderr, "bench_flowsend: %s:%u: %s\n", o.host, o.port, strerror(-rc));
        goto out;
    }
    double el = sender_run(&s, &o);
    report(&o, &s, el);
out:
    if (s.fd >= 0)
        close(s.fd);
    ring_free(&ring);
    return rc < 0 ? 1 : 0;
}
