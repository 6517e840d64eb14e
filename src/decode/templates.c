/* decode/templates.c: the template cache.
 *
 * One open-addressing table (linear probing, backward-shift deletion, so no
 * tombstones pile up under template churn) holds three kinds of entries
 * under one key form (exporter address, domain, id):
 *   - templates, under their own id (>= 256);
 *   - per-domain state (the IPFIX init time), under id TPL_ID_DOMAIN;
 *   - per-exporter entry counts, under domain 0 and id TPL_ID_EXPORTER.
 * Ids below 256 are never template ids (RFC 7011 3.4.1, RFC 3954 5.2), so
 * the three never collide. Data sets look a template up once per set, not
 * per record, so the keyed hash costs little.
 *
 * A template keeps its wire definition next to its compiled program: an
 * exporter re-sends every template periodically, and comparing the
 * definitions tells a refresh (nothing to do) from a redefinition (recompile,
 * counted as DEC_TPL_CHANGED). */
#include "decode/templates.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define TPL_ID_DOMAIN   0u
#define TPL_ID_EXPORTER 1u
#define TPL_KEY_LEN     23u /* af, 16 address bytes, domain, id */
#define TPL_KEY_SCOPE   21u /* the key bytes naming (exporter, domain) */
#define TPL_MIN_SLOTS   64u

struct tpl_key {
    uint8_t b[TPL_KEY_LEN];
};

struct tpl {
    struct ff_prog prog;
    struct ff_op *ops;
    struct ff_field *fields;
    size_t nfields;
    size_t nscope;
    enum ff_family family;
};

struct tpl_slot {
    bool used;
    struct tpl_key key;
    uint64_t hash;
    struct tpl *tpl; /* templates only */
    uint64_t value;  /* domain: init time in UNIX ms; exporter: entries it holds */
};

struct tpl_cache {
    struct hash_key hkey;
    size_t max_per_exporter;
    size_t slots; /* power of two */
    size_t used;  /* slots in use, of any kind */
    size_t entries;
    size_t templates;
    struct tpl_slot *tab;
    uint64_t lookups;
    uint64_t hits;
    uint64_t refused;
};

static void tpl_key_make(struct tpl_key *k, const struct of_addr *addr, uint32_t domain,
                         uint16_t id)
{
    k->b[0] = addr->af;
    memcpy(&k->b[1], addr->b, 16);
    k->b[17] = (uint8_t)(domain >> 24);
    k->b[18] = (uint8_t)(domain >> 16);
    k->b[19] = (uint8_t)(domain >> 8);
    k->b[20] = (uint8_t)domain;
    k->b[21] = (uint8_t)(id >> 8);
    k->b[22] = (uint8_t)id;
}

static uint16_t tpl_key_id(const struct tpl_key *k)
{
    return (uint16_t)((uint16_t)k->b[21] << 8 | k->b[22]);
}

static void tpl_free(struct tpl *t)
{
    if (!t)
        return;
    free(t->ops);
    free(t->fields);
    free(t);
}

static struct tpl *tpl_new(const struct tpl_def *d)
{
    struct tpl *t = calloc(1, sizeof(*t));
    if (!t)
        goto fail;
    t->ops = calloc(d->nfields + 1, sizeof(*t->ops));
    t->fields = calloc(d->nfields, sizeof(*t->fields));
    if (!t->ops || !t->fields)
        goto fail;
    memcpy(t->fields, d->fields, d->nfields * sizeof(*t->fields));
    t->nfields = d->nfields;
    t->nscope = d->nscope;
    t->family = d->family;
    ff_compile(d->fields, d->nfields, d->nscope, d->family, t->ops, &t->prog);
    t->prog.options = d->options;
    return t;
fail:
    tpl_free(t);
    return NULL;
}

static bool tpl_same(const struct tpl *t, const struct tpl_def *d)
{
    if (t->prog.options != d->options || t->family != d->family || t->nfields != d->nfields ||
        t->nscope != d->nscope)
        return false;
    for (size_t i = 0; i < d->nfields; i++) {
        const struct ff_field *a = &t->fields[i], *b = &d->fields[i];
        if (a->ie != b->ie || a->len != b->len || a->pen != b->pen)
            return false;
    }
    return true;
}

/* RFC 7011 3.4.1 / 3.4.2.2 and RFC 3954 5.2: what a template record must
 * satisfy before we keep it. */
static enum dec_status tpl_check_def(const struct tpl_def *d)
{
    if (d->id < TPL_MIN_ID)
        return DEC_TPL_BAD_ID;
    if (d->nfields == 0 || d->nfields > TPL_MAX_FIELDS || d->nscope > d->nfields)
        return DEC_TPL_FIELD_COUNT;
    for (size_t i = 0; i < d->nfields; i++)
        if (d->fields[i].len == 0)
            return DEC_TPL_BAD_FIELD;
    return DEC_OK;
}

