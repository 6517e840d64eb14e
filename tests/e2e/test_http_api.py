"""The HTTP API of a real `ophanimflow run` on loopback, with a real HTTP
client (http.client) over IPv4 and IPv6.

The store is filled first by importing every corpus capture (their flows
lie in May 2024), then the daemon opens it: gettraff bodies must equal the
oracles' totals summed over the captures, dumpdata must equal the stored
5-minute bins converted to Mbit/s, charts read back with libgd must show
the class colours exactly in the steps with data and nothing elsewhere, and
the JSON API must agree with the CLI. Live UDP traffic sent to the daemon then shows in the status, the
metrics and the top hosts. Bad input of every kind must get a 400 with a
one-line reason (never a crash or a hang), ENDPOINTS_HOSTS must refuse
others with the original's bodies, and slow or idle clients must not keep
connections.

/api/v1/ needs a login: the API is called with a token made by the admin
user of the first start (test_auth_api.py tests logins and tokens)."""
import http.client
import json
import os
import socket
import struct
import threading
import time

import chartcheck
import ofe2e

EPOCH = 1715680800  # the captures' first hour (2024-05-14 10:00 UTC)
DATA_TO = EPOCH + 1500  # the end of the captures' five 5-minute bins
MBIT = 8 / 300 / 1048576
TOKEN = None  # the API token every Client sends to /api/v1/ (set in main)


class Client:
    """One keep-alive connection to host:port; requests under /api/v1/
    carry the API token unless told otherwise."""

    def __init__(self, port, host="127.0.0.1", token=True):
        self.host, self.port = host, port
        self.token = token
        self.conn = http.client.HTTPConnection(host, port, timeout=20)

    def get(self, path, method="GET", headers=None, body=None):
        headers = dict(headers or {})
        if self.token and TOKEN and "/api/v1/" in path:
            headers.setdefault("Authorization", "Bearer " + TOKEN)
        self.conn.request(method, path, body=body, headers=headers)
        r = self.conn.getresponse()
        data = r.read()
        return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data

    def json(self, path):
        st, h, body = self.get(path)
        if st != 200:
            raise AssertionError("%s: %d %r" % (path, st, body[:200]))
        return h, json.loads(body)

    def close(self):
        self.conn.close()


def expected_totals():
    """gettraff of May 2024 summed over the captures, as integers."""
    tot = {}
    for name in ofe2e.CAPTURES:
        for ip, v in ofe2e.expected(name)["gettraff"]["2024-05"].items():
            t = tot.setdefault(ip, [0, 0])
            t[0] += int(v["dl"])
            t[1] += int(v["ul"])
    return tot


def as_gettraff(tot):
    return {ip: {"dl": str(dl), "ul": str(ul)} for ip, (dl, ul) in tot.items()}


def build_store():
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    exp = ofe2e.expected(ofe2e.CAPTURES[0])
    for name in ofe2e.CAPTURES:
        ofe2e.run("import", "--db", db, "--sampling-rate", "1", *ofe2e.network_args(exp),
                  ofe2e.corpus(name + ".pcap"))
    return db, exp["local_networks"]


