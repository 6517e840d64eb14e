"""The service files and setup scripts as the build makes them.

- The systemd unit passes `systemd-analyze verify` without a warning (on a
  copy that runs the built program, since nothing is installed here), has
  the hardening the service relies on, and `systemd-analyze security`
  rates it well exposed at most 2.0 of 10.
- The FreeBSD rc.d script follows rc.subr's conventions (headers, name,
  rcvar, load_rc_config before the defaults, run_rc_command, daemon(8)
  with a pid file, ophanimflow_enable NO by default), and run against a
  stand-in rc.subr it starts what rc.conf asks for.
- Every shell script parses (sh -n and dash -n) and, where shellcheck is
  installed, passes it.
- The layouts: a tree configured for FreeBSD puts the config under
  /usr/local/etc and the store under /var/db/ophanimflow, one for Linux
  under /etc and /var/lib/ophanimflow, in the program and in every service
  file."""
import os
import re
import shutil

import ofinstall
from ofinstall import ofe2e

DIST = os.path.join(ofinstall.BUILD, "dist")
HARDENING = ["NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
             "PrivateDevices=yes", "CapabilityBoundingSet=", "RestrictAddressFamilies=",
             "SystemCallFilter=@system-service", "User=ophanimflow", "Group=ophanimflow"]


def check_unit(fails):
    unit = os.path.join(DIST, "ophanimflow.service")
    with open(unit) as f:
        text = f.read()
    for h in HARDENING:
        fails.check(re.search(r"^" + re.escape(h), text, re.M), "unit: no %s" % h)
    datadir = ofinstall.layout()["DATADIR"]
    fails.check(("StateDirectory=" + os.path.basename(datadir) in text
                 if datadir.startswith("/var/lib/") else "ReadWritePaths=" + datadir in text),
                "unit: the store's directory %s is not its writable one" % datadir)
    copy = os.path.join(ofe2e.tmpdir(), "ophanimflow.service")
    with open(copy, "w") as f:
        f.write(re.sub(r"^ExecStart=\S+", "ExecStart=" + os.path.abspath(ofe2e.BIN), text,
                       flags=re.M))
    p = ofinstall.sh(["systemd-analyze", "verify", "--man=no", copy], check=False)
    fails.check(p.returncode == 0 and p.stdout.strip() == "",
                "systemd-analyze verify: exit %d\n%s" % (p.returncode, p.stdout))
    p = ofinstall.sh(["systemd-analyze", "security", "--offline=yes", "--no-pager", copy],
                     check=False)
    m = re.search(r"Overall exposure level for \S+: ([0-9.]+)", p.stdout)
    fails.check(m and float(m.group(1)) <= 2.0,
                "systemd-analyze security: %s" % (m.group(0) if m else p.stdout[-1000:]))
    print("unit: verified, exposure %s" % (m.group(1) if m else "?"))


STUB_RC_SUBR = r'''
load_rc_config() { LOADED=$1; [ -r "$RC_CONF" ] && . "$RC_CONF"; return 0; }
run_rc_command() {
    eval "enabled=\${$rcvar}"
    printf 'verb=%s\nloaded=%s\nname=%s\nenabled=%s\ncommand=%s\nprocname=%s\n' \
        "$1" "$LOADED" "$name" "$enabled" "$command" "$procname"
    printf 'args=%s\npidfile=%s\nrequired=%s\nextra=%s\nprecmd=%s\n' \
        "$command_args" "$pidfile" "$required_files" "$extra_commands" "$start_precmd"
}
'''


def run_rc(script, rc_conf):
    p = ofinstall.sh(["sh", script, "start"], env={"RC_CONF": rc_conf})
    return dict(line.split("=", 1) for line in p.stdout.splitlines() if "=" in line)


