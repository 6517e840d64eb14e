/* Tests of daemon/networks.c (and store/uinets.c under it) on a real
 * store file: the union of the config's networks and the dashboard's, the
 * refusals, what a restart finds in the database, a reload of the config
 * part, and what the published table answers after each change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>

#include "daemon/networks.h"
#include "store/uinets.h"
#include "unit/auth/auth_fixture.h"

static struct nets *config_of(const char *const *cidrs, size_t n)
{
    struct nets *c = nets_new();
    assert_non_null(c);
    for (size_t i = 0; i < n; i++) {
        char cidr[64];
        const char *sp = strchr(cidrs[i], ' ');
        size_t len = sp ? (size_t)(sp - cidrs[i]) : strlen(cidrs[i]);
        memcpy(cidr, cidrs[i], len);
        cidr[len] = '\0';
        assert_int_equal(nets_add(c, cidr, sp ? sp + 1 : ""), 0);
    }
    return c; /* not built: networks_new needs none */
}

/* The description the published table gives ip, "-" for no network. */
static const char *live_desc(struct networks *n, const char *ip, char *buf, size_t len)
{
    struct of_addr a;
    assert_int_equal(addr_parse(ip, &a), 0);
    struct netsref *r = livenets_get(networks_live(n));
    long i = nets_lookup(netsref_nets(r), &a);
    (void)snprintf(buf, len, "%s", i < 0 ? "-" : nets_desc(netsref_nets(r), (size_t)i));
    netsref_put(r);
    return buf;
}

static int list_one(const char *cidr, const char *desc, enum networks_source src, void *arg)
{
    char *out = arg;
    size_t k = strlen(out);
    (void)snprintf(out + k, 512 - k, "%s=%s(%s) ", cidr, desc, src == NETWORKS_CONFIG ? "c" : "u");
    return 0;
}

static const char *list(struct networks *n, char *buf)
{
    buf[0] = '\0';
    assert_int_equal(networks_list(n, list_one, buf), 0);
    return buf;
}

static void test_add_delete(void **state)
{
    struct app_fixture *f = *state;
    static const char *const cfg[] = {"10.0.0.0/8 Corp", "2001:db8::/32 Corp v6"};
    struct nets *c = config_of(cfg, 2);
    struct networks *n = NULL;
    assert_int_equal(networks_new(&n, c, f->app), 0);
    char buf[512], d[64], canon[NETS_CIDR_STRLEN];
    assert_string_equal(list(n, buf), "10.0.0.0/8=Corp(c) 2001:db8::/32=Corp v6(c) ");
    assert_string_equal(live_desc(n, "192.168.1.1", d, sizeof(d)), "-");

    assert_int_equal(networks_add(n, "192.168.0.0/16", "Lab", canon, sizeof(canon)), 0);
    assert_string_equal(canon, "192.168.0.0/16");
    assert_string_equal(live_desc(n, "192.168.1.1", d, sizeof(d)), "Lab");
    assert_int_equal(networks_add(n, "10.5.0.0/16", "Inside corp", canon, sizeof(canon)), 0);
    assert_string_equal(live_desc(n, "10.5.0.1", d, sizeof(d)), "Inside corp"); /* longest */
    assert_string_equal(live_desc(n, "10.6.0.1", d, sizeof(d)), "Corp");
    assert_int_equal(networks_add(n, "2001:DB8:1::/48", "", canon, sizeof(canon)), 0);
    assert_string_equal(canon, "2001:db8:1::/48");

    /* refusals change nothing */
    assert_int_equal(networks_add(n, "10.0.0.0/8", "", canon, sizeof(canon)), -EEXIST);
    assert_int_equal(networks_add(n, "192.168.0.0/16", "x", canon, sizeof(canon)), -EEXIST);
    assert_int_equal(networks_add(n, "2001:db8:1:0::/48", "x", canon, sizeof(canon)), -EEXIST);
    assert_int_equal(networks_add(n, "192.168.0.1/16", "", canon, sizeof(canon)), -EINVAL);
    assert_int_equal(networks_add(n, "192.168.0.0", "", canon, sizeof(canon)), -EINVAL);
    assert_int_equal(networks_add(n, "172.16.0.0/12", "a\x01", canon, sizeof(canon)), -EILSEQ);
    assert_int_equal(networks_delete(n, "10.0.0.0/8"), -EPERM);
    assert_int_equal(networks_delete(n, "172.16.0.0/12"), -ENOENT);
    assert_int_equal(networks_delete(n, "172.16.0.1/12"), -EINVAL);
    assert_string_equal(list(n, buf), "10.0.0.0/8=Corp(c) 2001:db8::/32=Corp v6(c) "
                                      "192.168.0.0/16=Lab(u) 10.5.0.0/16=Inside corp(u) "
                                      "2001:db8:1::/48=(u) ");
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM ui_networks"), 3);

    assert_int_equal(networks_delete(n, "2001:db8:1::/48"), 0);
    assert_int_equal(networks_delete(n, "192.168.0.0/16"), 0);
    assert_string_equal(live_desc(n, "192.168.1.1", d, sizeof(d)), "-");
    assert_int_equal(app_int(f->db, "SELECT count(*) FROM ui_networks"), 1);

    /* a restart: the dashboard's networks come back from the file */
    networks_free(n);
    n = NULL;
    assert_int_equal(networks_new(&n, c, f->app), 0);
    assert_string_equal(list(n, buf), "10.0.0.0/8=Corp(c) 2001:db8::/32=Corp v6(c) "
                                      "10.5.0.0/16=Inside corp(u) ");
    assert_string_equal(live_desc(n, "10.5.0.1", d, sizeof(d)), "Inside corp");
    networks_free(n);
    nets_free(c);
}

