# shellcheck shell=sh disable=SC2034 # PROGRAM_CHANGED, CONFIG_CHANGED: read by the batch scripts
# dist/batch-common.sh: the steps dist/batchdebian.sh and dist/batchfreebsd.sh
# share (sourced by them, POSIX sh). Each step looks before it acts, so a
# second run finds everything done and changes nothing: the build is up to
# date, the install finds identical files, the user, directories, config
# and password exist, and the service keeps running (it is restarted only
# when the program or its config changed).
#
# Environment:
#   OF_BUILD_DIR            build directory (default: SOURCE/build-service)
#   OF_CMAKE_ARGS           more cmake options (e.g. -DCMAKE_INSTALL_PREFIX=/opt/of)
#   OF_COLLECTOR_PORT, OF_SFLOW_PORT, OF_HTTP_PORT, OF_LISTEN_ADDRESS,
#   OF_HTTP_LISTEN_ADDRESS  written into the config when set
#   OF_ADMIN_USER           the dashboard user to create (default admin)

say() {
    printf '%s: %s\n' "${0##*/}" "$*"
}

die() {
    printf '%s: %s\n' "${0##*/}" "$*" >&2
    exit 1
}

ncpu() {
    getconf _NPROCESSORS_ONLN 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2
}

# Builds, installs, and loads the install paths (dist/layout.sh.in).
# PROGRAM_CHANGED=yes when the installed program differs from before.
build_and_install() {
    build=${OF_BUILD_DIR:-$SRC/build-service}
    say "building in $build"
    # shellcheck disable=SC2086
    cmake -S "$SRC" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOF_TESTS=OFF \
        -DOF_BENCH=OFF ${OF_CMAKE_ARGS:-} >/dev/null
    cmake --build "$build" -j"$(ncpu)" >/dev/null
    # shellcheck disable=SC1091
    . "$build/dist/layout.sh"
    BIN="$OF_BINDIR/ophanimflow"
    CONF="$OF_SYSCONFDIR/ophanimflow.conf"
    before=$(cksum <"$BIN" 2>/dev/null || true)
    cmake --install "$build" >"$build/install.log" || die "install failed: $build/install.log"
    grep -v "Up-to-date" "$build/install.log" || true
    after=$(cksum <"$BIN")
    PROGRAM_CHANGED=no
    [ "$before" = "$after" ] || PROGRAM_CHANGED=yes
}

make_dirs() {
    install -d -o "$OF_USER" -g "$OF_USER" -m 0750 "$OF_DATADIR"
}

