/* Tests of config/config.c: options, sections, and errors that name the
 * line. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config/config.h"

static char path[64];

static void write_bytes(const char *text, size_t len)
{
    snprintf(path, sizeof(path), "/tmp/of-test-config-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static void write_file(const char *text)
{
    write_bytes(text, strlen(text));
}

static long lookup(const struct of_config *cfg, const char *ip)
{
    struct of_addr a;
    assert_int_equal(addr_parse(ip, &a), 0);
    return nets_lookup(cfg->nets, &a);
}

static void test_full_file(void **state)
{
    (void)state;
    struct of_config cfg;
    char err[CONFIG_MAX_ERROR];
    write_file("; the original's style\n"
               "COLLECTOR_PORT=2055\n"
               "SFLOW_PORT = \"6344\"\n"
               "SAMPLING_RATE=1\n"
               "SAMPLING_FORCE=yes\n"
               "LISTEN_ADDRESS=127.0.0.1, ::1\n"
               "DB_PATH=/tmp/x.db\n"
               "FLUSH_INTERVAL=5\n"
               "STORAGE_RESERVED_SPACE=20\n"
               "RETENTION_DAYS=\"60\"\n"
               "RETENTION_HOURLY_DAYS=400\n"
               "HTTP_PORT=8042\n"
               "ENDPOINTS_HOSTS=\"192.0.2.5,2001:db8::5\"\n"
               "CHARTS_NETDESC=1\n"
               "COUNTERS_MEMORY=256M\n"
               "[networks]\n"
               "net = 10.20.0.0/24 Office LAN\n"
               "net = 2001:db8:20::/64\n"
               "[classes]\n"
               "web = tcp/80, tcp/443, tcp/8443\n");
    assert_int_equal(config_init(&cfg), 0);
    assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
    assert_int_equal(config_finish(&cfg), 0);
    assert_int_equal(cfg.collector_port, 2055);
    assert_int_equal(cfg.sflow_port, 6344);
    assert_int_equal(cfg.agg.default_rate, 1);
    assert_true(cfg.agg.force_rate);
    assert_int_equal(cfg.listen.n, 2);
    assert_string_equal(cfg.listen.a[1], "::1");
    assert_int_equal(cfg.http_port, 8042);
    assert_int_equal(cfg.endpoints_hosts.n, 2);
    assert_string_equal(cfg.endpoints_hosts.a[0], "192.0.2.5");
    assert_true(cfg.charts_netdesc);
    assert_false(cfg.charts_prealloc);
    assert_string_equal(cfg.db_path, "/tmp/x.db");
    assert_int_equal(cfg.flush_interval, 5);
    assert_int_equal(cfg.counters_memory, 256 << 20);
    assert_int_equal(cfg.retention.reserve_pct, 20);
    assert_int_equal(cfg.retention.bin_days, 60);
    assert_int_equal(cfg.retention.hour_days, 400);
    assert_int_equal(nets_count(cfg.nets), 2);
    assert_string_equal(nets_desc(cfg.nets, 0), "Office LAN");
    assert_int_equal(lookup(&cfg, "2001:db8:20::5"), 1);
    assert_int_equal(classify_port(cfg.cls, 6, 8443), CLASS_WEB);
    config_fini(&cfg);
    unlink(path);
}

static void test_errors_name_the_line(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"COLLECTOR_PORT=42112\nCOLLECTOR_PORT=70000\n", ":2: COLLECTOR_PORT must be a number"},
        {"SAMPLING_RATE=0\n", ":1: SAMPLING_RATE must be a number in 1..1000000000"},
        {"SAMPLING_RATE=10x\n", ":1: SAMPLING_RATE"},
        {"\n\nNO_SUCH=1\n", ":3: unknown option NO_SUCH"},
        {"[networks]\nnet = 10.0.0.1/8\n", ":2: \"10.0.0.1/8\" is not a network"},
        {"[networks]\nnet = 10.0.0.0/8\nnet = 10.0.0.0/8 again\n", ":3: network 10.0.0.0/8"},
        {"[networks]\n10.0.0.0/8 = x\n", ":2: [networks] lines are"},
        {"[classes]\nweb = tcp/80 sctp/9\n", ":2: web: bad item \"sctp/9\""},
        {"[classes]\ntcp = tcp/80\n", ":2: [classes] names one of"},
        {"[other]\nx=1\n", ":2: unknown section [other]"},
        {"SAMPLING_FORCE=maybe\n", ":1: SAMPLING_FORCE must be yes or no"},
        {"LISTEN_ADDRESS=localhost\n", ":1: LISTEN_ADDRESS: \"localhost\" is not an IP"},
        {"FLUSH_INTERVAL=61\n", ":1: FLUSH_INTERVAL must be a number in 1..60"},
        {"STORAGE_RESERVED_SPACE=100\n", ":1: STORAGE_RESERVED_SPACE must be a number in 0..99"},
        {"RETENTION_DAYS=-1\n", ":1: RETENTION_DAYS must be a number in 0..36500"},
        {"RETENTION_HOURLY_DAYS=36501\n", ":1: RETENTION_HOURLY_DAYS must be a number in 0..36500"},
        {"COUNTERS_MEMORY=1M\n", ":1: COUNTERS_MEMORY must be a size in bytes"},
        {"COUNTERS_MEMORY=1GB\n", ":1: COUNTERS_MEMORY must be a size in bytes"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct of_config cfg;
        char err[CONFIG_MAX_ERROR] = "";
        write_file(cases[i].text);
        assert_int_equal(config_init(&cfg), 0);
        assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -EINVAL);
        if (!strstr(err, path) || !strstr(err, cases[i].want))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err, cases[i].want);
        config_fini(&cfg);
        unlink(path);
    }
}

/* The retention defaults: a tenth of the disk kept free, and the bins and
 * hours kept as long as the disk allows. */
