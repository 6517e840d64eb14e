# bench/collectors.sh: what the loopback benchmarks share, sourced by
# bench/ingest.sh and bench/hosts.sh: finding free ports, the kernel's drop
# counter of a socket, stopping only the processes the script started, and
# for each collector how to start it (start_X DIR PORT RCVBUF, which sets
# COLL_PID), stop it (stop_X DIR PID) and read what it counted (counted_X
# DIR, in bytes). Every collector gets the same socket buffer, the same
# local network ($NET), no sampling renormalization, and writes what it
# counted every $FLUSH_SECONDS seconds.
#
# The caller sets OF (the ophanimflow program), NET, FLUSH_SECONDS,
# OF_WORKERS (may be empty) and RUN_COLL (a command prefix, may be empty);
# NFACCTD_CACHE sizes nfacctd's cache (65537 entries when unset).
# shellcheck shell=bash disable=SC2034  # COLL_PID is read by the caller

# scratch_dir NAME: TMP, a scratch directory removed at exit (unless
# KEEP=1), and PIDS, the processes to kill at exit if they still run; the
# socket buffer limit is put back too.
scratch_dir() {
    TMP=$(mktemp -d "/tmp/of-$1.XXXXXX") || exit 1
    PIDS=""
    trap scratch_cleanup EXIT
    trap 'exit 130' INT TERM
}

scratch_cleanup() {
    for p in $PIDS; do
        kill -0 "$p" 2>/dev/null && kill -KILL "$p" 2>/dev/null
    done
    restore_rmem_max
    [ "${KEEP:-0}" = 1 ] || rm -rf "$TMP"
}

# The build type of a build directory (Release, RelWithDebInfo, ...).
build_type() {
    sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$1/CMakeCache.txt" 2>/dev/null | grep . || echo '?'
}

port_hex() { printf '%04X' "$1"; }

# True when some UDP socket is bound to the port.
port_bound() {
    local hex
    hex=$(port_hex "$1")
    awk -v h=":$hex" 'substr($2, length($2) - 4) == h { found = 1 } END { exit !found }' \
        /proc/net/udp /proc/net/udp6 2>/dev/null
}

free_port() {
    local p
    for _ in $(seq 100); do
        p=$((20000 + RANDOM % 40000))
        port_bound "$p" || { echo "$p"; return 0; }
    done
    echo "$(basename "$0"): no free UDP port found" >&2
    exit 1
}

wait_bound() {
    for _ in $(seq 100); do
        port_bound "$1" && return 0
        sleep 0.05
    done
    return 1
}

# The kernel's drop counter of every socket on the port (last column).
kernel_drops() {
    local hex
    hex=$(port_hex "$1")
    awk -v h=":$hex" 'substr($2, length($2) - 4) == h { d += $NF } END { print d + 0 }' \
        /proc/net/udp /proc/net/udp6 2>/dev/null
}

