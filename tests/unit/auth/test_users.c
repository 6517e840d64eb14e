/* Tests of auth/users.c on a real store file: names, adding, logging in,
 * changing passwords (which ends sessions) and removing users. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>

#include "auth/session.h"
#include "auth/users.h"
#include "unit/auth/auth_fixture.h"

#define NOW INT64_C(1700000000)

static void test_names(void **state)
{
    (void)state;
    static const char *const good[] = {"a", "admin", "A.b_c-9", "0", "..", "-x"};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!users_name_ok(good[i], strlen(good[i])))
            fail_msg("\"%s\" refused", good[i]);
    static const char *const bad[] = {"", "a b", "a/b", "a@b", "é", "a\nb", "a;b", "admin\t"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (users_name_ok(bad[i], strlen(bad[i])))
            fail_msg("\"%s\" taken", bad[i]);
    char n[USERS_NAME_MAX + 2];
    memset(n, 'x', sizeof(n));
    assert_true(users_name_ok(n, USERS_NAME_MAX));
    assert_false(users_name_ok(n, USERS_NAME_MAX + 1));
    assert_false(users_name_ok("ab\0c", 4));
}

static int collect(const char *name, int64_t created, void *arg)
{
    char *out = arg;
    size_t n = strlen(out);
    (void)snprintf(out + n, 256 - n, "%s@%lld ", name, (long long)created);
    return 0;
}

static void test_add_login(void **state)
{
    struct app_fixture *f = *state;
    int64_t n = -1;
    assert_int_equal(users_count(f->db, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(users_add(f->db, "bob", "bob's password", 14, NOW), 0);
    assert_int_equal(users_add(f->db, "alice", "alice's password", 16, NOW + 1), 0);
    assert_int_equal(users_add(f->db, "bob", "another password", 16, NOW), -EEXIST);
    assert_int_equal(users_add(f->db, "b b", "long enough", 11, NOW), -EINVAL);
    assert_int_equal(users_add(f->db, "carol", "short", 5, NOW), -EINVAL);
    assert_int_equal(users_count(f->db, &n), 0);
    assert_int_equal(n, 2);
    char list[256] = "";
    assert_int_equal(users_list(f->db, collect, list), 0);
    assert_string_equal(list, "alice@1700000001 bob@1700000000 ");
    /* the hash, never the password, is stored */
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM users WHERE pwhash LIKE '$argon2id$%'"),
                     2);
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM users WHERE instr(pwhash, 'password')"),
                     0);

    int64_t id = 0;
    assert_int_equal(users_login(f->db, "bob", "bob's password", 14, &id), 0);
    assert_int_equal(id, app_int(f->db, "SELECT id FROM users WHERE name = 'bob'"));
    assert_int_equal(users_login(f->db, "bob", "alice's password", 16, &id), -EACCES);
    assert_int_equal(users_login(f->db, "Bob", "bob's password", 14, &id), -EACCES);
    assert_int_equal(users_login(f->db, "nobody", "bob's password", 14, &id), -EACCES);
    assert_int_equal(users_login(f->db, "bad name", "bob's password", 14, &id), -EACCES);
    assert_int_equal(users_login(f->db, "bob", "", 0, &id), -EACCES);
}

