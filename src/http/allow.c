/* http/allow.c: the ENDPOINTS_HOSTS check. A handful of addresses at most
 * (CONFIG_MAX_ADDRS), so a linear scan is the fastest lookup there is. */
#include "http/allow.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

int allow_init(struct allow *al, const struct addr_list *hosts)
{
    memset(al, 0, sizeof(*al));
    for (size_t i = 0; i < hosts->n && i < CONFIG_MAX_ADDRS; i++) {
        struct of_addr a;
        if (addr_parse(hosts->a[i], &a) < 0)
            return -EINVAL;
        addr_unmap(&a);
        al->a[al->n++] = a;
    }
    return 0;
}

bool allow_addr(const struct allow *al, const struct of_addr *addr)
{
    if (al->n == 0)
        return true;
    struct of_addr a = *addr;
    addr_unmap(&a);
    for (size_t i = 0; i < al->n; i++)
        if (addr_equal(&al->a[i], &a))
            return true;
    return false;
}

int allow_from_sockaddr(const struct sockaddr *sa, struct of_addr *out)
{
    if (!sa)
        return -EINVAL;
    if (sa->sa_family == AF_INET) {
        struct sockaddr_in sin;
        memcpy(&sin, sa, sizeof(sin));
        addr_from_v4(out, (const uint8_t *)&sin.sin_addr);
        return 0;
    }
    if (sa->sa_family == AF_INET6) {
        struct sockaddr_in6 sin6;
        memcpy(&sin6, sa, sizeof(sin6));
        addr_from_v6(out, (const uint8_t *)&sin6.sin6_addr);
        addr_unmap(out);
        return 0;
    }
    return -EINVAL;
}

bool allow_sockaddr(const struct allow *al, const struct sockaddr *sa)
{
    if (al->n == 0)
        return true;
    struct of_addr a;
    if (allow_from_sockaddr(sa, &a) < 0)
        return false;
    return allow_addr(al, &a);
}
