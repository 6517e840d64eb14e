#!/usr/bin/env bash
# bench/hosts.sh: what the number of active hosts costs, ophanimflow side by
# side with nfdump's nfcapd and pmacct's nfacctd.
#
# For each host count (HOSTS: 1,000 to 1,000,000 local hosts in 10.0.0.0/12)
# and each collector, bench_flowsend sends RATE records per second for
# SECONDS over loopback to a freshly started collector, with a ring of
# datagrams large enough that every host shows up several times (so the
# hosts are active, not merely possible). Then the collector is told to stop
# at once, and the script reports:
#   loss      1 - counted / sent bytes (counted as in bench/ingest.sh), and
#             the kernel's drops on the socket;
#   CPU       the collector's CPU time (all its processes) over the sending
#             time, in % of one core;
#   RSS       its peak resident memory (all its processes);
#   catch-up  seconds from the stop signal to the exit: the time it needs to
#             write what it holds when the traffic ends.
# Each pair runs RUNS times; the table at the end gives the medians. Every
# collector gets the same socket buffer (RCVBUF; run as root, the script
# raises net.core.rmem_max to it for the run), the same sender and the same
# local network, and each step prints the buffer the kernel granted.
#
# Only processes this script started are stopped, each by its PID. Usage:
#   bench/hosts.sh [BUILD_DIR]        (default: ./build)
# Environment: HOSTS ("1000 10000 100000 1000000"), RATE (1000000),
#   SECONDS_EACH (15), RUNS (3), PROTO (v5), COLLECTORS ("ophanimflow
#   nfcapd nfacctd"), RCVBUF (33554432), FLUSH_SECONDS (5), OF_WORKERS,
#   KEEP (0).
set -u

BUILD=${1:-${BUILD:-build}}
OF=$BUILD/ophanimflow
SEND=$BUILD/bench/bench_flowsend
HOSTS=${HOSTS:-"1000 10000 100000 1000000"}
RATE=${RATE:-1000000}
SECONDS_EACH=${SECONDS_EACH:-15}
RUNS=${RUNS:-3}
PROTO=${PROTO:-v5}
COLLECTORS=${COLLECTORS:-"ophanimflow nfcapd nfacctd"}
RCVBUF=${RCVBUF:-33554432}
FLUSH_SECONDS=${FLUSH_SECONDS:-5}
OF_WORKERS=${OF_WORKERS:-}
KEEP=${KEEP:-0}
NET=10.0.0.0/12
RUN_COLL=()

for f in "$OF" "$SEND"; do
    if [ ! -x "$f" ]; then
        echo "hosts.sh: $f not found; build first (make ophanimflow bench_flowsend)" >&2
        exit 2
    fi
done

# shellcheck source=bench/collectors.sh
source "$(dirname "$0")/collectors.sh"
scratch_dir hosts

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# Datagrams in the sender's ring: about three records per host per pass.
ring_for() {
    local d=$(($1 / 10))
    [ "$d" -lt 4096 ] && d=4096
    echo "$d"
}

# run_one COLLECTOR HOSTS: one run; prints "loss drops cpu rss_mb catchup rb".
run_one() {
    local coll=$1 hosts=$2 dir port pid out t0 t1 c0 c1 rss drops counted sent secs sig rb
    dir=$(mktemp -d "$TMP/$coll-$hosts.XXXX")
    port=$(free_port)
    NFACCTD_CACHE=$((2 * hosts + 1)) # one entry per host and direction
    start_"$coll" "$dir" "$port" "$RCVBUF"
    pid=$COLL_PID
    PIDS="$PIDS $pid"
    if ! wait_bound "$port"; then
        echo "hosts.sh: $coll did not bind port $port; see $dir/log" >&2
        kill -KILL "$pid" 2>/dev/null
        echo "- - - - - -"
        return
    fi
    sleep 0.5 # nfacctd starts its plugins after binding
    rb=$(granted_rcvbuf "$port")
    c0=$(tree_ticks "$pid")
    out=$("$SEND" --proto "$PROTO" --port "$port" --rate "$RATE" --seconds "$SECONDS_EACH" \
        --hosts "$hosts" --datagrams "$(ring_for "$hosts")")
    c1=$(tree_ticks "$pid")
    rss=$(tree_peak_kb "$pid")
    drops=$(kernel_drops "$port")
    sig=$(stop_signal "$coll")
    t0=$(now)
    kill -"$sig" "$pid" 2>/dev/null
    reap "$pid" 300
    t1=$(now)
    [ "$coll" = nfacctd ] && sleep 0.5 # its plugin writes the last purge as it exits
    counted=$(counted_"$coll" "$dir")
    sent=$(kv bytes "$out")
    secs=$(kv seconds "$out")
    awk -v s="${sent:-0}" -v c="${counted:-0}" -v d="$drops" -v t0="$c0" -v t1="$c1" \
        -v hz="$(getconf CLK_TCK)" -v secs="${secs:-1}" -v rss="$rss" -v cu="$(elapsed "$t0" "$t1")" \
        -v rb="${rb:-?}" 'BEGIN {
            loss = s > 0 ? 100 * (1 - c / s) : 100
            printf "%.3f %d %.0f %.0f %s %s\n", loss, d, 100 * (t1 - t0) / hz / secs, rss / 1024, cu, rb
        }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'; }

raise_rmem_max "$RCVBUF"
echo "active hosts: protocol $PROTO at $RATE records/s for ${SECONDS_EACH} s, $RUNS runs each," \
    "writes every ${FLUSH_SECONDS} s"
echo "build $(build_type "$BUILD"), $(nproc 2>/dev/null || echo '?') cores, load average" \
    "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null), socket buffer asked $RCVBUF bytes" \
    "(net.core.rmem_max now $(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo '?'))"
echo
printf '%-12s %9s %4s %9s %9s %6s %8s %9s %10s\n' collector hosts run "loss %" "drops" "CPU %" \
    "RSS MB" "catch-up" "rcvbuf"
declare -A RES
for hosts in $HOSTS; do
    for coll in $COLLECTORS; do
        if [ "$coll" != ophanimflow ] && ! command -v "$coll" >/dev/null; then
            continue
        fi
        for run in $(seq "$RUNS"); do
            r=$(run_one "$coll" "$hosts")
            # shellcheck disable=SC2086 # six numbers, split on purpose
            set -- $r
            printf '%-12s %9s %4s %9s %9s %6s %8s %9s %10s\n' "$coll" "$hosts" "$run" "$1" "$2" \
                "$3" "$4" "$5" "$6"
            RES[$coll/$hosts]+="$r"$'\n'
        done
    done
done

echo
echo "medians of $RUNS runs:"
printf '%-12s %9s %9s %9s %6s %8s %9s\n' collector hosts "loss %" "drops" "CPU %" "RSS MB" \
    "catch-up"
for hosts in $HOSTS; do
    for coll in $COLLECTORS; do
        rows=${RES[$coll/$hosts]:-}
        [ -n "$rows" ] || continue
        m=()
        for col in 1 2 3 4 5; do
            m+=("$(printf '%s' "$rows" | awk -v c="$col" 'NF { print $c }' | median)")
        done
        printf '%-12s %9s %9s %9s %6s %8s %9s\n' "$coll" "$hosts" "${m[@]}"
    done
done
