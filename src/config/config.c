/* config/config.c: reading the INI file with inih.
 *
 * inih calls us once per "name = value" line. Each option is one row of a
 * table (name, parser, where the value goes, bounds), so adding an option is
 * one line and every option gets the same strict number parsing and the
 * same "FILE:LINE: reason" error. Values may be wrapped in double quotes, as
 * the original's config files write them. */
#include "config/config.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/log.h"
#include "util/parse.h"
#include "util/paths.h"

/* No config file is this large; a larger one is not a config file. */
#define CONFIG_MAX_FILE (1u << 20)

enum opt_kind {
    OPT_U16,
    OPT_U32,
    OPT_SIZE,
    OPT_BYTES,
    OPT_INT,
    OPT_BOOL,
    OPT_PATH,
    OPT_FONT,
    OPT_LISTEN
};

struct opt {
    const char *name;
    enum opt_kind kind;
    size_t offset;
    uint64_t min;
    uint64_t max;
};

#define OPT(n, k, field, lo, hi)                                                                   \
    {                                                                                              \
        n, k, offsetof(struct of_config, field), lo, hi                                            \
    }

static const struct opt options[] = {
    OPT("COLLECTOR_PORT", OPT_U16, collector_port, 1, 65535),
    OPT("SFLOW_PORT", OPT_U16, sflow_port, 1, 65535),
    OPT("LISTEN_ADDRESS", OPT_LISTEN, listen, 0, 0),
    OPT("DB_PATH", OPT_PATH, db_path, 0, 0),
    OPT("FLUSH_INTERVAL", OPT_U32, flush_interval, 1, 60),
    OPT("STORAGE_RESERVED_SPACE", OPT_U32, retention.reserve_pct, 0, RETENTION_MAX_RESERVE),
    OPT("RETENTION_DAYS", OPT_U32, retention.bin_days, 0, RETENTION_MAX_DAYS),
    OPT("RETENTION_HOURLY_DAYS", OPT_U32, retention.hour_days, 0, RETENTION_MAX_DAYS),
    OPT("WORKERS", OPT_U32, workers, 0, 64),
    OPT("MAX_EXPORTERS", OPT_SIZE, max_exporters, 1, 1000000),
    OPT("MAX_TEMPLATES", OPT_SIZE, max_templates, 1, 65535),
    OPT("SOCKET_RCVBUF", OPT_INT, rcvbuf, 65536, 1u << 30),
    OPT("SAMPLING_RATE", OPT_U32, agg.default_rate, 1, 1000000000),
    OPT("SAMPLING_FORCE", OPT_BOOL, agg.force_rate, 0, 1),
    OPT("COUNTERS_MEMORY", OPT_BYTES, counters_memory, (uint64_t)16 << 20, (uint64_t)1 << 40),
    OPT("MAX_ROWS", OPT_SIZE, agg.max_entries, 1024, AGG_MAX_ROWS),
    OPT("FLOW_MAX_AGE", OPT_U32, agg.max_age_s, 60, 604800),
    OPT("FLOW_MAX_FUTURE", OPT_U32, agg.max_future_s, 0, 86400),
    OPT("FLOW_MAX_SPAN", OPT_U32, agg.max_span_s, 300, 604800),
    OPT("HTTP_PORT", OPT_U16, http_port, 0, 65535),
    OPT("HTTP_LISTEN_ADDRESS", OPT_LISTEN, http_listen, 0, 0),
    OPT("HTTP_THREADS", OPT_U32, http_threads, 0, 64),
    OPT("HTTP_MAX_CONNECTIONS", OPT_U32, http_max_conn, 1, 100000),
    OPT("HTTP_TIMEOUT", OPT_U32, http_timeout, 1, 3600),
    OPT("ENDPOINTS_HOSTS", OPT_LISTEN, endpoints_hosts, 0, 0),
    OPT("CHARTS_NETDESC", OPT_BOOL, charts_netdesc, 0, 1),
    OPT("CHARTS_PREALLOC_TIMELINE", OPT_BOOL, charts_prealloc, 0, 1),
    OPT("CHARTS_FONT", OPT_FONT, charts_font, 0, 0),
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* The file's text as inih reads it, a line per call, so that we know the
 * line inih is at (its handlers are not told) and no line is cut in two. */
struct text {
    const char *p, *end;
    int line;     /* the line last handed to inih, from 1 */
    int too_long; /* the line that did not fit inih's buffer; 0: none */
    int max_line; /* that buffer's size */
};

struct load_state {
    struct of_config *cfg;
    char *err;
    size_t errlen;
    bool nets_replaced;
    const char *path;
    struct text text;
    int option_line[NOPTIONS];    /* where each option was set; 0: not yet */
    int class_line[CLASS__COUNT]; /* where each [classes] line was */
};

int config_init(struct of_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->collector_port = 42112;
    cfg->sflow_port = 6343;
    (void)snprintf(cfg->db_path, sizeof(cfg->db_path), "%s", OF_DEFAULT_DB);
    cfg->flush_interval = 10;
    cfg->counters_memory = (size_t)1 << 30;
    cfg->retention.reserve_pct = 10;
    cfg->workers = 0;
    cfg->max_exporters = 1024;
    cfg->max_templates = 256;
    cfg->rcvbuf = 32 << 20;
    cfg->http_port = 42180;
    cfg->http_max_conn = 256;
    cfg->http_timeout = 30;
    agg_cfg_default(&cfg->agg);
    cfg->nets = nets_new();
    cfg->cls = malloc(sizeof(*cfg->cls));
    if (!cfg->nets || !cfg->cls) {
        config_fini(cfg);
        return -ENOMEM;
    }
    classify_init_default(cfg->cls);
    return 0;
}

void config_fini(struct of_config *cfg)
{
    nets_free(cfg->nets);
    free(cfg->cls);
    cfg->nets = NULL;
    cfg->cls = NULL;
}

static int fail(struct load_state *ls, const char *fmt, ...) OF_PRINTF(2, 3);
static int fail(struct load_state *ls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(ls->err, ls->errlen, fmt, ap);
    va_end(ap);
    return 0; /* inih: 0 stops and reports this line */
}

/* Copies value without surrounding double quotes. */
static void unquote(const char *value, char *buf, size_t len)
{
    size_t n = strlen(value);
    if (n >= 2 && value[0] == '"' && value[n - 1] == '"') {
        value++;
        n -= 2;
    }
    if (n >= len)
        n = len - 1;
    memcpy(buf, value, n);
    buf[n] = '\0';
}

/* A key given twice: the later line wins, as it always did, but an
 * operator who edits the first one should not wonder why nothing changes.
 * (inih hands an indented continuation line over as the same key again.) */
static void seen_again(struct load_state *ls, int *first, const char *name)
{
    if (*first)
        log_msg(LOG_WARN, "%s:%d: %s is set again (first on line %d): line %d's value is used",
                ls->path, ls->text.line, name, *first, ls->text.line);
    else
        *first = ls->text.line;
}

/* A comma- or space-separated list of IP addresses; empty is allowed. */
static int set_addr_list(struct load_state *ls, const char *name, struct addr_list *l,
                         const char *v)
{
    l->n = 0;
    const char *p = v;
    while (*p) {
        size_t len = strcspn(p, ", ");
        if (len > 0) {
            char buf[64];
            struct of_addr a;
            if (len >= sizeof(buf) || l->n == CONFIG_MAX_ADDRS)
                return fail(ls, "%s takes up to %d addresses", name, CONFIG_MAX_ADDRS);
            memcpy(buf, p, len);
            buf[len] = '\0';
            if (addr_parse(buf, &a) < 0)
                return fail(ls, "%s: \"%s\" is not an IP address", name, buf);
            memcpy(l->a[l->n++], buf, len + 1);
        }
        p += len;
        p += strspn(p, ", ");
    }
    return 1;
}

static int set_option(struct load_state *ls, const struct opt *o, const char *v)
{
    char *field = (char *)ls->cfg + o->offset;
    uint64_t n = 0;
    int b = 0;
    switch (o->kind) {
    case OPT_PATH:
        if (v[0] == '\0' || strlen(v) >= CONFIG_MAX_PATH)
            return fail(ls, "%s must be a path of 1..%d bytes", o->name, CONFIG_MAX_PATH - 1);
        memcpy(field, v, strlen(v) + 1);
        return 1;
    case OPT_FONT: /* may be empty: the default font */
        if (strlen(v) >= CONFIG_MAX_PATH)
            return fail(ls, "%s is longer than %d bytes", o->name, CONFIG_MAX_PATH - 1);
        memcpy(field, v, strlen(v) + 1);
        return 1;
    case OPT_LISTEN:
        return set_addr_list(ls, o->name, (struct addr_list *)field, v);
    case OPT_BOOL:
        if (parse_bool(v, &b) < 0)
            return fail(ls, "%s must be yes or no, got \"%s\"", o->name, v);
        *(bool *)field = b != 0;
        return 1;
    case OPT_BYTES:
        if (parse_bytes(v, o->min, o->max, &n) < 0)
            return fail(
                ls,
                "%s must be a size in bytes (K, M, G or T may follow) in %llu..%llu, got \"%s\"",
                o->name, (unsigned long long)o->min, (unsigned long long)o->max, v);
        *(size_t *)field = (size_t)n;
        return 1;
    default:
        break;
    }
    if (parse_u64(v, o->min, o->max, &n) < 0)
        return fail(ls, "%s must be a number in %llu..%llu, got \"%s\"", o->name,
                    (unsigned long long)o->min, (unsigned long long)o->max, v);
    if (o->kind == OPT_U16)
        *(uint16_t *)field = (uint16_t)n;
    else if (o->kind == OPT_U32)
        *(uint32_t *)field = (uint32_t)n;
    else if (o->kind == OPT_SIZE)
        *(size_t *)field = (size_t)n;
    else
        *(int *)field = (int)n;
    return 1;
}

static int add_net(struct load_state *ls, const char *cidr, const char *desc)
{
    int rc = nets_add(ls->cfg->nets, cidr, desc);
    if (rc == -EEXIST)
        return fail(ls, "network %s is listed twice", cidr);
    if (rc == -ENAMETOOLONG)
        return fail(ls, "description of %s is longer than %d bytes", cidr, NETS_MAX_DESC - 1);
    if (rc < 0)
        return fail(ls, "\"%s\" is not a network (CIDR such as 10.0.0.0/8, host bits zero)", cidr);
    return 1;
}

/* "net = 10.0.0.0/8 Office LAN" */
static int network_line(struct load_state *ls, const char *name, const char *v)
{
    if (strcasecmp(name, "net") != 0)
        return fail(ls, "[networks] lines are \"net = CIDR description\", got \"%s\"", name);
    char cidr[NETS_CIDR_STRLEN];
    size_t len = strcspn(v, " \t");
    if (len == 0 || len >= sizeof(cidr))
        return fail(ls, "\"%s\" is not a network", v);
    memcpy(cidr, v, len);
    cidr[len] = '\0';
    const char *desc = v + len;
    desc += strspn(desc, " \t");
    return add_net(ls, cidr, desc);
}

static int class_line(struct load_state *ls, const char *name, const char *v)
{
    int cls = class_from_name(name);
    const char *bad = NULL;
    if (cls <= CLASS_TCP)
        return fail(ls,
                    "[classes] names one of mail, dns, vpn, ftp, web, proxy, quic, sip; "
                    "got \"%s\"",
                    name);
    seen_again(ls, &ls->class_line[cls], name);
    if (classify_set_class(ls->cfg->cls, (enum traffic_class)cls, v, &bad) < 0)
        return fail(ls, "%s: bad item \"%.*s\" (tcp/PORT, udp/PORT or proto/NUMBER)", name,
                    (int)strcspn(bad, ", \t"), bad);
    return 1;
}

static int on_line(void *user, const char *section, const char *name, const char *value)
{
    struct load_state *ls = user;
    char v[CONFIG_MAX_PATH];
    if (strlen(value) >= sizeof(v))
        return fail(ls, "the value of %s is longer than %zu bytes", name, sizeof(v) - 1);
    unquote(value, v, sizeof(v));
    if (strcasecmp(section, "networks") == 0) {
        if (!ls->nets_replaced) {
            /* a file that lists networks defines the whole list */
            struct nets *fresh = nets_new();
            if (!fresh)
                return fail(ls, "out of memory");
            nets_free(ls->cfg->nets);
            ls->cfg->nets = fresh;
            ls->nets_replaced = true;
        }
        return network_line(ls, name, v);
    }
    if (strcasecmp(section, "classes") == 0)
        return class_line(ls, name, v);
    if (section[0] != '\0')
        return fail(ls, "unknown section [%s]", section);
    for (size_t i = 0; i < NOPTIONS; i++)
        if (strcmp(name, options[i].name) == 0) {
            seen_again(ls, &ls->option_line[i], name);
            return set_option(ls, &options[i], v);
        }
    return fail(ls, "unknown option %s", name);
}

static char *text_line(char *str, int num, void *stream)
{
    struct text *t = stream;
    if (t->p >= t->end || t->too_long)
        return NULL;
    const char *nl = memchr(t->p, '\n', (size_t)(t->end - t->p));
    size_t len = (size_t)((nl ? nl + 1 : t->end) - t->p);
    t->line++;
    if (len >= (size_t)num) {
        t->too_long = t->line; /* ends the parse here */
        t->max_line = num;
        return NULL;
    }
    memcpy(str, t->p, len);
    str[len] = '\0';
    t->p += len;
    return str;
}

/* The whole file, which must be a regular file of text. */
static int read_text(const char *path, char **out, size_t *len, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    int rc = 0;
    char *buf = NULL;
    if (fd < 0 || fstat(fd, &sb) < 0) {
        rc = errno ? -errno : -EIO;
        (void)snprintf(err, errlen, "%s: %s", path, strerror(-rc));
        goto out;
    }
    if (S_ISDIR(sb.st_mode)) {
        rc = -EISDIR;
        (void)snprintf(err, errlen, "%s: is a directory, not a config file", path);
        goto out;
    }
    buf = malloc(CONFIG_MAX_FILE + 1);
    if (!buf) {
        rc = -ENOMEM;
        (void)snprintf(err, errlen, "%s: out of memory", path);
        goto out;
    }
    size_t n = 0;
    ssize_t got;
    while (n <= CONFIG_MAX_FILE && (got = read(fd, buf + n, CONFIG_MAX_FILE + 1 - n)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = -errno;
            (void)snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-rc));
            goto out;
        }
        n += (size_t)got;
    }
    if (n > CONFIG_MAX_FILE) {
        rc = -EFBIG;
        (void)snprintf(err, errlen, "%s: larger than %u bytes, not a config file", path,
                       CONFIG_MAX_FILE);
        goto out;
    }
    *out = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}

