#!/usr/bin/env bash
# fuzz-diff.sh - differential check of the codec (compat mode) against the
# reference Node parsers (fuzz/diff/, fuzzing-notes §2.3).
#
# 1. Installs the pinned oracle packages (npm ci in fuzz/diff) when missing.
# 2. Builds diff_driver and the diff_<layer> libFuzzer targets (clang,
#    ENABLE_FUZZING, ASan+UBSan) in its own build directory unless given one.
# 3. Corpus pass: diff_driver over corpus/<layer> and corpus/regress/<layer>.
# 4. Fuzz pass: each diff_<layer> for a bounded time with -fork=1
#    -ignore_crashes=1, so one run collects several disagreements; each
#    collected input is then re-checked and printed by diff_driver.
# Disagreements on fuzz/diff/allow.txt are counted, not printed; every other
# one is a finding (class A/B/C/D, both canonical events, the input in hex).
# The last line is "N passed, N failed" (a layer fails with any finding).
#
# usage: scripts/fuzz-diff.sh [-b BUILD_DIR] [-t SECONDS] [LAYER...]
#   layers: eio_packet eio_payload_v4 eio_payload_v3 sio_packet sio_decoder
#   -t  seconds of fuzzing per layer (default 60; 0 = corpus pass only)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz-smoke
secs=60
all_layers=(eio_packet eio_payload_v4 eio_payload_v3 sio_packet sio_decoder)
while getopts "b:t:h" opt; do
  case $opt in
    b) build=$(realpath -m "$OPTARG") ;;
    t) secs=$OPTARG ;;
    *) sed -n '2,19p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
layers=("$@")
[ ${#layers[@]} -eq 0 ] && layers=("${all_layers[@]}")
diffdir=$root/fuzz/diff
allow=$diffdir/allow.txt

command -v node >/dev/null || { echo "fuzz-diff: node not found"; echo "0 passed, 1 failed"; exit 1; }
if [ ! -d "$diffdir/node_modules/socket.io-parser" ]; then
  (cd "$diffdir" && npm ci --no-audit --no-fund >/dev/null 2>&1) ||
    { echo "fuzz-diff: npm ci failed in $diffdir"; echo "0 passed, 1 failed"; exit 1; }
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DENABLE_FUZZING=ON -DENABLE_SANITIZERS=ON -DENABLE_WERROR=ON >/dev/null ||
    { echo "fuzz-diff: configure failed"; echo "0 passed, 1 failed"; exit 1; }
fi
cmake --build "$build" -j2 --target diff_driver "${layers[@]/#/diff_}" >"$build/fuzz-diff-build.log" 2>&1 ||
  { tail -20 "$build/fuzz-diff-build.log"; echo "fuzz-diff: build failed"; echo "0 passed, 1 failed"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-diff.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
driver=$build/fuzz/diff/diff_driver
passed=0
failed=0
for l in "${layers[@]}"; do
  dict=$root/fuzz/sio.dict
  case $l in eio_*) dict=$root/fuzz/eio.dict ;; esac
  bad=0
  echo "=== $l: corpus pass"
  dirs=()
  for d in "$root/corpus/$l" "$root/corpus/regress/$l"; do [ -d "$d" ] && dirs+=("$d"); done
  "$driver" -q -l "$l" -a "$allow" "${dirs[@]}" || bad=1
  if [ "$secs" -gt 0 ]; then
    echo "=== $l: fuzz pass (${secs}s)"
    mkdir -p "$work/$l" "$work/art-$l"
    timeout $((secs + 120)) "$build/fuzz/diff/diff_$l" -max_total_time="$secs" -fork=1 \
      -ignore_crashes=1 -max_len=1024 -timeout=10 -dict="$dict" \
      -artifact_prefix="$work/art-$l/" "$work/$l" "${dirs[@]}" >"$work/$l.log" 2>&1
    grep -E '^#[0-9]+: cov:|DONE' "$work/$l.log" | tail -1
    if ls "$work/art-$l/"* >/dev/null 2>&1; then
      "$driver" -q -l "$l" -a "$allow" "$work/art-$l" || bad=1
      mkdir -p "$root/fuzz-artifacts/diff-$l"
      cp "$work/art-$l/"* "$root/fuzz-artifacts/diff-$l/"
    else
      echo "diff $l: no disagreement outside the allow-list"
    fi
  fi
  if [ $bad -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
