"""A store written by the previous schema's program (version 3,
tests/fixtures/store-v3/: two corpus captures and three days of made-up
flows across a month boundary, written by commit 25d2aa3) upgraded by this
one: `ophanimflow migrate` takes it to this version, and then every number
that program read back is read back the same: the monthly totals of both
months, every host's 5-minute bins in both directions (the command line),
and every host's hourly and daily steps with their peaks (over HTTP, which
reads the rollups). The rollup mark starts after the last bin, since every
bin of a version 3 file is in its rollups. Then the corpus captures are
written once more into the upgraded store: their bins are long sealed, so
they go into the rollups at once, and every number of theirs doubles."""
import json
import os
import shutil
import sqlite3

import ofe2e

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "store-v3")
NETS = ["10.20.0.0/24", "2001:db8:20::/64"]
STEPS = {"hours": 3600, "days": 86400}
MBIT = 1048576.0  # as the API counts a megabit (src/http/ep_api_series.c)


def check_bins(db, exp, fails):
    for key, want in exp["bins"].items():
        ip, d = key.split()
        got = ofe2e.series(db, ip, d, want[0]["ts"], want[-1]["ts"] + 300)
        fails.check(sorted(got) == [b["ts"] for b in want], "%s: bins %s" % (key, sorted(got)))
        for b in want:
            g = got.get(b["ts"], {})
            fails.check(g.get("bytes") == b["bytes"] and g.get("packets") == b["packets"],
                        "%s %d: %s, want %s" % (key, b["ts"], g, b))


def steps(api, ip, d, step, frm, to):
    st, j = api.json("GET", "/api/v1/series?ip=%s&dir=%s&period=explict&from=%d&to=%d&step=%d"
                     % (ip, d, frm, to, step))
    if st != 200:
        raise AssertionError("series %s %s step %d: %d %s" % (ip, d, step, st, j))
    return {p["ts"]: p for p in j["points"]}


def check_steps(api, exp, fails, double=()):
    """Every host's hourly and daily steps as version 3 stored them: sums
    and peaks, twice as much for the (host key, level, step) in double."""
    for name, step in STEPS.items():
        for key, want in exp[name].items():
            ip, d = key.split()
            got = steps(api, ip, d, step, want[0]["ts"], want[-1]["ts"] + step)
            fails.check(sorted(got) == [s["ts"] for s in want], "%s %s: steps %s" % (name, key, sorted(got)))
            for s in want:
                k = 2 if (key, name, s["ts"]) in double else 1
                g = got.get(s["ts"], {})
                fails.check(g.get("bytes") == [v * k for v in s["bytes"]]
                            and g.get("packets") == [v * k for v in s["packets"]],
                            "%s %s %d: %s, want %s x %d" % (name, key, s["ts"], g, s, k))
                # the peak in Mbit/s of a 5-minute bin, as the API gives it
                peak = [v * k * 8.0 / 300 / MBIT for v in s["peak"]]
                got_peak = g.get("peak_mbps", [])
                fails.check(len(got_peak) == len(peak) and
                            all(abs(a - b) <= 1e-9 * max(1.0, b) for a, b in zip(got_peak, peak)),
                            "%s %s %d: peaks %s, want %s" % (name, key, s["ts"], got_peak, peak))


def corpus_steps(exp):
    """(host key, level, step start) of the corpus captures' day."""
    day = 1715644800  # 2024-05-14
    return {(key, name, s["ts"]) for name in STEPS for key, v in exp[name].items() for s in v
            if day <= s["ts"] < day + 86400}


def check_over_http(db, exp, fails, double=()):
    dm = ofe2e.Daemon(db, NETS, http=True)
    try:
        ofe2e.set_password(db, "admin", "upgrade-pw")
        api = ofe2e.Api(dm.http_port, token=ofe2e.api_token(dm.http_port, "upgrade-pw"))
        check_steps(api, exp, fails, double)
        api.close()
    finally:
        dm.stop()


def import_corpus(db):
    for name in ("softflowd-v9", "pmacct-ipfix"):
        args = ["import", "--db", db, "--sampling-rate", "1"]
        for n in NETS:
            args += ["--network", n]
        ofe2e.run(*(args + [ofe2e.corpus(name + ".pcap")]))


def traff_sum(*months):
    out = {}
    for m in months:
        for ip, v in m.items():
            o = out.setdefault(ip, [0, 0])
            o[0] += int(v["dl"])
            o[1] += int(v["ul"])
    return out


def main():
    fails = ofe2e.Failures()
    with open(os.path.join(FIXTURE, "expected.json")) as f:
        exp = json.load(f)
    d = ofe2e.tmpdir()
    db = os.path.join(d, "of.db")
    shutil.copy(os.path.join(FIXTURE, "of.db"), db)
    p = ofe2e.run("migrate", "--db", db)
    with sqlite3.connect(db) as c:
        version = c.execute("PRAGMA user_version").fetchone()[0]
        mark = c.execute("SELECT ts FROM rollup_mark").fetchone()[0]
    fails.check(version == 4 and p.stdout == "%s: schema version 4\n" % db,
                "migrate: %r, version %d" % (p.stdout, version))
    fails.check(mark == exp["last_bin"] + 300, "rollup mark %d, last bin %d" % (mark, exp["last_bin"]))
    for month, want in exp["traff"].items():
        y, m = month.split("-")
        fails.check(ofe2e.traff(db, int(y), int(m)) == want, "traff %s differs" % month)
    check_bins(db, exp, fails)
    check_over_http(db, exp, fails)
    # The corpus once more: its day is long before the mark, so its bins go
    # into the rollups at once.
    import_corpus(db)
    check_over_http(db, exp, fails, corpus_steps(exp))
    may = traff_sum(exp["traff"]["2024-05"], *(ofe2e.expected(n)["gettraff"]["2024-05"]
                                               for n in ("softflowd-v9", "pmacct-ipfix")))
    fails.check(traff_sum(ofe2e.traff(db, 2024, 5)) == may, "traff 2024-05 after the second import")
    fails.check(ofe2e.traff(db, 2024, 6) == exp["traff"]["2024-06"], "traff 2024-06 changed")
    ok = fails.done("store upgrade")
    print("store upgrade: %s" % ("ok" if ok else "FAILED"))
    return ok


if __name__ == "__main__":
    ofe2e.main(main)
