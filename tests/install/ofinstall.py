"""Shared helpers of the installation tests: where the source and build
trees are, building a source tree of the project into a staging root, and
making source tarballs of the current tree and of a released commit."""
import os
import subprocess
import sys
import tarfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import ofe2e  # noqa: E402  (shared with the end-to-end tests)

SOURCE = os.path.abspath(os.environ.get("OF_SOURCE",
                                        os.path.join(os.path.dirname(__file__), "..", "..")))
BUILD = os.path.abspath(os.environ.get("OF_BUILD", os.path.join(SOURCE, "build")))
JOBS = str(os.cpu_count() or 2)


def sh(cmd, check=True, env=None, cwd=None, timeout=None):
    """Runs cmd (a list); returns the CompletedProcess with text output.
    Fails the test with the command's output on a non-zero exit."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       env=full_env, cwd=cwd, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("%s exited %d:\n%s" % (" ".join(cmd), p.returncode, p.stdout[-6000:]))
    return p


def layout(build=None):
    """The install paths of a build tree (dist/layout.sh.in): OF_BINDIR,
    OF_SYSCONFDIR, OF_DATADIR and the others, without the OF_ prefix."""
    out = {}
    with open(os.path.join(build or BUILD, "dist", "layout.sh")) as f:
        for line in f:
            if line.startswith("OF_") and "=" in line:
                key, _, value = line.strip().partition("=")
                out[key[3:]] = value.strip("'")
    return out


def staged_install(root):
    """`cmake --install` of the build tree into root (DESTDIR)."""
    sh(["cmake", "--install", BUILD], env={"DESTDIR": root})


def source_files():
    """The files of the source tree, without build trees and repository
    data: what a release tarball of this tree holds."""
    skip_top = {".git", "node_modules", "out", "tmp"}
    out = []
    for top, dirs, files in os.walk(SOURCE):
        rel = os.path.relpath(top, SOURCE)
        if rel == ".":
            dirs[:] = [d for d in dirs if d not in skip_top and not d.startswith("build")]
        dirs.sort()
        for f in sorted(files):
            # .git is a file in a linked worktree: a copy of it would still
            # point at this repository
            if f.endswith((".db", ".db-wal", ".db-shm", ".pyc")) or f == ".git":
                continue
            out.append(os.path.normpath(os.path.join(rel, f)))
    return out


def tarball_of_tree(path, prefix="ophanimflow"):
    """The current source tree as a .tar.gz with one top directory."""
    with tarfile.open(path, "w:gz") as t:
        for f in source_files():
            t.add(os.path.join(SOURCE, f), arcname=os.path.join(prefix, f), recursive=False)
    return path


def tarball_of_commit(commit, path):
    """`git archive` of a commit of the source tree's repository. Fails with
    a clear message when the source tree is no git checkout holding it."""
    p = sh(["git", "-C", SOURCE, "cat-file", "-e", commit + "^{commit}"], check=False)
    if p.returncode != 0:
        raise AssertionError(
            "%s is not a git checkout holding commit %s (the first release, schema v1), "
            "which this test builds and upgrades from: run it from a clone of the "
            "project's repository with its history\n%s" % (SOURCE, commit, p.stdout))
    sh(["git", "-C", SOURCE, "archive", "--format=tar.gz", "--prefix=ophanimflow-%s/" % commit,
        "-o", path, commit])
    return path


def set_options(path, options):
    """Sets NAME=value lines of an INI file's top section (before any
    [section]): the line that sets it, else one that has it commented out,
    else a new first line. As an operator edits an installed config."""
    with open(path) as f:
        lines = f.read().split("\n")
    top_end = next((i for i, l in enumerate(lines) if l.strip().startswith("[")), len(lines))
    for name, value in options.items():
        def sets(line, commented):
            s = line.strip()
            if commented:
                if s[:1] not in (";", "#"):
                    return False
                s = s[1:].strip()
            return s.split("=", 1)[0].strip() == name and "=" in s
        at = [i for i in range(top_end) if sets(lines[i], False)]
        at = at[-1:] or [i for i in range(top_end) if sets(lines[i], True)][:1]
        if at:
            lines[at[0]] = "%s=%s" % (name, value)
        else:
            lines.insert(0, "%s=%s" % (name, value))
            top_end += 1
    with open(path, "w") as f:
        f.write("\n".join(lines))


def http_get(port, path, host="127.0.0.1", timeout=10, headers=None):
    """(status, body) of a GET on loopback."""
    import http.client
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def login(port, user, password, host="127.0.0.1", timeout=10):
    """The session cookie ("of_session=...") of a dashboard login, or None."""
    import http.client
    import json
    c = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        c.request("POST", "/api/v1/login", body=json.dumps({"user": user, "password": password}),
                  headers={"Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        cookie = r.getheader("Set-Cookie") or ""
        return cookie.split(";")[0] if r.status == 200 else None
    finally:
        c.close()


def wait_http(port, path="/", seconds=30):
    """Waits until the port answers path; returns (status, body)."""
    import time
    deadline = time.time() + seconds
    while True:
        try:
            return http_get(port, path)
        except OSError:
            if time.time() > deadline:
                raise AssertionError("nothing answers on port %d after %ds" % (port, seconds))
            time.sleep(0.2)


class Running:
    """A program started in the background with its output in a log file;
    ready once every one of want_lines has appeared in its output."""

    def __init__(self, cmd, log_path, want_lines=(), seconds=30, env=None):
        import time
        self.log_path = log_path
        self.log = open(log_path, "w+")
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=full_env)
        deadline = time.time() + seconds
        while time.time() < deadline:
            out = self.output()
            if all(w in out for w in want_lines):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.proc.kill()
        self.proc.wait()
        raise AssertionError("%s did not start:\n%s" % (" ".join(cmd), self.output()))

    def output(self):
        self.log.flush()
        with open(self.log_path) as f:
            return f.read()

    def stop(self):
        """SIGTERM; the exit code, after at most 60 s."""
        import signal
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)
