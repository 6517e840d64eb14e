/* report/traff.c: gettraff bodies, written straight into a growing buffer
 * as the store hands the rows over (in address order, which is the body's
 * key order). A jansson object of every host cost most of the time of a
 * large body: building and freeing 100,000 members. The bytes are those
 * json_dumps(JSON_COMPACT) gives for that object, which the unit tests
 * check against jansson itself. */
#include "report/traff.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The longest row: ,"<ip>":{"dl":"<20 digits>","ul":"<20 digits>"} */
#define TRAFF_ROW_MAX (ADDR_STRLEN + 2 * 20 + 32)

struct traff_buf {
    char *p;
    size_t len, cap;
};

void traff_this_month(int *year, int *month)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    *year = tm.tm_year + 1900;
    *month = tm.tm_mon + 1;
}

/* Room for more bytes and a NUL; doubling keeps the copies linear. */
static int buf_reserve(struct traff_buf *b, size_t more)
{
    if (more > SIZE_MAX / 2 - b->len)
        return -ENOMEM;
    size_t need = b->len + more + 1;
    if (need <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap : 4096;
    while (ncap < need)
        ncap *= 2;
    char *p = realloc(b->p, ncap);
    if (!p)
        return -ENOMEM;
    b->p = p;
    b->cap = ncap;
    return 0;
}

/* Callers reserve first. */
static void buf_put(struct traff_buf *b, const char *s, size_t n)
{
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_put_u64(struct traff_buf *b, uint64_t v)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof(digits) - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_put(b, digits + sizeof(digits) - n, n);
}

/* addr_format writes digits, hex letters, dots and colons only, none of
 * which JSON escapes, so the text goes into the body as it is. Checked
 * rather than trusted, so that a new address form can never produce a
 * body that is not JSON. */
static bool needs_no_escape(const char *s)
{
    for (; *s; s++)
        if (!strchr("0123456789abcdefABCDEF.:", *s))
            return false;
    return true;
}

static int add_row(const struct traff_row *row, void *arg)
{
    struct traff_buf *b = arg;
    char ip[ADDR_STRLEN];
    addr_format(&row->host, ip, sizeof(ip));
    if (!needs_no_escape(ip))
        return -EINVAL;
    int rc = buf_reserve(b, TRAFF_ROW_MAX);
    if (rc < 0)
        return rc;
    if (b->len > 1)
        buf_put(b, ",", 1);
    buf_put(b, "\"", 1);
    buf_put(b, ip, strlen(ip));
    buf_put(b, "\":{\"dl\":\"", 9);
    buf_put_u64(b, row->dl);
    buf_put(b, "\",\"ul\":\"", 8);
    buf_put_u64(b, row->ul);
    buf_put(b, "\"}", 2);
    return 0;
}

int traff_json(struct store *st, int year, int month, const struct of_addr *host, char **out)
{
    struct traff_buf b = {.p = NULL, .len = 0, .cap = 0};
    int rc = buf_reserve(&b, 1);
    if (rc < 0)
        goto out;
    buf_put(&b, "{", 1);
    rc = store_get_traff(st, year, month, host, add_row, &b);
    if (rc != 0)
        goto out;
    rc = buf_reserve(&b, 1);
    if (rc < 0)
        goto out;
    buf_put(&b, "}", 1);
    b.p[b.len] = '\0';
    *out = b.p;
    b.p = NULL; /* the caller's now */
out:
    free(b.p);
    return rc;
}
