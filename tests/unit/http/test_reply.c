/* Tests of http/reply.c: one refusal, written as text for the original's
 * endpoints and as JSON under /api/v1/, byte for byte as clients read
 * them, with the headers added after it kept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/reply.h"

static const char *header(const struct http_reply *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

static void expect_body(const struct http_reply *r, const char *want)
{
    if (r->len != strlen(want) || memcmp(r->body, want, r->len) != 0)
        fail_msg("body %.*s, want %s", (int)r->len, (const char *)r->body, want);
}

static void test_text(void **state)
{
    (void)state;
    struct http_reply r = {0};
    reply_refuse(&r, 401, "login required", "user");
    assert_int_equal(r.status, 401); /* known before it is written */
    reply_header(&r, "WWW-Authenticate", "Bearer");
    reply_render(&r, REPLY_FORM_TEXT);
    assert_int_equal(r.status, 401);
    assert_string_equal(r.type, "text/plain; charset=utf-8");
    expect_body(&r, "login required\n"); /* the field is for the dashboard only */
    assert_false(r.no_store);
    assert_string_equal(header(&r, "WWW-Authenticate"), "Bearer");
    reply_fini(&r);
}

static void test_json(void **state)
{
    (void)state;
    struct http_reply r = {0};
    reply_refuse(&r, 401, "login required", NULL);
    reply_header(&r, "WWW-Authenticate", "Bearer");
    reply_render(&r, REPLY_FORM_JSON);
    assert_int_equal(r.status, 401);
    assert_string_equal(r.type, "application/json");
    expect_body(&r, "{\"error\":\"login required\"}");
    assert_true(r.no_store);
    assert_string_equal(header(&r, "WWW-Authenticate"), "Bearer");
    reply_fini(&r);

    struct http_reply f = {0};
    reply_refuse(&f, 409, "no such \"user\"", "name");
    reply_render(&f, REPLY_FORM_JSON);
    expect_body(&f, "{\"error\":\"no such \\\"user\\\"\",\"field\":\"name\"}");
    reply_fini(&f);
}

/* The reason is the reply's own: a buffer reused after the call does not
 * change it. */
static void test_reason_copied(void **state)
{
    (void)state;
    char why[32] = "try again in 7 s";
    struct http_reply r = {0};
    reply_refuse(&r, 429, why, NULL);
    memset(why, 'x', sizeof(why) - 1);
    reply_render(&r, REPLY_FORM_JSON);
    expect_body(&r, "{\"error\":\"try again in 7 s\"}");
    reply_fini(&r);
}

/* Written once: a second render, or one after the refusal was replaced,
 * leaves the reply alone. */
static void test_once(void **state)
{
    (void)state;
    struct http_reply r = {0};
    reply_refuse(&r, 404, "not found", NULL);
    reply_render(&r, REPLY_FORM_TEXT);
    reply_render(&r, REPLY_FORM_JSON);
    expect_body(&r, "not found\n");
    reply_fini(&r);

    struct http_reply s = {0};
    reply_refuse(&s, 400, "bad", NULL);
    reply_static(&s, 200, "ok\n");
    reply_render(&s, REPLY_FORM_JSON);
    assert_int_equal(s.status, 200);
    expect_body(&s, "ok\n");
    reply_fini(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_reason_copied),
        cmocka_unit_test(test_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
