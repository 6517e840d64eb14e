"""Checks the collector by the protocols, not by the files: real exporters
(softflowd, pmacctd) are run here on a time-shifted copy of the corpus
traffic, with other options, timeouts and dates than the corpus captures
were made with, and what the collector stores from their datagrams, under
other local networks, is compared with the packet-level truth of the
traffic (truth-public.json): monthly totals, every host's class totals of
bytes and packets, to the unit, and no bin outside the traffic's span.

The exports are unsampled, so every exporter must reproduce the truth
exactly; NetFlow v5 carries no IPv6, so a v5 variant is held to the IPv4
hosts only."""
import gzip
import ipaddress
import json
import os
import shutil
import socket
import struct
import subprocess
import threading
import time

import ofe2e

DAY = 86400

# Local networks other than the corpus's 10.20.0.0/24 and 2001:db8:20::/64
# (split, one of them holding no host, the IPv6 one wider) that cover the
# same local hosts: the truth stays the truth.
NETWORKS = [
    "10.20.0.0/25 low half",
    "10.20.0.128/25 high half",
    "2001:db8:20::/48 v6",
]

# Shorter timeouts than the corpus's 60 s everywhere. softflowd -r applies
# only maxlife while reading (its expiry runs every 8192 packets), so these
# export long flows in pieces during the capture, the rest at its end.
SOFTFLOWD_SHORT = ["-t", "maxlife=120", "-t", "general=30", "-t", "tcp=30", "-t", "udp=30",
                   "-t", "icmp=30", "-t", "tcp.rst=10", "-t", "tcp.fin=10"]

# (name, exporter, its arguments or nfprobe_version, days shifted, IPv4 only)
VARIANTS = [
    ("softflowd-v9", "softflowd", ["-v", "9"] + SOFTFLOWD_SHORT, 400, False),
    # defaults: every flow is flushed at the end of the capture, up to 25
    # minutes after it ended; sysUpTime stamps on systemInitTimeMilliseconds
    ("softflowd-ipfix", "softflowd", ["-v", "10"], -200, False),
    ("softflowd-v5", "softflowd", ["-v", "5"] + SOFTFLOWD_SHORT, 1000, True),
    # flowStart/EndMilliseconds (152/153) instead of sysUpTime in v9
    ("softflowd-v9-abs-ms", "softflowd", ["-v", "9", "-A", "milli"], 31, False),
    # NTP dateTimeNanoseconds (156/157) in June 2036, after NTP era 1 began
    # (2036-02-07): the seconds field has wrapped to small values
    ("softflowd-ipfix-ns", "softflowd", ["-v", "10", "-A", "nano"] + SOFTFLOWD_SHORT, 4420, False),
    # RFC 5103 biflows (reverse counters, PEN 29305) with whole-second
    # flowStart/EndSeconds (150/151)
    ("softflowd-ipfix-biflow", "softflowd", ["-v", "10", "-b", "-A", "sec"], 400, False),
    ("pmacct-v9", "pmacctd", 9, 400, False),
    ("pmacct-ipfix", "pmacctd", 10, -200, False),
]

PMACCT_TIMEOUTS = "tcp=120:udp=90:icmp=45:general=90:maxlife=300:tcp.rst=30:tcp.fin=30:expint=30"


def find_tool(name):
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


class Truth:
    def __init__(self):
        with open(ofe2e.corpus("truth-public.json")) as f:
            t = json.load(f)
        self.first_s = t["first_packet_us"] / 1e6
        self.last_s = t["last_packet_us"] / 1e6
        self.bins = t["bins"]
        self.hosts = t["hosts"]
        # one month: 2024-05, which the shift moves along with the traffic
        (self.month, self.gettraff), = t["gettraff"].items()
        with open(ofe2e.corpus("traffic-public.json")) as f:
            sessions = json.load(f)["sessions"]
        self.addresses = {s[k] for s in sessions for k in ("client", "server")}

    def expected(self, ipv4_only):
        """Host -> dir -> (bytes, packets) and the gettraff body. 0.0.0.0 is
        the sum over the hosts kept: the truth's own 0.0.0.0 also holds the
        IPv6 hosts."""
        def keep(ip):
            return ip != "0.0.0.0" and (not ipv4_only or ipaddress.ip_address(ip).version == 4)
        hosts = {ip: {d: (v[d]["bytes"], v[d]["packets"]) for d in "RS"}
                 for ip, v in self.hosts.items() if keep(ip)}
        hosts["0.0.0.0"] = {d: tuple([sum(h[d][k][c] for h in hosts.values()) for c in range(12)]
                                     for k in (0, 1)) for d in "RS"}
        return hosts, {ip: v for ip, v in self.gettraff.items() if keep(ip)}


