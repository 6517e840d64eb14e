/* Tests for decode/cursor.h, the bounds-checked wire reader, after the way
 * Knot DNS tests its wire context: every reader at exactly the bytes it needs
 * and at one byte fewer, the sticky error flag, network byte order, and
 * sub-cursors that keep the parent's place whatever the child does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode/cursor.h"

/* Bytes with the high bit set first, so that a reader that shifts a plain
 * (int) byte would overflow and one that sign-extends would show it. */
static const uint8_t wire[16] = {0x80, 0xf1, 0xe2, 0xd3, 0xc4, 0xb5, 0xa6, 0x97,
                                 0x08, 0x19, 0x2a, 0x3b, 0x4c, 0x5d, 0x6e, 0x7f};

/* One row per fixed-size reader, with the value it must find at the start
 * of `wire`. */
static uint64_t read_u8(struct rd *r)
{
    return rd_u8(r);
}

static uint64_t read_u16(struct rd *r)
{
    return rd_u16(r);
}

static uint64_t read_u32(struct rd *r)
{
    return rd_u32(r);
}

static uint64_t read_u64(struct rd *r)
{
    return rd_u64(r);
}

struct reader {
    const char *name;
    size_t size;
    uint64_t (*read)(struct rd *r);
    uint64_t want; /* from the first `size` bytes of wire, big-endian */
};

static const struct reader readers[] = {
    {"rd_u8", 1, read_u8, 0x80},
    {"rd_u16", 2, read_u16, 0x80f1},
    {"rd_u32", 4, read_u32, 0x80f1e2d3},
    {"rd_u64", 8, read_u64, 0x80f1e2d3c4b5a697},
};

#define NREADERS (sizeof(readers) / sizeof(readers[0]))

static void test_init(void **state)
{
    (void)state;
    struct rd r = rd_init(wire, sizeof(wire));
    assert_ptr_equal(r.p, wire);
    assert_int_equal(r.left, sizeof(wire));
    assert_false(r.bad);

    /* An empty range is a good cursor with nothing in it. */
    r = rd_init(wire, 0);
    assert_int_equal(r.left, 0);
    assert_false(r.bad);
    assert_true(rd_need(&r, 0));
    assert_false(r.bad);
}

static void test_need(void **state)
{
    (void)state;
    struct rd r = rd_init(wire, 4);
    assert_true(rd_need(&r, 4));
    assert_int_equal(r.left, 4); /* looking does not move */
    assert_ptr_equal(r.p, wire);
    assert_false(r.bad);
    assert_false(rd_need(&r, 5));
    assert_true(r.bad);
    assert_int_equal(r.left, 4);
    /* Once bad, even a need for nothing fails. */
    assert_false(rd_need(&r, 0));
    assert_false(rd_need(&r, 1));

    r = rd_init(wire, 4);
    assert_false(rd_need(&r, SIZE_MAX)); /* no overflow in the comparison */
    assert_true(r.bad);
}

/* Each reader given exactly its size: the value, and nothing left. */
static void test_exact_length(void **state)
{
    (void)state;
    for (size_t i = 0; i < NREADERS; i++) {
        const struct reader *t = &readers[i];
        struct rd r = rd_init(wire, t->size);
        uint64_t v = t->read(&r);
        if (v != t->want || r.bad || r.left != 0 || r.p != wire + t->size)
            fail_msg("%s at exact length: got %#llx bad=%d left=%zu", t->name,
                     (unsigned long long)v, (int)r.bad, r.left);
    }
}

/* Each reader one byte short: 0, bad, and the cursor has not moved; then a
 * read that would fit still returns 0 because the flag is sticky. */
static void test_one_short(void **state)
{
    (void)state;
    for (size_t i = 0; i < NREADERS; i++) {
        const struct reader *t = &readers[i];
        struct rd r = rd_init(wire, t->size - 1);
        uint64_t v = t->read(&r);
        if (v != 0 || !r.bad)
            fail_msg("%s one byte short: got %#llx bad=%d", t->name, (unsigned long long)v,
                     (int)r.bad);
        if (r.left != t->size - 1 || r.p != wire)
            fail_msg("%s one byte short moved the cursor: left=%zu", t->name, r.left);
        if (t->size > 1) {
            assert_int_equal(rd_u8(&r), 0); /* one byte is there, but we are bad */
            assert_true(r.bad);
            assert_int_equal(r.left, t->size - 1);
        }
    }
}

