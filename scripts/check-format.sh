#!/bin/sh
# clang-format --dry-run over the tracked C sources.
cf=${1:-clang-format}
files=$(git ls-files '*.c' '*.h')
[ -z "$files" ] && { echo "format: no files"; exit 0; }
# shellcheck disable=SC2086
$cf --dry-run --Werror $files && echo "format: ok"
