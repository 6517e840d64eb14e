"""Local networks changed while a real `ophanimflow run` collects: added and
removed through /api/v1/networks, and replaced in the config file followed
by SIGHUP. Hand-made NetFlow v5 datagrams over real UDP show what the
collector accounts: a host outside every network counts for nobody (the
"transit" counter goes up), and once its network is added, records that
arrive afterwards count for it, and only those. Networks added in the
dashboard outlive a restart; the config's cannot be removed there; host
descriptions follow the current list; SIGHUP also swaps ENDPOINTS_HOSTS
and never loses a counter."""
import json
import os
import signal
import time

import ofe2e

REMOTE = "192.0.2.1"


class Checks(ofe2e.Failures):
    def __init__(self):
        super().__init__()
        self.n = 0

    def check(self, ok, msg):
        self.n += 1
        super().check(ok, msg)


def poll(fn, seconds=15):
    deadline = time.time() + seconds
    while True:
        v = fn()
        if v or time.time() > deadline:
            return v
        time.sleep(0.2)


class Net:
    """The daemon's API with a token, and a NetFlow v5 sender."""

    def __init__(self, d, token):
        self.d = d
        self.api = ofe2e.Api(d.http_port, token=token)
        self.seq = 0

    def download(self, host, nbytes):
        """A flow of nbytes from a remote address to host, now."""
        ofe2e.send_udp(self.d.nf_port, [ofe2e.netflow_v5([(REMOTE, host, nbytes, 1, 443, 40000, 6)],
                                                          seq=self.seq)])
        self.seq += 1

    def transit(self):
        _, st = self.api.json("GET", "/api/v1/status")
        return st["accounting"]["transit"]

    def records(self):
        _, st = self.api.json("GET", "/api/v1/status")
        return st["accounting"]["records"] + st["accounting"]["transit"]

    def dl(self, host):
        lt = time.localtime()
        _, t = self.api.json("GET", "/api/v1/traffic?year=%d&month=%d&ip=%s" % (lt.tm_year, lt.tm_mon, host))
        return t.get(host, {}).get("dl", 0)

    def send_and_wait(self, host, nbytes):
        """Sends one flow and waits until the collector took it in."""
        before = self.records()
        self.download(host, nbytes)
        return poll(lambda: self.records() > before)

    def wait_dl(self, host, want):
        return poll(lambda: self.dl(host) == want) or self.dl(host) == want

    def networks(self):
        _, j = self.api.json("GET", "/api/v1/networks")
        return j["networks"]

    def desc(self, path, host):
        _, j = self.api.json("GET", path)
        for h in j["hosts"]:
            if h["ip"] == host:
                return h.get("desc")
        return "(absent)"


def check_add_delete(n, fails):
    a = n.api
    fails.check(n.networks() == [{"cidr": "10.20.0.0/24", "description": "Office", "source": "config"}],
                "networks at start: %s" % n.networks())
    # before: 10.99.0.5 is nobody's
    t0 = n.transit()
    fails.check(n.send_and_wait("10.99.0.5", 1000) and n.transit() == t0 + 1, "not transit before the add")
    time.sleep(2.5)  # a flush interval: it would be written by now
    fails.check(n.dl("10.99.0.5") == 0, "accounted before its network was added: %d" % n.dl("10.99.0.5"))
    st, j = a.json("POST", "/api/v1/networks", {"cidr": "10.99.0.0/16", "description": "Lab"})
    fails.check(st == 201 and j == {"cidr": "10.99.0.0/16", "description": "Lab", "source": "ui"},
                "add: %d %s" % (st, j))
    n.download("10.99.0.5", 2000)
    fails.check(n.wait_dl("10.99.0.5", 2000), "after the add: dl %d, want 2000" % n.dl("10.99.0.5"))
    fails.check(n.desc("/api/v1/hosts", "10.99.0.5") == "Lab", "hosts desc: %s" % n.desc("/api/v1/hosts", "10.99.0.5"))
    fails.check(n.desc("/api/v1/top?hours=1", "10.99.0.5") == "Lab", "top desc")
    # a second one, removed again
    st, _ = a.json("POST", "/api/v1/networks", {"cidr": "2001:DB8:98::/48", "description": "Temp v6"})
    fails.check(st == 201, "add v6: %d" % st)
    st, j = a.json("POST", "/api/v1/networks", {"cidr": "10.98.0.0/16"})
    fails.check(st == 201 and j == {"cidr": "10.98.0.0/16", "description": "", "source": "ui"}, "add temp: %d %s" % (st, j))
    n.download("10.98.0.7", 500)
    fails.check(n.wait_dl("10.98.0.7", 500), "temp network: dl %d" % n.dl("10.98.0.7"))
    fails.check(n.desc("/api/v1/hosts", "10.98.0.7") is None, "empty desc: %r" % n.desc("/api/v1/hosts", "10.98.0.7"))
    st, _ = a.json("DELETE", "/api/v1/networks?cidr=10.98.0.0/16")
    fails.check(st == 204, "delete: %d" % st)
    st, _ = a.json("DELETE", "/api/v1/networks?cidr=2001:db8:98::/48")
    fails.check(st == 204, "delete v6 by its canonical text: %d" % st)
    t0 = n.transit()
    fails.check(n.send_and_wait("10.98.0.7", 700) and n.transit() == t0 + 1, "not transit after the delete")
    time.sleep(2.5)
    fails.check(n.dl("10.98.0.7") == 500, "accounted after the delete: %d" % n.dl("10.98.0.7"))
    fails.check(n.networks() == [{"cidr": "10.20.0.0/24", "description": "Office", "source": "config"},
                                 {"cidr": "10.99.0.0/16", "description": "Lab", "source": "ui"}],
                "networks: %s" % n.networks())


