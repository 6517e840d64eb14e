"""Retention with a real daemon on a real store: corpus captures imported
as they are (their bins lie in May 2024) and once more with their arrival
moved to the last half hour, then `ophanimflow run` on that store.

1. Without RETENTION_DAYS nothing goes. A SIGHUP with RETENTION_DAYS=30
   deletes every 2024 5-minute bin (`series` of a corpus host returns
   nothing) and keeps the recent ones, the hourly rollups
   (RETENTION_HOURLY_DAYS=0), the daily rollups and the monthly totals
   (gettraff) as they were; /api/v1/status and /metrics count the rows
   (a row is one host and step, both directions in its cells blob). The
   2024 bins are all before rollup_mark (in the rollups), as retention
   prunes no bin at or after it.
2. A restart with STORAGE_RESERVED_SPACE=99 (any disk is short of that)
   deletes the hourly rollups older than the 35-day floor too, and no
   recent bin or hour, never a daily rollup or monthly total, and logs
   that the floors are reached."""
import os
import re
import signal
import sqlite3
import time
import urllib.request

import ofe2e

CAPTURES = ["softflowd-v9", "pmacct-ipfix"]
EPOCH = 1715680800  # the captures' first bin, 2024-05-14 10:00 UTC
STEP = 300
HOST = "10.20.0.12"


def rows(db, sql):
    with sqlite3.connect(db) as c:
        return c.execute(sql).fetchall()


def count(db, table, where="1"):
    return rows(db, "SELECT count(*) FROM %s WHERE %s" % (table, where))[0][0]


def dump(db, table):
    """Every row of a table: the monthly totals as they are, the bins and
    rollups as (ts, host, counters) with the cells blob decoded, so that a
    difference shows as numbers."""
    if table == "monthly":
        return rows(db, "SELECT * FROM monthly ORDER BY ym, host")
    rollup = table != "bins"
    return [(ts, host, ofe2e.cells(c, rollup))
            for ts, host, c in rows(db, "SELECT ts, host, c FROM %s ORDER BY ts, host" % table)]


def rollup_mark(db):
    """The ts of rollup_mark: the bins before it are in the rollups."""
    r = rows(db, "SELECT ts FROM rollup_mark WHERE id = 1")
    return r[0][0] if r else None


def build_store(work, nets):
    """The captures as they are, and the first one again with its arrival
    moved so that its first bin is 30 minutes ago. Returns the store and
    that bin."""
    db = os.path.join(work, "of.db")
    args = []
    for n in nets:
        args += ["--network", n]
    for name in CAPTURES:
        ofe2e.run("import", "--db", db, "--sampling-rate", "1", *args, ofe2e.corpus(name + ".pcap"))
    first = int(time.time()) // STEP * STEP - 6 * STEP
    shifted = os.path.join(work, "shifted.pcap")
    dgrams = ofe2e.pcap_datagrams(ofe2e.corpus(CAPTURES[0] + ".pcap"))
    ofe2e.write_udp_pcap(shifted, [(ts + first - EPOCH, 40000, 2055, p) for ts, p in dgrams])
    ofe2e.run("import", "--db", db, "--sampling-rate", "1", *args, shifted)
    return db, first


def series(db, ip, frm, to):
    out = {}
    for d in ("R", "S"):
        out[d] = ofe2e.series(db, ip, d, frm, to)
    return out


def status(api):
    st, j = api.json("GET", "/api/v1/status")
    if st != 200:
        raise AssertionError("status: %d %s" % (st, j))
    return j["store"]


def wait_store(api, what, pred, timeout=30):
    """Polls /api/v1/status until pred(store section) holds."""
    deadline = time.time() + timeout
    s = None
    while time.time() < deadline:
        s = status(api)
        if pred(s):
            return s
        time.sleep(0.2)
    raise AssertionError("%s: the store's status stayed %s" % (what, s))


def metrics(port):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=10) as r:
        return r.read().decode()


def metric(text, name):
    m = re.search(r"^ophanimflow_%s (\d+)$" % re.escape(name), text, re.M)
    return int(m.group(1)) if m else None


