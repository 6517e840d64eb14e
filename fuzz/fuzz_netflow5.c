/* fuzz/fuzz_netflow5.c: netflow5_decode on arbitrary bytes. v5 is all or
 * nothing: either every record the header counts is whole, or none is
 * emitted. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/netflow5.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct exporter exp;
    static struct flow_rec recs[NF5_MAX_RECORDS];
    memset(&exp, 0, sizeof(exp));
    struct flow_batch out = {recs, 0, NF5_MAX_RECORDS};
    struct dec_ctx ctx = {&exp, NULL, &out, 1715680800000ull};
    enum dec_status st = netflow5_decode(&ctx, data, size);
    FUZZ_CHECK((unsigned)st < DEC__COUNT);
    if (st != DEC_OK) {
        FUZZ_CHECK(out.n == 0);
        return 0;
    }
    FUZZ_CHECK(out.n >= 1 && out.n <= NF5_MAX_RECORDS);
    FUZZ_CHECK(NF5_HEADER_LEN + out.n * NF5_RECORD_LEN <= size);
    for (size_t i = 0; i < out.n; i++) {
        FUZZ_CHECK(recs[i].src.af == ADDR_V4 && recs[i].dst.af == ADDR_V4);
        FUZZ_CHECK(recs[i].bytes <= UINT32_MAX && recs[i].packets <= UINT32_MAX);
        FUZZ_CHECK(recs[i].sampling <= 0x3fff);
    }
    return 0;
}
