"""The man pages: mandoc renders ophanimflow(8), ophanimflow.conf(5) and
ophanimflow-upgrade(8) without a warning (`mandoc -T lint -W warning`), and
they document everything there is:

- ophanimflow(8): every subcommand of src/cli/main.c, every long option of
  src/cli/*.c (getopt_long tables and the common options), every short
  option letter of their getopt strings, and the signals the daemon handles
  (src/daemon/daemon.c);
- ophanimflow.conf(5): every option of src/config/config.c's table and of
  docs/config.md's, and its two sections;
- ophanimflow-upgrade(8): every option and OF_UPGRADE_* variable of
  dist/ophanimflow-upgrade.in."""
import glob
import os
import re
import shutil

import ofinstall
from ofinstall import ofe2e

SRC = ofinstall.SOURCE
MAN = os.path.join(ofinstall.BUILD, "man")


def read(*parts):
    with open(os.path.join(*parts)) as f:
        return f.read()


def render(page):
    """The page as plain text, hyphenation and formatting undone."""
    p = ofinstall.sh(["mandoc", "-T", "ascii", "-O", "width=400", os.path.join(MAN, page)])
    return re.sub(r".\x08", "", p.stdout)


def cli_options():
    longs, shorts = set(), set()
    for path in glob.glob(os.path.join(SRC, "src", "cli", "*.[ch]")):
        text = read(path)
        longs |= set(re.findall(r'\{\s*"([a-z][a-z-]*)",\s*(?:no|required|optional)_argument', text))
        for optstring in re.findall(r'getopt_long\([^"]*"([^"]*)"', text):
            shorts |= set(optstring.replace(":", ""))
    return longs, shorts


def subcommands():
    return re.findall(r'\{"([a-z]+)", cmd_[a-z]+,', read(SRC, "src", "cli", "main.c"))


def signals():
    return set(re.findall(r"sigaddset\([^,]+,\s*(SIG[A-Z]+)\)", read(SRC, "src", "daemon", "daemon.c")))


def config_options():
    table = set(re.findall(r'OPT\("([A-Z_]+)"', read(SRC, "src", "config", "config.c")))
    doc = set(re.findall(r"^\| `([A-Z_]+)` \|", read(SRC, "docs", "config.md"), re.M))
    return table | doc


def upgrade_options():
    text = read(SRC, "dist", "ophanimflow-upgrade.in")
    opts = set(re.findall(r"^\s*(--[a-z-]+)(?: \| -h)?\)", text, re.M))
    envs = set(re.findall(r"\b(OF_UPGRADE_[A-Z_]+)", text))
    return opts, envs


def main():
    fails = ofe2e.Failures()
    if not shutil.which("mandoc"):
        raise AssertionError("mandoc is not installed (scripts/install-deps.sh installs it)")
    pages = ["ophanimflow.8", "ophanimflow.conf.5", "ophanimflow-upgrade.8"]
    for page in pages:
        p = ofinstall.sh(["mandoc", "-T", "lint", "-W", "warning", os.path.join(MAN, page)],
                         check=False)
        fails.check(p.returncode == 0 and not p.stdout.strip(), "%s: mandoc lint:\n%s" % (page, p.stdout))
    man8, man5, upgrade = (render(p) for p in pages)
    longs, shorts = cli_options()
    for name in subcommands():
        fails.check(re.search(r"^\s+%s\b" % name, man8, re.M), "ophanimflow(8): no subcommand %s" % name)
    for opt in sorted(longs):
        fails.check("--" + opt in man8, "ophanimflow(8): no --%s" % opt)
    for opt in sorted(shorts):
        fails.check(re.search(r"(^|[\s,\[])-%s\b" % opt, man8, re.M), "ophanimflow(8): no -%s" % opt)
    for sig in sorted(signals()):
        fails.check(sig in man8, "ophanimflow(8): no %s" % sig)
    for opt in sorted(config_options()):
        fails.check(re.search(r"\b%s=" % opt, man5), "ophanimflow.conf(5): no %s" % opt)
    for section in ("[networks]", "[classes]"):
        fails.check(section in man5, "ophanimflow.conf(5): no %s section" % section)
    opts, envs = upgrade_options()
    for opt in sorted(opts | envs):
        fails.check(opt in upgrade, "ophanimflow-upgrade(8): no %s" % opt)
    etc = ofinstall.layout()["SYSCONFDIR"]
    fails.check(etc + "/ophanimflow.conf" in man8 and etc + "/ophanimflow.conf" in man5,
                "the pages do not name the build's config file %s/ophanimflow.conf" % etc)
    print("3 pages lint-clean; %d subcommands, %d long and %d short options, %d signals, "
          "%d config options, %d upgrade options documented" % (
              len(subcommands()), len(longs), len(shorts), len(signals()),
              len(config_options()), len(opts | envs)))
    return fails.done("man pages")


if __name__ == "__main__":
    ofe2e.main(main)
