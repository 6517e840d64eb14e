/* http/reply.c: filling replies. A refusal is kept as its status and
 * reason until the request layer writes it, once, in the form of the
 * route: one line of plain text (so that a client, a log or curl shows the
 * reason as it is) or the JSON object the dashboard reads. */
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

void reply_refuse(struct http_reply *r, unsigned status, const char *why, const char *field)
{
    reply_fini(r);
    r->status = status;
    r->type = REPLY_TEXT;
    (void)snprintf(r->reason, sizeof(r->reason), "%s", why);
    r->refusal = (struct http_refusal){status, r->reason, field};
}

static void render_text(struct http_reply *r, const struct http_refusal *ref)
{
    size_t n = strlen(ref->why);
    char *b = malloc(n + 2);
    if (!b) {
        /* Still an answer with the right status, only without the reason. */
        reply_static(r, ref->status, "error\n");
        return;
    }
    memcpy(b, ref->why, n);
    b[n] = '\n';
    b[n + 1] = '\0';
    reply_take(r, ref->status, REPLY_TEXT, b, n + 1);
}

static void render_json(struct http_reply *r, const struct http_refusal *ref)
{
    json_t *j = json_pack("{s:s,s:s*}", "error", ref->why, "field", ref->field);
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s) {
        /* Still an answer with the right status, only without the reason. */
        reply_fini(r);
        r->status = ref->status;
        r->type = REPLY_JSON;
        r->body = "{\"error\":\"out of memory\"}";
        r->len = strlen(r->body);
        return;
    }
    reply_take(r, ref->status, REPLY_JSON, s, strlen(s));
    r->no_store = true;
}

void reply_render(struct http_reply *r, enum reply_form form)
{
    if (!r->refusal.status)
        return;
    /* The reason is read from the reply's own copy (refusal.why would not
     * follow a reply copied by value), and copied out before the body
     * replaces it. */
    char why[REPLY_MAX_REASON];
    (void)snprintf(why, sizeof(why), "%s", r->reason);
    struct http_refusal ref = {r->refusal.status, why, r->refusal.field};
    r->refusal.status = 0;
    if (form == REPLY_FORM_JSON)
        render_json(r, &ref);
    else
        render_text(r, &ref);
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
    r->refusal.status = 0;
}
