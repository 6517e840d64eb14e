/* auth/users.c: the users table. Every change that spans tables (a user
 * and its sessions) is one BEGIN IMMEDIATE transaction, so that a user is
 * never left with sessions that outlived a password change or a removal.
 * A lookup of a name that is not there still spends the time of checking
 * a password, so that a login's answer time does not tell which names
 * exist. */
#include "auth/users.h"

#include <errno.h>
#include <sodium.h>
#include <sqlite3.h>
#include <string.h>

#include "auth/password.h"
#include "auth/session.h"
#include "store/appdb.h"
#include "store/schema.h"

bool users_name_ok(const char *name, size_t len)
{
    if (len == 0 || len > USERS_NAME_MAX)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = name[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

struct list_walk {
    users_cb cb;
    void *arg;
};

static int list_row(sqlite3_stmt *st, void *arg)
{
    struct list_walk *w = arg;
    return w->cb(appdb_text(st, 0), sqlite3_column_int64(st, 1), w->arg);
}

int users_list(sqlite3 *db, users_cb cb, void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "SELECT name, created FROM users ORDER BY name", &st);
    if (rc < 0)
        return rc;
    struct list_walk w = {.cb = cb, .arg = arg};
    return appdb_each(db, st, list_row, &w);
}

static const char users_count_sql[] = "SELECT count(*) FROM users";

int users_count(sqlite3 *db, int64_t *n)
{
    return appdb_int64(db, users_count_sql, n);
}

/* The id of a user: 0 with *id set, -ENOENT, or a store error. */
static int user_id(sqlite3 *db, const char *name, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "SELECT id FROM users WHERE name = ?1", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else
        rc = step == SQLITE_DONE ? -ENOENT : schema_errno(db, step);
    sqlite3_finalize(st);
    return rc;
}

/* Inserts a user with a hash made already; inside a transaction. */
static int insert_user(sqlite3 *db, const char *name, const char *hash, int64_t now)
{
    sqlite3_stmt *st = NULL;
    int rc =
        appdb_prepare(db, "INSERT INTO users (name, pwhash, created) VALUES (?1, ?2, ?3)", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return appdb_insert_capped(db, users_count_sql, USERS_MAX, st);
}

struct add_args {
    const char *name;
    const char *hash;
    int64_t now;
    const uint8_t *keep;
    bool create;
    bool created;
};

static int add_step(sqlite3 *db, void *arg)
{
    struct add_args *a = arg;
    return insert_user(db, a->name, a->hash, a->now);
}

int users_add(sqlite3 *db, const char *name, const char *pw, size_t pwlen, int64_t now)
{
    char hash[PASSWORD_HASH_MAX];
    if (!users_name_ok(name, strlen(name)))
        return -EINVAL;
    int rc = password_hash(pw, pwlen, hash);
    if (rc < 0)
        return rc;
    struct add_args a = {.name = name, .hash = hash, .now = now};
    return appdb_transaction(db, add_step, &a);
}

static int set_step(sqlite3 *db, void *arg)
{
    struct add_args *a = arg;
    int64_t id = 0;
    int rc = user_id(db, a->name, &id);
    if (rc == -ENOENT && a->create) {
        a->created = true;
        return insert_user(db, a->name, a->hash, a->now);
    }
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = NULL;
    rc = appdb_prepare(db, "UPDATE users SET pwhash = ?1 WHERE id = ?2", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, a->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    rc = appdb_run(db, st);
    if (rc < 0)
        return rc;
    return session_end_user(db, id, a->keep);
}

int users_set_password(sqlite3 *db, const char *name, const char *pw, size_t pwlen,
                       const uint8_t keep[SECRET_HASH_LEN], bool create, int64_t now, bool *created)
{
    char hash[PASSWORD_HASH_MAX];
    if (!users_name_ok(name, strlen(name)))
        return create ? -EINVAL : -ENOENT;
    int rc = password_hash(pw, pwlen, hash);
    if (rc < 0)
        return rc;
    struct add_args a = {.name = name, .hash = hash, .now = now, .keep = keep, .create = create};
    rc = appdb_transaction(db, set_step, &a);
    if (rc == 0 && created)
        *created = a.created;
    return rc;
}

static int delete_step(sqlite3 *db, void *arg)
{
    const char *name = arg;
    int64_t id = 0;
    int rc = user_id(db, name, &id);
    if (rc < 0)
        return rc;
    rc = session_end_user(db, id, NULL);
    if (rc < 0)
        return rc;
    sqlite3_stmt *st = NULL;
    rc = appdb_prepare(db, "DELETE FROM users WHERE id = ?1", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    return appdb_run(db, st);
}

int users_delete(sqlite3 *db, const char *name)
{
    if (!users_name_ok(name, strlen(name)))
        return -ENOENT;
    return appdb_transaction(db, delete_step, (void *)name);
}

/* The id and password hash of a user: 0, -ENOENT, or a store error. */
static int user_hash(sqlite3 *db, const char *name, int64_t *id, char hash[PASSWORD_HASH_MAX])
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "SELECT id, pwhash FROM users WHERE name = ?1", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const char *h = appdb_text(st, 1);
        size_t n = strlen(h);
        *id = sqlite3_column_int64(st, 0);
        if (n >= PASSWORD_HASH_MAX)
            n = 0; /* not a hash we wrote: no password matches it */
        memcpy(hash, h, n);
        hash[n] = '\0';
    } else {
        rc = step == SQLITE_DONE ? -ENOENT : schema_errno(db, step);
    }
    sqlite3_finalize(st);
    return rc;
}

int users_login(sqlite3 *db, const char *name, const char *pw, size_t pwlen, int64_t *id)
{
    char hash[PASSWORD_HASH_MAX];
    int64_t uid = 0;
    int rc = users_name_ok(name, strlen(name)) ? user_hash(db, name, &uid, hash) : -ENOENT;
    if (rc == -ENOENT)
        return password_verify_none(pw, pwlen);
    if (rc < 0)
        return rc;
    rc = password_verify(hash, pw, pwlen);
    sodium_memzero(hash, sizeof(hash));
    if (rc == 0)
        *id = uid;
    return rc;
}
