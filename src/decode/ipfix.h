/* decode/ipfix.h: IPFIX messages (RFC 7011), with RFC 5103 biflows. */
#ifndef OF_DECODE_IPFIX_H
#define OF_DECODE_IPFIX_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decoder.h"

#define IPFIX_VERSION         10
#define IPFIX_HEADER_LEN      16
#define IPFIX_SET_TEMPLATE    2
#define IPFIX_SET_OPTIONS_TPL 3

/* Decodes one IPFIX message into ctx->out, learning templates and options
 * into ctx->tpls and ctx->exp. Returns DEC_OK, or DEC_SHORT_HEADER,
 * DEC_BAD_VERSION or DEC_BAD_LENGTH (message length below the header or past
 * the datagram) when the whole datagram is refused; then nothing was
 * appended or learned. Bytes past the message length are ignored. A bad set
 * is counted in ctx->exp by its reason and contributes nothing; the sets
 * around it are still decoded (a set whose length runs past the message
 * ends the walk). ctx->tpls must not be NULL. */
enum dec_status ipfix_decode(struct dec_ctx *ctx, const uint8_t *pkt, size_t len);

#endif
