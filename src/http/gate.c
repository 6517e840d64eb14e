/* http/gate.c: credentials to an identity. Every cookie value of the right
 * form is tried (a few at most), since a stale cookie of another path may
 * come first; a malformed one is never looked up. */
#include "http/gate.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "http/cookie.h"

bool gate_bearer(const char *value, const char **token, size_t *len)
{
    static const char scheme[] = "Bearer";
    if (!value || strncasecmp(value, scheme, sizeof(scheme) - 1) != 0)
        return false;
    const char *p = value + sizeof(scheme) - 1;
    if (*p != ' ' && *p != '\t')
        return false;
    while (*p == ' ' || *p == '\t')
        p++;
    size_t n = strlen(p);
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    if (n == 0)
        return false;
    *token = p;
    *len = n;
    return true;
}

static enum gate_result by_token(struct sqlite3 *db, const char *value, int64_t now,
                                 struct gate_who *who)
{
    const char *t = NULL;
    size_t n = 0;
    if (!gate_bearer(value, &t, &n))
        return GATE_OK;
    int rc = tokens_check(db, t, n, now, &who->token_id);
    if (rc == 0)
        who->kind = GATE_TOKEN;
    return rc == 0 || rc == -ENOENT ? GATE_OK : GATE_NO_STORE;
}

static enum gate_result by_cookie(struct sqlite3 *db, const struct gate_in *in, int64_t now,
                                  struct gate_who *who)
{
    size_t tried = 0;
    for (size_t h = 0; h < in->ncookies && h < GATE_MAX_COOKIE_HEADERS; h++) {
        const char *hdr = in->cookies[h];
        struct cookie_iter it = {0};
        const char *v = NULL;
        size_t n = 0;
        while (tried < GATE_MAX_COOKIES &&
               cookie_next(hdr, strlen(hdr), COOKIE_SESSION, &it, &v, &n)) {
            if (!secret_text_ok(v, n))
                continue;
            tried++;
            int rc = session_check(db, v, n, now, &who->session);
            if (rc == -ENOENT)
                continue;
            if (rc < 0)
                return GATE_NO_STORE;
            who->kind = GATE_SESSION;
            memcpy(who->cookie, v, n);
            who->cookie[n] = '\0';
            return GATE_OK;
        }
    }
    return GATE_OK;
}

static bool csrf_ok(const struct gate_who *who, const char *sent)
{
    return sent && strlen(sent) == SECRET_TEXT_LEN &&
           secret_equal(sent, who->session.csrf, SECRET_TEXT_LEN);
}

enum gate_result gate_check(struct appdb *db, const struct gate_in *in, int64_t now,
                            struct gate_who *who)
{
    memset(who, 0, sizeof(*who));
    if (!in->authorization && in->ncookies == 0)
        return GATE_OK;
    struct sqlite3 *c = NULL;
    if (!db || appdb_get(db, &c) < 0)
        return GATE_NO_STORE;
    enum gate_result res =
        in->authorization ? by_token(c, in->authorization, now, who) : by_cookie(c, in, now, who);
    appdb_put(db, c, res == GATE_NO_STORE);
    if (res == GATE_OK && who->kind == GATE_SESSION && in->changes && !csrf_ok(who, in->csrf))
        return GATE_CSRF;
    return res;
}
