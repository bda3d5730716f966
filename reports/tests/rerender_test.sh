#!/bin/sh
# `siospec run --report DIR` and, later, `siospec report DIR/result.json`
# must write the same bytes for every report: each file of the first run's
# directory (but result.json) exists in the second and `cmp` finds them
# equal, and no file is only in the second. A report whose writer fails
# (exit 1) must fail, and be missing, in both. usage:
#   rerender_test.sh SIOSPEC [siospec run options...]
set -u
siospec=$1
shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$siospec" run --target sio4 -q --report "$out/a" "$@" >"$out/run.log" 2>&1
rc=$?
cat "$out/run.log"
[ $rc -le 1 ] || { echo "rerender_test: siospec run exited $rc"; exit 1; }
[ -s "$out/a/result.json" ] || { echo "rerender_test: no result.json"; exit 1; }
"$siospec" report "$out/a/result.json" --report "$out/b" >"$out/report.log" 2>&1
rc2=$?
cat "$out/report.log"
[ $rc2 -le 1 ] || { echo "rerender_test: siospec report exited $rc2"; exit 1; }
fail=0
for f in junit.xml summary.md transcripts; do
  [ -e "$out/a/$f" ] || { echo "rerender_test: --report wrote no $f"; fail=1; }
done
n=$(find "$out/a/transcripts" -type f | wc -l)
cases=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["cases"]))' "$out/a/result.json")
[ "$n" -eq $((2 * cases)) ] || { echo "rerender_test: $n transcript files for $cases entries"; fail=1; }
(cd "$out/a" && find . -type f ! -name result.json | sort) >"$out/files.a"
(cd "$out/b" && find . -type f | sort) >"$out/files.b"
if ! cmp -s "$out/files.a" "$out/files.b"; then
  echo "rerender_test: the two directories hold different files:"
  diff "$out/files.a" "$out/files.b" | head -20
  fail=1
fi
same=0
while read -r f; do
  if [ -f "$out/b/$f" ] && cmp "$out/a/$f" "$out/b/$f"; then
    same=$((same + 1))
  else
    fail=1
  fi
done <"$out/files.a"
# A writer that fails (e.g. a missing HTML writer) fails both ways.
if [ $rc2 -ne 0 ] && [ $rc -eq 0 ]; then
  echo "rerender_test: siospec report exited $rc2 but siospec run 0"
  fail=1
fi
echo "rerender_test: $same files identical"
exit $fail
