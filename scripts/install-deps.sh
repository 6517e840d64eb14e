#!/bin/sh
# Installs what OphanimFlow needs to build, test and benchmark, from Debian's
# packages. Shared by the README, CI and the setup scripts: one list, one place.
# Usage: scripts/install-deps.sh [--bench]
set -eu

BUILD_PKGS="build-essential cmake pkg-config git ca-certificates python3
libsqlite3-dev libpcap-dev libinih-dev libjansson-dev libmicrohttpd-dev
libgd-dev libfreetype-dev fonts-dejavu-core libcurl4-openssl-dev libsodium-dev"
TEST_PKGS="libcmocka-dev clang libclang-rt-14-dev clang-format sqlite3 softflowd pmacct"
BENCH_PKGS="nfdump wrk"

pkgs="$BUILD_PKGS $TEST_PKGS"
if [ "${1:-}" = "--bench" ]; then
    pkgs="$pkgs $BENCH_PKGS"
fi

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
