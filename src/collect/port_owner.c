/* collect/port_owner.c: the process behind a UDP port, from /proc.
 *
 * /proc/net/udp{,6} give each bound socket's local port and inode; the
 * process is the one with a descriptor "socket:[inode]" in /proc/PID/fd.
 * Only Linux has these; elsewhere the message goes without the name. */
#include "collect/port_owner.h"

#include <errno.h>

#ifdef __linux__
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The inode of a socket bound to port in table (/proc/net/udp or udp6). */
static int port_inode(const char *table, uint16_t port, unsigned long *inode)
{
    FILE *f = fopen(table, "r");
    if (!f)
        return -ENOENT;
    char line[512];
    int rc = -ENOENT;
    if (!fgets(line, sizeof(line), f)) /* the header */
        goto out;
    while (fgets(line, sizeof(line), f)) {
        unsigned p = 0;
        unsigned long ino = 0;
        /* "sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode" */
        if (sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*s %*s %*s %*s %*s %*s %*s %lu", &p, &ino) == 2 &&
            p == port && ino != 0) {
            *inode = ino;
            rc = 0;
            break;
        }
    }
out:
    fclose(f);
    return rc;
}

/* Whether process pid has a descriptor for socket inode. */
static int holds_socket(const char *pid, const char *want)
{
    char dir[280];
    (void)snprintf(dir, sizeof(dir), "/proc/%s/fd", pid);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        char path[560];
        char target[64];
        (void)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        ssize_t n = readlink(path, target, sizeof(target) - 1);
        if (n > 0) {
            target[n] = '\0';
            found = strcmp(target, want) == 0;
        }
    }
    closedir(d);
    return found;
}

static void process_name(const char *pid, char *name, size_t len)
{
    char path[280];
    (void)snprintf(path, sizeof(path), "/proc/%s/comm", pid);
    FILE *f = fopen(path, "r");
    name[0] = '\0';
    if (f) {
        if (fgets(name, (int)len, f))
            name[strcspn(name, "\n")] = '\0';
        fclose(f);
    }
}

int port_owner(uint16_t port, char *buf, size_t len)
{
    unsigned long inode = 0;
    if (port_inode("/proc/net/udp", port, &inode) < 0 &&
        port_inode("/proc/net/udp6", port, &inode) < 0)
        return -ENOENT;
    char want[48];
    (void)snprintf(want, sizeof(want), "socket:[%lu]", inode);
    DIR *d = opendir("/proc");
    if (!d)
        return -ENOENT;
    int rc = -ENOENT;
    struct dirent *e;
    while (rc < 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9' || !holds_socket(e->d_name, want))
            continue;
        char name[32];
        process_name(e->d_name, name, sizeof(name));
        (void)snprintf(buf, len, "process %s (%s)", e->d_name, name[0] ? name : "?");
        rc = 0;
    }
    closedir(d);
    return rc;
}

#else

int port_owner(uint16_t port, char *buf, size_t len)
{
    (void)port;
    (void)buf;
    (void)len;
    return -ENOSYS;
}

#endif
