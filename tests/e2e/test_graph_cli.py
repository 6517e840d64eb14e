"""`ophanimflow graph` on a store filled from a corpus capture: --dump equals
the stored bins in Mbit/s, the PNG has the requested size and shows bars in
the class colours exactly where the data is and nowhere else, and bad
options exit 2 with a one-line reason."""
import os
import subprocess

import chartcheck
import ofe2e

CAPTURE = "pmacct-sflow"
FROM, TO = 1715680800, 1715682300  # 2024-05-14 10:00-10:25 UTC, the capture's bins


def check_dump(db, ip, d, fails):
    got = ofe2e.run("graph", "--db", db, "--ip", ip, "--dir", d, "--period", "explict",
                    "--from", str(FROM), "--to", str(TO), "--dump").stdout.splitlines()
    bins = ofe2e.series(db, ip, d, FROM, TO)
    want = chartcheck.dump_lines(bins)
    fails.check(got == want, "%s %s dump:\n  got  %s\n  want %s" % (ip, d, got, want))
    return bins


def check_png(db, ip, d, bins, fails, w=1000, h=300):
    """Bars drawn over [FROM - 30 min, TO + 30 min): the 6 steps before and
    after the data are empty, and each data step's columns show the classes
    the bin has, topped by the tallest, at the height its peak gives."""
    frm, to = FROM - 1800, TO + 1800
    out = os.path.join(ofe2e.tmpdir(), "g.png")
    ofe2e.run("graph", "--db", db, "--ip", ip, "--dir", d, "--from", str(frm), "--to", str(to),
              "-w", str(w), "-h", str(h), "-o", out)
    with open(out, "rb") as f:
        png = f.read()
    chartcheck.check_bars(png, (w, h), frm, to, bins, fails, "%s %s" % (ip, d))
    return png


def check_probe_refuses(png, fails):
    """png_probe exits 1 with a message on what is not a whole PNG, so a
    broken chart can never pass for an empty one."""
    bad = {"empty": b"", "text": b"GRAPH:DENIED", "signature only": png[:8],
           "header only": png[:33], "half": png[:len(png) // 2], "no IEND": png[:-12],
           "one byte short": png[:-1]}
    mid = len(png) // 2
    bad["flipped byte"] = png[:mid] + bytes([png[mid] ^ 0x55]) + png[mid + 1:]
    for what, data in bad.items():
        p = subprocess.run([chartcheck.PROBE, "-"], input=data, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
        fails.check(p.returncode == 1 and b"png_probe: " in p.stderr,
                    "png_probe on %s: exit %d, stderr %r" % (what, p.returncode, p.stderr[-200:]))


def check_usage_errors(db, fails):
    base = ["graph", "--db", db, "-o", os.path.join(ofe2e.tmpdir(), "x.png")]
    cases = [
        ["--ip", "10.20.0.300"],
        ["--ip", "10.20.0.12", "--dir", "X"],
        ["--ip", "10.20.0.12", "--period", "fortnight"],
        ["--ip", "10.20.0.12", "--from", str(TO), "--to", str(FROM)],
        ["--ip", "10.20.0.12", "--from", str(FROM), "--to", str(FROM)],
        ["--ip", "10.20.0.12", "--from", str(FROM)],
        ["--ip", "10.20.0.12", "--period", "explict"],
        ["--ip", "10.20.0.12", "--period", "day", "--from", str(FROM), "--to", str(TO)],
        ["--ip", "10.20.0.12", "--from", "0", "--to", str(20 * 366 * 86400)],
        ["--ip", "10.20.0.12", "-w", "10"],
        ["--ip", "10.20.0.12", "-h", "99999"],
        ["--ip", "10.20.0.12", "-w", "wide"],
        ["--dir", "R"],
        ["--ip", "10.20.0.12", "stray"],
    ]
    for args in cases:
        p = ofe2e.run(*(base + args), check=False)
        lines = p.stderr.strip().splitlines()
        fails.check(p.returncode == 2, "%s: exit %d, want 2" % (args, p.returncode))
        fails.check(len(lines) == 1 and lines[0].startswith("ophanimflow: "),
                    "%s: want a one-line reason, got %r" % (args, p.stderr))
    p = ofe2e.run("graph", "--ip", "10.20.0.12", "--db", db, check=False)
    fails.check(p.returncode == 2 and "-o" in p.stderr, "missing -o: %r" % p.stderr)
    p = ofe2e.run("graph", "--help")
    fails.check("--period" in p.stdout and "refused" in p.stdout, "--help: %r" % p.stdout)


def main():
    exp = ofe2e.expected(CAPTURE)
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    ofe2e.run("import", "--db", db, "--sampling-rate", "1", *ofe2e.network_args(exp),
              ofe2e.corpus(CAPTURE + ".pcap"))
    fails = ofe2e.Failures()
    # the busiest host by download, and all hosts
    hosts = [ip for ip in exp["hosts"] if ip != "0.0.0.0"]
    host = max(hosts, key=lambda ip: exp["hosts"][ip]["R"]["bytes"][0])
    png = None
    for ip, d in ((host, "R"), (host, "S"), ("0.0.0.0", "R"), ("0.0.0.0", "S")):
        bins = check_dump(db, ip, d, fails)
        fails.check(len(bins) == 5, "%s %s: %d bins, want 5" % (ip, d, len(bins)))
        if bins:
            png = check_png(db, ip, d, bins, fails)
    if png:
        check_probe_refuses(png, fails)
    # the default size, and an IPv6 host
    v6 = next((ip for ip in hosts if ":" in ip), None)
    if v6:
        bins = check_dump(db, v6, "R", fails)
        if bins:
            check_png(db, v6, "R", bins, fails, 1540, 400)
    # a host without traffic: an empty dump and a valid, empty chart
    out = ofe2e.run("graph", "--db", db, "--ip", "10.20.0.250", "--from", str(FROM), "--to",
                    str(TO), "--dump").stdout
    fails.check(out == "", "idle host dump: %r" % out)
    png = os.path.join(ofe2e.tmpdir(), "empty.png")
    ofe2e.run("graph", "--db", db, "--ip", "10.20.0.250", "--period", "week", "--now",
              str(TO), "-o", png)
    with open(png, "rb") as f:
        chartcheck.check_empty(f.read(), (1540, 400), fails, "idle host week")
    check_usage_errors(db, fails)
    return fails.done("graph cli")


if __name__ == "__main__":
    ofe2e.main(main)
