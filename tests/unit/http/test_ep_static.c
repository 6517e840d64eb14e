/* Tests of http/ep_static.c and http/webfiles.c: the compiled-in files of
 * web/ are found by name only, equal the files in the source tree, and
 * carry their type, ETag and caching headers; conditional requests get
 * 304; anything else, traversal attempts included, is a 404. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http/endpoint.h"
#include "http/ep_static.h"
#include "http/query.h"
#include "http/reply.h"
#include "http/webfiles.h"

static const char *header(const struct http_reply *r, const char *name)
{
    for (size_t i = 0; i < r->nheaders; i++)
        if (strcmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

static void test_table(void **state)
{
    (void)state;
    assert_true(web_files_count > 0);
    for (size_t i = 0; i < web_files_count; i++) {
        const struct web_file *f = &web_files[i];
        if (i > 0 && strcmp(web_files[i - 1].path, f->path) >= 0)
            fail_msg("not sorted: %s before %s", web_files[i - 1].path, f->path);
        assert_ptr_equal(webfiles_find(f->path), f);
        assert_true(strlen(f->etag) > 2 && f->etag[0] == '"' &&
                    f->etag[strlen(f->etag) - 1] == '"');
        assert_non_null(strchr(f->path, '.'));
        assert_null(strstr(f->path, ".."));
    }
    assert_null(webfiles_find(NULL));
    assert_null(webfiles_find(""));
}

/* Each file equals its source under web/. */
static void test_same_as_source(void **state)
{
    (void)state;
    for (size_t i = 0; i < web_files_count; i++) {
        const struct web_file *f = &web_files[i];
        char path[1024];
        assert_true(snprintf(path, sizeof(path), "%s/web/%s", OF_SOURCE_DIR, f->path) <
                    (int)sizeof(path));
        FILE *fp = fopen(path, "rb");
        if (!fp)
            fail_msg("%s: cannot open", path);
        unsigned char *buf = malloc(f->len + 1);
        assert_non_null(buf);
        size_t n = fread(buf, 1, f->len + 1, fp);
        fclose(fp);
        bool same = n == f->len && memcmp(buf, f->bytes, n) == 0;
        free(buf);
        if (!same)
            fail_msg("%s: %zu bytes on disk, %zu compiled in, or different", f->path, n, f->len);
    }
}

