"""Charts read back pixel by pixel and held against the stored bins they
were drawn from: PNG bytes are decoded by tests/tools/png_probe (libgd),
and the bars are checked with the geometry of SPEC.md's chart section and
src/chart/chart.c: the plot starts 50 px from the left edge and 40 px from
the top, its X axis is the lowest row drawn in the axis colour across it,
each time step owns the columns [k * cols // steps, (k + 1) * cols // steps)
after the Y axis column, and the Y scale is the peak plus 10 %."""
import os
import subprocess

COLOURS = [(47, 133, 217), (240, 0, 0), (140, 0, 0), (0, 220, 0), (175, 16, 159), (252, 93, 0),
           (240, 240, 0), (174, 174, 174), (0, 0, 245), (160, 156, 254), (68, 120, 74),
           (54, 49, 22)]
WHITE, INK, GRID = (255, 255, 255), (85, 85, 85), (212, 212, 212)
LEFT, RIGHT_PAD, TOP = 50, 50, 40  # the Y axis column, the plot's right margin, its top row
MBIT = 8 / 300 / 1048576  # bytes in a 5-minute bin -> Mbit/s
Y_MIN = 0.001  # the smallest Y scale, in Mbit/s (AXIS_Y_MIN_MBPS)

PROBE = os.environ.get("OF_PNG_PROBE", "build/tests/png_probe")


def decode(png):
    """(width, height, rows of (r, g, b)) of PNG bytes, as libgd reads them."""
    p = subprocess.run([PROBE, "-"], input=png, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        raise AssertionError("png_probe exited %d: %s" % (p.returncode, p.stderr.decode().strip()))
    lines = p.stdout.decode().split("\n")
    w, h = (int(v) for v in lines[0].split())
    rows = []
    for line in lines[1:h + 1]:
        b = bytes.fromhex(line)
        rows.append(list(zip(b[0::3], b[1::3], b[2::3])))
    assert len(rows) == h and all(len(r) == w for r in rows), "png_probe: short output"
    return w, h, rows


def dump_lines(bins):
    """The chart's bars as dumpdata / --dump print them: the bin's time and
    the 12 classes in Mbit/s."""
    return ["%d %s" % (ts, " ".join("%.6f" % (b * MBIT) for b in bins[ts]["bytes"]))
            for ts in sorted(bins)]


def axis_row(rows, w):
    """The X axis: the lowest row drawn in the axis colour across the plot."""
    for y in range(len(rows) - 1, 0, -1):
        if all(rows[y][x] == INK for x in range(LEFT, w - RIGHT_PAD)):
            return y
    raise AssertionError("no X axis")


def column_colours(rows, x, bottom):
    """The colours of column x from the axis up to the first pixel that is
    background or grid, each run once, bottom first."""
    seen = []
    for y in range(bottom - 1, TOP - 1, -1):
        p = rows[y][x]
        if p in (WHITE, GRID):
            break
        if not seen or seen[-1] != p:
            seen.append(p)
    return seen


def column_empty(rows, x, bottom):
    return all(rows[y][x] in (WHITE, GRID) for y in range(TOP, bottom))


def check_bars(png, size, frm, to, bins, fails, what, step=300):
    """The chart of [frm, to) in steps of step seconds against the stored
    bins: each step with bytes shows, in every column it owns, only the
    colours of its classes that have bytes, stacked shortest at the bottom,
    the tallest class's colour on top (on a tie of pixels, either), as tall
    as the peak gives; a step without bytes leaves its columns empty."""
    w, h, rows = decode(png)
    fails.check((w, h) == size, "%s: PNG is %dx%d, asked %dx%d" % (what, w, h, size[0], size[1]))
    if (w, h) != size:
        return
    bottom = axis_row(rows, w)
    data = {ts: b["bytes"] for ts, b in bins.items() if any(b["bytes"])}
    fails.check(bool(data), "%s: no stored data to check the bars against" % what)
    if not data:
        return
    cols, nsteps = w - LEFT - RIGHT_PAD, (to - frm) // step
    ymax = max(max(max(v) for v in data.values()) * MBIT * 1.1, Y_MIN)
    for k in range(nsteps):
        ts = frm + k * step
        c0, c1 = k * cols // nsteps, (k + 1) * cols // nsteps
        for x in range(LEFT + 1 + c0, LEFT + 1 + c1):
            if ts not in data:
                fails.check(column_empty(rows, x, bottom),
                            "%s: bar at %d (column %d) where there is no data" % (what, ts, x))
                continue
            check_column(rows, x, bottom, data[ts], ymax, fails, "%s %d" % (what, ts))


def check_column(rows, x, bottom, values, ymax, fails, what):
    seen = column_colours(rows, x, bottom)
    classes = [c for c in range(12) if values[c] > 0]
    fails.check(all(p in [COLOURS[c] for c in classes] for p in seen),
                "%s: colours %s not among classes %s" % (what, seen, classes))
    # a band lies above another only if its class carries more bytes
    shown = [COLOURS.index(p) for p in seen if p in COLOURS]
    fails.check(all(values[a] < values[b] for a, b in zip(shown, shown[1:])),
                "%s: bands bottom to top %s, bytes %s" % (what, shown, values))
    px = [round(v * MBIT / ymax * (bottom - TOP)) for v in values]
    top_classes = [COLOURS[c] for c in classes if px[c] >= max(px) - 1]
    fails.check(bool(seen) and seen[-1] in top_classes,
                "%s: top colour %s, want one of %s" % (what, seen[-1:], top_classes))
    drawn = [y for y in range(TOP, bottom) if rows[y][x] not in (WHITE, GRID)]
    height = bottom - min(drawn) if drawn else 0
    fails.check(abs(height - max(px)) <= 1, "%s: bar %d px tall, want %d" % (what, height, max(px)))


def check_empty(png, size, fails, what):
    """A chart without data: the asked size, and nothing but background and
    grid lines inside the plot."""
    w, h, rows = decode(png)
    fails.check((w, h) == size, "%s: PNG is %dx%d, asked %dx%d" % (what, w, h, size[0], size[1]))
    bottom = axis_row(rows, w)
    bars = [x for x in range(LEFT + 1, w - RIGHT_PAD + 1) if not column_empty(rows, x, bottom)]
    fails.check(not bars, "%s: %d plot columns are not empty, first %s" % (what, len(bars), bars[:3]))
