/* store/store_sqlite.h: the SQLite backend of the store (the default).
 *
 * One database file in WAL mode, so the collector writes while the CLI and
 * the web front end read. One struct store per thread: a store is not
 * thread-safe, but several stores (and processes) may use one file, writers
 * waiting for each other up to STORE_SQLITE_BUSY_MS. Callbacks given to the
 * queries must not call into the same store. */
#ifndef OF_STORE_STORE_SQLITE_H
#define OF_STORE_STORE_SQLITE_H

#include <stdint.h>

#include "store/store.h"

/* How long a statement waits for another connection's lock, in ms. */
#define STORE_SQLITE_BUSY_MS 5000

/* The size the WAL file is cut back to once it has been checkpointed and
 * starts over (PRAGMA journal_size_limit). Without it the file keeps the
 * size of the largest write, or of the longest a reader held it back. */
#define STORE_SQLITE_WAL_KEEP ((int64_t)4 << 20)

/* The most rows one put_bins takes (-E2BIG beyond). */
#define STORE_SQLITE_BATCH_MAX UINT32_MAX

/* The most rows one prune deletes. */
#define STORE_SQLITE_PRUNE_MAX (UINT64_C(1) << 30)

/* open: cfg->path is created with the schema unless cfg->readonly. A
 * read-only open needs an existing file of exactly this program's schema
 * version (-ENOENT, -EPROTO otherwise); put_bins on it gives -EROFS.
 * put_bins: -EINVAL for a row with an invalid address, a direction other than
 * DIR_R/DIR_S, or a ts that is not a multiple of BIN_SECONDS; -ERANGE for a
 * counter above INT64_MAX (SQLite integers are signed); nothing is written
 * then; -E2BIG for more than STORE_SQLITE_BATCH_MAX rows. -EBUSY when another
 * writer held the file for STORE_SQLITE_BUSY_MS.
 * get_series / get_traff / get_steps / get_top: -EINVAL for an invalid dir,
 * address, month, step or class.
 * get_steps: a few microseconds per step of the range, however many hosts
 * the store has.
 * get_top: hosts with equal bytes come in the order the store first saw
 * them. A ranking reads every host's row of every step of the range (about
 * 0.1 us each): whole days and hours of the range are read from the
 * rollups, only its ragged edges from the bins, so a range of whole hours
 * costs far less than one that starts and ends inside hours.
 * get_info: schema_version is the file's; size_bytes counts the database
 * file and its -wal file; free_bytes is the file's free pages (SQLite fills
 * them before it makes the file longer; the file never gets shorter).
 * prune: max_rows above STORE_SQLITE_PRUNE_MAX counts as that. -EBUSY as
 * for put_bins. */
extern const struct store_ops store_sqlite_ops;

#endif
