/* util/parse.h: the one way to turn text into numbers (no atoi, no sscanf). */
#ifndef OF_UTIL_PARSE_H
#define OF_UTIL_PARSE_H

#include <stdint.h>

#include "util/compiler.h"

/* Parses a whole decimal string into [min, max]. Leading/trailing spaces,
 * signs, empty strings and trailing garbage are refused. 0 on success,
 * -EINVAL for a malformed string, -ERANGE outside [min, max]. *out is written
 * only on success. */
OF_MUST_CHECK int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* The same for signed values (UNIX timestamps may be negative in principle). */
OF_MUST_CHECK int parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

/* A size in bytes: a whole decimal number, optionally followed by K, M, G
 * or T (any case; powers of 1024), in [min, max]. The same errors as
 * parse_u64; a size past 2^64 is -ERANGE. */
OF_MUST_CHECK int parse_bytes(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/* "1", "yes", "true", "on" and "0", "no", "false", "off" (any case). */
OF_MUST_CHECK int parse_bool(const char *s, int *out);

#endif
