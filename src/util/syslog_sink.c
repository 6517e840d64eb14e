/* util/syslog_sink.c: the syslog(3) calls of util/log.c.
 *
 * LOG_NDELAY connects to the log socket at once, while the process can
 * still see it: a later chroot or sandbox could hide it. The severities
 * syslog.h names are RFC 5424's numbers, so they pass through unchanged. */
#include "util/syslog_sink.h"

#include <syslog.h>

void syslog_sink_open(const char *ident)
{
    openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void syslog_sink_write(int severity, const char *msg)
{
    syslog(LOG_DAEMON | (severity & LOG_PRIMASK), "%s", msg);
}
