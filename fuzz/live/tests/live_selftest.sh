#!/bin/sh
# live_selftest.sh - self-test of the live fuzzer (ctest fuzz_live_vuln /
# fuzz_live_sio4, label fuzz-live; needs harness/targets/install.sh).
#
#   live_selftest.sh SIOSPEC positive OUTDIR
#     campaign against sio4-vuln (socket.io 4.6.1, engine.io 6.4.1,
#     socket.io-parser 4.2.2): must find CVE-2023-32695, CVE-2024-38355 and
#     CVE-2023-31125 (it stops once all three are in); then the reproducer
#     of each of them must replay against sio4-vuln (exit 1) and must not
#     reproduce against the current release sio4 (exit 0). Other findings
#     (some are timing-dependent) are reported but not replayed here.
#   live_selftest.sh SIOSPEC negative OUTDIR
#     the same campaign settings against sio4 (current release): no crash
#     and no server hang may be reported.
#   live_selftest.sh SIOSPEC pycov OUTDIR
#     the Python coverage agent: a campaign against py-engineio reports
#     server coverage, and none with --no-agent.
#   live_selftest.sh SIOSPEC retry OUTDIR
#     flaky findings: against tests/flaky (every second acknowledgement
#     malformed) a case with one acked event reproduces 1/3, one with two
#     every time. The campaign (-j 1, seed 3, 260 cases) must screen later
#     cases for such a finding and replace its first reproducer with a
#     reliable one; that reproducer must replay 3 times out of 3 on a fresh
#     server, and no candidate file may be left behind.
set -u
bin=$1 mode=$2 out=$3
common="--seed 1 -j 4 --min-time 3s --request-ms 1000"
rm -rf "$out"
fail() { echo "FAIL: $*"; exit 1; }

if [ "$mode" = positive ]; then
  start=$(date +%s)
  # shellcheck disable=SC2086
  "$bin" fuzz --target sio4-vuln --duration 110s $common --out "$out" \
    --expect CVE-2023-32695,CVE-2024-38355,CVE-2023-31125
  rc=$?
  echo "campaign took $(( $(date +%s) - start )) s, exit $rc"
  [ $rc -eq 0 ] || fail "the expected CVEs were not all found (exit $rc)"
  n=0
  for f in "$out"/finding-*.repro; do
    grep -qE '^cve (CVE-2023-32695|CVE-2024-38355|CVE-2023-31125)$' "$f" || continue
    n=$((n + 1))
    "$bin" replay "$f" >"$f.replay-vuln.txt" 2>&1
    rc=$?
    [ $rc -eq 1 ] || { cat "$f" "$f.replay-vuln.txt"; fail "$f does not replay on sio4-vuln (exit $rc)"; }
    "$bin" replay "$f" --target sio4 >"$f.replay-sio4.txt" 2>&1
    rc=$?
    [ $rc -eq 0 ] || { cat "$f" "$f.replay-sio4.txt"; fail "$f reproduces on sio4 (exit $rc)"; }
  done
  [ $n -ge 3 ] || fail "only $n reproducers of the expected CVEs"
  echo "PASS: the $n reproducers of the expected CVEs replay on sio4-vuln and not on sio4"
  exit 0
fi

if [ "$mode" = negative ]; then
  # shellcheck disable=SC2086
  "$bin" fuzz --target sio4 --duration 60s $common --out "$out" --fail-on crash,hang-server
  rc=$?
  [ $rc -eq 0 ] || fail "crash or hang reported against sio4 (exit $rc)"
  grep -q '"class":"crash"' "$out/findings.json" && fail "findings.json lists a crash"
  echo "PASS: no crash, no hang against sio4"
  exit 0
fi
if [ "$mode" = pycov ]; then
  # Server coverage of a Python target (coverage.py agent): a short
  # campaign against py-engineio must report server coverage features,
  # and the same campaign with --no-agent none.
  "$bin" fuzz --target py-engineio --duration 8s --seed 1 -j 2 --quiet --out "$out/agent" >/dev/null
  n=$(sed -n 's/.*"server_coverage_features":\([0-9]*\).*/\1/p' "$out/agent/findings.json")
  grep -q '"server_coverage":true' "$out/agent/findings.json" || fail "no server coverage reported for py-engineio"
  [ "${n:-0}" -ge 100 ] || fail "only ${n:-0} server coverage features from py-engineio"
  "$bin" fuzz --target py-engineio --duration 4s --seed 1 -j 2 --quiet --no-agent --out "$out/black" >/dev/null
  grep -q '"server_coverage":false' "$out/black/findings.json" || fail "--no-agent still reports server coverage"
  ls -d /tmp/siospec-agent-* >/dev/null 2>&1 && echo "note: agent folders left in /tmp (another campaign may be running)"
  echo "PASS: py-engineio server coverage: $n features (coverage.py agent); none with --no-agent"
  exit 0
fi
if [ "$mode" = retry ]; then
  target="$(cd "$(dirname "$0")" && pwd)/flaky/flaky.json"
  "$bin" fuzz --target "$target" -j 1 --seed 3 --max-cases 260 --duration 120s --min-time 3s \
    --out "$out" 2>"$out.progress"
  rc=$?
  mv "$out.progress" "$out/progress.txt"
  [ $rc -eq 1 ] || fail "campaign against the flaky fixture: exit $rc, expected 1 (findings)"
  grep 'fuzz: finding [0-9]*: case [0-9]* shows it too' "$out/progress.txt"
  line=$(grep -m1 'its reproducer replaces the first one' "$out/progress.txt") ||
    fail "no flaky finding got a more reliable reproducer (see $out/progress.txt)"
  id=$(echo "$line" | sed 's/^fuzz: finding \([0-9]*\):.*/\1/')
  repro=$(printf '%s/finding-%03d.repro' "$out" "$id")
  [ -f "$repro" ] || fail "$repro missing"
  ls "$out"/*.try.repro >/dev/null 2>&1 && fail "candidate reproducers left: $(ls "$out"/*.try.repro)"
  stab=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(next((f["stability"] for f in d["findings"] if f["id"] == int(sys.argv[2])), "absent"))' \
    "$out/findings.json" "$id")
  [ "$stab" = deterministic ] || fail "finding $id is reported $stab, not deterministic"
  for i in 1 2 3; do
    "$bin" replay "$repro" --target "$target" >"$repro.replay$i.txt" 2>&1
    rc=$?
    [ $rc -eq 1 ] || { cat "$repro.replay$i.txt"; fail "$repro replay $i: exit $rc, expected 1"; }
  done
  echo "PASS: finding $id's reproducer was replaced by a reliable one, which replays 3/3"
  exit 0
fi
echo "usage: live_selftest.sh SIOSPEC positive|negative|pycov|retry OUTDIR" >&2
exit 2
