/* store/retention.c: deciding what the store deletes, and deleting it.
 *
 * Like the original's rotator, disk pressure is measured as the free
 * share of the file system the store lives on. Deleted rows do not give
 * the disk any space back: the file keeps its length and SQLite fills its
 * free pages first. So the space that counts is the file system's free
 * space plus the store's free pages; without those, every run under
 * pressure would go on deleting down to the floors, because the disk
 * never looked any emptier.
 *
 * The planner cuts one day at a time under pressure and the run measures
 * again after every chunk, so that deleting stops as soon as the reserve
 * is met rather than a whole plan later. Chunks are small transactions
 * (RETENTION_CHUNK_ROWS rows), and a run stops after RETENTION_RUN_MS so
 * that the writer thread, which also moves the counters to the store, is
 * never held up for long; a backlog (a first start on years of data, a
 * lowered RETENTION_DAYS) is worked off over the following seconds. */
#include "store/retention.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <time.h>

#include "util/log.h"

#define DAY_S INT64_C(86400)
/* Rows deleted per transaction: some tens of milliseconds of work. */
#define RETENTION_CHUNK_ROWS 20000
/* How long one run deletes before it lets the writer flush again. */
#define RETENTION_RUN_MS 500
/* When a run stopped with more to delete, the next comes this much later. */
#define RETENTION_AGAIN_MS 1000
#define RETENTION_WARN_S   3600

/* What one run deleted from a level, for its log line. */
struct run_level {
    uint64_t rows;
    struct retention_cut cut; /* the latest cut taken */
};

struct retention {
    struct retention_cfg cfg;
    char *dir; /* the store's directory, for statvfs */
    uint64_t next_ms;
    bool ran;
    struct retention_stats stats;
    struct log_limit floor_log;
    struct log_limit disk_log;
    struct log_limit error_log;
};

/* ---- the plan ---- */

static int64_t sub_days(int64_t t, unsigned days)
{
    int64_t d = (int64_t)days * DAY_S;
    return t < INT64_MIN + d ? INT64_MIN : t - d;
}

static int64_t add_day(int64_t t)
{
    return t > INT64_MAX - DAY_S ? INT64_MAX : t + DAY_S;
}

/* The age cut of a level: rows older than days before now. */
static struct retention_cut age_cut(unsigned days, bool have, int64_t oldest, int64_t now)
{
    struct retention_cut c = {RETENTION_KEEP, 0};
    if (days == 0 || !have)
        return c;
    int64_t before = sub_days(now, days);
    if (oldest < before) {
        c.why = RETENTION_AGE;
        c.before = before;
    }
    return c;
}

/* Under pressure: the level's oldest day, never past its floor. False when
 * the level has nothing older than the floor. */
static bool disk_cut(bool have, int64_t oldest, int64_t keep_from, struct retention_cut *c)
{
    if (!have || oldest >= keep_from)
        return false;
    int64_t before = add_day(oldest);
    before = before < keep_from ? before : keep_from;
    if (c->why == RETENTION_KEEP || before > c->before) {
        c->why = RETENTION_DISK;
        c->before = before;
    }
    return true;
}

/* total * pct / 100 without overflow. */
static uint64_t share(uint64_t total, unsigned pct)
{
    if (pct > 100)
        pct = 100;
    return total / 100 * pct + total % 100 * pct / 100;
}

static void disk_pressure(const struct retention_cfg *cfg, const struct retention_view *v,
                          struct retention_plan *p)
{
    if (cfg->reserve_pct == 0 || !v->disk_known || v->disk_total == 0)
        return;
    uint64_t reserve = share(v->disk_total, cfg->reserve_pct);
    uint64_t avail =
        v->disk_free > UINT64_MAX - v->store_free ? UINT64_MAX : v->disk_free + v->store_free;
    if (avail >= reserve)
        return;
    p->disk_short = true;
    p->short_bytes = reserve - avail;
    /* The finest level goes first, and the hours only once the bins are
     * down to their floor. */
    if (disk_cut(v->have_bins, v->oldest_bin, sub_days(v->now, RETENTION_BIN_FLOOR_DAYS), &p->bins))
        return;
    (void)disk_cut(v->have_hours, v->oldest_hour, sub_days(v->now, RETENTION_HOUR_FLOOR_DAYS),
                   &p->hours);
}

