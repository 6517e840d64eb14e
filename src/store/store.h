/* store/store.h: where counters are kept, behind one interface.
 *
 * A store keeps, per host (0.0.0.0 included), direction and 5-minute bin, 12
 * class byte and packet counters, plus monthly download/upload totals per
 * host. Backends (SQLite now, ClickHouse later) embed struct store as their
 * first member and provide one const ops table; callers use only the inline
 * wrappers below. Every operation returns 0 or a negative errno-style code.
 *
 * put_bins is additive: a row for a (host, dir, bin) that already exists is
 * added to, because flows for a bin keep arriving after it ended. It also adds
 * each row's total to the host's monthly totals (R -> dl, S -> ul) for the
 * month the bin starts in, local time, in the same transaction, so the two
 * never disagree. The rows of the pseudo host 0.0.0.0 do not go into the
 * monthly totals.
 *
 * prune is how retention (store/retention.h) deletes the oldest 5-minute
 * bins and hourly rollups. Nothing deletes the daily rollups or the monthly
 * totals, and deleting bins never changes the rollups made from them. */
#ifndef OF_STORE_STORE_H
#define OF_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "account/bins.h"
#include "account/classes.h"
#include "util/addr.h"
#include "util/compiler.h"

/* One host's monthly totals, as gettraff reports them. */
struct traff_row {
    struct of_addr host;
    uint64_t dl; /* bytes received (R total) */
    uint64_t ul; /* bytes sent (S total) */
};

/* Called once per row, hosts in address order; a non-zero return stops the
 * walk and is returned by store_get_traff. */
typedef int (*traff_cb)(const struct traff_row *row, void *arg);

/* Called once per stored bin in time order; the same stop rule. */
typedef int (*series_cb)(const struct bin_row *row, void *arg);

/* Steps a series can be read in: the 5-minute bins themselves, and the
 * hourly and daily rollups the store keeps as bins are written (UTC-aligned:
 * ts is a multiple of the step). */
enum store_step {
    STORE_STEP_BIN = BIN_SECONDS,
    STORE_STEP_HOUR = 3600,
    STORE_STEP_DAY = 86400,
};

/* One step of a series. A coarse step keeps, besides the sum, the bytes of
 * the fullest 5-minute bin inside it, per class, so that a chart of a year
 * still shows the peaks the 5-minute data had. For STORE_STEP_BIN, peak
 * equals bytes. */
struct step_row {
    int64_t ts;                     /* step start, UNIX seconds */
    uint64_t bytes[CLASS__COUNT];   /* sum over the step */
    uint64_t peak[CLASS__COUNT];    /* largest 5-minute bin within the step */
    uint64_t packets[CLASS__COUNT]; /* sum over the step */
};

typedef int (*step_cb)(const struct step_row *row, void *arg);

/* One host of a ranking. */
struct top_row {
    struct of_addr host;
    uint64_t bytes;
};

typedef int (*top_cb)(const struct top_row *row, void *arg);

/* What the status page shows about a store. */
struct store_info {
    uint64_t size_bytes; /* on disk (database file and its journal) */
    uint64_t hosts;      /* hosts ever seen */
    int64_t first_bin;   /* oldest 5-minute bin kept; 0 when empty */
    int64_t last_bin;    /* newest 5-minute bin; 0 when empty */
    int64_t first_hour;  /* oldest hourly rollup kept; 0 when none */
    uint64_t free_bytes; /* free space inside the file, used before it grows */
    int schema_version;
};

struct store_cfg {
    const char *backend; /* "sqlite" (default when NULL) */
    const char *path;    /* database file for sqlite */
    int readonly;        /* open for reading only (the CLI's queries) */
    int check_write;     /* writes come for long (the collector): fail now, not at the first */
};

struct store;

