/* http/ep_login.h: the body of POST /api/v1/login (ep_login.c): user and
 * password. 0 with the request filled in (strings point into body), or
 * -EINVAL with *ref set (a 400). */
#ifndef OF_HTTP_EP_LOGIN_H
#define OF_HTTP_EP_LOGIN_H

#include <jansson.h>
#include <stddef.h>

struct http_refusal;
#include "util/compiler.h"

struct ep_login_req {
    const char *user;
    const char *password;
    size_t password_len;
};
OF_MUST_CHECK int ep_login_parse(const json_t *body, struct ep_login_req *out,
                                 struct http_refusal *ref);

#endif
