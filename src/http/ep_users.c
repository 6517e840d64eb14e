/* http/ep_users.c: /api/v1/users (GET, POST, DELETE ?name=) and POST
 * /api/v1/users/password. Every user may manage every user (there are no
 * roles), but nobody can remove the user they are logged in as, so that
 * the last user cannot lock everyone out from the dashboard. A password
 * change ends the user's other sessions: whoever else was logged in as
 * that user (perhaps with the old password) must log in again. */
#include "http/ep_users.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "auth/password.h"
#include "auth/users.h"
#include "http/body.h"
#include "http/endpoint.h"
#include "http/ep_common.h"
#include "http/gate.h"
#include "http/query.h"
#include "http/reply.h"

int ep_user_parse(const json_t *body, struct ep_user_req *out, struct http_refusal *ref)
{
    size_t n = 0;
    *ref = (struct http_refusal){400, NULL, NULL};
    if (!body) {
        ref->why = "request body must be a JSON object";
        return -EINVAL;
    }
    if (body_string(body, "name", &out->name, &n) < 0 || !users_name_ok(out->name, n)) {
        *ref = (struct http_refusal){400, "name: 1 to 64 letters, digits, '.', '_' or '-'", "name"};
        return -EINVAL;
    }
    if (body_string(body, "password", &out->password, &out->password_len) < 0 ||
        !password_ok(out->password, out->password_len)) {
        *ref = (struct http_refusal){400, "password: 8 to 1024 bytes", "password"};
        return -EINVAL;
    }
    return 0;
}

static int add_user(const char *name, int64_t created, void *arg)
{
    json_t *u = json_pack("{s:s,s:I}", "name", name, "created", (json_int_t)created);
    return u && json_array_append_new(arg, u) == 0 ? 0 : -ENOMEM;
}

static int users_get(struct sqlite3 *db, struct http_reply *r)
{
    json_t *arr = json_array();
    int rc = arr ? users_list(db, add_user, arr) : -ENOMEM;
    if (rc < 0) {
        json_decref(arr);
        return rc;
    }
    json_t *j = json_pack("{s:o}", "users", arr);
    rc = j ? ep_json(r, 200, j) : -ENOMEM;
    json_decref(j);
    return rc;
}

static int users_post(struct sqlite3 *db, const struct http_call *call, struct http_reply *r)
{
    struct ep_user_req req;
    struct http_refusal ref;
    if (ep_user_parse(call->body, &req, &ref) < 0) {
        reply_refuse(r, ref.status, ref.why, ref.field);
        return 0;
    }
    int64_t now = (int64_t)time(NULL);
    int rc = users_add(db, req.name, req.password, req.password_len, now);
    if (rc == -EEXIST) {
        reply_refuse(r, 409, "a user of that name exists", "name");
        return 0;
    }
    if (rc == -ENOSPC) {
        reply_refuse(r, 409, "too many users (at most 1000)", "name");
        return 0;
    }
    if (rc < 0)
        return rc;
    json_t *j = json_pack("{s:s,s:I}", "name", req.name, "created", (json_int_t)now);
    rc = j ? ep_json(r, 201, j) : -ENOMEM;
    json_decref(j);
    return rc;
}

static int users_del(struct sqlite3 *db, const struct http_call *call, struct http_reply *r)
{
    const char *name = query_get(call->q, "name");
    if (!name || !name[0]) {
        reply_refuse(r, 400, "name: the user to remove", "name");
        return 0;
    }
    if (call->who->kind == GATE_SESSION && strcmp(name, call->who->session.name) == 0) {
        reply_refuse(r, 409, "you cannot delete the user you are logged in as", "name");
        return 0;
    }
    int rc = users_delete(db, name);
    if (rc == -ENOENT) {
        reply_refuse(r, 404, "no such user", "name");
        return 0;
    }
    if (rc == 0)
        ep_no_content(r);
    return rc;
}

static int users_get_call(struct sqlite3 *db, const struct http_call *call, struct http_reply *r)
{
    (void)call;
    return users_get(db, r);
}

int ep_users(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    if (call->method == HTTP_POST)
        return ep_with_app(ctx, call, r, users_post);
    if (call->method == HTTP_DELETE)
        return ep_with_app(ctx, call, r, users_del);
    return ep_with_app(ctx, call, r, users_get_call);
}

static int password_post(struct sqlite3 *db, const struct http_call *call, struct http_reply *r)
{
    struct ep_user_req req;
    struct http_refusal ref;
    if (ep_user_parse(call->body, &req, &ref) < 0) {
        reply_refuse(r, ref.status, ref.why, ref.field);
        return 0;
    }
    /* Your own password: this session stays, the others end. */
    const struct gate_who *who = call->who;
    const uint8_t *keep = who->kind == GATE_SESSION && strcmp(who->session.name, req.name) == 0
                              ? who->session.hash
                              : NULL;
    int rc = users_set_password(db, req.name, req.password, req.password_len, keep, false,
                                (int64_t)time(NULL), NULL);
    if (rc == -ENOENT) {
        reply_refuse(r, 404, "no such user", "name");
        return 0;
    }
    if (rc == 0)
        ep_no_content(r);
    return rc;
}

int ep_users_password(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    return ep_with_app(ctx, call, r, password_post);
}
