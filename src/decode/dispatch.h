/* decode/dispatch.h: one datagram of any protocol we speak. */
#ifndef OF_DECODE_DISPATCH_H
#define OF_DECODE_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decoder.h"

/* Tells the protocol from the first bytes: a 16-bit version 5, 9 or 10 is
 * NetFlow v5, v9 or IPFIX; a 32-bit version 5 is sFlow v5 (whose first 16
 * bits are 0, so the two never collide). DEC_OK with *proto set, or why it
 * is none of them: DEC_SHORT_HEADER under 4 bytes, else DEC_BAD_VERSION. */
enum dec_status dispatch_detect(const uint8_t *p, size_t len, enum flow_proto *proto);

/* Decodes one datagram into ctx->out and updates the exporter's counters:
 * packets, bytes and records per protocol, and the reject reason when the
 * datagram is refused. Returns the decoder's status. */
enum dec_status dispatch_datagram(struct dec_ctx *ctx, const uint8_t *p, size_t len);

#endif
