/* daemon/networks.h: the local networks the collector accounts: those of
 * the config file (or --network) and those added in the web dashboard.
 *
 * The effective list is the union of both, published to the collector's
 * workers through a livenets (daemon/livenets.h) whenever either part
 * changes: networks added or removed in the dashboard count from the next
 * received batch on, and a reloaded config file replaces the config part.
 * The dashboard's part is kept in the database (store/uinets.h), so it
 * survives restarts. A network in both parts is listed (and described)
 * once, as the config file's. Stored counters never change. Thread-safe:
 * one mutex orders the changes. */
#ifndef OF_DAEMON_NETWORKS_H
#define OF_DAEMON_NETWORKS_H

#include <stdbool.h>
#include <stddef.h>

#include "account/nets.h"
#include "daemon/livenets.h"
#include "store/appdb.h"
#include "util/compiler.h"

#define NETWORKS_DESC_MAX 128   /* bytes of a description added in the dashboard */
#define NETWORKS_UI_MAX   10000 /* networks added in the dashboard */

enum networks_source { NETWORKS_CONFIG, NETWORKS_UI };

struct networks;

/* Starts from the config file's networks (copied; need not be built) and
 * those kept in db (NULL: none, and additions are kept in memory only).
 * 0, -ENOMEM, or the store's error reading them. */
OF_MUST_CHECK int networks_new(struct networks **out, const struct nets *config, struct appdb *db);
void networks_free(struct networks *n); /* NULL-safe */

/* Where the effective list is published; lives as long as n. */
struct livenets *networks_live(struct networks *n);

/* Called per network: the config part in file order, then the dashboard's
 * in the order they were added. Non-zero stops the walk and is returned. */
typedef int (*networks_cb)(const char *cidr, const char *desc, enum networks_source src, void *arg);
OF_MUST_CHECK int networks_list(struct networks *n, networks_cb cb, void *arg);

/* cidr in canonical form into canon (NETS_CIDR_STRLEN bytes): a prefix
 * with its length and no host bits set. 0 or -EINVAL. */
OF_MUST_CHECK int networks_canon(const char *cidr, char *canon, size_t len);

/* A description the dashboard may add: at most NETWORKS_DESC_MAX bytes of
 * printable UTF-8 (may be empty). */
bool networks_desc_ok(const char *desc, size_t len);

/* Adds a network in the dashboard's part and applies the new list. Its
 * canonical text goes to canon. -EINVAL for a bad cidr, -EILSEQ for a bad
 * description, -EEXIST when the network is listed already (in either
 * part), -ENOSPC past NETWORKS_UI_MAX, or a store error (nothing changed
 * then). */
OF_MUST_CHECK int networks_add(struct networks *n, const char *cidr, const char *desc, char *canon,
                               size_t len);

/* Removes a network of the dashboard's part and applies the new list.
 * -EINVAL for a bad cidr, -ENOENT when it is not listed, -EPERM when it
 * is the config file's, or a store error. */
OF_MUST_CHECK int networks_delete(struct networks *n, const char *cidr);

/* Replaces the config part (a reloaded config file) and applies the new
 * list. 0 or -ENOMEM (nothing changed then). */
OF_MUST_CHECK int networks_set_config(struct networks *n, const struct nets *config);

/* The effective list as one table (built), for a caller that reads once,
 * such as `ophanimflow import`: config's networks and the dashboard's kept
 * in db. 0 or an error of networks_new. */
OF_MUST_CHECK int networks_union(const struct nets *config, struct appdb *db, struct nets **out);

#endif
