"""Sends the corpus captures' datagrams over real UDP on loopback to a
running `ophanimflow run`, stops it with SIGTERM, and checks that it stored
the same per-host totals as the oracle. The captures' flow times lie in
2024, so the daemon bins them by arrival (now) and counts them as "clock
off": the monthly totals land in the current month."""
import os
import socket
import time

import ofe2e


def check_live(name, family):
    exp = ofe2e.expected(name)
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    d = ofe2e.Daemon(db, exp["local_networks"],
                     sampling_rate=exp["sampling"]["assumes_collector_default_rate"])
    months = {time.localtime()[:2]}
    try:
        dgrams = ofe2e.pcap_datagrams(ofe2e.corpus(name + ".pcap"))
        port = d.sf_port if name.endswith("sflow") else d.nf_port
        ofe2e.send_all(dgrams, family, port)
    finally:
        out = d.stop()
    months.add(time.localtime()[:2])
    fails = ofe2e.Failures()
    want = exp["gettraff"]["2024-05"]
    got = {}
    for year, month in months:  # a run across a month boundary spans two
        for ip, v in ofe2e.traff(db, year, month).items():
            old = got.get(ip, {"dl": "0", "ul": "0"})
            got[ip] = {k: str(int(old[k]) + int(v[k])) for k in ("dl", "ul")}
    fails.check(got == want, "gettraff differs for %s" % sorted(
        k for k in set(got) | set(want) if got.get(k) != want.get(k))[:10])
    fails.check("%d datagrams, %d records, 0 decode errors" % (
        len(dgrams), exp["export"]["records"]) in out, "daemon totals:\n" + out[-2000:])
    what = "%s over %s" % (name, "IPv4" if family == socket.AF_INET else "IPv6")
    ok = fails.done(what)
    print("%-32s %s" % (what, "ok" if ok else "FAILED"))
    return ok


def check_written_while_running():
    """Counters reach the file within FLUSH_INTERVAL (2 s here) while the
    daemon runs, a reader sees them meanwhile (WAL), and a kill -9 after
    that loses nothing that was written."""
    import signal
    name = "softflowd-v5"
    exp = ofe2e.expected(name)
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    d = ofe2e.Daemon(db, exp["local_networks"], sampling_rate=1)
    want = exp["gettraff"]["2024-05"]
    got = None
    try:
        ofe2e.send_all(ofe2e.pcap_datagrams(ofe2e.corpus(name + ".pcap")), socket.AF_INET, d.nf_port)
        deadline = time.time() + 15
        while time.time() < deadline:
            lt = time.localtime()
            got = ofe2e.traff(db, lt.tm_year, lt.tm_mon)
            if got == want:
                break
            time.sleep(0.5)
    finally:
        d.proc.send_signal(signal.SIGKILL)
        d.proc.wait(timeout=30)
    lt = time.localtime()
    after = ofe2e.traff(db, lt.tm_year, lt.tm_mon)
    ok = got == want and after == want
    print("%-32s %s" % ("written while running, kill -9", "ok" if ok else "FAILED"))
    return ok


def main():
    ok = check_written_while_running()
    for name in ofe2e.CAPTURES:
        ok &= check_live(name, socket.AF_INET)
    ok &= check_live("softflowd-v9", socket.AF_INET6)
    return ok


if __name__ == "__main__":
    ofe2e.main(main)
