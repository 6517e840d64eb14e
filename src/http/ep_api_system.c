/* http/ep_api_system.c: /api/v1/system, the machine the collector runs on
 * as the dashboard shows it: version and uptime of the program, load
 * averages, cores, and the disk that holds the store, how full it is and
 * how much of it the store takes (the database file and its write-ahead
 * log). Read from the system on each request; nothing is kept. */
#include "http/endpoint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "daemon/status.h"
#include "http/context.h"
#include "http/ep_common.h"
#include "http/reply.h"
#include "util/paths.h"

/* The directory of the store's file, as an absolute path when it can be
 * resolved. */
static void store_dir(const char *db, char *out, size_t len)
{
    char dir[CONFIG_MAX_PATH];
    const char *slash = strrchr(db, '/');
    if (!slash)
        (void)snprintf(dir, sizeof(dir), ".");
    else if (slash == db)
        (void)snprintf(dir, sizeof(dir), "/");
    else
        (void)snprintf(dir, sizeof(dir), "%.*s", (int)(slash - db), db);
    char *real = realpath(dir, NULL);
    (void)snprintf(out, len, "%s", real ? real : dir);
    free(real);
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0 ? (uint64_t)st.st_size : 0;
}

static json_t *disk_json(const char *dir)
{
    struct statvfs vfs;
    json_t *j = json_pack("{s:s}", "path", dir);
    if (!j || statvfs(dir, &vfs) < 0)
        return j;
    uint64_t unit = vfs.f_frsize ? vfs.f_frsize : vfs.f_bsize;
    json_object_set_new(j, "total", ep_json_u64((uint64_t)vfs.f_blocks * unit));
    json_object_set_new(j, "free", ep_json_u64((uint64_t)vfs.f_bavail * unit));
    return j;
}

static json_t *store_json(const char *db)
{
    char wal[CONFIG_MAX_PATH + 8];
    (void)snprintf(wal, sizeof(wal), "%s-wal", db);
    return json_pack("{s:s,s:o}", "path", db, "bytes", ep_json_u64(file_size(db) + file_size(wal)));
}

static json_t *load_json(void)
{
    double l[3] = {0, 0, 0};
    if (getloadavg(l, 3) < 3)
        return json_pack("[]");
    return json_pack("[f,f,f]", l[0], l[1], l[2]);
}

int ep_api_system(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    (void)call;
    char dir[CONFIG_MAX_PATH];
    store_dir(ctx->cfg->db_path, dir, sizeof(dir));
    struct status *s = ctx->board ? status_board_get(ctx->board) : NULL;
    uint64_t uptime = ep_uptime(ctx, s);
    status_put(s);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    json_t *j =
        json_pack("{s:s,s:o,s:o,s:i,s:o,s:o}", "version", OF_VERSION, "uptime_s",
                  ep_json_u64(uptime), "load", load_json(), "cpus", cpus > 0 ? (int)cpus : 1,
                  "disk", disk_json(dir), "store", store_json(ctx->cfg->db_path));
    if (!j)
        return -ENOMEM;
    int rc = reply_json(r, j);
    json_decref(j);
    return rc;
}
