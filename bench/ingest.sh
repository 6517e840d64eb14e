#!/usr/bin/env bash
# bench/ingest.sh: loopback ingest, ophanimflow side by side with pmacct's
# nfacctd and nfdump's nfcapd.
#
# For each collector, bench_flowsend sends to it over loopback at a rising
# rate (records per second), each step for STEP_SECONDS to a freshly started
# collector. After the step the collector is stopped cleanly and what it
# counted is read back from its own output: ophanimflow's per-host monthly
# totals (`ophanimflow traff`), nfacctd's print plugin CSV (per-host
# aggregates), nfcapd's flow file (`nfdump -I`). A step is loss-free when the
# counted bytes equal the bytes the sender got into the kernel and the
# kernel's drop counter for the socket (/proc/net/udp) stayed at 0. The
# highest loss-free rate is the figure; the last step sends as fast as the
# sender can, so a collector that passes it is limited by the sender, not by
# itself. After the first lossy step, REFINE steps bisect between the last
# good and the first bad rate, and the best rate is run once more to
# confirm it.
#
# Every collector gets the same socket buffer (RCVBUF bytes; the kernel
# doubles it, and caps what unprivileged processes get at net.core.rmem_max),
# the same local network (10.0.0.0/16), no sampling renormalization, and
# writes what it counted every FLUSH_SECONDS (5) during the step
# (ophanimflow's FLUSH_INTERVAL, whose default is 10; nfacctd's
# print_refresh_time; nfcapd writes as it goes), so that the store's work is
# part of what is measured: each step lasts longer than one interval. nfacctd is tuned as
# its documentation advises for heavy load (a 256 MiB plugin pipe in 64 KiB
# buffers, a cache sized for the hosts) and also run as configured by
# default (NFACCTD_UNTUNED=0 skips that). Run as root, the script raises
# net.core.rmem_max to RCVBUF for the run (ophanimflow forces its buffer
# past that limit, the others cannot), and each step prints the buffer the
# kernel granted. OF_DEFAULT_RUN=1 runs ophanimflow once more with its own
# default buffer (32 MiB), which the others do not get. PIN=1 pins the collector to all CPUs but
# the last and the sender to the last one (taskset).
#
# Only processes this script started are stopped, each by its PID. Usage:
#   bench/ingest.sh [BUILD_DIR]        (default: ./build)
# Environment: PROTO (v5; v9, ipfix too; sflow for ophanimflow only),
#   COLLECTORS ("ophanimflow nfacctd nfcapd"), RATES, STEP_SECONDS (8),
#   FLUSH_SECONDS (5), RCVBUF (4194304), REFINE (2), CONFIRM (1), OF_WORKERS,
#   HOSTS (65536: local hosts the sender spreads the flows over),
#   OF_DEFAULT_RUN (0),
#   NFACCTD_UNTUNED (1), PIN (0), MAX_SECONDS (570: no step starts later; the
#   defaults take about 7 minutes), KEEP (0: remove the scratch directory).
set -u

BUILD=${1:-${BUILD:-build}}
OF=$BUILD/ophanimflow
SEND=$BUILD/bench/bench_flowsend
HOSTS=${HOSTS:-65536}
export NFACCTD_CACHE=${NFACCTD_CACHE:-$((2 * HOSTS + 1))} # one entry per host and direction
PROTO=${PROTO:-v5}
COLLECTORS=${COLLECTORS:-"ophanimflow nfacctd nfcapd"}
RATES=${RATES:-"200000 400000 800000 1600000 3200000 6400000 12800000 0"}
STEP_SECONDS=${STEP_SECONDS:-8}
FLUSH_SECONDS=${FLUSH_SECONDS:-5}
RCVBUF=${RCVBUF:-4194304}
REFINE=${REFINE:-2}
CONFIRM=${CONFIRM:-1}
OF_WORKERS=${OF_WORKERS:-}
OF_DEFAULT_RUN=${OF_DEFAULT_RUN:-0}
NFACCTD_UNTUNED=${NFACCTD_UNTUNED:-1}
PIN=${PIN:-0}
MAX_SECONDS=${MAX_SECONDS:-570}
KEEP=${KEEP:-0}
NET=10.0.0.0/16