def png_size(body):
    if body[:8] != b"\x89PNG\r\n\x1a\n" or body[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", body[16:24])


def check_gettraff(port, tot, fails):
    want = as_gettraff(tot)
    c4, c6 = Client(port), Client(port, "::1")
    for c in (c4, c6):
        for path in ("/?module=gettraff&year=2024&month=05", "/?module=gettraff&year=2024&month=5",
                     "/of/?module=gettraff&year=2024&month=5",
                     "/of//?module=gettraff&month=05&year=2024",
                     "/of/index.php?module=gettraff&year=2024&month=5&_=123"):
            st, h, body = c.get(path)
            fails.check(st == 200, "%s: status %d" % (path, st))
            fails.check(h.get("content-type") == "application/json", "%s: type %s" % (path, h))
            fails.check(h.get("cache-control") == "no-store", "%s: cache %s" % (path, h))
            fails.check(json.loads(body) == want, "%s: body differs" % path)
    for ip in list(tot)[:6] + [ip for ip in tot if ":" in ip][:3]:
        st, _, body = c4.get("/?module=gettraff&year=2024&month=5&ip=" + ip)
        fails.check(st == 200 and json.loads(body) == {ip: want[ip]}, "gettraff ip=%s: %r" % (ip, body))
    for path in ("/?module=gettraff&year=2024&month=5&ip=10.99.0.1",
                 "/?module=gettraff&year=2023&month=5", "/?module=gettraff&year=2024&month=6"):
        st, _, body = c4.get(path)
        fails.check(st == 200 and body == b"{}", "%s: want {}, got %d %r" % (path, st, body))
    # strings, as the original's clients expect
    _, _, body = c4.get("/?module=gettraff&year=2024&month=5")
    fails.check(all(isinstance(v[k], str) for v in json.loads(body).values() for k in ("dl", "ul")),
                "gettraff numbers are not strings")
    _, traffic = c4.json("/api/v1/traffic?year=2024&month=05")
    fails.check(traffic == {ip: {"dl": dl, "ul": ul} for ip, (dl, ul) in tot.items()},
                "/api/v1/traffic differs")
    c4.close()
    c6.close()


def check_dumpdata(port, db, tot, fails):
    """dumpdata equals the stored 5-minute bins in Mbit/s."""
    c = Client(port)
    frm, to = EPOCH - 3600, EPOCH + 3 * 3600
    hosts = ["0.0.0.0"] + sorted(tot)[:5] + [ip for ip in tot if ":" in ip][:2]
    n = 0
    for ip in hosts:
        for d in ("R", "S"):
            path = "/?module=graph&ip=%s&dir=%s&period=explict&from=%d&to=%d&dumpdata" % (ip, d, frm, to)
            st, h, body = c.get(path)
            fails.check(st == 200 and h.get("content-type", "").startswith("text/plain"),
                        "%s: %d %s" % (path, st, h.get("content-type")))
            lines = {}
            for line in body.decode().splitlines():
                f = line.split()
                lines[int(f[0])] = [float(x) for x in f[1:]]
            stored = ofe2e.series(db, ip, d, frm, to)
            for ts, b in stored.items():
                if not any(b["bytes"]):
                    continue
                got = lines.get(ts)
                want = [x * MBIT for x in b["bytes"]]
                ok = got is not None and all(abs(g - w) <= 1e-6 for g, w in zip(got, want))
                fails.check(ok, "%s %s bin %d: dump %s, stored %s" % (ip, d, ts, got, want))
            for ts, vals in lines.items():
                if ts not in stored:
                    fails.check(not any(vals), "%s %s: dump has %d not stored" % (ip, d, ts))
            fails.check(len(stored) > 0 or ip != "0.0.0.0", "%s %s: nothing stored" % (ip, d))
            n += 1
    c.close()


def check_graph(port, fails):
    c = Client(port)
    cases = [
        ("/?module=graph&ip=10.20.0.12", (1540, 400)),
        ("/of//?module=graph&ip=10.20.0.12&dir=S&period=week", (1540, 400)),
        ("/?module=graph&ip=0.0.0.0&period=explict&from=%d&to=%d" % (EPOCH - 3600, EPOCH + 7200), (1540, 400)),
        ("/?module=graph&dir=R&period=week&ip=172.16.68.173&w=1300&h=400", (1300, 400)),
        ("/?module=graph&ip=10.20.0.12&w=100&h=50", (300, 150)),  # raised to the minimum
        ("/?module=graph&ip=10.20.0.12&w=&h=0", (1540, 400)),  # empty and 0: the default
        ("/?module=graph&ip=2001:db8:20::10&period=year", (1540, 400)),
        ("/?module=graph&ip=10.99.99.99", (1540, 400)),  # no data: a valid empty chart
    ]
    for p in ("hour", "day", "24h", "48h", "week", "month", "year"):
        cases.append(("/?module=graph&ip=10.20.0.10&period=" + p, (1540, 400)))
    for path, size in cases:
        st, h, body = c.get(path)
        fails.check(st == 200 and h.get("content-type") == "image/png", "%s: %d %s %r" % (
            path, st, h.get("content-type"), body[:100]))
        fails.check(png_size(body) == size, "%s: PNG size %s, want %s" % (path, png_size(body), size))
        if path.startswith("/?module=graph&ip=10.99.99.99"):
            chartcheck.check_empty(body, size, fails, path)
    st, h, body = c.get("/?module=graph&ip=10.20.0.12", method="HEAD")
    fails.check(st == 200 and body == b"" and h.get("content-type") == "image/png"
                and int(h.get("content-length", "0")) > 0, "HEAD graph: %d %s" % (st, h))
    c.close()


def get_chart(c, path, fails):
    st, h, body = c.get(path)
    fails.check(st == 200 and h.get("content-type") == "image/png",
                "%s: %d %s %r" % (path, st, h.get("content-type"), body[:100]))
    return body


def check_graph_pixels(port, db, tot, fails):
    """Charts of the imported data, read back pixel by pixel: bars in the
    class colours exactly in the steps that have stored bytes, the tallest
    class on top, nothing elsewhere; their dumpdata is the stored bins in
    Mbit/s, line for line. Hosts without data get empty charts."""
    c = Client(port)
    busiest = max(tot, key=lambda ip: (tot[ip][0], ip))
    v6 = max((ip for ip in tot if ":" in ip), key=lambda ip: (tot[ip][0], ip))
    # prefix, host, dir, w, h, empty 5-minute steps before and after the data
    cases = [
        ("/?module=graph", busiest, "R", 1200, 350, 6, 6),
        ("/of/?module=graph", busiest, "S", 900, 300, 12, 9),
        ("/of/?module=graph", "0.0.0.0", "R", 1300, 420, 3, 10),
        ("/?module=graph", "0.0.0.0", "S", 1000, 320, 6, 6),
        ("/of/?module=graph", v6, "R", 800, 250, 6, 6),
        ("/?module=graph", v6, "S", 700, 500, 1, 2),
    ]
    for prefix, ip, d, w, h, before, after in cases:
        frm, to = EPOCH - 300 * before, DATA_TO + 300 * after
        path = "%s&ip=%s&dir=%s&period=explict&from=%d&to=%d&w=%d&h=%d" % (
            prefix, ip, d, frm, to, w, h)
        bins = ofe2e.series(db, ip, d, frm, to)
        chartcheck.check_bars(get_chart(c, path, fails), (w, h), frm, to, bins, fails, path)
        st, _, body = c.get(path + "&dumpdata")
        got, want = body.decode().splitlines(), chartcheck.dump_lines(bins)
        fails.check(st == 200 and got == want, "%s&dumpdata: %d\n  got  %s\n  want %s" % (
            path, st, got, want))
    for prefix, ip, d, w, h in (("/?module=graph", "10.20.0.250", "R", 1100, 330),
                                ("/of/?module=graph", "2001:db8:20::99", "S", 600, 200)):
        path = "%s&ip=%s&dir=%s&period=explict&from=%d&to=%d&w=%d&h=%d" % (
            prefix, ip, d, EPOCH - 1800, DATA_TO + 1800, w, h)
        chartcheck.check_empty(get_chart(c, path, fails), (w, h), fails, path)
        st, _, body = c.get(path + "&dumpdata")
        fails.check(st == 200 and body == b"", "%s&dumpdata: %d %r" % (path, st, body[:200]))
    c.close()


BAD = [
    ("/?module=graph", "missing ip"),
    ("/?module=graph&ip=", "missing ip"),
    ("/?module=graph&ip=10.20.0.300", "ip:"),
    ("/?module=graph&ip=example.com", "ip:"),
    ("/?module=graph&ip=10.20.0.12&dir=X", "dir:"),
    ("/?module=graph&ip=10.20.0.12&dir=r", "dir:"),
    ("/?module=graph&ip=10.20.0.12&period=fortnight", "period:"),
    ("/?module=graph&ip=10.20.0.12&period=explict", "needs from and to"),
    ("/?module=graph&ip=10.20.0.12&period=explict&from=200&to=100", "before"),
    ("/?module=graph&ip=10.20.0.12&period=explict&from=100&to=100", "before"),
    ("/?module=graph&ip=10.20.0.12&period=explict&from=-5&to=100", "from, to"),
    ("/?module=graph&ip=10.20.0.12&period=explict&from=0&to=99999999999999", "from, to"),
    ("/?module=graph&ip=10.20.0.12&period=explict&from=0&to=1700000000", "10 years"),
    ("/?module=graph&ip=10.20.0.12&w=-1", "w:"),
    ("/?module=graph&ip=10.20.0.12&w=4001", "w:"),
    ("/?module=graph&ip=10.20.0.12&w=99999999999999999999999999", "w:"),
    ("/?module=graph&ip=10.20.0.12&h=abc", "h:"),
    ("/?module=graph&ip=10.20.0.12&h=1e3", "h:"),
    ("/?module=gettraff&month=13", "month:"),
    ("/?module=gettraff&month=0", "month:"),
    ("/?module=gettraff&month=-1", "month:"),
    ("/?module=gettraff&year=1969", "year:"),
    ("/?module=gettraff&year=10000", "year:"),
    ("/?module=gettraff&year=20x4", "year:"),
    ("/?module=gettraff&ip=1.2.3", "ip:"),
    ("/?module=nope", "unknown module"),
    ("/?module=gettraff&x=%00", "control character"),
    ("/?module=gettraff&x=a%0Ab", "control character"),
    ("/?module=gettraff&" + "&".join("p%d=1" % i for i in range(40)), "too many parameters"),
    ("/?module=gettraff&x=" + "a" * 300, "value too long"),
    ("/?module=gettraff&" + "k" * 40 + "=1", "name too long"),
    ("/?module=gettraff&" + "&".join("p%d=%s" % (i, "v" * 200) for i in range(12)), "query string too long"),
    ("/?module=gettraff&x=" + "a" * 5000, "URI too long"),
    ("/api/v1/series", "missing ip"),
    ("/api/v1/series?ip=10.20.0.12&step=60", "step:"),
    ("/api/v1/series?ip=10.20.0.12&period=year&step=300", "too many steps"),
    ("/api/v1/top?class=smtp", "class:"),
    ("/api/v1/top?hours=0", "hours:"),
    ("/api/v1/top?hours=100000", "hours:"),
    ("/api/v1/top?limit=-3", "limit:"),
    ("/api/v1/hosts?sort=name", "sort:"),
    ("/api/v1/hosts?order=up", "order:"),
    ("/api/v1/hosts?limit=0", "limit:"),
    ("/api/v1/traffic?month=5x", "month:"),
]


def check_bad_input(port, fails):
    c = Client(port)
    for path, reason in BAD:
        st, h, body = c.get(path)
        text = body.decode("utf-8", "replace")
        fails.check(st == 400, "%s: status %d, want 400 (%r)" % (path[:80], st, text[:80]))
        if "/api/v1/" in path:  # the dashboard's API answers {"error": reason}
            fails.check(h.get("content-type") == "application/json"
                        and reason in json.loads(body).get("error", "") and "\n" not in text,
                        "%s: %r, want {\"error\"} with %r" % (path[:80], text[:120], reason))
            continue
        fails.check(reason in text and text.endswith("\n") and text.count("\n") == 1,
                    "%s: reason %r, want one line with %r" % (path[:80], text[:120], reason))
        fails.check(h.get("content-type", "").startswith("text/plain"), "%s: type %s" % (path[:80], h))
    # Bigger than a connection may hold: refused by the HTTP layer, never served.
    try:
        st, _, _ = c.get("/?module=gettraff&x=" + "a" * 40000)
        fails.check(st in (400, 413, 414, 431), "40 kB URI: status %d" % st)
    except (http.client.HTTPException, OSError):
        pass
    c.close()
    # Nothing above hurt the server.
    c = Client(port)
    st, _, _ = c.get("/?module=gettraff&year=2024&month=5")
    fails.check(st == 200, "after bad input: status %d" % st)
    c.close()


def check_routes_methods(port, fails):
    n = 0
    c = Client(port)
    for path, status in (("/", 200), ("/of", 200), ("/of/", 200), ("/of//", 200), ("/index.php", 200),
                         ("/of/index.php", 200), ("/nope", 404), ("/api/v1/nope", 404),
                         ("/office/?module=gettraff", 404), ("/api/v1/status", 200), ("/metrics", 200),
                         ("/of/api/v1/status", 200)):
        st, _, body = c.get(path)
        fails.check(st == status, "%s: %d, want %d" % (path, st, status))
        n += 1
    c.close()
    for m in ("POST", "PUT", "DELETE", "OPTIONS"):
        c = Client(port)
        st, h, body = c.get("/?module=gettraff", method=m, body=b"x=1" if m == "POST" else None)
        fails.check(st == 405 and h.get("allow") == "GET, HEAD", "%s: %d %s" % (m, st, h))
        c.close()
        n += 1
    # keep-alive: one connection, many requests
    c = Client(port)
    socks = set()
    for i in range(20):
        st, h, _ = c.get("/?module=gettraff&year=2024&month=5" if i % 2 else "/api/v1/hosts?limit=1")
        fails.check(st == 200, "keep-alive request %d: %d" % (i, st))
        socks.add(id(c.conn.sock))
    fails.check(len(socks) == 1, "keep-alive: %d connections for 20 requests" % len(socks))
    c.close()


def check_json_api(port, db, tot, fails):
    c = Client(port)
    _, hosts = c.json("/api/v1/hosts?year=2024&month=5")
    by_dl = sorted(tot.items(), key=lambda kv: (-kv[1][0], kv[0]))
    fails.check(hosts["count"] == len(tot), "hosts count %d want %d" % (hosts["count"], len(tot)))
    fails.check([h["dl"] for h in hosts["hosts"]] == [v[0] for _, v in by_dl], "hosts not by dl")
    fails.check({h["ip"]: [h["dl"], h["ul"]] for h in hosts["hosts"]} == tot, "hosts totals differ")
    _, h3 = c.json("/api/v1/hosts?year=2024&month=5&sort=ul&order=asc&limit=3")
    fails.check([h["ul"] for h in h3["hosts"]] == sorted(v[1] for v in tot.values())[:3], "hosts by ul asc")
    _, hip = c.json("/api/v1/hosts?year=2024&month=5&sort=ip")
    fails.check(len(hip["hosts"]) == len(tot), "hosts by ip")
    # series agrees with the CLI, and Mbit/s with bytes
    frm, to = EPOCH - 3600, EPOCH + 3 * 3600
    for ip in ("10.20.0.12", "0.0.0.0"):
        _, s = c.json("/api/v1/series?ip=%s&dir=R&period=explict&from=%d&to=%d&step=300" % (ip, frm, to))
        stored = ofe2e.series(db, ip, "R", frm, to)
        got = {p["ts"]: p for p in s["points"]}
        fails.check(set(got) == {t for t, b in stored.items() if any(b["bytes"]) or any(b["packets"])},
                    "series %s: bins differ" % ip)
        for ts, p in got.items():
            fails.check(p["bytes"] == stored[ts]["bytes"] and p["packets"] == stored[ts]["packets"],
                        "series %s %d differs" % (ip, ts))
            fails.check(all(abs(m - b * MBIT) < 1e-9 for m, b in zip(p["mbps"], p["bytes"])),
                        "series %s %d Mbit/s" % (ip, ts))
        fails.check(s["classes"] == ofe2e.CLASSES and s["step"] == 300, "series header")
        _, sh = c.json("/api/v1/series?ip=%s&dir=R&period=explict&from=%d&to=%d&step=3600" % (ip, frm, to))
        fails.check(sum(p["bytes"][0] for p in sh["points"]) == sum(p["bytes"][0] for p in s["points"]),
                    "series %s: hourly sum differs from the 5-minute sum" % ip)
    c.close()


def send_live(d, name="softflowd-v5"):
    dgrams = ofe2e.pcap_datagrams(ofe2e.corpus(name + ".pcap"))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i, (_, payload) in enumerate(dgrams):
        s.sendto(payload, ("127.0.0.1", d.nf_port))
        if i % 100 == 99:
            time.sleep(0.005)
    s.close()
    return len(dgrams)


def poll(fn, seconds=15):
    deadline = time.time() + seconds
    while True:
        v = fn()
        if v or time.time() > deadline:
            return v
        time.sleep(0.3)


def check_status_metrics_top(d, fails):
    """Live datagrams show in status, metrics and (once written) top."""
    name = "softflowd-v5"
    exp = ofe2e.expected(name)
    n = send_live(d)
    c = Client(d.http_port)

    def exporter():
        _, st = c.json("/api/v1/status")
        ex = [e for e in st["exporters"] if e["addr"] == "127.0.0.1"]
        return st if ex and ex[0]["protocols"].get("netflow5", {}).get("packets") == n else None

    st = poll(exporter)
    fails.check(st is not None, "status never showed %d datagrams from 127.0.0.1" % n)
    if st:
        e = [e for e in st["exporters"] if e["addr"] == "127.0.0.1"][0]
        fails.check(e["sampling_rate"] == 1 and e["protocols"]["netflow5"]["records"] == exp["export"]["records"],
                    "status exporter: %s" % e)
        fails.check(e["errors"] == {} and e["first_seen"] > 0 and e["last_seen"] >= e["first_seen"],
                    "status exporter errors/times: %s" % e)
        ports = {(l["port"], l["protocol"]) for l in st["listeners"]}
        fails.check({(d.nf_port, "netflow"), (d.sf_port, "sflow"), (d.http_port, "http")} <= ports,
                    "status listeners: %s" % st["listeners"])
        fails.check(st["store"]["size"] > 0 and st["store"]["hosts"] > 0 and st["store"]["schema"] >= 1,
                    "status store: %s" % st["store"])
        fails.check(st["accounting"]["records"] > 0 and st["uptime"] >= 0, "status accounting: %s" % st["accounting"])
    st_code, h, body = c.get("/metrics")
    text = body.decode()
    fails.check(st_code == 200 and h.get("content-type", "").startswith("text/plain; version=0.0.4"),
                "metrics: %d %s" % (st_code, h))
    fails.check('ophanimflow_exporter_datagrams_total{exporter="127.0.0.1",protocol="netflow5"} %d' % n in text,
                "metrics lack the exporter's datagrams:\n" + text[:1500])
    fails.check('ophanimflow_exporter_sampling_rate{exporter="127.0.0.1"} 1' in text, "metrics: sampling rate")
    fails.check("# TYPE ophanimflow_records_total counter" in text, "metrics: families")
    for line in text.splitlines():  # every sample line: name{labels} value
        if not line.startswith("#"):
            fails.check(len(line.rsplit(" ", 1)) == 2 and line.rsplit(" ", 1)[1].lstrip("-").isdigit(),
                        "metrics: bad line %r" % line)
    # top: the flows' own times are from 2024, so they were binned by arrival, now
    want = {ip: int(v["dl"]) for ip, v in exp["gettraff"]["2024-05"].items() if int(v["dl"])}

    def top():
        _, t = c.json("/api/v1/top?class=total&dir=R&hours=1&limit=1000")
        got = {h["ip"]: h["bytes"] for h in t["hosts"]}
        return t if got == want else None

    t = poll(top)
    fails.check(t is not None, "top never matched the capture's downloads")
    if t:
        fails.check([h["bytes"] for h in t["hosts"]] == sorted(want.values(), reverse=True), "top order")
    _, tw = c.json("/api/v1/top?class=web&dir=R&hours=1&limit=3")
    fails.check(len(tw["hosts"]) <= 3 and tw["class"] == "web", "top web: %s" % tw)
    c.close()


def check_login_needed(port, fails):
    """Without a token /api/v1/ answers 401; the original's endpoints and
    /metrics need none."""
    c = Client(port, token=False)
    for path in ("/api/v1/hosts", "/api/v1/series?ip=10.20.0.12", "/api/v1/traffic", "/api/v1/top",
                 "/api/v1/status", "/of/api/v1/status", "/api/v1/graph?ip=10.20.0.12"):
        st, h, body = c.get(path)
        fails.check(st == 401 and json.loads(body) == {"error": "login required"}
                    and h.get("content-type") == "application/json", "%s without login: %d %r" % (path, st, body))
    for path in ("/?module=gettraff", "/metrics"):
        st, _, _ = c.get(path)
        fails.check(st == 200, "%s without login: %d" % (path, st))
    # /api/v1/graph is ?module=graph for the dashboard: the same bytes
    c = Client(port)
    q = "ip=10.20.0.12&period=explict&from=%d&to=%d" % (EPOCH - 3600, EPOCH + 7200)
    _, _, png = c.get("/?module=graph&" + q)
    st, h, png2 = c.get("/api/v1/graph?" + q)
    fails.check(st == 200 and h.get("content-type") == "image/png" and png2 == png, "/api/v1/graph: %d" % st)
    _, _, dump = c.get("/?module=graph&dumpdata&" + q)
    st, _, dump2 = c.get("/api/v1/graph?dumpdata&" + q)
    fails.check(st == 200 and dump2 == dump and dump, "/api/v1/graph dumpdata: %d" % st)
    st, h, body = c.get("/api/v1/graph?ip=10.20.0.300")
    fails.check(st == 400 and json.loads(body)["error"].startswith("ip:"), "/api/v1/graph bad ip: %d %r" % (st, body))
    c.close()


def check_concurrent(port, tot, fails):
    want = as_gettraff(tot)
    errors = []

    def worker(k):
        c = Client(port, "::1" if k % 2 else "127.0.0.1")
        try:
            for i in range(15):
                if i % 3 == 0:
                    st, _, body = c.get("/?module=gettraff&year=2024&month=5")
                    if st != 200 or json.loads(body) != want:
                        errors.append("gettraff %d" % st)
                elif i % 3 == 1:
                    st, _, body = c.get("/?module=graph&ip=10.20.0.%d&period=week" % (10 + i))
                    if st != 200 or png_size(body) != (1540, 400):
                        errors.append("graph %d" % st)
                else:
                    st, _, _ = c.get("/api/v1/status")
                    if st != 200:
                        errors.append("status %d" % st)
        except Exception as e:  # noqa: BLE001 - every failure is reported
            errors.append(repr(e))
        finally:
            c.close()

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    fails.check(not errors, "concurrent clients: %s" % errors[:5])


def check_allowlist(db, networks, fails):
    n = 0
    # Listed: ::1 only. 127.0.0.1 is refused with the original's bodies.
    d = ofe2e.Daemon(db, networks, http=True, extra=["ENDPOINTS_HOSTS=::1"])
    try:
        c4, c6 = Client(d.http_port), Client(d.http_port, "::1")
        for path, body in (("/?module=graph&ip=10.20.0.12", b"GRAPH:DENIED"),
                           ("/of//?module=gettraff", b"GETTRAFF:DENIED"),
                           ("/metrics", b"DENIED")):
            st, _, got = c4.get(path)
            fails.check(st == 403 and got == body, "%s from 127.0.0.1: %d %r" % (path, st, got))
            st, _, _ = c6.get(path)
            fails.check(st == 200, "%s from ::1: %d" % (path, st))
            n += 2
        st, _, _ = c4.get("/")
        fails.check(st == 200, "index from 127.0.0.1: %d" % st)
        # The API is guarded by logins, not by the list: a token works from
        # anywhere, and nothing works without one.
        for c in (c4, c6):
            st, _, _ = c.get("/api/v1/traffic")
            fails.check(st == 200, "/api/v1/traffic with a token from %s: %d" % (c.host, st))
            st, _, got = c.get("/api/v1/traffic", headers={"Authorization": "Bearer of_nope"})
            fails.check(st == 401 and json.loads(got) == {"error": "login required"},
                        "/api/v1/traffic with a bad token from %s: %d %r" % (c.host, st, got))
        c4.close()
        c6.close()
    finally:
        d.stop()
    # A dual-stack listener (no HTTP_LISTEN_ADDRESS): IPv4 clients arrive as
    # ::ffff:127.0.0.1 and must match 127.0.0.1 in the list.
    d = ofe2e.Daemon(db, networks, http=True, http_listen=(), extra=["ENDPOINTS_HOSTS=127.0.0.1"])
    try:
        c4, c6 = Client(d.http_port), Client(d.http_port, "::1")
        st, _, _ = c4.get("/?module=gettraff&year=2024&month=5")
        fails.check(st == 200, "dual stack, 127.0.0.1 listed: %d" % st)
        st, _, got = c6.get("/?module=gettraff")
        fails.check(st == 403 and got == b"GETTRAFF:DENIED", "dual stack, ::1 not listed: %d %r" % (st, got))
        c4.close()
        c6.close()
        n += 2
    finally:
        d.stop()


def closed_within(sock, seconds):
    """True when the server closes sock within seconds (reads to EOF)."""
    sock.settimeout(0.2)
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if sock.recv(4096) == b"":
                return True
        except socket.timeout:
            continue
        except OSError:
            return True
    return False


def check_slow_clients(db, networks, fails):
    """Idle and trickling clients lose their connections; a client address
    cannot take every connection."""
    d = ofe2e.Daemon(db, networks, http=True,
                     extra=["HTTP_TIMEOUT=1", "HTTP_MAX_CONNECTIONS=16", "HTTP_THREADS=2"])
    n = 0
    try:
        # 16 connections over 2 addresses: 8 per address, 2 per client address.
        idle = [socket.create_connection(("127.0.0.1", d.http_port)) for _ in range(2)]
        time.sleep(0.2)
        third = socket.create_connection(("127.0.0.1", d.http_port))
        third.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        fails.check(closed_within(third, 3), "a third connection from 127.0.0.1 was served")
        third.close()
        c6 = Client(d.http_port, "::1")
        st, _, _ = c6.get("/?module=gettraff")
        fails.check(st == 200, "::1 while 127.0.0.1 is at its limit: %d" % st)
        c6.close()
        for s in idle:  # idle for HTTP_TIMEOUT: closed
            fails.check(closed_within(s, 4), "an idle connection was kept")
            s.close()
        # The server shuts a connection down before it releases the
        # address's slot, so the client may see the close a moment early:
        # the slot must be free again within a second or two.
        st, deadline = None, time.time() + 2
        while st is None:
            c4 = Client(d.http_port)
            try:
                st, _, _ = c4.get("/?module=gettraff")
            except (ConnectionResetError, http.client.RemoteDisconnected):
                if time.time() > deadline:
                    st = 0
                else:
                    time.sleep(0.1)
            c4.close()
        fails.check(st == 200, "127.0.0.1 after its idle connections closed: %d" % st)
        n += 4
        # A byte every 0.3 s is never idle; the request deadline (2 x
        # HTTP_TIMEOUT) still ends it.
        s = socket.create_connection(("127.0.0.1", d.http_port))
        s.sendall(b"GET /?module=gettraff HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        start = time.time()
        closed = False
        while time.time() - start < 8:
            try:
                s.sendall(b"a")
            except OSError:
                closed = True
                break
            s.settimeout(0.3)
            try:
                if s.recv(4096) == b"":
                    closed = True
                    break
            except socket.timeout:
                pass
            except OSError:
                closed = True
                break
        took = time.time() - start
        fails.check(closed and took < 5, "trickling client kept its connection %.1f s" % took)
        s.close()
        c = Client(d.http_port)
        _, st = c.json("/api/v1/status")
        fails.check(st["http"]["slow_closed"] >= 1, "slow_closed not counted: %s" % st["http"])
        c.close()
        n += 2
    finally:
        d.stop()


class Checks(ofe2e.Failures):
    """Failures that also counts the checks made."""

    def __init__(self):
        super().__init__()
        self.n = 0

    def check(self, ok, msg):
        self.n += 1
        super().check(ok, msg)


def main():
    db, networks = build_store()
    tot = expected_totals()
    fails = Checks()
    counts = {}
    d = ofe2e.Daemon(db, networks, http=True, extra=["CHARTS_NETDESC=yes"])
    global TOKEN
    try:
        TOKEN = ofe2e.api_token(d.http_port, d.admin_password)
        for what, fn, args in (
                ("login needed", check_login_needed, (d.http_port,)),
                ("gettraff", check_gettraff, (d.http_port, tot)),
                ("dumpdata", check_dumpdata, (d.http_port, db, tot)),
                ("graph", check_graph, (d.http_port,)),
                ("graph pixels", check_graph_pixels, (d.http_port, db, tot)),
                ("bad input", check_bad_input, (d.http_port,)),
                ("routes, methods", check_routes_methods, (d.http_port,)),
                ("json api", check_json_api, (d.http_port, db, tot)),
                ("concurrent", check_concurrent, (d.http_port, tot)),
                ("status, metrics, top", check_status_metrics_top, (d,))):
            before, failed = fails.n, len(fails.items)
            fn(*args, fails)
            counts[what] = (fails.n - before, len(fails.items) - failed)
    finally:
        out = d.stop()
    fails.check("http: listening on 127.0.0.1" in out and "http: listening on ::1" in out,
                "daemon log:\n" + out[-1500:])
    for what, fn in (("allowlist", check_allowlist), ("slow clients", check_slow_clients)):
        before, failed = fails.n, len(fails.items)
        fn(db, networks, fails)
        counts[what] = (fails.n - before, len(fails.items) - failed)
    for what, (n, bad) in counts.items():
        print("%-22s %4d checks, %d failed" % (what, n, bad))
    return fails.done("http api")


if __name__ == "__main__":
    ofe2e.main(main)