void retention_plan(const struct retention_cfg *cfg, const struct retention_view *v,
                    struct retention_plan *out)
{
    struct retention_plan p;
    memset(&p, 0, sizeof(p));
    p.bins = age_cut(cfg->bin_days, v->have_bins, v->oldest_bin, v->now);
    p.hours = age_cut(cfg->hour_days, v->have_hours, v->oldest_hour, v->now);
    disk_pressure(cfg, v, &p);
    p.at_floor = p.disk_short && p.bins.why == RETENTION_KEEP && p.hours.why == RETENTION_KEEP;
    *out = p;
}

/* ---- measuring ---- */

/* The directory of the file at path. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t len = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
    char *d = malloc(len ? len + 1 : 2);
    if (!d)
        return NULL;
    if (len == 0) {
        memcpy(d, ".", 2);
    } else {
        memcpy(d, path, len);
        d[len] = '\0';
    }
    return d;
}

static void measure_disk(struct retention *r, struct retention_view *v)
{
    struct statvfs fs;
    v->disk_known = false;
    if (r->cfg.reserve_pct == 0)
        return;
    if (statvfs(r->dir, &fs) < 0) {
        if (log_every(&r->disk_log, RETENTION_WARN_S))
            log_msg(LOG_WARN, "retention: cannot measure the file system of %s (%s): no disk check",
                    r->dir, strerror(errno));
        return;
    }
    uint64_t unit = fs.f_frsize ? (uint64_t)fs.f_frsize : (uint64_t)fs.f_bsize;
    v->disk_known = true;
    v->disk_free = (uint64_t)fs.f_bavail * unit;
    v->disk_total = (uint64_t)fs.f_blocks * unit;
}

static int measure(struct retention *r, struct store *st, int64_t now, struct retention_view *v)
{
    struct store_info info;
    int rc = store_get_info(st, &info);
    if (rc < 0)
        return rc;
    memset(v, 0, sizeof(*v));
    v->now = now;
    v->store_free = info.free_bytes;
    /* 0 is the store's "none": no bin starts on 1 January 1970. */
    v->have_bins = info.first_bin != 0;
    v->oldest_bin = info.first_bin;
    v->have_hours = info.first_hour != 0;
    v->oldest_hour = info.first_hour;
    measure_disk(r, v);
    return 0;
}

