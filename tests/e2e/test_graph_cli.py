"""`ophanimflow graph` on a store filled from a corpus capture: --dump equals
the stored bins in Mbit/s, the PNG has the requested size and shows bars in
the class colours exactly where the data is and nowhere else, and bad
options exit 2 with a one-line reason."""
import os
import struct
import zlib

import ofe2e

CAPTURE = "pmacct-sflow"
FROM, TO = 1715680800, 1715682300  # 2024-05-14 10:00-10:25 UTC, the capture's bins
COLOURS = [(47, 133, 217), (240, 0, 0), (140, 0, 0), (0, 220, 0), (175, 16, 159), (252, 93, 0),
           (240, 240, 0), (174, 174, 174), (0, 0, 245), (160, 156, 254), (68, 120, 74),
           (54, 49, 22)]
WHITE, INK, GRID = (255, 255, 255), (85, 85, 85), (212, 212, 212)
LEFT, TOP = 50, 40  # the plot's Y axis column and top row


def png_decode(data):
    """(width, height, rows of (r, g, b)) of a non-interlaced 8-bit palette
    or RGB(A) PNG, as libgd writes them."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    off, idat, plte = 8, b"", None
    while off < len(data):
        n, kind = struct.unpack(">I4s", data[off:off + 8])
        body = data[off + 8:off + 8 + n]
        off += 12 + n
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            plte = [tuple(body[i:i + 3]) for i in range(0, n, 3)]
        elif kind == b"IDAT":
            idat += body
    assert interlace == 0 and depth == 8 and ctype in (2, 3, 6), (depth, ctype, interlace)
    bpp = {2: 3, 3: 1, 6: 4}[ctype]
    stride = w * bpp
    raw = zlib.decompress(idat)
    prev = bytearray(stride)
    rows = []
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):  # undo the row filter (PNG spec 9.2)
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        if ctype == 3:
            rows.append([plte[v] for v in line])
        else:
            rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(w)])
    return w, h, rows


def mbps_line(ts, bytes12):
    return "%d %s" % (ts, " ".join("%.6f" % (b * 8 / 300 / 1048576) for b in bytes12))


def check_dump(db, ip, d, fails):
    got = ofe2e.run("graph", "--db", db, "--ip", ip, "--dir", d, "--period", "explict",
                    "--from", str(FROM), "--to", str(TO), "--dump").stdout.splitlines()
    bins = ofe2e.series(db, ip, d, FROM, TO)
    want = [mbps_line(ts, bins[ts]["bytes"]) for ts in sorted(bins)]
    fails.check(got == want, "%s %s dump:\n  got  %s\n  want %s" % (ip, d, got, want))
    return bins


def axis_row(rows, w):
    """The X axis: the lowest row drawn in the axis colour across the plot."""
    for y in range(len(rows) - 1, 0, -1):
        if all(rows[y][x] == INK for x in range(LEFT, w - 50)):
            return y
    raise AssertionError("no X axis")


def check_png(db, ip, d, bins, fails, w=1000, h=300):
    """Bars drawn over [FROM - 30 min, TO + 30 min): the 6 steps before and
    after the data are empty, and each data step's columns show the classes
    the bin has, topped by the tallest, at the height its peak gives."""
    frm, to = FROM - 1800, TO + 1800
    out = os.path.join(ofe2e.tmpdir(), "g.png")
    ofe2e.run("graph", "--db", db, "--ip", ip, "--dir", d, "--from", str(frm), "--to", str(to),
              "-w", str(w), "-h", str(h), "-o", out)
    with open(out, "rb") as f:
        pw, ph, rows = png_decode(f.read())
    fails.check((pw, ph) == (w, h), "%s %s: PNG is %dx%d, asked %dx%d" % (ip, d, pw, ph, w, h))
    bottom = axis_row(rows, w)
    cols, nsteps = w - 100, (to - frm) // 300
    peak = max(max(b["bytes"]) for b in bins.values()) * 8 / 300 / 1048576
    for k in range(nsteps):
        ts = frm + k * 300
        c0, c1 = k * cols // nsteps, (k + 1) * cols // nsteps
        for x in range(LEFT + 1 + c0, LEFT + 1 + c1):
            seen = []
            for y in range(bottom - 1, TOP - 1, -1):
                p = rows[y][x]
                if p in (WHITE, GRID):
                    break
                if not seen or seen[-1] != p:
                    seen.append(p)
            if ts not in bins:
                fails.check(not seen, "%s %s: bar at %d where there is no data" % (ip, d, ts))
                continue
            values = bins[ts]["bytes"]
            classes = [c for c in range(12) if values[c] > 0]
            fails.check(all(p in [COLOURS[c] for c in classes] for p in seen),
                        "%s %s %d: colours %s not among classes %s" % (ip, d, ts, seen, classes))
            # pixels of each class: the tallest shows on top (on a tie of
            # pixels, a later class)
            px = [round(v * 8 / 300 / 1048576 / (peak * 1.1) * (bottom - TOP)) for v in values]
            top_classes = [COLOURS[c] for c in range(12) if values[c] > 0 and px[c] >= max(px) - 1]
            fails.check(seen and seen[-1] in top_classes,
                        "%s %s %d: top colour %s, want one of %s" % (ip, d, ts, seen[-1:], top_classes))
            height = bottom - min(y for y in range(TOP, bottom) if rows[y][x] not in (WHITE, GRID))
            fails.check(abs(height - max(px)) <= 1,
                        "%s %s %d: bar %d px tall, want %d" % (ip, d, ts, height, max(px)))


def check_usage_errors(db, fails):
    base = ["graph", "--db", db, "-o", os.path.join(ofe2e.tmpdir(), "x.png")]
    cases = [
        ["--ip", "10.20.0.300"],
        ["--ip", "10.20.0.12", "--dir", "X"],
        ["--ip", "10.20.0.12", "--period", "fortnight"],
        ["--ip", "10.20.0.12", "--from", str(TO), "--to", str(FROM)],
        ["--ip", "10.20.0.12", "--from", str(FROM), "--to", str(FROM)],
        ["--ip", "10.20.0.12", "--from", str(FROM)],
        ["--ip", "10.20.0.12", "--period", "explict"],
        ["--ip", "10.20.0.12", "--period", "day", "--from", str(FROM), "--to", str(TO)],
        ["--ip", "10.20.0.12", "--from", "0", "--to", str(20 * 366 * 86400)],
        ["--ip", "10.20.0.12", "-w", "10"],
        ["--ip", "10.20.0.12", "-h", "99999"],
        ["--ip", "10.20.0.12", "-w", "wide"],
        ["--dir", "R"],
        ["--ip", "10.20.0.12", "stray"],
    ]
    for args in cases:
        p = ofe2e.run(*(base + args), check=False)
        lines = p.stderr.strip().splitlines()
        fails.check(p.returncode == 2, "%s: exit %d, want 2" % (args, p.returncode))
        fails.check(len(lines) == 1 and lines[0].startswith("ophanimflow: "),
                    "%s: want a one-line reason, got %r" % (args, p.stderr))
    p = ofe2e.run("graph", "--ip", "10.20.0.12", "--db", db, check=False)
    fails.check(p.returncode == 2 and "-o" in p.stderr, "missing -o: %r" % p.stderr)
    p = ofe2e.run("graph", "--help")
    fails.check("--period" in p.stdout and "refused" in p.stdout, "--help: %r" % p.stdout)


def main():
    exp = ofe2e.expected(CAPTURE)
    db = os.path.join(ofe2e.tmpdir(), "of.db")
    ofe2e.run("import", "--db", db, "--sampling-rate", "1", *ofe2e.network_args(exp),
              ofe2e.corpus(CAPTURE + ".pcap"))
    fails = ofe2e.Failures()
    # the busiest host by download, and all hosts
    hosts = [ip for ip in exp["hosts"] if ip != "0.0.0.0"]
    host = max(hosts, key=lambda ip: exp["hosts"][ip]["R"]["bytes"][0])
    for ip, d in ((host, "R"), (host, "S"), ("0.0.0.0", "R"), ("0.0.0.0", "S")):
        bins = check_dump(db, ip, d, fails)
        fails.check(len(bins) == 5, "%s %s: %d bins, want 5" % (ip, d, len(bins)))
        if bins:
            check_png(db, ip, d, bins, fails)
    # the default size, and an IPv6 host
    v6 = next((ip for ip in hosts if ":" in ip), None)
    if v6:
        bins = check_dump(db, v6, "R", fails)
        if bins:
            check_png(db, v6, "R", bins, fails, 1540, 400)
    # a host without traffic: an empty dump and a valid, empty chart
    out = ofe2e.run("graph", "--db", db, "--ip", "10.20.0.250", "--from", str(FROM), "--to",
                    str(TO), "--dump").stdout
    fails.check(out == "", "idle host dump: %r" % out)
    png = os.path.join(ofe2e.tmpdir(), "empty.png")
    ofe2e.run("graph", "--db", db, "--ip", "10.20.0.250", "--period", "week", "--now",
              str(TO), "-o", png)
    with open(png, "rb") as f:
        w, h, _ = png_decode(f.read())
    fails.check((w, h) == (1540, 400), "empty chart is %dx%d" % (w, h))
    check_usage_errors(db, fails)
    return fails.done("graph cli")


if __name__ == "__main__":
    ofe2e.main(main)
