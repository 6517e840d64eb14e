/* http/ep_tokens.c: /api/v1/tokens (GET, POST, DELETE ?id=): API tokens
 * for scripts (auth/tokens.h). A new token's text is in the answer to its
 * POST and nowhere else: only its hash is kept. */
#include "http/ep_tokens.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "auth/tokens.h"
#include "http/body.h"
#include "http/endpoint.h"
#include "http/ep_common.h"
#include "http/query.h"
#include "http/reply.h"

int ep_token_parse(const json_t *body, const char **name, struct http_refusal *ref)
{
    size_t n = 0;
    *ref = (struct http_refusal){400, NULL, NULL};
    if (!body) {
        ref->why = "request body must be a JSON object";
        return -EINVAL;
    }
    if (body_string(body, "name", name, &n) < 0 || !tokens_name_ok(*name, n)) {
        *ref = (struct http_refusal){400, "name: 1 to 64 bytes without control characters", "name"};
        return -EINVAL;
    }
    return 0;
}

static int add_token(int64_t id, const char *name, int64_t created, int64_t last_used, void *arg)
{
    json_t *t = json_pack("{s:I,s:s,s:I,s:o}", "id", (json_int_t)id, "name", name, "created",
                          (json_int_t)created, "last_used",
                          last_used < 0 ? json_null() : json_integer(last_used));
    return t && json_array_append_new(arg, t) == 0 ? 0 : -ENOMEM;
}

static int tokens_get(struct sqlite3 *db, const struct http_call *call, struct http_reply *r)
{
    (void)call;
    json_t *arr = json_array();
    int rc = arr ? tokens_list(db, add_token, arr) : -ENOMEM;
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    json_t *j = json_pack("{s:o}", "tokens", arr);
    rc = j ? ep_json(r, 200, j) : -ENOMEM;
    json_decref(j);
    return rc;
}

static int tokens_post(struct sqlite3 *db, const struct http_call *call, struct http_reply *r)
{
    const char *name = NULL;
    struct http_refusal ref;
    if (ep_token_parse(call->body, &name, &ref) < 0) {
        reply_refuse(r, ref.status, ref.why, ref.field);
        return 0;
    }
    int64_t id = 0;
    char token[TOKENS_TEXT_LEN + 1];
    int rc = tokens_create(db, name, (int64_t)time(NULL), &id, token);
    if (rc == -ENOSPC) {
        reply_refuse(r, 409, "too many tokens (at most 1000)", "name");
        return 0;
    }
    if (rc < 0)
        return rc;
    json_t *j = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)id, "name", name, "token", token);
    rc = j ? ep_json(r, 201, j) : -ENOMEM;
    json_decref(j);
    return rc;
}

static int tokens_del(struct sqlite3 *db, const struct http_call *call, struct http_reply *r)
{
    int64_t id = 0;
    if (query_int(call->q, "id", 1, INT64_MAX, &id) < 0 || id == 0) {
        reply_refuse(r, 400, "id: a token's id", "id");
        return 0;
    }
    int rc = tokens_delete(db, id);
    if (rc == -ENOENT) {
        reply_refuse(r, 404, "no such token", "id");
        return 0;
    }
    if (rc == 0)
        ep_no_content(r);
    return rc;
}

int ep_tokens(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    if (call->method == HTTP_POST)
        return ep_with_app(ctx, call, r, tokens_post);
    if (call->method == HTTP_DELETE)
        return ep_with_app(ctx, call, r, tokens_del);
    return ep_with_app(ctx, call, r, tokens_get);
}
