"""The dashboard in a real browser against a real `ophanimflow run`.

Prepares what the browser tests need, then runs them with node
(dashboard.test.mjs: Debian's chromium driven by playwright-core; with it
units.test.mjs, the page's pure modules under node):

- a store filled by `ophanimflow import` of every corpus capture as it is
  (their flows lie in May 2024), plus one capture again with its arrival
  times moved to the last 25 minutes, so that this month, the last
  5-minute step and the last hour have known traffic too (the flows' own
  2024 times are then "clock off" and the arrival times count);
- the user admin with a password set by `ophanimflow passwd`, read from
  standard input;
- the daemon on loopback ports of its own, the corpus networks with
  descriptions in its config file;
- the numbers the pages must show, from the corpus oracles (expected-*.json),
  in a JSON file for the tests.

A missing node, chromium or playwright-core is a failure, never a skip.

    python3 tests/browser/run_dashboard.py                # the tests
    python3 tests/browser/run_dashboard.py --screenshots  # docs/screenshots/*.png

OF_BIN names the program (default build/ophanimflow), OF_CORPUS the
captures; OF_E2E_KEEP=1 keeps the store and logs of a run."""
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import ofe2e  # noqa: E402

CHROMIUM = os.environ.get("OF_CHROMIUM", "/usr/bin/chromium")
EPOCH = 1715680800  # the captures' first 5-minute bin, 2024-05-14 10:00 UTC
STEP = 300
SHIFTED = "softflowd-v9"  # the capture imported again at the present time
NETWORKS = {"10.20.0.0/24": "Office LAN", "2001:db8:20::/64": "Office IPv6"}
PASSWORD = "dashboard test password 1"
WEB = 8  # the class index of web


def need_tools():
    """Fails (exit 1) with what to do when a tool is missing."""
    missing = []
    node = shutil.which("node")
    if not node:
        missing.append("node (Debian packages nodejs and npm)")
    if not os.access(CHROMIUM, os.X_OK):
        missing.append("%s (Debian package chromium)" % CHROMIUM)
    if not os.path.isdir(os.path.join(HERE, "node_modules", "playwright-core")):
        missing.append("playwright-core (npm ci in tests/browser)")
    if missing:
        print("FAILED: the browser tests need: %s; scripts/install-deps.sh installs them all"
              % "; ".join(missing))
        sys.exit(1)
    return node


def shifted_capture(path, first_bin):
    """Writes the capture SHIFTED with its datagrams' arrival moved so that
    its first 5-minute bin is first_bin. Returns the capture's datagrams."""
    dgrams = ofe2e.pcap_datagrams(ofe2e.corpus(SHIFTED + ".pcap"))
    shift = first_bin - EPOCH
    ofe2e.write_udp_pcap(path, [(ts + shift, 40000, 2055, payload) for ts, payload in dgrams])


def build_store(work):
    """The store, and the first bin of the shifted import."""
    db = os.path.join(work, "of.db")
    nets = []
    for n in NETWORKS:
        nets += ["--network", n]
    for name in ofe2e.CAPTURES:
        ofe2e.run("import", "--db", db, "--sampling-rate", "1", *nets, ofe2e.corpus(name + ".pcap"))
    # Close to the end of a 5-minute step, wait for the next one: the
    # dashboard's "last complete step" should still be the one imported
    # when the browser looks at it.
    if STEP - time.time() % STEP < 30:
        time.sleep(STEP - time.time() % STEP + 1)
    current = int(time.time()) // STEP * STEP
    first = current - 5 * STEP
    shifted = os.path.join(work, "shifted.pcap")
    shifted_capture(shifted, first)
    ofe2e.run("import", "--db", db, "--sampling-rate", "1", *nets, shifted)
    return db, first


def month_of(ts):
    t = time.localtime(ts)
    return t.tm_year, t.tm_mon


def expectations(first):
    """What the pages must show, from the oracles."""
    may = {"year": 2024, "month": 5, "dl": 0, "ul": 0}
    host = "10.20.0.12"
    custom = {"from": EPOCH - 3600, "to": EPOCH + 2 * 3600, "R": 0, "S": 0}
    for name in ofe2e.CAPTURES:
        exp = ofe2e.expected(name)
        for v in exp["gettraff"]["2024-05"].values():
            may["dl"] += int(v["dl"])
            may["ul"] += int(v["ul"])
        for d in ("R", "S"):
            custom[d] += exp["hosts"][host][d]["bytes"][0]
    shifted = ofe2e.expected(SHIFTED)
    year, month = month_of(time.time())
    now_month = {"year": year, "month": month, "dl": 0, "ul": 0, "hosts": {},
                 # the whole shifted import lies in this month (not so in
                 # the first minutes of a month)
                 "exact": month_of(first) == (year, month)}
    for ip, v in shifted["gettraff"]["2024-05"].items():
        now_month["hosts"][ip] = [int(v["dl"]), int(v["ul"])]
        now_month["dl"] += int(v["dl"])
        now_month["ul"] += int(v["ul"])
    web = sorted(((v["R"]["bytes"][WEB], ip) for ip, v in shifted["hosts"].items() if ip != "0.0.0.0"),
                 reverse=True)
    return {
        "this_month": now_month,
        "may": may,
        "host": host,
        "host_network": "10.20.0.0/24",
        "host_desc": NETWORKS["10.20.0.0/24"],
        "custom": custom,
        "top_web": {"ip": web[0][1], "bytes": web[0][0], "second": web[1][1]},
        # the dashboard's "last complete step" when no step ended since
        "last_bin": first + 4 * STEP,
        "live_capture": ofe2e.corpus("softflowd-v5.pcap"),
        "config_networks": list(NETWORKS),
    }


def main():
    screenshots = "--screenshots" in sys.argv[1:]
    node = need_tools()
    work = ofe2e.tmpdir()
    db, first = build_store(work)
    ofe2e.set_password(db, "admin", PASSWORD)
    exp = expectations(first)
    exp_path = os.path.join(work, "expect.json")
    with open(exp_path, "w") as f:
        json.dump(exp, f)
    nets = ["%s %s" % (n, d) for n, d in NETWORKS.items()]
    # retention that keeps the 2024 bins, for the settings page to show
    d = ofe2e.Daemon(db, nets, http=True, http_listen=("127.0.0.1",),
                     extra=["CHARTS_NETDESC=yes", "RETENTION_DAYS=3650",
                            "RETENTION_HOURLY_DAYS=7300"])
    env = dict(os.environ)
    env.update({
        "OF_URL": "http://127.0.0.1:%d/" % d.http_port,
        "OF_USER": "admin",
        "OF_PASSWORD": PASSWORD,
        "OF_NF_PORT": str(d.nf_port),
        "OF_EXPECT": exp_path,
        "OF_CHROMIUM": CHROMIUM,
    })
    script = "screenshots.mjs" if screenshots else "dashboard.test.mjs"
    args = [node, os.path.join(HERE, script)]
    if not screenshots:
        args = [node, "--test", "--test-reporter=spec", os.path.join(HERE, "units.test.mjs"),
                os.path.join(HERE, script)]
    try:
        rc = subprocess.run(args, env=env, cwd=HERE, timeout=480).returncode
    finally:
        out = d.stop()
    if rc != 0:
        print("daemon log (end):\n" + out[-3000:])
        raise AssertionError("%s exited %d" % (script, rc))
    return True


if __name__ == "__main__":
    ofe2e.main(main)
