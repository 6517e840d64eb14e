/* tests/unit/store/test_cells.c: the blob a stored row's counters are kept
 * in: exact bytes for hand-worked rows, round trips, and every kind of
 * malformed blob refused. */
/* cmocka.h needs these first */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "store/cells.h"

static struct cells zero(void)
{
    struct cells c;
    memset(&c, 0, sizeof(c));
    return c;
}

/* R: total 300 bytes in 2 packets, tcp 200 bytes in 1; S: nothing. The
 * mask of R is bits 0 and 3 (9), 300 is ac 02 as a varint. */
static void test_encode_by_hand(void **state)
{
    (void)state;
    struct cells c = zero();
    c.v[DIR_R][CLASS_TOTAL] = 300;
    c.v[DIR_R][CLASS__COUNT + CLASS_TOTAL] = 2;
    c.v[DIR_R][CLASS_TCP] = 200;
    c.v[DIR_R][CLASS__COUNT + CLASS_TCP] = 1;
    uint8_t out[CELLS_BLOB_MAX];
    size_t n = cells_encode(&c, CELLS_BIN, out);
    static const uint8_t want[] = {0x09, 0xac, 0x02, 0x02, 0xc8, 0x01, 0x01, 0x00};
    assert_int_equal(n, sizeof(want));
    assert_memory_equal(out, want, sizeof(want));
    struct cells back;
    assert_int_equal(cells_decode(out, n, CELLS_BIN, &back), 0);
    assert_memory_equal(&back, &c, sizeof(c));
}

/* An empty row is two zero masks; an empty or NULL blob reads as zeros. */
static void test_empty(void **state)
{
    (void)state;
    struct cells c = zero();
    uint8_t out[CELLS_BLOB_MAX];
    assert_int_equal(cells_encode(&c, CELLS_ROLLUP, out), 2);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 0);
    struct cells back;
    back.v[DIR_S][0] = 7;
    assert_int_equal(cells_decode(NULL, 0, CELLS_BIN, &back), 0);
    assert_int_equal(back.v[DIR_S][0], 0);
}

/* Every value of both directions, at sizes from 0 to BIN_COUNTER_MAX,
 * comes back; a rollup keeps its peaks, a bin has none. */
static void test_round_trip(void **state)
{
    (void)state;
    uint64_t x = 12345;
    for (int round = 0; round < 200; round++) {
        struct cells c = zero();
        enum cells_kind kind = round % 2 ? CELLS_ROLLUP : CELLS_BIN;
        for (int d = 0; d < DIR__COUNT; d++)
            for (size_t i = 0; i < (size_t)kind * CLASS__COUNT; i++) {
                x = x * 6364136223846793005u + 1442695040888963407u;
                unsigned bits = (unsigned)(x >> 58); /* 0..63: values of every length */
                uint64_t v = bits > 61 ? BIN_COUNTER_MAX : (x >> 2) >> bits;
                c.v[d][i] = (x >> 20) % 3 == 0 ? 0 : v;
            }
        uint8_t out[CELLS_BLOB_MAX];
        size_t n = cells_encode(&c, kind, out);
        assert_true(n <= CELLS_BLOB_MAX);
        struct cells back;
        assert_int_equal(cells_decode(out, n, kind, &back), 0);
        assert_memory_equal(&back, &c, sizeof(c));
    }
}

static void test_largest_blob(void **state)
{
    (void)state;
    struct cells c = zero();
    for (int d = 0; d < DIR__COUNT; d++)
        for (size_t i = 0; i < CELLS_VALUES; i++)
            c.v[d][i] = BIN_COUNTER_MAX;
    uint8_t out[CELLS_BLOB_MAX];
    size_t n = cells_encode(&c, CELLS_ROLLUP, out);
    /* a 12-bit mask takes 2 bytes, 2^62 takes 9 */
    assert_int_equal(n, DIR__COUNT * (2 + CELLS_VALUES * 9));
    assert_int_equal(n, CELLS_BLOB_MAX);
}

static void assert_refused(const uint8_t *blob, size_t n, enum cells_kind kind)
{
    struct cells c;
    assert_int_equal(cells_decode(blob, n, kind, &c), -EBADMSG);
}

