/* http/ep_metrics.c: /metrics, the status counters in the Prometheus text
 * format (version 0.0.4).
 *
 * Each family is written whole (HELP, TYPE, then every sample) as the
 * format requires. Per-exporter series carry an "exporter" label, and only
 * the protocols an exporter speaks and the reject reasons it has hit are
 * written, so the output grows with what happens rather than with
 * exporters x reasons. Label values are escaped although addresses and
 * reason names never need it, so that a future label cannot break the
 * format. */
#include "http/endpoint.h"

#include <errno.h>
#include <inttypes.h>

#include "daemon/status.h"
#include "http/context.h"
#include "http/dbpool.h"
#include "http/ep_common.h"
#include "http/reply.h"
#include "http/textbuf.h"

#define PFX "ophanimflow_"

static void family(struct textbuf *b, const char *name, const char *type, const char *help)
{
    textbuf_printf(b, "# HELP " PFX "%s %s\n# TYPE " PFX "%s %s\n", name, help, name, type);
}

/* addr formatted, then escaped for a label value (backslash, quote, newline). */
static const char *label_addr(const struct of_addr *a, char *buf, size_t len)
{
    char raw[ADDR_STRLEN];
    addr_format(a, raw, sizeof(raw));
    size_t n = 0;
    for (const char *p = raw; *p && n + 3 < len; p++) {
        if (*p == '\\' || *p == '"' || *p == '\n')
            buf[n++] = '\\';
        buf[n++] = *p == '\n' ? 'n' : *p;
    }
    buf[n] = '\0';
    return buf;
}

static void listeners(struct textbuf *b, const struct status *s)
{
    char ip[2 * ADDR_STRLEN];
    family(b, "listener_kernel_drops_total", "counter",
           "Datagrams the kernel dropped on a listening socket (receive buffer full).");
    for (size_t i = 0; i < s->nlisteners; i++) {
        const struct status_listener *l = &s->listeners[i];
        textbuf_printf(
            b,
            PFX "listener_kernel_drops_total{addr=\"%s\",port=\"%u\",protocol=\"%s\"} %" PRIu64
                "\n",
            label_addr(&l->addr, ip, sizeof(ip)), l->port, l->protocol, l->kernel_drops);
    }
    family(b, "listener_truncated_total", "counter",
           "Datagrams larger than the receive buffer, not decoded.");
    for (size_t i = 0; i < s->nlisteners; i++) {
        const struct status_listener *l = &s->listeners[i];
        textbuf_printf(
            b,
            PFX "listener_truncated_total{addr=\"%s\",port=\"%u\",protocol=\"%s\"} %" PRIu64 "\n",
            label_addr(&l->addr, ip, sizeof(ip)), l->port, l->protocol, l->truncated);
    }
}

enum ex_counter { EX_PACKETS, EX_RECORDS, EX_BYTES };

static void exporter_family(struct textbuf *b, const struct status *s, enum ex_counter which,
                            const char *name, const char *help)
{
    char ip[2 * ADDR_STRLEN];
    family(b, name, "counter", help);
    for (size_t i = 0; i < s->nexporters; i++) {
        const struct status_exporter *e = &s->exporters[i];
        for (size_t p = 0; p < FLOW_PROTO__COUNT; p++) {
            if (!e->st.packets[p])
                continue;
            uint64_t v = which == EX_PACKETS   ? e->st.packets[p]
                         : which == EX_RECORDS ? e->st.records[p]
                                               : e->st.bytes[p];
            textbuf_printf(b, PFX "%s{exporter=\"%s\",protocol=\"%s\"} %" PRIu64 "\n", name,
                           label_addr(&e->addr, ip, sizeof(ip)),
                           flow_proto_name((enum flow_proto)p), v);
        }
    }
}

