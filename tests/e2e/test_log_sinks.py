"""Where `ophanimflow run` logs, and with which levels.

- stderr (a terminal, a file): each line starts with a UTC timestamp and
  the level's name.
- systemd's journal: when JOURNAL_STREAM names stderr's device and inode
  (as systemd sets it for a service), each line starts with the level as
  "<N>" (RFC 5424 severity: 3 error, 4 warning, 6 info) and carries no
  timestamp; a JOURNAL_STREAM naming another file changes nothing.
- --syslog: messages reach a real syslog socket at /dev/log with the daemon
  facility and the right severities, and nothing goes to stderr. The test
  listens on /dev/log itself: when one exists, in a private mount namespace
  with its socket mounted over it (unshare), else at /dev/log for the
  test's duration.

Levels come from real events: start-up (info), no local networks
configured (warning), an HTTP port already taken (error, exit 1)."""
import os
import re
import socket
import subprocess
import time

import ofe2e


def write_conf(d, http_port=0):
    conf = os.path.join(d, "of.conf")
    with open(conf, "w") as f:
        f.write("COLLECTOR_PORT=%d\nSFLOW_PORT=%d\nLISTEN_ADDRESS=127.0.0.1\nHTTP_PORT=%d\n"
                "HTTP_LISTEN_ADDRESS=127.0.0.1\n"
                % (ofe2e.free_udp_port(), ofe2e.free_udp_port(), http_port))
    return conf


def run_daemon(args, env, log_path, until, expect_exit=None):
    """Runs `ophanimflow run ARGS` with stderr into log_path until `until`
    appears in it (then SIGTERM) or it exits; returns (exit code, log)."""
    with open(log_path, "w") as log:
        p = subprocess.Popen([ofe2e.BIN, "run"] + args, stdout=subprocess.DEVNULL, stderr=log,
                             env=env)
        deadline = time.time() + 20
        while time.time() < deadline and p.poll() is None:
            with open(log_path) as f:
                if until and until in f.read():
                    break
            time.sleep(0.05)
        if p.poll() is None and expect_exit is None:
            p.terminate()
        rc = p.wait(timeout=60)
    with open(log_path) as f:
        return rc, f.read()


def journal_env(path):
    st = os.stat(path)
    env = dict(os.environ)
    env["JOURNAL_STREAM"] = "%d:%d" % (st.st_dev, st.st_ino)
    return env


def check_stderr_and_journal(fails):
    d = ofe2e.tmpdir()
    db = os.path.join(d, "of.db")
    log = os.path.join(d, "stderr.log")
    open(log, "w").close()
    # JOURNAL_STREAM of another file: plain timestamped lines
    env = dict(os.environ, JOURNAL_STREAM="1:1")
    rc, out = run_daemon(["-c", write_conf(d), "--db", db], env, log, "collecting:")
    stamp = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ "
    fails.check(rc == 0 and re.search(stamp + r"info: collecting:", out, re.M)
                and re.search(stamp + r"warning: no local networks", out, re.M),
                "stderr: exit %d\n%s" % (rc, out))
    # stderr is the journal: "<N>" levels, no timestamps
    rc, out = run_daemon(["-c", write_conf(d), "--db", db], journal_env(log), log, "collecting:")
    lines = out.splitlines()
    fails.check(rc == 0 and lines and all(re.match(r"<[3-7]>\S", l) for l in lines),
                "journal: exit %d, lines without a level:\n%s" % (rc, out))
    fails.check("<6>collecting:" in out and "<4>no local networks configured" in out
                and "<6>signal 15: stopping" in out and not re.search(stamp, out, re.M),
                "journal: levels or timestamps wrong:\n%s" % out)
    # an error: the HTTP port is taken
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        conf = write_conf(d, http_port=taken.getsockname()[1])
        rc, out = run_daemon(["-c", conf, "--db", db], journal_env(log), log, None, expect_exit=1)
    finally:
        taken.close()
    fails.check(rc == 1 and re.search(r"^<3>http: cannot start on port", out, re.M),
                "journal error: exit %d\n%s" % (rc, out))
    print("stderr and journal formats ok")


def syslog_receiver(d):
    """A datagram socket standing in for the syslog daemon, and how to make
    the program's /dev/log be it: (socket, command prefix, cleanup)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if not os.path.lexists("/dev/log"):
        s.bind("/dev/log")
        ino = os.stat("/dev/log").st_ino

        def cleanup():
            s.close()
            if os.path.exists("/dev/log") and os.stat("/dev/log").st_ino == ino:
                os.unlink("/dev/log")
        return s, [], cleanup
    path = os.path.join(d, "log.sock")
    s.bind(path)
    prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c",
              'mount --bind "$0" /dev/log && exec "$@"', path]
    return s, prefix, s.close


def check_syslog(fails):
    if os.geteuid() != 0:
        print("syslog: skipped (needs root to listen on /dev/log)")
        return
    d = ofe2e.tmpdir()
    sock, prefix, cleanup = syslog_receiver(d)
    msgs = []
    try:
        sock.settimeout(0.2)
        cmd = prefix + [ofe2e.BIN, "run", "--syslog", "-c", write_conf(d), "--db",
                        os.path.join(d, "of.db")]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 20
        while time.time() < deadline and not any("collecting:" in m for m in msgs):
            try:
                msgs.append(sock.recv(4096).decode())
            except socket.timeout:
                pass
        p.terminate()
        _, err = p.communicate(timeout=60)
        end = time.time() + 2
        while time.time() < end and not any("stopping" in m for m in msgs):
            try:
                msgs.append(sock.recv(4096).decode())
            except socket.timeout:
                pass
    finally:
        cleanup()
    ours = [m for m in msgs if re.search(r"ophanimflow\[\d+\]: ", m)]
    text = "\n".join(ours)
    # daemon facility (3) * 8 + severity: 30 info, 28 warning
    fails.check(re.search(r"^<30>.*ophanimflow\[\d+\]: collecting:", text, re.M)
                and re.search(r"^<28>.*ophanimflow\[\d+\]: no local networks", text, re.M)
                and re.search(r"^<30>.*: signal 15: stopping", text, re.M),
                "syslog messages:\n%s" % "\n".join(msgs))
    fails.check(p.returncode == 0 and err == "", "syslog: exit %d, stderr %r" % (p.returncode, err))
    print("syslog: %d messages, levels ok" % len(ours))


def main():
    fails = ofe2e.Failures()
    check_stderr_and_journal(fails)
    check_syslog(fails)
    return fails.done("log sinks")


if __name__ == "__main__":
    ofe2e.main(main)
