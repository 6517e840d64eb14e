/* util/addr.c: address conversions. Text forms go through inet_pton and
 * inet_ntop, which already implement RFC 5952 output and strict parsing. */
#include "util/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "util/parse.h"

void addr_from_v4(struct of_addr *a, const uint8_t b[4])
{
    memset(a, 0, sizeof(*a));
    a->af = ADDR_V4;
    memcpy(a->b, b, 4);
}

void addr_from_v6(struct of_addr *a, const uint8_t b[16])
{
    a->af = ADDR_V6;
    memcpy(a->b, b, 16);
}

void addr_unmap(struct of_addr *a)
{
    static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (a->af != ADDR_V6 || memcmp(a->b, mapped, sizeof(mapped)) != 0)
        return;
    uint8_t v4[4];
    memcpy(v4, a->b + 12, 4);
    addr_from_v4(a, v4);
}

bool addr_equal(const struct of_addr *a, const struct of_addr *b)
{
    return a->af == b->af && memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

const char *addr_format(const struct of_addr *a, char *buf, size_t len)
{
    const char *s = NULL;
    if (a->af == ADDR_V4)
        s = inet_ntop(AF_INET, a->b, buf, (socklen_t)len);
    else if (a->af == ADDR_V6)
        s = inet_ntop(AF_INET6, a->b, buf, (socklen_t)len);
    if (!s)
        (void)snprintf(buf, len, "-");
    return buf;
}

int addr_parse(const char *s, struct of_addr *out)
{
    struct of_addr a;
    memset(&a, 0, sizeof(a));
    if (inet_pton(AF_INET, s, a.b) == 1) {
        a.af = ADDR_V4;
    } else if (inet_pton(AF_INET6, s, a.b) == 1) {
        a.af = ADDR_V6;
    } else {
        return -EINVAL;
    }
    *out = a;
    return 0;
}

int addr_parse_cidr(const char *s, struct of_addr *out, unsigned *prefix_len)
{
    char buf[ADDR_STRLEN + 8];
    size_t n = strlen(s);
    if (n >= sizeof(buf))
        return -EINVAL;
    memcpy(buf, s, n + 1);
    char *slash = strchr(buf, '/');
    if (slash)
        *slash = '\0';
    struct of_addr a;
    if (addr_parse(buf, &a) < 0)
        return -EINVAL;
    unsigned max = a.af == ADDR_V4 ? 32 : 128;
    uint64_t len = max;
    if (slash && parse_u64(slash + 1, 0, max, &len) < 0)
        return -EINVAL;
    addr_mask(&a, (unsigned)len);
    *out = a;
    *prefix_len = (unsigned)len;
    return 0;
}

void addr_mask(struct of_addr *a, unsigned prefix_len)
{
    for (unsigned i = 0; i < 16; i++) {
        unsigned bit = i * 8;
        if (bit >= prefix_len)
            a->b[i] = 0;
        else if (prefix_len - bit < 8)
            a->b[i] &= (uint8_t)(0xffu << (8 - (prefix_len - bit)));
    }
}
