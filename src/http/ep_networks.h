/* http/ep_networks.h: the body of POST /api/v1/networks (ep_networks.c). 0
 * with the request filled in (strings point into body), or -EINVAL with
 * *ref set (a 400). */
#ifndef OF_HTTP_EP_NETWORKS_H
#define OF_HTTP_EP_NETWORKS_H

#include <jansson.h>

#include "account/nets.h"
struct http_refusal;
#include "util/compiler.h"

/* POST /api/v1/networks: cidr (canonical text) and description. */
struct ep_network_req {
    char cidr[NETS_CIDR_STRLEN];
    const char *description;
};
OF_MUST_CHECK int ep_network_parse(const json_t *body, struct ep_network_req *out,
                                   struct http_refusal *ref);

#endif
