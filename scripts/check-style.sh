#!/bin/sh
# House-style checks that a compiler does not make: clang-format layout and
# the banned functions of STYLE.md rule 19.
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
echo "style: ok"