def shifted_pcap(src, dst, days):
    """Copy of the classic pcap src with every record `days` days later."""
    with open(src, "rb") as f:
        data = bytearray(f.read())
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    off = 24
    while off + 16 <= len(data):
        sec, _frac, incl, _orig = struct.unpack_from(endian + "IIII", data, off)
        struct.pack_into(endian + "I", data, off, sec + days * DAY)
        off += 16 + incl
    with open(dst, "wb") as f:
        f.write(data)


class Sink:
    """A UDP receiver on loopback that keeps every datagram with its source
    port and arrival time, so the exporters never see ICMP unreachable."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.got = []
        self.last = time.monotonic()
        self.stopping = False
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self):
        while not self.stopping:
            try:
                payload, peer = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            self.last = time.monotonic()
            self.got.append((time.time(), peer[1], payload))

    def finish(self, quiet=1.0, limit=30.0):
        """Returns what arrived once nothing has for `quiet` seconds: an
        exporter can exit before the kernel hands the sink its last datagrams."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and time.monotonic() - self.last < quiet:
            time.sleep(0.05)
        self.stopping = True
        self.thread.join()
        self.sock.close()
        return self.got


def export_time(payload):
    """The export header's time: v5 unix_secs + nsecs; v9 and IPFIX carry
    whole seconds, so + 0.999999 as the corpus's retime does (the datagram
    left within that second, and never before the flows it reports ended)."""
    version = struct.unpack(">H", payload[:2])[0]
    if version == 5:
        secs, nsecs = struct.unpack(">II", payload[8:16])
        return secs + nsecs / 1e9
    if version == 9:
        return struct.unpack(">I", payload[8:12])[0] + 0.999999
    if version == 10:
        return struct.unpack(">I", payload[4:8])[0] + 0.999999
    raise AssertionError("datagram of version %d" % version)


def sequence_gaps(got):
    """Datagrams the sink missed, where the header tells: v5's flow sequence
    counts the records before, v9's the datagrams before."""
    gaps, prev = 0, None
    for _, _, p in got:
        version = struct.unpack(">H", p[:2])[0]
        if version == 5:
            count, seq = struct.unpack(">H", p[2:4])[0], struct.unpack(">I", p[16:20])[0]
            gaps += prev is not None and seq != prev
            prev = seq + count
        elif version == 9:
            seq = struct.unpack(">I", p[12:16])[0]
            gaps += prev is not None and seq != prev + 1
            prev = seq
    return gaps


class ExporterFailed(AssertionError):
    """The exporter itself exited with an error (pmacctd now and then exits
    1 at the end of a savefile under load): worth one more run."""


def run_exporter(cmd, folder):
    try:
        return subprocess.run(cmd, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=60)
    except subprocess.TimeoutExpired as e:
        raise AssertionError("%s did not exit at the end of its capture" % " ".join(cmd)) from e


def run_softflowd(tool, args, traffic, sink):
    folder = os.path.dirname(traffic)
    cmd = [tool, "-r", os.path.basename(traffic), "-n", "127.0.0.1:%d" % sink.port, "-a", "-d",
           "-p", os.path.join(folder, "softflowd.pid")] + args
    p = run_exporter(cmd, folder)
    if p.returncode != 0:
        raise ExporterFailed("%s exited %d:\n%s" % (" ".join(cmd), p.returncode, p.stdout))


