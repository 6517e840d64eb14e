"""dist/batchdebian.sh for real, on a fresh Debian made by debootstrap
(--variant=minbase, the host's release, from the mirror the host's apt
uses) in a chroot inside this test's folder of the build tree.

The chroot gets /proc, /sys, /dev and /dev/pts mounted, this source tree in
/usr/src/ophanimflow, and the host's DNS and apt fetch settings. No systemd
runs there, so the script must install and enable the unit and start the
collector with the init script (start-stop-daemon). Ports come from the
environment (free ones of the host: the chroot shares its network), and
the collector listens on loopback only.

Then: the collector runs as its own unprivileged user and answers over HTTP
on loopback; a NetFlow capture sent to its UDP port is received; the unit
is installed, enabled and passes `systemd-analyze verify`; the script
printed the dashboard's address and the admin password (or, before the
dashboard's login exists, a note saying so: the test prints which). A
second run changes nothing: same process, same files, same users, the
password left alone, nothing reinstalled.

The mounts are undone and the processes started in the chroot ended when
the test ends, whatever happens (and, after a run that was killed, when the
next one starts). With OF_DEBOOTSTRAP_CACHE=DIR the fresh root and the
downloaded packages are kept in DIR to make local reruns faster."""
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import time

import ofinstall
from ofinstall import ofe2e

# real paths: /proc/PID/root, which tells the chroot's processes, gives them
WORK = os.path.join(os.path.realpath(ofinstall.BUILD), "tests", "batch-debian")
ROOT = os.path.join(WORK, "root")
CACHE = os.environ.get("OF_DEBOOTSTRAP_CACHE", "")
SRC_IN_ROOT = "/usr/src/ophanimflow"
MOUNTS = [("proc", ["-t", "proc", "proc"]), ("sys", ["-t", "sysfs", "sysfs"]),
          ("dev", ["--bind", "/dev"]), ("dev/pts", ["--bind", "/dev/pts"])]


class Interrupted(Exception):
    pass


def on_signal(signum, frame):
    raise Interrupted("signal %d" % signum)


def codename():
    with open("/etc/os-release") as f:
        for line in f:
            if line.startswith("VERSION_CODENAME="):
                return line.split("=", 1)[1].strip().strip('"')
    raise AssertionError("no VERSION_CODENAME in /etc/os-release")


def apt_sources():
    """(types, uris, suites) of every enabled source of the host's apt, in
    one-line (.list) and deb822 (.sources) form."""
    out = []
    for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
        if not os.path.isfile(path):
            continue
        with open(path) as f:
            for line in f:
                words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
                if len(words) >= 3:
                    out.append(([words[0]], [words[1]], [words[2]]))
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        with open(path) as f:
            stanzas = re.split(r"\n\s*\n", f.read())
        for st in stanzas:
            fields, key = {}, None
            for line in st.splitlines():
                if line.startswith("#") or not line.strip():
                    continue
                if line[0] in " \t" and key:
                    fields[key] += " " + line.strip()
                elif ":" in line:
                    key, _, value = line.partition(":")
                    key = key.strip().lower()
                    fields[key] = value.strip()
            if fields.get("enabled", "yes").lower() == "no" or "uris" not in fields:
                continue
            out.append((fields.get("types", "deb").split(), fields["uris"].split(),
                        fields.get("suites", "").split()))
    return out


def host_mirror(release):
    """The mirror the host's apt fetches its release from (not a -security or
    -updates suite): read at run time, never written down."""
    for types, uris, suites in apt_sources():
        if "deb" in types and release in suites and uris:
            return uris[0]
    raise AssertionError("no apt source of %s in /etc/apt: no mirror to debootstrap from" % release)


def mounted_under(path):
    with open("/proc/self/mounts") as f:
        targets = [l.split()[1].replace("\\040", " ") for l in f]
    return sorted((t for t in targets if t == path or t.startswith(path + "/")), key=len,
                  reverse=True)


def chroot_pids():
    pids = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.readlink("/proc/%s/root" % pid) == ROOT:
                    pids.append(int(pid))
            except OSError:
                pass
    return pids