def check_refusals(n, fails):
    a = n.api
    for body, status, field in (({"cidr": "10.1.0.1/16"}, 400, "cidr"), ({"cidr": "nope"}, 400, "cidr"),
                                ({"cidr": "10.0.0.0/33"}, 400, "cidr"), ({"cidr": "10.1.0.0"}, 400, "cidr"),
                                ({"cidr": ""}, 400, "cidr"), ({}, 400, "cidr"), ({"cidr": 10}, 400, "cidr"),
                                ({"cidr": "10.0.0.0/8 "}, 400, "cidr"),
                                ({"cidr": "10.2.0.0/16", "description": "x" * 129}, 400, "description"),
                                ({"cidr": "10.2.0.0/16", "description": "a\nb"}, 400, "description"),
                                ({"cidr": "10.2.0.0/16", "description": "a\u0085b"}, 400, "description"),
                                ({"cidr": "10.2.0.0/16", "description": 5}, 400, "description"),
                                ({"cidr": "10.99.0.0/16"}, 409, "cidr"), ({"cidr": "10.20.0.0/24"}, 409, "cidr")):
        st, j = a.json("POST", "/api/v1/networks", body)
        fails.check(st == status and j.get("field") == field, "POST %s: %d %s" % (body, st, j))
    st, j = a.json("POST", "/api/v1/networks", {"cidr": "10.2.0.0/16", "description": "\u00e9" * 64})
    fails.check(st == 201, "128 bytes of UTF-8: %d %s" % (st, j))
    st, _ = a.json("DELETE", "/api/v1/networks?cidr=10.2.0.0/16")
    fails.check(st == 204, "delete it: %d" % st)
    st, j = a.json("DELETE", "/api/v1/networks?cidr=10.20.0.0/24")
    fails.check(st == 409 and j == {"error": "defined in the config file; edit it there", "field": "cidr"},
                "delete a config network: %d %s" % (st, j))
    st, j = a.json("DELETE", "/api/v1/networks?cidr=10.3.0.0/16")
    fails.check(st == 404, "delete one not listed: %d %s" % (st, j))
    st, j = a.json("DELETE", "/api/v1/networks?cidr=10.3.0.1/16")
    fails.check(st == 400 and j.get("field") == "cidr", "delete a bad cidr: %d %s" % (st, j))


def write_config(d, options, networks):
    """Rewrites the daemon's config file: its options, more options, and a
    new [networks] section."""
    with open(d.conf) as f:
        head = f.read().split("[networks]")[0]
    with open(d.conf, "w") as f:
        f.write(head)
        for o in options:
            f.write(o + "\n")
        f.write("[networks]\n")
        for net in networks:
            f.write("net = %s\n" % net)