/* An empty cursor refuses every reader. */
static void test_zero_length(void **state)
{
    (void)state;
    for (size_t i = 0; i < NREADERS; i++) {
        struct rd r = rd_init(wire, 0);
        assert_int_equal(readers[i].read(&r), 0);
        assert_true(r.bad);
    }
    uint8_t dst[2] = {0xaa, 0xaa};
    struct rd r = rd_init(wire, 0);
    rd_copy(&r, dst, 0); /* copying nothing from nothing is fine */
    assert_false(r.bad);
    assert_int_equal(dst[0], 0xaa);
    rd_skip(&r, 0);
    assert_false(r.bad);
    assert_int_equal(rd_uint(&r, 1), 0);
    assert_true(r.bad);
}

static void test_network_order(void **state)
{
    (void)state;
    static const uint8_t b[] = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
                                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    struct rd r = rd_init(b, sizeof(b));
    assert_int_equal(rd_u8(&r), 0x12);
    assert_int_equal(rd_u16(&r), 0x3456);
    assert_int_equal(rd_u32(&r), 0x789abcde);
    assert_int_equal(rd_u8(&r), 0xf0);
    assert_true(rd_u64(&r) == 0x0102030405060708ULL);
    assert_true(rd_u64(&r) == UINT64_MAX);
    assert_int_equal(r.left, 0);
    assert_false(r.bad);

    /* The top byte with its high bit set survives the shift. */
    r = rd_init(wire, 4);
    assert_true(rd_u32(&r) == 0x80f1e2d3u);
}

/* A run of reads that ends past the end: every read from the failing one on
 * returns 0, and one check at the end is enough. */
static void test_sticky(void **state)
{
    (void)state;
    struct rd r = rd_init(wire, 5);
    assert_int_equal(rd_u32(&r), 0x80f1e2d3);
    assert_int_equal(rd_u16(&r), 0); /* 1 byte left, 2 wanted */
    assert_true(r.bad);
    assert_int_equal(rd_u8(&r), 0); /* would fit, but the flag sticks */
    assert_int_equal(rd_u16(&r), 0);
    assert_int_equal(rd_u32(&r), 0);
    assert_true(rd_u64(&r) == 0);
    assert_true(rd_uint(&r, 1) == 0);
    rd_skip(&r, 1);
    uint8_t dst[1] = {0xaa};
    rd_copy(&r, dst, 1);
    assert_int_equal(dst[0], 0); /* zeroed, not left as it was */
    assert_true(r.bad);
    assert_int_equal(r.left, 1);
    assert_ptr_equal(r.p, wire + 4);

    struct rd sub = rd_sub(&r, 0); /* a bad parent gives bad children */
    assert_true(sub.bad);
    assert_int_equal(sub.left, 0);
}

/* rd_uint reads 1 to 8 bytes (RFC 7011 reduced-size encoding). */
static void test_uint(void **state)
{
    (void)state;
    static const uint64_t want[9] = {0,
                                     0x80,
                                     0x80f1,
                                     0x80f1e2,
                                     0x80f1e2d3,
                                     0x80f1e2d3c4,
                                     0x80f1e2d3c4b5,
                                     0x80f1e2d3c4b5a6,
                                     0x80f1e2d3c4b5a697};
    for (size_t n = 1; n <= 8; n++) {
        struct rd r = rd_init(wire, n);
        uint64_t v = rd_uint(&r, n);
        if (v != want[n] || r.bad || r.left != 0)
            fail_msg("rd_uint(%zu) at exact length: got %#llx", n, (unsigned long long)v);
        r = rd_init(wire, n - 1);
        v = rd_uint(&r, n);
        if (v != 0 || !r.bad || r.left != n - 1)
            fail_msg("rd_uint(%zu) one byte short: got %#llx", n, (unsigned long long)v);
    }
    /* Sizes outside 1..8 are refused even with bytes to spare. */
    struct rd r = rd_init(wire, sizeof(wire));
    assert_true(rd_uint(&r, 0) == 0);
    assert_true(r.bad);
    assert_int_equal(r.left, sizeof(wire));
    r = rd_init(wire, sizeof(wire));
    assert_true(rd_uint(&r, 9) == 0);
    assert_true(r.bad);
    assert_int_equal(r.left, sizeof(wire));
}

static void test_copy_skip(void **state)
{
    (void)state;
    uint8_t dst[4];
    struct rd r = rd_init(wire, 6);
    rd_copy(&r, dst, 4);
    assert_memory_equal(dst, wire, 4);
    assert_int_equal(r.left, 2);
    rd_skip(&r, 2);
    assert_int_equal(r.left, 0);
    assert_false(r.bad);

    /* One short: the destination is zeroed, the cursor is bad. */
    memset(dst, 0xaa, sizeof(dst));
    r = rd_init(wire, 3);
    rd_copy(&r, dst, 4);
    static const uint8_t zero[4] = {0};
    assert_memory_equal(dst, zero, 4);
    assert_true(r.bad);
    assert_int_equal(r.left, 3);

    r = rd_init(wire, 3);
    rd_skip(&r, 4);
    assert_true(r.bad);
    assert_int_equal(r.left, 3);
    assert_ptr_equal(r.p, wire);
}