static void exporters(struct textbuf *b, const struct http_ctx *ctx, const struct status *s)
{
    char ip[2 * ADDR_STRLEN];
    exporter_family(b, s, EX_PACKETS, "exporter_datagrams_total", "Export datagrams received.");
    exporter_family(b, s, EX_RECORDS, "exporter_records_total",
                    "Flow records and samples accepted.");
    exporter_family(b, s, EX_BYTES, "exporter_bytes_total", "Export datagram payload bytes.");
    family(b, "exporter_errors_total", "counter",
           "Rejected datagrams, sets and records by reason.");
    for (size_t i = 0; i < s->nexporters; i++) {
        const struct status_exporter *e = &s->exporters[i];
        for (size_t k = 1; k < DEC__COUNT; k++)
            if (e->st.dec_err[k])
                textbuf_printf(
                    b, PFX "exporter_errors_total{exporter=\"%s\",reason=\"%s\"} %" PRIu64 "\n",
                    label_addr(&e->addr, ip, sizeof(ip)), dec_status_name((enum dec_status)k),
                    e->st.dec_err[k]);
    }
    family(b, "exporter_sampling_rate", "gauge", "Sampling rate applied (1 in N).");
    for (size_t i = 0; i < s->nexporters; i++)
        textbuf_printf(b, PFX "exporter_sampling_rate{exporter=\"%s\"} %" PRIu32 "\n",
                       label_addr(&s->exporters[i].addr, ip, sizeof(ip)),
                       ep_exporter_rate(ctx, &s->exporters[i]));
    family(b, "exporter_last_seen_seconds", "gauge", "UNIX time of the latest datagram.");
    for (size_t i = 0; i < s->nexporters; i++)
        textbuf_printf(b, PFX "exporter_last_seen_seconds{exporter=\"%s\"} %" PRIu64 "\n",
                       label_addr(&s->exporters[i].addr, ip, sizeof(ip)),
                       s->exporters[i].last_ms / 1000u);
    family(b, "exporters_refused_total", "counter",
           "Datagrams dropped because the exporter table was full.");
    textbuf_printf(b, PFX "exporters_refused_total %" PRIu64 "\n", s->exporters_refused);
}

static void accounting(struct textbuf *b, const struct status *s)
{
    const struct agg_stats *a = &s->acct;
    family(b, "records_total", "counter", "Flow records by outcome.");
    textbuf_printf(b, PFX "records_total{result=\"accounted\"} %" PRIu64 "\n", a->records);
    textbuf_printf(b, PFX "records_total{result=\"transit\"} %" PRIu64 "\n", a->transit);
    family(b, "records_clock_off_total", "counter",
           "Records binned by arrival time because their own times were not sane.");
    textbuf_printf(b, PFX "records_clock_off_total %" PRIu64 "\n", a->clock_off);
    family(b, "records_span_clamped_total", "counter", "Records cut to the longest flow span.");
    textbuf_printf(b, PFX "records_span_clamped_total %" PRIu64 "\n", a->span_clamped);
    family(b, "records_dropped_total", "counter", "Counter updates lost, by reason.");
    textbuf_printf(b, PFX "records_dropped_total{reason=\"full\"} %" PRIu64 "\n", a->dropped_full);
    textbuf_printf(b, PFX "records_dropped_total{reason=\"absurd\"} %" PRIu64 "\n", a->absurd);
    family(b, "store_rows_written_total", "counter", "Bin rows written to the store.");
    textbuf_printf(b, PFX "store_rows_written_total %" PRIu64 "\n", s->rows_written);
    family(b, "store_flush_errors_total", "counter", "Failed writes to the store (retried).");
    textbuf_printf(b, PFX "store_flush_errors_total %" PRIu64 "\n", s->flush_errors);
}

