/* account/nets.c: local networks compiled into disjoint ranges.
 *
 * Prefixes nest (a /24 described on its own inside a described /16), so a
 * lookup must find the longest match. Instead of a trie walk of up to 128
 * steps per address, the prefixes are flattened once into sorted, disjoint
 * address ranges, each naming the innermost prefix that covers it; a lookup
 * is then a binary search, about 2 * log2(networks) comparisons. Addresses
 * are compared as 128-bit integers; IPv4 and IPv6 have separate tables. */
#include "account/nets.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 nets_u128;

struct net {
    struct of_addr prefix;
    unsigned len;
    char *desc;
};

struct range {
    nets_u128 lo;
    nets_u128 hi;
    size_t net;
};

struct family {
    struct range *ranges;
    size_t n;
    size_t cap;
};

struct nets {
    struct net *list;
    size_t n;
    size_t cap;
    struct family fam[2]; /* [0] IPv4, [1] IPv6 */
};

struct nets *nets_new(void)
{
    return calloc(1, sizeof(struct nets));
}

void nets_free(struct nets *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++)
        free(n->list[i].desc);
    free(n->list);
    free(n->fam[0].ranges);
    free(n->fam[1].ranges);
    free(n);
}

static nets_u128 addr_value(const struct of_addr *a)
{
    size_t bytes = a->af == ADDR_V4 ? 4 : 16;
    nets_u128 v = 0;
    for (size_t i = 0; i < bytes; i++)
        v = v << 8 | a->b[i];
    return v;
}

static unsigned family_bits(const struct of_addr *a)
{
    return a->af == ADDR_V4 ? 32 : 128;
}

static nets_u128 prefix_last(const struct net *p)
{
    unsigned bits = family_bits(&p->prefix);
    unsigned host = bits - p->len;
    nets_u128 span = host >= 128 ? ~(nets_u128)0 : ((nets_u128)1 << host) - 1;
    return addr_value(&p->prefix) | span;
}

int nets_parse_cidr(const char *cidr, struct of_addr *prefix, unsigned *len)
{
    struct of_addr a, masked;
    unsigned plen;
    const char *slash = strchr(cidr, '/');
    if (!slash)
        return -EINVAL;
    if (addr_parse_cidr(cidr, &masked, &plen) < 0)
        return -EINVAL;
    /* addr_parse_cidr masks; reparse the bare address to see the host bits */
    char bare[ADDR_STRLEN];
    size_t alen = (size_t)(slash - cidr);
    if (alen >= sizeof(bare))
        return -EINVAL;
    memcpy(bare, cidr, alen);
    bare[alen] = '\0';
    if (addr_parse(bare, &a) < 0 || !addr_equal(&a, &masked))
        return -EINVAL;
    *prefix = masked;
    *len = plen;
    return 0;
}

const char *nets_format_cidr(const struct of_addr *prefix, unsigned len, char *buf, size_t buflen)
{
    char a[ADDR_STRLEN];
    addr_format(prefix, a, sizeof(a));
    (void)snprintf(buf, buflen, "%s/%u", a, len);
    return buf;
}

int nets_add(struct nets *n, const char *cidr, const char *desc)
{
    struct of_addr masked;
    unsigned len;
    if (nets_parse_cidr(cidr, &masked, &len) < 0)
        return -EINVAL;
    if (desc && strlen(desc) >= NETS_MAX_DESC)
        return -ENAMETOOLONG;
    for (size_t i = 0; i < n->n; i++)
        if (n->list[i].len == len && addr_equal(&n->list[i].prefix, &masked))
            return -EEXIST;
    if (n->n >= NETS_MAX)
        return -ENOSPC;
    if (n->n == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 16;
        struct net *l = realloc(n->list, cap * sizeof(*l));
        if (!l)
            return -ENOMEM;
        n->list = l;
        n->cap = cap;
    }
    char *d = strdup(desc ? desc : "");
    if (!d)
        return -ENOMEM;
    n->list[n->n++] = (struct net){masked, len, d};
    return 0;
}

