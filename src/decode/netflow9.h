/* decode/netflow9.h: NetFlow version 9 datagrams (RFC 3954). */
#ifndef OF_DECODE_NETFLOW9_H
#define OF_DECODE_NETFLOW9_H

#include <stddef.h>
#include <stdint.h>

#include "decode/decoder.h"

#define NF9_VERSION         9
#define NF9_HEADER_LEN      20
#define NF9_SET_TEMPLATE    0
#define NF9_SET_OPTIONS_TPL 1

/* Decodes one NetFlow v9 datagram into ctx->out, learning templates and
 * options into ctx->tpls and ctx->exp. Returns DEC_OK, or DEC_SHORT_HEADER
 * or DEC_BAD_VERSION when the whole datagram is refused (nothing appended or
 * learned). The header's record count is not trusted (exporters disagree on
 * what it counts); the datagram length bounds the walk. A bad set is counted
 * in ctx->exp by its reason and contributes nothing; the sets around it are
 * still decoded (a set whose length runs past the datagram ends the walk).
 * ctx->tpls must not be NULL. */
enum dec_status netflow9_decode(struct dec_ctx *ctx, const uint8_t *pkt, size_t len);

#endif
