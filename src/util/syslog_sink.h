/* util/syslog_sink.h: syslog(3) for util/log.c. It lives apart because
 * <syslog.h> defines LOG_ERR, LOG_INFO and LOG_DEBUG as macros, which would
 * replace log.h's level names in any file that includes both. */
#ifndef OF_UTIL_SYSLOG_SINK_H
#define OF_UTIL_SYSLOG_SINK_H

/* openlog(ident) with the daemon facility and the process id. */
void syslog_sink_open(const char *ident);

/* One message at an RFC 5424 severity (3 error ... 7 debug). */
void syslog_sink_write(int severity, const char *msg);

#endif
