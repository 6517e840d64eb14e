/* account/nets.h: the operator's local networks and longest-prefix match.
 *
 * A nets object is built once (add, then build) and is read-only afterwards,
 * so any number of threads may look up in it; a changed list is a new
 * object. Networks are kept in the order they were added; lookups return
 * that index. */
#ifndef OF_ACCOUNT_NETS_H
#define OF_ACCOUNT_NETS_H

#include <stddef.h>

#include "util/addr.h"
#include "util/compiler.h"

#define NETS_MAX         100000 /* networks in one list */
#define NETS_MAX_DESC    256    /* bytes of a description, NUL included */
#define NETS_CIDR_STRLEN (ADDR_STRLEN + 4)

struct nets;

struct nets *nets_new(void);    /* NULL on allocation failure */
void nets_free(struct nets *n); /* accepts NULL */

/* Adds "addr/len" with an optional description (NULL or ""). Host bits set
 * in addr are refused (-EINVAL), as is a malformed prefix, a duplicate
 * (-EEXIST), a description too long (-ENAMETOOLONG), or a full list
 * (-ENOSPC). Must be called before nets_build. */
OF_MUST_CHECK int nets_add(struct nets *n, const char *cidr, const char *desc);

/* Parses "addr/len" as nets_add takes it: the prefix length is required
 * and host bits must be zero. 0 with *prefix and *len set, or -EINVAL. */
OF_MUST_CHECK int nets_parse_cidr(const char *cidr, struct of_addr *prefix, unsigned *len);

/* The canonical text of a prefix ("10.0.0.0/8", RFC 5952 for IPv6) in buf
 * (NETS_CIDR_STRLEN bytes are enough). Returns buf. */
const char *nets_format_cidr(const struct of_addr *prefix, unsigned len, char *buf, size_t buflen);

/* Compiles the list for lookups. 0 or -ENOMEM. */
OF_MUST_CHECK int nets_build(struct nets *n);

/* Index of the longest prefix that contains a, or -1 when a is not local. */
long nets_lookup(const struct nets *n, const struct of_addr *a);

size_t nets_count(const struct nets *n);

/* The i-th network as text ("10.0.0.0/8") and its description ("" if none). */
const char *nets_cidr(const struct nets *n, size_t i, char *buf, size_t len);
const char *nets_desc(const struct nets *n, size_t i);

#endif
