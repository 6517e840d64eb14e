/* daemon/daemon.c: worker threads, the writer, and signals.
 *
 * Each worker owns its sockets (one per listen address and port, bound with
 * SO_REUSEPORT where there are several workers) and an ingest. The main
 * thread is the writer: every FLUSH_INTERVAL seconds, or sooner when a
 * worker's agg is filling up, it swaps each worker's agg for an empty one
 * (a pointer swap under the worker's lock, once per flush, not per record)
 * and writes the full one to the store outside any lock. Signals are taken
 * with sigtimedwait in the writer only, so no handler runs in a worker.
 *
 * The writer also copies the counters into a status snapshot about once a
 * second, under the same per-worker locks, and publishes it for the HTTP
 * threads: they read snapshots only, so a worker never waits for them.
 *
 * The local networks can change while the daemon runs (daemon/livenets.h):
 * each worker holds the version it accounts with and, once per receive
 * batch or idle tick, swaps it for the latest published one. SIGHUP runs
 * the reload hook of the caller (who knows where the config came from) in
 * the writer thread; nothing is restarted, so no counter is lost.
 *
 * Retention (store/retention.h) runs in the writer thread too, between
 * flushes, so that its deletes never compete with the writer's own writes
 * for the store's lock; a run is bounded in time, so a flush is at most
 * about half a second late. */
#include "daemon/daemon.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collect/port_owner.h"
#include "collect/udp.h"
#include "daemon/flush.h"
#include "daemon/ingest.h"
#include "daemon/livenets.h"
#include "daemon/status.h"
#include "store/retention.h"
#include "util/clock.h"
#include "util/log.h"

#define DAEMON_MAX_SOCKS (CONFIG_MAX_ADDRS * 2)
#define DAEMON_TICK_MS   200
#define DAEMON_STATUS_MS 1000

struct worker {
    pthread_t thread;
    struct daemon *d;
    struct ingest *in;
    struct udp_sock socks[DAEMON_MAX_SOCKS];
    size_t nsocks;
    struct agg *spare;    /* the writer's: swapped in at the next flush */
    struct netsref *nets; /* the networks version in use; NULL without live networks */
    atomic_bool wants_flush;
    struct log_limit log_drops;
};

struct daemon {
    const struct of_config *cfg;
    struct agg_budget budget; /* COUNTERS_MEMORY, shared by every worker's tables */
    struct store *st;
    struct status_board *board; /* NULL: nobody reads status */
    struct livenets *live;      /* NULL: cfg->nets for good */
    struct retention *retention;
    void (*reload)(void *arg); /* SIGHUP; NULL: nothing to reload */
    void *reload_arg;
    struct worker *workers;
    size_t nworkers; /* allocated */
    size_t started;  /* threads running */
    bool running;    /* started completely: the writer may run */
    sigset_t sigs;
    uint64_t started_ms;
    atomic_bool stop;
    uint64_t rows_written;
    uint64_t flush_errors;
    uint64_t lost_rows; /* at stop: counters no write could store */
};

static unsigned default_workers(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > 8 ? 8 : (unsigned)n;
}

/* A port another process holds: an error that names it, since sharing it
 * would split the datagrams between two stores, each undercounting. */
static int port_taken(const char *addr, uint16_t port)
{
    char who[96];
    if (port_owner(port, who, sizeof(who)) < 0)
        (void)snprintf(who, sizeof(who), "another process");
    log_msg(LOG_ERR,
            "UDP %s port %u is in use by %s: a second collector on a port would take a share "
            "of its datagrams; stop it or choose another port",
            addr, port, who);
    return -EADDRINUSE;
}

/* Opens worker w's sockets; the first worker (first) checks that no other
 * process holds a port before its socket lets the others share it. */