def set_options(d, options):
    """Rewrites the daemon's config with options added before [networks]."""
    with open(d.conf) as f:
        head, _, nets = f.read().partition("[networks]")
    with open(d.conf, "w") as f:
        f.write(head + "".join(o + "\n" for o in options) + "[networks]" + nets)


def first_run(db, nets, recent, fails):
    """Nothing goes by default; RETENTION_DAYS=30 by SIGHUP takes the 2024
    bins and nothing else."""
    old_bins = count(db, "bins", "ts < %d" % (EPOCH + 86400))
    new_bins = count(db, "bins", "ts >= %d" % recent)
    fails.check(old_bins > 0 and new_bins > 0, "store: %d old, %d recent bins" % (old_bins, new_bins))
    last_old = rows(db, "SELECT max(ts) FROM bins WHERE ts < %d" % (EPOCH + 86400))[0][0]
    mark = rollup_mark(db)
    fails.check(mark is not None and last_old is not None and last_old < mark,
                "the 2024 bins are not all in the rollups: rollup_mark %s, last 2024 bin %s"
                % (mark, last_old))
    hours, days, months = dump(db, "bins_1h"), dump(db, "bins_1d"), dump(db, "monthly")
    may = ofe2e.traff(db, 2024, 5)
    d = ofe2e.Daemon(db, nets, http=True)
    try:
        api = ofe2e.Api(d.http_port)
        api.login("admin", d.admin_password)
        s = wait_store(api, "first check", lambda s: s.get("last_prune", 0) > 0)
        fails.check(s["retention_days"] == 0 and s["retention_hourly_days"] == 0
                    and s["reserved_space"] == 0, "options: %s" % s)
        fails.check(s["pruned"] == {"bins": 0, "hourly": 0}, "pruned without a reason: %s" % s)
        fails.check(s["first_bin"] == EPOCH - STEP or s["first_bin"] == EPOCH,
                    "first bin before: %s" % s["first_bin"])

        set_options(d, ["RETENTION_DAYS=30"])
        d.proc.send_signal(signal.SIGHUP)
        s = wait_store(api, "after SIGHUP", lambda s: s["pruned"]["bins"] > 0)
        fails.check(s["retention_days"] == 30, "retention_days after SIGHUP: %s" % s)
        fails.check(s["pruned"] == {"bins": old_bins, "hourly": 0}, "pruned: %s, want %d bins"
                    % (s["pruned"], old_bins))
        fails.check(s["first_bin"] >= recent, "first_bin %d, recent %d" % (s["first_bin"], recent))
        fails.check(s["first_hour"] <= EPOCH, "first_hour: %s" % s["first_hour"])
        fails.check(not s["disk_short"] and not s["at_floor"], "disk: %s" % s)
        m = metrics(d.http_port)
        fails.check('ophanimflow_store_pruned_rows_total{resolution="5m"} %d' % old_bins in m,
                    "metrics lack the pruned bins:\n" + m[-1500:])
        fails.check('ophanimflow_store_pruned_rows_total{resolution="1h"} 0' in m, "metrics: 1h")
        fails.check(metric(m, "store_first_bin_seconds") == s["first_bin"], "metrics: first bin")
        api.close()
    finally:
        out = d.stop()
    fails.check(re.search(r"info: retention: deleted %d 5-minute rows from before \S+ \S+ UTC "
                          r"\(RETENTION_DAYS=30\)" % old_bins, out), "no deletion line:\n" + out[-3000:])
    fails.check("taking effect at the next restart" not in out, "a restart asked for:\n" + out[-2000:])
    fails.check(not series(db, HOST, EPOCH - 3600, EPOCH + 3 * 3600)["R"], "2024 bins left")
    fails.check(count(db, "bins", "ts < %d" % recent) == 0, "old bins left")
    fails.check(count(db, "bins") == new_bins, "recent bins: %d, want %d" % (count(db, "bins"), new_bins))
    got = series(db, HOST, recent, recent + 3600)
    fails.check(got["R"] or got["S"], "the recent bins of %s are gone" % HOST)
    fails.check(dump(db, "bins_1h") == hours, "hourly rollups changed")
    fails.check(dump(db, "bins_1d") == days, "daily rollups changed")
    fails.check(dump(db, "monthly") == months, "monthly totals changed")
    fails.check(rollup_mark(db) == mark, "rollup_mark moved: %s, was %s" % (rollup_mark(db), mark))
    fails.check(ofe2e.traff(db, 2024, 5) == may, "gettraff of 2024-05 changed")


