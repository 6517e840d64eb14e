"""A million active hosts through a real daemon: one NetFlow v5 record for
each of 1,000,000 hosts of 10.0.0.0/12 (downloads; every seventh host also
an upload), 33,334 datagrams over UDP on loopback, sent in chunks that wait
for the daemon to have read the previous one (its /api/v1/status), so that
a slow build loses nothing to the socket. Then SIGTERM, which writes what
the daemon holds, and the stored monthly totals must be exact: 1,000,000
hosts, the sums of both directions, and every 997th host's own download
and upload; a few hosts' 5-minute bins too. Nothing may be dropped as
full, and the kernel may drop nothing."""
import os
import socket
import struct
import time

import ofe2e

HOSTS = 1000000
PER_DGRAM = 30
CHUNK = 4000  # datagrams between two waits for the daemon


def host_ip(i):
    return "10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255)


def flows(i):
    """(bytes down, bytes up) of host i: deterministic, different per host."""
    down = 1000 + (i * 7919) % 100000
    up = 40 + (i * 104729) % 5000 if i % 7 == 0 else 0
    return down, up


def records():
    """Every host's records as (src, dst, bytes, packets, sport, dport, proto)."""
    peer = socket.inet_aton("198.51.100.7")
    for i in range(HOSTS):
        host = socket.inet_aton(host_ip(i))
        down, up = flows(i)
        yield peer, host, down, 1 + down // 1400, 443, 40000 + i % 20000, 6
        if up:
            yield host, peer, up, 1 + up // 100, 40000 + i % 20000, 443, 6


def datagrams(unix_secs):
    """NetFlow v5 datagrams of PER_DGRAM records, flows that ended a second
    before the export (as ofe2e.netflow_v5 builds them, with packed
    addresses for speed)."""
    uptime = 100000
    out = []
    batch = []
    for rec in records():
        batch.append(rec)
        if len(batch) == PER_DGRAM:
            out.append(pack(batch, unix_secs, uptime, len(out)))
            batch = []
    if batch:
        out.append(pack(batch, unix_secs, uptime, len(out)))
    return out


def pack(batch, secs, uptime, seq):
    head = struct.pack(">HHIIIIBBH", 5, len(batch), uptime, secs, 0, seq * PER_DGRAM, 0, 0, 0)
    body = b"".join(struct.pack(">4s4s4sHHIIIIHHBBBBHHBBH", src, dst, bytes(4), 0, 0, pkts, nbytes,
                                uptime - 1000, uptime - 1000, sport, dport, 0, 0, proto, 0, 0, 0,
                                0, 0, 0)
                    for src, dst, nbytes, pkts, sport, dport, proto in batch)
    return head + body


def received(api):
    _, st = api.json("GET", "/api/v1/status")
    for e in st["exporters"]:
        if e["addr"] == "127.0.0.1":
            return e["protocols"].get("netflow5", {}).get("packets", 0)
    return 0


def send_paced(d, api, dgrams):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for start in range(0, len(dgrams), CHUNK):
        for dg in dgrams[start:start + CHUNK]:
            s.sendto(dg, ("127.0.0.1", d.nf_port))
        want = min(start + CHUNK, len(dgrams))
        deadline = time.time() + 120
        while received(api) < want:
            if time.time() > deadline:
                raise AssertionError("the daemon read %d of %d datagrams" % (received(api), want))
            time.sleep(0.2)
    s.close()


def main():
    fails = ofe2e.Failures()
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    secs = int(time.time())
    dgrams = datagrams(secs)
    d = ofe2e.Daemon(db, ["10.0.0.0/12"], http=True, http_listen=("127.0.0.1",))
    months = {time.localtime(secs)[:2]}
    try:
        ofe2e.set_password(db, "admin", "million-pw")
        api = ofe2e.Api(d.http_port, token=ofe2e.api_token(d.http_port, "million-pw"))
        send_paced(d, api, dgrams)
        api.close()
    finally:
        out = d.stop()
    months.add(time.localtime()[:2])
    n_up = sum(1 for i in range(HOSTS) if flows(i)[1])
    fails.check("%d datagrams, %d records, 0 decode errors, 0 kernel drops" % (len(dgrams), HOSTS + n_up)
                in out and "0 dropped (full)" in out, "daemon totals:\n" + out[-1500:])
    got = {}
    for year, month in months:  # a run across a month boundary spans two
        for ip, v in ofe2e.traff(db, year, month).items():
            old = got.get(ip, (0, 0))
            got[ip] = (old[0] + int(v["dl"]), old[1] + int(v["ul"]))
    fails.check(len(got) == HOSTS, "%d hosts in the monthly totals, want %d" % (len(got), HOSTS))
    want_dl = sum(flows(i)[0] for i in range(HOSTS))
    want_ul = sum(flows(i)[1] for i in range(HOSTS))
    fails.check(sum(v[0] for v in got.values()) == want_dl and
                sum(v[1] for v in got.values()) == want_ul,
                "sums %d/%d, want %d/%d" % (sum(v[0] for v in got.values()),
                                            sum(v[1] for v in got.values()), want_dl, want_ul))
    for i in range(0, HOSTS, 997):
        fails.check(got.get(host_ip(i)) == flows(i), "%s: %s, want %s" % (host_ip(i), got.get(host_ip(i)),
                                                                         flows(i)))
    bin_ts = (secs - 1) // 300 * 300
    for i in (0, 7, 499999, HOSTS - 1):
        down, up = flows(i)
        s = ofe2e.series(db, host_ip(i), "R", bin_ts - 600, bin_ts + 600)
        fails.check(sum(b["bytes"][0] for b in s.values()) == down, "%s: bins %s" % (host_ip(i), s))
    ok = fails.done("a million hosts")
    print("a million hosts: %s" % ("ok" if ok else "FAILED"))
    return ok


if __name__ == "__main__":
    ofe2e.main(main)
