/* report/traff.h: the monthly totals in the shape of the original's
 * ?module=gettraff: {"<ip>":{"dl":"<bytes>","ul":"<bytes>"},...}. The
 * numbers are JSON strings because the original's clients expect them so;
 * no hosts is {}. Shared by the CLI and the HTTP endpoint. */
#ifndef OF_REPORT_TRAFF_H
#define OF_REPORT_TRAFF_H

#include "store/store.h"
#include "util/compiler.h"

/* The current year and month in local time. */
void traff_this_month(int *year, int *month);

/* The body for year/month (month 1..12) and one host or all (NULL), as a
 * malloc'd NUL-terminated string in *out. 0 or a negative errno. */
OF_MUST_CHECK int traff_json(struct store *st, int year, int month, const struct of_addr *host,
                             char **out);

#endif
