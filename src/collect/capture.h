/* collect/capture.h: importing capture files of export traffic.
 *
 * A capture (pcap or pcapng, as tcpdump writes them) of UDP datagrams sent
 * by exporters is fed through the same ingest path as live traffic, the
 * capture time of each packet standing for its arrival time and the IP
 * source for the exporter's address. The destination port does not matter:
 * NetFlow/IPFIX and sFlow are told apart by content. */
#ifndef OF_COLLECT_CAPTURE_H
#define OF_COLLECT_CAPTURE_H

#include <stdint.h>

#include "collect/ingest.h"
#include "decode/dec_status.h"
#include "store/store.h"
#include "util/compiler.h"

struct capture_stats {
    uint64_t frames;              /* packets read from the files */
    uint64_t datagrams;           /* UDP datagrams handed to the decoders */
    uint64_t skipped[DEC__COUNT]; /* frames that held no datagram, by reason */
};

/* Imports one file into `in`, writing to `st` whenever the agg fills (the
 * caller writes what is left at the end). 0, or -EIO with err written when
 * the file can't be opened or read. */
OF_MUST_CHECK int capture_import(const char *path, struct ingest *in, struct store *st,
                                 struct capture_stats *cs, char *err, size_t errlen);

#endif
