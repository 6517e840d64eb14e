/* collect/capture.h: reading the export datagrams out of capture files.
 *
 * A capture (pcap or pcapng, as tcpdump writes them) of UDP datagrams sent
 * by exporters is a way datagrams come in, like a socket: each one is
 * handed to a callback with the capture time of its packet standing for
 * its arrival time and the IP source for the exporter's address, so the
 * caller can feed it through the same ingest path as live traffic. The
 * destination port does not matter: NetFlow/IPFIX and sFlow are told apart
 * by content. */
#ifndef OF_COLLECT_CAPTURE_H
#define OF_COLLECT_CAPTURE_H

#include <stdint.h>

#include "decode/dec_status.h"
#include "util/addr.h"
#include "util/compiler.h"

struct capture_stats {
    uint64_t frames;              /* packets read from the files */
    uint64_t datagrams;           /* UDP datagrams handed to the decoders */
    uint64_t skipped[DEC__COUNT]; /* frames that held no datagram, by reason */
};

/* Called once per datagram, in file order; a negative return stops the
 * read and is returned by capture_read. */
typedef int (*capture_fn)(void *arg, const struct of_addr *from, const uint8_t *p, size_t len,
                          uint64_t arrival_ms);

/* Hands every UDP datagram of one file to fn. 0, -EIO with err written
 * when the file can't be opened or read, or fn's negative return (err
 * untouched). */
OF_MUST_CHECK int capture_read(const char *path, capture_fn fn, void *arg, struct capture_stats *cs,
                               char *err, size_t errlen);

#endif
