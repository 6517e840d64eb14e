/* store/uinets.h: the local networks added in the web dashboard, kept in
 * the ui_networks table of the store's file (store/appdb.h) so that they
 * survive restarts. The collector accounts them together with the config
 * file's networks (daemon/networks.h, which also validates them: nothing
 * here looks at the text). */
#ifndef OF_STORE_UINETS_H
#define OF_STORE_UINETS_H

#include <stdint.h>

#include "util/compiler.h"

struct sqlite3;

/* Called once per network in the order they were added; a non-zero return
 * stops the walk and is returned by uinets_load. */
typedef int (*uinets_cb)(const char *cidr, const char *desc, void *arg);

OF_MUST_CHECK int uinets_load(struct sqlite3 *db, uinets_cb cb, void *arg);

/* Adds a network added at now (UNIX seconds). 0, -EEXIST when cidr is
 * there already, or another negative errno. */
OF_MUST_CHECK int uinets_add(struct sqlite3 *db, const char *cidr, const char *desc, int64_t now);

/* 0, -ENOENT when cidr is not there, or another negative errno. */
OF_MUST_CHECK int uinets_delete(struct sqlite3 *db, const char *cidr);

#endif
