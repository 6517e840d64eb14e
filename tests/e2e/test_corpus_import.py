"""Imports every capture of the corpus into a fresh store and compares what
was stored with the capture's oracle: gettraff bodies equal to the byte,
per-host class totals exact, and every 5-minute bin within its bounds."""
import os

import ofe2e


def check_capture(name):
    exp = ofe2e.expected(name)
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    rate = str(exp["sampling"]["assumes_collector_default_rate"])
    out = ofe2e.run("import", "--db", db, "--sampling-rate", rate, *ofe2e.network_args(exp),
                    ofe2e.corpus(name + ".pcap")).stdout
    fails = ofe2e.Failures()
    # the summary counts what the oracle counted
    records = exp["export"]["records"]
    fails.check(" %d records," % records in out, "summary lacks %d records:\n%s" % (records, out))
    fails.check(", 0 errors" in out, "decode errors in:\n%s" % out)
    got = ofe2e.traff(db, 2024, 5)
    want = exp["gettraff"]["2024-05"]
    fails.check(got == want, "gettraff differs: %s" % sorted(
        set(k for k in set(got) | set(want) if got.get(k) != want.get(k)))[:10])
    # sFlow bins are exact: samples are binned by arrival
    ofe2e.compare_hosts(db, exp, fails, bins_exact=name.endswith("sflow"))
    return fails.done(name)


def main():
    ok = True
    for name in ofe2e.CAPTURES:
        r = check_capture(name)
        print("%-26s %s" % (name, "ok" if r else "FAILED"))
        ok &= r
    return ok


if __name__ == "__main__":
    ofe2e.main(main)
