/* decode/cursor.h: the only way wire bytes are read.
 *
 * A cursor covers a byte range it may not leave. Its error flag is sticky:
 * a read past the end sets `bad`, returns 0, and every later read returns 0
 * too, so a decoder can read a whole header and check once. Every length
 * field in a packet gets its own sub-cursor (rd_sub), which moves the parent
 * past the whole range whatever the child reads, so a bad record never makes
 * the walk lose its place. Integers are assembled from unsigned bytes in
 * network order; nothing is ever loaded through a cast pointer. */
#ifndef OF_DECODE_CURSOR_H
#define OF_DECODE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rd {
    const uint8_t *p;
    size_t left;
    bool bad;
};

static inline struct rd rd_init(const uint8_t *p, size_t len)
{
    struct rd r = {p, len, false};
    return r;
}

static inline bool rd_need(struct rd *r, size_t n)
{
    if (r->bad || r->left < n) {
        r->bad = true;
        return false;
    }
    return true;
}

static inline uint8_t rd_u8(struct rd *r)
{
    if (!rd_need(r, 1))
        return 0;
    uint8_t v = r->p[0];
    r->p += 1;
    r->left -= 1;
    return v;
}

static inline uint16_t rd_u16(struct rd *r)
{
    if (!rd_need(r, 2))
        return 0;
    uint16_t v = (uint16_t)((uint16_t)r->p[0] << 8 | r->p[1]);
    r->p += 2;
    r->left -= 2;
    return v;
}

static inline uint32_t rd_u32(struct rd *r)
{
    if (!rd_need(r, 4))
        return 0;
    uint32_t v = (uint32_t)r->p[0] << 24 | (uint32_t)r->p[1] << 16 | (uint32_t)r->p[2] << 8 |
                 (uint32_t)r->p[3];
    r->p += 4;
    r->left -= 4;
    return v;
}

static inline uint64_t rd_u64(struct rd *r)
{
    /* Checked as a whole: with 4 to 7 bytes left, two halves would read the
     * first and return it shifted up instead of 0. */
    if (!rd_need(r, 8))
        return 0;
    uint64_t hi = rd_u32(r);
    uint64_t lo = rd_u32(r);
    return hi << 32 | lo;
}

/* An unsigned big-endian integer of 1 to 8 bytes (IPFIX reduced-size
 * encoding, RFC 7011 6.2). Other sizes set bad. */
static inline uint64_t rd_uint(struct rd *r, size_t n)
{
    if (n == 0 || n > 8 || !rd_need(r, n)) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | r->p[i];
    r->p += n;
    r->left -= n;
    return v;
}

/* Copies n bytes out; on a short read the destination is zeroed. */
static inline void rd_copy(struct rd *r, void *dst, size_t n)
{
    if (!rd_need(r, n)) {
        memset(dst, 0, n);
        return;
    }
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
}

static inline void rd_skip(struct rd *r, size_t n)
{
    if (!rd_need(r, n))
        return;
    r->p += n;
    r->left -= n;
}

/* A cursor over the next n bytes; the parent moves past them. If fewer than
 * n bytes are left, both the child and the parent are bad. */
static inline struct rd rd_sub(struct rd *parent, size_t n)
{
    struct rd c = {NULL, 0, true};
    if (!rd_need(parent, n))
        return c;
    c.p = parent->p;
    c.left = n;
    c.bad = false;
    parent->p += n;
    parent->left -= n;
    return c;
}

#endif
