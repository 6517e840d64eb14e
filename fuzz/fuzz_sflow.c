/* fuzz/fuzz_sflow.c: sflow_decode on arbitrary bytes, checking what every
 * decoded record must satisfy, not only that nothing crashes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/sflow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Release builds define NDEBUG, and the invariants must hold there too. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

/* The fewest bytes a record can come from: a flow sample's type and length
 * (8), its fields (32), and a sampled_ipv4 record (8 + 32). */
#define FUZZ_MIN_SAMPLE_BYTES (8 + 32 + 8 + 32)
#define FUZZ_HEADER_BYTES     28

static struct exporter fuzz_exp;
static struct flow_rec fuzz_recs[SFLOW_MAX_SAMPLES];

static void fuzz_check_rec(const struct flow_rec *r)
{
    FUZZ_CHECK(r->src.af == ADDR_V4 || r->src.af == ADDR_V6);
    FUZZ_CHECK(r->dst.af == r->src.af);
    FUZZ_CHECK(r->packets == 1);
    FUZZ_CHECK(r->sampling >= 1);
    FUZZ_CHECK(r->start_ms == 0 && r->end_ms == 0);
    FUZZ_CHECK(r->bytes <= UINT32_MAX);
    if (r->proto == 1 || r->proto == 58)
        FUZZ_CHECK(r->sport == 0 && r->dport == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memset(&fuzz_exp, 0, sizeof(fuzz_exp));
    struct flow_batch out = {fuzz_recs, 0, SFLOW_MAX_SAMPLES};
    struct dec_ctx ctx = {&fuzz_exp, NULL, &out, 0};
    enum dec_status st = sflow_decode(&ctx, data, size);
    FUZZ_CHECK((unsigned)st < DEC__COUNT);
    if (st == DEC_SHORT_HEADER || st == DEC_BAD_VERSION || st == DEC_BAD_ADDRESS_TYPE)
        FUZZ_CHECK(out.n == 0);
    if (out.n > 0)
        FUZZ_CHECK(FUZZ_HEADER_BYTES + out.n * FUZZ_MIN_SAMPLE_BYTES <= size);
    for (size_t i = 0; i < out.n; i++)
        fuzz_check_rec(&fuzz_recs[i]);
    FUZZ_CHECK(fuzz_exp.nsamplers <= EXPORTER_MAX_SAMPLERS);
    FUZZ_CHECK(fuzz_exp.nsamplers <= out.n);
    return 0;
}