# Waits for a process we started to exit (up to $2 seconds), then kills it.
reap() {
    local pid=$1 limit=${2:-30}
    for _ in $(seq $((limit * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "$(basename "$0"): pid $pid did not stop; killing it" >&2
        kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
}

kv() { # kv KEY LINE: the value of KEY=... in a key=value line
    echo "$2" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'
}

# --- collectors: start_X DIR PORT RCVBUF (sets COLL_PID), stop_X DIR PID,
# --- counted_X DIR (prints counted bytes)

start_ophanimflow() {
    local dir=$1 port=$2 buf=$3 sport
    sport=$(free_port)
    {
        echo "COLLECTOR_PORT = $port"
        echo "SFLOW_PORT = $sport"
        echo "LISTEN_ADDRESS = 127.0.0.1"
        echo "DB_PATH = $dir/of.db"
        echo "SAMPLING_RATE = 1"
        echo "FLUSH_INTERVAL = $FLUSH_SECONDS"
        [ -n "$buf" ] && echo "SOCKET_RCVBUF = $buf"
        [ -n "$OF_WORKERS" ] && echo "WORKERS = $OF_WORKERS"
        echo "[networks]"
        echo "net = $NET bench"
    } >"$dir/of.conf"
    echo "$sport" >"$dir/sflow_port"
    "${RUN_COLL[@]}" "$OF" run -c "$dir/of.conf" >"$dir/log" 2>&1 &
    COLL_PID=$!
}

stop_ophanimflow() {
    kill -TERM "$2" 2>/dev/null
    reap "$2" 60
}

counted_ophanimflow() {
    "$OF" traff -c "$1/of.conf" 2>>"$1/log" | grep -o '"[du]l":"[0-9]*"' |
        awk -F'"' '{ s += $4 } END { printf "%.0f\n", s }'
}

# nfacctd as its documentation advises for heavy load; nfacctd_untuned
# leaves the plugin pipe and the cache at their defaults.
start_nfacctd() {
    write_nfacctd_conf "$@"
    cat >>"$1/nfacctd.conf" <<EOF
print_cache_entries[bench]: ${NFACCTD_CACHE:-65537}
plugin_pipe_size[bench]: 268435456
plugin_buffer_size[bench]: 65536
EOF
    run_nfacctd "$1"
}

start_nfacctd_untuned() {
    write_nfacctd_conf "$@"
    run_nfacctd "$1"
}

# Per-host accounting: hosts outside the local network are zeroed, so the
# (src_host, dst_host) pairs are (local, 0) and (0, local), one per host and
# direction, as ophanimflow counts them.
write_nfacctd_conf() {
    local dir=$1 port=$2 buf=$3
    echo "$NET" >"$dir/networks.lst"
    cat >"$dir/nfacctd.conf" <<EOF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $port
nfacctd_pipe_size: $buf
networks_file: $dir/networks.lst
networks_file_filter: true
plugins: print[bench]
aggregate[bench]: src_host, dst_host
print_output[bench]: csv
print_output_file[bench]: $dir/nfacctd-%s.csv
print_output_file_append[bench]: true
print_refresh_time[bench]: $FLUSH_SECONDS
EOF
}

run_nfacctd() {
    "${RUN_COLL[@]}" nfacctd -f "$1/nfacctd.conf" >"$1/log" 2>&1 &
    COLL_PID=$!
}

stop_nfacctd_untuned() {
    stop_nfacctd "$@"
}

counted_nfacctd_untuned() {
    counted_nfacctd "$@"
}

stop_nfacctd() {
    # nfacctd purges its caches on SIGINT (SIGTERM leaves it running).
    kill -INT "$2" 2>/dev/null
    reap "$2" 60
    sleep 0.5 # the plugin process writes its last purge as it exits
}

counted_nfacctd() {
    cat "$1"/nfacctd-*.csv 2>/dev/null |
        awk -F, '$1 != "SRC_IP" && NF >= 4 { s += $NF } END { printf "%.0f\n", s }'
}

start_nfcapd() {
    local dir=$1 port=$2 buf=$3
    mkdir -p "$dir/flows"
    "${RUN_COLL[@]}" nfcapd -w "$dir/flows" -p "$port" -b 127.0.0.1 -B "$buf" -t 3600 \
        >"$dir/log" 2>&1 &
    COLL_PID=$!
}

stop_nfcapd() {
    kill -TERM "$2" 2>/dev/null
    reap "$2" 60
}

counted_nfcapd() {
    local f s=0 b
    for f in "$1"/flows/nfcapd.*; do
        [ -f "$f" ] || continue
        b=$(nfdump -r "$f" -I 2>/dev/null | awk '$1 == "Bytes:" { print $2 }')
        s=$(awk -v a="$s" -v b="${b:-0}" 'BEGIN { printf "%.0f\n", a + b }')
    done
    echo "$s"
}

# The signal each collector writes what it holds and exits on.
stop_signal() {
    case $1 in
    nfacctd | nfacctd_untuned) echo INT ;;
    *) echo TERM ;;
    esac
}

# The receive buffer the kernel granted the sockets on a port, in bytes
# (ss's skmem rb; the largest when several sockets share the port).
granted_rcvbuf() {
    ss -uamn "sport = :$1" 2>/dev/null |
        sed -n 's/.*skmem:([^)]*rb\([0-9]*\).*/\1/p' | sort -n | tail -n 1
}

# Every collector must get the buffer it is asked for: ophanimflow forces
# it past net.core.rmem_max when run as root, the others do not, so the
# limit is raised to RCVBUF for the run (as root; restored by
# restore_rmem_max) and each step prints what was granted.
RMEM_SAVED=""
raise_rmem_max() {
    local want=$1 have
    have=$(cat /proc/sys/net/core/rmem_max 2>/dev/null || echo 0)
    if [ "$have" -lt "$want" ] && [ "$(id -u)" = 0 ]; then
        RMEM_SAVED=$have
        sysctl -q -w net.core.rmem_max="$want" >/dev/null
    fi
}

restore_rmem_max() {
    if [ -n "$RMEM_SAVED" ]; then
        sysctl -q -w net.core.rmem_max="$RMEM_SAVED" >/dev/null
        RMEM_SAVED=""
    fi
}

# A process and its descendants (nfacctd's plugins are processes of their own).
tree_pids() {
    local p
    echo "$1"
    for p in $(pgrep -P "$1" 2>/dev/null); do
        tree_pids "$p"
    done
}

# CPU time of a process tree so far, in clock ticks (user + system).
tree_ticks() {
    local p t=0 v
    for p in $(tree_pids "$1"); do
        v=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null)
        t=$((t + ${v:-0}))
    done
    echo "$t"
}

# Peak resident memory of a process tree, in kB (VmHWM summed).
tree_peak_kb() {
    local p t=0 v
    for p in $(tree_pids "$1"); do
        v=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$p/status" 2>/dev/null)
        t=$((t + ${v:-0}))
    done
    echo "$t"
}
