/* Tests of http/guard.c: a connection past its deadline has its socket
 * shut down; one re-armed in time, or closed, does not. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/guard.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* True when the peer of s has shut down (a read sees the end). */
static bool ended(int s)
{
    char c;
    return recv(s, &c, 1, MSG_DONTWAIT) == 0;
}

static void test_deadline(void **state)
{
    (void)state;
    atomic_uint_fast64_t closed = 0;
    struct guard *g;
    int slow[2], busy[2], gone[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, slow), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, busy), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, gone), 0);
    assert_int_equal(guard_new(&g, 2, 1, &closed), 0);
    struct guard_conn *a = guard_open(g, slow[0]);
    struct guard_conn *b = guard_open(g, busy[0]);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(guard_open(g, gone[0])); /* table full: not guarded */
    guard_close(g, b);
    b = guard_open(g, gone[0]);
    assert_non_null(b);
    guard_close(g, b); /* closed before its deadline: never shut down */
    b = guard_open(g, busy[0]);
    for (int i = 0; i < 4; i++) { /* 2 s, re-armed every half second */
        sleep_ms(500);
        guard_arm(g, b);
    }
    assert_true(ended(slow[1]));
    assert_false(ended(busy[1]));
    assert_false(ended(gone[1]));
    assert_int_equal(atomic_load(&closed), 1);
    guard_close(g, a);
    guard_close(g, b);
    guard_arm(g, NULL);
    guard_close(g, NULL);
    guard_free(g);
    for (int i = 0; i < 2; i++) {
        close(slow[i]);
        close(busy[i]);
        close(gone[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