static void retention(struct textbuf *b, const struct status *s)
{
    const struct retention_stats *r = &s->retention;
    family(b, "store_pruned_rows_total", "counter", "Rows retention deleted, by resolution.");
    textbuf_printf(b, PFX "store_pruned_rows_total{resolution=\"5m\"} %" PRIu64 "\n",
                   r->pruned_bins);
    textbuf_printf(b, PFX "store_pruned_rows_total{resolution=\"1h\"} %" PRIu64 "\n",
                   r->pruned_hours);
    family(b, "store_prune_last_run_seconds", "gauge", "UNIX time of the latest retention run.");
    textbuf_printf(b, PFX "store_prune_last_run_seconds %" PRId64 "\n", r->last_run);
    family(b, "store_prune_errors_total", "counter", "Retention runs that failed.");
    textbuf_printf(b, PFX "store_prune_errors_total %" PRIu64 "\n", r->errors);
    family(b, "store_disk_short", "gauge",
           "1 while the disk has less free than STORAGE_RESERVED_SPACE.");
    textbuf_printf(b, PFX "store_disk_short %d\n", r->disk_short ? 1 : 0);
    family(b, "store_retention_at_floor", "gauge",
           "1 while the disk is short and retention has nothing more it may delete.");
    textbuf_printf(b, PFX "store_retention_at_floor %d\n", r->at_floor ? 1 : 0);
}

static void store(struct textbuf *b, struct http_ctx *ctx)
{
    struct store *st = NULL;
    struct store_info info = {0};
    int rc = dbpool_get(ctx->db, &st);
    if (rc == 0) {
        rc = store_get_info(st, &info);
        dbpool_put(ctx->db, st, rc < 0);
    }
    if (rc < 0)
        return; /* the store's series are left out rather than reported as 0 */
    family(b, "store_size_bytes", "gauge", "Size of the store on disk.");
    textbuf_printf(b, PFX "store_size_bytes %" PRIu64 "\n", info.size_bytes);
    family(b, "store_hosts", "gauge", "Hosts the store has seen.");
    textbuf_printf(b, PFX "store_hosts %" PRIu64 "\n", info.hosts);
    family(b, "store_free_inside_bytes", "gauge",
           "Free space inside the store's file, used before the file grows.");
    textbuf_printf(b, PFX "store_free_inside_bytes %" PRIu64 "\n", info.free_bytes);
    family(b, "store_first_bin_seconds", "gauge", "UNIX time of the oldest 5-minute bin kept.");
    textbuf_printf(b, PFX "store_first_bin_seconds %" PRId64 "\n", info.first_bin);
    family(b, "store_first_hour_seconds", "gauge", "UNIX time of the oldest hourly rollup kept.");
    textbuf_printf(b, PFX "store_first_hour_seconds %" PRId64 "\n", info.first_hour);
    family(b, "store_last_bin_seconds", "gauge", "UNIX time of the newest 5-minute bin.");
    textbuf_printf(b, PFX "store_last_bin_seconds %" PRId64 "\n", info.last_bin);
}

static void http(struct textbuf *b, const struct http_ctx *ctx)
{
    static const char *const classes[HTTP_CODE__COUNT] = {"2xx", "3xx", "4xx", "5xx"};
    family(b, "http_replies_total", "counter", "HTTP replies by status class.");
    for (size_t i = 0; i < HTTP_CODE__COUNT; i++)
        textbuf_printf(b, PFX "http_replies_total{code=\"%s\"} %" PRIu64 "\n", classes[i],
                       (uint64_t)atomic_load(&ctx->counters.replies[i]));
    family(b, "http_slow_closed_total", "counter",
           "HTTP connections closed for taking too long over a request.");
    textbuf_printf(b, PFX "http_slow_closed_total %" PRIu64 "\n",
                   (uint64_t)atomic_load(&ctx->counters.slow_closed));
}

int ep_metrics(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    (void)call;
    struct textbuf b;
    textbuf_init(&b);
    struct status *s = ctx->board ? status_board_get(ctx->board) : NULL;
    family(&b, "uptime_seconds", "gauge", "Seconds since the collector started.");
    textbuf_printf(&b, PFX "uptime_seconds %" PRIu64 "\n", ep_uptime(ctx, s));
    if (s) {
        listeners(&b, s);
        exporters(&b, ctx, s);
        accounting(&b, s);
        retention(&b, s);
    }
    status_put(s);
    store(&b, ctx);
    http(&b, ctx);
    size_t len = 0;
    char *text = textbuf_take(&b, &len);
    if (!text)
        return -ENOMEM;
    reply_take(r, 200, REPLY_PROMETHEUS, text, len);
    r->no_store = true;
    return 0;
}
