#!/usr/bin/env bash
# The whole test suite, as CI runs it: a gcc build with warnings as errors,
# a clang build under AddressSanitizer + UndefinedBehaviorSanitizer, a build
# of the portable paths (no recvmmsg & co., as on FreeBSD), each running
# every ctest test (unit, end-to-end, install, fuzz corpus replay) but the
# slow ones (label slow: the upgrade and the batch setup in a debootstrap
# root) and the dashboard in chromium, which only the gcc build runs; then
# short libFuzzer runs of every fuzz target; first the style checks and the
# include graph between src/ folders (scripts/include-graph.py).
# Usage: scripts/test.sh [--quick]   (--quick: the gcc build only, no slow tests)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
quick=0
passed=0
ctest_args=()
if [ "${1:-}" = "--quick" ]; then
    quick=1
    ctest_args=(-LE slow)
fi
build_and_test() { # dir, then cmake arguments; ctest takes ctest_args
    local dir=$1
    shift
    echo "=== $dir: $* ${ctest_args[*]}"
    cmake -S . -B "$dir" -DOF_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j"$jobs"
    (cd "$dir" && ctest --output-on-failure -j"$jobs" "${ctest_args[@]}") | tee "$dir/ctest.out"
    local n
    n=$(sed -n 's/.*tests passed, 0 tests failed out of \([0-9]*\).*/\1/p' "$dir/ctest.out")
    passed=$((passed + ${n:-0}))
}

scripts/check-style.sh
scripts/include-graph.py
build_and_test build -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ $quick = 1 ]; then
    echo "tests: $passed passed, 0 failed"
    exit 0
fi
ctest_args=(-LE slow)
CC=clang build_and_test build-asan -DCMAKE_BUILD_TYPE=Debug -DOF_SANITIZE=address,undefined \
    -DOF_BROWSER_TESTS=OFF
build_and_test build-portable -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOF_PORTABLE=ON \
    -DOF_BENCH=OFF -DOF_BROWSER_TESTS=OFF

# libFuzzer: each target for a short while from its saved corpus, in a
# scratch directory (libFuzzer writes new inputs into its first directory).
echo "=== fuzz"
CC=clang cmake -S . -B build-fuzz -DOF_WERROR=ON -DOF_FUZZ=ON -DOF_SANITIZE=address,undefined \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOF_BENCH=OFF -DOF_TESTS=OFF >/dev/null
cmake --build build-fuzz -j"$jobs"
fuzz_seconds=${OF_FUZZ_SECONDS:-30}
for f in build-fuzz/fuzz_*; do
    name=$(basename "$f")
    target=${name#fuzz_}
    scratch=$(mktemp -d)
    dirs=()
    for d in fuzz/corpus/"$target" fuzz/repro/"$target"; do
        [ -d "$d" ] && dirs+=("$d")
    done
    echo "--- $name: ${fuzz_seconds}s"
    log="$scratch.log"
    if ! "$f" -max_total_time="$fuzz_seconds" -print_final_stats=1 "$scratch" "${dirs[@]}" \
        >"$log" 2>&1; then
        tail -n 60 "$log"
        exit 1
    fi
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$log" || true
    rm -f "$log"
    rm -rf "$scratch"
    passed=$((passed + 1))
done
# ctest's tests in the three builds plus the fuzz runs
echo "tests: $passed passed, 0 failed"
