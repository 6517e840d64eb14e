/* http/webfiles.h: the dashboard's files, compiled into the program.
 *
 * cmake/embed_web.cmake turns every file under web/ into one entry of
 * web_files (generated at build time), sorted by path with strcmp order.
 * Paths are relative to web/ ("index.html", "js/api.js") and hold only
 * [A-Za-z0-9._/-]. Everything here is static and read-only: any thread may
 * read it at any time. */
#ifndef OF_HTTP_WEBFILES_H
#define OF_HTTP_WEBFILES_H

#include <stddef.h>

struct web_file {
    const char *path;           /* relative to web/ */
    const char *type;           /* Content-Type */
    const unsigned char *bytes; /* len bytes */
    size_t len;
    const char *etag; /* strong ETag of the content, quotes included */
};

extern const struct web_file web_files[];
extern const size_t web_files_count;

/* The file at path (relative to web/), or NULL when there is none. NULL
 * path finds nothing. */
const struct web_file *webfiles_find(const char *path);

#endif
