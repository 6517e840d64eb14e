/* decode/flowfields.h: the information elements NetFlow v9 and IPFIX share.
 *
 * Both protocols describe a record by a template: a list of (element id,
 * length) pairs, with the same element numbers for everything we read (v9
 * field types 1..127 are IPFIX IEs 1..127, and the few above that we use
 * agree too). This module ("ff_") turns such a list into a compiled program
 * (ff_compile) once per template definition, and runs that program over data
 * sets (ff_data_set), so that the two decoders differ only in their headers
 * and template record formats. */
#ifndef OF_DECODE_FLOWFIELDS_H
#define OF_DECODE_FLOWFIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/cursor.h"
#include "decode/decoder.h"

/* Length value that marks a variable-length field (RFC 7011 7). */
#define FF_VARLEN 0xffffu

/* IPFIX enterprise number of the RFC 5103 reverse information elements. */
#define FF_PEN_REVERSE 29305u

/* What a compiled field feeds. Internal to the compiled program; exposed
 * only so that templates.c can size and keep it. */
struct ff_op {
    uint32_t skip; /* bytes of uninteresting fixed-length fields before this one */
    uint16_t len;  /* field length, or FF_VARLEN */
    uint8_t kind;  /* enum ff_kind in flowfields.c; 0 = skip the field */
};

/* A compiled template: runs over one record. */
struct ff_prog {
    const struct ff_op *ops;
    size_t nops;
    size_t reclen; /* fixed record length in bytes; 0 when a field has variable length */
    size_t minlen; /* shortest record possible (>= 1): less left in a set is padding */
    bool options;  /* options template: its records feed exporter state, not flows */
};

/* Which template record format a field list comes from: in v9 the scope
 * fields of an options template have their own type numbers (1 = system,
 * 2 = interface, ...), in IPFIX they are ordinary IEs. */
enum ff_family {
    FF_FAMILY_V9,
    FF_FAMILY_IPFIX,
};

/* One template field as it was on the wire (pen 0 when none). */
struct ff_field {
    uint16_t ie;
    uint16_t len; /* 1..65534, or FF_VARLEN */
    uint32_t pen;
};

/* Compiles fields[0..n) (the first nscope being scope fields) into ops, which
 * must have room for n + 1 entries. Fields of length 0 must have been
 * rejected before. Fills *prog (whose ops point to ops) except options. */
void ff_compile(const struct ff_field *fields, size_t n, size_t nscope, enum ff_family family,
                struct ff_op *ops, struct ff_prog *prog);

/* What a data set is decoded against: the datagram's header and the domain. */
struct ff_env {
    struct dec_ctx *ctx;
    uint32_t domain;        /* v9 source id / IPFIX observation domain */
    uint64_t export_ms;     /* header export time, UNIX ms */
    bool v9;                /* sysUpTime stamps (21/22) are relative to sys_uptime_ms */
    uint32_t sys_uptime_ms; /* v9 header sysUptime */
    uint64_t sys_init_ms;   /* IPFIX systemInitTimeMilliseconds (160) known; 0 = not known */
};

/* Decodes one data set (set id >= 256, cursor over its body) into
 * ctx->out, or feeds options records to the exporter's sampling rates and
 * the domain's init time. Returns DEC_OK or the reason the set was rejected:
 * DEC_NO_TEMPLATE, DEC_RECORD_TRUNCATED, DEC_TOO_MANY_RECORDS; a rejected
 * set appends nothing. Records without addresses are skipped and counted
 * (DEC_NOT_IP) here; the set's own status is for the caller to count. */
enum dec_status ff_data_set(struct ff_env *env, uint16_t set_id, struct rd *set);

#endif