def check_rc_d(fails):
    path = os.path.join(DIST, "rc.d", "ophanimflow")
    with open(path) as f:
        text = f.read()
    lay = ofinstall.layout()
    for pattern in [r"^# PROVIDE: ophanimflow$", r"^# REQUIRE: .*\bLOGIN\b", r"^# KEYWORD: .*shutdown",
                    r"^\. /etc/rc\.subr$", r'^name="ophanimflow"$', r'^rcvar="ophanimflow_enable"$',
                    r'^load_rc_config "\$name"$', r'^: "\$\{ophanimflow_enable:=NO\}"$',
                    r'^: "\$\{ophanimflow_config:=', r'^run_rc_command "\$1"$',
                    r'^command="/usr/sbin/daemon"$']:
        fails.check(re.search(pattern, text, re.M), "rc.d: no line like %s" % pattern)
    fails.check(text.index("load_rc_config") < text.index(": \"${ophanimflow_enable"),
                "rc.d: the defaults come before load_rc_config (rc.conf could not override them)")
    scratch = ofe2e.tmpdir()
    stub = os.path.join(scratch, "rc.subr")
    with open(stub, "w") as f:
        f.write(STUB_RC_SUBR)
    script = os.path.join(scratch, "ophanimflow")
    with open(script, "w") as f:
        f.write(text.replace(". /etc/rc.subr", ". " + stub))
    got = run_rc(script, "/nonexistent")
    conf = lay["SYSCONFDIR"] + "/ophanimflow.conf"
    pidfile = lay["RUNDIR"] + "/ophanimflow/ophanimflow.pid"
    fails.check(got.get("enabled") == "NO" and got.get("loaded") == "ophanimflow",
                "rc.d: not NO by default, or rc.conf not loaded: %s" % got)
    args = got.get("args", "")
    fails.check(lay["BINDIR"] + "/ophanimflow run --syslog -c " + conf in args
                and "-P " + pidfile in args and got.get("pidfile") == pidfile
                and got.get("required") == conf and "reload" in got.get("extra", ""),
                "rc.d: default start: %s" % got)
    rc_conf = os.path.join(scratch, "rc.conf")
    with open(rc_conf, "w") as f:
        f.write('ophanimflow_enable="YES"\nophanimflow_config="/srv/of.conf"\n'
                'ophanimflow_options="-v"\n')
    got = run_rc(script, rc_conf)
    fails.check(got.get("enabled") == "YES" and "run --syslog -c /srv/of.conf -v" in got["args"]
                and got.get("required") == "/srv/of.conf", "rc.d: with rc.conf: %s" % got)
    print("rc.d: conventions and rc.conf settings ok")


def check_scripts(fails):
    src = ofinstall.SOURCE
    scripts = [os.path.join(src, "dist", n) for n in ("batchdebian.sh", "batchfreebsd.sh",
                                                      "batch-common.sh")]
    scripts += [os.path.join(src, "scripts", "install-deps.sh"),
                os.path.join(DIST, "ophanimflow-upgrade"), os.path.join(DIST, "rc.d", "ophanimflow"),
                os.path.join(DIST, "init.d", "ophanimflow"), os.path.join(DIST, "layout.sh")]
    shells = [s for s in ("sh", "dash") if shutil.which(s)]
    for path in scripts:
        for shell in shells:
            p = ofinstall.sh([shell, "-n", path], check=False)
            fails.check(p.returncode == 0, "%s -n %s:\n%s" % (shell, path, p.stdout))
    if shutil.which("shellcheck"):
        p = ofinstall.sh(["shellcheck", "-s", "sh", "-x"] + scripts, check=False, cwd=src)
        fails.check(p.returncode == 0, "shellcheck:\n" + p.stdout[-4000:])
        print("%d scripts: %s -n and shellcheck ok" % (len(scripts), "/".join(shells)))
    else:
        print("%d scripts: %s -n ok (no shellcheck here)" % (len(scripts), "/".join(shells)))


def configure(layout_name):
    d = os.path.join(ofe2e.tmpdir(), "build")
    ofinstall.sh(["cmake", "-S", ofinstall.SOURCE, "-B", d, "-DOF_LAYOUT=" + layout_name,
                  "-DCMAKE_INSTALL_PREFIX=/usr/local", "-DOF_TESTS=OFF", "-DOF_BENCH=OFF"])
    return d


def check_layouts(fails):
    want = {"FreeBSD": ("/usr/local/etc", "/var/db/ophanimflow", "/var/run"),
            "Linux": ("/etc", "/var/lib/ophanimflow", "/run")}
    for name, (etc, data, run) in want.items():
        d = configure(name)
        lay = ofinstall.layout(d)
        fails.check((lay["SYSCONFDIR"], lay["DATADIR"], lay["RUNDIR"]) == (etc, data, run),
                    "%s layout: %s" % (name, lay))
        with open(os.path.join(d, "generated", "util", "paths.h")) as f:
            paths = f.read()
        fails.check('"%s/ophanimflow.conf"' % etc in paths
                    and '"%s/ophanimflow.db"' % data in paths, "%s paths.h:\n%s" % (name, paths))
        service = os.path.join(d, "dist", "rc.d" if name == "FreeBSD" else "init.d", "ophanimflow")
        with open(service) as f:
            text = f.read()
        fails.check(etc + "/ophanimflow.conf" in text and data in text and run in text,
                    "%s: %s lacks the layout's paths" % (name, service))
        with open(os.path.join(d, "man", "ophanimflow.conf.5")) as f:
            fails.check(data + "/ophanimflow.db" in f.read(), "%s: man page paths" % name)
    print("layouts: Linux and FreeBSD paths ok")


def main():
    fails = ofe2e.Failures()
    check_unit(fails)
    check_rc_d(fails)
    check_scripts(fails)
    check_layouts(fails)
    return fails.done("service files")


if __name__ == "__main__":
    ofe2e.main(main)