static void test_retention_defaults(void **state)
{
    (void)state;
    struct of_config cfg;
    assert_int_equal(config_init(&cfg), 0);
    assert_int_equal(cfg.retention.reserve_pct, 10);
    assert_int_equal(cfg.retention.bin_days, 0);
    assert_int_equal(cfg.retention.hour_days, 0);
    /* the counters: a memory budget, and no row count of their own */
    assert_int_equal(cfg.counters_memory, 1 << 30);
    assert_int_equal(cfg.agg.max_entries, AGG_MAX_ROWS);
    config_fini(&cfg);
}

static void test_missing_file(void **state)
{
    (void)state;
    struct of_config cfg;
    char err[CONFIG_MAX_ERROR];
    assert_int_equal(config_init(&cfg), 0);
    assert_int_equal(config_load(&cfg, "/nonexistent/of.conf", err, sizeof(err)), -ENOENT);
    assert_non_null(strstr(err, "/nonexistent/of.conf"));
    config_fini(&cfg);
}

static void test_network_overrides(void **state)
{
    (void)state;
    struct of_config cfg;
    char err[CONFIG_MAX_ERROR];
    write_file("[networks]\nnet = 10.0.0.0/8 from file\n");
    assert_int_equal(config_init(&cfg), 0);
    assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
    assert_int_equal(config_add_network(&cfg, "192.168.0.0/16=Home", true, err, sizeof(err)), 0);
    assert_int_equal(config_add_network(&cfg, "2001:db8::/32", false, err, sizeof(err)), 0);
    assert_int_equal(config_add_network(&cfg, "2001:db8::/33x", false, err, sizeof(err)), -EINVAL);
    assert_int_equal(config_finish(&cfg), 0);
    assert_int_equal(nets_count(cfg.nets), 2); /* the file's list was replaced */
    assert_int_equal(lookup(&cfg, "10.1.1.1"), -1);
    assert_int_equal(lookup(&cfg, "192.168.3.3"), 0);
    assert_string_equal(nets_desc(cfg.nets, 0), "Home");
    config_fini(&cfg);
    unlink(path);
}

/* A reload tells which changed options wait for a restart: all but the
 * networks, ENDPOINTS_HOSTS and the retention options. */