def check_sighup(d, n, fails):
    before = n.dl("10.99.0.5")
    write_config(d, ["ENDPOINTS_HOSTS=::1", "FLOW_MAX_AGE=7200"],
                 ["10.77.0.0/16 Branch", "10.99.0.0/16 Lab (config)"])
    d.proc.send_signal(signal.SIGHUP)
    fails.check(poll(lambda: "SIGHUP: 2 local networks from the configuration" in d.output()),
                "no reload in the log:\n" + d.output()[-1500:])
    fails.check("taking effect at the next restart: FLOW_MAX_AGE" in d.output(), "restart-only option not logged")
    fails.check(n.networks() == [{"cidr": "10.77.0.0/16", "description": "Branch", "source": "config"},
                                 {"cidr": "10.99.0.0/16", "description": "Lab (config)", "source": "config"}],
                "networks after SIGHUP: %s" % n.networks())
    n.download("10.77.0.9", 400)
    fails.check(n.wait_dl("10.77.0.9", 400), "new config network: dl %d" % n.dl("10.77.0.9"))
    t0 = n.transit()
    fails.check(n.send_and_wait("10.20.0.10", 900) and n.transit() == t0 + 1, "removed config network still local")
    fails.check(n.dl("10.99.0.5") == before, "counters lost: %d, was %d" % (n.dl("10.99.0.5"), before))
    fails.check(n.desc("/api/v1/hosts", "10.99.0.5") == "Lab (config)", "desc after SIGHUP")
    st, j = n.api.json("DELETE", "/api/v1/networks?cidr=10.99.0.0/16")
    fails.check(st == 409, "a network now in the config: %d %s" % (st, j))
    # ENDPOINTS_HOSTS: now ::1 only
    c4 = ofe2e.Api(d.http_port)
    st, _, body = c4.request("GET", "/?module=gettraff")
    fails.check(st == 403 and body == b"GETTRAFF:DENIED", "gettraff from 127.0.0.1 after SIGHUP: %d %r" % (st, body))
    c6 = ofe2e.Api(d.http_port, "::1")
    st, _, body = c6.request("GET", "/?module=gettraff")
    got = json.loads(body) if st == 200 else {}
    fails.check(st == 200 and int(got.get("10.99.0.5", {}).get("dl", 0)) == before,
                "gettraff from ::1 after SIGHUP: %d %r" % (st, body[:200]))
    # a broken file changes nothing
    write_config(d, ["NO_SUCH_OPTION=1"], ["10.55.0.0/16"])
    d.proc.send_signal(signal.SIGHUP)
    fails.check(poll(lambda: "SIGHUP: the configuration has errors" in d.output()), "broken config not reported")
    fails.check([x["cidr"] for x in n.networks()] == ["10.77.0.0/16", "10.99.0.0/16"], "broken config applied")
    st, _, _ = c4.request("GET", "/?module=gettraff")
    fails.check(st == 403, "allowlist after a broken reload: %d" % st)
    c4.close()
    c6.close()


def check_import(db, fails):
    """`ophanimflow import` accounts with the dashboard's networks too."""
    now = int(time.time())
    lt = time.localtime(now)
    before = ofe2e.traff(db, lt.tm_year, lt.tm_mon)
    pcap = os.path.join(ofe2e.tmpdir(), "ui-net.pcap")
    dgram = ofe2e.netflow_v5([(REMOTE, "10.99.0.5", 5000, 4, 443, 40000, 6),
                              (REMOTE, "10.55.0.5", 6000, 4, 443, 40000, 6)], unix_secs=now)
    ofe2e.write_udp_pcap(pcap, [(now, 40000, 2055, dgram)])
    out = ofe2e.run("import", "--db", db, "--network", "10.20.0.0/24", "--sampling-rate", "1", pcap).stdout
    fails.check("accounted 1 records, transit 1" in out, "import summary:\n" + out)
    after = ofe2e.traff(db, lt.tm_year, lt.tm_mon)
    old = int(before.get("10.99.0.5", {}).get("dl", 0))
    fails.check(int(after.get("10.99.0.5", {}).get("dl", 0)) == old + 5000 and "10.55.0.5" not in after,
                "import with the dashboard's network: %s -> %s" % (before.get("10.99.0.5"), after.get("10.99.0.5")))


def main():
    fails = Checks()
    counts = {}
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    nets = ["10.20.0.0/24 Office"]

    def run(what, fn, *args):
        before, failed = fails.n, len(fails.items)
        fn(*args, fails)
        counts[what] = (fails.n - before, len(fails.items) - failed)

    d = ofe2e.Daemon(db, nets, http=True)
    try:
        token = ofe2e.api_token(d.http_port, d.admin_password)
        n = Net(d, token)
        run("add, delete", check_add_delete, n)
        run("refusals", check_refusals, n)
    finally:
        d.stop()
    d = ofe2e.Daemon(db, nets, http=True)
    try:
        n = Net(d, token)

        def restart(fails):
            fails.check(n.networks() == [{"cidr": "10.20.0.0/24", "description": "Office", "source": "config"},
                                         {"cidr": "10.99.0.0/16", "description": "Lab", "source": "ui"}],
                        "networks after a restart: %s" % n.networks())
            n.download("10.99.0.5", 300)
            fails.check(n.wait_dl("10.99.0.5", 2300), "after a restart: dl %d, want 2300" % n.dl("10.99.0.5"))

        run("restart", restart)
        run("sighup", check_sighup, d, n)
    finally:
        out = d.stop()
    fails.check("networks: 10.99.0.0/16 added in the dashboard" not in out, "log of the second run")
    run("import", check_import, db)
    for what, (k, bad) in counts.items():
        print("%-22s %4d checks, %d failed" % (what, k, bad))
    return fails.done("networks live")


if __name__ == "__main__":
    ofe2e.main(main)
