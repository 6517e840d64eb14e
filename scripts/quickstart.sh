#!/bin/sh
# Installs what is needed, builds, and starts the collector in the
# foreground on its defaults (NetFlow/IPFIX on UDP 42112, sFlow on UDP 6343)
# with the example config and a store in ./data. Ctrl-C stops it cleanly.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)"
mkdir -p data
exec build/ophanimflow run -c dist/ophanimflow.conf.example --db data/ophanimflow.db "$@"