static int worker_open(struct worker *w, const struct of_config *cfg, bool reuseport, bool first)
{
    static const char *const any[] = {"0.0.0.0", "::"};
    size_t naddr = cfg->listen.n ? cfg->listen.n : 2;
    uint16_t ports[2] = {cfg->collector_port, cfg->sflow_port};
    for (size_t i = 0; i < naddr; i++) {
        const char *addr = cfg->listen.n ? cfg->listen.a[i] : any[i];
        for (size_t p = 0; p < 2; p++) {
            struct udp_sock *s = &w->socks[w->nsocks];
            int rc = reuseport && first ? udp_probe(addr, ports[p]) : 0;
            if (rc == 0)
                rc = udp_open(s, addr, ports[p], cfg->rcvbuf, reuseport);
            if (rc == -EADDRINUSE)
                return port_taken(addr, ports[p]);
            if (rc < 0) {
                log_msg(cfg->listen.n ? LOG_ERR : LOG_WARN, "cannot listen on UDP %s port %u: %s",
                        addr, ports[p], strerror(-rc));
                if (cfg->listen.n)
                    return rc;
                continue;
            }
            w->nsocks++;
        }
    }
    return w->nsocks ? 0 : -EADDRNOTAVAIL;
}

/* Takes up the latest networks version, if there is a newer one. Call with
 * the ingest's lock held: the ingest uses the version until the next call. */
static void worker_nets(struct worker *w)
{
    if (w->d->live)
        ingest_use_nets(w->in, livenets_refresh(w->d->live, &w->nets));
}

/* The kernel's drops are counted as udp_recv reads them; the log says so
 * at once too, at most once a minute per worker. */
static void worker_warn_drops(struct worker *w, const struct udp_sock *s)
{
    if (!log_every(&w->log_drops, 60))
        return;
    char a[ADDR_STRLEN];
    log_msg(LOG_WARN,
            "UDP %s port %u: the kernel dropped datagrams (%llu so far): the receive buffer "
            "(SOCKET_RCVBUF=%d) overflowed before the workers read it",
            addr_format(&s->bound, a, sizeof(a)), s->port, (unsigned long long)s->kernel_drops,
            w->d->cfg->rcvbuf);
}

static void worker_receive(struct worker *w, struct udp_sock *s, struct udp_batch *b)
{
    uint64_t drops = s->kernel_drops;
    int n = udp_recv(s, b);
    if (OF_UNLIKELY(s->kernel_drops != drops))
        worker_warn_drops(w, s);
    if (n <= 0)
        return;
    uint64_t now = clock_now_ms();
    ingest_lock(w->in);
    worker_nets(w);
    for (int i = 0; i < n; i++)
        ingest_datagram(w->in, &b->from[i], b->buf + (size_t)i * UDP_MAX_DGRAM, b->len[i], now);
    if (ingest_needs_flush(w->in))
        atomic_store(&w->wants_flush, true);
    ingest_unlock(w->in);
}

/* After stop: whatever the kernel still holds for us was sent to us. */
static void worker_drain(struct worker *w, struct udp_batch *b)
{
    for (size_t i = 0; i < w->nsocks; i++)
        for (int rounds = 0; rounds < 10000; rounds++) {
            if (udp_recv(&w->socks[i], b) <= 0)
                break;
            uint64_t now = clock_now_ms();
            ingest_lock(w->in);
            worker_nets(w);
            for (size_t k = 0; k < b->n; k++)
                ingest_datagram(w->in, &b->from[k], b->buf + k * UDP_MAX_DGRAM, b->len[k], now);
            ingest_unlock(w->in);
        }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct udp_batch b;
    if (udp_batch_init(&b) < 0) {
        log_msg(LOG_ERR, "worker: out of memory");
        return NULL;
    }
    struct pollfd pfd[DAEMON_MAX_SOCKS];
    for (size_t i = 0; i < w->nsocks; i++)
        pfd[i] = (struct pollfd){.fd = w->socks[i].fd, .events = POLLIN};
    while (!atomic_load(&w->d->stop)) {
        int n = poll(pfd, (nfds_t)w->nsocks, DAEMON_TICK_MS);
        if (n < 0 && errno != EINTR) {
            log_msg(LOG_ERR, "poll: %s", strerror(errno));
            break;
        }
        if (n <= 0) {
            /* idle: let go of a replaced version all the same */
            ingest_lock(w->in);
            worker_nets(w);
            ingest_unlock(w->in);
        }
        for (size_t i = 0; n > 0 && i < w->nsocks; i++)
            if (pfd[i].revents & POLLIN)
                worker_receive(w, &w->socks[i], &b);
    }
    worker_drain(w, &b);
    udp_batch_fini(&b);
    return NULL;
}

