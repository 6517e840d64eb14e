"""Shared helpers of the end-to-end tests: where things are, running the
program, reading what it stored, comparing with the corpus oracles."""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ.get("OF_BIN", "build/ophanimflow")
CORPUS = os.environ.get("OF_CORPUS", os.path.join(os.path.dirname(__file__), "../corpus"))
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


DIRS = ("R", "S")  # direction 0 and 1 of the store: download, upload


def cells(blob, rollup=False):
    """The counters of one row of bins, bins_1h or bins_1d (schema version
    4, src/store/cells.h): {"R": {class: (bytes, packets)}, "S": ...}, with
    (bytes, packets, peak bytes) for a rollup. Only the classes the blob
    holds are there (those it leaves out are all zero). The blob is, per
    direction (R then S), a LEB128 varint mask of the classes present (bit
    i is CLASSES[i]), then for each of them, ascending, its values as LEB128
    varints. Raises ValueError when it is malformed, as the store refuses
    it: cut short, bytes left over, a class past the last, a value of more
    than 9 bytes."""
    data = bytes(blob or b"")
    pos = 0

    def varint():
        nonlocal pos
        v = 0
        for i in range(9):
            if pos >= len(data):
                raise ValueError("cells blob cut short: %s" % data.hex())
            b = data[pos]
            pos += 1
            v |= (b & 0x7f) << (7 * i)
            if not b & 0x80:
                return v
        raise ValueError("cells blob: a value of more than 9 bytes: %s" % data.hex())

    out = {d: {} for d in DIRS}
    if not data:
        return out
    kind = 3 if rollup else 2
    for d in DIRS:
        mask = varint()
        if mask >> len(CLASSES):
            raise ValueError("cells blob: class mask %#x: %s" % (mask, data.hex()))
        for i, name in enumerate(CLASSES):
            if mask & (1 << i):
                out[d][name] = tuple(varint() for _ in range(kind))
    if pos != len(data):
        raise ValueError("cells blob: %d bytes left over: %s" % (len(data) - pos, data.hex()))
    return out


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


_tmpdirs = []


def _remove_tmpdirs():
    for d in _tmpdirs:
        shutil.rmtree(d, ignore_errors=True)


def tmpdir():
    """A scratch directory, removed when the test exits unless OF_E2E_KEEP
    is set (to look at a failed run's files)."""
    d = tempfile.mkdtemp(prefix="of-e2e-")
    if not _tmpdirs and not os.environ.get("OF_E2E_KEEP"):
        atexit.register(_remove_tmpdirs)
    _tmpdirs.append(d)
    return d


def main(fn):
    try:
        ok = fn()
    except AssertionError as e:
        print("FAILED: %s" % e)
        ok = False
    if not ok and _tmpdirs:
        print("files kept in: %s" % " ".join(_tmpdirs))
        _tmpdirs.clear()
    sys.exit(0 if ok else 1)


