"""Shared helpers of the end-to-end tests: where things are, running the
program, reading what it stored, comparing with the corpus oracles."""
import json
import os
import subprocess
import sys
import tempfile

BIN = os.environ.get("OF_BIN", "build/ophanimflow")
CORPUS = os.environ.get("OF_CORPUS", os.path.join(os.path.dirname(__file__), "../../../shared/corpus"))
CLASSES = ["total", "icmp", "udp", "tcp", "mail", "dns", "vpn", "ftp", "web", "proxy", "quic", "sip"]

CAPTURES = [
    "softflowd-v5", "softflowd-v9", "softflowd-ipfix", "softflowd-v5-sampled10",
    "pmacct-v5", "pmacct-v9", "pmacct-ipfix", "pmacct-sflow",
]


def corpus(name):
    return os.path.join(CORPUS, name)


def expected(name):
    with open(corpus("expected-%s.json" % name)) as f:
        return json.load(f)


def run(*args, check=True):
    """Runs the program; returns stdout. Fails the test on a non-zero exit."""
    p = subprocess.run([BIN] + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        raise AssertionError("%s %s exited %d:\n%s" % (BIN, " ".join(args), p.returncode, p.stderr))
    return p


def network_args(exp):
    args = []
    for n in exp["local_networks"]:
        args += ["--network", n]
    return args


def traff(db, year, month):
    return json.loads(run("traff", "--db", db, "--year", str(year), "--month", str(month)).stdout)


def series(db, ip, d, frm, to):
    out = json.loads(run("series", "--db", db, "--ip", ip, "--dir", d, "--from", str(frm),
                         "--to", str(to), "--json").stdout)
    return {b["ts"]: b for b in out["bins"]}


class Failures:
    """Collects mismatches so one run reports all of them."""

    def __init__(self):
        self.items = []

    def check(self, ok, msg):
        if not ok:
            self.items.append(msg)

    def done(self, what):
        if self.items:
            print("%s: %d mismatches" % (what, len(self.items)))
            for m in self.items[:40]:
                print("  " + m)
            return False
        return True


def compare_hosts(db, exp, fails, bins_exact=False, check_bins=True):
    """Every host and direction: class totals of bytes and packets exact;
    every bin within the oracle's bounds (or equal to its reference)."""
    frm = exp.get("epoch", 1715680800) - 3600
    to = frm + 3 * 3600
    for ip, dirs in exp["hosts"].items():
        for d in ("R", "S"):
            want = dirs[d]
            got = series(db, ip, d, frm, to)
            for kind in ("bytes", "packets"):
                tot = [sum(b[kind][c] for b in got.values()) for c in range(12)]
                fails.check(tot == want[kind], "%s %s %s totals: got %s want %s" % (ip, d, kind, tot, want[kind]))
            if not check_bins:
                continue
            for ts, wb in want["bins"].items():
                gb = got.get(int(ts))
                for kind in ("bytes", "packets"):
                    g = gb[kind] if gb else [0] * 12
                    lo, hi = wb[kind + "_min"], wb[kind + "_max"]
                    for c in range(12):
                        if bins_exact:
                            ok = g[c] == wb[kind][c]
                        else:
                            ok = lo[c] <= g[c] <= hi[c]
                        fails.check(ok, "%s %s bin %s %s %s: got %d, bounds %d..%d" % (
                            ip, d, ts, kind, CLASSES[c], g[c], lo[c], hi[c]))
            extra = set(got) - {int(t) for t in want["bins"]}
            for ts in extra:
                fails.check(all(v == 0 for v in got[ts]["bytes"]), "%s %s: bytes in unexpected bin %d" % (ip, d, ts))


def tmpdir():
    return tempfile.mkdtemp(prefix="of-e2e-")


def main(fn):
    try:
        ok = fn()
    except AssertionError as e:
        print("FAILED: %s" % e)
        ok = False
    sys.exit(0 if ok else 1)
