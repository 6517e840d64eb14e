#!/bin/sh
# OphanimFlow on a fresh Debian 12 host in one command, as root, from a
# source tree: installs the packages (scripts/install-deps.sh --service),
# builds, installs (cmake --install: /usr/local/bin, /etc, the systemd unit
# and the SysV init script), creates the user and the store's directory,
# enables and starts the service, then prints the dashboard's address and
# the admin password. Running it again changes nothing (see
# dist/batch-common.sh for what each step checks, and the environment it
# takes, e.g. OF_HTTP_PORT=8080).
#
# Without a running systemd (a container, a chroot) the unit is still
# installed and enabled for later, and the collector is started by the init
# script with start-stop-daemon.
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=dist/batch-common.sh
. "$SRC/dist/batch-common.sh"

primary_address() {
    hostname -I 2>/dev/null | awk '{print $1}'
}

make_user() {
    getent passwd "$OF_USER" >/dev/null && return 0
    say "creating the system user $OF_USER"
    useradd --system --user-group --home-dir "$OF_DATADIR" --no-create-home \
        --shell /usr/sbin/nologin --comment "OphanimFlow collector" "$OF_USER"
}

# Enables the unit the way systemctl does (a link in the target's wants),
# also when systemd is not installed yet; and the init script's runlevels.
enable_service() {
    unit="$OF_SYSTEMD_UNITDIR/ophanimflow.service"
    if command -v systemctl >/dev/null 2>&1; then
        systemctl enable --quiet ophanimflow.service 2>/dev/null || {
            mkdir -p /etc/systemd/system/multi-user.target.wants
            ln -sfn "$unit" /etc/systemd/system/multi-user.target.wants/ophanimflow.service
        }
    else
        mkdir -p /etc/systemd/system/multi-user.target.wants
        ln -sfn "$unit" /etc/systemd/system/multi-user.target.wants/ophanimflow.service
    fi
    if command -v update-rc.d >/dev/null 2>&1; then
        update-rc.d ophanimflow defaults >/dev/null 2>&1 || true
    fi
}

# Starts the collector when it is stopped; restarts it when it runs an
# older program or config; otherwise leaves it alone.
start_service() {
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload
        running() { systemctl is-active --quiet ophanimflow.service; }
        service_do() { systemctl "$1" ophanimflow.service; }
    else
        say "systemd is not running: the init script runs ophanimflow"
        running() { "$OF_INITDIR/ophanimflow" status >/dev/null 2>&1; }
        service_do() { "$OF_INITDIR/ophanimflow" "$1"; }
    fi
    if ! running; then
        service_do start
    elif [ "$PROGRAM_CHANGED" = yes ] || [ "$CONFIG_CHANGED" = yes ]; then
        service_do restart
    fi
}

[ "$(id -u)" = 0 ] || die "run me as root"
say "installing packages"
"$SRC/scripts/install-deps.sh" --service
build_and_install
make_user
make_dirs
apply_overrides
set_upgrade_source
enable_service
admin_password
start_service
report