def pcap_datagrams(path):
    """(arrival seconds, UDP payload) of each frame of a classic pcap of
    Ethernet/IPv4/UDP, as the corpus captures are."""
    import struct
    out = []
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    nano = magic in (0xa1b23c4d, 0x4d3cb2a1)
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(endian + "IIII", data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ihl = (frame[14] & 0x0f) * 4
        udp = frame[14 + ihl:]
        ulen = struct.unpack(">H", udp[4:6])[0]
        out.append((sec + frac / (1e9 if nano else 1e6), udp[8:ulen]))
    return out


def send_all(dgrams, family, port, pace_every=200):
    """Sends (time, payload) datagrams to port on loopback, pausing every
    pace_every datagrams so that the receiver's buffer never overflows."""
    import socket
    import time
    s = socket.socket(family, socket.SOCK_DGRAM)
    target = ("127.0.0.1" if family == socket.AF_INET else "::1", port)
    for i, (_, payload) in enumerate(dgrams):
        s.sendto(payload, target)
        if i % pace_every == pace_every - 1:
            time.sleep(0.005)
    s.close()


def free_udp_port():
    import socket
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def free_tcp_port(hosts=("127.0.0.1", "::1")):
    """A TCP port free on every one of hosts (for an HTTP server on all of them)."""
    import socket
    for _ in range(50):
        socks = []
        try:
            port = 0
            for h in hosts:
                s = socket.socket(socket.AF_INET6 if ":" in h else socket.AF_INET, socket.SOCK_STREAM)
                socks.append(s)
                s.bind((h, port))
                port = s.getsockname()[1]
            return port
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    raise AssertionError("no free TCP port")


class Daemon:
    """`ophanimflow run` on loopback ports of its own, with a config file.
    With http, its HTTP server listens on http_listen (a free port of its
    own, self.http_port); otherwise HTTP is off (HTTP_PORT=0). The disk
    check of retention is off (STORAGE_RESERVED_SPACE=0), so that a full
    disk on the test machine cannot delete the corpus' 2024 bins the tests
    compare; extra lines come later and may turn it on."""

    def __init__(self, db, networks, extra=(), sampling_rate=1, http=False,
                 http_listen=("127.0.0.1", "::1")):
        import time
        self.dir = tmpdir()
        self.nf_port = free_udp_port()
        self.sf_port = free_udp_port()
        self.http_port = free_tcp_port(http_listen if http_listen else ("::",)) if http else 0
        conf = os.path.join(self.dir, "of.conf")
        with open(conf, "w") as f:
            f.write("COLLECTOR_PORT=%d\nSFLOW_PORT=%d\nLISTEN_ADDRESS=127.0.0.1, ::1\n"
                    "SAMPLING_RATE=%d\nFLUSH_INTERVAL=2\nHTTP_PORT=%d\nSTORAGE_RESERVED_SPACE=0\n"
                    % (self.nf_port, self.sf_port, sampling_rate, self.http_port))
            if http:
                f.write("HTTP_LISTEN_ADDRESS=%s\n" % ", ".join(http_listen))
            for line in extra:
                f.write(line + "\n")
            f.write("[networks]\n")
            for n in networks:
                f.write("net = %s\n" % n)
        self.conf = conf
        self.log = open(os.path.join(self.dir, "daemon.log"), "w+")
        self.proc = subprocess.Popen([BIN, "run", "-c", conf, "--db", db], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        want = 1 + (max(len(http_listen), 1) if http else 0)
        deadline = time.time() + 20
        while time.time() < deadline:
            out = self.output()
            if out.count("collecting:") + out.count("http: listening") >= want:
                self.admin_password = admin_password(out)
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError("daemon did not start:\n" + self.output())

    def output(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def stop(self, sig=None):
        import signal
        self.proc.send_signal(sig or signal.SIGTERM)
        rc = self.proc.wait(timeout=60)
        if rc != 0:
            raise AssertionError("daemon exited %d:\n%s" % (rc, self.output()))
        return self.output()


def write_udp_pcap(path, datagrams):
    """Writes (seconds, source port, destination port, UDP payload) tuples as
    a classic pcap of Ethernet/IPv4/UDP frames from 127.0.0.1 to 127.0.0.1,
    the form of the corpus captures (pcap_datagrams reads it back)."""
    import struct
    lo = bytes([127, 0, 0, 1])
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ident, (ts, sport, dport, payload) in enumerate(datagrams):
            udp = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
            ip = bytearray(struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), ident & 0xffff,
                                       0x4000, 64, 17, 0, lo, lo))
            words = sum(struct.unpack(">10H", ip))
            while words > 0xffff:
                words = (words & 0xffff) + (words >> 16)
            struct.pack_into(">H", ip, 10, ~words & 0xffff)
            frame = bytes(12) + b"\x08\x00" + bytes(ip) + udp
            usec = int(round(ts * 1e6))
            f.write(struct.pack("<IIII", usec // 1000000, usec % 1000000, len(frame), len(frame)))
            f.write(frame)


def admin_password(output):
    """The password of the admin user a first start made (None when the
    store had users already)."""
    import re
    m = re.search(r"created user admin with password (\S+) \(change it with", output)
    return m.group(1) if m else None


def set_password(db, user, password):
    """`ophanimflow passwd USER` with the password on stdin (adds the user
    when missing)."""
    p = subprocess.run([BIN, "passwd", "--db", db, user], input=password + "\n",
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        raise AssertionError("passwd %s exited %d: %s" % (user, p.returncode, p.stderr))


class Api:
    """A client of the dashboard's API on one keep-alive connection: keeps
    the session cookie a login sets and sends the CSRF token with changes,
    as the dashboard does; or sends a bearer token instead."""

    def __init__(self, port, host="127.0.0.1", token=None):
        import http.client
        self.conn = http.client.HTTPConnection(host, port, timeout=30)
        self.cookie = None
        self.csrf = None
        self.token = token

    def request(self, method, path, body=None, headers=None, csrf=True, raw=None):
        """(status, lowercase headers, body bytes). body is sent as JSON;
        raw as it is."""
        h = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/json"
        if self.token and "Authorization" not in h:
            h["Authorization"] = "Bearer " + self.token
        if self.cookie and "Cookie" not in h:
            h["Cookie"] = "of_session=" + self.cookie
        if csrf and self.csrf and method in ("POST", "DELETE") and "X-CSRF-Token" not in h:
            h["X-CSRF-Token"] = self.csrf
        self.conn.request(method, path, body=data, headers=h)
        r = self.conn.getresponse()
        out = r.read()
        hdrs = dict((k.lower(), v) for k, v in r.getheaders())
        if r.getheader("Set-Cookie"):
            c = r.getheader("Set-Cookie").split(";")[0]
            name, _, value = c.partition("=")
            if name == "of_session":
                self.cookie = value or None
        if r.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return r.status, hdrs, out

    def json(self, method, path, body=None, **kw):
        st, h, out = self.request(method, path, body, **kw)
        return st, (json.loads(out) if out and h.get("content-type") == "application/json" else None)

    def login(self, user, password):
        st, j = self.json("POST", "/api/v1/login", {"user": user, "password": password})
        if st != 200:
            raise AssertionError("login %s: %d %s" % (user, st, j))
        self.csrf = j["csrf"]
        return j

    def close(self):
        self.conn.close()


def api_token(port, password, name="e2e"):
    """Logs in as admin and makes an API token."""
    a = Api(port)
    a.login("admin", password)
    st, j = a.json("POST", "/api/v1/tokens", {"name": name})
    a.close()
    if st != 201:
        raise AssertionError("token: %d %s" % (st, j))
    return j["token"]


def netflow_v5(records, unix_secs=None, seq=0):
    """A NetFlow v5 datagram of records, each (src, dst, bytes, packets,
    sport, dport, proto): flows that ended a second before the export, so
    that they are binned at their own time (now by default)."""
    import socket as _socket
    import struct
    import time as _time
    secs = int(unix_secs if unix_secs is not None else _time.time())
    uptime = 100000  # ms since the exporter booted
    out = struct.pack(">HHIIIIBBH", 5, len(records), uptime, secs, 0, seq, 0, 0, 0)
    for src, dst, nbytes, pkts, sport, dport, proto in records:
        out += struct.pack(">4s4s4sHHIIIIHHBBBBHHBBH", _socket.inet_aton(src), _socket.inet_aton(dst),
                           bytes(4), 0, 0, pkts, nbytes, uptime - 1000, uptime - 1000, sport, dport,
                           0, 0, proto, 0, 0, 0, 0, 0, 0)
    return out


def send_udp(port, datagrams, host="127.0.0.1"):
    import socket as _socket
    s = _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM)
    for d in datagrams:
        s.sendto(d, (host, port))
    s.close()
