/* Tests of auth/tokens.c on a real store file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>

#include "auth/tokens.h"
#include "unit/auth/auth_fixture.h"

#define NOW INT64_C(1700000000)

struct seen {
    int n;
    int64_t id[4];
    int64_t last[4];
    char names[128];
};

static int collect(int64_t id, const char *name, int64_t created, int64_t last_used, void *arg)
{
    struct seen *s = arg;
    assert_int_equal(created, NOW);
    if (s->n < 4) {
        s->id[s->n] = id;
        s->last[s->n] = last_used;
    }
    s->n++;
    size_t k = strlen(s->names);
    (void)snprintf(s->names + k, sizeof(s->names) - k, "%s,", name);
    return 0;
}

static void test_create_check(void **state)
{
    struct app_fixture *f = *state;
    int64_t id1 = 0, id2 = 0, id = 0;
    char t1[TOKENS_TEXT_LEN + 1], t2[TOKENS_TEXT_LEN + 1];
    assert_int_equal(tokens_create(f->db, "billing", NOW, &id1, t1), 0);
    assert_int_equal(tokens_create(f->db, "billing", NOW, &id2, t2), 0); /* names may repeat */
    assert_int_not_equal(id1, id2);
    assert_int_equal(strlen(t1), TOKENS_TEXT_LEN);
    assert_memory_equal(t1, "of_", 3);
    assert_string_not_equal(t1, t2);
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM api_tokens WHERE length(hash) = 32"), 2);

    struct seen s = {0};
    assert_int_equal(tokens_list(f->db, collect, &s), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.id[0], id1);
    assert_int_equal(s.last[0], -1);
    assert_string_equal(s.names, "billing,billing,");

    assert_int_equal(tokens_check(f->db, t2, strlen(t2), NOW + 10, &id), 0);
    assert_int_equal(id, id2);
    memset(&s, 0, sizeof(s));
    assert_int_equal(tokens_list(f->db, collect, &s), 0);
    assert_int_equal(s.last[1], NOW + 10);
    /* within a minute the use is not written again */
    assert_int_equal(tokens_check(f->db, t2, strlen(t2), NOW + 30, &id), 0);
    assert_int_equal(app_int(f->db, "SELECT last_used FROM api_tokens WHERE id = 2"), NOW + 10);
    assert_int_equal(tokens_check(f->db, t2, strlen(t2), NOW + 70, &id), 0);
    assert_int_equal(app_int(f->db, "SELECT last_used FROM api_tokens WHERE id = 2"), NOW + 70);

    /* malformed and unknown ones */
    char bad[TOKENS_TEXT_LEN + 1];
    memcpy(bad, t1, sizeof(bad));
    bad[0] = 'O';
    assert_int_equal(tokens_check(f->db, bad, TOKENS_TEXT_LEN, NOW, &id), -ENOENT);
    assert_int_equal(tokens_check(f->db, t1 + 3, SECRET_TEXT_LEN, NOW, &id), -ENOENT);
    assert_int_equal(tokens_check(f->db, t1, TOKENS_TEXT_LEN - 1, NOW, &id), -ENOENT);
    assert_int_equal(tokens_check(f->db, "of_", 3, NOW, &id), -ENOENT);
    memcpy(bad, t1, sizeof(bad));
    bad[TOKENS_TEXT_LEN - 2] = bad[TOKENS_TEXT_LEN - 2] == 'x' ? 'y' : 'x';
    assert_int_equal(tokens_check(f->db, bad, TOKENS_TEXT_LEN, NOW, &id), -ENOENT);

    /* revoked */
    assert_int_equal(tokens_delete(f->db, id1), 0);
    assert_int_equal(tokens_check(f->db, t1, TOKENS_TEXT_LEN, NOW, &id), -ENOENT);
    assert_int_equal(tokens_delete(f->db, id1), -ENOENT);
    assert_int_equal(tokens_delete(f->db, 999), -ENOENT);
    /* and its id is never handed out again */
    int64_t id3 = 0;
    assert_int_equal(tokens_delete(f->db, id2), 0);
    assert_int_equal(tokens_create(f->db, "again", NOW, &id3, t1), 0);
    assert_true(id3 > id2);
}

static void test_names(void **state)
{
    struct app_fixture *f = *state;
    assert_true(tokens_name_ok("billing system #2", 17));
    assert_true(tokens_name_ok("Zähler", strlen("Zähler")));
    assert_false(tokens_name_ok("", 0));
    assert_false(tokens_name_ok("a\tb", 3));
    assert_false(tokens_name_ok("a\x7f", 2));
    assert_false(tokens_name_ok("\xc2\x85", 2)); /* C1 */
    assert_false(tokens_name_ok("\xff", 1));
    char n[TOKENS_NAME_MAX + 1];
    memset(n, 'n', sizeof(n));
    assert_true(tokens_name_ok(n, TOKENS_NAME_MAX));
    assert_false(tokens_name_ok(n, TOKENS_NAME_MAX + 1));
    int64_t id = 0;
    char t[TOKENS_TEXT_LEN + 1];
    assert_int_equal(tokens_create(f->db, "a\nb", NOW, &id, t), -EINVAL);
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM api_tokens"), 0);
}

static void test_cap(void **state)
{
    struct app_fixture *f = *state;
    app_exec(f->db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 999)"
                    " INSERT INTO api_tokens (name, hash, created) SELECT 't', randomblob(32), 0"
                    " FROM n");
    int64_t id = 0;
    char t[TOKENS_TEXT_LEN + 1];
    assert_int_equal(tokens_create(f->db, "last", NOW, &id, t), 0);
    assert_int_equal(tokens_create(f->db, "one more", NOW, &id, t), -ENOSPC);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_create_check, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_names, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_cap, app_setup, app_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
