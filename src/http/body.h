/* http/body.h: JSON request bodies of the dashboard's API.
 *
 * A body is at most BODY_MAX bytes, sent as application/json, and holds
 * one JSON object; jansson parses it, refusing duplicate keys and NUL in
 * strings. The field readers below say what was wrong with one field in
 * words a person filling a form understands. Pure functions. */
#ifndef OF_HTTP_BODY_H
#define OF_HTTP_BODY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/compiler.h"

#define BODY_MAX (16 * 1024) /* bytes of a request body */

/* True when a Content-Type header names JSON: "application/json", in any
 * case, with or without parameters ("; charset=utf-8"). NULL is false. */
bool body_type_json(const char *content_type);

/* Parses buf[0..len) into a JSON object (*out, the caller's to json_decref).
 * 0; -E2BIG past BODY_MAX; -EINVAL with *why (static, one line) for
 * anything that is not one JSON object. */
OF_MUST_CHECK int body_parse(const char *buf, size_t len, json_t **out, const char **why);

/* The string field key of obj: 0 with *s and *len set; -ENOENT when obj is
 * NULL or the field is absent or null; -EINVAL when it is not a string. */
OF_MUST_CHECK int body_string(const json_t *obj, const char *key, const char **s, size_t *len);

#endif
