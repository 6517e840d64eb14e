#!/bin/sh
# Installs what OphanimFlow needs to build, test and benchmark, from Debian's
# packages. Shared by the README, CI and the setup scripts: one list, one place.
# Usage: scripts/install-deps.sh [--service | --bench]
#   (nothing)  building, running and testing (what CI needs)
#   --service  building and running as a service only (dist/batchdebian.sh)
#   --bench    everything, and the benchmarks' tools
set -eu

BUILD_PKGS="build-essential cmake pkg-config git ca-certificates python3
libsqlite3-dev libpcap-dev libinih-dev libjansson-dev libmicrohttpd-dev
libgd-dev libfreetype-dev fonts-dejavu-core libcurl4-openssl-dev libsodium-dev"
# ophanimflow-upgrade backs the store up with sqlite3 and asks the new
# version over HTTP with curl.
RUN_PKGS="sqlite3 curl"
# debootstrap: the batch setup test's fresh Debian; mandoc: the man pages'
# lint; systemd: systemd-analyze verify of the unit.
TEST_PKGS="libcmocka-dev clang libclang-rt-14-dev clang-format softflowd pmacct
debootstrap mandoc shellcheck systemd"
BENCH_PKGS="nfdump wrk"

case "${1:-}" in
"") pkgs="$BUILD_PKGS $RUN_PKGS $TEST_PKGS" ;;
--service) pkgs="$BUILD_PKGS $RUN_PKGS" ;;
--bench) pkgs="$BUILD_PKGS $RUN_PKGS $TEST_PKGS $BENCH_PKGS" ;;
*)
    echo "usage: $0 [--service | --bench]" >&2
    exit 2
    ;;
esac

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

missing=""
for p in $pkgs; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
