"""ophanimflow-upgrade, from the first release to this tree and onward to
broken versions, on an install in a staging root (DESTDIR), with
start-stop-daemon standing in for the service manager.

1. The first release (commit ec61dd2, schema v1: `git archive` of the
   source tree's repository) is built and installed with this build's
   paths; it imports every corpus capture into its store.
2. ophanimflow-upgrade --tarball (this tree) builds, backs up, installs,
   migrates and starts this version, which answers over HTTP. Every stored
   number is still there (`traff` of the month and `series` of every host
   and direction, old program's output against the new one's, and over
   HTTP), the store's PRAGMA user_version is this version's schema, the
   rollups were computed from the old bins, the config is byte for byte
   the same, and the backup holds the old program and the v1 store.
   Then once more from a git repository's branch, as the upgrade config
   names them.
3. A version that builds but exits at start, and whose schema is one step
   newer: the upgrade installs it, migrates the store to the newer schema,
   sees it not answer, and rolls back: the previous program file is back
   byte for byte, the store is back at the previous schema with the same
   numbers (else the previous program would refuse it), and the previous
   version answers again.
4. A version that does not build: nothing is stopped (the same process
   keeps serving), nothing changes, no backup is made."""
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import time

import ofinstall
from ofinstall import ofe2e

FIRST_RELEASE = "ec61dd2"
EPOCH = 1715680800


class Stage:
    """The staging root, its config and the service commands."""

    def __init__(self):
        self.top = ofe2e.tmpdir()
        self.root = os.path.join(self.top, "root")
        self.lay = ofinstall.layout()
        r = self.root
        self.bin = r + self.lay["BINDIR"] + "/ophanimflow"
        self.conf = r + self.lay["SYSCONFDIR"] + "/ophanimflow.conf"
        self.db = r + self.lay["DATADIR"] + "/ophanimflow.db"
        self.backups = r + self.lay["BACKUPDIR"]
        self.pidfile = os.path.join(self.top, "ophanimflow.pid")
        self.log = os.path.join(self.top, "daemon.log")
        self.http_port = ofe2e.free_tcp_port(("127.0.0.1",))
        os.makedirs(os.path.dirname(self.db))

    def env(self):
        start = ("start-stop-daemon --start --background --make-pidfile --pidfile '%s' "
                 "--output '%s' --startas '%s' -- run -c '%s'"
                 % (self.pidfile, self.log, self.bin, self.conf))
        stop = ("start-stop-daemon --stop --oknodo --retry TERM/60/KILL/5 --remove-pidfile "
                "--pidfile '%s'" % self.pidfile)
        return {"OF_UPGRADE_ROOT": self.root, "OF_UPGRADE_USER": "", "OF_UPGRADE_START": start,
                "OF_UPGRADE_STOP": stop,
                "OF_UPGRADE_STATUS": "start-stop-daemon --status --pidfile '%s'" % self.pidfile,
                "OF_UPGRADE_CHECK_TIMEOUT": "10", "TMPDIR": self.top}

    def upgrade(self, tarball=None):
        """ophanimflow-upgrade --tarball TARBALL, or from its config's
        repository without one."""
        t = time.time()
        args = ["--tarball", tarball] if tarball else []
        p = subprocess.run([os.path.join(ofinstall.BUILD, "dist", "ophanimflow-upgrade")] + args,
                           env=dict(os.environ, **self.env()), text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=1800)
        print("  upgrade to %s: exit %d in %.0f s" % (
            os.path.basename(tarball) if tarball else "the configured branch", p.returncode,
            time.time() - t))
        for line in (p.stdout + p.stderr).splitlines():
            print("    " + line)
        return p

    def pid(self):
        with open(self.pidfile) as f:
            return int(f.read())

    def stop(self):
        ofinstall.sh(["sh", "-c", self.env()["OF_UPGRADE_STOP"]], check=False)

    def cli(self, *args):
        return ofinstall.sh([self.bin] + list(args) + ["-c", self.conf]).stdout

    def numbers(self, hosts):
        """Everything the CLI reads back: the month's totals and every
        host's bins in both directions, parsed."""
        out = {"traff": json.loads(self.cli("traff", "--year", "2024", "--month", "5"))}
        for ip in hosts:
            for d in "RS":
                s = json.loads(self.cli("series", "--ip", ip, "--dir", d, "--from",
                                        str(EPOCH - 3600), "--to", str(EPOCH + 3 * 3600), "--json"))
                out["%s %s" % (ip, d)] = s["bins"]
        return out

    def schema(self):
        with sqlite3.connect(self.db) as c:
            return c.execute("PRAGMA user_version").fetchone()[0]


