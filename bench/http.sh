#!/usr/bin/env bash
# bench/http.sh: the HTTP API under load, with wrk.
#
# bench_gen_store writes a store of HOSTS hosts (100,000) with this month's
# totals for each, and a year of 5-minute bins for 10.0.0.1 and 0.0.0.0.
# `ophanimflow run` then serves it with HTTP_THREADS=1 pinned to one core,
# and with HTTP_THREADS=2 on two cores; for each, wrk (DURATION seconds,
# one wrk thread per server core) hits:
#   graph-day   /?module=graph&ip=10.0.0.1    (the day's PNG)
#   graph-year  /?module=graph&ip=10.0.0.1&period=year
#   series      /api/v1/series?ip=10.0.0.1&period=day
#   gettraff    /?module=gettraff             (every host: the billing pull)
# with CONNS connections, gettraff with GT_CONNS (a body of several MB per
# request: more connections would only queue), and prints requests per
# second and latency (average, 99th percentile), after the time and size
# of one gettraff request alone. With one core
# the server has CPU 0 and wrk CPU 1; with two, wrk shares them with the
# server (a two-core machine has no third), which the figures include.
#
# Only processes this script started are stopped, each by its PID.
# Usage: bench/http.sh [BUILD_DIR]     (default: ./build)
# Environment: HOSTS (100000), DURATION (10), CONNS (16), GT_CONNS (2),
# KEEP (0: remove the scratch directory).
set -euo pipefail

BUILD=${1:-${BUILD:-build}}
OF=$BUILD/ophanimflow
GEN=$BUILD/bench/bench_gen_store
HOSTS=${HOSTS:-100000}
DURATION=${DURATION:-10}
CONNS=${CONNS:-16}
GT_CONNS=${GT_CONNS:-2}
KEEP=${KEEP:-0}
NCPU=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)

for tool in wrk curl taskset; do
    command -v "$tool" >/dev/null || { echo "http.sh: $tool is needed" >&2; exit 1; }
done
[ -x "$OF" ] && [ -x "$GEN" ] || { echo "http.sh: build ophanimflow and bench_gen_store in $BUILD" >&2; exit 1; }

dir=$(mktemp -d /tmp/of-bench-http-XXXXXX)
pid=""
cleanup() {
    if [ -n "$pid" ]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    [ "$KEEP" = 1 ] || rm -rf "$dir"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

echo "store: $HOSTS hosts; build $(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD/CMakeCache.txt" 2>/dev/null)," \
    "$NCPU cores, load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
"$GEN" "$dir/of.db" "$HOSTS"

# One run of wrk; prints "req/s avg p99".
run_wrk() { # url, wrk threads, cpu list, connections[, header]
    local out
    local hdr=()
    [ -n "${5:-}" ] && hdr=(-H "$5")
    out=$(taskset -c "$3" wrk -t"$2" -c"$4" -d"${DURATION}s" --timeout 10s --latency "${hdr[@]}" "$1")
    local rps avg p99
    rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
    avg=$(awk '$1 == "Latency" {print $2; exit}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    local errs
    errs=$(awk '/Non-2xx|Socket errors/' <<<"$out")
    printf '%10s req/s   avg %8s   p99 %8s   %s\n' "$rps" "$avg" "$p99" "$errs"
}

serve() { # threads, cpu list of the server, cpu list of wrk
    local threads=$1 cpus=$2 wcpus=$3 port
    port=$(free_port)
    cat >"$dir/of.conf" <<EOF
COLLECTOR_PORT=$(free_port)
SFLOW_PORT=$(free_port)
LISTEN_ADDRESS=127.0.0.1
WORKERS=1
HTTP_PORT=$port
HTTP_LISTEN_ADDRESS=127.0.0.1
HTTP_THREADS=$threads
HTTP_MAX_CONNECTIONS=1024
[networks]
net = 10.0.0.0/8
EOF
    taskset -c "$cpus" "$OF" run -c "$dir/of.conf" --db "$dir/of.db" >"$dir/run.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
        grep -q "http: listening" "$dir/run.log" && break
        sleep 0.1
    done
    local base="http://127.0.0.1:$port"
    # /api/v1/ needs a login: an API token made by the first start's admin
    # (the store keeps the token, so later runs find admin made already).
    if [ -z "${token:-}" ]; then
        local pw csrf
        pw=$(sed -n 's/.*created user admin with password \([^ ]*\) .*/\1/p' "$dir/run.log")
        curl -s -c "$dir/jar" -H 'Content-Type: application/json' \
            -d "{\"user\":\"admin\",\"password\":\"$pw\"}" "$base/api/v1/login" >"$dir/login.json"
        csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf"])' "$dir/login.json")
        token=$(curl -s -b "$dir/jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
            -d '{"name":"bench"}' "$base/api/v1/tokens" |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
    fi
    echo "--- server: $threads HTTP thread(s) on CPU $cpus, wrk on CPU $wcpus, ${DURATION}s per URL"
    local one
    one=$(curl -s -o "$dir/traff.json" -w '%{time_total} s, %{size_download} bytes' "$base/?module=gettraff")
    echo "gettraff alone: $one, $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$dir/traff.json") hosts"
    printf '%-11s' graph-day
    run_wrk "$base/?module=graph&ip=10.0.0.1" "$threads" "$wcpus" "$CONNS"
    printf '%-11s' graph-year
    run_wrk "$base/?module=graph&ip=10.0.0.1&period=year" "$threads" "$wcpus" "$CONNS"
    printf '%-11s' series
    run_wrk "$base/api/v1/series?ip=10.0.0.1&period=day" "$threads" "$wcpus" "$CONNS" \
        "Authorization: Bearer $token"
    printf '%-11s' gettraff
    run_wrk "$base/?module=gettraff" "$threads" "$wcpus" "$GT_CONNS"
    kill "$pid"
    wait "$pid" || true
    pid=""
}

if [ "$NCPU" -ge 2 ]; then
    serve 1 0 1
    serve 2 0,1 0,1
else
    serve 1 0 0
fi
