/* fuzz/fuzz_ingest.c: the whole path a datagram takes, across datagrams.
 *
 * The input is a sequence of datagrams, each prefixed by a 2-byte length
 * and a 1-byte exporter number, fed through ingest_datagram: protocol
 * detection, exporter state, v9/IPFIX templates learned in one datagram
 * and used in the next, sampling options, and the accounting into bins.
 * Template and sampler state that survives between datagrams is where
 * decoders of a single datagram cannot reach. The state is rebuilt for each
 * input so that runs are reproducible. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/ingest.h"
#include "decode/cursor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

#define FUZZ_EXPORTERS 3

static struct of_config *fuzz_config(void)
{
    static struct of_config cfg;
    static int ready;
    char err[CONFIG_MAX_ERROR];
    if (ready)
        return &cfg;
    if (config_init(&cfg) < 0 || config_add_network(&cfg, "10.0.0.0/8", true, err, 256) < 0 ||
        config_add_network(&cfg, "2001:db8::/32", false, err, 256) < 0 || config_finish(&cfg) < 0)
        abort();
    cfg.agg.max_entries = 4096;
    cfg.max_exporters = FUZZ_EXPORTERS;
    cfg.max_templates = 16;
    ready = 1;
    return &cfg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct hash_key key;
    hash_key_from_seed(&key, 1);
    struct ingest *in = ingest_new(fuzz_config(), NULL, &key);
    FUZZ_CHECK(in != NULL);
    struct rd r = rd_init(data, size);
    ingest_lock(in);
    while (!r.bad && r.left > 0) {
        uint16_t len = rd_u16(&r);
        uint8_t who = rd_u8(&r);
        struct rd dg = rd_sub(&r, len);
        if (r.bad)
            break;
        uint8_t a[4] = {192, 0, 2, (uint8_t)(who % (FUZZ_EXPORTERS + 1))};
        struct of_addr from;
        addr_from_v4(&from, a);
        ingest_datagram(in, &from, dg.p, dg.left, 1715680800000ull + who * 1000u);
    }
    struct agg *agg = ingest_agg(in);
    FUZZ_CHECK(agg_count(agg) <= 4096);
    struct bin_batch b;
    FUZZ_CHECK(agg_rows(agg, &b) == 0);
    for (size_t i = 0; i < b.n; i++) {
        FUZZ_CHECK(b.rows[i].ts % BIN_SECONDS == 0);
        FUZZ_CHECK(b.rows[i].dir == DIR_R || b.rows[i].dir == DIR_S);
        /* a byte counts in total and in at most two other classes */
        uint64_t others = 0;
        for (size_t c = 1; c < CLASS__COUNT; c++)
            others += b.rows[i].bytes[c] / 2;
        FUZZ_CHECK(others <= b.rows[i].bytes[CLASS_TOTAL]);
    }
    FUZZ_CHECK(exporter_tab_count(ingest_exporters(in)) <= FUZZ_EXPORTERS);
    ingest_unlock(in);
    ingest_free(in);
    return 0;
}
