/* auth/secret.h: the random secrets the dashboard hands out (session
 * cookies, API tokens) and what is kept of them (their hashes).
 *
 * A secret is 32 random bytes from libsodium's randombytes_buf, written as
 * 43 characters of unpadded base64url so that it fits a cookie and an
 * Authorization header as it is. The database keeps only the BLAKE2b-256
 * hash of that text: someone who reads the file cannot log in with what
 * they find there. The CSRF token of a session is derived from the
 * session's secret with a keyed hash, so it needs no storage and cannot be
 * computed from the stored hash. */
#ifndef OF_AUTH_SECRET_H
#define OF_AUTH_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

#define SECRET_BYTES    32
#define SECRET_TEXT_LEN 43 /* base64url of SECRET_BYTES, no padding */
#define SECRET_HASH_LEN 32

/* Initializes libsodium once per process (any thread, any number of
 * times). 0, or -EIO when it cannot (no entropy source). Everything else
 * in src/auth/ needs it first. */
OF_MUST_CHECK int secret_init(void);

/* A fresh secret: SECRET_TEXT_LEN characters and a NUL. */
void secret_new(char out[SECRET_TEXT_LEN + 1]);

/* True when text (len bytes, not NUL-terminated) has the form of a
 * secret: exactly SECRET_TEXT_LEN base64url characters. */
bool secret_text_ok(const char *text, size_t len);

/* The hash the database keeps of a secret's text. */
void secret_hash(const char *text, size_t len, uint8_t out[SECRET_HASH_LEN]);

/* The CSRF token of the session whose secret is text: SECRET_TEXT_LEN
 * characters and a NUL. */
void secret_csrf(const char *text, size_t len, char out[SECRET_TEXT_LEN + 1]);

/* a == b over len bytes, in a time that does not depend on where they
 * differ. */
bool secret_equal(const void *a, const void *b, size_t len);

#endif
