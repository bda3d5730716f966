#!/bin/sh
# `siospec report`: --help, usage errors and unreadable input exit 2; the
# reports rendered from the golden result document equal the golden files.
# usage: report_cli.sh SIOSPEC GOLDEN_DIR
set -u
siospec=$1 golden=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
expect() { # exit-code description command...
  want=$1 what=$2
  shift 2
  "$@" >"$out/stdout" 2>"$out/stderr"
  got=$?
  if [ $got -ne "$want" ]; then
    echo "FAIL $what: exit $got, expected $want"
    sed 's/^/  /' "$out/stderr"
    fail=1
  fi
}
printf 'not json' >"$out/bad.json"
printf '{"schema":"other/1","cases":[]}' >"$out/other.json"
expect 0 "--help" "$siospec" report --help
grep -q 'usage: siospec report RESULT.json' "$out/stdout" || { echo "FAIL --help text"; fail=1; }
expect 2 "no argument" "$siospec" report
expect 2 "no output" "$siospec" report "$golden/small.json"
expect 2 "unknown option" "$siospec" report "$golden/small.json" --pdf x
expect 2 "missing value" "$siospec" report "$golden/small.json" --junit
expect 2 "two inputs" "$siospec" report "$golden/small.json" "$golden/small.json" --md -
expect 2 "missing file" "$siospec" report "$out/none.json" --md "$out/x.md"
grep -q "cannot read" "$out/stderr" || { echo "FAIL missing file: no reason"; fail=1; }
expect 2 "not JSON" "$siospec" report "$out/bad.json" --md "$out/x.md"
expect 2 "not a result" "$siospec" report "$out/other.json" --md "$out/x.md"
[ ! -e "$out/x.md" ] || { echo "FAIL a report was written from bad input"; fail=1; }

# Rendering: the golden files, byte for byte; '-' is standard output.
expect 0 "--md -" "$siospec" report "$golden/small.json" --md -
cmp -s "$out/stdout" "$golden/small.md" || { echo "FAIL --md - differs from small.md"; fail=1; }
"$siospec" report "$golden/small.json" --report "$out/r" >/dev/null 2>"$out/stderr"
rc=$?
[ $rc -le 1 ] || { echo "FAIL --report: exit $rc"; fail=1; }
cmp "$out/r/junit.xml" "$golden/small.junit.xml" || fail=1
cmp "$out/r/summary.md" "$golden/small.md" || fail=1
cmp "$out/r/report.html" "$golden/small.html" || fail=1
cmp "$out/r/transcripts/eio4.handshake.exact-keys.ws.txt" "$golden/small.eio4.handshake.exact-keys.ws.txt" || fail=1
cmp "$out/r/transcripts/eio4.handshake.exact-keys.ws.jsonl" "$golden/small.eio4.handshake.exact-keys.ws.jsonl" || fail=1
# A writer that fails exits 1, says why and leaves no file behind.
if [ $rc -eq 1 ]; then
  grep -q "cannot write the" "$out/stderr" || { echo "FAIL exit 1 without a reason"; fail=1; }
fi
[ ! -e "$out/r/report.html" ] || [ $rc -eq 0 ] || { echo "FAIL a failed report left a file"; fail=1; }
[ $fail -eq 0 ] && echo "report_cli: ok"
exit $fail
