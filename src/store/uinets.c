/* store/uinets.c: the ui_networks table. The canonical CIDR text is the
 * key, so the same network written two ways cannot be stored twice as
 * long as callers store the canonical form (daemon/networks.c does). */
#include "store/uinets.h"

#include <errno.h>
#include <sqlite3.h>

#include "store/appdb.h"

struct load_walk {
    uinets_cb cb;
    void *arg;
};

static int load_row(sqlite3_stmt *st, void *arg)
{
    struct load_walk *w = arg;
    return w->cb(appdb_text(st, 0), appdb_text(st, 1), w->arg);
}

int uinets_load(sqlite3 *db, uinets_cb cb, void *arg)
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "SELECT cidr, description FROM ui_networks ORDER BY id", &st);
    if (rc < 0)
        return rc;
    struct load_walk w = {.cb = cb, .arg = arg};
    return appdb_each(db, st, load_row, &w);
}

int uinets_add(sqlite3 *db, const char *cidr, const char *desc, int64_t now)
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(
        db, "INSERT INTO ui_networks (cidr, description, created) VALUES (?1, ?2, ?3)", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, cidr, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, desc, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now);
    return appdb_run(db, st);
}

int uinets_delete(sqlite3 *db, const char *cidr)
{
    sqlite3_stmt *st = NULL;
    int rc = appdb_prepare(db, "DELETE FROM ui_networks WHERE cidr = ?1", &st);
    if (rc < 0)
        return rc;
    sqlite3_bind_text(st, 1, cidr, -1, SQLITE_STATIC);
    rc = appdb_run(db, st);
    if (rc == 0 && sqlite3_changes(db) == 0)
        rc = -ENOENT;
    return rc;
}