/* Moves one worker's counters to the store. A failed write keeps the rows
 * in the taken agg, which goes back as the worker's spare only once it has
 * been written; until then the worker keeps its current agg. */
static void flush_worker(struct daemon *d, struct worker *w)
{
    if (agg_count(w->spare) == 0) {
        /* Sized before the swap, outside the lock, so the worker does not
         * stall growing its fresh table while packets queue up. A failed
         * reservation only means the table grows later. */
        ingest_lock(w->in);
        size_t live = agg_count(ingest_agg(w->in));
        ingest_unlock(w->in);
        (void)agg_reserve(w->spare, live + live / 4);
        ingest_lock(w->in);
        w->spare = ingest_swap_agg(w->in, w->spare);
        ingest_unlock(w->in);
        atomic_store(&w->wants_flush, false);
    }
    size_t rows = 0;
    int rc = flush_agg(d->st, w->spare, &rows);
    if (rc < 0) {
        d->flush_errors++;
        log_msg(LOG_ERR, "writing %zu counters to the store failed: %s (kept, will retry)",
                agg_count(w->spare), strerror(-rc));
        return;
    }
    d->rows_written += rows;
}

static void flush_all(struct daemon *d)
{
    for (size_t i = 0; i < d->nworkers; i++)
        flush_worker(d, &d->workers[i]);
}

static bool any_wants_flush(struct daemon *d)
{
    for (size_t i = 0; i < d->nworkers; i++)
        if (atomic_load(&d->workers[i].wants_flush))
            return true;
    return false;
}

struct totals {
    uint64_t pkts, recs, errs, kernel_drops, truncated;
    struct agg_stats acct;
};

static void add_exporters(struct exporter_tab *t, struct totals *tot)
{
    for (size_t k = 0; k < exporter_tab_count(t); k++) {
        const struct exporter *e = exporter_tab_at(t, k);
        for (size_t p = 0; p < FLOW_PROTO__COUNT; p++) {
            tot->pkts += e->st.packets[p];
            tot->recs += e->st.records[p];
        }
        for (size_t s = 1; s < DEC__COUNT; s++)
            tot->errs += e->st.dec_err[s];
    }
}

static void add_worker(const struct worker *w, struct totals *tot)
{
    add_exporters(ingest_exporters(w->in), tot);
    for (size_t k = 0; k < w->nsocks; k++) {
        tot->kernel_drops += w->socks[k].kernel_drops;
        tot->truncated += w->socks[k].truncated;
    }
    const struct agg_stats *a = ingest_agg_stats(w->in);
    tot->acct.records += a->records;
    tot->acct.transit += a->transit;
    tot->acct.clock_off += a->clock_off;
    tot->acct.span_clamped += a->span_clamped;
    tot->acct.dropped_full += a->dropped_full;
    tot->acct.absurd += a->absurd;
}

/* One line an operator can grep: what came in, what was rejected, what
 * was lost and where. Exporter detail is in the status API. */
