/* decode/exporter.h: what we know about each device that sends us flows.
 *
 * An exporter is identified by its source address. It carries the counters
 * the operator reads (per protocol, per reject reason) and the sampling rates
 * it has signalled, keyed by observation domain / source id and sampler id.
 * The table is bounded: when it is full, datagrams from new addresses are
 * dropped and counted (exporter_tab_refused). One table per worker; not
 * thread-safe. */
#ifndef OF_DECODE_EXPORTER_H
#define OF_DECODE_EXPORTER_H

#include <stddef.h>
#include <stdint.h>

#include "decode/dec_status.h"
#include "util/addr.h"
#include "util/compiler.h"
#include "util/hash.h"

enum flow_proto {
    FLOW_PROTO_NF5,
    FLOW_PROTO_NF9,
    FLOW_PROTO_IPFIX,
    FLOW_PROTO_SFLOW,
    FLOW_PROTO__COUNT
};

/* "netflow5", "netflow9", "ipfix", "sflow". */
const char *flow_proto_name(enum flow_proto p);

#define EXPORTER_MAX_SAMPLERS 32

/* Sampler id that stands for "the whole domain": records that carry no
 * sampler id use the rate of this entry. */
#define EXPORTER_ANY_SAMPLER 0xffffffffu

struct exporter_stats {
    uint64_t packets[FLOW_PROTO__COUNT]; /* datagrams received */
    uint64_t bytes[FLOW_PROTO__COUNT];   /* datagram payload bytes */
    uint64_t records[FLOW_PROTO__COUNT]; /* flow records / samples accepted */
    uint64_t dec_err[DEC__COUNT];        /* rejects by reason */
    uint64_t sampler_limit;              /* rates not kept: sampler table full */
    uint64_t sflow_counter_samples;      /* sFlow counter samples (read past, not used) */
};

struct exporter_sampler {
    uint32_t domain;  /* v9 source id / IPFIX observation domain / sFlow source id */
    uint32_t sampler; /* sampler/selector id, or EXPORTER_ANY_SAMPLER */
    uint32_t rate;    /* 1-in-N */
};

struct exporter {
    struct of_addr addr;
    struct exporter_stats st;
    uint32_t rate;     /* rate most recently signalled (for status); 0 = none */
    uint64_t first_ms; /* arrival of the first datagram */
    uint64_t last_ms;  /* arrival of the latest datagram */
    size_t nsamplers;
    struct exporter_sampler samplers[EXPORTER_MAX_SAMPLERS];
};

struct exporter_tab;

/* NULL on allocation failure. key keys the address hash. */
struct exporter_tab *exporter_tab_new(size_t max_exporters, const struct hash_key *key);
void exporter_tab_free(struct exporter_tab *t); /* accepts NULL */

/* The exporter for addr, created on first sight. NULL when the table is full
 * (the refusal is counted). The pointer stays valid until the table is freed. */
struct exporter *exporter_get(struct exporter_tab *t, const struct of_addr *addr);

size_t exporter_tab_count(const struct exporter_tab *t);
struct exporter *exporter_tab_at(struct exporter_tab *t, size_t i); /* i < count */
uint64_t exporter_tab_refused(const struct exporter_tab *t);

/* Remembers a signalled rate (rate >= 1). Returns 0, or -ENOSPC when the
 * sampler table is full (counted in st.sampler_limit). */
int exporter_set_rate(struct exporter *e, uint32_t domain, uint32_t sampler, uint32_t rate);

/* The rate for a record of this domain and sampler: the sampler's own if
 * known, else the domain's EXPORTER_ANY_SAMPLER entry, else 0 (none). */
uint32_t exporter_rate(const struct exporter *e, uint32_t domain, uint32_t sampler);

#endif
