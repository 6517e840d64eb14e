/* http/ep_period.h: graph periods and explicit ranges (ep_period.c), as
 * ?module=graph and /api/v1/series read them. Explicit times are UNIX
 * seconds within years 1970..9999, at most GRAPH_MAX_SPAN apart. */
#ifndef OF_HTTP_EP_PERIOD_H
#define OF_HTTP_EP_PERIOD_H

#include <stdint.h>

#include "report/graph.h"
#include "util/compiler.h"

#define EP_TIME_MAX GRAPH_MAX_TIME

struct query;

/* The time range of a graph period (report/graph.h) that ends now; from
 * and to are used for GRAPH_EXPLICIT only. -EINVAL for a range out of
 * bounds. */
OF_MUST_CHECK int ep_period_range(enum graph_period p, int64_t now, int64_t from, int64_t to,
                                  int64_t *out_from, int64_t *out_to);

/* Reads period, from and to as ?module=graph does: period defaults to day,
 * "explict" needs from < to. */
OF_MUST_CHECK int ep_period_parse(const struct query *q, enum graph_period *period, int64_t *from,
                                  int64_t *to, const char **why);

#endif