static void test_reload(void **state)
{
    struct app_fixture *f = *state;
    static const char *const cfg1[] = {"10.0.0.0/8 Corp"};
    static const char *const cfg2[] = {"172.16.0.0/12 New", "192.168.0.0/16 Now in the file"};
    struct nets *c1 = config_of(cfg1, 1);
    struct nets *c2 = config_of(cfg2, 2);
    struct networks *n = NULL;
    assert_int_equal(networks_new(&n, c1, f->app), 0);
    char buf[512], d[64], canon[NETS_CIDR_STRLEN];
    assert_int_equal(networks_add(n, "192.168.0.0/16", "Lab", canon, sizeof(canon)), 0);
    struct netsref *before = livenets_get(networks_live(n));
    assert_int_equal(networks_set_config(n, c2), 0);
    /* the file's network wins; the dashboard's copy stays in the database */
    assert_string_equal(list(n, buf), "172.16.0.0/12=New(c) 192.168.0.0/16=Now in the file(c) ");
    assert_string_equal(live_desc(n, "192.168.1.1", d, sizeof(d)), "Now in the file");
    assert_string_equal(live_desc(n, "10.1.1.1", d, sizeof(d)), "-");
    assert_int_equal(networks_delete(n, "192.168.0.0/16"), -EPERM);
    /* a reader holding the table of before still has it */
    struct of_addr a;
    assert_int_equal(addr_parse("10.1.1.1", &a), 0);
    assert_true(nets_lookup(netsref_nets(before), &a) >= 0);
    netsref_put(before);
    /* back to the first file: the dashboard's network shows again */
    assert_int_equal(networks_set_config(n, c1), 0);
    assert_string_equal(list(n, buf), "10.0.0.0/8=Corp(c) 192.168.0.0/16=Lab(u) ");
    networks_free(n);

    /* networks_union: the same union, as one table */
    struct nets *u = NULL;
    assert_int_equal(networks_union(c2, f->app, &u), 0);
    assert_int_equal(nets_count(u), 2);
    assert_int_equal(addr_parse("192.168.3.3", &a), 0);
    assert_string_equal(nets_desc(u, (size_t)nets_lookup(u, &a)), "Now in the file");
    nets_free(u);
    nets_free(c1);
    nets_free(c2);
}

/* Rows only a hand-edited file holds are skipped, not fatal. */
static void test_bad_rows(void **state)
{
    struct app_fixture *f = *state;
    app_exec(f->db, "INSERT INTO ui_networks (cidr, description, created) VALUES"
                    " ('10.1.0.0/16', 'ok', 0), ('10.2.0.1/16', 'host bits', 0),"
                    " ('garbage', '', 0), ('10.03.0.0/16', 'not canonical', 0),"
                    " ('10.4.0.0/16', 'bad' || char(10) || 'desc', 0)");
    struct nets *c = nets_new();
    struct networks *n = NULL;
    assert_int_equal(networks_new(&n, c, f->app), 0);
    char buf[512];
    assert_string_equal(list(n, buf), "10.1.0.0/16=ok(u) ");
    networks_free(n);
    nets_free(c);
    /* and uinets itself */
    assert_int_equal(uinets_add(f->db, "10.1.0.0/16", "dup", 0), -EEXIST);
    assert_int_equal(uinets_delete(f->db, "10.9.0.0/16"), -ENOENT);
}

static void test_checks(void **state)
{
    (void)state;
    char c[NETS_CIDR_STRLEN];
    assert_int_equal(networks_canon("10.1.0.0/16", c, sizeof(c)), 0);
    assert_string_equal(c, "10.1.0.0/16");
    assert_int_equal(networks_canon("2001:0DB8:0000::/48", c, sizeof(c)), 0);
    assert_string_equal(c, "2001:db8::/48");
    assert_int_equal(networks_canon("::ffff:10.0.0.0/104", c, sizeof(c)), 0);
    static const char *const bad[] = {"",
                                      "/",
                                      "10.1.0.0",
                                      "10.1.0.1/16",
                                      "10.1.0.0/33",
                                      "10.1.0.0/16x",
                                      "10.1.0.0/+16",
                                      "x/8",
                                      "::/129",
                                      "10.1.0.0 /16"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (networks_canon(bad[i], c, sizeof(c)) == 0)
            fail_msg("\"%s\" taken as %s", bad[i], c);
    char d[NETWORKS_DESC_MAX + 1];
    memset(d, 'd', sizeof(d));
    assert_true(networks_desc_ok(d, NETWORKS_DESC_MAX));
    assert_false(networks_desc_ok(d, NETWORKS_DESC_MAX + 1));
    assert_true(networks_desc_ok("", 0));
    assert_false(networks_desc_ok("a\x1b[31m", 6));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_add_delete, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_reload, app_setup, app_teardown),
        cmocka_unit_test_setup_teardown(test_bad_rows, app_setup, app_teardown),
        cmocka_unit_test(test_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
