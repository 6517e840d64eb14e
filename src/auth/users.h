/* auth/users.h: the dashboard's users (the users table, store/schema.h).
 *
 * Every user may do everything (there are no roles). Names are 1 to
 * USERS_NAME_MAX characters of [A-Za-z0-9._-]; passwords follow
 * auth/password.h. Functions take a connection from store/appdb.h and use
 * it alone; the password hashing they do (a fraction of a second) happens
 * outside any transaction. Times are UNIX seconds. secret_init() must have
 * been called. */
#ifndef OF_AUTH_USERS_H
#define OF_AUTH_USERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/secret.h"
#include "util/compiler.h"

#define USERS_NAME_MAX 64
#define USERS_MAX      1000 /* users in one database */

struct sqlite3;

bool users_name_ok(const char *name, size_t len);

/* Called per user, by name; non-zero stops the walk and is returned. */
typedef int (*users_cb)(const char *name, int64_t created, void *arg);
OF_MUST_CHECK int users_list(struct sqlite3 *db, users_cb cb, void *arg);

OF_MUST_CHECK int users_count(struct sqlite3 *db, int64_t *n);

/* Adds a user. -EINVAL for a bad name or password, -EEXIST when the name
 * is taken, -ENOSPC past USERS_MAX, or a store error. */
OF_MUST_CHECK int users_add(struct sqlite3 *db, const char *name, const char *pw, size_t pwlen,
                            int64_t now);

/* Sets a user's password and ends the user's sessions, except the one
 * whose hash is keep (NULL: all of them). -ENOENT for an unknown user;
 * -EINVAL for a bad password. With create set, an unknown user is added
 * instead (*created tells which happened; may be NULL). */
OF_MUST_CHECK int users_set_password(struct sqlite3 *db, const char *name, const char *pw,
                                     size_t pwlen, const uint8_t keep[SECRET_HASH_LEN], bool create,
                                     int64_t now, bool *created);

/* Removes a user and its sessions. -ENOENT for an unknown user. */
OF_MUST_CHECK int users_delete(struct sqlite3 *db, const char *name);

/* Checks a login: 0 with *id set, -EACCES for an unknown name or a wrong
 * password (which take the same time), or a store error. */
OF_MUST_CHECK int users_login(struct sqlite3 *db, const char *name, const char *pw, size_t pwlen,
                              int64_t *id);

#endif