static void log_totals(struct daemon *d)
{
    struct totals t = {0};
    for (size_t i = 0; i < d->nworkers; i++)
        add_worker(&d->workers[i], &t);
    log_msg(LOG_INFO,
            "totals: %llu datagrams, %llu records, %llu decode errors, %llu kernel drops, "
            "%llu oversized, %llu accounted, %llu transit, %llu clock off, %llu dropped (full), "
            "%llu absurd, %llu rows written",
            (unsigned long long)t.pkts, (unsigned long long)t.recs, (unsigned long long)t.errs,
            (unsigned long long)t.kernel_drops, (unsigned long long)t.truncated,
            (unsigned long long)t.acct.records, (unsigned long long)t.acct.transit,
            (unsigned long long)t.acct.clock_off, (unsigned long long)t.acct.dropped_full,
            (unsigned long long)t.acct.absurd, (unsigned long long)d->rows_written);
}

/* One line per exporter: what it sent, at what rate, and what was refused
 * and why, so that a misconfigured exporter can be found in the log. */
static void log_exporters(struct daemon *d)
{
    for (size_t i = 0; i < d->nworkers; i++) {
        struct exporter_tab *t = ingest_exporters(d->workers[i].in);
        for (size_t k = 0; k < exporter_tab_count(t); k++) {
            const struct exporter *e = exporter_tab_at(t, k);
            char a[ADDR_STRLEN], line[768];
            int n = snprintf(line, sizeof(line), "exporter %s: sampling 1:%u",
                             addr_format(&e->addr, a, sizeof(a)), e->rate);
            for (size_t p = 0; p < FLOW_PROTO__COUNT; p++)
                if (e->st.packets[p] && n > 0 && (size_t)n < sizeof(line))
                    n += snprintf(line + n, sizeof(line) - (size_t)n,
                                  ", %s %llu datagrams %llu records", flow_proto_name(p),
                                  (unsigned long long)e->st.packets[p],
                                  (unsigned long long)e->st.records[p]);
            for (size_t s = 1; s < DEC__COUNT; s++)
                if (e->st.dec_err[s] && n > 0 && (size_t)n < sizeof(line))
                    n += snprintf(line + n, sizeof(line) - (size_t)n, ", %s %llu",
                                  dec_status_name(s), (unsigned long long)e->st.dec_err[s]);
            log_msg(LOG_INFO, "%s", line);
        }
    }
}

static const char *sock_protocol(const struct daemon *d, const struct udp_sock *s)
{
    return s->port == d->cfg->sflow_port ? "sflow" : "netflow";
}

/* Copies one worker's counters. The exporter table and the accounting
 * counters are read under the worker's lock, as the swap does; the socket
 * counters are single words only ever added to. */
static int snapshot_worker(struct daemon *d, struct worker *w, struct status *s)
{
    int rc = 0;
    for (size_t k = 0; k < w->nsocks && rc == 0; k++) {
        const struct udp_sock *u = &w->socks[k];
        rc = status_add_listener(s, &u->bound, u->port, sock_protocol(d, u), u->kernel_drops,
                                 u->truncated);
    }
    ingest_lock(w->in);
    struct exporter_tab *t = ingest_exporters(w->in);
    for (size_t k = 0; k < exporter_tab_count(t) && rc == 0; k++)
        rc = status_add_exporter(s, exporter_tab_at(t, k));
    s->exporters_refused += exporter_tab_refused(t);
    status_add_acct(s, ingest_agg_stats(w->in));
    ingest_unlock(w->in);
    return rc;
}

static void publish_status(struct daemon *d)
{
    struct status *s = status_new();
    if (!s)
        return;
    s->taken_ms = clock_now_ms();
    s->started_ms = d->started_ms;
    s->workers = (unsigned)d->nworkers;
    s->default_rate = d->cfg->agg.default_rate;
    s->rows_written = d->rows_written;
    s->flush_errors = d->flush_errors;
    retention_get_stats(d->retention, &s->retention);
    for (size_t i = 0; i < d->nworkers; i++) {
        if (snapshot_worker(d, &d->workers[i], s) < 0) {
            status_put(s); /* out of memory: keep the previous snapshot */
            return;
        }
    }
    status_finish(s);
    status_board_publish(d->board, s);
}