static int range_push(struct family *f, nets_u128 lo, nets_u128 hi, size_t net)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        struct range *r = realloc(f->ranges, cap * sizeof(*r));
        if (!r)
            return -ENOMEM;
        f->ranges = r;
        f->cap = cap;
    }
    f->ranges[f->n++] = (struct range){lo, hi, net};
    return 0;
}

struct sweep_item {
    nets_u128 start;
    unsigned len;
    size_t net;
};

/* Sort order for the sweep: by first address, and the wider prefix first
 * when two start at the same address, so that inner prefixes are pushed on
 * top of the ones that contain them. */
static int cmp_by_start(const void *a, const void *b)
{
    const struct sweep_item *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Emits the part of the stack top's range from *cur to its end. */
static int emit_top(struct family *f, const struct nets *n, size_t top, nets_u128 *cur, int *done)
{
    nets_u128 last = prefix_last(&n->list[top]);
    int rc = 0;
    if (!*done && *cur <= last)
        rc = range_push(f, *cur, last, top);
    if (last == ~(nets_u128)0)
        *done = 1; /* ::/0 ends at the top of the space: nothing follows */
    else
        *cur = last + 1;
    return rc;
}

static int build_family(struct nets *n, int af, struct family *f)
{
    int rc = -ENOMEM;
    struct sweep_item *order = malloc((n->n ? n->n : 1) * sizeof(*order));
    size_t *stack = malloc((n->n ? n->n : 1) * sizeof(*stack));
    size_t count = 0, depth = 0;
    nets_u128 cur = 0;
    int done = 0;
    if (!order || !stack)
        goto out;
    for (size_t i = 0; i < n->n; i++)
        if (n->list[i].prefix.af == af)
            order[count++] = (struct sweep_item){addr_value(&n->list[i].prefix), n->list[i].len, i};
    qsort(order, count, sizeof(*order), cmp_by_start);
    f->n = 0;
    rc = 0;
    for (size_t k = 0; k < count && rc == 0; k++) {
        size_t p = order[k].net;
        nets_u128 start = order[k].start;
        while (depth > 0 && prefix_last(&n->list[stack[depth - 1]]) < start && rc == 0)
            rc = emit_top(f, n, stack[--depth], &cur, &done);
        if (depth > 0 && cur < start && rc == 0)
            rc = range_push(f, cur, start - 1, stack[depth - 1]);
        stack[depth++] = p;
        cur = start;
    }
    while (depth > 0 && rc == 0)
        rc = emit_top(f, n, stack[--depth], &cur, &done);
out:
    free(order);
    free(stack);
    return rc;
}

int nets_build(struct nets *n)
{
    int rc = build_family(n, ADDR_V4, &n->fam[0]);
    if (rc == 0)
        rc = build_family(n, ADDR_V6, &n->fam[1]);
    return rc;
}

long nets_lookup(const struct nets *n, const struct of_addr *a)
{
    const struct family *f;
    if (a->af == ADDR_V4)
        f = &n->fam[0];
    else if (a->af == ADDR_V6)
        f = &n->fam[1];
    else
        return -1;
    nets_u128 v = addr_value(a);
    size_t lo = 0, hi = f->n;
    while (lo < hi) { /* first range with lo > v */
        size_t mid = lo + (hi - lo) / 2;
        if (f->ranges[mid].lo <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || f->ranges[lo - 1].hi < v)
        return -1;
    return (long)f->ranges[lo - 1].net;
}

size_t nets_count(const struct nets *n)
{
    return n->n;
}

const char *nets_cidr(const struct nets *n, size_t i, char *buf, size_t len)
{
    return nets_format_cidr(&n->list[i].prefix, n->list[i].len, buf, len);
}

const char *nets_desc(const struct nets *n, size_t i)
{
    return n->list[i].desc;
}