static void test_password_sessions(void **state)
{
    struct app_fixture *f = *state;
    assert_int_equal(users_add(f->db, "bob", "first password", 14, NOW), 0);
    assert_int_equal(users_add(f->db, "alice", "alice's password", 16, NOW), 0);
    int64_t bob = 0, alice = 0;
    assert_int_equal(users_login(f->db, "bob", "first password", 14, &bob), 0);
    assert_int_equal(users_login(f->db, "alice", "alice's password", 16, &alice), 0);
    char t1[SECRET_TEXT_LEN + 1], t2[SECRET_TEXT_LEN + 1], ta[SECRET_TEXT_LEN + 1];
    assert_int_equal(session_create(f->db, bob, NOW, t1), 0);
    assert_int_equal(session_create(f->db, bob, NOW, t2), 0);
    assert_int_equal(session_create(f->db, alice, NOW, ta), 0);
    struct session_info s1;
    assert_int_equal(session_check(f->db, t1, SECRET_TEXT_LEN, NOW, &s1), 0);
    /* bob changes his own password in session 1: session 2 ends, 1 stays */
    assert_int_equal(
        users_set_password(f->db, "bob", "second password", 15, s1.hash, false, NOW, NULL), 0);
    struct session_info s;
    assert_int_equal(session_check(f->db, t1, SECRET_TEXT_LEN, NOW, &s), 0);
    assert_int_equal(session_check(f->db, t2, SECRET_TEXT_LEN, NOW, &s), -ENOENT);
    assert_int_equal(session_check(f->db, ta, SECRET_TEXT_LEN, NOW, &s), 0); /* alice's */
    int64_t id = 0;
    assert_int_equal(users_login(f->db, "bob", "first password", 14, &id), -EACCES);
    assert_int_equal(users_login(f->db, "bob", "second password", 15, &id), 0);
    /* someone else sets it: every session of bob ends */
    assert_int_equal(users_set_password(f->db, "bob", "third password", 14, NULL, false, NOW, NULL),
                     0);
    assert_int_equal(session_check(f->db, t1, SECRET_TEXT_LEN, NOW, &s), -ENOENT);
    assert_int_equal(users_set_password(f->db, "nobody", "long enough", 11, NULL, false, NOW, NULL),
                     -ENOENT);
    assert_int_equal(users_set_password(f->db, "bob", "short", 5, NULL, false, NOW, NULL), -EINVAL);
    /* with create, an unknown user is added */
    bool created = false;
    assert_int_equal(
        users_set_password(f->db, "carol", "carol's pw", 10, NULL, true, NOW, &created), 0);
    assert_true(created);
    assert_int_equal(
        users_set_password(f->db, "carol", "carol's 2nd", 11, NULL, true, NOW, &created), 0);
    assert_false(created);
    assert_int_equal(users_login(f->db, "carol", "carol's 2nd", 11, &id), 0);
}

static void test_delete(void **state)
{
    struct app_fixture *f = *state;
    assert_int_equal(users_add(f->db, "bob", "bob's password", 14, NOW), 0);
    int64_t bob = 0;
    assert_int_equal(users_login(f->db, "bob", "bob's password", 14, &bob), 0);
    char t[SECRET_TEXT_LEN + 1];
    assert_int_equal(session_create(f->db, bob, NOW, t), 0);
    assert_int_equal(users_delete(f->db, "bob"), 0);
    struct session_info s;
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, NOW, &s), -ENOENT);
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM sessions"), 0);
    assert_int_equal(users_delete(f->db, "bob"), -ENOENT);
    assert_int_equal(users_delete(f->db, "bad name"), -ENOENT);
    /* a new bob is a new user: the old one's sessions are gone for good */
    assert_int_equal(users_add(f->db, "bob", "new bob's pw", 12, NOW), 0);
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, NOW, &s), -ENOENT);
}

static void test_cap(void **state)
{
    struct app_fixture *f = *state;
    /* USERS_MAX hashes would take long: fill the table with SQL */
    app_exec(f->db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 999)"
                    " INSERT INTO users (name, pwhash, created) SELECT 'u' || i, 'x', 0 FROM n");
    assert_int_equal(users_add(f->db, "last", "long enough", 11, NOW), 0);
    assert_int_equal(users_add(f->db, "onemore", "long enough", 11, NOW), -ENOSPC);
    int64_t id = 0;
    assert_int_equal(users_login(f->db, "u5", "x", 1, &id), -EACCES); /* not a hash */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test_setup_teardown(test_add_login, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_password_sessions, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_delete, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_cap, app_setup, app_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