static void test_types(void **state)
{
    (void)state;
    static const struct {
        const char *path, *type;
    } cases[] = {
        {"index.html", "text/html; charset=utf-8"},
        {"css/app.css", "text/css; charset=utf-8"},
        {"js/app.js", "text/javascript; charset=utf-8"},
        {"js/api.js", "text/javascript; charset=utf-8"},
        {"favicon.svg", "image/svg+xml"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct web_file *f = webfiles_find(cases[i].path);
        if (!f)
            fail_msg("%s: not compiled in", cases[i].path);
        else
            assert_string_equal(f->type, cases[i].type);
    }
}

static void test_serve(void **state)
{
    (void)state;
    const struct web_file *f = webfiles_find("js/app.js");
    assert_non_null(f);
    struct http_reply r = {0};
    assert_int_equal(ep_static("/ui/js/app.js", NULL, &r), 0);
    assert_int_equal(r.status, 200);
    assert_ptr_equal(r.body, f->bytes); /* straight from memory, no copy */
    assert_int_equal(r.len, f->len);
    assert_null(r.body_free);
    assert_string_equal(r.type, "text/javascript; charset=utf-8");
    assert_string_equal(header(&r, "ETag"), f->etag);
    assert_string_equal(header(&r, "Cache-Control"), "no-cache");
    assert_non_null(strstr(header(&r, "Content-Security-Policy"), "script-src 'self'"));
    reply_fini(&r);

    /* the same file under /of and with doubled slashes */
    struct http_reply r2 = {0};
    assert_int_equal(ep_static("/of//ui//js/app.js/", NULL, &r2), 0);
    assert_int_equal(r2.status, 200);
    assert_ptr_equal(r2.body, f->bytes);
    reply_fini(&r2);
}

static void test_index(void **state)
{
    (void)state;
    const struct web_file *f = webfiles_find("index.html");
    assert_non_null(f);
    struct http_reply r = {0};
    struct query q;
    query_init(&q);
    struct http_call call = {.q = &q};
    assert_int_equal(ep_index(NULL, &call, &r), 0);
    assert_int_equal(r.status, 200);
    assert_ptr_equal(r.body, f->bytes);
    assert_string_equal(r.type, "text/html; charset=utf-8");
    assert_string_equal(header(&r, "X-Frame-Options"), "DENY");
    assert_non_null(strstr(header(&r, "Content-Security-Policy"), "frame-ancestors 'none'"));
    assert_non_null(memmem(f->bytes, f->len, "ui/js/app.js", 12));
    reply_fini(&r);
}

static void test_conditional(void **state)
{
    (void)state;
    const struct web_file *f = webfiles_find("css/app.css");
    assert_non_null(f);
    char weak[64], list[128], spaced[128];
    assert_true(snprintf(weak, sizeof(weak), "W/%s", f->etag) < (int)sizeof(weak));
    assert_true(snprintf(list, sizeof(list), "\"0\", %s", f->etag) < (int)sizeof(list));
    assert_true(snprintf(spaced, sizeof(spaced), " \"x\" ,%s  ,\"y\"", f->etag) <
                (int)sizeof(spaced));
    const char *match[] = {f->etag, weak, list, spaced, "*"};
    for (size_t i = 0; i < sizeof(match) / sizeof(match[0]); i++) {
        struct http_reply r = {0};
        assert_int_equal(ep_static("/ui/css/app.css", match[i], &r), 0);
        if (r.status != 304 || r.len != 0)
            fail_msg("If-None-Match %s: %u, %zu bytes", match[i], r.status, r.len);
        assert_string_equal(header(&r, "ETag"), f->etag);
        reply_fini(&r);
    }
    const char *nomatch[] = {"", "\"\"", "\"0\"", "W/", ",,,", "\"0\", W/\"1\""};
    for (size_t i = 0; i < sizeof(nomatch) / sizeof(nomatch[0]); i++) {
        struct http_reply r = {0};
        assert_int_equal(ep_static("/ui/css/app.css", nomatch[i], &r), 0);
        if (r.status != 200 || r.len != f->len)
            fail_msg("If-None-Match %s: %u", nomatch[i], r.status);
        reply_fini(&r);
    }
}

static void test_not_found(void **state)
{
    (void)state;
    static const char *paths[] = {
        "/ui/nothing.js",
        "/ui/../index.html",
        "/ui/js/../index.html",
        "/ui/./index.html",
        "/ui/%2e%2e/index.html",
        "/ui/..%2findex.html",
        "/ui//etc/passwd",
        "/ui/../../../../etc/passwd",
        "/ui/JS/APP.JS",
        "/ui/js",
        "/ui/js/app.js\n",
        "/ui/js/app.js%00",
        "/ui/js/app.js?x=1", /* the server splits the query off first */
        "/ui",
        "/",
        "/api/v1/hosts",
        "",
    };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
        struct http_reply r = {0};
        assert_int_equal(ep_static(paths[i], NULL, &r), 0);
        if (r.status != 404)
            fail_msg("%s: %u, want 404", paths[i], r.status);
        reply_fini(&r);
    }
    struct http_reply r = {0};
    assert_int_equal(ep_static(NULL, NULL, &r), 0);
    assert_int_equal(r.status, 404);
    reply_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),     cmocka_unit_test(test_same_as_source),
        cmocka_unit_test(test_types),     cmocka_unit_test(test_serve),
        cmocka_unit_test(test_index),     cmocka_unit_test(test_conditional),
        cmocka_unit_test(test_not_found),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