def cksum(path):
    with open(path, "rb") as f:
        return hash(f.read())


def build_first_release(stage):
    """Builds commit ec61dd2 and installs it under the staging root with
    this build's paths; writes its config (options it knows)."""
    tarball = ofinstall.tarball_of_commit(FIRST_RELEASE, os.path.join(stage.top, "first.tar.gz"))
    with tarfile.open(tarball) as t:
        t.extractall(stage.top)
    src = os.path.join(stage.top, "ophanimflow-" + FIRST_RELEASE)
    build = os.path.join(stage.top, "build-first")
    lay = stage.lay
    ofinstall.sh(["cmake", "-S", src, "-B", build, "-DOF_TESTS=OFF", "-DOF_BENCH=OFF",
                  "-DCMAKE_INSTALL_PREFIX=" + lay["PREFIX"], "-DCMAKE_INSTALL_BINDIR=" + lay["BINDIR"],
                  "-DOF_SYSCONFDIR=" + lay["SYSCONFDIR"], "-DOF_DATADIR=" + lay["DATADIR"]])
    ofinstall.sh(["cmake", "--build", build, "-j" + ofinstall.JOBS])
    ofinstall.sh(["cmake", "--install", build], env={"DESTDIR": stage.root})
    exp = ofe2e.expected("softflowd-v9")
    os.makedirs(os.path.dirname(stage.conf), exist_ok=True)
    with open(stage.conf, "w") as f:
        f.write("; the first release's options only\nCOLLECTOR_PORT=%d\nSFLOW_PORT=%d\n"
                "LISTEN_ADDRESS=127.0.0.1\nDB_PATH=%s\nSAMPLING_RATE=1\nFLUSH_INTERVAL=2\n"
                "[networks]\n" % (ofe2e.free_udp_port(), ofe2e.free_udp_port(), stage.db))
        for n in exp["local_networks"]:
            f.write("net = %s\n" % n)
    return ofinstall.sh([stage.bin, "--version"]).stdout.strip()


def hosts_of_corpus():
    hosts = {"0.0.0.0"}
    for name in ofe2e.CAPTURES:
        hosts |= set(ofe2e.expected(name)["hosts"])
    return sorted(hosts)


def broken_tarball(stage, name, patch):
    """This tree with patch(relative path, text) -> text applied."""
    d = os.path.join(stage.top, name)
    path = os.path.join(stage.top, name + ".tar.gz")
    with tarfile.open(path, "w:gz") as t:
        for f in ofinstall.source_files():
            src = os.path.join(ofinstall.SOURCE, f)
            with open(src, "rb") as fh:
                data = fh.read()
            new = patch(f, data.decode()) if f.endswith((".c", ".h")) else None
            if new is not None:
                os.makedirs(os.path.dirname(os.path.join(d, f)), exist_ok=True)
                with open(os.path.join(d, f), "w") as fh:
                    fh.write(new)
                src = os.path.join(d, f)
            info = t.gettarinfo(src, arcname=os.path.join("ophanimflow", f))
            with open(src, "rb") as fh:
                t.addfile(info, fh)
    return path


def exits_at_start_with_newer_schema(f, text):
    if f == "src/cli/cmd_run.c":
        head = "int cmd_run(int argc, char **argv)\n{\n"
        if head not in text:
            raise AssertionError("cannot patch cmd_run in %s" % f)
        return text.replace(head, head + '    fprintf(stderr, "broken on purpose\\n");\n'
                                         "    return CLI_FAIL;\n")
    if f == "src/store/schema.c":
        m = re.search(r"static const char \*const \*const steps\[\] = \{[^}]*", text)
        if not m:
            raise AssertionError("cannot patch the schema steps in %s" % f)
        step = ('static const char schema_vtest[] = "CREATE TABLE upgrade_test (x INTEGER);";\n'
                "static const char *const step_vtest[] = {schema_vtest, NULL};\n\n")
        return (text[:m.start()] + step + m.group(0) + "    step_vtest,\n" + text[m.end():])
    return None


def does_not_build(f, text):
    if f == "src/cli/main.c":
        return text + "\n#error broken on purpose\n"
    return None


