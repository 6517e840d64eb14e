/* http/request.h: what a request goes through between libmicrohttpd and
 * an endpoint (server.c does the libmicrohttpd side).
 *
 * As soon as its headers are in: the path, the method the path takes, who
 * is calling where the path needs to know (http/gate.h), and whether a
 * body may come (only POSTs take one: JSON of at most BODY_MAX bytes).
 * Then its body, kept as it comes. Once it is complete: the query
 * parameters against their caps, the module, ENDPOINTS_HOSTS where it
 * applies, the body's JSON, and the endpoint. A refusal at any step is a
 * one-line reason with its status: plain text for the original's
 * endpoints, {"error": ...} under /api/v1/. One request is handled by one
 * thread at a time; the context is shared (see http/context.h). */
#ifndef OF_HTTP_REQUEST_H
#define OF_HTTP_REQUEST_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "http/endpoint.h"
#include "http/gate.h"
#include "http/reply.h"
#include "http/router.h"

/* Bytes of an oversized body read (and dropped) before the connection is
 * closed instead of answered with a 413. */
#define REQUEST_BODY_DISCARD (1024 * 1024)

/* One request in progress. */
struct http_req {
    struct http_reply reply;   /* filled as the request goes */
    const struct route *route; /* NULL: no such path */
    enum http_method method;
    bool answered; /* the reply is queued: whatever still comes is dropped */
    bool refused;  /* reply holds a refusal, to be sent once the request is in */
    bool too_big;  /* the body passed BODY_MAX */
    bool has_body; /* a body was announced */
    size_t seen;   /* bytes of body received, kept or not */
    char *body;    /* BODY_MAX bytes once a body comes */
    size_t len;
    struct gate_who who;
};

/* NULL on allocation failure. */
struct http_req *request_new(void);
void request_free(struct http_req *q); /* NULL-safe; releases an unsent reply */

/* The checks that need only the request line and the headers. False when
 * the request is refused: q->reply holds the refusal. */
bool request_headers(struct http_ctx *ctx, struct MHD_Connection *c, const char *url,
                     const char *method, bool uri_too_long, struct http_req *q);

/* True when the request announces a body (libmicrohttpd will read it). */
bool request_announces_body(struct MHD_Connection *c);

/* Keeps n more bytes of body (what passes BODY_MAX is counted only).
 * False once more than REQUEST_BODY_DISCARD bytes came: close then. */
bool request_body(struct http_req *q, const char *data, size_t n);

/* The request is complete: q->reply gets the endpoint's answer or the
 * refusal. */
void request_answer(struct http_ctx *ctx, struct MHD_Connection *c, const char *url,
                    struct http_req *q);

#endif
