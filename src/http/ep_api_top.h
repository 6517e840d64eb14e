/* http/ep_api_top.h: the parameters of /api/v1/top (ep_api_top.c). */
#ifndef OF_HTTP_EP_API_TOP_H
#define OF_HTTP_EP_API_TOP_H

#include <stddef.h>

#include "account/classes.h"
#include "util/compiler.h"

struct query;

/* /api/v1/top. */
#define EP_TOP_MAX_HOURS 8760
#define EP_TOP_MAX_LIMIT 1000
struct ep_top_req {
    int cls; /* enum traffic_class */
    int dir; /* DIR_R or DIR_S */
    unsigned hours;
    size_t limit;
};
OF_MUST_CHECK int ep_top_parse(const struct query *q, struct ep_top_req *out, const char **why);

#endif
