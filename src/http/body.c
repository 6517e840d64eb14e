/* http/body.c: bodies through jansson with the strictest flags it has.
 * JSON_REJECT_DUPLICATES: {"name":"a","name":"b"} must not mean whichever
 * one a reader happens to pick. Without JSON_ALLOW_NUL (the default),
 * "\u0000" is refused, so strings can be handled as C strings. */
#include "http/body.h"

#include <errno.h>
#include <strings.h>

bool body_type_json(const char *content_type)
{
    static const char json[] = "application/json";
    if (!content_type)
        return false;
    const char *p = content_type;
    while (*p == ' ' || *p == '\t')
        p++;
    if (strncasecmp(p, json, sizeof(json) - 1) != 0)
        return false;
    p += sizeof(json) - 1;
    while (*p == ' ' || *p == '\t')
        p++;
    return *p == '\0' || *p == ';';
}

int body_parse(const char *buf, size_t len, json_t **out, const char **why)
{
    if (len > BODY_MAX) {
        *why = "request body too large";
        return -E2BIG;
    }
    json_error_t err;
    json_t *j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        *why = "request body is not valid JSON";
        return -EINVAL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        *why = "request body must be a JSON object";
        return -EINVAL;
    }
    *out = j;
    return 0;
}

int body_string(const json_t *obj, const char *key, const char **s, size_t *len)
{
    const json_t *v = obj ? json_object_get(obj, key) : NULL;
    if (!v || json_is_null(v))
        return -ENOENT;
    if (!json_is_string(v))
        return -EINVAL;
    *s = json_string_value(v);
    *len = json_string_length(v);
    return 0;
}
