/* http/ep_period.c: the periods of ?module=graph as time ranges.
 *
 * The original computed them with PHP's strtotime in local time: "day" is
 * today from local midnight, "month" and "year" step the calendar back
 * ("-1 month" from 31 March lands on 3 March, as mktime normalizes it
 * too), the others are fixed spans. /api/v1/series uses the same names so
 * that a chart and its numbers cover the same range. */
#include "http/ep_period.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "http/endpoint.h"
#include "http/query.h"
#include "http/reply.h"

static int64_t local_shift(int64_t now, int months, int years, bool midnight)
{
    time_t t = (time_t)now;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return -1;
    tm.tm_mon -= months;
    tm.tm_year -= years;
    if (midnight) {
        tm.tm_hour = 0;
        tm.tm_min = 0;
        tm.tm_sec = 0;
    }
    tm.tm_isdst = -1;
    time_t r = mktime(&tm);
    return r == (time_t)-1 ? -1 : (int64_t)r;
}

int ep_period_range(enum graph_period p, int64_t now, int64_t from, int64_t to, int64_t *out_from,
                    int64_t *out_to)
{
    int64_t f;
    switch (p) {
    case GRAPH_HOUR:
        f = now - 3600;
        break;
    case GRAPH_DAY:
        f = local_shift(now, 0, 0, true);
        break;
    case GRAPH_24H:
        f = now - 86400;
        break;
    case GRAPH_48H:
        f = now - 2 * 86400;
        break;
    case GRAPH_WEEK:
        f = now - 7 * 86400;
        break;
    case GRAPH_MONTH:
        f = local_shift(now, 1, 0, false);
        break;
    case GRAPH_YEAR:
        f = local_shift(now, 0, 1, false);
        break;
    case GRAPH_EXPLICIT:
        if (from < 0 || to > EP_TIME_MAX || from >= to || to - from > GRAPH_MAX_SPAN)
            return -EINVAL;
        *out_from = from;
        *out_to = to;
        return 0;
    default:
        return -EINVAL;
    }
    if (f < 0 || f >= now)
        return -EINVAL;
    *out_from = f;
    *out_to = now;
    return 0;
}

int ep_period_parse(const struct query *q, enum graph_period *period, int64_t *from, int64_t *to,
                    const char **why)
{
    const char *name = query_get(q, "period");
    int p = GRAPH_DAY;
    if (name && name[0]) {
        p = graph_period_from_name(name);
        if (p < 0) {
            *why = "period: not one of hour, day, 24h, 48h, week, month, year, explict";
            return -EINVAL;
        }
    }
    *period = (enum graph_period)p;
    *from = 0;
    *to = 0;
    if (p != GRAPH_EXPLICIT)
        return 0;
    if (!query_given(q, "from") || !query_given(q, "to")) {
        *why = "period=explict needs from and to (UNIX times)";
        return -EINVAL;
    }
    if (query_int(q, "from", 0, EP_TIME_MAX, from) < 0 ||
        query_int(q, "to", 0, EP_TIME_MAX, to) < 0) {
        *why = "from, to: UNIX times in seconds, 0..253402300799";
        return -EINVAL;
    }
    if (*from >= *to) {
        *why = "from must be before to";
        return -EINVAL;
    }
    if (*to - *from > GRAPH_MAX_SPAN) {
        *why = "from and to are more than 10 years apart";
        return -EINVAL;
    }
    return 0;
}
