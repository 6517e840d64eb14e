#!/bin/sh
# House-style checks that a compiler does not make: clang-format layout,
# the banned functions of STYLE.md rule 19, and clang-tidy (rule 18, the
# checks in .clang-tidy) over every C file of src/, tests/, fuzz/ and bench/.
# clang-tidy reads the compile commands of a build directory of its own
# (OF_TIDY_BUILD, build-tidy by default), configured with clang and the
# Debug build type, so that the analyzer sees the asserts. Configuring is
# enough: the one generated header the sources include (util/paths.h) is
# written then, and the generated web data is a file of its own, not
# checked.
set -eu
cd "$(dirname "$0")/.."
files=$(find src tests fuzz bench -name '*.c' -o -name '*.h' | sort)
# shellcheck disable=SC2086
clang-format --dry-run --Werror $files
banned='\b(sprintf|vsprintf|strcpy|strcat|strncpy|strtok|gets|atoi|atol|atof|alloca)[[:space:]]*\('
# shellcheck disable=SC2086
if grep -nE "$banned" $files; then
    echo "banned function (STYLE.md rule 19)" >&2
    exit 1
fi

if ! command -v clang-tidy >/dev/null 2>&1; then
    echo "clang-tidy not found (scripts/install-deps.sh installs it)" >&2
    exit 1
fi
tidy_build=${OF_TIDY_BUILD:-build-tidy}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! CC=clang cmake -S . -B "$tidy_build" -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DOF_BROWSER_TESTS=OFF >"$log" 2>&1; then
    cat "$log" >&2
    echo "clang-tidy: configuring $tidy_build failed" >&2
    exit 1
fi
# One file per process: clang 14's analyzer carries state from one file to
# the next within a process, and reports va_lists that are fine. Headers
# are checked through the files that include them (HeaderFilterRegex).
jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
if ! find src tests fuzz bench -name '*.c' | sort |
    xargs -n 1 -P "$jobs" clang-tidy -p "$tidy_build" --quiet --warnings-as-errors='*' \
        >"$log" 2>&1; then
    grep -v -e '^[0-9]* warnings\{0,1\} generated\.$' \
        -e '^Suppressed [0-9]* warnings' \
        -e '^Use -header-filter=' "$log" >&2 || true
    echo "clang-tidy found problems (STYLE.md rule 18, .clang-tidy)" >&2
    exit 1
fi
echo "style: ok"