def end_chroot_processes():
    """Ends what runs inside the chroot (the collector started there): the
    processes whose root directory is the chroot, by process id."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        pids = chroot_pids()
        for pid in pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.time() + 30
        while chroot_pids() and time.time() < deadline:
            time.sleep(0.2)
        if not chroot_pids():
            return


def unmount_all():
    end_chroot_processes()
    for t in mounted_under(ROOT):
        if subprocess.run(["umount", t]).returncode != 0:
            subprocess.run(["umount", "-l", t])
    left = mounted_under(ROOT)
    if left:
        raise AssertionError("still mounted, not removing %s: %s" % (ROOT, left))


def remove_root():
    unmount_all()
    if os.path.lexists(ROOT):
        subprocess.run(["rm", "-rf", "--one-file-system", ROOT], check=True)


def make_root(release, mirror):
    """A fresh minbase root: from the cache when there is one."""
    os.makedirs(WORK, exist_ok=True)
    cached = os.path.join(CACHE, "%s-minbase.tar" % release) if CACHE else ""
    t = time.time()
    if cached and os.path.isfile(cached):
        os.makedirs(ROOT)
        ofinstall.sh(["tar", "-xpf", cached, "-C", ROOT])
        how = "from the cache"
    else:
        p = subprocess.run(["debootstrap", "--variant=minbase", release, ROOT, mirror],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1800)
        if p.returncode != 0:
            raise AssertionError("debootstrap failed:\n" + p.stdout[-4000:])
        how = "by debootstrap"
        if cached:
            os.makedirs(CACHE, exist_ok=True)
            ofinstall.sh(["tar", "-cpf", cached, "-C", ROOT, "."])
    if CACHE:
        for deb in glob.glob(os.path.join(CACHE, "archives", "*.deb")):
            shutil.copy(deb, os.path.join(ROOT, "var/cache/apt/archives"))
    print("fresh %s root %s in %.0f s" % (release, how, time.time() - t))


def prepare_root():
    """DNS, the host's apt fetch settings (proxies, validity checks), no
    service starts from package scripts, and this source tree."""
    if os.path.isfile("/etc/resolv.conf"):
        shutil.copy("/etc/resolv.conf", os.path.join(ROOT, "etc/resolv.conf"))
    for path in glob.glob("/etc/apt/apt.conf.d/*"):
        with open(path) as f:
            if "Acquire::" in f.read():
                shutil.copy(path, os.path.join(ROOT, "etc/apt/apt.conf.d", os.path.basename(path)))
    policy = os.path.join(ROOT, "usr/sbin/policy-rc.d")
    with open(policy, "w") as f:
        f.write("#!/bin/sh\nexit 101\n")
    os.chmod(policy, 0o755)
    dest = ROOT + SRC_IN_ROOT
    for rel in ofinstall.source_files():
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copy2(os.path.join(ofinstall.SOURCE, rel), os.path.join(dest, rel))


def mount_all():
    for target, args in MOUNTS:
        ofinstall.sh(["mount"] + args + [os.path.join(ROOT, target)])


def run_batch(env, what):
    t = time.time()
    cmd = ["chroot", ROOT, "/usr/bin/env", "-i",
           "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root",
           "LANG=C.UTF-8", "TERM=dumb"]
    cmd += ["%s=%s" % kv for kv in sorted(env.items())]
    cmd += ["sh", SRC_IN_ROOT + "/dist/batchdebian.sh"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                       timeout=2400)
    print("%s: exit %d in %.0f s" % (what, p.returncode, time.time() - t))
    tail = p.stdout.splitlines()
    for line in tail if p.returncode else tail[-25:]:
        print("  | " + line)
    if p.returncode != 0:
        log = os.path.join(ROOT, "var/log/ophanimflow.log")
        if os.path.isfile(log):
            with open(log) as f:
                print("ophanimflow.log:\n" + f.read()[-3000:])
        raise AssertionError("%s failed" % what)
    return p.stdout


def digest_tree():
    """Checksums of what the script installs or writes, and of the users."""
    paths = ["usr/local/bin/ophanimflow", "usr/local/sbin/ophanimflow-upgrade",
             "etc/ophanimflow.conf", "etc/ophanimflow-upgrade.conf",
             "usr/local/lib/systemd/system/ophanimflow.service", "etc/init.d/ophanimflow",
             "etc/passwd", "etc/group", "etc/shadow"]
    out = {}
    for p in paths:
        with open(os.path.join(ROOT, p), "rb") as f:
            out[p] = hashlib.sha256(f.read()).hexdigest()
        out[p + " mtime"] = os.stat(os.path.join(ROOT, p)).st_mtime
    link = os.path.join(ROOT, "etc/systemd/system/multi-user.target.wants/ophanimflow.service")
    out["enabled"] = os.readlink(link) if os.path.islink(link) else None
    return out


def daemon_pid():
    with open(os.path.join(ROOT, "run/ophanimflow.pid")) as f:
        return int(f.read())


def service_uid(name="ophanimflow"):
    with open(os.path.join(ROOT, "etc/passwd")) as f:
        for line in f:
            fields = line.split(":")
            if fields[0] == name:
                return int(fields[2])
    return None


def check_first_run(out, ports, fails):
    http = ports["OF_HTTP_PORT"]
    fails.check("Dashboard: http://127.0.0.1:%d/" % http in out, "no dashboard address printed")
    m = re.search(r"^admin password: (\S+)$", out, re.M)
    fails.check(m is not None, "no admin password printed")
    cookie = ofinstall.login(http, "admin", m.group(1)) if m else None
    fails.check(cookie is not None, "the printed admin password does not log in")
    auth = {"Cookie": cookie or ""}
    print("admin password: set by `ophanimflow passwd --random` (%d characters), logs in"
          % len(m.group(1) if m else ""))
    st, body = ofinstall.http_get(http, "/api/v1/status", headers=auth)
    fails.check(st == 200 and b"/var/lib/ophanimflow/ophanimflow.db" in body,
                "status: %d %r" % (st, body[:300]))
    pid = daemon_pid()
    with open("/proc/%d/status" % pid) as f:
        uids = re.search(r"^Uid:\s+(\d+)", f.read(), re.M).group(1)
    uid = service_uid()
    fails.check(uid and int(uids) == uid and uid != 0,
                "the collector runs as uid %s, the service user is %s" % (uids, uid))
    st = os.stat(os.path.join(ROOT, "var/lib/ophanimflow"))
    fails.check(st.st_uid == uid and (st.st_mode & 0o777) == 0o750,
                "the data directory: uid %d mode %o" % (st.st_uid, st.st_mode & 0o777))
    link = os.path.join(ROOT, "etc/systemd/system/multi-user.target.wants/ophanimflow.service")
    fails.check(os.path.islink(link) and os.readlink(link) ==
                "/usr/local/lib/systemd/system/ophanimflow.service", "the unit is not enabled")
    # it collects: a capture's datagrams to its NetFlow port
    dgrams = ofe2e.pcap_datagrams(ofe2e.corpus("softflowd-v5.pcap"))
    ofe2e.send_all(dgrams, socket.AF_INET, ports["OF_COLLECTOR_PORT"])
    got = 0
    deadline = time.time() + 10
    while time.time() < deadline and got < len(dgrams):
        st, body = ofinstall.http_get(http, "/api/v1/status", headers=auth)
        got = sum(p.get("packets", 0) for e in json.loads(body).get("exporters", [])
                  for p in e["protocols"].values())
        time.sleep(1)
    fails.check(got == len(dgrams), "the collector received %d of %d datagrams" % (got, len(dgrams)))
    print("collector: uid %d, answers on 127.0.0.1:%d, received %d datagrams" % (uid, http, got))


def check_unit(fails):
    unit = os.path.join(ROOT, "usr/local/lib/systemd/system/ophanimflow.service")
    with open(unit) as f:
        text = f.read()
    copy = os.path.join(WORK, "ophanimflow.service")
    with open(copy, "w") as f:
        f.write(text.replace("ExecStart=/usr/local/bin/", "ExecStart=%s/usr/local/bin/" % ROOT))
    p = ofinstall.sh(["systemd-analyze", "verify", "--man=no", copy], check=False)
    fails.check(p.returncode == 0 and not p.stdout.strip(),
                "systemd-analyze verify of the installed unit:\n" + p.stdout)


def main():
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    if os.geteuid() != 0:
        raise AssertionError("debootstrap and chroot need root")
    if not shutil.which("debootstrap"):
        raise AssertionError("debootstrap is not installed (scripts/install-deps.sh installs it)")
    t0 = time.time()
    release = codename()
    mirror = host_mirror(release)
    fails = ofe2e.Failures()
    remove_root()  # what a killed run left
    try:
        make_root(release, mirror)
        prepare_root()
        mount_all()
        ports = {"OF_COLLECTOR_PORT": ofe2e.free_udp_port(), "OF_SFLOW_PORT": ofe2e.free_udp_port(),
                 "OF_HTTP_PORT": ofe2e.free_tcp_port(("127.0.0.1",))}
        env = dict(ports, OF_LISTEN_ADDRESS="127.0.0.1", OF_HTTP_LISTEN_ADDRESS="127.0.0.1")
        for k in ("http_proxy", "https_proxy", "no_proxy"):
            if os.environ.get(k):
                env[k] = os.environ[k]
        out = run_batch(env, "batchdebian.sh, first run")
        check_first_run(out, ports, fails)
        check_unit(fails)
        before, pid = digest_tree(), daemon_pid()
        out = run_batch(env, "batchdebian.sh, second run")
        after = digest_tree()
        changed = [k for k in before if before[k] != after[k]]
        fails.check(not changed, "the second run changed %s" % changed)
        fails.check(daemon_pid() == pid, "the second run restarted the collector")
        fails.check("Installing:" not in out and "creating" not in out,
                    "the second run installed or created something:\n" + out)
        fails.check(not re.search(r"^admin password: \S+$", out, re.M),
                    "the second run set a new password")
        fails.check(ofinstall.http_get(ports["OF_HTTP_PORT"], "/")[0] == 200,
                    "no answer after the second run")
        p = ofinstall.sh(["chroot", ROOT, "/etc/init.d/ophanimflow", "stop"], check=False)
        fails.check(p.returncode == 0 and not chroot_pids(), "init script stop: " + p.stdout)
        if CACHE:
            os.makedirs(os.path.join(CACHE, "archives"), exist_ok=True)
            for deb in glob.glob(os.path.join(ROOT, "var/cache/apt/archives/*.deb")):
                shutil.copy(deb, os.path.join(CACHE, "archives"))
    finally:
        unmount_all()
    if not os.environ.get("OF_E2E_KEEP"):
        remove_root()
    print("batch setup test: %.0f s" % (time.time() - t0))
    return fails.done("batchdebian.sh")


if __name__ == "__main__":
    try:
        ofe2e.main(main)
    except Interrupted as e:
        print("interrupted (%s): mounts undone" % e)
        raise SystemExit(1)
