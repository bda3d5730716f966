#!/bin/sh
# `siospec matrix` without servers: usage errors exit 2, a target without a
# result (--no-run) exits 1 and is still a column of the matrix, --help 0.
# usage: matrix_cli.sh SIOSPEC TARGETS_DIR
set -u
siospec=$1 targets=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
expect() { # CODE DESCRIPTION ARGS...
  want=$1 what=$2
  shift 2
  "$siospec" matrix "$@" >"$tmp/out" 2>&1
  rc=$?
  if [ "$rc" -ne "$want" ]; then
    echo "matrix_cli: $what: exit $rc, expected $want"
    sed 's/^/  | /' "$tmp/out"
    fails=$((fails + 1))
  fi
}
expect 0 "--help" --help
expect 2 "an unknown option" --bogus
expect 2 "--targets without a value" --targets
expect 2 "an unknown target" --targets no-such-target --targets-dir "$targets"
expect 2 "a target given twice" --targets sio4,sio4 --targets-dir "$targets"
expect 2 "-j 0" -j 0 --targets sio4 --targets-dir "$targets"
expect 2 "--timeout-scale 0" --timeout-scale 0 --targets sio4 --targets-dir "$targets"
expect 1 "--no-run without results" --no-run --out "$tmp/m" --targets sio4,deno \
  --targets-dir "$targets"
for f in matrix.json matrix.md matrix.html; do
  [ -s "$tmp/m/$f" ] || { echo "matrix_cli: --no-run wrote no $f"; fails=$((fails + 1)); }
done
grep -q '^- \*\*deno could not be judged\*\*: no result' "$tmp/m/matrix.md" ||
  { echo "matrix_cli: matrix.md does not say why deno was not judged"; fails=$((fails + 1)); }
[ $fails -eq 0 ] && echo "matrix_cli: ok"
[ $fails -eq 0 ]
