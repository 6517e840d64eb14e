/* fuzz/fuzz_cells.c: the store's counter blobs (store/cells.h) on arbitrary
 * bytes, as a damaged or hand-edited store file would hand them over. The
 * first byte picks the kind. What decodes holds only values in range and
 * only the kind's, encodes within CELLS_BLOB_MAX, and decodes again to the
 * same values; cells_totals refuses what cells_decode refuses and reads
 * the same totals. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/cells.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    enum cells_kind kind = data[0] & 1 ? CELLS_ROLLUP : CELLS_BIN;
    struct cells c;
    uint64_t t[DIR__COUNT];
    int totals = cells_totals(data + 1, size - 1, kind, t);
    if (cells_decode(data + 1, size - 1, kind, &c) < 0) {
        FUZZ_CHECK(totals < 0); /* both refuse the same blobs */
        return 0;
    }
    FUZZ_CHECK(totals == 0 && t[DIR_R] == c.v[DIR_R][CLASS_TOTAL] &&
               t[DIR_S] == c.v[DIR_S][CLASS_TOTAL]);
    for (int d = 0; d < DIR__COUNT; d++)
        for (size_t i = 0; i < CELLS_VALUES; i++) {
            FUZZ_CHECK(c.v[d][i] <= BIN_COUNTER_MAX);
            FUZZ_CHECK(i < (size_t)kind * CLASS__COUNT || c.v[d][i] == 0);
        }
    uint8_t out[CELLS_BLOB_MAX];
    size_t n = cells_encode(&c, kind, out);
    FUZZ_CHECK(n <= CELLS_BLOB_MAX);
    struct cells back;
    FUZZ_CHECK(cells_decode(out, n, kind, &back) == 0);
    FUZZ_CHECK(memcmp(&back, &c, sizeof(c)) == 0);
    FUZZ_CHECK(n <= size - 1 || size - 1 == 0); /* the encoding is the shortest form */
    return 0;
}
