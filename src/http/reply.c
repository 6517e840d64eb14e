/* http/reply.c: filling replies. Error replies are one line of plain text
 * so that a client, a log or curl shows the reason as it is. */
#include "http/reply.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void reply_static(struct http_reply *r, unsigned status, const char *text)
{
    reply_fini(r);
    r->status = status;
    r->type = REPLY_TEXT;
    r->body = text;
    r->len = strlen(text);
    r->body_free = NULL;
}

void reply_error(struct http_reply *r, unsigned status, const char *reason)
{
    reply_fini(r);
    size_t n = strlen(reason);
    char *b = malloc(n + 2);
    if (!b) {
        /* Still an answer with the right status, only without the reason. */
        reply_static(r, status, "error\n");
        return;
    }
    memcpy(b, reason, n);
    b[n] = '\n';
    b[n + 1] = '\0';
    reply_take(r, status, REPLY_TEXT, b, n + 1);
}

void reply_take(struct http_reply *r, unsigned status, const char *type, void *body, size_t len)
{
    reply_fini(r);
    r->status = status;
    r->type = type;
    r->body = body;
    r->len = len;
    r->body_free = free;
}

int reply_json(struct http_reply *r, const json_t *j)
{
    /* 12 significant digits: rates in Mbit/s without binary noise. */
    char *s = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(12));
    if (!s)
        return -ENOMEM;
    reply_take(r, 200, REPLY_JSON, s, strlen(s));
    r->no_store = true;
    return 0;
}

void reply_header(struct http_reply *r, const char *name, const char *value)
{
    assert(r->nheaders < REPLY_MAX_HEADERS);
    if (r->nheaders >= REPLY_MAX_HEADERS)
        return;
    r->headers[r->nheaders].name = name;
    r->headers[r->nheaders].value = value;
    r->nheaders++;
}

void reply_cookie(struct http_reply *r, const char *value)
{
    (void)snprintf(r->cookie, sizeof(r->cookie), "%s", value);
    reply_header(r, "Set-Cookie", r->cookie);
}

void reply_retry_after(struct http_reply *r, unsigned seconds)
{
    (void)snprintf(r->retry, sizeof(r->retry), "%u", seconds);
    reply_header(r, "Retry-After", r->retry);
}

void reply_fini(struct http_reply *r)
{
    if (r->body_free && r->body)
        r->body_free((void *)r->body);
    r->body = NULL;
    r->len = 0;
    r->body_free = NULL;
}
