#!/bin/sh
# bench-live-fuzz.sh - how many cases per second `siospec fuzz` runs against
# a bundled server, for several -j values (sessions at once, each worker on
# its own server process).
#
#   scripts/bench-live-fuzz.sh [-s SIOSPEC] [-t TARGET] [-d DURATION] [-j "1 4 8"]
#                              [-r REPEATS] [--targets-dir DIR] [--no-agent]
#
# Prints one line per -j value with the median over REPEATS campaigns of the
# fuzzing rate (cases / time until the last case finished; the minimisation
# of findings still running after that is left out), then the last line
#   bench-live-fuzz: best N.N cases/s at -j J (TARGET)
# The campaigns run with seed 1 into a temporary folder removed at the end.
# Needs harness/targets/install.sh (the bundled servers' node_modules).
set -eu

siospec=build/siospec
target=sio4
duration=20s
jobs="1 4 8 12"
repeats=1
extra=""
while [ $# -gt 0 ]; do
  case "$1" in
    -s) siospec=$2; shift 2 ;;
    -t) target=$2; shift 2 ;;
    -d) duration=$2; shift 2 ;;
    -j) jobs=$2; shift 2 ;;
    -r) repeats=$2; shift 2 ;;
    --targets-dir) extra="$extra --targets-dir $2"; shift 2 ;;
    --no-agent) extra="$extra --no-agent"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "bench-live-fuzz: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$siospec" ] || { echo "bench-live-fuzz: $siospec is not built" >&2; exit 2; }

tmp=$(mktemp -d /tmp/bench-live-fuzz.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# fuzzing_cases_per_s from findings.json (no JSON tool needed).
rate_of() {
  sed -n 's/.*"fuzzing_cases_per_s":\([0-9.]*\).*/\1/p' "$1" | head -n 1
}

best=0 best_j=0
for j in $jobs; do
  rates=""
  r=0
  while [ "$r" -lt "$repeats" ]; do
    out="$tmp/j$j-$r"
    # shellcheck disable=SC2086
    "$siospec" fuzz --target "$target" --duration "$duration" --seed 1 -j "$j" --quiet \
      --out "$out" $extra >/dev/null 2>&1 || true
    rate=$(rate_of "$out/findings.json")
    rates="$rates ${rate:-0}"
    r=$((r + 1))
  done
  med=$(printf '%s\n' $rates | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  cpus=$(nproc 2>/dev/null || echo '?')
  echo "-j $j: $med cases/s (runs:$rates; $duration each, $cpus cores)"
  if awk -v a="$med" -v b="$best" 'BEGIN {exit !(a > b)}'; then
    best=$med best_j=$j
  fi
done
echo "bench-live-fuzz: best $best cases/s at -j $best_j ($target)"
