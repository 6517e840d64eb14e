/* decode/sflow.h: sFlow version 5 datagrams (sflow.org, sflow_version_5.txt). */
#ifndef OF_DECODE_SFLOW_H
#define OF_DECODE_SFLOW_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decoder.h"

/* Samples per datagram and flow records per flow sample we take. Real agents
 * send a few dozen samples per datagram and a handful of records per sample;
 * a larger count is a lie. */
#define SFLOW_MAX_SAMPLES 1024
#define SFLOW_MAX_RECORDS 64

/* Decodes one sFlow v5 datagram into ctx->out: one flow record per accepted
 * flow sample (plain or expanded), bytes = the sampled packet's IP length,
 * packets = 1, sampling = the sample's rate, no flow times (start_ms =
 * end_ms = 0: the accounting uses the arrival time). The rate travels in
 * every record, so none is remembered per source; the exporter keeps only
 * the latest one, for its status. An expanded sample's source id is folded
 * into the compact form (type << 24 | index).
 *
 * Counter samples and formats or enterprises we don't read are skipped by
 * their length. A flow sample that cannot be used (zero rate, no IP packet,
 * bad records) is counted with dec_count() and contributes nothing; the walk
 * goes on.
 *
 * Returns DEC_OK, or why the datagram is counted as bad:
 * - DEC_SHORT_HEADER, DEC_BAD_VERSION, DEC_BAD_ADDRESS_TYPE, or
 *   DEC_SAMPLE_COUNT for a count above SFLOW_MAX_SAMPLES: nothing decoded;
 * - DEC_TOO_MANY_RECORDS: ctx->out is full; nothing of this datagram kept;
 * - DEC_SAMPLE_COUNT when the datagram ends before its sample count does, or
 *   goes on after it; DEC_SAMPLE_TRUNCATED when a sample runs past the end.
 *   sFlow has no datagram length to check first, so the samples that are
 *   wholly inside the datagram are kept in these two cases. */
enum dec_status sflow_decode(struct dec_ctx *ctx, const uint8_t *pkt, size_t len);

#endif
