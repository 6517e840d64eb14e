/* store/schema.h: the SQLite store's tables, and how a database file gets
 * them.
 *
 * The file's PRAGMA user_version is its schema version; version 0 is a new,
 * empty file. Opening for writing upgrades an older file step by step, each
 * step in its own transaction; a file from a newer program is never touched.
 * PRAGMA application_id marks the file as ours.
 *
 * Tables of version 1 (bins of 5 minutes, counters as INTEGER):
 *   hosts(id INTEGER PRIMARY KEY, ip TEXT UNIQUE, key BLOB UNIQUE)
 *     ip is the RFC 5952 text; key is the af byte (4 or 6) and the 16
 *     address bytes, so ORDER BY key is numeric and IPv4 before IPv6.
 *     Rows are never deleted (the monthly totals refer to them forever).
 *   bins(host, dir, ts, b_<class>..., p_<class>...) PK (ts, dir, host)
 *     b_ bytes and p_ packets, one column per class in class order
 *     (b_total ... b_sip). Time first, so that writing a new bin appends
 *     (see schema.c); no other index.
 *   monthly(ym, host, dl, ul) PK (ym, host)
 *     ym = year * 100 + month of local time; dl = R total, ul = S total.
 *
 * Version 2 adds the rollups of the bins, kept by put_bins in the same
 * transaction as the bins and backfilled from them by the upgrade:
 *   bins_1h, bins_1d(host, dir, ts, b_<class>..., m_<class>..., p_<class>...)
 *     PK (ts, dir, host); ts is a multiple of 3600 or 86400 (UTC days). b_
 *     and p_ are the sums of the bins' bytes and packets within the step
 *     (saturating at BIN_COUNTER_MAX), m_ the bytes of the fullest bin
 *     within it, each class on its own.
 *
 * Version 3 adds the web dashboard's tables (times are UNIX seconds):
 *   users(id, name UNIQUE, pwhash, created)
 *     pwhash is a crypto_pwhash_str string (Argon2id with its parameters).
 *   sessions(hash PK, user, created, last_seen)
 *     hash is the BLAKE2b-256 of the session cookie's token; user a
 *     users.id. A session ends 12 hours after last_seen.
 *   api_tokens(id AUTOINCREMENT, name, hash UNIQUE, created, last_used)
 *     hash is the BLAKE2b-256 of the token; last_used NULL until used.
 *   ui_networks(id, cidr UNIQUE, description, created)
 *     local networks added in the dashboard; cidr in canonical text.
 *
 * Version 4 keeps one row per host and step, both directions in a blob:
 *   bins, bins_1h, bins_1d(ts, host, c) PK (ts, host)
 *     c holds per direction the classes' bytes and packets, and in the
 *     rollups their peaks (store/cells.h).
 *   rollup_mark(id = 1, ts)
 *     the bins before ts are in the rollups and in monthly, those from ts
 *     on not yet. */
#ifndef OF_STORE_SCHEMA_H
#define OF_STORE_SCHEMA_H

#include "util/compiler.h"

struct sqlite3;

/* "OFLW": what PRAGMA application_id holds in our files. */
#define SCHEMA_APP_ID 0x4f464c57

/* The newest schema version this program knows (and writes). */
int schema_version(void);

/* Brings a database opened for writing to schema_version(). 0 on success;
 * -EPROTO when the file's version is newer than ours; -EBADMSG when the file
 * is not ours (another application id, or unknown tables in a version 0
 * file); another negative errno for SQLite failures. Logs the reason. */
OF_MUST_CHECK int schema_migrate(struct sqlite3 *db, const char *path);

/* For a database opened for writing: 0 when a write transaction commits
 * (it rewrites the version in place). A file SQLite could only open
 * read-only, a read-only mount, a full disk or a lock held by another
 * program fails here, at open, rather than at the first flush: -EROFS or
 * the errno of the failure, logged with what to check. */
OF_MUST_CHECK int schema_check_writable(struct sqlite3 *db, const char *path);

/* For a database opened read-only: 0 when its version is exactly
 * schema_version(); -EPROTO for an older or newer one (an older one is
 * upgraded by opening it once for writing); -EBADMSG when it is not ours. */
OF_MUST_CHECK int schema_check(struct sqlite3 *db, const char *path);

/* The negative errno for a SQLite result code. For I/O and open failures,
 * the OS's errno behind it when db is not NULL and SQLite kept one. */
int schema_errno(struct sqlite3 *db, int sqlite_rc);

#endif
