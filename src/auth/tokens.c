/* auth/tokens.c: the api_tokens table. As with sessions, a token is found
 * by the hash of its text through a unique index (see auth/session.c for
 * why that lookup needs no constant-time compare). */
#include "auth/tokens.h"

#include <errno.h>
#include <sqlite3.h>
#include <string.h>

#include "store/appdb.h"
#include "store/schema.h"
#include "store/store_sqlite.h"
#include "util/text.h"

bool tokens_name_ok(const char *name, size_t len)
{
    return len > 0 && len <= TOKENS_NAME_MAX && text_printable(name, len);
}

/* Inside a transaction. */
static int tokens_insert(sqlite3 *db, const char *name, int64_t now, const uint8_t *hash)
{
    sqlite3_stmt *st = NULL;
    int rc =
        appdb_prepare(db, "INSERT INTO api_tokens (name, hash, created) VALUES (?1, ?2, ?3)", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, hash, SECRET_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return appdb_insert_capped(db, "SELECT count(*) FROM api_tokens", TOKENS_MAX, st);
}

struct create_args {
    const char *name;
    int64_t now;
    const uint8_t *hash;
    int64_t id;
};

static int create_step(sqlite3 *db, void *arg)
{
    struct create_args *a = arg;
    int rc = tokens_insert(db, a->name, a->now, a->hash);
    if (rc == 0)
        a->id = sqlite3_last_insert_rowid(db);
    return rc;
}

int tokens_create(sqlite3 *db, const char *name, int64_t now, int64_t *id,
                  char token[TOKENS_TEXT_LEN + 1])
{
    if (!tokens_name_ok(name, strlen(name)))
        return -EINVAL;
    char t[TOKENS_TEXT_LEN + 1] = TOKENS_PREFIX;
    uint8_t hash[SECRET_HASH_LEN];
    secret_new(t + 3);
    secret_hash(t, TOKENS_TEXT_LEN, hash);
    struct create_args a = {.name = name, .now = now, .hash = hash};
    int rc = appdb_transaction(db, create_step, &a);
    if (rc < 0)
        return rc;
    *id = a.id;
    memcpy(token, t, sizeof(t));
    return 0;
}

struct list_walk {
    tokens_cb cb;
    void *arg;
};

static int list_row(sqlite3_stmt *st, void *arg)
{
    struct list_walk *w = arg;
    int64_t last = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 3);
    return w->cb(sqlite3_column_int64(st, 0), appdb_text(st, 1), sqlite3_column_int64(st, 2), last,
                 w->arg);
}

int tokens_list(sqlite3 *db, tokens_cb cb, void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc =
        appdb_prepare(db, "SELECT id, name, created, last_used FROM api_tokens ORDER BY id", &st);
    if (rc < 0)
        return rc;
    struct list_walk w = {.cb = cb, .arg = arg};
    return appdb_each(db, st, list_row, &w);
}

int tokens_delete(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "DELETE FROM api_tokens WHERE id = ?1", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = appdb_run(db, st);
    if (rc == 0 && sqlite3_changes(db) == 0)
        rc = -ENOENT;
    return rc;
}

/* As session_touch: never waits for the collector's writes. */
static void tokens_touch(sqlite3 *db, int64_t id, int64_t now)
{
    sqlite3_stmt *st = NULL;
    if (appdb_prepare(db, "UPDATE api_tokens SET last_used = ?2 WHERE id = ?1", &st) < 0)
        return;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_busy_timeout(db, 0);
    int ignored = appdb_run(db, st);
    (void)ignored;
    sqlite3_busy_timeout(db, STORE_SQLITE_BUSY_MS);
}

int tokens_check(sqlite3 *db, const char *token, size_t len, int64_t now, int64_t *id)
{
    if (len != TOKENS_TEXT_LEN || memcmp(token, TOKENS_PREFIX, 3) != 0 ||
        !secret_text_ok(token + 3, len - 3))
        return -ENOENT;
    uint8_t hash[SECRET_HASH_LEN];
    secret_hash(token, len, hash);
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "SELECT id, last_used FROM api_tokens WHERE hash = ?1", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_blob(st, 1, hash, sizeof(hash), SQLITE_STATIC);
    int step = sqlite3_step(st);
    int64_t tid = 0;
    int64_t last = 0;
    bool used = false;
    if (step == SQLITE_ROW) {
        tid = sqlite3_column_int64(st, 0);
        used = sqlite3_column_type(st, 1) != SQLITE_NULL;
        last = sqlite3_column_int64(st, 1);
    } else {
        rc = step == SQLITE_DONE ? -ENOENT : schema_errno(db, step);
    }
    sqlite3_finalize(st);
    if (rc < 0)
        return rc;
    if (!used || now - last >= TOKENS_TOUCH_S)
        tokens_touch(db, tid, now);
    *id = tid;
    return 0;
}