static void test_malformed(void **state)
{
    (void)state;
    uint8_t ok[CELLS_BLOB_MAX];
    struct cells c = zero();
    c.v[DIR_R][CLASS_TOTAL] = 1u << 20;
    c.v[DIR_S][CLASS_WEB] = 5;
    size_t n = cells_encode(&c, CELLS_BIN, ok);
    for (size_t cut = 1; cut < n; cut++) /* cut short anywhere */
        assert_refused(ok, cut, CELLS_BIN);
    uint8_t longer[CELLS_BLOB_MAX + 1];
    memcpy(longer, ok, n);
    longer[n] = 0; /* a byte left over */
    assert_refused(longer, n + 1, CELLS_BIN);
    assert_refused(ok, n, CELLS_ROLLUP); /* read as the other kind: values run out */
    static const uint8_t class12[] = {0x80, 0x20, 0x01, 0x01, 0x00}; /* mask bit 12 */
    assert_refused(class12, sizeof(class12), CELLS_BIN);
    static const uint8_t ten[] = {0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                                  0x80, 0x80, 0x80, 0x01, 0x01, 0x00}; /* a 10-byte varint */
    assert_refused(ten, sizeof(ten), CELLS_BIN);
    /* 2^62 + 1: past BIN_COUNTER_MAX */
    static const uint8_t big[] = {0x01, 0x81, 0x80, 0x80, 0x80, 0x80,
                                  0x80, 0x80, 0x80, 0x40, 0x01, 0x00};
    assert_refused(big, sizeof(big), CELLS_BIN);
}

/* Sums stop at BIN_COUNTER_MAX, peaks take the larger, and a bin merge
 * leaves the peak slots alone. */
static void test_merge(void **state)
{
    (void)state;
    struct cells a = zero(), b = zero();
    a.v[DIR_R][CLASS_TOTAL] = BIN_COUNTER_MAX - 1;
    b.v[DIR_R][CLASS_TOTAL] = 5;
    a.v[DIR_S][CLASS__COUNT + CLASS_DNS] = 3;
    b.v[DIR_S][CLASS__COUNT + CLASS_DNS] = 4;
    a.v[DIR_R][2 * CLASS__COUNT + CLASS_TCP] = 10;
    b.v[DIR_R][2 * CLASS__COUNT + CLASS_TCP] = 7;
    b.v[DIR_S][2 * CLASS__COUNT + CLASS_TCP] = 9;
    struct cells r = a;
    cells_merge(&r, &b, CELLS_ROLLUP);
    assert_int_equal(r.v[DIR_R][CLASS_TOTAL], BIN_COUNTER_MAX);
    assert_int_equal(r.v[DIR_S][CLASS__COUNT + CLASS_DNS], 7);
    assert_int_equal(r.v[DIR_R][2 * CLASS__COUNT + CLASS_TCP], 10);
    assert_int_equal(r.v[DIR_S][2 * CLASS__COUNT + CLASS_TCP], 9);
    r = a;
    cells_merge(&r, &b, CELLS_BIN);
    assert_int_equal(r.v[DIR_S][CLASS__COUNT + CLASS_DNS], 7);
    assert_int_equal(r.v[DIR_S][2 * CLASS__COUNT + CLASS_TCP], 0);
}

/* cells_totals reads what cells_decode reads for class total, and refuses
 * what it refuses. */
static void test_totals(void **state)
{
    (void)state;
    uint64_t x = 99;
    for (int round = 0; round < 100; round++) {
        struct cells c = zero();
        enum cells_kind kind = round % 2 ? CELLS_ROLLUP : CELLS_BIN;
        for (int d = 0; d < DIR__COUNT; d++)
            for (size_t i = 0; i < (size_t)kind * CLASS__COUNT; i++) {
                x = x * 6364136223846793005u + 1442695040888963407u;
                c.v[d][i] = (x >> 33) % 3 == 0 ? 0 : x >> (24 + (x & 31));
            }
        uint8_t out[CELLS_BLOB_MAX];
        size_t n = cells_encode(&c, kind, out);
        uint64_t t[DIR__COUNT];
        assert_int_equal(cells_totals(out, n, kind, t), 0);
        assert_int_equal(t[DIR_R], c.v[DIR_R][CLASS_TOTAL]);
        assert_int_equal(t[DIR_S], c.v[DIR_S][CLASS_TOTAL]);
        for (size_t cut = 0; cut < n; cut++)
            assert_int_equal(cells_totals(out, cut, kind, t), cut ? -EBADMSG : 0);
    }
    static const uint8_t class12[] = {0x80, 0x20, 0x01, 0x01, 0x00};
    uint64_t t[DIR__COUNT];
    assert_int_equal(cells_totals(class12, sizeof(class12), CELLS_BIN, t), -EBADMSG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_by_hand), cmocka_unit_test(test_empty),
        cmocka_unit_test(test_round_trip),     cmocka_unit_test(test_largest_blob),
        cmocka_unit_test(test_malformed),      cmocka_unit_test(test_merge),
        cmocka_unit_test(test_totals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
