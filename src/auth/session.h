/* auth/session.h: dashboard logins (the sessions table, store/schema.h).
 *
 * A session is a random secret (auth/secret.h) in the browser's cookie
 * and its hash in the database, so sessions survive restarts of the
 * program. It ends SESSION_IDLE_S seconds after it was last used, at
 * logout, when its user's password changes or its user is removed. Its
 * last use is written at most once per SESSION_TOUCH_S, and only when
 * that does not have to wait for the collector's writes: a request never
 * waits to record that it happened. A user keeps at most
 * SESSION_MAX_PER_USER sessions; a new one ends the least recently used.
 * Times are UNIX seconds. secret_init() must have been called. */
#ifndef OF_AUTH_SESSION_H
#define OF_AUTH_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "auth/secret.h"
#include "auth/users.h"
#include "util/compiler.h"

#define SESSION_IDLE_S       (12 * 3600)
#define SESSION_TOUCH_S      60
#define SESSION_MAX_PER_USER 32

struct sqlite3;

/* Who a valid session belongs to. */
struct session_info {
    int64_t user;                   /* users.id */
    char name[USERS_NAME_MAX + 1];  /* users.name */
    uint8_t hash[SECRET_HASH_LEN];  /* the session's hash */
    char csrf[SECRET_TEXT_LEN + 1]; /* its CSRF token */
};

/* Starts a session for user at now; its secret (the cookie's value) goes
 * to token. Ended sessions are cleared out on the way. 0 or a store
 * error. */
OF_MUST_CHECK int session_create(struct sqlite3 *db, int64_t user, int64_t now,
                                 char token[SECRET_TEXT_LEN + 1]);

/* The session of the secret token (len bytes). 0 with *out set; -ENOENT
 * for a token of no session, an ended one, or a malformed one; or a store
 * error. */
OF_MUST_CHECK int session_check(struct sqlite3 *db, const char *token, size_t len, int64_t now,
                                struct session_info *out);

/* Ends the session whose hash this is (nothing when there is none). */
OF_MUST_CHECK int session_delete(struct sqlite3 *db, const uint8_t hash[SECRET_HASH_LEN]);

/* Ends every session of user but the one whose hash is keep (NULL: all). */
OF_MUST_CHECK int session_end_user(struct sqlite3 *db, int64_t user,
                                   const uint8_t keep[SECRET_HASH_LEN]);

#endif
