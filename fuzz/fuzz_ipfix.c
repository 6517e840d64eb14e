/* fuzz/fuzz_ipfix.c: IPFIX messages from nowhere.
 *
 * The template cache and exporter are created once and emptied before each
 * input, so that a crash reproduces from its input alone; an input carries
 * its templates and data together. Each input is decoded twice, the second
 * time against the templates it defined, which reaches the data paths even
 * when data sets come before their templates. The per-exporter cap is small
 * so that its limit is hit too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/ipfix.h"
#include "decode/templates.h"

#define FUZZ_MAX_RECORDS   64
#define FUZZ_MAX_TEMPLATES 48

/* Checks that hold in every build type (assert vanishes under NDEBUG). */
#define FUZZ_CHECK(c)                                                                              \
    do {                                                                                           \
        if (!(c))                                                                                  \
            abort();                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tpl_cache *tpls;
static struct exporter xp;
static struct flow_rec recs[FUZZ_MAX_RECORDS];

static void check_records(const struct flow_batch *out, enum dec_status st)
{
    FUZZ_CHECK(out->n <= out->cap);
    FUZZ_CHECK(st == DEC_OK || out->n == 0); /* a refused message appends nothing */
    for (size_t i = 0; i < out->n; i++) {
        const struct flow_rec *r = &out->recs[i];
        FUZZ_CHECK(r->src.af == ADDR_V4 || r->src.af == ADDR_V6);
        FUZZ_CHECK(r->dst.af == r->src.af);
        FUZZ_CHECK((r->start_ms == 0) == (r->end_ms == 0));
        if (r->proto == 1 || r->proto == 58)
            FUZZ_CHECK(r->sport == 0 && r->dport == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!tpls) {
        struct hash_key key;
        hash_key_from_seed(&key, 1);
        tpls = tpl_cache_new(FUZZ_MAX_TEMPLATES, &key);
        FUZZ_CHECK(tpls);
    }
    tpl_cache_clear(tpls);
    memset(&xp, 0, sizeof(xp));
    xp.addr = (struct of_addr){ADDR_V4, {192, 0, 2, 1}};
    for (int pass = 0; pass < 2; pass++) {
        struct flow_batch out = {recs, 0, FUZZ_MAX_RECORDS};
        struct dec_ctx ctx = {&xp, tpls, &out, 1715680900000ull};
        enum dec_status st = ipfix_decode(&ctx, data, size);
        FUZZ_CHECK(st < DEC__COUNT);
        check_records(&out, st);
    }
    struct tpl_stats ts;
    tpl_cache_stats(tpls, &ts);
    FUZZ_CHECK(ts.entries <= FUZZ_MAX_TEMPLATES);
    FUZZ_CHECK(ts.templates <= ts.entries);
    FUZZ_CHECK(xp.nsamplers <= EXPORTER_MAX_SAMPLERS);
    return 0;
}
