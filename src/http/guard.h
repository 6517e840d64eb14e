/* http/guard.h: a deadline per HTTP connection, so that slow clients
 * cannot hold connections forever.
 *
 * libmicrohttpd's own timeout closes a connection that is idle for
 * HTTP_TIMEOUT seconds, but a client that trickles a byte now and then is
 * never idle, and could keep a connection (and, with many, all of them)
 * for hours. The guard gives each connection a deadline: a request must
 * arrive in full within the limit of the connection opening or of the
 * previous answer, and its answer must be taken within the limit of the
 * request arriving. A thread checks twice a second and shuts down the
 * socket of a connection past its deadline; the server's event loop then
 * sees the socket end and closes the connection as usual. Thread-safe. */
#ifndef OF_HTTP_GUARD_H
#define OF_HTTP_GUARD_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

struct guard;
struct guard_conn;

/* Tracks up to max_conns connections with limit_s seconds per phase;
 * closed counts the connections it shuts down. Starts the thread. 0,
 * -ENOMEM, or the error of pthread_create. */
OF_MUST_CHECK int guard_new(struct guard **out, size_t max_conns, unsigned limit_s,
                            atomic_uint_fast64_t *closed);

/* Stops the thread and frees. Every connection must have been closed
 * (the HTTP daemons stopped). NULL-safe. */
void guard_free(struct guard *g);

/* A connection on socket fd opened; its first deadline starts now. NULL
 * when the table is full (the connection is then not guarded; the
 * server's connection limit keeps that from happening). */
struct guard_conn *guard_open(struct guard *g, int fd);

/* Starts a new phase for the connection: a deadline limit_s from now.
 * NULL-safe. */
void guard_arm(struct guard *g, struct guard_conn *c);

/* The connection is closing: forget it before its socket is closed, so
 * the guard never shuts down a socket number reused by another. NULL-safe. */
void guard_close(struct guard *g, struct guard_conn *c);

#endif
