"""`ophanimflow migrate`: on a store the collector wrote it reports the
current schema version (PRAGMA user_version) and changes no number; on a
path where no store is it fails and creates nothing (a typo in --db must
not leave an empty store behind). Migrating an older store, from the first
release's schema, is tests/install/test_upgrade.py's job."""
import os
import sqlite3

import ofe2e


def main():
    fails = ofe2e.Failures()
    d = ofe2e.tmpdir()
    missing = os.path.join(d, "nothing-here.db")
    p = ofe2e.run("migrate", "--db", missing, check=False)
    fails.check(p.returncode == 1 and "no store at " + missing in p.stderr
                and not os.path.exists(missing),
                "missing store: exit %d, %r, exists=%s" % (p.returncode, p.stderr,
                                                          os.path.exists(missing)))
    name = "softflowd-v5"
    exp = ofe2e.expected(name)
    db = os.path.join(d, "of.db")
    ofe2e.run("import", "--db", db, "--sampling-rate", "1", *ofe2e.network_args(exp),
              ofe2e.corpus(name + ".pcap"))
    before = ofe2e.traff(db, 2024, 5)
    with sqlite3.connect(db) as c:
        version = c.execute("PRAGMA user_version").fetchone()[0]
    p = ofe2e.run("migrate", "--db", db)
    fails.check(p.stdout == "%s: schema version %d\n" % (db, version) and version >= 2,
                "migrate said %r (user_version %d)" % (p.stdout, version))
    fails.check(ofe2e.traff(db, 2024, 5) == before == exp["gettraff"]["2024-05"],
                "migrate changed the totals")
    p = ofe2e.run("migrate", "--db", db, "extra", check=False)
    fails.check(p.returncode == 2 and "usage: ophanimflow migrate" in p.stderr,
                "extra argument: exit %d" % p.returncode)
    ok = fails.done("migrate")
    print("migrate: %s" % ("ok" if ok else "FAILED"))
    return ok


if __name__ == "__main__":
    ofe2e.main(main)
