/* auth/tokens.h: API tokens for scripts (the api_tokens table,
 * store/schema.h), sent as "Authorization: Bearer of_...".
 *
 * A token is "of_" and a random secret (auth/secret.h); only its hash is
 * kept, so it is shown once, when it is made. Tokens belong to the
 * installation, not to a user: any user may list and revoke them. Their
 * last use is recorded as sessions' is (auth/session.h). Names are 1 to
 * TOKENS_NAME_MAX bytes of printable UTF-8. Times are UNIX seconds. */
#ifndef OF_AUTH_TOKENS_H
#define OF_AUTH_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/secret.h"
#include "util/compiler.h"

#define TOKENS_PREFIX   "of_"
#define TOKENS_TEXT_LEN (3 + SECRET_TEXT_LEN)
#define TOKENS_NAME_MAX 64
#define TOKENS_MAX      1000 /* tokens in one database */
#define TOKENS_TOUCH_S  60

struct sqlite3;

bool tokens_name_ok(const char *name, size_t len);

/* Makes a token: its id and its text (shown once). -EINVAL for a bad
 * name, -ENOSPC past TOKENS_MAX, or a store error. */
OF_MUST_CHECK int tokens_create(struct sqlite3 *db, const char *name, int64_t now, int64_t *id,
                                char token[TOKENS_TEXT_LEN + 1]);

/* Called per token in id order; last_used is -1 when never used.
 * Non-zero stops the walk and is returned. */
typedef int (*tokens_cb)(int64_t id, const char *name, int64_t created, int64_t last_used,
                         void *arg);
OF_MUST_CHECK int tokens_list(struct sqlite3 *db, tokens_cb cb, void *arg);

/* Revokes a token. -ENOENT for an unknown id. */
OF_MUST_CHECK int tokens_delete(struct sqlite3 *db, int64_t id);

/* The token whose text is token (len bytes): 0 with *id set, -ENOENT for
 * an unknown or malformed one, or a store error. */
OF_MUST_CHECK int tokens_check(struct sqlite3 *db, const char *token, size_t len, int64_t now,
                               int64_t *id);

#endif
