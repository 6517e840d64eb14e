/* auth/password.h: password rules, hashing and checking.
 *
 * Hashes are libsodium's crypto_pwhash_str strings (Argon2id, with its
 * salt and parameters inside) at the "interactive" limits: about 64 MiB
 * and a fraction of a second per hash. So that many logins at once cannot
 * take all the memory, at most PASSWORD_PARALLEL hashes run at a time; the
 * others wait their turn. secret_init() must have been called. */
#ifndef OF_AUTH_PASSWORD_H
#define OF_AUTH_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include "util/compiler.h"

#define PASSWORD_MIN        8    /* bytes */
#define PASSWORD_MAX        1024 /* bytes */
#define PASSWORD_HASH_MAX   128  /* crypto_pwhash_STRBYTES, NUL included */
#define PASSWORD_RANDOM_LEN 20   /* characters of a generated password */
#define PASSWORD_PARALLEL   2

/* True when pw (len bytes) may be a password: PASSWORD_MIN..PASSWORD_MAX
 * bytes without a NUL. */
bool password_ok(const char *pw, size_t len);

/* Hashes pw into out (NUL-terminated). 0, -EINVAL when !password_ok, or
 * -ENOMEM. */
OF_MUST_CHECK int password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_MAX]);

/* 0 when pw matches hash, -EACCES when it does not (or hash is not a
 * valid hash string). */
OF_MUST_CHECK int password_verify(const char *hash, const char *pw, size_t len);

/* Spends the time and memory of a password_verify and fails: for a user
 * name that does not exist, so that the answer's timing does not tell
 * which names do. Returns -EACCES. */
int password_verify_none(const char *pw, size_t len);

/* A random password of PASSWORD_RANDOM_LEN letters and digits (those that
 * cannot be mistaken for one another; about 116 bits) and a NUL. */
void password_random(char out[PASSWORD_RANDOM_LEN + 1]);

#endif