def check_first_upgrade(stage, fails, before, old_version):
    with open(stage.conf, "rb") as f:
        conf_before = f.read()
    p = stage.upgrade(ofinstall.tarball_of_tree(os.path.join(stage.top, "current.tar.gz")))
    fails.check(p.returncode == 0 and "upgraded" in p.stdout, "upgrade failed:\n" + p.stdout[-4000:])
    with open(stage.conf, "rb") as f:
        fails.check(f.read() == conf_before, "the upgrade changed the config")
    current = ofinstall.sh([ofe2e.BIN, "--version"]).stdout.strip()
    fails.check(ofinstall.sh([stage.bin, "--version"]).stdout.strip() == current,
                "the installed program is not this version")
    fresh = os.path.join(stage.top, "fresh.db")
    ofe2e.run("import", "--db", fresh, ofe2e.corpus("softflowd-v5.pcap"))
    with sqlite3.connect(fresh) as c:
        want_schema = c.execute("PRAGMA user_version").fetchone()[0]
    fails.check(stage.schema() == want_schema,
                "schema %d after the upgrade, this version's is %d" % (stage.schema(), want_schema))
    hosts = sorted(k.split()[0] for k in before if k != "traff")
    after = stage.numbers(hosts)
    diff = [k for k in before if before[k] != after.get(k)]
    fails.check(not diff, "numbers changed by the upgrade: %s" % diff[:10])
    st, body = ofinstall.wait_http(stage.http_port, "/?module=gettraff&year=2024&month=5")
    fails.check(st == 200 and json.loads(body) == before["traff"], "gettraff over HTTP differs")
    # the dashboard's login works on the migrated store
    ofe2e.set_password(stage.db, "admin", "upgrade-test-pw")
    cookie = ofinstall.login(stage.http_port, "admin", "upgrade-test-pw")
    fails.check(cookie is not None, "no login on the upgraded store")
    auth = {"Cookie": cookie or ""}
    st, body = ofinstall.http_get(stage.http_port, "/api/v1/status", headers=auth)
    fails.check(st == 200 and json.loads(body)["store"]["schema"] == want_schema,
                "status: %d %r" % (st, body[:200]))
    # the v2 rollups were made from the v1 bins: an hour step sums its bins
    ip = "10.20.0.12"
    st, body = ofinstall.http_get(stage.http_port, "/api/v1/series?ip=%s&period=explict&from=%d"
                                  "&to=%d&step=3600" % (ip, EPOCH, EPOCH + 3600), headers=auth)
    hour = json.loads(body)["points"][0]["bytes"] if st == 200 else None
    bins = [b["bytes"] for b in after["%s R" % ip] if EPOCH <= b["ts"] < EPOCH + 3600]
    fails.check(hour == [sum(c) for c in zip(*bins)] and any(hour),
                "hour rollup %s is not the sum of its bins" % hour)
    backups = sorted(os.listdir(stage.backups))
    fails.check(len(backups) == 1, "backups: %s" % backups)
    if backups:
        bk = os.path.join(stage.backups, backups[0])
        with sqlite3.connect(os.path.join(bk, "ophanimflow.db")) as c:
            fails.check(c.execute("PRAGMA user_version").fetchone()[0] == 1,
                        "the backed-up store is not the v1 one")
        with tarfile.open(os.path.join(bk, "files.tar")) as t:
            names = t.getnames()
        fails.check((stage.lay["BINDIR"] + "/ophanimflow").lstrip("/") in names,
                    "the old program is not in the backup: %s" % names)
        with open(os.path.join(bk, "info")) as f:
            fails.check(old_version in f.read(), "backup info lacks the old version")
    return after


def check_git_upgrade(stage, fails, numbers):
    """Once more, this time fetching the configured branch of a git
    repository (this tree committed into a scratch one), as REPO_URL and
    BRANCH in the upgrade config say."""
    repo = os.path.join(stage.top, "repo")
    for rel in ofinstall.source_files():
        os.makedirs(os.path.dirname(os.path.join(repo, rel)), exist_ok=True)
        shutil.copy2(os.path.join(ofinstall.SOURCE, rel), os.path.join(repo, rel))
    if os.path.lexists(os.path.join(repo, ".git")):
        raise AssertionError("the copy of the tree holds a .git: it must not")
    # this scratch repository and no other, whatever the environment says
    env = {"GIT_DIR": os.path.join(repo, ".git"), "GIT_WORK_TREE": repo}
    git = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"]
    ofinstall.sh(git + ["init", "-q", "-b", "stable"], env=env)
    ofinstall.sh(git + ["add", "-A"], env=env, cwd=repo)
    ofinstall.sh(git + ["commit", "-q", "-m", "release"], env=env, cwd=repo)
    upconf = stage.root + stage.lay["SYSCONFDIR"] + "/ophanimflow-upgrade.conf"
    ofinstall.set_options(upconf, {"REPO_URL": repo, "BRANCH": "stable"})
    pid = stage.pid()
    p = stage.upgrade()
    fails.check(p.returncode == 0 and "fetching branch stable of " + repo in p.stdout,
                "git upgrade: exit %d\n%s" % (p.returncode, p.stdout[-3000:] + p.stderr))
    fails.check(stage.pid() != pid, "the git upgrade did not restart the service")
    hosts = sorted(k.split()[0] for k in numbers if k != "traff")
    fails.check(stage.numbers(hosts) == numbers, "numbers changed by the git upgrade")


