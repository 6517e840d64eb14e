"""Bad input from every side: command lines, config files, capture files
and datagrams. Each gets a clear error (or is counted and skipped) and
changes nothing it should not."""
import os
import random
import socket
import struct
import time

import ofe2e


def expect_exit(code, args, needle):
    p = ofe2e.run(*args, check=False)
    ok = p.returncode == code and needle in p.stderr
    if not ok:
        print("%s: exit %d (want %d), stderr: %s" % (" ".join(args), p.returncode, code, p.stderr))
    return ok


def check_command_lines():
    d = ofe2e.tmpdir()
    db = os.path.join(d, "of.db")
    bad_conf = os.path.join(d, "bad.conf")
    with open(bad_conf, "w") as f:
        f.write("COLLECTOR_PORT=42112\n[networks]\nnet = 10.0.0.0/8\nnet = 300.0.0.0/8 oops\n")
    junk = os.path.join(d, "junk.pcap")
    with open(junk, "wb") as f:
        f.write(b"this is not a capture file at all")
    cases = [
        (2, [], "usage"),
        (2, ["frobnicate"], "unknown subcommand"),
        (2, ["traff", "--db", db, "--month", "13"], "--month must be 1..12"),
        (2, ["traff", "--db", db, "--year", "20x4"], "--year must be"),
        (2, ["traff", "--db", db, "--ip", "10.0.0.300"], "not an IP address"),
        (2, ["series", "--db", db, "--ip", "10.0.0.1"], "usage"),
        (2, ["series", "--db", db, "--ip", "10.0.0.1", "--dir", "X", "--from", "0", "--to", "1"],
         "--dir must be R or S"),
        (2, ["series", "--db", db, "--ip", "10.0.0.1", "--dir", "R", "--from", "9", "--to", "1"],
         "--from is after --to"),
        (2, ["import", "--db", db, "--network", "10.0.0.1/8", junk], "is not a network"),
        (2, ["import", "--db", db, "--sampling-rate", "0", junk], "--sampling-rate must be"),
        (2, ["import", "-c", bad_conf, "--db", db, junk], bad_conf + ":4:"),
        (2, ["import", "-c", os.path.join(d, "missing.conf"), junk], "No such file"),
        (1, ["import", "--db", db, junk], "junk.pcap"),
        (1, ["import", "--db", db, os.path.join(d, "missing.pcap")], "missing.pcap"),
    ]
    ok = True
    for code, args, needle in cases:
        ok &= expect_exit(code, args, needle)
    ok &= check_counters_memory_too_small(d)
    print("%-32s %s" % ("command lines and config", "ok" if ok else "FAILED"))
    return ok


def check_counters_memory_too_small(d):
    """64 workers need 128 of the smallest counter tables, about 30 MB:
    16M is refused at start with the option named, not as out of memory.
    A system that cannot spread a port over several sockets runs one
    worker (the portable build), for which 16M is enough."""
    import subprocess
    cache = os.path.join(os.environ.get("OF_BUILD", "build"), "CMakeCache.txt")
    with open(cache) as f:
        if "OF_PORTABLE:BOOL=ON" in f.read():
            return True
    conf = os.path.join(d, "small.conf")
    with open(conf, "w") as f:
        f.write("COLLECTOR_PORT=%d\nSFLOW_PORT=%d\nLISTEN_ADDRESS=127.0.0.1\nHTTP_PORT=0\n"
                "WORKERS=64\nCOUNTERS_MEMORY=16M\n[networks]\nnet = 10.0.0.0/8\n"
                % (ofe2e.free_udp_port(), ofe2e.free_udp_port()))
    p = subprocess.run([ofe2e.BIN, "run", "-c", conf, "--db", os.path.join(d, "small.db")],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
    out = p.stdout
    ok = p.returncode != 0 and "COUNTERS_MEMORY=16777216 is too small for 64 workers" in out
    if not ok:
        print("COUNTERS_MEMORY too small: exit %d, output: %s" % (p.returncode, out[-2000:]))
    return ok


def bad_datagrams():
    """Hand-made malformed datagrams of every protocol, none of which may
    add a byte to any host."""
    rnd = random.Random(20240514)
    out = []
    for n in range(300):  # garbage whose version matches nothing
        out.append(bytes([0xff]) + bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 1500))))
    v5 = struct.pack(">HHIIIIBBH", 5, 30, 1000, 1715680800, 0, 1, 0, 0, 0)
    out.append(v5 + b"\x00" * 48 * 2)  # claims 30 records, holds 2
    out.append(v5[:20])  # header cut
    out.append(struct.pack(">HHIII", 10, 5000, 1715680800, 1, 0) + b"\x00" * 40)  # IPFIX length lies
    out.append(struct.pack(">HHIIII", 9, 1, 1000, 1715680800, 1, 0)
               + struct.pack(">HHHH", 0, 12, 7, 1) + struct.pack(">HH", 8, 4))  # template id 7
    out.append(struct.pack(">HHIIII", 9, 1, 1000, 1715680800, 1, 0)
               + struct.pack(">HH", 300, 20) + b"\x0a\x14\x00\x0a" * 4)  # data before template
    out.append(struct.pack(">IIIIIII", 5, 1, 0x7f000001, 0, 1, 1000, 1000))  # sFlow: 1000 samples, none
    out.append(struct.pack(">III", 5, 7, 0x7f000001))  # sFlow: agent address type 7
    return out


def check_bad_datagrams():
    name = "softflowd-v5"
    exp = ofe2e.expected(name)
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    d = ofe2e.Daemon(db, exp["local_networks"], sampling_rate=1)
    months = {time.localtime()[:2]}
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for i, dg in enumerate(bad_datagrams()):
            s.sendto(dg, ("127.0.0.1", d.nf_port if i % 2 else d.sf_port))
        for _, dg in ofe2e.pcap_datagrams(ofe2e.corpus(name + ".pcap")):
            s.sendto(dg, ("127.0.0.1", d.nf_port))
        s.close()
        time.sleep(0.5)
        alive = d.proc.poll() is None
    finally:
        out = d.stop()
    months.add(time.localtime()[:2])
    got = {}
    for y, m in months:
        got.update(ofe2e.traff(db, y, m))
    ok = alive and got == exp["gettraff"]["2024-05"]
    # every bad datagram was counted as a decode error
    errors = int(out.rsplit(" decode errors", 1)[0].rsplit(" ", 1)[1]) if " decode errors" in out else 0
    ok &= errors >= len(bad_datagrams())
    if not ok:
        print(out[-3000:])
    print("%-32s %s (%d decode errors)" % ("malformed datagrams", "ok" if ok else "FAILED", errors))
    return ok


def main():
    ok = check_command_lines()
    ok &= check_bad_datagrams()
    return ok


if __name__ == "__main__":
    ofe2e.main(main)
