#!/usr/bin/env python3
"""Prints which src/ folders include which, and fails when the graph has a
cycle or an include runs against the pipeline's order.

The folders are layers, each allowed to include only the layers before it:
bytes come in (collect) and are decoded (decode), accounted (account) and
stored (store); charts and reports are drawn from the store; the daemon and
the HTTP server run all that; the command line starts them. config, auth
and chart sit beside each other, on top of the store.

Usage: scripts/include-graph.py [SRC_DIR]   (default: src next to scripts/)
"""
import os
import re
import sys

LAYERS = [
    ["util"],
    ["decode"],
    ["collect", "account"],
    ["store"],
    ["config", "auth", "chart"],
    ["report"],
    ["daemon"],
    ["http"],
    ["cli"],
]
RANK = {folder: i for i, layer in enumerate(LAYERS) for folder in layer}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z_]+)/[^"]+"', re.M)


def edges(src):
    """{(from_folder, to_folder): [file, ...]} over every .c and .h."""
    found = {}
    for folder in sorted(os.listdir(src)):
        path = os.path.join(src, folder)
        if not os.path.isdir(path):
            continue
        for name in sorted(os.listdir(path)):
            if not name.endswith((".c", ".h", ".h.in")):
                continue
            with open(os.path.join(path, name)) as f:
                for to in INCLUDE.findall(f.read()):
                    if to != folder:
                        found.setdefault((folder, to), []).append("%s/%s" % (folder, name))
    return found


def find_cycle(graph):
    """One cycle as a list of folders, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state:
                cycle = visit(nxt, path + [nxt])
                if cycle:
                    return cycle
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [node])
            if cycle:
                return cycle
    return None


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
    found = edges(src)
    graph = {}
    for (a, b) in found:
        graph.setdefault(a, set()).add(b)
    folders = sorted({f for e in found for f in e} | set(graph), key=lambda f: (RANK.get(f, -1), f))
    for f in folders:
        print("%-8s -> %s" % (f, " ".join(sorted(graph.get(f, ()), key=lambda t: RANK.get(t, -1)))))
    bad = 0
    for f in folders:
        if f not in RANK:
            print("include-graph: src/%s/ is in no layer (scripts/include-graph.py LAYERS)" % f)
            bad += 1
    cycle = find_cycle(graph)
    if cycle:
        print("include-graph: cycle: " + " -> ".join(cycle))
        bad += 1
    for (a, b), files in sorted(found.items()):
        if a in RANK and b in RANK and RANK[b] >= RANK[a]:
            print("include-graph: %s includes %s, which does not come before it (%s)" %
                  (a, b, ", ".join(sorted(set(files)))))
            bad += 1
    if bad:
        return 1
    print("include-graph: ok, %d folders, no cycle" % len(folders))
    return 0


if __name__ == "__main__":
    sys.exit(main())