def run_pmacctd(tool, version, traffic, sink):
    folder = os.path.dirname(traffic)
    conf = os.path.join(folder, "pmacctd-%d.conf" % version)
    with open(conf, "w") as f:
        f.write("daemonize: false\npcap_savefile: %s\npcap_savefile_delay: 2\n"
                "plugin_pipe_size: 268435456\nplugin_buffer_size: 65536\n"
                "plugins: nfprobe[fresh]\nnfprobe_receiver: 127.0.0.1:%d\n"
                "nfprobe_version: %d\nnfprobe_timeouts: %s\n"
                % (traffic, sink.port, version, PMACCT_TIMEOUTS))
    p = run_exporter([tool, "-f", conf], folder)
    if p.returncode != 0:
        raise ExporterFailed("pmacctd exited %d:\n%s" % (p.returncode, p.stdout[-3000:]))


def capture_times(exporter, got, traffic_end):
    """Each datagram's capture time, standing for its arrival at a live
    collector. softflowd -a runs on the capture's clock, so its header time
    is when it would have sent. pmacctd's header clock is the wall clock of
    this run, unrelated to the (absolute, 152/153) flow times it exports:
    its datagrams are placed from 2 s after the traffic's end on, keeping
    their spacing, as a pmacctd that had seen the traffic live would send
    them (the corpus ran it under faketime for that). Its NetFlow v5, whose
    flow times hang on that header clock, is left out for that reason."""
    stamps = [export_time(p) for _, _, p in got]
    if exporter == "pmacctd":
        base = int(traffic_end) + 2 - min(stamps)
        stamps = [s + base for s in stamps]
    return stamps


