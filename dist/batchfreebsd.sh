#!/bin/sh
# OphanimFlow on a fresh FreeBSD host in one command, as root, from a
# source tree: installs the packages with pkg(8), builds, installs (cmake
# --install: /usr/local/bin, /usr/local/etc and the rc.d script), creates
# the user and the store's directory (/var/db/ophanimflow), enables
# (ophanimflow_enable=YES) and starts the service, then prints the
# dashboard's address and the admin password. Running it again changes
# nothing (see dist/batch-common.sh for what each step checks, and the
# environment it takes, e.g. OF_HTTP_PORT=8080).
set -eu
SRC=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=dist/batch-common.sh
. "$SRC/dist/batch-common.sh"

# What building and running need, as Debian's list in scripts/install-deps.sh;
# git and sqlite3 are also what ophanimflow-upgrade uses.
PKGS="cmake pkgconf sqlite3 libpcap inih jansson libmicrohttpd libgd freetype2 dejavu curl
libsodium git"

primary_address() {
    ifconfig -a inet 2>/dev/null | awk '$1 == "inet" && $2 != "127.0.0.1" { print $2; exit }'
}

install_packages() {
    # a fresh system has pkg(8) to bootstrap first; never ask
    ASSUME_ALWAYS_YES=yes
    export ASSUME_ALWAYS_YES
    pkg -N >/dev/null 2>&1 || pkg bootstrap -y
    missing=""
    for p in $PKGS; do
        pkg info -e "$p" || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    say "installing packages:$missing"
    # shellcheck disable=SC2086
    pkg install -y $missing
}

make_user() {
    pw groupshow "$OF_USER" >/dev/null 2>&1 || pw groupadd "$OF_USER"
    pw usershow "$OF_USER" >/dev/null 2>&1 && return 0
    say "creating the system user $OF_USER"
    pw useradd "$OF_USER" -g "$OF_USER" -d "$OF_DATADIR" -s /usr/sbin/nologin \
        -c "OphanimFlow collector"
}

start_service() {
    if [ "$(sysrc -n ophanimflow_enable 2>/dev/null)" != YES ]; then
        sysrc ophanimflow_enable=YES
    fi
    if ! service ophanimflow status >/dev/null 2>&1; then
        service ophanimflow start
    elif [ "$PROGRAM_CHANGED" = yes ] || [ "$CONFIG_CHANGED" = yes ]; then
        service ophanimflow restart
    fi
}

[ "$(id -u)" = 0 ] || die "run me as root"
install_packages
build_and_install
make_user
make_dirs
apply_overrides
set_upgrade_source
admin_password
start_service
report
