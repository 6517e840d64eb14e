/* http/ep_static.c: the dashboard's files, served from memory.
 *
 * The files are compiled in (http/webfiles.h), so a request can only ever
 * name one of them: the name is looked up in the table as it is, nothing
 * is opened on disk, and "..", encoded dots or odd bytes simply find no
 * entry (404). Each reply carries the content's ETag and "Cache-Control:
 * no-cache": browsers keep the file but ask every time whether it changed
 * (a matching If-None-Match gets a bodiless 304), so an upgrade shows at
 * once without versioned file names. The Content-Security-Policy lets the
 * page run only its own scripts and styles and talk only to its own
 * server: even a bug that let data into the markup could not run it. */
#include "http/ep_static.h"

#include <stdbool.h>
#include <string.h>

#include "http/endpoint.h"
#include "http/reply.h"
#include "http/router.h"
#include "http/webfiles.h"

#define EP_STATIC_CSP                                                                              \
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "              \
    "connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; "               \
    "frame-ancestors 'none'"

/* RFC 9110 13.1.2: If-None-Match is "*" or a list of entity tags, compared
 * weakly (a W/ prefix does not matter). */
static bool etag_listed(const char *list, const char *etag)
{
    size_t elen = strlen(etag);
    const char *p = list;
    while (*p) {
        p += strspn(p, " \t,");
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        size_t n = strcspn(p, ",");
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == elen && memcmp(p, etag, n) == 0)
            return true;
        p += strcspn(p, ",");
    }
    return false;
}

int ep_static_file(const char *name, const char *if_none_match, struct http_reply *r)
{
    const struct web_file *f = webfiles_find(name);
    if (!f) {
        reply_refuse(r, 404, "not found", NULL);
        return 0;
    }
    reply_fini(r);
    r->type = f->type;
    if (if_none_match && etag_listed(if_none_match, f->etag)) {
        r->status = 304;
    } else {
        r->status = 200;
        r->body = f->bytes;
        r->len = f->len;
    }
    reply_header(r, "ETag", f->etag);
    reply_header(r, "Cache-Control", "no-cache");
    reply_header(r, "Content-Security-Policy", EP_STATIC_CSP);
    reply_header(r, "X-Frame-Options", "DENY");
    reply_header(r, "Referrer-Policy", "same-origin");
    return 0;
}

int ep_static(const char *path, const char *if_none_match, struct http_reply *r)
{
    char buf[ROUTER_MAX_PATH];
    const char *name = router_asset(path, buf, sizeof(buf));
    if (!name) {
        reply_refuse(r, 404, "not found", NULL);
        return 0;
    }
    return ep_static_file(name, if_none_match, r);
}

int ep_ui(struct http_ctx *ctx, const struct http_call *call, struct http_reply *r)
{
    (void)ctx;
    return ep_static(call->path, call->if_none_match, r);
}
