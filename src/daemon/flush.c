/* daemon/flush.c: agg -> store. */
#include "daemon/flush.h"

int flush_agg(struct store *st, struct agg *a, size_t *rows)
{
    struct bin_batch b;
    if (agg_count(a) == 0) {
        if (rows)
            *rows = 0;
        return 0;
    }
    int rc = agg_rows(a, &b);
    if (rc < 0)
        return rc;
    rc = store_put_bins(st, &b);
    if (rc < 0)
        return rc;
    if (rows)
        *rows = b.n;
    agg_reset(a);
    return 0;
}
