/* http/ep_graph.h: the parameters of ?module=graph and /api/v1/graph (ep_graph.c). */
#ifndef OF_HTTP_EP_GRAPH_H
#define OF_HTTP_EP_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "report/graph.h"
#include "util/compiler.h"

struct query;

/* ?module=graph: fills host, dir, period, from/to, width and height of
 * req, and *dump for dumpdata. */
OF_MUST_CHECK int ep_graph_parse(const struct query *q, int64_t now, struct graph_req *req,
                                 bool *dump, const char **why);

#endif
