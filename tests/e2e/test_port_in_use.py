#!/usr/bin/env python3
"""A second collector cannot join our UDP ports. Our workers share a port
(SO_REUSEPORT), which would let another process of the same user bind it
too and take a share of the datagrams, both stores undercounting. Starting
one must fail at once, naming the process that holds the port, and leave
the first one receiving everything."""
import os
import subprocess

import ofe2e


def test():
    first = ofe2e.Daemon(os.path.join(ofe2e.tmpdir(), "a.db"), ["10.0.0.0/8"],
                         extra=["WORKERS=2"])
    d = ofe2e.tmpdir()
    conf = os.path.join(d, "b.conf")
    with open(conf, "w") as f:
        f.write("COLLECTOR_PORT=%d\nSFLOW_PORT=%d\nLISTEN_ADDRESS=127.0.0.1, ::1\nHTTP_PORT=0\n"
                "WORKERS=2\n[networks]\nnet = 10.0.0.0/8\n"
                % (first.nf_port, ofe2e.free_udp_port()))
    p = subprocess.run([ofe2e.BIN, "run", "-c", conf, "--db", os.path.join(d, "b.db")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
    want = "port %d is in use by process %d (ophanimflow)" % (first.nf_port, first.proc.pid)
    if p.returncode == 0 or want not in p.stdout or "collecting:" in p.stdout:
        raise AssertionError("second collector not refused with \"%s\" (exit %d):\n%s"
                             % (want, p.returncode, p.stdout))

    # the first one still gets every datagram
    n = 20
    ofe2e.send_udp(first.nf_port, [ofe2e.netflow_v5(
        [("192.0.2.1", "10.0.0.%d" % (i + 1), 1000, 1, 443, 50000, 6)], seq=i) for i in range(n)])
    out = first.stop()
    if "totals: %d datagrams, %d records" % (n, n) not in out:
        raise AssertionError("the first collector lost datagrams:\n" + out)
    return True


if __name__ == "__main__":
    ofe2e.main(test)