/* ---- running ---- */

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static const char *utc_text(int64_t t, char *buf, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if ((int64_t)tt != t || !gmtime_r(&tt, &tm) ||
        strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        (void)snprintf(buf, len, "%" PRId64, t);
    return buf;
}

/* One line per level that lost rows: how many, up to when, and why (the
 * option that made the cut). */
static void log_level(const struct retention *r, const char *what, const char *option,
                      unsigned days, const struct run_level *l)
{
    if (l->rows == 0)
        return;
    char when[40];
    char why[64];
    if (l->cut.why == RETENTION_DISK)
        (void)snprintf(why, sizeof(why), "the disk is short of STORAGE_RESERVED_SPACE=%u%%",
                       r->cfg.reserve_pct);
    else
        (void)snprintf(why, sizeof(why), "%s=%u", option, days);
    log_msg(LOG_INFO, "retention: deleted %" PRIu64 " %s rows from before %s (%s)", l->rows, what,
            utc_text(l->cut.before, when, sizeof(when)), why);
}

static void warn_floor(struct retention *r, const struct retention_view *v,
                       const struct retention_plan *p)
{
    if (!log_every(&r->floor_log, RETENTION_WARN_S))
        return;
    log_msg(LOG_WARN,
            "retention: the file system of %s has %" PRIu64 " MB free (with %" PRIu64
            " MB free inside the store) of %" PRIu64 " MB, %" PRIu64
            " MB short of STORAGE_RESERVED_SPACE=%u%%, and only the last %d days "
            "of 5-minute bins and %d days of hourly rollups are left, which are kept: nothing "
            "more is deleted (free some space or lower STORAGE_RESERVED_SPACE)",
            r->dir, v->disk_free >> 20, v->store_free >> 20, v->disk_total >> 20,
            p->short_bytes >> 20, r->cfg.reserve_pct, RETENTION_BIN_FLOOR_DAYS,
            RETENTION_HOUR_FLOOR_DAYS);
}

/* Deletes one chunk of what p says, bins first. *done when there is
 * nothing to delete. */
static int run_chunk(struct store *st, const struct retention_plan *p, struct run_level lv[2],
                     bool *done)
{
    int i = p->bins.why != RETENTION_KEEP ? 0 : p->hours.why != RETENTION_KEEP ? 1 : -1;
    *done = i < 0;
    if (*done)
        return 0;
    const struct retention_cut *cut = i == 0 ? &p->bins : &p->hours;
    uint64_t n = 0;
    int rc = store_prune(st, i == 0 ? STORE_STEP_BIN : STORE_STEP_HOUR, cut->before,
                         RETENTION_CHUNK_ROWS, &n);
    if (rc < 0)
        return rc;
    lv[i].rows += n;
    lv[i].cut = *cut;
    /* The plan saw an older row; if it is gone already (another writer),
     * stop rather than ask again for the same. */
    *done = n == 0;
    return 0;
}

/* Plans and deletes until the plan has nothing left or the time is up;
 * *more when it stopped for the time. */
static int run(struct retention *r, struct store *st, int64_t now, bool *more)
{
    struct run_level lv[2];
    memset(lv, 0, sizeof(lv));
    uint64_t start = mono_ms();
    int rc = 0;
    *more = false;
    for (;;) {
        struct retention_view v;
        struct retention_plan p;
        rc = measure(r, st, now, &v);
        if (rc < 0)
            break;
        retention_plan(&r->cfg, &v, &p);
        r->stats.disk_short = p.disk_short;
        r->stats.at_floor = p.at_floor;
        if (p.at_floor)
            warn_floor(r, &v, &p);
        bool done = false;
        rc = run_chunk(st, &p, lv, &done);
        if (rc < 0 || done)
            break;
        if (mono_ms() - start >= RETENTION_RUN_MS) {
            *more = true;
            break;
        }
    }
    r->stats.pruned_bins += lv[0].rows;
    r->stats.pruned_hours += lv[1].rows;
    log_level(r, "5-minute", "RETENTION_DAYS", r->cfg.bin_days, &lv[0]);
    log_level(r, "hourly", "RETENTION_HOURLY_DAYS", r->cfg.hour_days, &lv[1]);
    return rc;
}

int retention_tick(struct retention *r, struct store *st, uint64_t now_ms)
{
    if (r->ran && now_ms < r->next_ms)
        return 0;
    r->ran = true;
    bool more = false;
    int64_t now = (int64_t)(now_ms / 1000u);
    int rc = run(r, st, now, &more);
    r->stats.last_run = now;
    r->next_ms = now_ms + (more ? RETENTION_AGAIN_MS : RETENTION_INTERVAL_S * UINT64_C(1000));
    if (rc < 0) {
        r->stats.errors++;
        if (log_every(&r->error_log, RETENTION_WARN_S))
            log_msg(LOG_ERR, "retention: %s (tried again in %d s)", strerror(-rc),
                    RETENTION_INTERVAL_S);
    }
    return rc;
}

int retention_new(struct retention **out, const char *db_path, const struct retention_cfg *cfg)
{
    struct retention *r = calloc(1, sizeof(*r));
    if (!r)
        return -ENOMEM;
    r->dir = dir_of(db_path);
    if (!r->dir) {
        free(r);
        return -ENOMEM;
    }
    r->cfg = *cfg;
    *out = r;
    return 0;
}

void retention_free(struct retention *r)
{
    if (!r)
        return;
    free(r->dir);
    free(r);
}

void retention_set_cfg(struct retention *r, const struct retention_cfg *cfg)
{
    r->cfg = *cfg;
    r->ran = false;
}

void retention_get_stats(const struct retention *r, struct retention_stats *out)
{
    *out = r->stats;
    out->cfg = r->cfg;
}
