/* auth/session.c: the sessions table.
 *
 * A session is found by the hash of its secret through the table's
 * primary key. The secret has 256 random bits and what the index compares
 * is its hash, so the time a lookup takes tells a guesser nothing useful;
 * the CSRF token, which a client sends to be compared, is compared in
 * constant time (http/gate.c). */
#include "auth/session.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>

#include "store/appdb.h"
#include "store/schema.h"
#include "store/store_sqlite.h"

/* Inside the creating transaction: ended sessions go, and the user's
 * least recently used ones beyond the cap. */
static int session_prune(sqlite3 *db, int64_t user, int64_t now)
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "DELETE FROM sessions WHERE last_seen <= ?1", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, now - SESSION_IDLE_S);
    rc = appdb_run(db, st);
    if (rc < 0)
        return rc;
    rc = appdb_prepare(db,
                       "DELETE FROM sessions WHERE user = ?1 AND hash NOT IN"
                       " (SELECT hash FROM sessions WHERE user = ?1"
                       " ORDER BY last_seen DESC LIMIT ?2)",
                       &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, user);
    sqlite3_bind_int(st, 2, SESSION_MAX_PER_USER - 1);
    return appdb_run(db, st);
}

static int session_insert(sqlite3 *db, int64_t user, int64_t now, const uint8_t *hash)
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(
        db, "INSERT INTO sessions (hash, user, created, last_seen) VALUES (?1, ?2, ?3, ?3)", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_blob(st, 1, hash, SECRET_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, user);
    sqlite3_bind_int64(st, 3, now);
    return appdb_run(db, st);
}

struct create_args {
    int64_t user;
    int64_t now;
    const uint8_t *hash;
};

static int create_step(sqlite3 *db, void *arg)
{
    const struct create_args *a = arg;
    int rc = session_prune(db, a->user, a->now);
    if (rc < 0)
        return rc;
    return session_insert(db, a->user, a->now, a->hash);
}

int session_create(sqlite3 *db, int64_t user, int64_t now, char token[SECRET_TEXT_LEN + 1])
{
    char t[SECRET_TEXT_LEN + 1];
    uint8_t hash[SECRET_HASH_LEN];
    secret_new(t);
    secret_hash(t, SECRET_TEXT_LEN, hash);
    struct create_args a = {.user = user, .now = now, .hash = hash};
    int rc = appdb_transaction(db, create_step, &a);
    if (rc < 0)
        return rc;
    memcpy(token, t, sizeof(t));
    return 0;
}

/* Records a use without waiting: a busy database (the collector writing)
 * only means the use is recorded on a later request. */
static void session_touch(sqlite3 *db, const uint8_t *hash, int64_t now)
{
    sqlite3_stmt *st = NULL;
    if (appdb_prepare(db, "UPDATE sessions SET last_seen = ?2 WHERE hash = ?1", &st) < 0)
        return;
    sqlite3_bind_blob(st, 1, hash, SECRET_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_busy_timeout(db, 0);
    int ignored = appdb_run(db, st);
    (void)ignored;
    sqlite3_busy_timeout(db, STORE_SQLITE_BUSY_MS);
}

int session_check(sqlite3 *db, const char *token, size_t len, int64_t now, struct session_info *out)
{
    if (!secret_text_ok(token, len))
        return -ENOENT;
    uint8_t hash[SECRET_HASH_LEN];
    secret_hash(token, len, hash);
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db,
                           "SELECT s.user, s.last_seen, u.name FROM sessions s"
                           " JOIN users u ON u.id = s.user WHERE s.hash = ?1",
                           &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
    int step = sqlite3_step(st);
    int64_t last = 0;
    if (step == SQLITE_ROW) {
        const char *name = appdb_text(st, 2);
        size_t n = strlen(name);
        out->user = sqlite3_column_int64(st, 0);
        last = sqlite3_column_int64(st, 1);
        if (n > USERS_NAME_MAX)
            n = USERS_NAME_MAX;
        memcpy(out->name, name, n);
        out->name[n] = '\0';
    } else {
        rc = step == SQLITE_DONE ? -ENOENT : schema_errno(db, step);
    }
    sqlite3_finalize(st);
    if (rc < 0)
        return rc;
    if (now - last >= SESSION_IDLE_S) {
        int ignored = session_delete(db, hash); /* ended either way */
        (void)ignored;
        return -ENOENT;
    }
    if (now - last >= SESSION_TOUCH_S)
        session_touch(db, hash, now);
    memcpy(out->hash, hash, sizeof(hash));
    secret_csrf(token, len, out->csrf);
    return 0;
}

int session_delete(sqlite3 *db, const uint8_t hash[SECRET_HASH_LEN])
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "DELETE FROM sessions WHERE hash = ?1", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_blob(st, 1, hash, SECRET_HASH_LEN, SQLITE_STATIC);
    return appdb_run(db, st);
}

int session_end_user(sqlite3 *db, int64_t user, const uint8_t keep[SECRET_HASH_LEN])
{
    static const uint8_t none[SECRET_HASH_LEN];
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "DELETE FROM sessions WHERE user = ?1 AND hash <> ?2", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, user);
    sqlite3_bind_blob(st, 2, keep ? keep : none, SECRET_HASH_LEN, SQLITE_STATIC);
    return appdb_run(db, st);
}
