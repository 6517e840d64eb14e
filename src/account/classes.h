/* account/classes.h: the traffic classes and directions.
 *
 * The order of the classes is part of the API (series columns, chart legend)
 * and of the store's columns: never reorder, only append. */
#ifndef OF_ACCOUNT_CLASSES_H
#define OF_ACCOUNT_CLASSES_H

enum traffic_class {
    CLASS_TOTAL,
    CLASS_ICMP,
    CLASS_UDP,
    CLASS_TCP,
    CLASS_MAIL,
    CLASS_DNS,
    CLASS_VPN,
    CLASS_FTP,
    CLASS_WEB,
    CLASS_PROXY,
    CLASS_QUIC,
    CLASS_SIP,
    CLASS__COUNT
};

/* "total", "icmp", ... "sip"; NULL for an out-of-range value. */
const char *class_name(enum traffic_class c);

/* The class of a name, or -1. */
int class_from_name(const char *name);

enum traffic_dir {
    DIR_R = 0, /* received: the local host is the destination (download) */
    DIR_S = 1, /* sent: the local host is the source (upload) */
    DIR__COUNT
};

/* Length of a bin in seconds; bins start at multiples of it since the epoch. */
#define BIN_SECONDS 300

#endif
