"""Every repository path that README.md and docs/*.md name must exist.

The README walks the source tree file by file and the pages under docs/
point into src/; a file that is renamed or removed must take its mention
along. This collects every path that starts with one of the repository's
top folders (`src/decode/ipfix.c`, `tests/e2e/`, `docs/store.md`,
`src/http/ep_*.c` as a glob) from the whole text, code blocks and links
included, and fails listing those that name nothing. It needs no daemon
and no build: the repository is found from this file's own place.

Usage: test_readme_paths.py [ROOT]   (default: two folders above this file)
"""
import glob
import os
import re
import sys

# The top folders of the repository. Fixed rather than read from the disk,
# so that a mention of a folder that does not exist is caught too.
TOP = ("src", "tests", "docs", "web", "dist", "man", "fuzz", "bench", "cmake", "scripts")

# A path starts where no path or word character comes before it (so that
# "/usr/local/src/x" or "http://host/of/src" are not taken for ours) and
# runs over the characters file names in this tree use, "*" for globs.
PATH = re.compile(r"(?<![\w./*-])((?:%s)/[\w./*-]*)" % "|".join(TOP))

# The README names this many paths at least; fewer means the pattern no
# longer finds them, and the check would pass without checking anything.
README_MIN_PATHS = 60


def paths_in(text):
    """[(line number, path)] in the order they appear."""
    found = []
    for lineno, line in enumerate(text.splitlines(), 1):
        for m in PATH.finditer(line):
            path = m.group(1).rstrip(".")
            found.append((lineno, path))
    return found


def exists(root, path):
    full = os.path.join(root, path)
    if "*" in path:
        return bool(glob.glob(full))
    if path.endswith("/"):
        return os.path.isdir(full)
    return os.path.exists(full)


def check(root, name):
    """(paths found, [missing ones as 'file:line: path'])."""
    with open(os.path.join(root, name), encoding="utf-8") as f:
        found = paths_in(f.read())
    missing = ["%s:%d: %s" % (name, n, p) for n, p in found if not exists(root, p)]
    return len(found), missing


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.normpath(os.path.join(here, "..", ".."))
    docs = sorted(
        os.path.join("docs", n) for n in os.listdir(os.path.join(root, "docs")) if n.endswith(".md")
    )
    ok = True
    for name in ["README.md"] + docs:
        n, missing = check(root, name)
        print("%-24s %3d paths, %d missing" % (name, n, len(missing)))
        for m in missing:
            print("  no such file or folder: " + m)
        ok &= not missing
        if name == "README.md" and n < README_MIN_PATHS:
            print("  only %d paths found in README.md (at least %d expected): is the pattern broken?"
                  % (n, README_MIN_PATHS))
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
