"""`cmake --install` into a staging root (DESTDIR): every file lands where
the build's layout says (program, upgrade script, example and config
files, man pages, the platform's service files, all with the build's paths
filled in). Then the installed program runs with the installed config,
adjusted as an operator would (the staging data directory, free loopback
ports, the corpus's networks and sampling rate), collects two corpus
captures sent over real UDP (NetFlow v9 to COLLECTOR_PORT, sFlow to
SFLOW_PORT), and its HTTP API answers with the expected totals. A second
install over the first leaves the edited config alone."""
import json
import os
import re
import socket
import time

import ofinstall
from ofinstall import ofe2e

CAPTURES = {"softflowd-v9": "nf", "pmacct-sflow": "sf"}


def expected_files(root):
    v = ofinstall.layout()
    mandir, etc = v["MANDIR"], v["SYSCONFDIR"]
    files = {
        "program": os.path.join(v["BINDIR"], "ophanimflow"),
        "upgrade": os.path.join(v["SBINDIR"], "ophanimflow-upgrade"),
        "config": os.path.join(etc, "ophanimflow.conf"),
        "example": os.path.join(etc, "ophanimflow.conf.example"),
        "upgrade config": os.path.join(etc, "ophanimflow-upgrade.conf"),
        "man 8": os.path.join(mandir, "man8", "ophanimflow.8"),
        "man upgrade": os.path.join(mandir, "man8", "ophanimflow-upgrade.8"),
        "man 5": os.path.join(mandir, "man5", "ophanimflow.conf.5"),
    }
    if v["LAYOUT"] == "FreeBSD":
        files["rc.d"] = os.path.join(v["RCDIR"], "ophanimflow")
    else:
        files["unit"] = os.path.join(v["SYSTEMD_UNITDIR"], "ophanimflow.service")
        files["init.d"] = os.path.join(v["INITDIR"], "ophanimflow")
    return {k: root + p for k, p in files.items()}


def check_files(root, fails):
    files = expected_files(root)
    for what, path in files.items():
        fails.check(os.path.isfile(path), "%s: %s is missing" % (what, path))
    for what in ("program", "upgrade", "init.d", "rc.d"):
        if what in files:
            fails.check(os.access(files[what], os.X_OK), "%s is not executable" % files[what])
    with open(files["example"]) as a, open(files["config"]) as b:
        fails.check(a.read() == b.read(), "the config is not the example")
    program = files["program"][len(root):]
    config = files["config"][len(root):]
    service = files.get("unit") or files["rc.d"]
    with open(service) as f:
        text = f.read()
    fails.check(program in text and config in text,
                "%s does not run %s with %s" % (service, program, config))
    fails.check(not re.search(r"@[A-Z_]+@", text), "%s has unfilled @VARIABLES@" % service)
    with open(files["upgrade"]) as f:
        text = f.read()
    fails.check('SYSCONFDIR="%s"' % ofinstall.layout()["SYSCONFDIR"] in text,
                "the upgrade script does not know the config directory")
    return files


def month_totals(port, months):
    got = {}
    for year, month in months:  # a run across a month boundary spans two
        st, body = ofinstall.http_get(port, "/?module=gettraff&year=%d&month=%d" % (year, month))
        if st != 200:
            raise AssertionError("gettraff: %d %r" % (st, body[:200]))
        for ip, v in json.loads(body).items():
            old = got.get(ip, [0, 0])
            got[ip] = [old[0] + int(v["dl"]), old[1] + int(v["ul"])]
    return got


def collect(root, files, fails):
    """The installed program with the installed config collects over UDP
    and answers over HTTP with the captures' totals."""
    nf, sf = ofe2e.free_udp_port(), ofe2e.free_udp_port()
    http = ofe2e.free_tcp_port(("127.0.0.1",))
    datadir = root + ofinstall.layout()["DATADIR"]
    os.makedirs(datadir, exist_ok=True)
    db = os.path.join(datadir, "ophanimflow.db")
    ofinstall.set_options(files["config"], {
        "COLLECTOR_PORT": nf, "SFLOW_PORT": sf, "LISTEN_ADDRESS": "127.0.0.1",
        "HTTP_PORT": http, "HTTP_LISTEN_ADDRESS": "127.0.0.1", "DB_PATH": db,
        "SAMPLING_RATE": 1, "FLUSH_INTERVAL": 2})
    want = {}
    networks = []
    for name in CAPTURES:
        exp = ofe2e.expected(name)
        networks = exp["local_networks"]
        for ip, v in exp["gettraff"]["2024-05"].items():
            t = want.setdefault(ip, [0, 0])
            t[0] += int(v["dl"])
            t[1] += int(v["ul"])
    args = [files["program"], "run", "-c", files["config"]]
    for n in networks:
        args += ["--network", n]
    months = {time.localtime()[:2]}
    d = ofinstall.Running(args, os.path.join(root, "daemon.log"),
                          ("collecting:", "http: listening"))
    got = None
    try:
        for name, port in CAPTURES.items():
            dgrams = ofe2e.pcap_datagrams(ofe2e.corpus(name + ".pcap"))
            ofe2e.send_all(dgrams, socket.AF_INET, nf if port == "nf" else sf)
        deadline = time.time() + 30
        while time.time() < deadline:
            months.add(time.localtime()[:2])
            got = month_totals(http, months)
            if got == want:
                break
            time.sleep(0.5)
        # The first start made admin and logged its password once: the
        # installed program's dashboard login works with it.
        m = re.search(r"created user admin with password (\S+)", d.output())
        fails.check(m is not None, "no admin password in the log")
        cookie = ofinstall.login(http, "admin", m.group(1)) if m else None
        fails.check(cookie is not None, "admin's logged password does not log in")
        st, body = ofinstall.http_get(http, "/api/v1/status", headers={"Cookie": cookie or ""})
        fails.check(st == 200 and json.loads(body)["store"]["path"] == db,
                    "status: %d %r" % (st, body[:300]))
    finally:
        rc = d.stop()
    fails.check(got == want, "gettraff differs for %s" % sorted(
        k for k in set(got or {}) | set(want) if (got or {}).get(k) != want.get(k))[:10])
    fails.check(rc == 0, "the daemon exited %d:\n%s" % (rc, d.output()[-3000:]))
    fails.check(os.path.isfile(db), "no store at %s" % db)
    print("installed program: %d hosts over UDP, gettraff %s" % (
        len(want), "equal" if got == want else "differs"))


def main():
    root = ofe2e.tmpdir()
    ofinstall.staged_install(root)
    fails = ofe2e.Failures()
    files = check_files(root, fails)
    print("%d installed files in place" % len(files))
    collect(root, files, fails)
    with open(files["config"]) as f:
        edited = f.read()
    ofinstall.staged_install(root)
    with open(files["config"]) as f:
        fails.check(f.read() == edited, "a second install changed the config")
    return fails.done("staged install")


if __name__ == "__main__":
    ofe2e.main(main)