/* A NUL would end a value early, silently: "1<NUL>junk" would read as 1. */
static int check_nul(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
    const char *nul = text ? memchr(text, '\0', len) : NULL;
    if (!nul)
        return 0;
    int line = 1;
    for (const char *p = text; p < nul; p++)
        line += *p == '\n';
    (void)snprintf(err, errlen, "%s:%d: a NUL byte (the file is binary or damaged)", path, line);
    return -EINVAL;
}

int config_load(struct of_config *cfg, const char *path, char *err, size_t errlen)
{
    char msg[CONFIG_MAX_ERROR] = "";
    struct load_state *ls = calloc(1, sizeof(*ls));
    char *text = NULL;
    size_t len = 0;
    int rc = -ENOMEM;
    if (!ls) {
        (void)snprintf(err, errlen, "%s: out of memory", path);
        goto out;
    }
    rc = read_text(path, &text, &len, err, errlen);
    if (rc == 0)
        rc = check_nul(path, text, len, err, errlen);
    if (rc < 0)
        goto out;
    *ls = (struct load_state){.cfg = cfg, .err = msg, .errlen = sizeof(msg), .path = path};
    ls->text = (struct text){.p = text, .end = text + len};
    int line = ini_parse_stream(text_line, &ls->text, on_line, ls);
    if (line == 0 && ls->text.too_long) {
        line = ls->text.too_long;
        (void)snprintf(msg, sizeof(msg), "line longer than %d bytes", ls->text.max_line - 2);
    }
    if (line != 0) {
        (void)snprintf(err, errlen, "%s:%d: %s", path, line, msg[0] ? msg : "syntax error");
        rc = line < 0 ? -ENOMEM : -EINVAL;
    }
out:
    free(text);
    free(ls);
    return rc;
}

