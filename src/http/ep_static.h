/* http/ep_static.h: the dashboard's files (ep_static.c). */
#ifndef OF_HTTP_EP_STATIC_H
#define OF_HTTP_EP_STATIC_H

struct http_reply;

/* The dashboard's files (http/webfiles.h), public, from memory: web/<name>
 * as 200 with its bytes, 304 without when if_none_match (the request's
 * If-None-Match header, NULL when it has none) lists its ETag, 404 when
 * there is no such file. Both return 0. */
int ep_static_file(const char *name, const char *if_none_match, struct http_reply *r);
/* The same for a request path "/ui/<name>" (router_asset, http/router.h). */
int ep_static(const char *path, const char *if_none_match, struct http_reply *r);

#endif