struct tpl_cache *tpl_cache_new(size_t max_per_exporter, const struct hash_key *key)
{
    struct tpl_cache *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->hkey = *key;
    c->max_per_exporter = max_per_exporter ? max_per_exporter : TPL_MAX_PER_EXPORTER;
    c->slots = TPL_MIN_SLOTS;
    c->tab = calloc(c->slots, sizeof(*c->tab));
    if (!c->tab) {
        free(c);
        return NULL;
    }
    return c;
}

void tpl_cache_clear(struct tpl_cache *c)
{
    for (size_t i = 0; i < c->slots; i++) {
        tpl_free(c->tab[i].tpl);
        memset(&c->tab[i], 0, sizeof(c->tab[i]));
    }
    c->used = c->entries = c->templates = 0;
}

void tpl_cache_free(struct tpl_cache *c)
{
    if (!c)
        return;
    tpl_cache_clear(c);
    free(c->tab);
    free(c);
}

void tpl_cache_stats(const struct tpl_cache *c, struct tpl_stats *out)
{
    out->lookups = c->lookups;
    out->hits = c->hits;
    out->templates = c->templates;
    out->entries = c->entries;
    out->refused = c->refused;
}

/* The slot holding k, or the empty slot where it would go. */
static size_t tpl_probe(const struct tpl_cache *c, const struct tpl_key *k, uint64_t hash)
{
    size_t mask = c->slots - 1;
    for (size_t i = (size_t)hash & mask;; i = (i + 1) & mask) {
        const struct tpl_slot *s = &c->tab[i];
        if (!s->used || (s->hash == hash && memcmp(s->key.b, k->b, TPL_KEY_LEN) == 0))
            return i;
    }
}

static struct tpl_slot *tpl_find(const struct tpl_cache *c, const struct tpl_key *k)
{
    uint64_t hash = hash_siphash13(&c->hkey, k->b, TPL_KEY_LEN);
    struct tpl_slot *s = &c->tab[tpl_probe(c, k, hash)];
    return s->used ? s : NULL;
}

/* Keeps the load at or below one half. -ENOMEM leaves the table as it was. */
static int tpl_reserve(struct tpl_cache *c)
{
    if ((c->used + 1) * 2 <= c->slots)
        return 0;
    size_t nslots = c->slots * 2;
    struct tpl_slot *tab = calloc(nslots, sizeof(*tab));
    if (!tab)
        return -ENOMEM;
    struct tpl_slot *old = c->tab;
    size_t oslots = c->slots;
    c->tab = tab;
    c->slots = nslots;
    for (size_t i = 0; i < oslots; i++)
        if (old[i].used)
            c->tab[tpl_probe(c, &old[i].key, old[i].hash)] = old[i];
    free(old);
    return 0;
}

/* Inserts k (which must be absent); the new slot is zeroed but for the key. */
static struct tpl_slot *tpl_insert(struct tpl_cache *c, const struct tpl_key *k)
{
    if (tpl_reserve(c) < 0)
        return NULL;
    uint64_t hash = hash_siphash13(&c->hkey, k->b, TPL_KEY_LEN);
    struct tpl_slot *s = &c->tab[tpl_probe(c, k, hash)];
    assert(!s->used);
    memset(s, 0, sizeof(*s));
    s->used = true;
    s->key = *k;
    s->hash = hash;
    c->used++;
    return s;
}

/* Empties slot i and moves later members of its probe run back, so that
 * every entry stays reachable from its home slot without tombstones. */
static void tpl_remove_at(struct tpl_cache *c, size_t i)
{
    size_t mask = c->slots - 1;
    tpl_free(c->tab[i].tpl);
    c->used--;
    for (size_t j = (i + 1) & mask;; j = (j + 1) & mask) {
        struct tpl_slot *s = &c->tab[j];
        if (!s->used)
            break;
        size_t home = (size_t)s->hash & mask;
        /* s may fill the hole at i unless its home lies cyclically in (i, j]. */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (stays)
            continue;
        c->tab[i] = *s;
        i = j;
    }
    memset(&c->tab[i], 0, sizeof(c->tab[i]));
}

/* Entries the exporter holds now. */
static uint64_t tpl_owned(const struct tpl_cache *c, const struct of_addr *addr)
{
    struct tpl_key k;
    tpl_key_make(&k, addr, 0, TPL_ID_EXPORTER);
    const struct tpl_slot *s = tpl_find(c, &k);
    return s ? s->value : 0;
}

/* Adds one entry to the exporter's count; the entry itself is already in. */
static int tpl_charge(struct tpl_cache *c, const struct of_addr *addr)
{
    struct tpl_key k;
    tpl_key_make(&k, addr, 0, TPL_ID_EXPORTER);
    struct tpl_slot *s = tpl_find(c, &k);
    if (!s)
        s = tpl_insert(c, &k);
    if (!s)
        return -ENOMEM;
    s->value++;
    c->entries++;
    return 0;
}

static void tpl_uncharge(struct tpl_cache *c, const struct of_addr *addr)
{
    struct tpl_key k;
    tpl_key_make(&k, addr, 0, TPL_ID_EXPORTER);
    struct tpl_slot *s = tpl_find(c, &k);
    assert(s && s->value > 0 && c->entries > 0);
    c->entries--;
    if (--s->value == 0)
        tpl_remove_at(c, (size_t)(s - c->tab));
}