for f in "$OF" "$SEND"; do
    if [ ! -x "$f" ]; then
        echo "ingest.sh: $f not found; build first (make ophanimflow bench_flowsend)" >&2
        exit 2
    fi
done

# With PIN=1: the collector on CPUs 0..n-2, the sender on CPU n-1.
RUN_COLL=()
RUN_SEND=()
if [ "$PIN" = 1 ]; then
    ncpu=$(nproc)
    if [ "$ncpu" -ge 2 ] && command -v taskset >/dev/null; then
        RUN_COLL=(taskset -c "0-$((ncpu - 2))")
        RUN_SEND=(taskset -c "$((ncpu - 1))")
    else
        echo "ingest.sh: PIN=1 needs taskset and 2 CPUs; not pinning" >&2
    fi
fi

# shellcheck source=bench/collectors.sh
source "$(dirname "$0")/collectors.sh"
scratch_dir ingest

# --- one step

# step NAME COLLECTOR RCVBUF RATE: runs one step; sets STEP (achieved
# rate, bytes sent, bytes counted, kernel drops) and returns 0 when nothing
# was lost.
step() {
    local name=$1 coll=$2 buf=$3 rate=$4 dir port pid out sent counted drops achieved
    STEP="0 0 0 0"
    if [ "$SECONDS" -ge "$MAX_SECONDS" ]; then
        echo "ingest.sh: MAX_SECONDS ($MAX_SECONDS) reached; step skipped" >&2
        STEP="-"
        return 2
    fi
    dir=$(mktemp -d "$TMP/$name-$rate.XXXX")
    port=$(free_port)
    start_"$coll" "$dir" "$port" "$buf"
    pid=$COLL_PID
    PIDS="$PIDS $pid"
    if ! wait_bound "$port"; then
        echo "ingest.sh: $name did not bind port $port; see $dir/log" >&2
        stop_"$coll" "$dir" "$pid"
        return 1
    fi
    STEP_RB=$(granted_rcvbuf "$port")
    local dport=$port
    if [ "$PROTO" = sflow ] && [ -f "$dir/sflow_port" ]; then
        dport=$(cat "$dir/sflow_port")
        wait_bound "$dport"
    fi
    out=$("${RUN_SEND[@]}" "$SEND" --proto "$PROTO" --port "$dport" --rate "$rate" --seconds "$STEP_SECONDS" \
        --hosts "$HOSTS")
    sleep 1 # let the collector empty its socket before the counter is read
    drops=$(kernel_drops "$port")
    stop_"$coll" "$dir" "$pid"
    counted=$(counted_"$coll" "$dir")
    sent=$(kv bytes "$out")
    achieved=$(kv rate "$out")
    STEP="${achieved:-0} ${sent:-0} ${counted:-0} ${drops:-0}"
    [ -n "$sent" ] && [ "$sent" != 0 ] && [ "$counted" = "$sent" ] && [ "$drops" = 0 ]
}

fmt_rate() { awk -v r="$1" 'BEGIN { printf "%.3f M", r / 1e6 }'; }

# A count above what was sent (negative loss) fails the step too: it is
# marked OVER.
report_step() { # report_step NAME TARGET "achieved sent counted drops" OK
    local name=$1 target=$2 ok=$4 verdict=ok
    # shellcheck disable=SC2086 # the four numbers are meant to be split
    set -- $3
    local loss
    loss=$(awk -v s="$2" -v c="$3" 'BEGIN { if (s > 0) printf "%.4f", 100 * (1 - c / s); else print "-" }')
    if [ "$ok" != 0 ]; then
        verdict=$(awk -v s="$2" -v c="$3" 'BEGIN { print (c > s ? "OVER" : "LOSS") }')
    fi
    printf '  %-22s target %12s  sent %12s rec/s  loss %8s %%  kernel drops %8s  rcvbuf %9s  %s\n' \
        "$name" "$([ "$target" = 0 ] && echo max || fmt_rate "$target")" "$(fmt_rate "$1")" "$loss" \
        "$4" "${STEP_RB:-?}" "$verdict"
}

