/* decode/templates.h: the NetFlow v9 / IPFIX template cache.
 *
 * Templates are kept per exporter address, source id / observation domain
 * and template id, already compiled (flowfields.h), so that decoding a data
 * record is a loop over a few field ops. The cache also keeps, per exporter
 * and domain, the IPFIX systemInitTimeMilliseconds learned from options
 * records. Every entry an exporter causes counts against its own budget
 * (max_per_exporter), and the whole cache against TPL_MAX_TOTAL, so no
 * sender can make it grow without bound. One cache per worker; not
 * thread-safe. */
#ifndef OF_DECODE_TEMPLATES_H
#define OF_DECODE_TEMPLATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/dec_status.h"
#include "decode/flowfields.h"
#include "util/addr.h"
#include "util/hash.h"

#define TPL_MAX_PER_EXPORTER 256    /* default entries per exporter */
#define TPL_MAX_FIELDS       256    /* fields per template */
#define TPL_MAX_TOTAL        65536u /* entries in the whole cache */
#define TPL_MIN_ID           256    /* ids below are set ids (RFC 7011 3.4.1) */

struct tpl_cache;

/* A template definition as read from a template record. */
struct tpl_def {
    uint16_t id;
    bool options;
    enum ff_family family;
    size_t nfields;
    size_t nscope; /* the first nscope fields are scope fields (options only) */
    struct ff_field fields[TPL_MAX_FIELDS];
};

struct tpl_stats {
    uint64_t lookups;   /* data set template lookups */
    uint64_t hits;      /* ... that found their template */
    uint64_t templates; /* templates held now */
    uint64_t entries;   /* templates and per-domain states held now */
    uint64_t refused;   /* entries refused by a cap */
};

/* NULL on allocation failure. max_per_exporter 0 means TPL_MAX_PER_EXPORTER;
 * key keys the hash of exporter addresses and ids. */
struct tpl_cache *tpl_cache_new(size_t max_per_exporter, const struct hash_key *key);
void tpl_cache_free(struct tpl_cache *c); /* accepts NULL */

/* Forgets every template and state, keeping the memory (tests, fuzzing). */
void tpl_cache_clear(struct tpl_cache *c);

void tpl_cache_stats(const struct tpl_cache *c, struct tpl_stats *out);

/* Defines or refreshes template d->id of (addr, domain). Returns DEC_OK for a
 * new template or an identical refresh, DEC_TPL_CHANGED when it replaced a
 * different definition (done; the caller counts it), or the reason it was
 * refused: DEC_TPL_BAD_ID, DEC_TPL_FIELD_COUNT, DEC_TPL_BAD_FIELD,
 * DEC_TPL_LIMIT (budget full or out of memory). */
enum dec_status tpl_put(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain,
                        const struct tpl_def *d);

/* Withdraws template id of (addr, domain); unknown ids are ignored. */
void tpl_withdraw(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain, uint16_t id);

/* Withdraws every (options) template of (addr, domain). */
void tpl_withdraw_all(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain,
                      bool options);

/* The compiled template, or NULL when unknown. Valid until the next call that
 * changes the cache. */
const struct ff_prog *tpl_get(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain,
                              uint16_t id);

/* systemInitTimeMilliseconds of (addr, domain) in UNIX ms, 0 when not known. */
uint64_t tpl_sys_init_ms(struct tpl_cache *c, const struct of_addr *addr, uint32_t domain);

/* Remembers it. DEC_OK, or DEC_TPL_LIMIT when the budget is full. */
enum dec_status tpl_set_sys_init_ms(struct tpl_cache *c, const struct of_addr *addr,
                                    uint32_t domain, uint64_t ms);

#endif