def second_run(db, nets, recent, fails):
    """STORAGE_RESERVED_SPACE=99: the hours of 2024 go down to the floor,
    the recent ones and every daily rollup and monthly total stay."""
    floor = time.time() - 35 * 86400
    old_hours = count(db, "bins_1h", "ts < %d" % floor)
    new_hours = count(db, "bins_1h", "ts >= %d" % floor)
    bins = dump(db, "bins")
    days, months = dump(db, "bins_1d"), dump(db, "monthly")
    may = ofe2e.traff(db, 2024, 5)
    fails.check(old_hours > 0 and new_hours > 0, "hours: %d old, %d recent" % (old_hours, new_hours))
    password = "retention test password"
    ofe2e.set_password(db, "admin", password)
    d = ofe2e.Daemon(db, nets, http=True, extra=["STORAGE_RESERVED_SPACE=99"])
    try:
        api = ofe2e.Api(d.http_port)
        api.login("admin", password)
        s = wait_store(api, "at the floor", lambda s: s.get("at_floor"))
        fails.check(s["reserved_space"] == 99 and s["disk_short"], "reserve: %s" % s)
        fails.check(s["pruned"] == {"bins": 0, "hourly": old_hours}, "pruned: %s, want %d hours"
                    % (s["pruned"], old_hours))
        fails.check(s["first_hour"] >= recent - 3600, "first_hour %s" % s["first_hour"])
        m = metrics(d.http_port)
        fails.check(metric(m, "store_retention_at_floor") == 1, "metrics: at floor")
        fails.check(metric(m, "store_disk_short") == 1, "metrics: disk short")
        api.close()
    finally:
        out = d.stop()
    fails.check(re.search(r"info: retention: deleted %d hourly rows from before .* \(the disk is "
                          r"short of STORAGE_RESERVED_SPACE=99%%\)" % old_hours, out),
                "no deletion line:\n" + out[-3000:])
    fails.check(re.search(r"warning: retention: the file system of .* only the last 2 days of "
                          r"5-minute bins and 35 days of hourly rollups are left", out),
                "no floor warning:\n" + out[-3000:])
    fails.check(count(db, "bins_1h", "ts < %d" % floor) == 0, "hours older than the floor left")
    fails.check(count(db, "bins_1h") == new_hours, "recent hours: %d, want %d"
                % (count(db, "bins_1h"), new_hours))
    fails.check(dump(db, "bins") == bins, "bins within the floor changed")
    fails.check(dump(db, "bins_1d") == days, "daily rollups changed")
    fails.check(dump(db, "monthly") == months, "monthly totals changed")
    fails.check(ofe2e.traff(db, 2024, 5) == may, "gettraff of 2024-05 changed")


def main():
    exp = ofe2e.expected(CAPTURES[0])
    nets = exp["local_networks"]
    db, recent = build_store(ofe2e.tmpdir(), nets)
    fails = ofe2e.Failures()
    first_run(db, nets, recent, fails)
    ok = fails.done("RETENTION_DAYS=30")
    print("%-40s %s" % ("RETENTION_DAYS=30 by SIGHUP", "ok" if ok else "FAILED"))
    fails = ofe2e.Failures()
    second_run(db, nets, recent, fails)
    r = fails.done("STORAGE_RESERVED_SPACE=99")
    print("%-40s %s" % ("STORAGE_RESERVED_SPACE=99", "ok" if r else "FAILED"))
    return ok and r


if __name__ == "__main__":
    ofe2e.main(main)
