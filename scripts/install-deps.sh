#!/bin/sh
# Installs what OphanimFlow needs to build, test and benchmark, from Debian's
# packages, and the browser tests' npm packages as tests/browser's
# package-lock.json pins them. Shared by the README, CI and the setup
# scripts: one list, one place.
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
# clang-format and clang-tidy: scripts/check-style.sh; debootstrap: the
# batch setup test's fresh Debian; mandoc: the man pages' lint; systemd:
# systemd-analyze verify of the unit; chromium: the dashboard's browser
# tests.
TEST_PKGS="libcmocka-dev clang libclang-rt-14-dev clang-format clang-tidy softflowd pmacct
debootstrap mandoc shellcheck systemd chromium"
# The browser tests run node; a node installed otherwise will do.
if ! command -v node >/dev/null 2>&1; then
    TEST_PKGS="$TEST_PKGS nodejs npm"
fi
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
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# playwright-core for the browser tests (it drives the chromium above and
# downloads no browser of its own), again when the lock file changed.
[ "${1:-}" = "--service" ] && exit 0
cd "$(dirname "$0")/../tests/browser"
if [ ! -f node_modules/.package-lock.json ] ||
    [ -n "$(find package-lock.json -newer node_modules/.package-lock.json)" ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
