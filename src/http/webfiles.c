/* http/webfiles.c: finding a file of the dashboard by path. The table is
 * generated sorted (cmake/embed_web.cmake), so a binary search does; the
 * generated file holds only data, this one the code that reads it. */
#include "http/webfiles.h"

#include <stdlib.h>
#include <string.h>

static int cmp_path(const void *key, const void *elem)
{
    const struct web_file *f = elem;
    return strcmp(key, f->path);
}

const struct web_file *webfiles_find(const char *path)
{
    if (!path)
        return NULL;
    return bsearch(path, web_files, web_files_count, sizeof(web_files[0]), cmp_path);
}
