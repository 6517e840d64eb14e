/* http/ep_gettraff.h: the parameters of ?module=gettraff and /api/v1/traffic
 * (ep_gettraff.c), which share them. */
#ifndef OF_HTTP_EP_GETTRAFF_H
#define OF_HTTP_EP_GETTRAFF_H

#include <stdbool.h>

#include "util/addr.h"
#include "util/compiler.h"

struct http_ctx;
struct http_reply;
struct query;
struct store;

/* gettraff and /api/v1/traffic: year (1970..9999), month (1..12, "05" or
 * "5"), ip. Absent parts default to this month and all hosts. */
struct ep_traff_req {
    int year, month;
    bool one; /* ip given */
    struct of_addr ip;
};
OF_MUST_CHECK int ep_traff_parse(const struct query *q, int year_now, int month_now,
                                 struct ep_traff_req *out, const char **why);

/* gettraff and /api/v1/traffic: parses *req (this month by default) and
 * takes a store handle; NULL when the reply (400 or 503) is already made. */
struct store *ep_traff_begin(struct http_ctx *ctx, const struct query *q, struct http_reply *r,
                             struct ep_traff_req *req);

#endif
