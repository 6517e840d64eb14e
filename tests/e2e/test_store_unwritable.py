#!/usr/bin/env python3
"""`run` refuses a store it cannot write, at start and with a reason,
instead of collecting for nothing: a file SQLite can open only read-only
(its mode, for the user the collector runs as), and a store another program
holds locked for writing. Each exits non-zero without ever saying
"collecting". A store that becomes unwritable while running keeps the
counters for the next write; at stop, what cannot be written is logged as
lost with its size and the exit status is non-zero."""
import os
import signal
import sqlite3
import subprocess
import time

import ofe2e


def start(db, conf, as_nobody):
    cmd = [ofe2e.BIN, "run", "-c", conf, "--db", db]
    if as_nobody:
        # root writes whatever the mode says: run as a user the mode binds
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=60)


def refused(p, want):
    if p.returncode == 0 or "collecting:" in p.stdout or want not in p.stdout:
        raise AssertionError("run was not refused with \"%s\" (exit %d):\n%s"
                             % (want, p.returncode, p.stdout))


def test():
    d = ofe2e.tmpdir()
    os.chmod(d, 0o777)
    db = os.path.join(d, "of.db")
    daemon = ofe2e.Daemon(db, ["10.0.0.0/8"])
    daemon.stop()
    conf = daemon.conf
    os.chmod(os.path.dirname(conf), 0o755)
    os.chmod(conf, 0o644)

    # read-only by its mode
    os.chmod(db, 0o444)
    p = start(db, conf, os.geteuid() == 0)
    refused(p, "cannot write")
    refused(p, "check the owner and mode")
    os.chmod(db, 0o644)

    # locked by another program's write transaction (waited for, then refused)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    p = start(db, conf, False)
    other.execute("ROLLBACK")
    other.close()
    refused(p, "cannot write (database is locked)")

    # free again, it starts; then the lock is taken while it runs
    daemon = ofe2e.Daemon(db, ["10.0.0.0/8"])
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    ofe2e.send_udp(daemon.nf_port, [ofe2e.netflow_v5(
        [("192.0.2.1", "10.0.0.%d" % i, 1000 * i, 1, 443, 50000, 6) for i in range(1, 11)])])
    deadline = time.time() + 30
    while "(kept, will retry)" not in daemon.output() and time.time() < deadline:
        time.sleep(0.2)
    daemon.proc.send_signal(signal.SIGTERM)
    rc = daemon.proc.wait(timeout=120)
    other.execute("ROLLBACK")
    other.close()
    out = daemon.output()
    stopping = out[out.index("stopping"):]
    if (rc == 0 or "(kept, will retry)" not in out or "will retry" in stopping
            or "writing 10 counters to the store failed (" not in stopping
            or "they are lost" not in stopping):
        raise AssertionError("a lost write at stop was not reported (exit %d):\n%s" % (rc, out))
    return True


if __name__ == "__main__":
    ofe2e.main(test)