/* The child covers exactly n bytes and the parent moves past all of them,
 * whether the child reads nothing, part, all, or tries to read too much. */
static void test_sub_moves_parent(void **state)
{
    (void)state;
    for (size_t child_reads = 0; child_reads <= 5; child_reads++) {
        struct rd parent = rd_init(wire, 8);
        assert_int_equal(rd_u8(&parent), 0x80);
        struct rd c = rd_sub(&parent, 4);
        assert_false(c.bad);
        assert_ptr_equal(c.p, wire + 1);
        assert_int_equal(c.left, 4);
        assert_ptr_equal(parent.p, wire + 5);
        assert_int_equal(parent.left, 3);
        for (size_t i = 0; i < child_reads; i++)
            (void)rd_u8(&c);
        assert_int_equal(c.bad, child_reads > 4); /* the child cannot leave its range */
        /* The parent goes on after the range, whatever the child did. */
        assert_false(parent.bad);
        assert_int_equal(rd_u8(&parent), 0xb5);
        assert_int_equal(rd_u16(&parent), 0xa697);
        assert_false(parent.bad);
    }
}

static void test_sub_edges(void **state)
{
    (void)state;
    /* Longer than what is left: both bad, the child empty. */
    struct rd parent = rd_init(wire, 4);
    struct rd c = rd_sub(&parent, 5);
    assert_true(c.bad);
    assert_int_equal(c.left, 0);
    assert_int_equal(rd_u8(&c), 0);
    assert_true(parent.bad);
    assert_int_equal(rd_u8(&parent), 0);

    /* Exactly what is left. */
    parent = rd_init(wire, 4);
    c = rd_sub(&parent, 4);
    assert_false(c.bad);
    assert_int_equal(c.left, 4);
    assert_int_equal(parent.left, 0);
    assert_false(parent.bad);
    assert_int_equal(rd_u32(&c), 0x80f1e2d3);

    /* Zero length, from a full and from an empty parent: a good, empty child
     * and a parent that has not moved. */
    parent = rd_init(wire, 4);
    c = rd_sub(&parent, 0);
    assert_false(c.bad);
    assert_int_equal(c.left, 0);
    assert_int_equal(parent.left, 4);
    assert_int_equal(rd_u8(&c), 0);
    assert_true(c.bad);
    assert_false(parent.bad); /* the child's failure is its own */
    parent = rd_init(wire, 0);
    c = rd_sub(&parent, 0);
    assert_false(c.bad);
    assert_false(parent.bad);

    /* A length that would overflow a pointer sum is simply too long. */
    parent = rd_init(wire, 4);
    c = rd_sub(&parent, SIZE_MAX);
    assert_true(c.bad);
    assert_true(parent.bad);
}

/* Records in sets in a message: a length field per level, and a bad inner
 * length does not disturb the outer walk. */
static void test_sub_nested(void **state)
{
    (void)state;
    static const uint8_t msg[] = {
        0x00, 0x04,             /* set 1 length (after this field) */
        0x00, 0x09,             /* record length: more than the set holds */
        0xaa, 0xbb,             /* record bytes */
        0x00, 0x02, 0xcc, 0xdd, /* set 2: length 2, two bytes */
    };
    struct rd m = rd_init(msg, sizeof(msg));
    struct rd set = rd_sub(&m, rd_u16(&m));
    assert_false(set.bad);
    struct rd rec = rd_sub(&set, rd_u16(&set));
    assert_true(rec.bad);
    assert_true(set.bad);
    assert_false(m.bad);
    set = rd_sub(&m, rd_u16(&m));
    assert_false(set.bad);
    assert_int_equal(rd_u16(&set), 0xccdd);
    assert_int_equal(m.left, 0);
    assert_false(m.bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),         cmocka_unit_test(test_need),
        cmocka_unit_test(test_exact_length), cmocka_unit_test(test_one_short),
        cmocka_unit_test(test_zero_length),  cmocka_unit_test(test_network_order),
        cmocka_unit_test(test_sticky),       cmocka_unit_test(test_uint),
        cmocka_unit_test(test_copy_skip),    cmocka_unit_test(test_sub_moves_parent),
        cmocka_unit_test(test_sub_edges),    cmocka_unit_test(test_sub_nested),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
