/* report/traff.c: gettraff bodies, built with jansson (which escapes and
 * keeps keys in insertion order, so hosts come out in the store's order). */
#include "report/traff.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <time.h>

void traff_this_month(int *year, int *month)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    *year = tm.tm_year + 1900;
    *month = tm.tm_mon + 1;
}

static int add_row(const struct traff_row *row, void *arg)
{
    json_t *obj = arg;
    char ip[ADDR_STRLEN], dl[24], ul[24];
    addr_format(&row->host, ip, sizeof(ip));
    (void)snprintf(dl, sizeof(dl), "%" PRIu64, row->dl);
    (void)snprintf(ul, sizeof(ul), "%" PRIu64, row->ul);
    json_t *v = json_pack("{s:s,s:s}", "dl", dl, "ul", ul);
    if (!v || json_object_set_new(obj, ip, v) < 0)
        return -ENOMEM;
    return 0;
}

int traff_json(struct store *st, int year, int month, const struct of_addr *host, char **out)
{
    json_t *obj = json_object();
    if (!obj)
        return -ENOMEM;
    int rc = store_get_traff(st, year, month, host, add_row, obj);
    if (rc == 0) {
        char *s = json_dumps(obj, JSON_COMPACT);
        if (s)
            *out = s;
        else
            rc = -ENOMEM;
    }
    json_decref(obj);
    return rc;
}
