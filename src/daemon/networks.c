/* daemon/networks.c: two lists of (canonical CIDR, description), config
 * and dashboard, and the table built from both.
 *
 * Every change follows one order under the mutex: check, write to the
 * database, change the list in memory, build and publish the new table.
 * So a failed write changes nothing, and the workers only ever see tables
 * that match what the database holds. A table is built from scratch for
 * each change (a few milliseconds for thousands of networks): changes are
 * rare and the result is then as simple as at start. */
#include "daemon/networks.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/uinets.h"
#include "util/log.h"
#include "util/text.h"

struct net_item {
    char cidr[NETS_CIDR_STRLEN];
    char *desc;
};

struct net_list {
    struct net_item *v;
    size_t n;
    size_t cap;
};

struct networks {
    pthread_mutex_t lock;
    struct appdb *db;
    struct net_list config;
    struct net_list ui;
    struct livenets *live;
};

/* ---- lists ---- */

static void list_fini(struct net_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].desc);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static int list_push(struct net_list *l, const char *cidr, const char *desc)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct net_item *v = realloc(l->v, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    struct net_item *it = &l->v[l->n];
    size_t n = strlen(cidr);
    if (n >= sizeof(it->cidr))
        return -EINVAL;
    it->desc = strdup(desc ? desc : "");
    if (!it->desc)
        return -ENOMEM;
    memcpy(it->cidr, cidr, n + 1);
    l->n++;
    return 0;
}

static long list_find(const struct net_list *l, const char *canon)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].cidr, canon) == 0)
            return (long)i;
    return -1;
}

static void list_remove(struct net_list *l, size_t i)
{
    free(l->v[i].desc);
    memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(l->v[0]));
    l->n--;
}

