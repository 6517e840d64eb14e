/* http/reply.h: what an endpoint answers, before it becomes HTTP.
 *
 * Endpoints fill a reply and never touch libmicrohttpd, so they can be
 * driven from tests; the server turns the reply into a response. A body is
 * either static (body_free NULL) or owned by the reply and released with
 * body_free, once, by whoever ends up holding it. */
#ifndef OF_HTTP_REPLY_H
#define OF_HTTP_REPLY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/compiler.h"

#define REPLY_TEXT       "text/plain; charset=utf-8"
#define REPLY_JSON       "application/json"
#define REPLY_PNG        "image/png"
#define REPLY_PROMETHEUS "text/plain; version=0.0.4; charset=utf-8"

#define REPLY_MAX_HEADERS 6

#define REPLY_MAX_REASON 256 /* bytes of a refusal's reason, its '\0' included */

/* Why a request is refused: the status, a one-line reason (no newline)
 * and the form field at fault (NULL when none is). */
struct http_refusal {
    unsigned status;
    const char *why;
    const char *field;
};

/* How a refusal is written: "reason\n" in text/plain for the original's
 * endpoints and /metrics, {"error":reason} (with "field" when there is
 * one) in application/json under /api/v1/, as the dashboard reads them. */
enum reply_form { REPLY_FORM_TEXT, REPLY_FORM_JSON };

/* A header to send beside the ones every reply gets. */
struct reply_header {
    const char *name;
    const char *value;
};

struct http_reply {
    unsigned status;  /* HTTP status code */
    const char *type; /* Content-Type, a static string */
    const void *body; /* len bytes */
    size_t len;
    void (*body_free)(void *); /* NULL: the body is static */
    bool no_store;             /* Cache-Control: no-store (data that changes) */
    /* Extra headers, strings that outlive the reply (static ones). */
    struct reply_header headers[REPLY_MAX_HEADERS];
    size_t nheaders;
    /* Values of headers made per reply (reply_cookie, reply_retry_after). */
    char cookie[128];
    char retry[24];
    /* A refusal not written yet (reply_refuse); status 0 when none. */
    struct http_refusal refusal;
    char reason[REPLY_MAX_REASON]; /* what refusal.why points to */
};

/* A static text body: status and one line (a newline is part of text). */
void reply_static(struct http_reply *r, unsigned status, const char *text);

/* A refusal: status, a one-line reason (copied; cut at
 * REPLY_MAX_REASON - 1 bytes, which our reasons never reach) and the
 * field at fault (static; NULL when none). The status is set at once; the
 * body is written by reply_render, in the form of the route, which only
 * the request layer knows. */
void reply_refuse(struct http_reply *r, unsigned status, const char *why, const char *field);

/* Writes a pending refusal in the given form; does nothing when there is
 * none. Headers added to the reply stay. */
void reply_render(struct http_reply *r, enum reply_form form);

/* Takes a malloc'd body of len bytes. */
void reply_take(struct http_reply *r, unsigned status, const char *type, void *body, size_t len);

/* Serializes j (compact) as a 200 application/json body. 0 or -ENOMEM. j
 * stays the caller's. */
OF_MUST_CHECK int reply_json(struct http_reply *r, const json_t *j);

/* Adds a header (name and value outlive the reply). Which headers a reply
 * gets is our code's choice, never the client's, so more than
 * REPLY_MAX_HEADERS is a bug: it asserts (and the header is left out). */
void reply_header(struct http_reply *r, const char *name, const char *value);

/* Set-Cookie: value (copied; cut at sizeof(r->cookie) - 1 bytes, which
 * our cookies never reach). */
void reply_cookie(struct http_reply *r, const char *value);

/* Retry-After: seconds. */
void reply_retry_after(struct http_reply *r, unsigned seconds);

/* Releases an owned body and forgets a pending refusal. NULL-safe; the
 * reply is then empty. */
void reply_fini(struct http_reply *r);

#endif