int config_add_network(struct of_config *cfg, const char *arg, bool first, char *err, size_t errlen)
{
    struct load_state ls = {.cfg = cfg, .err = err, .errlen = errlen, .nets_replaced = !first};
    if (first) {
        struct nets *fresh = nets_new();
        if (!fresh)
            return -ENOMEM;
        nets_free(cfg->nets);
        cfg->nets = fresh;
    }
    char cidr[NETS_CIDR_STRLEN];
    const char *eq = strchr(arg, '=');
    size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
    if (len == 0 || len >= sizeof(cidr)) {
        (void)snprintf(err, errlen, "--network: \"%s\" is not a network", arg);
        return -EINVAL;
    }
    memcpy(cidr, arg, len);
    cidr[len] = '\0';
    if (!add_net(&ls, cidr, eq ? eq + 1 : ""))
        return -EINVAL;
    return 0;
}

/* The options a reload applies at once (see cmd_run.c). */
static bool option_reloads(const struct opt *o)
{
    static const char *const names[] = {"ENDPOINTS_HOSTS", "STORAGE_RESERVED_SPACE",
                                        "RETENTION_DAYS", "RETENTION_HOURLY_DAYS"};
    for (size_t i = 0; i < OF_ARRAY_LEN(names); i++)
        if (strcmp(o->name, names[i]) == 0)
            return true;
    return false;
}

