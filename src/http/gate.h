/* http/gate.h: who is calling the dashboard's API, and whether they may.
 *
 * A caller is either a browser with the session cookie (auth/session.h)
 * or a script with "Authorization: Bearer <API token>" (auth/tokens.h);
 * when a request has an Authorization header, only that counts. A request
 * that changes something (POST, DELETE) with the cookie must also carry
 * the session's CSRF token in X-CSRF-Token: another site can make a
 * browser send the cookie, but cannot read the token (the cookie is also
 * SameSite=Strict; the two together cover old browsers and odd
 * redirects). The server asks the gate as soon as a request's headers are
 * in, before its body is read. Thread-safe. */
#ifndef OF_HTTP_GATE_H
#define OF_HTTP_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/session.h"
#include "auth/tokens.h"
#include "store/appdb.h"

#define GATE_MAX_COOKIE_HEADERS 4 /* Cookie headers looked at */
#define GATE_MAX_COOKIES        4 /* of_session values tried */

enum gate_kind { GATE_NOBODY, GATE_SESSION, GATE_TOKEN };

struct gate_who {
    enum gate_kind kind;
    struct session_info session;      /* GATE_SESSION */
    char cookie[SECRET_TEXT_LEN + 1]; /* GATE_SESSION: the cookie's secret */
    int64_t token_id;                 /* GATE_TOKEN */
};

/* What the gate reads of a request. */
struct gate_in {
    const char *cookies[GATE_MAX_COOKIE_HEADERS]; /* Cookie headers */
    size_t ncookies;
    const char *authorization; /* NULL when absent */
    const char *csrf;          /* X-CSRF-Token; NULL when absent */
    bool changes;              /* POST or DELETE */
};

enum gate_result {
    GATE_OK,      /* *who says who (GATE_NOBODY when no valid credentials came) */
    GATE_CSRF,    /* a change with the cookie but without the right CSRF token */
    GATE_NO_STORE /* the database could not be read: 503 */
};

/* Looks the credentials up at now (UNIX seconds). */
enum gate_result gate_check(struct appdb *db, const struct gate_in *in, int64_t now,
                            struct gate_who *who);

/* The token of an "Authorization: Bearer <token>" header value: true with
 * *token and *len (pointing into value) set. The scheme's case does not
 * matter (RFC 9110 11.1). */
bool gate_bearer(const char *value, const char **token, size_t *len);

#endif
