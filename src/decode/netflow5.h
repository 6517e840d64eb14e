/* decode/netflow5.h: NetFlow version 5 datagrams. */
#ifndef OF_DECODE_NETFLOW5_H
#define OF_DECODE_NETFLOW5_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decoder.h"

#define NF5_HEADER_LEN  24
#define NF5_RECORD_LEN  48
#define NF5_MAX_RECORDS 30 /* Cisco's limit; a larger count is a lie */

/* Decodes one NetFlow v5 datagram into ctx->out. All records or none. */
enum dec_status netflow5_decode(struct dec_ctx *ctx, const uint8_t *pkt, size_t len);

#endif
