#!/bin/sh
# Runs the whole catalogue against one bundled target and checks the
# canonical result (cases/tests/check_result.py). usage:
#   run_target.sh SIOSPEC TARGET clean|no-error [siospec run options...]
# clean: every case as expected (exit 0: PASS, or XFAIL with a baseline
# reason); no-error: the run reaches its end and siospec judged every case
# (FAILs are the target's findings, ERRORs would be siospec's own failures).
set -u
siospec=$1 target=$2 mode=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$siospec" run --target "$target" -q --json "$out/result.json" "$@"
rc=$?
case "$mode" in
  clean) want="--clean --exit 0"; [ $rc -eq 0 ] || echo "run_target: siospec exited $rc, expected 0" ;;
  *) want="--no-error"; [ $rc -le 1 ] || { echo "run_target: siospec exited $rc"; exit 1; } ;;
esac
# shellcheck disable=SC2086
python3 "$here/check_result.py" "$out/result.json" $want || exit 1
[ "$mode" != clean ] || [ $rc -eq 0 ]
