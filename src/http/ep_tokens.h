/* http/ep_tokens.h: the body of POST /api/v1/tokens (ep_tokens.c). 0 with
 * *name set (pointing into body), or -EINVAL with *ref set (a 400). */
#ifndef OF_HTTP_EP_TOKENS_H
#define OF_HTTP_EP_TOKENS_H

#include <jansson.h>

struct http_refusal;
#include "util/compiler.h"

/* POST /api/v1/tokens: name. */
OF_MUST_CHECK int ep_token_parse(const json_t *body, const char **name, struct http_refusal *ref);

#endif
