"""Limits that lose data say so: a real daemon whose counters fill
(MAX_ROWS), whose template cache fills (MAX_TEMPLATES) and whose socket
buffer overflows (SOCKET_RCVBUF) counts what it drops, logs a warning at
once (not only at stop), and keeps what fit.

One NetFlow v9 datagram carries more records for distinct hosts than
MAX_ROWS holds; a worker accounts a datagram's records in one go, so the
drops do not depend on when the writer empties the table."""
import re
import socket
import struct
import time

import ofe2e

T_DATA = 256
FIELDS = [(8, 4), (12, 4), (1, 4), (2, 4), (4, 1), (7, 2), (11, 2), (22, 4), (21, 4)]
REC = struct.Struct(">4s4sIIBHHII")
UPTIME = 100000  # ms since the exporter booted


def v9(flowsets, seq=0):
    body = b"".join(flowsets)
    return struct.pack(">HHIIII", 9, len(flowsets), UPTIME, int(time.time()), seq, 0) + body


def flowset(set_id, payload):
    pad = (-len(payload)) % 4
    return struct.pack(">HH", set_id, 4 + len(payload) + pad) + payload + bytes(pad)


def template(tid):
    return struct.pack(">HH", tid, len(FIELDS)) + b"".join(struct.pack(">HH", t, n) for t, n in FIELDS)


def records(hosts, nbytes=1000):
    out = b""
    for i in range(hosts):
        local = "10.1.%d.%d" % (i // 250, 1 + i % 250)
        out += REC.pack(socket.inet_aton("198.51.100.7"), socket.inet_aton(local), nbytes, 1, 6,
                        443, 50000, UPTIME - 2000, UPTIME - 1000)
    return out


def warnings(out, what):
    return [line for line in out.splitlines() if "warn" in line and what in line]


def wait_warnings(d, what, seconds=10):
    """The daemon's warnings about `what` once one is logged, or none
    after `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline and not warnings(d.output(), what):
        time.sleep(0.05)
    return warnings(d.output(), what)


def check_counters_full():
    hosts = 2000  # one direction each; MAX_ROWS=1024 keeps 1024 of them
    db = ofe2e.tmpdir() + "/of.db"
    d = ofe2e.Daemon(db, ["10.1.0.0/16"], extra=["MAX_ROWS=1024", "WORKERS=1"])
    try:
        ofe2e.send_udp(d.nf_port, [v9([flowset(0, template(T_DATA)),
                                       flowset(T_DATA, records(hosts))])])
        running = wait_warnings(d, "counters full")
    finally:
        out = d.stop()
    stored = sum(len(ofe2e.traff(db, y, m)) for y, m in {time.localtime()[:2]})
    dropped = re.search(r"(\d+) dropped \(full\)", out)
    ok = len(running) == 1 and "MAX_ROWS=1024" in running[0]
    ok &= stored == 1024 and dropped is not None and int(dropped.group(1)) == hosts - 1024
    print("%-40s %s (%d warning while running, %d hosts stored)" %
          ("counters full: warned and counted", "ok" if ok else "FAILED", len(running), stored))
    if not ok:
        print(out[-3000:])
    return ok


def check_templates_full():
    db = ofe2e.tmpdir() + "/of.db"
    d = ofe2e.Daemon(db, ["10.1.0.0/16"], extra=["MAX_TEMPLATES=1", "WORKERS=1"])
    try:
        # the second template does not fit, and the records that need it are lost
        ofe2e.send_udp(d.nf_port, [v9([flowset(0, template(T_DATA) + template(T_DATA + 1)),
                                       flowset(T_DATA + 1, records(3))])])
        running = wait_warnings(d, "template cache full")
    finally:
        out = d.stop()
    ok = len(running) == 1 and "127.0.0.1" in running[0] and "MAX_TEMPLATES=1 " in running[0]
    print("%-40s %s" % ("template cache full: warned", "ok" if ok else "FAILED"))
    if not ok:
        print(out[-3000:])
    return ok


def kernel_counts_drops():
    """Whether this build reads the kernel's drop counter (SO_RXQ_OVFL):
    not in the portable build, as on the BSDs."""
    import os
    cache = os.path.join(os.environ.get("OF_BUILD", "build"), "CMakeCache.txt")
    with open(cache) as f:
        return "OF_PORTABLE:BOOL=ON" not in f.read()


def check_kernel_drops():
    """The daemon is stopped (SIGSTOP) while 1.5 MB arrives for a 128 KB
    buffer; once it runs again it reads what the buffer kept and learns of
    the rest from the kernel."""
    import signal
    db = ofe2e.tmpdir() + "/of.db"
    d = ofe2e.Daemon(db, ["10.1.0.0/16"], extra=["SOCKET_RCVBUF=65536", "WORKERS=1"])
    counts = kernel_counts_drops()
    try:
        d.proc.send_signal(signal.SIGSTOP)
        dgram = ofe2e.netflow_v5([("198.51.100.7", "10.1.0.1", 1000, 1, 443, 50000, 6)] * 30)
        ofe2e.send_udp(d.nf_port, [dgram] * 1000)
        d.proc.send_signal(signal.SIGCONT)
        # the kernel tells the count with each datagram it queues, so the
        # drops show with the first one to arrive after them
        time.sleep(0.5)
        ofe2e.send_udp(d.nf_port, [dgram])
        running = wait_warnings(d, "the kernel dropped", 10 if counts else 2)
    finally:
        out = d.stop()
    drops = re.search(r"(\d+) kernel drops", out)
    ndrops = int(drops.group(1)) if drops else -1
    if counts:
        ok = len(running) == 1 and "SOCKET_RCVBUF=65536" in running[0] and ndrops > 0
    else:
        ok = not running and ndrops == 0
    print("%-40s %s (%d dropped%s)" % ("socket buffer overflow: warned", "ok" if ok else "FAILED",
                                      ndrops, "" if counts else ", not seen by this build"))
    if not ok:
        print(out[-3000:])
    return ok


def main():
    ok = check_counters_full()
    ok &= check_templates_full()
    ok &= check_kernel_drops()
    return ok


if __name__ == "__main__":
    ofe2e.main(main)
