/* collect/capture.c: reading capture files with libpcap.
 *
 * libpcap reads the file formats; we read the link layer, IP and UDP of each
 * frame with the same bounds-checked parser that reads sFlow's sampled
 * headers. Frames that hold no whole UDP datagram (other protocols, later IP
 * fragments, datagrams cut by the snap length) are counted by reason and
 * skipped, never guessed at. */
#include "collect/capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "decode/cursor.h"
#include "decode/pkthdr.h"

/* Link types (pcap-linktype(7)); the values are the file format's, fixed. */
#define LT_NULL       0
#define LT_EN10MB     1
#define LT_RAW        12
#define LT_RAW_ALT    101
#define LT_LOOP       108
#define LT_LINUX_SLL  113
#define LT_IPV4       228
#define LT_IPV6       229
#define LT_LINUX_SLL2 276

/* BSD loopback (DLT_NULL/LOOP): a 4-byte address family, in the byte order
 * of the capturing host for NULL and network order for LOOP. The IPv6 value
 * differs between the BSDs, so the IP version nibble decides instead. */
static enum dec_status frame_null(const uint8_t *p, size_t len, struct pkthdr *h)
{
    if (len < 4)
        return DEC_HEADER_TRUNCATED;
    return pkthdr_parse_ip(p + 4, len - 4, 0, h);
}

/* Linux cooked capture v1: 16 bytes, the protocol type in the last two. */
static enum dec_status frame_sll(const uint8_t *p, size_t len, struct pkthdr *h)
{
    struct rd r = rd_init(p, len);
    rd_skip(&r, 14);
    uint16_t ethertype = rd_u16(&r);
    if (r.bad)
        return DEC_HEADER_TRUNCATED;
    return pkthdr_parse_ethertype(r.p, r.left, ethertype, h);
}

/* Linux cooked capture v2: 20 bytes, the protocol type first. */
static enum dec_status frame_sll2(const uint8_t *p, size_t len, struct pkthdr *h)
{
    struct rd r = rd_init(p, len);
    uint16_t ethertype = rd_u16(&r);
    rd_skip(&r, 18);
    if (r.bad)
        return DEC_HEADER_TRUNCATED;
    return pkthdr_parse_ethertype(r.p, r.left, ethertype, h);
}

static enum dec_status frame_parse(int linktype, const uint8_t *p, size_t len, struct pkthdr *h)
{
    switch (linktype) {
    case LT_EN10MB:
        return pkthdr_parse(p, len, PKTHDR_PROTO_ETHERNET, h);
    case LT_RAW:
    case LT_RAW_ALT:
        return pkthdr_parse_ip(p, len, 0, h);
    case LT_IPV4:
        return pkthdr_parse_ip(p, len, 4, h);
    case LT_IPV6:
        return pkthdr_parse_ip(p, len, 6, h);
    case LT_NULL:
    case LT_LOOP:
        return frame_null(p, len, h);
    case LT_LINUX_SLL:
        return frame_sll(p, len, h);
    case LT_LINUX_SLL2:
        return frame_sll2(p, len, h);
    default:
        return DEC_BAD_LINKTYPE;
    }
}

/* The UDP datagram a frame carries, or why there is none. */
static enum dec_status frame_datagram(int linktype, const uint8_t *p, size_t len, struct pkthdr *h)
{
    enum dec_status st = frame_parse(linktype, p, len, h);
    if (st != DEC_OK)
        return st;
    if (h->later_fragment)
        return DEC_NOT_FIRST_FRAGMENT;
    if (h->proto != 17 || !h->payload)
        return DEC_NOT_UDP;
    if (h->payload_cut || h->fragment)
        return DEC_HEADER_TRUNCATED; /* the datagram is not all here */
    return DEC_OK;
}

static uint64_t frame_ms(const struct pcap_pkthdr *ph)
{
    return (uint64_t)ph->ts.tv_sec * 1000u + (uint64_t)ph->ts.tv_usec / 1000u;
}

int capture_read(const char *path, capture_fn fn, void *arg, struct capture_stats *cs, char *err,
                 size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_open_offline(path, perr);
    if (!pc) {
        (void)snprintf(err, errlen, "%s: %s", path, perr);
        return -EIO;
    }
    int linktype = pcap_datalink(pc);
    int rc = 0;
    struct pcap_pkthdr *ph;
    const uint8_t *data;
    int got;
    while (rc == 0 && (got = pcap_next_ex(pc, &ph, &data)) == 1) {
        cs->frames++;
        struct pkthdr h;
        enum dec_status s = frame_datagram(linktype, data, ph->caplen, &h);
        if (s != DEC_OK) {
            cs->skipped[s]++;
            continue;
        }
        cs->datagrams++;
        rc = fn(arg, &h.src, h.payload, h.payload_len, frame_ms(ph));
    }
    if (got == -1 && rc == 0) {
        (void)snprintf(err, errlen, "%s: %s", path, pcap_geterr(pc));
        rc = -EIO;
    }
    pcap_close(pc);
    return rc;
}
