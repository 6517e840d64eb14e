/* Tests of http/body.c and of the dashboard endpoints' body checks
 * (ep_login_parse, ep_user_parse, ep_network_parse, ep_token_parse):
 * hand-made bodies, good and bad, each with the field that must be
 * named. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http/body.h"
#include "http/ep_login.h"
#include "http/ep_networks.h"
#include "http/ep_tokens.h"
#include "http/ep_users.h"
#include "http/reply.h"

static void test_type(void **state)
{
    (void)state;
    static const char *const good[] = {"application/json", "Application/JSON",
                                       "application/json; charset=utf-8",
                                       " application/json ;charset=UTF-8", "application/json;"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!body_type_json(good[i]))
            fail_msg("\"%s\" refused", good[i]);
    static const char *const bad[] = {"",
                                      "text/plain",
                                      "application/jsonx",
                                      "application/json-seq",
                                      "application/x-www-form-urlencoded",
                                      "multipart/form-data; boundary=x",
                                      "application/ json",
                                      "json"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (body_type_json(bad[i]))
            fail_msg("\"%s\" taken", bad[i]);
    assert_false(body_type_json(NULL));
}

static int parse(const char *s, json_t **out, const char **why)
{
    *out = NULL;
    *why = NULL;
    return body_parse(s, strlen(s), out, why);
}

static void test_parse(void **state)
{
    (void)state;
    json_t *j = NULL;
    const char *why = NULL;
    assert_int_equal(parse("{\"a\":1}", &j, &why), 0);
    assert_true(json_is_object(j));
    json_decref(j);
    assert_int_equal(parse(" {} ", &j, &why), 0);
    json_decref(j);
    static const char *const bad[] = {
        "",
        "{",
        "}",
        "[]",
        "[{}]",
        "1",
        "\"x\"",
        "null",
        "{} {}",
        "{'a':1}",
        "{\"a\":}",
        "{\"a\" 1}",
        "{a:1}",
        "{\"a\":1,}",
        "\xff\xfe{}",
        "{\"a\":\"\\u0000\"}",
        "{\"a\":\"\xc3\"}",
        "{\"a\":1,\"a\":2}",   /* duplicate key */
        "{\"a\":\"\\ud800\"}", /* lone surrogate */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int rc = parse(bad[i], &j, &why);
        if (rc != -EINVAL || !why || !why[0] || strchr(why, '\n'))
            fail_msg("\"%s\": %d", bad[i], rc);
        assert_null(j);
    }
    /* the cap counts bytes, whatever they are */
    char *big = malloc(BODY_MAX + 2);
    assert_non_null(big);
    memset(big, ' ', BODY_MAX + 1);
    big[0] = '{';
    big[BODY_MAX - 1] = '}';
    assert_int_equal(body_parse(big, BODY_MAX, &j, &why), 0);
    json_decref(j);
    big[BODY_MAX - 1] = ' ';
    big[BODY_MAX] = '}';
    assert_int_equal(body_parse(big, BODY_MAX + 1, &j, &why), -E2BIG);
    free(big);
}

static json_t *obj(const char *s)
{
    json_error_t err;
    json_t *j = json_loads(s, JSON_REJECT_DUPLICATES, &err);
    if (!j)
        fail_msg("test body \"%s\": %s", s, err.text);
    return j;
}

