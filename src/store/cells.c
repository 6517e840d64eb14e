/* store/cells.c: a row's counters as one blob (see cells.h). */
#include "store/cells.h"

#include <errno.h>
#include <string.h>

#include "decode/cursor.h"

#define VARINT_MAX 9 /* bytes of a value below 2^63 */

static size_t put_varint(uint8_t *out, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

/* A value of at most VARINT_MAX bytes; a longer one makes the cursor bad. */
static uint64_t rd_varint(struct rd *r)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < VARINT_MAX; i++) {
        uint8_t b = rd_u8(r);
        v |= (uint64_t)(b & 0x7f) << (7 * i);
        if (!(b & 0x80))
            return v;
    }
    r->bad = true;
    return 0;
}

size_t cells_encode(const struct cells *c, enum cells_kind kind, uint8_t *out)
{
    size_t n = 0;
    for (size_t d = 0; d < DIR__COUNT; d++) {
        unsigned mask = 0;
        for (size_t cls = 0; cls < CLASS__COUNT; cls++)
            for (size_t k = 0; k < (size_t)kind; k++)
                if (c->v[d][k * CLASS__COUNT + cls])
                    mask |= 1u << cls;
        n += put_varint(out + n, mask);
        for (size_t cls = 0; cls < CLASS__COUNT; cls++)
            if (mask & (1u << cls))
                for (size_t k = 0; k < (size_t)kind; k++)
                    n += put_varint(out + n, c->v[d][k * CLASS__COUNT + cls]);
    }
    return n;
}

/* Reads a blob of the kind: every value into c when c is not NULL, each
 * direction's total bytes into total. 0 or -EBADMSG. */
static int cells_read(const void *blob, size_t len, enum cells_kind kind, struct cells *c,
                      uint64_t total[DIR__COUNT])
{
    total[DIR_R] = total[DIR_S] = 0;
    if (!blob || len == 0)
        return 0;
    struct rd r = rd_init(blob, len);
    for (size_t d = 0; d < DIR__COUNT; d++) {
        uint64_t mask = rd_varint(&r);
        if (mask >> CLASS__COUNT)
            return -EBADMSG;
        for (size_t cls = 0; cls < CLASS__COUNT; cls++) {
            if (!(mask & (1u << cls)))
                continue;
            for (size_t k = 0; k < (size_t)kind; k++) {
                uint64_t v = rd_varint(&r);
                if (v > BIN_COUNTER_MAX)
                    return -EBADMSG;
                if (c)
                    c->v[d][k * CLASS__COUNT + cls] = v;
                if (cls == CLASS_TOTAL && k == 0)
                    total[d] = v;
            }
        }
    }
    return r.bad || r.left ? -EBADMSG : 0;
}

int cells_decode(const void *blob, size_t len, enum cells_kind kind, struct cells *c)
{
    uint64_t total[DIR__COUNT];
    memset(c, 0, sizeof(*c));
    return cells_read(blob, len, kind, c, total);
}

int cells_totals(const void *blob, size_t len, enum cells_kind kind, uint64_t total[DIR__COUNT])
{
    return cells_read(blob, len, kind, NULL, total);
}

void cells_merge(struct cells *a, const struct cells *b, enum cells_kind kind)
{
    for (size_t d = 0; d < DIR__COUNT; d++) {
        for (size_t i = 0; i < 2 * CLASS__COUNT; i++) {
            uint64_t s = a->v[d][i] + b->v[d][i];
            a->v[d][i] = s > BIN_COUNTER_MAX ? BIN_COUNTER_MAX : s;
        }
        for (size_t i = 2 * CLASS__COUNT; kind == CELLS_ROLLUP && i < CELLS_VALUES; i++)
            if (b->v[d][i] > a->v[d][i])
                a->v[d][i] = b->v[d][i];
    }
}
