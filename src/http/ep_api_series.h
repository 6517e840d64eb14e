/* http/ep_api_series.h: the parameters of /api/v1/series (ep_api_series.c). */
#ifndef OF_HTTP_EP_API_SERIES_H
#define OF_HTTP_EP_API_SERIES_H

#include <stdint.h>

#include "account/classes.h"
#include "util/addr.h"
#include "util/compiler.h"

struct query;

/* /api/v1/series. */
#define EP_SERIES_MAX_POINTS 20000
struct ep_series_req {
    struct of_addr ip;
    int dir;          /* DIR_R or DIR_S */
    int64_t from, to; /* [from, to), UNIX seconds */
    unsigned step;    /* STORE_STEP_BIN, _HOUR or _DAY */
};
OF_MUST_CHECK int ep_series_parse(const struct query *q, int64_t now, struct ep_series_req *out,
                                  const char **why);

#endif