/* Waits for a signal or the next tick; returns the signal or 0. */
static int wait_signal(const sigset_t *set)
{
    struct timespec ts = {0, DAEMON_TICK_MS * 1000000L};
    int sig = sigtimedwait(set, NULL, &ts);
    return sig > 0 ? sig : 0;
}

static void writer_loop(struct daemon *d)
{
    uint64_t next_flush = clock_now_ms() + d->cfg->flush_interval * 1000u;
    uint64_t next_log = clock_now_ms() + 60000u;
    uint64_t next_status = 0;
    unsigned logs = 0;
    for (;;) {
        int sig = wait_signal(&d->sigs);
        if (sig == SIGTERM || sig == SIGINT) {
            log_msg(LOG_INFO, "signal %d: stopping", sig);
            return;
        }
        if (sig == SIGHUP) {
            if (d->reload)
                d->reload(d->reload_arg);
            else
                log_msg(LOG_INFO, "SIGHUP: nothing to reload");
        }
        uint64_t now = clock_now_ms();
        if (now >= next_flush || any_wants_flush(d)) {
            flush_all(d);
            next_flush = now + d->cfg->flush_interval * 1000u;
        }
        (void)retention_tick(d->retention, d->st, clock_now_ms());
        if (d->board && now >= next_status) {
            publish_status(d);
            next_status = now + DAEMON_STATUS_MS;
        }
        if (now >= next_log) {
            log_totals(d);
            if (++logs % 5 == 0)
                log_exporters(d);
            next_log = now + 60000u;
        }
    }
}

static void log_retention(const struct retention_cfg *cfg)
{
    log_msg(LOG_INFO,
            "retention: STORAGE_RESERVED_SPACE=%u%%, RETENTION_DAYS=%u, RETENTION_HOURLY_DAYS=%u "
            "(0: as long as the disk allows)",
            cfg->reserve_pct, cfg->bin_days, cfg->hour_days);
}

static int daemon_start(struct daemon *d, const struct hash_key *key)
{
    bool reuseport = d->nworkers > 1;
    for (size_t i = 0; i < d->nworkers; i++) {
        struct worker *w = &d->workers[i];
        w->d = d;
        w->in = ingest_new(d->cfg, &d->budget, key);
        w->spare = agg_new(&d->cfg->agg, &d->budget, key);
        if (!w->in || !w->spare)
            return -ENOMEM;
        int rc = worker_open(w, d->cfg, reuseport, i == 0);
        if (rc < 0)
            return rc;
    }
    for (size_t i = 0; i < d->nworkers; i++) {
        int rc = pthread_create(&d->workers[i].thread, NULL, worker_main, &d->workers[i]);
        if (rc != 0)
            return -rc; /* daemon_free joins those that run */
        d->started = i + 1;
    }
    return 0;
}

static void daemon_release(struct daemon *d)
{
    for (size_t i = 0; i < d->nworkers; i++) {
        struct worker *w = &d->workers[i];
        for (size_t k = 0; k < w->nsocks; k++)
            udp_close(&w->socks[k]);
        ingest_free(w->in);
        agg_free(w->spare);
        netsref_put(w->nets);
    }
    free(d->workers);
    retention_free(d->retention);
    free(d);
}

