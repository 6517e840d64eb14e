/* config/config.h: the configuration, from the INI file and the command line.
 *
 * Option names follow the original where it has the option (COLLECTOR_PORT,
 * SAMPLING_RATE, ...). Local networks are "net = CIDR description" lines of
 * a [networks] section, and port classes "NAME = tcp/80, udp/443, proto/47"
 * lines of a [classes] section (each replaces that class's default list).
 * See dist/ophanimflow.conf.example and docs/config.md. */
#ifndef OF_CONFIG_CONFIG_H
#define OF_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "account/agg.h"
#include "account/classify.h"
#include "account/nets.h"
#include "store/retention.h"
#include "util/compiler.h"

#define CONFIG_MAX_PATH  1024
#define CONFIG_MAX_ADDRS 64
#define CONFIG_MAX_ERROR 512

/* A comma-separated list of IP addresses from the file. */
struct addr_list {
    char a[CONFIG_MAX_ADDRS][64];
    size_t n;
};

struct of_config {
    uint16_t collector_port;           /* COLLECTOR_PORT: NetFlow v5/v9, IPFIX (42112) */
    uint16_t sflow_port;               /* SFLOW_PORT: sFlow v5 (6343) */
    struct addr_list listen;           /* LISTEN_ADDRESS; empty = 0.0.0.0 and :: */
    char db_path[CONFIG_MAX_PATH];     /* DB_PATH */
    unsigned flush_interval;           /* FLUSH_INTERVAL: seconds between writes, 1..60 (10) */
    struct retention_cfg retention;    /* STORAGE_RESERVED_SPACE (10), RETENTION_DAYS (0),
                                          RETENTION_HOURLY_DAYS (0) */
    unsigned workers;                  /* WORKERS: receive threads; 0 = one per core */
    size_t max_exporters;              /* MAX_EXPORTERS (1024) */
    size_t max_templates;              /* MAX_TEMPLATES: per exporter (256) */
    int rcvbuf;                        /* SOCKET_RCVBUF: bytes (33554432) */
    size_t counters_memory;            /* COUNTERS_MEMORY: bytes all counter tables may hold (1G) */
    struct agg_cfg agg;                /* SAMPLING_RATE, SAMPLING_FORCE, FLOW_MAX_AGE, ... */
    uint16_t http_port;                /* HTTP_PORT: API and dashboard (42180); 0 = off */
    struct addr_list http_listen;      /* HTTP_LISTEN_ADDRESS; empty = 0.0.0.0 and :: */
    unsigned http_threads;             /* HTTP_THREADS; 0 = one per core */
    unsigned http_max_conn;            /* HTTP_MAX_CONNECTIONS (256) */
    unsigned http_timeout;             /* HTTP_TIMEOUT: idle seconds before a close (30) */
    struct addr_list endpoints_hosts;  /* ENDPOINTS_HOSTS: clients of graph/gettraff; empty = all */
    bool charts_netdesc;               /* CHARTS_NETDESC: network description in chart titles */
    bool charts_prealloc;              /* CHARTS_PREALLOC_TIMELINE: the whole period's axis */
    char charts_font[CONFIG_MAX_PATH]; /* CHARTS_FONT: TrueType file; empty = DejaVu Sans */
    struct nets *nets;                 /* [networks]; never NULL after config_load */
    struct classifier *cls;            /* [classes]; never NULL after config_load */
};

/* Fills cfg with the defaults and an empty network list. 0 or -ENOMEM. */
OF_MUST_CHECK int config_init(struct of_config *cfg);

/* Reads path over the current values. On a bad line returns -EINVAL and
 * writes "FILE:LINE: reason" to err; -errno when the file can't be read.
 * The networks are not built yet (config_finish does it). */
OF_MUST_CHECK int config_load(struct of_config *cfg, const char *path, char *err, size_t errlen);

/* Replaces the configured networks with the first --network given, then
 * adds the rest: "CIDR" or "CIDR=description". -EINVAL with err written. */
OF_MUST_CHECK int config_add_network(struct of_config *cfg, const char *arg, bool first, char *err,
                                     size_t errlen);

/* Builds the lookup structures once every source has been read. */
OF_MUST_CHECK int config_finish(struct of_config *cfg);

void config_fini(struct of_config *cfg);

/* For a reload: the options whose values differ between a and b and that
 * take effect only at a restart, i.e. all but [networks], ENDPOINTS_HOSTS
 * and the retention options (STORAGE_RESERVED_SPACE, RETENTION_DAYS,
 * RETENTION_HOURLY_DAYS). Returns how many; their names, comma-separated, go to
 * buf (cut short if it is too small). */
size_t config_restart_changes(const struct of_config *a, const struct of_config *b, char *buf,
                              size_t len);

#endif
