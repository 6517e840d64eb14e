/* http/ep_users.h: the body of the user requests (ep_users.c). 0 with the
 * request filled in (strings point into body), or -EINVAL with *ref set
 * (a 400). */
#ifndef OF_HTTP_EP_USERS_H
#define OF_HTTP_EP_USERS_H

#include <jansson.h>
#include <stddef.h>

struct http_refusal;
#include "util/compiler.h"

/* POST /api/v1/users and /api/v1/users/password: name and password. */
struct ep_user_req {
    const char *name;
    const char *password;
    size_t password_len;
};
OF_MUST_CHECK int ep_user_parse(const json_t *body, struct ep_user_req *out,
                                struct http_refusal *ref);

#endif