int daemon_new(struct daemon **out, const struct of_config *cfg, struct store *st,
               struct status_board *board, struct livenets *live)
{
    struct daemon *d = calloc(1, sizeof(*d));
    if (!d)
        return -ENOMEM;
    d->cfg = cfg;
    agg_budget_init(&d->budget, cfg->counters_memory);
    d->st = st;
    d->board = board;
    d->live = live;
    d->started_ms = clock_now_ms();
    struct hash_key key;
    sigemptyset(&d->sigs);
    sigaddset(&d->sigs, SIGTERM);
    sigaddset(&d->sigs, SIGINT);
    sigaddset(&d->sigs, SIGHUP);
    /* Workers, and any thread the caller starts after this, inherit the mask. */
    pthread_sigmask(SIG_BLOCK, &d->sigs, NULL);
    hash_key_random(&key);
    size_t n = cfg->workers ? cfg->workers : default_workers();
    if (n > 1 && !udp_can_share_port()) {
        log_msg(LOG_INFO, "this system cannot spread one port over several sockets: 1 worker");
        n = 1;
    }
    /* Each worker starts with two of the smallest tables (the one filling
     * and the one being written): a budget without room for them is a
     * config error, not an allocation failure. */
    if (cfg->counters_memory < 2 * n * agg_min_bytes()) {
        log_msg(LOG_ERR, "COUNTERS_MEMORY=%zu is too small for %zu workers: at least %zu bytes",
                cfg->counters_memory, n, 2 * n * agg_min_bytes());
        free(d);
        return -EINVAL;
    }
    d->workers = calloc(n, sizeof(*d->workers));
    if (!d->workers || retention_new(&d->retention, cfg->db_path, &cfg->retention) < 0) {
        free(d->workers);
        free(d);
        return -ENOMEM;
    }
    d->nworkers = n;
    int rc = daemon_start(d, &key);
    if (rc < 0) {
        daemon_free(d);
        return rc;
    }
    d->running = true;
    struct netsref *now = live ? livenets_get(live) : NULL;
    size_t nnets = nets_count(now ? netsref_nets(now) : cfg->nets);
    netsref_put(now);
    log_msg(LOG_INFO,
            "collecting: NetFlow/IPFIX on UDP %u, sFlow on UDP %u, %zu workers, "
            "%zu local networks, writing every %u s, counters in at most %zu MiB "
            "(about %zu host rows)",
            cfg->collector_port, cfg->sflow_port, d->nworkers, nnets, cfg->flush_interval,
            cfg->counters_memory >> 20, cfg->counters_memory / agg_row_bytes());
    if (nnets == 0)
        log_msg(LOG_WARN, "no local networks configured: no host will be accounted");
    log_retention(&cfg->retention);
    if (d->board)
        publish_status(d);
    *out = d;
    return 0;
}

void daemon_on_reload(struct daemon *d, void (*fn)(void *arg), void *arg)
{
    d->reload = fn;
    d->reload_arg = arg;
}

void daemon_set_retention(struct daemon *d, const struct retention_cfg *cfg)
{
    retention_set_cfg(d->retention, cfg);
    log_retention(cfg);
}

void daemon_wait(struct daemon *d)
{
    writer_loop(d);
}

/* At stop, with the workers gone: one table (a spare a failed write left,
 * or a worker's current one), two tries. What still fails is lost, and said
 * so with its size: nothing retries after this. */
static void flush_final(struct daemon *d, struct agg *a)
{
    size_t n = agg_count(a);
    if (n == 0)
        return;
    size_t rows = 0;
    int rc = flush_agg(d->st, a, &rows);
    if (rc < 0)
        rc = flush_agg(d->st, a, &rows);
    if (rc == 0) {
        d->rows_written += rows;
        return;
    }
    d->lost_rows += n;
    log_msg(LOG_ERR, "stopping: writing %zu counters to the store failed (%s): they are lost", n,
            strerror(-rc));
}

int daemon_free(struct daemon *d)
{
    if (!d)
        return 0;
    atomic_store(&d->stop, true);
    for (size_t i = 0; i < d->started; i++)
        pthread_join(d->workers[i].thread, NULL);
    int rc = 0;
    if (d->running) {
        for (size_t i = 0; i < d->nworkers; i++) {
            flush_final(d, d->workers[i].spare);
            flush_final(d, ingest_agg(d->workers[i].in));
        }
        log_totals(d);
        log_exporters(d);
        if (d->lost_rows)
            rc = -EIO;
    }
    daemon_release(d);
    return rc;
}

int daemon_run(const struct of_config *cfg, struct store *st)
{
    struct daemon *d = NULL;
    int rc = daemon_new(&d, cfg, st, NULL, NULL);
    if (rc < 0)
        return rc;
    daemon_wait(d);
    return daemon_free(d);
}
