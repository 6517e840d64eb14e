/* decode/decoder.h: the context every protocol decoder works in.
 *
 * A decoder reads one datagram from one exporter and appends flow records to
 * ctx->out. It returns DEC_OK or the reason it rejected the whole datagram
 * (the caller counts that one). Rejects of a part it can skip (one set, one
 * sample) are counted by the decoder itself with dec_count() and the walk
 * goes on; whatever a rejected part had appended is rolled back, so it
 * contributes nothing. Records are counted by the caller from the growth of
 * ctx->out. */
#ifndef OF_DECODE_DECODER_H
#define OF_DECODE_DECODER_H

#include <stddef.h>
#include <stdint.h>

#include "decode/cursor.h"
#include "decode/dec_status.h"
#include "decode/exporter.h"
#include "decode/flow.h"

struct tpl_cache;

struct dec_ctx {
    struct exporter *exp;   /* the sender's state and counters; never NULL */
    struct tpl_cache *tpls; /* v9/IPFIX templates (per worker) */
    struct flow_batch *out; /* records go here */
    uint64_t arrival_ms;    /* UNIX ms when the datagram arrived */
};

static inline void dec_count(struct dec_ctx *ctx, enum dec_status st)
{
    ctx->exp->st.dec_err[st]++;
}

#endif
