#!/usr/bin/env bash
# fuzz-smoke.sh - siospec's CI fuzz smoke run (fuzzing-notes §4.6).
#
# Builds the libFuzzer targets with clang, ENABLE_FUZZING, ASan and UBSan
# into its own build directory (or the one given), then runs every target
# for a fixed time, two at a time, each with its dictionary and max_len from
# fuzz/<t>.options, -timeout and -rss_limit_mb. New inputs go to a scratch
# corpus directory given FIRST, so corpus/ is only read, never written.
# Prints per-target exec/s, coverage and corpus size, and on a crash the
# reproducer as hex plus the commands to replay it. The last line is
# exactly "N passed, N failed"; the exit status is non-zero on any failure.
#
# usage: scripts/fuzz-smoke.sh [-b BUILD_DIR] [-t SECONDS] [-j JOBS] [-s SEED]
#                              [-k] [TARGET...]
#   -b  build directory (default: build-fuzz-smoke; an existing one is reused)
#   -t  seconds per target (default 20)     -j  parallel targets (default 2)
#   -s  libFuzzer -seed (default: random, printed)
#   -k  keep the scratch directory (new corpus units, logs, artifacts)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz-smoke
secs=20
jobs_max=2
seed=${FUZZ_SEED:-$(( $(date +%s) % 100000 + 1 ))}
keep=0
all_targets=(eio_packet eio_payload_v4 eio_payload_v3 eio_handshake json sio_packet sio_decoder
             wt_frame roundtrip)
while getopts "b:t:j:s:kh" opt; do
  case $opt in
    b) build=$(realpath -m "$OPTARG") ;;
    t) secs=$OPTARG ;;
    j) jobs_max=$OPTARG ;;
    s) seed=$OPTARG ;;
    k) keep=1 ;;
    *) sed -n '2,22p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")

if ! command -v clang >/dev/null; then
  echo "fuzz-smoke: clang not found (apt-get install clang libclang-rt-14-dev)"
  echo "0 passed, 1 failed"
  exit 1
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DENABLE_FUZZING=ON -DENABLE_SANITIZERS=ON -DENABLE_WERROR=ON >/dev/null || {
    echo "fuzz-smoke: configure failed"; echo "0 passed, 1 failed"; exit 1; }
fi
if ! grep -q '^ENABLE_FUZZING:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "fuzz-smoke: $build is not an ENABLE_FUZZING build"; echo "0 passed, 1 failed"; exit 1
fi
if ! cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}" >"$build/fuzz-smoke-build.log" 2>&1; then
  tail -30 "$build/fuzz-smoke-build.log"
  echo "fuzz-smoke: build failed"; echo "0 passed, ${#targets[@]} failed"; exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-smoke.XXXXXX")
[ $keep -eq 1 ] || trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
command -v llvm-symbolizer >/dev/null || export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
echo "fuzz-smoke: ${#targets[@]} targets, ${secs}s each, $jobs_max at a time, seed $seed, scratch $work"

opt() { # opt TARGET KEY DEFAULT: a value from fuzz/<t>.options
  local v
  v=$(sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$root/fuzz/$1.options" 2>/dev/null | head -1)
  echo "${v:-$3}"
}

run_target() {
  local t=$1 dirs=("$work/corpus/$t")
  mkdir -p "$work/corpus/$t" "$work/art"
  for d in "$root/corpus/$t" "$root/corpus/regress/$t"; do [ -d "$d" ] && dirs+=("$d"); done
  local dict=$root/fuzz/$(opt "$t" dict eio.dict)
  timeout $((secs + 120)) "$build/fuzz/fuzz_$t" -max_total_time="$secs" -seed="$seed" \
    -timeout="$(opt "$t" timeout 5)" -rss_limit_mb="$(opt "$t" rss_limit_mb 2048)" \
    -max_len="$(opt "$t" max_len 4096)" -dict="$dict" -print_final_stats=1 \
    -artifact_prefix="$work/art/$t-" "${dirs[@]}" >"$work/$t.log" 2>&1
  echo $? >"$work/$t.rc"
}

for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
  run_target "$t" &
done
wait

passed=0
failed=0
printf '%-16s %-6s %10s %9s %6s %6s %14s %8s\n' target result execs exec/s cov ft corpus new
for t in "${targets[@]}"; do
  log=$work/$t.log
  rc=$(cat "$work/$t.rc" 2>/dev/null || echo 99)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  new=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$done_line")
  arts=$(ls "$work/art/$t-"* 2>/dev/null)
  if [ "$rc" = 0 ] && [ -z "$arts" ]; then
    result=ok; passed=$((passed + 1))
  else
    result=FAIL; failed=$((failed + 1))
  fi
  printf '%-16s %-6s %10s %9s %6s %6s %14s %8s\n' "$t" "$result" "${execs:--}" "${eps:--}" \
    "${cov:--}" "${ft:--}" "${corp:--}" "${new:--}"
done

for t in "${targets[@]}"; do
  rc=$(cat "$work/$t.rc" 2>/dev/null || echo 99)
  arts=$(ls "$work/art/$t-"* 2>/dev/null)
  [ "$rc" = 0 ] && [ -z "$arts" ] && continue
  log=$work/$t.log
  echo
  echo "=== $t: exit $rc (1 sanitizer, 70 timeout, 71 rss/oom, 77 abort/leak/deadly signal)"
  grep -E 'ERROR:|invariant broken|==fuzz==|runtime error|SUMMARY|#[0-9] 0x' "$log" 2>/dev/null | head -25
  for a in $arts; do
    mkdir -p "$root/fuzz-artifacts"
    cp "$a" "$root/fuzz-artifacts/"
    echo "--- reproducer $(basename "$a") ($(stat -c %s "$a") bytes, hex):"
    od -An -tx1 -v "$a" | head -40
    echo "replay: $build/fuzz/fuzz_$t $root/fuzz-artifacts/$(basename "$a")"
    echo "    or: $build/fuzz/replay_$t $root/fuzz-artifacts/$(basename "$a")"
    echo "minimise: $build/fuzz/fuzz_$t -minimize_crash=1 -max_total_time=30" \
         "-exact_artifact_path=$root/corpus/regress/$t/<name> $root/fuzz-artifacts/$(basename "$a")"
  done
done
[ $keep -eq 1 ] && echo "fuzz-smoke: kept $work"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
