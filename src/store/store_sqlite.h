/* store/store_sqlite.h: the SQLite backend of the store (the default).
 *
 * One database file in WAL mode, so the collector writes while the CLI and
 * the web front end read. One struct store per thread: a store is not
 * thread-safe, but several stores (and processes) may use one file, writers
 * waiting for each other up to STORE_SQLITE_BUSY_MS. Callbacks given to the
 * queries must not call into the same store. */
#ifndef OF_STORE_STORE_SQLITE_H
#define OF_STORE_STORE_SQLITE_H

#include "store/store.h"

/* How long a statement waits for another connection's lock, in ms. */
#define STORE_SQLITE_BUSY_MS 5000

/* open: cfg->path is created with the schema unless cfg->readonly. A
 * read-only open needs an existing file of exactly this program's schema
 * version (-ENOENT, -EPROTO otherwise); put_bins on it gives -EROFS.
 * put_bins: -EINVAL for a row with an invalid address, a direction other than
 * DIR_R/DIR_S, or a ts that is not a multiple of BIN_SECONDS; -ERANGE for a
 * counter above INT64_MAX (SQLite integers are signed); nothing is written
 * then. -EBUSY when another writer held the file for STORE_SQLITE_BUSY_MS.
 * get_series / get_traff: -EINVAL for an invalid dir, address or month. */
extern const struct store_ops store_sqlite_ops;

#endif