static bool tpl_has_room(struct tpl_cache *c, const struct of_addr *addr)
{
    if (c->entries < TPL_MAX_TOTAL && tpl_owned(c, addr) < c->max_per_exporter)
        return true;
    c->refused++;
    return false;
}

/* Inserts a new entry under k and charges it to its exporter, which must
 * have room (tpl_has_room). */
static struct tpl_slot *tpl_add_entry(struct tpl_cache *c, const struct of_addr *addr,
                                      const struct tpl_key *k)
{
    if (!tpl_insert(c, k))
        return NULL;
    if (tpl_charge(c, addr) < 0) {
        tpl_remove_at(c, (size_t)(tpl_find(c, k) - c->tab));
        return NULL;
    }
    /* Charging may have grown the table: look the entry up again. */
    return tpl_find(c, k);
}

static enum dec_status tpl_replace(struct tpl_slot *s, const struct tpl_def *d)
{
    if (tpl_same(s->tpl, d))
        return DEC_OK;
    struct tpl *t = tpl_new(d);
    if (!t)
        return DEC_TPL_LIMIT;
    tpl_free(s->tpl);
    s->tpl = t;
    return DEC_TPL_CHANGED;
}

enum dec_status tpl_put(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain,
                        const struct tpl_def *d)
{
    enum dec_status st = tpl_check_def(d);
    if (st != DEC_OK)
        return st;
    struct tpl_key k;
    tpl_key_make(&k, addr, domain, d->id);
    struct tpl_slot *s = tpl_find(c, &k);
    if (s)
        return tpl_replace(s, d);
    if (!tpl_has_room(c, addr))
        return DEC_TPL_LIMIT;
    st = DEC_TPL_LIMIT;
    struct tpl *t = tpl_new(d);
    if (!t)
        goto out;
    s = tpl_add_entry(c, addr, &k);
    if (!s)
        goto out;
    s->tpl = t;
    t = NULL; /* the cache owns it now */
    c->templates++;
    st = DEC_OK;
out:
    tpl_free(t);
    return st;
}

static void tpl_drop(struct tpl_cache *c, size_t i, const struct of_addr *addr)
{
    if (c->tab[i].tpl)
        c->templates--;
    tpl_remove_at(c, i);
    tpl_uncharge(c, addr);
}

void tpl_withdraw(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain, uint16_t id)
{
    if (id < TPL_MIN_ID)
        return;
    struct tpl_key k;
    tpl_key_make(&k, addr, domain, id);
    struct tpl_slot *s = tpl_find(c, &k);
    if (s)
        tpl_drop(c, (size_t)(s - c->tab), addr);
}

static bool tpl_withdraw_match(const struct tpl_slot *s, const struct tpl_key *scope, bool options)
{
    return s->used && s->tpl && s->tpl->prog.options == options &&
           memcmp(s->key.b, scope->b, TPL_KEY_SCOPE) == 0 && tpl_key_id(&s->key) >= TPL_MIN_ID;
}

void tpl_withdraw_all(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain,
                      bool options)
{
    struct tpl_key scope;
    tpl_key_make(&scope, addr, domain, 0);
    size_t dropped = 0;
    /* A removal only moves entries from later in a probe run into the hole,
     * so re-checking slot i after each removal visits every entry. The
     * exporter's count is settled afterwards, because removing its entry
     * mid-sweep could move an unvisited template behind i. */
    for (size_t i = 0; i < c->slots; i++) {
        while (tpl_withdraw_match(&c->tab[i], &scope, options)) {
            tpl_remove_at(c, i);
            dropped++;
        }
    }
    c->templates -= dropped;
    for (; dropped > 0; dropped--)
        tpl_uncharge(c, addr);
}

const struct ff_prog *tpl_get(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain,
                              uint16_t id)
{
    c->lookups++;
    if (id < TPL_MIN_ID)
        return NULL;
    struct tpl_key k;
    tpl_key_make(&k, addr, domain, id);
    const struct tpl_slot *s = tpl_find(c, &k);
    if (!s)
        return NULL;
    c->hits++;
    return &s->tpl->prog;
}

uint64_t tpl_sys_init_ms(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain)
{
    struct tpl_key k;
    tpl_key_make(&k, addr, domain, TPL_ID_DOMAIN);
    const struct tpl_slot *s = tpl_find(c, &k);
    return s ? s->value : 0;
}

enum dec_status tpl_set_sys_init_ms(struct tpl_cache *c, const struct of_addr *addr,
                                    uint32_t domain, uint64_t ms)
{
    struct tpl_key k;
    tpl_key_make(&k, addr, domain, TPL_ID_DOMAIN);
    struct tpl_slot *s = tpl_find(c, &k);
    if (!s && tpl_has_room(c, addr))
        s = tpl_add_entry(c, addr, &k);
    if (!s)
        return DEC_TPL_LIMIT;
    s->value = ms;
    return DEC_OK;
}