struct store_ops {
    const char *name;
    int (*open)(struct store **out, const struct store_cfg *cfg);
    int (*put_bins)(struct store *s, const struct bin_batch *b);
    int (*get_series)(struct store *s, const struct of_addr *host, int dir, int64_t from,
                      int64_t to, series_cb cb, void *arg);
    int (*get_traff)(struct store *s, int year, int month, const struct of_addr *host, traff_cb cb,
                     void *arg);
    int (*get_steps)(struct store *s, const struct of_addr *host, int dir, int64_t from, int64_t to,
                     enum store_step step, step_cb cb, void *arg);
    int (*get_top)(struct store *s, int dir, int cls, int64_t from, int64_t to, size_t limit,
                   top_cb cb, void *arg);
    int (*get_info)(struct store *s, struct store_info *out);
    int (*prune)(struct store *s, enum store_step step, int64_t before, uint64_t max_rows,
                 uint64_t *deleted);
    int (*close)(struct store *s); /* flushes; frees the store even when it fails */
};

struct store {
    const struct store_ops *ops;
};

/* Opens the backend cfg->backend names. -ENOENT for an unknown backend name. */
OF_MUST_CHECK int store_open(struct store **out, const struct store_cfg *cfg);

/* Adds rows (see above). All rows land or none do. */
static inline OF_MUST_CHECK int store_put_bins(struct store *s, const struct bin_batch *b)
{
    return s->ops->put_bins(s, b);
}

/* Stored bins of host and dir with from <= ts < to. */
static inline OF_MUST_CHECK int store_get_series(struct store *s, const struct of_addr *host,
                                                 int dir, int64_t from, int64_t to, series_cb cb,
                                                 void *arg)
{
    return s->ops->get_series(s, host, dir, from, to, cb, arg);
}

/* Monthly totals of year/month (month 1..12), of one host or all (NULL). */
static inline OF_MUST_CHECK int store_get_traff(struct store *s, int year, int month,
                                                const struct of_addr *host, traff_cb cb, void *arg)
{
    return s->ops->get_traff(s, year, month, host, cb, arg);
}

/* Steps of host and dir with from <= ts < to, in time order; only steps
 * that hold data are reported. from and to are rounded down to the step. */
static inline OF_MUST_CHECK int store_get_steps(struct store *s, const struct of_addr *host,
                                                int dir, int64_t from, int64_t to,
                                                enum store_step step, step_cb cb, void *arg)
{
    return s->ops->get_steps(s, host, dir, from, to, step, cb, arg);
}

/* Hosts (0.0.0.0 excluded) ranked by their bytes of class cls in direction
 * dir over from <= ts < to, most first, at most limit of them; hosts with no
 * bytes of the class are left out. */
static inline OF_MUST_CHECK int store_get_top(struct store *s, int dir, int cls, int64_t from,
                                              int64_t to, size_t limit, top_cb cb, void *arg)
{
    return s->ops->get_top(s, dir, cls, from, to, limit, cb, arg);
}

static inline OF_MUST_CHECK int store_get_info(struct store *s, struct store_info *out)
{
    return s->ops->get_info(s, out);
}

/* Deletes the oldest rows of step, STORE_STEP_BIN (5-minute bins) or
 * STORE_STEP_HOUR (hourly rollups), that start before before: at most
 * max_rows of them, in key order, in one write transaction, so that a call
 * holds the write lock only as long as max_rows take. *deleted gets how many
 * went; 0 means none is left before before. Rollups built from deleted rows
 * stay as they are. -EINVAL for STORE_STEP_DAY (daily rollups and monthly
 * totals are kept for good) or max_rows 0; -EROFS on a read-only store. */
static inline OF_MUST_CHECK int store_prune(struct store *s, enum store_step step, int64_t before,
                                            uint64_t max_rows, uint64_t *deleted)
{
    return s->ops->prune(s, step, before, max_rows, deleted);
}

/* NULL-safe. */
static inline int store_close(struct store *s)
{
    return s ? s->ops->close(s) : 0;
}

#endif
