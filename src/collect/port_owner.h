/* collect/port_owner.h: who holds a UDP port, for the message that says
 * why we cannot have it. */
#ifndef OF_COLLECT_PORT_OWNER_H
#define OF_COLLECT_PORT_OWNER_H

#include <stddef.h>
#include <stdint.h>

/* Writes "process PID (NAME)" of a process with a UDP socket bound to port
 * into buf. 0, or -ENOENT when none is found (it may belong to a user whose
 * processes we cannot see), or -ENOSYS where the system does not tell
 * (it needs Linux's /proc). */
int port_owner(uint16_t port, char *buf, size_t len);

#endif
