/* Tests of auth/session.c on a real store file: sessions found by their
 * secret only, ended by idleness, logout and the per-user cap, their last
 * use recorded at most once a minute, and their CSRF tokens. */
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

static int64_t add_user(struct app_fixture *f, const char *name)
{
    char sql[128];
    (void)snprintf(sql, sizeof(sql),
                   "INSERT INTO users (name, pwhash, created) VALUES ('%s', 'x', 0)", name);
    app_exec(f->db, sql);
    return sqlite3_last_insert_rowid(f->db);
}

static void test_check(void **state)
{
    struct app_fixture *f = *state;
    int64_t bob = add_user(f, "bob");
    char t[SECRET_TEXT_LEN + 1];
    assert_int_equal(session_create(f->db, bob, NOW, t), 0);
    assert_true(secret_text_ok(t, strlen(t)));
    struct session_info s;
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, NOW + 5, &s), 0);
    assert_int_equal(s.user, bob);
    assert_string_equal(s.name, "bob");
    char csrf[SECRET_TEXT_LEN + 1];
    secret_csrf(t, SECRET_TEXT_LEN, csrf);
    assert_string_equal(s.csrf, csrf);
    /* the table holds the hash, not the secret */
    uint8_t h[SECRET_HASH_LEN];
    secret_hash(t, SECRET_TEXT_LEN, h);
    assert_memory_equal(s.hash, h, sizeof(h));
    assert_int_equal(app_int(f->db, "SELECT length(hash) FROM sessions"), SECRET_HASH_LEN);
    /* near misses find nothing */
    char other[SECRET_TEXT_LEN + 1];
    memcpy(other, t, sizeof(other));
    other[0] = other[0] == 'A' ? 'B' : 'A';
    assert_int_equal(session_check(f->db, other, SECRET_TEXT_LEN, NOW, &s), -ENOENT);
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN - 1, NOW, &s), -ENOENT);
    assert_int_equal(session_check(f->db, "", 0, NOW, &s), -ENOENT);
    assert_int_equal(session_check(f->db, "not a token; drop table users", 29, NOW, &s), -ENOENT);
    /* the hash itself, written as text, is not a way in either */
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM users"), 1);
}

static void test_idle(void **state)
{
    struct app_fixture *f = *state;
    int64_t bob = add_user(f, "bob");
    char t[SECRET_TEXT_LEN + 1];
    struct session_info s;
    assert_int_equal(session_create(f->db, bob, NOW, t), 0);
    /* used within the minute: not written */
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, NOW + SESSION_TOUCH_S - 1, &s), 0);
    assert_int_equal(app_int(f->db, "SELECT last_seen FROM sessions"), NOW);
    /* later: written, and the 12 hours start again */
    int64_t later = NOW + SESSION_IDLE_S - 10;
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, later, &s), 0);
    assert_int_equal(app_int(f->db, "SELECT last_seen FROM sessions"), later);
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, later + SESSION_IDLE_S - 1, &s), 0);
    int64_t last = app_int(f->db, "SELECT last_seen FROM sessions");
    /* 12 hours unused: ended, and gone from the table */
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, last + SESSION_IDLE_S, &s), -ENOENT);
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM sessions"), 0);
}

static void test_delete_and_prune(void **state)
{
    struct app_fixture *f = *state;
    int64_t bob = add_user(f, "bob");
    int64_t alice = add_user(f, "alice");
    char t[SECRET_TEXT_LEN + 1], old[SECRET_TEXT_LEN + 1], a[SECRET_TEXT_LEN + 1];
    struct session_info s;
    assert_int_equal(session_create(f->db, alice, NOW - SESSION_IDLE_S - 5, old), 0);
    assert_int_equal(session_create(f->db, alice, NOW, a), 0); /* clears the ended one */
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM sessions"), 1);
    assert_int_equal(session_create(f->db, bob, NOW, t), 0);
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, NOW, &s), 0);
    assert_int_equal(session_delete(f->db, s.hash), 0);
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, NOW, &s), -ENOENT);
    assert_int_equal(session_delete(f->db, s.hash), 0); /* again: nothing to do */
    assert_int_equal(session_check(f->db, a, SECRET_TEXT_LEN, NOW, &s), 0);
    assert_int_equal(session_end_user(f->db, alice, NULL), 0);
    assert_int_equal(session_check(f->db, a, SECRET_TEXT_LEN, NOW, &s), -ENOENT);
}

static void test_cap(void **state)
{
    struct app_fixture *f = *state;
    int64_t bob = add_user(f, "bob");
    char first[SECRET_TEXT_LEN + 1], second[SECRET_TEXT_LEN + 1], t[SECRET_TEXT_LEN + 1];
    struct session_info s;
    assert_int_equal(session_create(f->db, bob, NOW, first), 0);
    assert_int_equal(session_create(f->db, bob, NOW + 1, second), 0);
    assert_int_equal(session_check(f->db, first, SECRET_TEXT_LEN, NOW + 100, &s), 0); /* used */
    for (int i = 2; i < SESSION_MAX_PER_USER; i++)
        assert_int_equal(session_create(f->db, bob, NOW + 1 + i, t), 0);
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM sessions"), SESSION_MAX_PER_USER);
    /* one more: the least recently used (second) goes, not the oldest */
    assert_int_equal(session_create(f->db, bob, NOW + 200, t), 0);
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM sessions"), SESSION_MAX_PER_USER);
    assert_int_equal(session_check(f->db, second, SECRET_TEXT_LEN, NOW + 200, &s), -ENOENT);
    assert_int_equal(session_check(f->db, first, SECRET_TEXT_LEN, NOW + 200, &s), 0);
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, NOW + 200, &s), 0);
}

/* A session whose user is gone (a file edited by hand) is no session. */
static void test_orphan(void **state)
{
    struct app_fixture *f = *state;
    int64_t bob = add_user(f, "bob");
    char t[SECRET_TEXT_LEN + 1];
    struct session_info s;
    assert_int_equal(session_create(f->db, bob, NOW, t), 0);
    app_exec(f->db, "DELETE FROM users");
    assert_int_equal(session_check(f->db, t, SECRET_TEXT_LEN, NOW, &s), -ENOENT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_check, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_idle, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_delete_and_prune, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_cap, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_orphan, app_setup, app_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
