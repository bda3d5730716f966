#!/usr/bin/env bash
# Runs the whole catalogue against one bundled target several times and
# prints, per run, the cases run, the wall time, the summed case time and
# the longest case; then whether any verdict changed between runs.
#   scripts/bench-catalogue.sh [-n RUNS] [-t TARGET] [-j JOBS] [--load] [-- run options]
# --load keeps both cores busy with spinning processes during the runs, to
# show that the verdicts do not depend on an idle machine.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=5 target=sio4 jobs=16 load=0
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs=$2; shift 2 ;;
    -t) target=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    --load) load=1; shift ;;
    --) shift; break ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "bench-catalogue: unknown option $1" >&2; exit 2 ;;
  esac
done
siospec=${SIOSPEC:-$here/build/siospec}
[ -x "$siospec" ] || { echo "bench-catalogue: build siospec first ($siospec)" >&2; exit 2; }
out=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$out"; }
trap cleanup EXIT
if [ $load -eq 1 ]; then
  for _ in 1 2; do timeout 3600 sh -c 'while :; do :; done' & pids+=($!); done
fi
echo "target=$target jobs=$jobs runs=$runs load=$load"
for i in $(seq 1 "$runs"); do
  "$siospec" run --target "$target" -j "$jobs" -q --json "$out/$i.json" "$@" >/dev/null || true
  python3 - "$out/$i.json" "$i" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
t, s = d["timing"], d["summary"]
bad = {k: v for k, v in s.items() if k in ("FAIL", "ERROR", "XPASS", "NON-STRICT") and v}
print("run %s: %d cases, wall %d ms, sum %d ms, longest %d ms (%s)%s" % (
    sys.argv[2], s["total"], t["wall_ms"], t["sum_ms"], t["longest_ms"], t["longest_id"],
    "  " + " ".join("%s=%d" % kv for kv in sorted(bad.items())) if bad else ""))
PY
done
python3 - "$out" "$runs" <<'PY'
import json, sys, statistics
runs = [json.load(open("%s/%d.json" % (sys.argv[1], i))) for i in range(1, int(sys.argv[2]) + 1)]
base = {c["id"]: c["verdict"] for c in runs[0]["cases"]}
changed = set()
for r in runs[1:]:
    for c in r["cases"]:
        if base.get(c["id"]) != c["verdict"]:
            changed.add(c["id"])
walls = [r["timing"]["wall_ms"] for r in runs]
print("wall ms: median %d, min %d, max %d" % (statistics.median(walls), min(walls), max(walls)))
if changed:
    print("verdicts changed between runs: %d cases" % len(changed))
    for cid in sorted(changed):
        print("  " + cid + ": " + ", ".join(
            next(c["verdict"] for c in r["cases"] if c["id"] == cid) for r in runs))
    sys.exit(1)
print("verdicts identical across %d runs" % len(runs))
PY
