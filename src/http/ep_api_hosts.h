/* http/ep_api_hosts.h: the parameters of /api/v1/hosts (ep_api_hosts.c). */
#ifndef OF_HTTP_EP_API_HOSTS_H
#define OF_HTTP_EP_API_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/compiler.h"

struct query;

/* /api/v1/hosts. */
#define EP_HOSTS_MAX_LIMIT 1000000
enum ep_hosts_sort { EP_HOSTS_BY_DL, EP_HOSTS_BY_UL, EP_HOSTS_BY_TOTAL, EP_HOSTS_BY_IP };
struct ep_hosts_req {
    int year, month;
    enum ep_hosts_sort sort;
    bool asc;
    size_t limit; /* 0: all */
};
OF_MUST_CHECK int ep_hosts_parse(const struct query *q, int year_now, int month_now,
                                 struct ep_hosts_req *out, const char **why);

#endif
