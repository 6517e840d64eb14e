/* fuzz/fuzz_pkthdr.c: the sampled-packet-header parser on arbitrary bytes.
 * The first byte picks the entry point (Ethernet, raw IPv4, raw IPv6, or an
 * EtherType taken from the next two bytes); the rest is the packet. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/pkthdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Release builds define NDEBUG, and the invariants must hold there too. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond))                                                                               \
            abort();                                                                               \
    } while (0)

static enum dec_status fuzz_parse(const uint8_t *data, size_t size, const uint8_t **pkt,
                                  size_t *len, struct pkthdr *h)
{
    static const uint32_t protos[] = {PKTHDR_PROTO_ETHERNET, PKTHDR_PROTO_IPV4, PKTHDR_PROTO_IPV6};
    unsigned mode = data[0] & 3u;
    *pkt = data + 1;
    *len = size - 1;
    if (mode < 3)
        return pkthdr_parse(*pkt, *len, protos[mode], h);
    if (*len < 2)
        return pkthdr_parse_ip(*pkt, *len, 0, h);
    uint16_t type = (uint16_t)((uint16_t)(*pkt)[0] << 8 | (*pkt)[1]);
    *pkt += 2;
    *len -= 2;
    return pkthdr_parse_ethertype(*pkt, *len, type, h);
}

static void fuzz_check_ok(const struct pkthdr *h, const uint8_t *pkt, size_t len)
{
    FUZZ_CHECK(h->src.af == ADDR_V4 || h->src.af == ADDR_V6);
    FUZZ_CHECK(h->dst.af == h->src.af);
    FUZZ_CHECK(h->ip_len >= (h->src.af == ADDR_V4 ? 20u : 40u));
    if (h->later_fragment)
        FUZZ_CHECK(h->fragment && h->sport == 0 && h->dport == 0 && !h->payload);
    if (h->payload) {
        FUZZ_CHECK(h->proto == 17);
        FUZZ_CHECK(h->payload >= pkt && h->payload_len <= len);
        FUZZ_CHECK((size_t)(h->payload - pkt) <= len - h->payload_len);
        FUZZ_CHECK(h->payload_len + 8u <= h->ip_len);
    } else {
        FUZZ_CHECK(h->payload_len == 0 && !h->payload_cut);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct pkthdr h, untouched;
    memset(&h, 0x5a, sizeof(h));
    memcpy(&untouched, &h, sizeof(h)); /* padding too: assignment need not copy it */
    const uint8_t *pkt;
    size_t len;
    enum dec_status st = fuzz_parse(data, size, &pkt, &len, &h);
    if (st == DEC_OK) {
        fuzz_check_ok(&h, pkt, len);
    } else {
        /* Not a byte written, padding included: comparing bytes is the point.
         * NOLINTNEXTLINE(bugprone-suspicious-memory-comparison) */
        FUZZ_CHECK(memcmp(&h, &untouched, sizeof(h)) == 0);
    }
    FUZZ_CHECK(st == DEC_OK || st == DEC_NOT_IP || st == DEC_HEADER_TRUNCATED ||
               st == DEC_TOO_MANY_TAGS || st == DEC_BAD_HEADER_PROTO);
    return 0;
}