static int list_from_nets(struct net_list *l, const struct nets *src)
{
    for (size_t i = 0; i < nets_count(src); i++) {
        char cidr[NETS_CIDR_STRLEN];
        int rc = list_push(l, nets_cidr(src, i, cidr, sizeof(cidr)), nets_desc(src, i));
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- checks ---- */

int networks_canon(const char *cidr, char *canon, size_t len)
{
    struct of_addr prefix;
    unsigned plen;
    if (strlen(cidr) >= NETS_CIDR_STRLEN || nets_parse_cidr(cidr, &prefix, &plen) < 0)
        return -EINVAL;
    nets_format_cidr(&prefix, plen, canon, len);
    return 0;
}

bool networks_desc_ok(const char *desc, size_t len)
{
    return len <= NETWORKS_DESC_MAX && text_printable(desc, len);
}

/* ---- the table ---- */

/* The union of config and ui, built; a network in both counts once, with
 * the config file's description. */
static int build(const struct net_list *config, const struct net_list *ui, struct nets **out)
{
    struct nets *t = nets_new();
    int rc = t ? 0 : -ENOMEM;
    for (size_t i = 0; rc == 0 && i < config->n; i++)
        rc = nets_add(t, config->v[i].cidr, config->v[i].desc);
    for (size_t i = 0; rc == 0 && i < ui->n; i++) {
        rc = nets_add(t, ui->v[i].cidr, ui->v[i].desc);
        if (rc == -EEXIST)
            rc = 0;
    }
    if (rc == 0)
        rc = nets_build(t);
    if (rc < 0) {
        nets_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

static int apply(struct networks *n)
{
    struct nets *t = NULL;
    int rc = build(&n->config, &n->ui, &t);
    if (rc < 0)
        return rc;
    return livenets_publish(n->live, t);
}

/* ---- the database ---- */

static int load_one(const char *cidr, const char *desc, void *arg)
{
    struct net_list *ui = arg;
    char canon[NETS_CIDR_STRLEN];
    if (networks_canon(cidr, canon, sizeof(canon)) < 0 || strcmp(canon, cidr) != 0 ||
        !networks_desc_ok(desc, strlen(desc)) || list_find(ui, canon) >= 0 ||
        ui->n >= NETWORKS_UI_MAX) {
        /* only a file edited by hand holds such a row */
        log_msg(LOG_WARN, "store: ignoring the dashboard's network \"%.64s\"", cidr);
        return 0;
    }
    return list_push(ui, canon, desc);
}

static int load_ui(struct appdb *db, struct net_list *ui)
{
    sqlite3 *c = NULL;
    int rc = appdb_get(db, &c);
    if (rc < 0)
        return rc;
    rc = uinets_load(c, load_one, ui);
    appdb_put(db, c, rc < 0 && rc != -ENOMEM);
    return rc;
}

/* Runs a write on a connection of the pool. */
static int db_add(struct appdb *db, const char *cidr, const char *desc)
{
    sqlite3 *c = NULL;
    int rc = appdb_get(db, &c);
    if (rc < 0)
        return rc;
    rc = uinets_add(c, cidr, desc, (int64_t)time(NULL));
    appdb_put(db, c, rc < 0 && rc != -EEXIST);
    return rc;
}

static int db_delete(struct appdb *db, const char *cidr)
{
    sqlite3 *c = NULL;
    int rc = appdb_get(db, &c);
    if (rc < 0)
        return rc;
    rc = uinets_delete(c, cidr);
    appdb_put(db, c, rc < 0 && rc != -ENOENT);
    return rc;
}

/* ---- the interface ---- */

int networks_new(struct networks **out, const struct nets *config, struct appdb *db)
{
    struct networks *n = calloc(1, sizeof(*n));
    if (!n)
        return -ENOMEM;
    pthread_mutex_init(&n->lock, NULL);
    n->db = db;
    int rc = list_from_nets(&n->config, config);
    if (rc == 0 && db)
        rc = load_ui(db, &n->ui);
    struct nets *t = NULL;
    if (rc == 0)
        rc = build(&n->config, &n->ui, &t);
    if (rc == 0) {
        n->live = livenets_new(t);
        rc = n->live ? 0 : -ENOMEM;
    }
    if (rc < 0) {
        networks_free(n);
        return rc;
    }
    *out = n;
    return 0;
}

void networks_free(struct networks *n)
{
    if (!n)
        return;
    livenets_free(n->live);
    list_fini(&n->config);
    list_fini(&n->ui);
    pthread_mutex_destroy(&n->lock);
    free(n);
}

struct livenets *networks_live(struct networks *n)
{
    return n->live;
}

int networks_list(struct networks *n, networks_cb cb, void *arg)
{
    int rc = 0;
    pthread_mutex_lock(&n->lock);
    for (size_t i = 0; rc == 0 && i < n->config.n; i++)
        rc = cb(n->config.v[i].cidr, n->config.v[i].desc, NETWORKS_CONFIG, arg);
    for (size_t i = 0; rc == 0 && i < n->ui.n; i++)
        if (list_find(&n->config, n->ui.v[i].cidr) < 0)
            rc = cb(n->ui.v[i].cidr, n->ui.v[i].desc, NETWORKS_UI, arg);
    pthread_mutex_unlock(&n->lock);
    return rc;
}

static int add_locked(struct networks *n, const char *canon, const char *desc)
{
    if (list_find(&n->config, canon) >= 0 || list_find(&n->ui, canon) >= 0)
        return -EEXIST;
    if (n->ui.n >= NETWORKS_UI_MAX)
        return -ENOSPC;
    /* Room in memory first, so that once the row is written nothing but
     * the build can fail. */
    int rc = list_push(&n->ui, canon, desc);
    if (rc < 0)
        return rc;
    rc = n->db ? db_add(n->db, canon, desc) : 0;
    if (rc < 0) {
        list_remove(&n->ui, n->ui.n - 1);
        return rc;
    }
    rc = apply(n);
    if (rc < 0)
        log_msg(LOG_ERR, "networks: %s is stored but not applied (out of memory)", canon);
    return rc;
}

int networks_add(struct networks *n, const char *cidr, const char *desc, char *canon, size_t len)
{
    char c[NETS_CIDR_STRLEN];
    if (networks_canon(cidr, c, sizeof(c)) < 0)
        return -EINVAL;
    if (!networks_desc_ok(desc, strlen(desc)))
        return -EILSEQ;
    pthread_mutex_lock(&n->lock);
    int rc = add_locked(n, c, desc);
    pthread_mutex_unlock(&n->lock);
    if (rc == 0) {
        (void)snprintf(canon, len, "%s", c);
        log_msg(LOG_INFO, "networks: %s added in the dashboard", c);
    }
    return rc;
}

static int delete_locked(struct networks *n, const char *canon)
{
    if (list_find(&n->config, canon) >= 0)
        return -EPERM;
    long i = list_find(&n->ui, canon);
    if (i < 0)
        return -ENOENT;
    int rc = n->db ? db_delete(n->db, canon) : 0;
    if (rc < 0 && rc != -ENOENT)
        return rc;
    list_remove(&n->ui, (size_t)i);
    rc = apply(n);
    if (rc < 0)
        log_msg(LOG_ERR, "networks: %s is removed but still applied (out of memory)", canon);
    return rc;
}

int networks_delete(struct networks *n, const char *cidr)
{
    char c[NETS_CIDR_STRLEN];
    if (networks_canon(cidr, c, sizeof(c)) < 0)
        return -EINVAL;
    pthread_mutex_lock(&n->lock);
    int rc = delete_locked(n, c);
    pthread_mutex_unlock(&n->lock);
    if (rc == 0)
        log_msg(LOG_INFO, "networks: %s removed in the dashboard", c);
    return rc;
}

int networks_set_config(struct networks *n, const struct nets *config)
{
    struct net_list fresh = {0};
    int rc = list_from_nets(&fresh, config);
    if (rc < 0) {
        list_fini(&fresh);
        return rc;
    }
    pthread_mutex_lock(&n->lock);
    struct nets *t = NULL;
    rc = build(&fresh, &n->ui, &t);
    if (rc == 0)
        rc = livenets_publish(n->live, t);
    if (rc == 0) {
        list_fini(&n->config);
        n->config = fresh;
        fresh = (struct net_list){0}; /* n owns it now */
    }
    pthread_mutex_unlock(&n->lock);
    list_fini(&fresh);
    return rc;
}

int networks_union(const struct nets *config, struct appdb *db, struct nets **out)
{
    struct net_list c = {0};
    struct net_list ui = {0};
    int rc = list_from_nets(&c, config);
    if (rc == 0 && db)
        rc = load_ui(db, &ui);
    if (rc == 0)
        rc = build(&c, &ui, out);
    list_fini(&c);
    list_fini(&ui);
    return rc;
}
