/* account/classes.c: class names, in the order of the API. */
#include "account/classes.h"

#include <string.h>

static const char *const class_names[CLASS__COUNT] = {
    "total", "icmp", "udp", "tcp", "mail", "dns", "vpn", "ftp", "web", "proxy", "quic", "sip",
};

const char *class_name(enum traffic_class c)
{
    if ((unsigned)c >= CLASS__COUNT)
        return NULL;
    return class_names[c];
}

int class_from_name(const char *name)
{
    for (int i = 0; i < CLASS__COUNT; i++)
        if (strcmp(name, class_names[i]) == 0)
            return i;
    return -1;
}
