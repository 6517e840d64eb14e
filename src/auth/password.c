/* auth/password.c: Argon2id through libsodium, with a limit on how many
 * hashes run at once (each takes crypto_pwhash_MEMLIMIT_INTERACTIVE bytes).
 * A counting gate (mutex and condition) rather than a POSIX semaphore, so
 * that the limit is the same on every system. */
#include "auth/password.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "auth/secret.h"

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static unsigned gate_busy;

static void gate_enter(void)
{
    pthread_mutex_lock(&gate_lock);
    while (gate_busy >= PASSWORD_PARALLEL)
        pthread_cond_wait(&gate_cond, &gate_lock);
    gate_busy++;
    pthread_mutex_unlock(&gate_lock);
}

static void gate_leave(void)
{
    pthread_mutex_lock(&gate_lock);
    gate_busy--;
    pthread_cond_signal(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
}

bool password_ok(const char *pw, size_t len)
{
    return len >= PASSWORD_MIN && len <= PASSWORD_MAX && !memchr(pw, '\0', len);
}

int password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_MAX])
{
    if (!password_ok(pw, len))
        return -EINVAL;
    gate_enter();
    int rc = crypto_pwhash_str(out, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
    gate_leave();
    return rc == 0 ? 0 : -ENOMEM;
}

int password_verify(const char *hash, const char *pw, size_t len)
{
    gate_enter();
    int rc = crypto_pwhash_str_verify(hash, pw, len);
    gate_leave();
    return rc == 0 ? 0 : -EACCES;
}

/* A hash of a password nobody knows, made once, for password_verify_none. */
static pthread_once_t none_once = PTHREAD_ONCE_INIT;
static char none_hash[PASSWORD_HASH_MAX];

static void make_none_hash(void)
{
    char pw[PASSWORD_RANDOM_LEN + 1];
    password_random(pw);
    if (password_hash(pw, strlen(pw), none_hash) < 0)
        none_hash[0] = '\0'; /* out of memory: verify then fails at once */
    sodium_memzero(pw, sizeof(pw));
}

int password_verify_none(const char *pw, size_t len)
{
    pthread_once(&none_once, make_none_hash);
    gate_enter();
    int ignored = crypto_pwhash_str_verify(none_hash, pw, len); /* it fails: that is the point */
    (void)ignored;
    gate_leave();
    return -EACCES;
}

void password_random(char out[PASSWORD_RANDOM_LEN + 1])
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    for (size_t i = 0; i < PASSWORD_RANDOM_LEN; i++)
        out[i] = alphabet[randombytes_uniform((uint32_t)(sizeof(alphabet) - 1))];
    out[PASSWORD_RANDOM_LEN] = '\0';
}