/* Whether an option has the same value in a and b. */
static bool option_same(const struct opt *o, const struct of_config *a, const struct of_config *b)
{
    const char *fa = (const char *)a + o->offset;
    const char *fb = (const char *)b + o->offset;
    switch (o->kind) {
    case OPT_U16:
        return memcmp(fa, fb, sizeof(uint16_t)) == 0;
    case OPT_U32:
        return memcmp(fa, fb, sizeof(uint32_t)) == 0;
    case OPT_SIZE:
    case OPT_BYTES:
        return memcmp(fa, fb, sizeof(size_t)) == 0;
    case OPT_INT:
        return memcmp(fa, fb, sizeof(int)) == 0;
    case OPT_BOOL:
        return *(const bool *)fa == *(const bool *)fb;
    case OPT_PATH:
    case OPT_FONT:
        return strcmp(fa, fb) == 0;
    case OPT_LISTEN: {
        const struct addr_list *la = (const struct addr_list *)fa;
        const struct addr_list *lb = (const struct addr_list *)fb;
        if (la->n != lb->n)
            return false;
        for (size_t i = 0; i < la->n; i++)
            if (strcmp(la->a[i], lb->a[i]) != 0)
                return false;
        return true;
    }
    }
    return false;
}

/* Appends ", name" (or the first name) to buf when it fits whole; once a
 * name does not fit, the list stays as it is. */
static void list_name(char *buf, size_t len, size_t *used, const char *name)
{
    if (*used >= len)
        return;
    size_t need = (*used ? 2 : 0) + strlen(name);
    if (need >= len - *used) {
        *used = len; /* full: later names are left out as well */
        return;
    }
    int n = snprintf(buf + *used, len - *used, "%s%s", *used ? ", " : "", name);
    *used += n > 0 ? (size_t)n : 0;
}

size_t config_restart_changes(const struct of_config *a, const struct of_config *b, char *buf,
                              size_t len)
{
    size_t count = 0;
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
        const struct opt *o = &options[i];
        if (option_reloads(o) || option_same(o, a, b))
            continue;
        count++;
        if (len)
            list_name(buf, len, &used, o->name);
    }
    if (memcmp(a->cls, b->cls, sizeof(*a->cls)) != 0) {
        count++;
        if (len)
            list_name(buf, len, &used, "[classes]");
    }
    return count;
}

int config_finish(struct of_config *cfg)
{
    return nets_build(cfg->nets);
}
