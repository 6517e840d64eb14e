/* http/ep_login.c: POST /api/v1/login, POST /api/v1/logout and GET
 * /api/v1/session: the dashboard's sessions (auth/session.h).
 *
 * A login is rate-limited per client address before its password is even
 * looked at (auth/ratelimit.h), and a wrong user name and a wrong password
 * get the same answer in the same time (auth/users.h), so that neither
 * the answer nor its timing tells which names exist. The session's secret
 * goes only into an HttpOnly, SameSite=Strict cookie; the page gets the
 * CSRF token instead, which it sends back with every change. */
#include "http/ep_login.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/ratelimit.h"
#include "auth/session.h"
#include "auth/users.h"
#include "http/body.h"
#include "http/context.h"
#include "http/cookie.h"
#include "http/endpoint.h"
#include "http/ep_common.h"
#include "http/gate.h"
#include "http/reply.h"

#define COOKIE_ATTRS "; Path=/; HttpOnly; SameSite=Strict"

int ep_login_parse(const json_t *body, struct ep_login_req *out, struct http_refusal *ref)
{
    size_t n = 0;
    *ref = (struct http_refusal){400, NULL, NULL};
    if (!body) {
        ref->why = "request body must be a JSON object";
        return -EINVAL;
    }
    if (body_string(body, "user", &out->user, &n) < 0 || n == 0) {
        *ref = (struct http_refusal){400, "user: a user name", "user"};
        return -EINVAL;
    }
    if (body_string(body, "password", &out->password, &out->password_len) < 0 ||
        out->password_len == 0) {
        *ref = (struct http_refusal){400, "password: the user's password", "password"};
        return -EINVAL;
    }
    return 0;
}

static int session_json(struct http_reply *r, const char *user, const char *csrf)
{
    json_t *j = json_pack("{s:s,s:s}", "user", user, "csrf", csrf);
    int rc = j ? ep_json(r, 200, j) : -ENOMEM;
    json_decref(j);
    return rc;
}

/* Checks the password and starts a session; the reply is filled. */
static int login_checked(struct http_ctx *ctx, const struct http_call *call,
                         const struct ep_login_req *req, int64_t now, struct http_reply *r)
{
    struct sqlite3 *db = NULL;
    ep_app_get(ctx, r, &db);
    if (!db)
        return 0;
    int64_t id = 0;
    char token[SECRET_TEXT_LEN + 1];
    int rc = users_login(db, req->user, req->password, req->password_len, &id);
    if (rc == 0)
        rc = session_create(db, id, now, token);
    ep_app_put(ctx, db, rc);
    if (rc == -EACCES) {
        reply_refuse(r, 401, "wrong user name or password", NULL);
        return 0;
    }
    if (rc < 0) {
        ep_app_error(r, rc);
        return 0;
    }
    ratelimit_success(ctx->logins, &call->client);
    char csrf[SECRET_TEXT_LEN + 1];
    secret_csrf(token, SECRET_TEXT_LEN, csrf);
    rc = session_json(r, req->user, csrf);
    if (rc == 0) {
        char cookie[sizeof(r->cookie)];
        (void)snprintf(cookie, sizeof(cookie), "%s=%s" COOKIE_ATTRS, COOKIE_SESSION, token);
        reply_cookie(r, cookie);
    }
    return rc;
}

int ep_login(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    struct ep_login_req req;
    struct http_refusal ref;
    if (ep_login_parse(call->body, &req, &ref) < 0) {
        reply_refuse(r, ref.status, ref.why, ref.field);
        return 0;
    }
    int64_t now = (int64_t)time(NULL);
    unsigned wait = ratelimit_attempt(ctx->logins, &call->client, now);
    if (wait) {
        char why[80];
        (void)snprintf(why, sizeof(why), "too many failed logins; try again in %u s", wait);
        reply_refuse(r, 429, why, NULL);
        reply_retry_after(r, wait);
        return 0;
    }
    return login_checked(ctx, call, &req, now, r);
}

int ep_logout(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    if (call->who->kind == GATE_SESSION) {
        struct sqlite3 *db = NULL;
        ep_app_get(ctx, r, &db);
        if (!db)
            return 0;
        int rc = session_delete(db, call->who->session.hash);
        ep_app_put(ctx, db, rc);
        if (rc < 0) {
            ep_app_error(r, rc);
            return 0;
        }
    }
    ep_no_content(r);
    reply_cookie(r, COOKIE_SESSION "=" COOKIE_ATTRS "; Max-Age=0");
    return 0;
}

int ep_session(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    (void)ctx;
    if (call->who->kind != GATE_SESSION) {
        reply_refuse(r, 401, "not logged in", NULL);
        return 0;
    }
    return session_json(r, call->who->session.name, call->who->session.csrf);
}
