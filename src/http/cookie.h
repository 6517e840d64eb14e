/* http/cookie.h: reading one cookie out of a Cookie request header.
 *
 * RFC 6265 5.4: browsers send "name=value; name2=value2". A name may come
 * more than once (cookies set for different paths or by a sibling host),
 * so this walks every occurrence and leaves the choice to the caller,
 * which checks each value against what it issued. Parsing is lenient the
 * way browsers' is: blanks around pairs are skipped, a value may be in
 * double quotes, and a pair without '=' is passed over. Pure functions;
 * the header's bytes are only read, within len. */
#ifndef OF_HTTP_COOKIE_H
#define OF_HTTP_COOKIE_H

#include <stdbool.h>
#include <stddef.h>

#define COOKIE_SESSION "of_session" /* the dashboard's session cookie */

/* Where a walk through a header stands; zero it to start. */
struct cookie_iter {
    size_t pos;
};

/* The value of the next cookie called name in header[0..len): true with
 * *value (pointing into header, without quotes) and *vlen set, false when
 * there is none left. */
bool cookie_next(const char *header, size_t len, const char *name, struct cookie_iter *it,
                 const char **value, size_t *vlen);

#endif
