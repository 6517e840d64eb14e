/* auth/secret.c: random secrets with libsodium. randombytes_buf reads the
 * kernel's generator (getrandom), never a user-space seed, and
 * sodium_bin2base64 writes base64url without padding. */
#include "auth/secret.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

/* Domain separation of the CSRF tokens from the stored hashes (BLAKE2b
 * keys are 16..64 bytes). */
static const unsigned char csrf_key[] = "ophanimflow csrf token v1";

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc;

static void init_sodium(void)
{
    init_rc = sodium_init() < 0 ? -EIO : 0;
}

int secret_init(void)
{
    pthread_once(&init_once, init_sodium);
    return init_rc;
}

static void to_text(const unsigned char *bin, char out[SECRET_TEXT_LEN + 1])
{
    char buf[sodium_base64_ENCODED_LEN(SECRET_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(buf, sizeof(buf), bin, SECRET_BYTES,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    memcpy(out, buf, SECRET_TEXT_LEN);
    out[SECRET_TEXT_LEN] = '\0';
}

void secret_new(char out[SECRET_TEXT_LEN + 1])
{
    unsigned char bin[SECRET_BYTES];
    randombytes_buf(bin, sizeof(bin));
    to_text(bin, out);
    sodium_memzero(bin, sizeof(bin));
}

static bool b64url_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
}

bool secret_text_ok(const char *text, size_t len)
{
    if (len != SECRET_TEXT_LEN)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!b64url_char(text[i]))
            return false;
    return true;
}

void secret_hash(const char *text, size_t len, uint8_t out[SECRET_HASH_LEN])
{
    crypto_generichash(out, SECRET_HASH_LEN, (const unsigned char *)text, len, NULL, 0);
}

void secret_csrf(const char *text, size_t len, char out[SECRET_TEXT_LEN + 1])
{
    unsigned char mac[SECRET_BYTES];
    crypto_generichash(mac, sizeof(mac), (const unsigned char *)text, len, csrf_key,
                       sizeof(csrf_key) - 1);
    to_text(mac, out);
}

bool secret_equal(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0;
}
