/* account/classify.c: building the port tables, from the defaults or from
 * the operator's "[classes]" config lines. */
#include "account/classify.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "util/parse.h"

struct port_rule {
    uint8_t proto; /* 6, 17, or 0 for "by protocol number" */
    uint16_t value;
    uint8_t cls;
};

static const struct port_rule default_rules[] = {
    {6, 80, CLASS_WEB},     {6, 443, CLASS_WEB},    {6, 20, CLASS_FTP},     {6, 21, CLASS_FTP},
    {6, 25, CLASS_MAIL},    {6, 110, CLASS_MAIL},   {6, 143, CLASS_MAIL},   {6, 587, CLASS_MAIL},
    {6, 53, CLASS_DNS},     {17, 53, CLASS_DNS},    {6, 3128, CLASS_PROXY}, {6, 8080, CLASS_PROXY},
    {6, 8888, CLASS_PROXY}, {6, 1080, CLASS_PROXY}, {17, 443, CLASS_QUIC},  {17, 80, CLASS_QUIC},
    {17, 1701, CLASS_VPN},  {17, 51820, CLASS_VPN}, {17, 5060, CLASS_SIP},  {0, 47, CLASS_VPN},
    {0, 50, CLASS_VPN},
};

static void apply_rule(struct classifier *c, const struct port_rule *r)
{
    if (r->proto == 6)
        c->tcp[r->value] = r->cls;
    else if (r->proto == 17)
        c->udp[r->value] = r->cls;
    else
        c->by_proto[r->value & 0xff] = r->cls;
}

void classify_init_default(struct classifier *c)
{
    memset(c, CLASS_TOTAL, sizeof(*c));
    for (size_t i = 0; i < sizeof(default_rules) / sizeof(default_rules[0]); i++)
        apply_rule(c, &default_rules[i]);
}

/* Parses one item "tcp/80", "udp/5060" or "proto/47". */
static int parse_item(const char *item, size_t len, uint8_t cls, struct port_rule *out)
{
    char buf[32];
    if (len == 0 || len >= sizeof(buf))
        return -EINVAL;
    memcpy(buf, item, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    if (!slash)
        return -EINVAL;
    *slash = '\0';
    uint64_t v;
    if (strcasecmp(buf, "tcp") == 0 || strcasecmp(buf, "udp") == 0) {
        if (parse_u64(slash + 1, 0, 65535, &v) < 0)
            return -EINVAL;
        out->proto = strcasecmp(buf, "tcp") == 0 ? 6 : 17;
    } else if (strcasecmp(buf, "proto") == 0) {
        if (parse_u64(slash + 1, 0, 255, &v) < 0 || v == 6 || v == 17)
            return -EINVAL;
        out->proto = 0;
    } else {
        return -EINVAL;
    }
    out->value = (uint16_t)v;
    out->cls = cls;
    return 0;
}

static void clear_class(struct classifier *c, uint8_t cls)
{
    for (size_t i = 0; i < 65536; i++) {
        if (c->tcp[i] == cls)
            c->tcp[i] = CLASS_TOTAL;
        if (c->udp[i] == cls)
            c->udp[i] = CLASS_TOTAL;
    }
    for (size_t i = 0; i < 256; i++)
        if (c->by_proto[i] == cls)
            c->by_proto[i] = CLASS_TOTAL;
}

int classify_set_class(struct classifier *c, enum traffic_class cls, const char *list,
                       const char **bad_item)
{
    if (cls <= CLASS_TCP || cls >= CLASS__COUNT) {
        *bad_item = list;
        return -EINVAL;
    }
    /* Validate the whole list before touching the table. */
    struct port_rule rules[256];
    size_t n = 0;
    const char *p = list;
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, ", \t");
        if (n == sizeof(rules) / sizeof(rules[0]) ||
            parse_item(p, len, (uint8_t)cls, &rules[n]) < 0) {
            *bad_item = p;
            return -EINVAL;
        }
        n++;
        p += len;
    }
    clear_class(c, (uint8_t)cls);
    for (size_t i = 0; i < n; i++)
        apply_rule(c, &rules[i]);
    return 0;
}
