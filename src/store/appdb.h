/* store/appdb.h: read-write connections to the store's SQLite file for the
 * web dashboard's own tables (users, sessions, API tokens, networks added
 * in the dashboard; see store/schema.h, version 3).
 *
 * These tables are small and written rarely (a login, a new user), so they
 * live in the same file as the counters, and the code that uses them (the
 * src/auth/ files, store/uinets.c) speaks SQL to SQLite directly rather
 * than through the store's backend interface: whichever backend keeps the
 * counters, the dashboard's state stays in this one local file.
 *
 * Like http/dbpool.h, a pool hands each caller a connection of its own
 * until it is put back; at most max_idle are kept open between uses.
 * Connections wait up to STORE_SQLITE_BUSY_MS for the collector's writes.
 * The file must already have this program's schema version: the collector
 * (or store_open for writing) creates and upgrades it. Thread-safe. */
#ifndef OF_STORE_APPDB_H
#define OF_STORE_APPDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

struct sqlite3;
struct sqlite3_stmt;
struct appdb;

/* path is copied; nothing is opened yet. NULL on allocation failure. */
struct appdb *appdb_new(const char *path, size_t max_idle);

/* Closes the idle connections. Every connection must have been put back.
 * NULL-safe. */
void appdb_free(struct appdb *p);

/* A connection for the caller's exclusive use until appdb_put. 0, -ENOENT
 * when the file does not exist, -EPROTO when its schema version is not
 * this program's, or another negative errno. */
OF_MUST_CHECK int appdb_get(struct appdb *p, struct sqlite3 **out);

/* Gives a connection back; with failed set it is closed instead of kept.
 * NULL-safe. */
void appdb_put(struct appdb *p, struct sqlite3 *db, bool failed);

/* Prepares sql on db: 0 or a negative errno (store/schema.h's mapping). */
OF_MUST_CHECK int appdb_prepare(struct sqlite3 *db, const char *sql, struct sqlite3_stmt **out);

/* The one integer the query sql returns (a count): 0 or a negative errno. */
OF_MUST_CHECK int appdb_int64(struct sqlite3 *db, const char *sql, int64_t *out);

/* Column col of st's current row as text: "" when it is NULL. Valid until
 * st is stepped, reset or finalized. */
const char *appdb_text(struct sqlite3_stmt *st, int col);

/* Called by appdb_each for each row of st; a non-zero return stops the
 * walk. */
typedef int (*appdb_row_cb)(struct sqlite3_stmt *st, void *arg);

/* Steps st (prepared and bound by the caller), calling row(st, arg) for
 * each row, and finalizes it. 0, the first non-zero value row returned,
 * or a negative errno when a step fails. */
OF_MUST_CHECK int appdb_each(struct sqlite3 *db, struct sqlite3_stmt *st, appdb_row_cb row,
                             void *arg);

/* Steps st to its end (statements that return no rows) and finalizes it.
 * 0 or a negative errno; -EEXIST for a UNIQUE constraint. */
OF_MUST_CHECK int appdb_run(struct sqlite3 *db, struct sqlite3_stmt *st);

/* Runs the insert st (as appdb_run) unless the query count_sql, which
 * counts the table's rows, returns max or more: then -ENOSPC and nothing
 * is inserted. st is finalized either way. Call it inside a transaction,
 * so that no other writer comes between the count and the insert. */
OF_MUST_CHECK int appdb_insert_capped(struct sqlite3 *db, const char *count_sql, int64_t max,
                                      struct sqlite3_stmt *st);

/* BEGIN IMMEDIATE, COMMIT and ROLLBACK: 0 or a negative errno. */
OF_MUST_CHECK int appdb_begin(struct sqlite3 *db);
OF_MUST_CHECK int appdb_commit(struct sqlite3 *db);
void appdb_rollback(struct sqlite3 *db);

/* Runs step(db, arg) inside BEGIN IMMEDIATE: committed when it returns 0,
 * rolled back when it (or the commit) fails. 0 or a negative errno: that
 * of the begin, of step, or of the commit. */
OF_MUST_CHECK int appdb_transaction(struct sqlite3 *db, int (*step)(struct sqlite3 *db, void *arg),
                                    void *arg);

#endif