static void test_string(void **state)
{
    (void)state;
    json_t *j = obj("{\"s\":\"ab\",\"n\":1,\"z\":null,\"o\":{},\"e\":\"\"}");
    const char *s = NULL;
    size_t n = 0;
    assert_int_equal(body_string(j, "s", &s, &n), 0);
    assert_string_equal(s, "ab");
    assert_int_equal(n, 2);
    assert_int_equal(body_string(j, "e", &s, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(body_string(j, "n", &s, &n), -EINVAL);
    assert_int_equal(body_string(j, "o", &s, &n), -EINVAL);
    assert_int_equal(body_string(j, "z", &s, &n), -ENOENT);
    assert_int_equal(body_string(j, "missing", &s, &n), -ENOENT);
    assert_int_equal(body_string(NULL, "s", &s, &n), -ENOENT);
    json_decref(j);
}

/* One bad body: which status and field it must get (field NULL: none). */
struct bad_body {
    const char *body;
    const char *field;
};

static void expect_refused(const char *what, int rc, const struct http_refusal *ref,
                           const struct bad_body *b)
{
    if (rc != -EINVAL)
        fail_msg("%s %s: accepted", what, b->body ? b->body : "(none)");
    assert_int_equal(ref->status, 400);
    assert_non_null(ref->why);
    if ((b->field == NULL) != (ref->field == NULL) ||
        (b->field && strcmp(b->field, ref->field) != 0))
        fail_msg("%s %s: field %s, want %s", what, b->body ? b->body : "(none)",
                 ref->field ? ref->field : "none", b->field ? b->field : "none");
}

static void test_login(void **state)
{
    (void)state;
    json_t *j = obj("{\"user\":\"admin\",\"password\":\"pw\",\"extra\":[1]}");
    struct ep_login_req req;
    struct http_refusal ref;
    assert_int_equal(ep_login_parse(j, &req, &ref), 0);
    assert_string_equal(req.user, "admin");
    assert_int_equal(req.password_len, 2);
    json_decref(j);
    static const struct bad_body bad[] = {
        {NULL, NULL},
        {"{}", "user"},
        {"{\"user\":\"\",\"password\":\"x\"}", "user"},
        {"{\"user\":1,\"password\":\"x\"}", "user"},
        {"{\"user\":[\"admin\"],\"password\":\"x\"}", "user"},
        {"{\"user\":\"admin\"}", "password"},
        {"{\"user\":\"admin\",\"password\":\"\"}", "password"},
        {"{\"user\":\"admin\",\"password\":null}", "password"},
        {"{\"user\":\"admin\",\"password\":12345678}", "password"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *b = bad[i].body ? obj(bad[i].body) : NULL;
        expect_refused("login", ep_login_parse(b, &req, &ref), &ref, &bad[i]);
        json_decref(b);
    }
}

static void test_user(void **state)
{
    (void)state;
    json_t *j = obj("{\"name\":\"new.user-1_x\",\"password\":\"12345678\"}");
    struct ep_user_req req;
    struct http_refusal ref;
    assert_int_equal(ep_user_parse(j, &req, &ref), 0);
    assert_string_equal(req.name, "new.user-1_x");
    json_decref(j);
    char long_name[200], long_pw[1100];
    (void)snprintf(long_name, sizeof(long_name), "{\"name\":\"%065d\",\"password\":\"12345678\"}",
                   0);
    (void)snprintf(long_pw, sizeof(long_pw), "{\"name\":\"a\",\"password\":\"%01025d\"}", 0);
    const struct bad_body bad[] = {
        {NULL, NULL},
        {"{}", "name"},
        {"{\"name\":\"\",\"password\":\"12345678\"}", "name"},
        {"{\"name\":\"a b\",\"password\":\"12345678\"}", "name"},
        {"{\"name\":\"a\\nb\",\"password\":\"12345678\"}", "name"},
        {"{\"name\":\"\xc3\xa9\",\"password\":\"12345678\"}", "name"},
        {"{\"name\":\"../x\",\"password\":\"12345678\"}", "name"},
        {"{\"name\":true,\"password\":\"12345678\"}", "name"},
        {long_name, "name"},
        {"{\"name\":\"a\"}", "password"},
        {"{\"name\":\"a\",\"password\":\"1234567\"}", "password"},
        {"{\"name\":\"a\",\"password\":{}}", "password"},
        {long_pw, "password"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *b = bad[i].body ? obj(bad[i].body) : NULL;
        expect_refused("user", ep_user_parse(b, &req, &ref), &ref, &bad[i]);
        json_decref(b);
    }
    /* the longest name and password */
    (void)snprintf(long_name, sizeof(long_name), "{\"name\":\"%064d\",\"password\":\"12345678\"}",
                   0);
    j = obj(long_name);
    assert_int_equal(ep_user_parse(j, &req, &ref), 0);
    json_decref(j);
    (void)snprintf(long_pw, sizeof(long_pw), "{\"name\":\"a\",\"password\":\"%01024d\"}", 0);
    j = obj(long_pw);
    assert_int_equal(ep_user_parse(j, &req, &ref), 0);
    json_decref(j);
}

static void test_network(void **state)
{
    (void)state;
    struct ep_network_req req;
    struct http_refusal ref;
    static const struct {
        const char *body;
        const char *cidr;
        const char *desc;
    } good[] = {
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":\"Lab\"}", "10.1.0.0/16", "Lab"},
        {"{\"cidr\":\"10.1.0.0/16\"}", "10.1.0.0/16", ""},
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":null}", "10.1.0.0/16", ""},
        {"{\"cidr\":\"2001:DB8:0::/32\"}", "2001:db8::/32", ""},
        {"{\"cidr\":\"0.0.0.0/0\"}", "0.0.0.0/0", ""},
        {"{\"cidr\":\"192.0.2.7/32\"}", "192.0.2.7/32", ""},
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":\"Zweigstelle M\xc3\xbcnchen \xe2\x80\x94 "
         "\xf0\x9f\x8f\xa2\"}",
         "10.1.0.0/16", "Zweigstelle M\xc3\xbcnchen \xe2\x80\x94 \xf0\x9f\x8f\xa2"},
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        json_t *j = obj(good[i].body);
        if (ep_network_parse(j, &req, &ref) != 0)
            fail_msg("%s refused: %s", good[i].body, ref.why);
        assert_string_equal(req.cidr, good[i].cidr);
        assert_string_equal(req.description, good[i].desc);
        json_decref(j);
    }
    char desc128[200], desc129[200];
    (void)snprintf(desc128, sizeof(desc128), "{\"cidr\":\"10.0.0.0/8\",\"description\":\"%0128d\"}",
                   0);
    (void)snprintf(desc129, sizeof(desc129), "{\"cidr\":\"10.0.0.0/8\",\"description\":\"%0129d\"}",
                   0);
    json_t *j = obj(desc128);
    assert_int_equal(ep_network_parse(j, &req, &ref), 0);
    json_decref(j);
    const struct bad_body bad[] = {
        {NULL, NULL},
        {"{}", "cidr"},
        {"{\"cidr\":\"\"}", "cidr"},
        {"{\"cidr\":\"10.1.0.1/16\"}", "cidr"}, /* host bits */
        {"{\"cidr\":\"10.1.0.0\"}", "cidr"},    /* no length */
        {"{\"cidr\":\"10.1.0.0/33\"}", "cidr"},
        {"{\"cidr\":\"10.1.0.0/-1\"}", "cidr"},
        {"{\"cidr\":\"10.1.0.0/16/8\"}", "cidr"},
        {"{\"cidr\":\"10.1.0/16\"}", "cidr"},
        {"{\"cidr\":\"256.1.0.0/16\"}", "cidr"},
        {"{\"cidr\":\"2001:db8::1/32\"}", "cidr"},
        {"{\"cidr\":\"2001:db8::/129\"}", "cidr"},
        {"{\"cidr\":\" 10.1.0.0/16\"}", "cidr"},
        {"{\"cidr\":\"10.1.0.0/16 \"}", "cidr"},
        {"{\"cidr\":\"10.1.0.0/ 16\"}", "cidr"},
        {"{\"cidr\":\"example.com/16\"}", "cidr"},
        {"{\"cidr\":16}", "cidr"},
        {"{\"cidr\":[\"10.1.0.0/16\"]}", "cidr"},
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":\"a\\u0001b\"}", "description"},
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":\"a\\tb\"}", "description"},
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":\"a\\u007fb\"}", "description"},
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":\"a\\u009bb\"}", "description"},
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":\"line\\r\\n\"}", "description"},
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":5}", "description"},
        {"{\"cidr\":\"10.1.0.0/16\",\"description\":{}}", "description"},
        {desc129, "description"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *b = bad[i].body ? obj(bad[i].body) : NULL;
        expect_refused("network", ep_network_parse(b, &req, &ref), &ref, &bad[i]);
        json_decref(b);
    }
    /* a long CIDR text does not overflow the canonical buffer */
    char longcidr[600];
    (void)snprintf(longcidr, sizeof(longcidr), "{\"cidr\":\"%0500d/8\"}", 0);
    j = obj(longcidr);
    assert_int_equal(ep_network_parse(j, &req, &ref), -EINVAL);
    json_decref(j);
}