# The last "KEY = value" of the config's top section, as the program
# reads it (without quotes or an inline "; comment"); else $2.
conf_get() {
    v=$(awk -v key="$1" '
        /^[ \t]*\[/ { exit }
        {
            line = $0
            sub(/^[ \t]+/, "", line)
            if (index(line, key) != 1) next
            rest = substr(line, length(key) + 1)
            if (rest !~ /^[ \t]*=/) next
            sub(/^[ \t]*=/, "", rest)
            sub(/[ \t];.*$/, "", rest)
            gsub(/^[ \t]+|[ \t]+$/, "", rest)
            if (rest ~ /^".*"$/) rest = substr(rest, 2, length(rest) - 2)
            value = rest
        }
        END { print value }' "$CONF")
    echo "${v:-${2:-}}"
}

# Sets KEY=VALUE in the config's top section: on the (last) line that sets
# it, else on the first that has it commented out, else as a new first
# line. Leaves the file alone when it already says so; CONFIG_CHANGED=yes
# when it wrote.
set_option() {
    awk -v key="$1" -v value="$2" '
        function kind(line, commented) {
            commented = line ~ /^[ \t]*[;#]/
            sub(/^[ \t]*[;#]?[ \t]*/, "", line)
            if (index(line, key) != 1 || substr(line, length(key) + 1) !~ /^[ \t]*=/)
                return 0
            return commented ? 1 : 2
        }
        NR == FNR {
            if ($0 ~ /^[ \t]*\[/)
                top_end = 1
            k = top_end ? 0 : kind($0)
            if (k == 2 || (k == 1 && best == 0)) {
                best = k
                target = FNR
            }
            next
        }
        FNR == 1 && best == 0 { print key "=" value }
        FNR == target { print key "=" value; next }
        { print }' "$CONF" "$CONF" >"$CONF.new"
    if cmp -s "$CONF.new" "$CONF"; then
        rm -f "$CONF.new"
        return 0
    fi
    cat "$CONF.new" >"$CONF"
    rm -f "$CONF.new"
    CONFIG_CHANGED=yes
    say "$CONF: $1=$2"
}

# The environment's port and address settings, written into the config.
apply_overrides() {
    CONFIG_CHANGED=no
    [ -f "$CONF" ] || die "$CONF is missing (cmake --install makes it from the example)"
    for pair in COLLECTOR_PORT:${OF_COLLECTOR_PORT:-} SFLOW_PORT:${OF_SFLOW_PORT:-} \
        HTTP_PORT:${OF_HTTP_PORT:-} LISTEN_ADDRESS:${OF_LISTEN_ADDRESS:-} \
        HTTP_LISTEN_ADDRESS:${OF_HTTP_LISTEN_ADDRESS:-}; do
        value=${pair#*:}
        [ -n "$value" ] && set_option "${pair%%:*}" "$value"
    done
    return 0
}

# ophanimflow-upgrade fetches from the repository this tree came from,
# unless its config already names one.
set_upgrade_source() {
    upconf="$OF_SYSCONFDIR/ophanimflow-upgrade.conf"
    [ -f "$upconf" ] || return 0
    grep -q '^REPO_URL=..*' "$upconf" && return 0
    repo=""
    if command -v git >/dev/null 2>&1 && git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
        repo=$(git -C "$SRC" remote get-url origin 2>/dev/null || echo "$SRC")
    fi
    if [ -z "$repo" ]; then
        say "set REPO_URL in $upconf for ophanimflow-upgrade (this tree is no git clone)"
        return 0
    fi
    sed "s|^REPO_URL=.*|REPO_URL=$repo|" "$upconf" >"$upconf.new" && cat "$upconf.new" >"$upconf"
    rm -f "$upconf.new"
    say "$upconf: REPO_URL=$repo"
}

as_service_user() {
    if command -v runuser >/dev/null 2>&1; then
        runuser -u "$OF_USER" -- "$@"
    else
        cmd=""
        for a in "$@"; do
            cmd="$cmd '$(printf '%s' "$a" | sed "s/'/'\\\\''/g")'"
        done
        su -m "$OF_USER" -c "$cmd"
    fi
}

# The dashboard's first user, made before the first start (which would
# otherwise make one and print its password to the log). Versions without
# dashboard users (no `ophanimflow users`) skip this with a note.
admin_password() {
    admin=${OF_ADMIN_USER:-admin}
    if ! users=$(as_service_user "$BIN" users -c "$CONF" 2>&1); then
        case "$users" in
        *"unknown subcommand"*)
            PASSWORD_NOTE="no dashboard login in this version (no 'ophanimflow users'): no password"
            ;;
        *) PASSWORD_NOTE="could not list the dashboard users: $users" ;;
        esac
        return 0
    fi
    if [ -n "$users" ]; then
        PASSWORD_NOTE="$admin password: unchanged (users exist; a new one: ophanimflow passwd -c $CONF --random $admin)"
        return 0
    fi
    if pw=$(as_service_user "$BIN" passwd -c "$CONF" --random "$admin"); then
        PASSWORD_NOTE="$admin password: $pw"
    else
        PASSWORD_NOTE="could not set a password for $admin"
    fi
}

# Waits for an answer on the HTTP port; prints the dashboard's address,
# the admin password and where sensors send to.
report() {
    port=$(conf_get HTTP_PORT 42180)
    listen=$(conf_get HTTP_LISTEN_ADDRESS | tr ',' ' ' | awk '{print $1}')
    case "$listen" in
    "" | 0.0.0.0 | ::) probe=127.0.0.1 shown=$(primary_address) ;;
    *:*) probe="[$listen]" shown="[$listen]" ;;
    *) probe=$listen shown=$listen ;;
    esac
    shown=${shown:-$probe}
    if [ "$port" = 0 ]; then
        say "HTTP is off (HTTP_PORT=0): no dashboard"
    else
        i=0
        until curl -s -o /dev/null -m 5 "http://$probe:$port/"; do
            i=$((i + 1))
            [ "$i" -lt 30 ] || die "nothing answers on http://$probe:$port/ after 30 s"
            sleep 1
        done
        echo "Dashboard: http://$shown:$port/"
    fi
    echo "${PASSWORD_NOTE:-}"
    echo "Config: $CONF (ophanimflow.conf(5)); store: $OF_DATADIR"
    nf=$(conf_get COLLECTOR_PORT 42112)
    echo "Sensors: NetFlow/IPFIX to UDP $nf, sFlow to UDP $(conf_get SFLOW_PORT 6343), e.g."
    echo "  softflowd -i eth0 -s $(conf_get SAMPLING_RATE 1) -t maxlife=60 -n $shown:$nf"
}