def check_variant(work, truth, name, exporter, args, days, ipv4_only):
    tool = find_tool(exporter)
    if not tool:
        print("%s %+dd SKIPPED: %s is not installed (scripts/install-deps.sh installs it)"
              % (name, days, exporter))
        return True
    folder = os.path.join(work, name)
    os.mkdir(folder)
    traffic = os.path.join(folder, "traffic.pcap")
    shifted_pcap(os.path.join(work, "traffic-public.pcap"), traffic, days)
    shift = days * DAY
    first_bin, last_bin = truth.bins[0] + shift, truth.bins[-1] + shift

    for attempt in (1, 2):
        sink = Sink()
        try:
            if exporter == "softflowd":
                run_softflowd(tool, args, traffic, sink)
            else:
                run_pmacctd(tool, args, traffic, sink)
            break
        except ExporterFailed as e:
            if attempt == 2:
                raise
            print("%s: %s; running it again" % (name, str(e).splitlines()[0]))
        finally:
            got = sink.finish()
    os.unlink(traffic)
    what = "%s %+dd" % (name, days)
    if not got:
        print("%s FAILED: %s sent nothing" % (what, exporter))
        return False
    fails = ofe2e.Failures()
    fails.check(sequence_gaps(got) == 0, "the sink missed datagrams (sequence gaps)")
    stamps = capture_times(exporter, got, truth.last_s + shift)
    capture = os.path.join(folder, "export.pcap")
    ofe2e.write_udp_pcap(capture, [(t, sport, sink.port, payload)
                                   for t, (_, sport, payload) in zip(stamps, got)])

    conf = os.path.join(folder, "of.conf")
    with open(conf, "w") as f:
        f.write("[networks]\n" + "".join("net = %s\n" % n for n in NETWORKS))
    db = os.path.join(folder, "of.db")
    out = ofe2e.run("import", "-c", conf, "--db", db, "--sampling-rate", "1", capture).stdout
    fails.check("datagrams %d\n" % len(got) in out,
                "import did not read %d datagrams:\n%s" % (len(got), out))
    fails.check(", 0 errors" in out, "decode errors:\n%s" % out)
    # the exporters' clocks are right: every record is binned by its own times
    fails.check("clock off 0," in out and "span clamped 0," in out,
                "records not binned by their times:\n%s" % out)

    hosts, gettraff = truth.expected(ipv4_only)
    lt = time.localtime(truth.first_s + shift)
    fails.check(lt[:2] == time.localtime(truth.last_s + shift)[:2],
                "the shifted traffic spans two months")
    year, month = lt.tm_year, lt.tm_mon
    got_traff = ofe2e.traff(db, year, month)
    fails.check(got_traff == gettraff, "gettraff %04d-%02d differs for %s" % (year, month, sorted(
        ip for ip in set(got_traff) | set(gettraff) if got_traff.get(ip) != gettraff.get(ip))[:10]))
    # and nothing went to the months around it
    before = (year, month - 1) if month > 1 else (year - 1, 12)
    after = (year, month + 1) if month < 12 else (year + 1, 1)
    for y, m in (before, after):
        other = ofe2e.traff(db, y, m)
        fails.check(other == {}, "gettraff %04d-%02d is not empty: %s" % (y, m, str(other)[:200]))

    # The traffic starts 1.28 s after its first bin begins and ends 3.87 s
    # before its last bin ends. Every exporter here stamps a flow with its
    # first and last packet's times, at worst a second early (whole-second
    # flowStart/EndSeconds; v9 sysUpTime stamps reckoned from the header's
    # whole-second export time): no flow reaches outside those bins, so no
    # bin either side is allowed. 0.0.0.0 is read over all time, so a
    # misplaced record cannot hide outside the window.
    for ip, dirs in sorted(hosts.items()):
        for d in "RS":
            frm, to = (0, 1 << 33) if ip == "0.0.0.0" else (first_bin - DAY, last_bin + DAY)
            bins = ofe2e.series(db, ip, d, frm, to)
            outside = sorted(ts for ts, b in bins.items()
                             if not first_bin <= ts <= last_bin and any(b["bytes"]))
            fails.check(not outside, "%s %s: bytes in bins %s outside %d..%d" % (
                ip, d, outside, first_bin, last_bin))
            for k, kind in enumerate(("bytes", "packets")):
                tot = [sum(b[kind][c] for b in bins.values()) for c in range(12)]
                want = dirs[d][k]
                fails.check(tot == want, "%s %s %s: got %s want %s (diff %s)" % (
                    ip, d, kind, tot, want,
                    {ofe2e.CLASSES[c]: tot[c] - want[c] for c in range(12) if tot[c] != want[c]}))
    ok = fails.done(what)
    print("%s %s (%d datagrams, %04d-%02d)" % (what, "ok" if ok else "FAILED", len(got), year, month))
    return ok


def check_truth(truth):
    """The networks keep the truth's local hosts, and its 0.0.0.0 is the sum
    the expectations recompute."""
    nets = [ipaddress.ip_network(n.split()[0]) for n in NETWORKS]
    local = {a for a in truth.addresses if any(ipaddress.ip_address(a) in n for n in nets)}
    want = set(truth.hosts) - {"0.0.0.0"}
    if local != want:
        raise AssertionError("the networks make %s local" % sorted(local ^ want))
    if time.strftime("%Y-%m", time.localtime(truth.first_s)) != truth.month:
        raise AssertionError("truth's month %s is not its traffic's" % truth.month)
    hosts, _ = truth.expected(False)
    for d in "RS":
        all_hosts = truth.hosts["0.0.0.0"][d]
        if hosts["0.0.0.0"][d] != (all_hosts["bytes"], all_hosts["packets"]):
            raise AssertionError("truth's 0.0.0.0 %s is not the sum of its hosts" % d)


def main():
    truth = Truth()
    check_truth(truth)
    work = ofe2e.tmpdir()
    try:
        with gzip.open(ofe2e.corpus("traffic-public.pcap.gz")) as src, \
                open(os.path.join(work, "traffic-public.pcap"), "wb") as dst:
            shutil.copyfileobj(src, dst)
        ok = True
        for v in VARIANTS:
            ok &= check_variant(work, truth, *v)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ok


if __name__ == "__main__":
    ofe2e.main(main)
