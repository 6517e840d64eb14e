/* http/ep_index.c: "/" without a module: a short plain-text map of the
 * API, so that someone pointing a browser at the port sees what is there.
 * (The dashboard will take this place.) */
#include "http/endpoints.h"

static const char index_text[] =
    "OphanimFlow\n"
    "\n"
    "/?module=graph&ip=IP[&dir=R|S][&period=hour|day|24h|48h|week|month|year|explict"
    "&from=TS&to=TS][&w=W&h=H][&dumpdata]\n"
    "/?module=gettraff[&year=Y][&month=M][&ip=IP]\n"
    "/api/v1/hosts[?year=Y&month=M&sort=dl|ul|total|ip&order=asc|desc&limit=N]\n"
    "/api/v1/series?ip=IP[&dir=R|S][&period=...][&step=300|3600|86400|auto]\n"
    "/api/v1/traffic[?year=Y&month=M&ip=IP]\n"
    "/api/v1/top[?class=C&dir=R|S&hours=N&limit=N]\n"
    "/api/v1/status\n"
    "/metrics\n";

int ep_index(struct http_ctx *ctx, const struct query *q, struct http_reply *r)
{
    (void)ctx;
    (void)q;
    reply_static(r, 200, index_text);
    return 0;
}