static void test_token(void **state)
{
    (void)state;
    const char *name = NULL;
    struct http_refusal ref;
    json_t *j = obj("{\"name\":\"billing (Ubilling)\"}");
    assert_int_equal(ep_token_parse(j, &name, &ref), 0);
    assert_string_equal(name, "billing (Ubilling)");
    json_decref(j);
    const struct bad_body bad[] = {
        {NULL, NULL},
        {"{}", "name"},
        {"{\"name\":\"\"}", "name"},
        {"{\"name\":\"a\\u0000b\"}", NULL}, /* jansson refuses it already */
        {"{\"name\":\"a\\u001bb\"}", "name"},
        {"{\"name\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
         "name"},
        {"{\"name\":1}", "name"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (bad[i].body && strstr(bad[i].body, "u0000")) {
            json_error_t err;
            assert_null(json_loads(bad[i].body, 0, &err));
            continue;
        }
        json_t *b = bad[i].body ? obj(bad[i].body) : NULL;
        expect_refused("token", ep_token_parse(b, &name, &ref), &ref, &bad[i]);
        json_decref(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type),  cmocka_unit_test(test_parse), cmocka_unit_test(test_string),
        cmocka_unit_test(test_login), cmocka_unit_test(test_user),  cmocka_unit_test(test_network),
        cmocka_unit_test(test_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