def check_rollback(stage, fails, numbers):
    pid = stage.pid()
    program = cksum(stage.bin)
    schema = stage.schema()
    p = stage.upgrade(broken_tarball(stage, "exits-at-start", exits_at_start_with_newer_schema))
    fails.check(p.returncode == 1 and "rolling back" in p.stdout and "is back and answers" in
                p.stderr, "broken start: exit %d\n%s" % (p.returncode, p.stdout[-3000:] + p.stderr))
    fails.check("migrating" in p.stdout, "the broken version's migration did not run")
    fails.check(cksum(stage.bin) == program, "the previous program file is not back")
    fails.check(stage.schema() == schema, "store schema %d after the rollback, was %d"
                % (stage.schema(), schema))
    fails.check(stage.pid() != pid, "the service was not restarted")
    st, body = ofinstall.wait_http(stage.http_port, "/?module=gettraff&year=2024&month=5")
    fails.check(st == 200 and json.loads(body) == numbers["traff"], "after the rollback: gettraff")
    hosts = sorted(k.split()[0] for k in numbers if k != "traff")
    fails.check(stage.numbers(hosts) == numbers, "numbers changed by the rollback")


def check_build_failure(stage, fails, numbers):
    pid = stage.pid()
    program = cksum(stage.bin)
    backups = sorted(os.listdir(stage.backups))
    p = stage.upgrade(broken_tarball(stage, "does-not-build", does_not_build))
    fails.check(p.returncode == 1 and "does not build: nothing changed" in p.stderr,
                "build failure: exit %d\n%s" % (p.returncode, p.stdout[-2000:] + p.stderr))
    fails.check(stage.pid() == pid, "the service was stopped for a version that does not build")
    fails.check(cksum(stage.bin) == program, "the program changed")
    fails.check(sorted(os.listdir(stage.backups)) == backups, "a backup was made")
    st, body = ofinstall.http_get(stage.http_port, "/?module=gettraff&year=2024&month=5")
    fails.check(st == 200 and json.loads(body) == numbers["traff"], "after the build failure")


def main():
    t0 = time.time()
    stage = Stage()
    fails = ofe2e.Failures()
    old_version = build_first_release(stage)
    captures = [ofe2e.corpus(n + ".pcap") for n in ofe2e.CAPTURES]
    ofinstall.sh([stage.bin, "import", "-c", stage.conf] + captures)
    fails.check(stage.schema() == 1, "the first release wrote schema %d" % stage.schema())
    before = stage.numbers(hosts_of_corpus())
    fails.check(len(before["traff"]) > 20, "the first release stored %d hosts" % len(before["traff"]))
    print("first release %s: %d hosts imported, schema 1 (%.0f s)" % (
        old_version, len(before["traff"]), time.time() - t0))
    # the new version's HTTP server, on a port of the test's own, and no
    # disk reserve (a nearly full test disk would prune the 2024 bins the
    # test compares): options the first release would refuse, added as an
    # operator would
    with open(stage.conf) as f:
        text = f.read()
    with open(stage.conf, "w") as f:
        f.write(text.replace("[networks]", "HTTP_PORT=%d\nHTTP_LISTEN_ADDRESS=127.0.0.1\n"
                             "STORAGE_RESERVED_SPACE=0\n[networks]" % stage.http_port))
    try:
        numbers = check_first_upgrade(stage, fails, before, old_version)
        if fails.items:
            return fails.done("upgrade")
        check_git_upgrade(stage, fails, numbers)
        check_rollback(stage, fails, numbers)
        check_build_failure(stage, fails, numbers)
    finally:
        stage.stop()
    print("upgrade test: %.0f s" % (time.time() - t0))
    return fails.done("upgrade")


if __name__ == "__main__":
    ofe2e.main(main)