# run_collector NAME COLLECTOR RCVBUF: the rate search; sets BEST[NAME] and
# CONFIRMED[NAME], SENDER_LIMITED[NAME].
declare -A BEST CONFIRMED SENDER_LIMITED
run_collector() {
    local name=$1 coll=$2 buf=$3 res ok best=0 bad="" last_target=""
    echo "$name:"
    for rate in $RATES; do
        step "$name" "$coll" "$buf" "$rate"
        ok=$?
        res=$STEP
        [ "$ok" = 2 ] && break
        report_step "$name" "$rate" "$res" "$ok"
        last_target=$rate
        if [ "$ok" != 0 ]; then
            bad=$(echo "$res" | awk '{ print $1 }')
            break
        fi
        best=$(echo "$res" | awk '{ print $1 }')
    done
    SENDER_LIMITED[$name]=no
    if [ -z "$bad" ] && [ "$last_target" = 0 ]; then
        SENDER_LIMITED[$name]=yes
    fi
    local lo=$best hi=$bad
    if [ -n "$hi" ]; then
        for _ in $(seq "$REFINE"); do
            [ "$lo" = 0 ] && break
            local mid
            mid=$(awk -v a="$lo" -v b="$hi" 'BEGIN { printf "%.0f", sqrt(a * b) }')
            step "$name" "$coll" "$buf" "$mid"
            ok=$?
            res=$STEP
            [ "$ok" = 2 ] && break
            report_step "$name" "$mid" "$res" "$ok"
            if [ "$ok" = 0 ]; then
                lo=$(echo "$res" | awk '{ print $1 }')
            else
                hi=$mid
            fi
        done
    fi
    best=$lo
    CONFIRMED[$name]=-
    if [ "$CONFIRM" = 1 ] && [ "$best" != 0 ]; then
        local target
        target=$(awk -v r="$best" 'BEGIN { printf "%.0f", r }')
        [ "${SENDER_LIMITED[$name]}" = yes ] && target=0
        step "$name" "$coll" "$buf" "$target"
        ok=$?
        res=$STEP
        if [ "$ok" != 2 ]; then
            report_step "$name (confirm)" "$target" "$res" "$ok"
            CONFIRMED[$name]=$([ "$ok" = 0 ] && echo yes || echo no)
        fi
    fi
    BEST[$name]=$best
}

NAMES=()
raise_rmem_max "$RCVBUF"
echo "loopback ingest, protocol $PROTO, ${STEP_SECONDS} s per step, writes every ${FLUSH_SECONDS} s," \
    "$HOSTS hosts, build $(build_type "$BUILD"), $(nproc 2>/dev/null || echo '?') cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "socket buffer asked: $RCVBUF bytes (net.core.rmem_max: $(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo '?'))"
echo
for c in $COLLECTORS; do
    case $c in
    ophanimflow)
        run_collector "ophanimflow" ophanimflow "$RCVBUF"
        NAMES+=("ophanimflow")
        if [ "$OF_DEFAULT_RUN" = 1 ]; then
            run_collector "ophanimflow-defaultbuf" ophanimflow ""
            NAMES+=("ophanimflow-defaultbuf")
        fi
        ;;
    nfacctd | nfcapd)
        if ! command -v "$c" >/dev/null; then
            echo "$c: not installed, skipped"
            continue
        fi
        if [ "$PROTO" = sflow ]; then
            echo "$c: reads NetFlow/IPFIX only, skipped for sflow"
            continue
        fi
        run_collector "$c" "$c" "$RCVBUF"
        NAMES+=("$c")
        if [ "$c" = nfacctd ] && [ "$NFACCTD_UNTUNED" = 1 ]; then
            run_collector "nfacctd-untuned" nfacctd_untuned "$RCVBUF"
            NAMES+=("nfacctd-untuned")
        fi
        ;;
    *)
        echo "ingest.sh: unknown collector $c" >&2
        ;;
    esac
    echo
done

base=${BEST[nfacctd]:-}
printf '%-24s %18s %10s %10s %16s\n' collector "zero-loss rec/s" "x nfacctd" confirmed "sender-limited"
for n in "${NAMES[@]}"; do
    ratio=-
    if [ -n "$base" ] && [ "$base" != 0 ]; then
        ratio=$(awk -v a="${BEST[$n]}" -v b="$base" 'BEGIN { printf "%.1f", a / b }')
    fi
    printf '%-24s %18.0f %10s %10s %16s\n' "$n" "${BEST[$n]}" "$ratio" "${CONFIRMED[$n]}" \
        "${SENDER_LIMITED[$n]}"
done
