/* store/store.c: picks a backend by name.
 *
 * The list is static so that the backends a binary has are known when it is
 * built; a new backend adds its ops table here. */
#include "store/store.h"

#include <errno.h>
#include <string.h>

#include "store/store_sqlite.h"

#define STORE_DEFAULT_BACKEND "sqlite"

static const struct store_ops *const backends[] = {
    &store_sqlite_ops,
};

int store_open(struct store **out, const struct store_cfg *cfg)
{
    if (!cfg)
        return -EINVAL;
    const char *name = cfg->backend ? cfg->backend : STORE_DEFAULT_BACKEND;
    for (size_t i = 0; i < OF_ARRAY_LEN(backends); i++)
        if (strcmp(backends[i]->name, name) == 0)
            return backends[i]->open(out, cfg);
    return -ENOENT;
}