static void test_restart_changes(void **state)
{
    (void)state;
    struct of_config a, b;
    char err[CONFIG_MAX_ERROR], names[256];
    write_file("COLLECTOR_PORT=2055\nENDPOINTS_HOSTS=192.0.2.5\n[networks]\nnet = 10.0.0.0/8\n");
    assert_int_equal(config_init(&a), 0);
    assert_int_equal(config_load(&a, path, err, sizeof(err)), 0);
    unlink(path);
    write_file("COLLECTOR_PORT=2055\nENDPOINTS_HOSTS=::1\nSTORAGE_RESERVED_SPACE=5\n"
               "RETENTION_DAYS=7\nRETENTION_HOURLY_DAYS=90\n[networks]\nnet = 192.168.0.0/16\n");
    assert_int_equal(config_init(&b), 0);
    assert_int_equal(config_load(&b, path, err, sizeof(err)), 0);
    unlink(path);
    assert_int_equal(config_restart_changes(&a, &b, names, sizeof(names)), 0);
    assert_string_equal(names, "");
    config_fini(&b);
    write_file("COLLECTOR_PORT=2056\nSAMPLING_RATE=1\nHTTP_LISTEN_ADDRESS=::1\nCHARTS_FONT=/x.ttf\n"
               "[classes]\nweb = tcp/80\n");
    assert_int_equal(config_init(&b), 0);
    assert_int_equal(config_load(&b, path, err, sizeof(err)), 0);
    unlink(path);
    assert_int_equal(config_restart_changes(&a, &b, names, sizeof(names)), 5);
    assert_string_equal(names, "COLLECTOR_PORT, SAMPLING_RATE, HTTP_LISTEN_ADDRESS, CHARTS_FONT, "
                               "[classes]");
    assert_int_equal(config_restart_changes(&a, &b, names, 20), 5); /* cut short, still counted */
    assert_int_equal(config_restart_changes(&a, &b, NULL, 0), 5);
    config_fini(&a);
    config_fini(&b);
}

/* What would otherwise be read as something else, silently: a directory
 * (read as an empty file), a NUL byte (which ended the value before it), a
 * line or a value too long for the buffers (cut in two). */
static void test_not_config_text(void **state)
{
    (void)state;
    struct of_config cfg;
    char err[CONFIG_MAX_ERROR] = "";
    char dir[] = "/tmp/of-test-config-dir-XXXXXX";
    assert_non_null(mkdtemp(dir));
    assert_int_equal(config_init(&cfg), 0);
    assert_int_equal(config_load(&cfg, dir, err, sizeof(err)), -EISDIR);
    assert_non_null(strstr(err, dir));
    assert_non_null(strstr(err, "is a directory"));
    config_fini(&cfg);
    rmdir(dir);

    static const char nul[] = "HTTP_PORT=8042\nSAMPLING_RATE=1\0junk\n";
    write_bytes(nul, sizeof(nul) - 1);
    assert_int_equal(config_init(&cfg), 0);
    assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -EINVAL);
    assert_non_null(strstr(err, ":2: a NUL byte"));
    config_fini(&cfg);
    unlink(path);

    char line[400];
    snprintf(line, sizeof(line), "FLUSH_INTERVAL=5\nDB_PATH=/tmp/%0300d.db\n", 7);
    write_file(line);
    assert_int_equal(config_init(&cfg), 0);
    assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -EINVAL);
    if (!strstr(err, ":2: line longer than "))
        fail_msg("\"%s\"", err);
    config_fini(&cfg);
    unlink(path);
}

/* A key given twice: the later line wins, and a warning names both. */
static void test_duplicate_key_warns(void **state)
{
    (void)state;
    struct of_config cfg;
    char err[CONFIG_MAX_ERROR] = "";
    write_file("SAMPLING_RATE=10\nHTTP_PORT=8042\nSAMPLING_RATE = 20\n"
               "[classes]\nweb = tcp/80\nweb = tcp/8080\n");
    char log[] = "/tmp/of-test-config-log-XXXXXX";
    int fd = mkstemp(log);
    assert_true(fd >= 0);
    int saved = dup(2);
    dup2(fd, 2);
    assert_int_equal(config_init(&cfg), 0);
    int rc = config_load(&cfg, path, err, sizeof(err));
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    assert_int_equal(rc, 0);
    assert_int_equal(cfg.agg.default_rate, 20);
    char got[1024] = "";
    assert_true(pread(fd, got, sizeof(got) - 1, 0) > 0);
    close(fd);
    unlink(log);
    char want[128];
    snprintf(want, sizeof(want), "%s:3: SAMPLING_RATE is set again (first on line 1)", path);
    if (!strstr(got, want) || !strstr(got, ":6: web is set again (first on line 5)"))
        fail_msg("log: \"%s\"", got);
    config_fini(&cfg);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_config_text),    cmocka_unit_test(test_duplicate_key_warns),
        cmocka_unit_test(test_full_file),          cmocka_unit_test(test_errors_name_the_line),
        cmocka_unit_test(test_retention_defaults), cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_network_overrides),  cmocka_unit_test(test_restart_changes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
