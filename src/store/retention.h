/* store/retention.h: how long the store keeps its fine-grained data, and
 * keeping a share of the disk free.
 *
 * The 5-minute bins go after RETENTION_DAYS and the hourly rollups after
 * RETENTION_HOURLY_DAYS (0: as long as the disk allows). Besides, while the
 * file system of the store has less than STORAGE_RESERVED_SPACE percent
 * free, the oldest day of 5-minute bins goes, then the next, down to the
 * last RETENTION_BIN_FLOOR_DAYS days, and only then the oldest hourly
 * rollups, down to the last RETENTION_HOUR_FLOOR_DAYS days: the charts of
 * a day, 48 hours and a month keep their data. The daily rollups and the
 * monthly totals are never deleted.
 *
 * retention_plan is the decision, a pure function. struct retention is
 * the part that runs it: the daemon's writer thread calls retention_tick
 * after its flushes, and about every RETENTION_INTERVAL_S seconds it
 * measures the disk, plans, deletes a chunk of the oldest rows, and does
 * so again until the plan has nothing left to delete (see retention.c). */
#ifndef OF_STORE_RETENTION_H
#define OF_STORE_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "util/compiler.h"

/* What disk pressure never deletes: the last days of each level. */
#define RETENTION_BIN_FLOOR_DAYS  2
#define RETENTION_HOUR_FLOOR_DAYS 35
/* Bounds of the options. */
#define RETENTION_MAX_RESERVE 99
#define RETENTION_MAX_DAYS    36500
/* Seconds between runs when the latest one finished its work. */
#define RETENTION_INTERVAL_S 300

struct retention_cfg {
    unsigned reserve_pct; /* STORAGE_RESERVED_SPACE: percent of the file system kept free,
                             0..99; 0 = no disk check */
    unsigned bin_days;    /* RETENTION_DAYS: days of 5-minute bins; 0 = as the disk allows */
    unsigned hour_days;   /* RETENTION_HOURLY_DAYS: days of hourly rollups; 0 = the same */
};

/* What a plan is made from. */
struct retention_view {
    int64_t now;         /* UNIX seconds */
    bool disk_known;     /* false: the file system could not be measured (no disk check) */
    uint64_t disk_free;  /* bytes of the store's file system free for it (statvfs f_bavail) */
    uint64_t disk_total; /* bytes of that file system (f_blocks) */
    uint64_t store_free; /* free bytes inside the store, which it fills before it grows */
    bool have_bins;      /* the store holds 5-minute bins ... */
    int64_t oldest_bin;  /* ... and this is the oldest one's start */
    bool have_hours;     /* the same for the hourly rollups */
    int64_t oldest_hour;
};

enum retention_why {
    RETENTION_KEEP, /* nothing to delete */
    RETENTION_AGE,  /* older than RETENTION_DAYS or RETENTION_HOURLY_DAYS */
    RETENTION_DISK, /* the disk is short of STORAGE_RESERVED_SPACE */
};

/* The rows of a level to delete next: those with ts < before, unless why
 * is RETENTION_KEEP. */
struct retention_cut {
    enum retention_why why;
    int64_t before;
};

struct retention_plan {
    struct retention_cut bins;
    struct retention_cut hours;
    bool disk_short;      /* free space (disk and store) under the reserve */
    uint64_t short_bytes; /* by how much */
    bool at_floor;        /* short, and nothing more may be deleted */
};

/* Works out what to delete next from cfg and v. Under disk pressure the cut
 * is one day past the oldest row of the finest level still above its floor
 * (never past the floor): the caller deletes that, measures again and asks
 * again, so that no more goes than the disk needs. Never fails. */
void retention_plan(const struct retention_cfg *cfg, const struct retention_view *v,
                    struct retention_plan *out);

/* What a struct retention did since it was made. */
struct retention_stats {
    struct retention_cfg cfg;
    uint64_t pruned_bins;  /* 5-minute rows deleted */
    uint64_t pruned_hours; /* hourly rows deleted */
    int64_t last_run;      /* UNIX seconds of the latest run; 0 = none yet */
    bool disk_short;       /* as the latest run left it */
    bool at_floor;
    uint64_t errors; /* runs that failed (the next one tries again) */
};

/* The run-time part. Not thread-safe: one thread (the writer) uses it. */
struct retention;

/* db_path is the store's file: its directory's file system is measured.
 * 0 or -ENOMEM. */
OF_MUST_CHECK int retention_new(struct retention **out, const char *db_path,
                                const struct retention_cfg *cfg);

void retention_free(struct retention *r); /* NULL-safe */

/* New options (a reload); the next tick runs. */
void retention_set_cfg(struct retention *r, const struct retention_cfg *cfg);

/* Runs when one is due at now_ms (UNIX ms; the first call always runs):
 * deletes what the plans say, chunk by chunk, for at most about half a
 * second, and comes back a second later when there is more to delete,
 * else after RETENTION_INTERVAL_S. Logs what it deleted (info) and, at
 * most hourly, that the disk is short with nothing left to delete
 * (warning). 0, or the store's error (counted; the next run tries again). */
int retention_tick(struct retention *r, struct store *st, uint64_t now_ms);

void retention_get_stats(const struct retention *r, struct retention_stats *out);

#endif
