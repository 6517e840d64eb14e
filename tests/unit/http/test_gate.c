/* Tests of http/gate.c on a real store file: who a request's cookies or
 * bearer token make it, and the CSRF rule for changes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <time.h>

#include "http/gate.h"
#include "unit/auth/auth_fixture.h"

struct gate_fixture {
    struct app_fixture *app;
    char cookie[SECRET_TEXT_LEN + 1];
    char csrf[SECRET_TEXT_LEN + 1];
    char token[TOKENS_TEXT_LEN + 1];
    int64_t token_id;
};

static int gate_setup(void **state)
{
    if (app_setup(state) < 0)
        return -1;
    struct gate_fixture *g = calloc(1, sizeof(*g));
    g->app = *state;
    app_exec(g->app->db, "INSERT INTO users (name, pwhash, created) VALUES ('bob', 'x', 0)");
    int64_t now = (int64_t)time(NULL);
    if (session_create(g->app->db, 1, now, g->cookie) < 0 ||
        tokens_create(g->app->db, "script", now, &g->token_id, g->token) < 0)
        return -1;
    secret_csrf(g->cookie, SECRET_TEXT_LEN, g->csrf);
    *state = g;
    return 0;
}

static int gate_teardown(void **state)
{
    struct gate_fixture *g = *state;
    *state = g->app;
    free(g);
    return app_teardown(state);
}

static enum gate_result check(struct gate_fixture *g, struct gate_in *in, struct gate_who *who)
{
    return gate_check(g->app->app, in, (int64_t)time(NULL), who);
}

static void test_bearer_parse(void **state)
{
    (void)state;
    const char *t = NULL;
    size_t n = 0;
    assert_true(gate_bearer("Bearer of_x", &t, &n));
    assert_int_equal(n, 4);
    assert_memory_equal(t, "of_x", 4);
    assert_true(gate_bearer("bearer   of_y  ", &t, &n));
    assert_int_equal(n, 4);
    assert_true(gate_bearer("BEARER\tz", &t, &n));
    static const char *const bad[] = {"",          "Bearer",    "Bearer ",    "Bearer   ",
                                      "Basic abc", "Beareroof", "Token of_x", " Bearer x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (gate_bearer(bad[i], &t, &n))
            fail_msg("\"%s\" taken", bad[i]);
    assert_false(gate_bearer(NULL, &t, &n));
}

static void test_cookie(void **state)
{
    struct gate_fixture *g = *state;
    struct gate_who who;
    char hdr[128];
    (void)snprintf(hdr, sizeof(hdr), "theme=dark; of_session=%s", g->cookie);
    struct gate_in in = {.cookies = {hdr}, .ncookies = 1};
    assert_int_equal(check(g, &in, &who), GATE_OK);
    assert_int_equal(who.kind, GATE_SESSION);
    assert_string_equal(who.session.name, "bob");
    assert_string_equal(who.cookie, g->cookie);
    /* a change needs the CSRF token: absent, wrong, cut short, right */
    in.changes = true;
    assert_int_equal(check(g, &in, &who), GATE_CSRF);
    in.csrf = g->cookie; /* the cookie is not the token */
    assert_int_equal(check(g, &in, &who), GATE_CSRF);
    char short_csrf[SECRET_TEXT_LEN];
    memcpy(short_csrf, g->csrf, SECRET_TEXT_LEN - 1);
    short_csrf[SECRET_TEXT_LEN - 1] = '\0';
    in.csrf = short_csrf;
    assert_int_equal(check(g, &in, &who), GATE_CSRF);
    in.csrf = g->csrf;
    assert_int_equal(check(g, &in, &who), GATE_OK);
    assert_int_equal(who.kind, GATE_SESSION);
}

static void test_stale_cookie_first(void **state)
{
    struct gate_fixture *g = *state;
    struct gate_who who;
    char stale[SECRET_TEXT_LEN + 1];
    secret_new(stale);
    char h1[128], h2[128];
    (void)snprintf(h1, sizeof(h1), "of_session=%s; of_session=junk", stale);
    (void)snprintf(h2, sizeof(h2), "of_session=%s", g->cookie);
    struct gate_in in = {.cookies = {h1, h2}, .ncookies = 2};
    assert_int_equal(check(g, &in, &who), GATE_OK);
    assert_int_equal(who.kind, GATE_SESSION);
    /* only stale and malformed ones: nobody */
    in.ncookies = 1;
    assert_int_equal(check(g, &in, &who), GATE_OK);
    assert_int_equal(who.kind, GATE_NOBODY);
    /* a change by nobody is not a CSRF matter: the route decides (401) */
    in.changes = true;
    assert_int_equal(check(g, &in, &who), GATE_OK);
    assert_int_equal(who.kind, GATE_NOBODY);
}

static void test_token(void **state)
{
    struct gate_fixture *g = *state;
    struct gate_who who;
    char auth[128];
    (void)snprintf(auth, sizeof(auth), "Bearer %s", g->token);
    struct gate_in in = {.authorization = auth, .changes = true};
    assert_int_equal(check(g, &in, &who), GATE_OK); /* no CSRF token needed */
    assert_int_equal(who.kind, GATE_TOKEN);
    assert_int_equal(who.token_id, g->token_id);
    /* a bad token is nobody, even with a good cookie beside it */
    char cookie[128];
    (void)snprintf(cookie, sizeof(cookie), "of_session=%s", g->cookie);
    struct gate_in both = {.cookies = {cookie}, .ncookies = 1, .authorization = "Bearer of_nope"};
    assert_int_equal(check(g, &both, &who), GATE_OK);
    assert_int_equal(who.kind, GATE_NOBODY);
    both.authorization = "Basic Ym9iOng=";
    assert_int_equal(check(g, &both, &who), GATE_OK);
    assert_int_equal(who.kind, GATE_NOBODY);
    /* nothing at all: nobody, without touching the store */
    struct gate_in none = {0};
    assert_int_equal(gate_check(NULL, &none, 0, &who), GATE_OK);
    assert_int_equal(who.kind, GATE_NOBODY);
    assert_int_equal(gate_check(NULL, &in, 0, &who), GATE_NO_STORE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bearer_parse),
        cmocka_unit_test_setup_teardown(test_cookie, gate_setup, gate_teardown),
        cmocka_unit_test_setup_teardown(test_stale_cookie_first, gate_setup, gate_teardown),
        cmocka_unit_test_setup_teardown(test_token, gate_setup, gate_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
