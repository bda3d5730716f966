#!/usr/bin/env bash
# fuzz-coverage.sh - clang source-based coverage of the codec reached by
# replaying the checked-in corpora (corpus/<t>/ and corpus/regress/<t>/)
# through every replay_<t> program (fuzzing-notes §4.5, "coverage" engine).
#
# Builds with CC=clang -DENABLE_COVERAGE=ON (no sanitizers, no libFuzzer)
# into its own build directory, replays with LLVM_PROFILE_FILE set, merges
# with llvm-profdata-14 and prints, per codec source file and in total, the
# line, region, branch and function coverage from llvm-cov-14.
#
# usage: scripts/fuzz-coverage.sh [-b BUILD_DIR] [-c CORPUS_DIR] [-H HTML_DIR] [TARGET...]
#   -b  build directory (default build-fuzz-cov)
#   -c  corpus root to replay (default corpus/; e.g. a longer campaign's output)
#   -H  also write an HTML report there
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$root/build-fuzz-cov
corpus=$root/corpus
html=
all_targets=(eio_packet eio_payload_v4 eio_payload_v3 eio_handshake json sio_packet sio_decoder
             wt_frame roundtrip)
while getopts "b:c:H:h" opt; do
  case $opt in
    b) build=$(realpath -m "$OPTARG") ;;
    c) corpus=$(realpath "$OPTARG") ;;
    H) html=$(realpath -m "$OPTARG") ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all_targets[@]}")
profdata=$(command -v llvm-profdata-14 || command -v llvm-profdata)
llvmcov=$(command -v llvm-cov-14 || command -v llvm-cov)

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DENABLE_COVERAGE=ON >/dev/null
fi
cmake --build "$build" -j2 --target "${targets[@]/#/replay_}" >/dev/null

prof=$build/fuzz-cov-prof
rm -rf "$prof"
mkdir -p "$prof"
objects=()
for t in "${targets[@]}"; do
  bin=$build/fuzz/replay_$t
  objects+=(-object "$bin")
  # Separate processes: an input that aborts (an open regression) loses only
  # its own process's profile.
  for d in "$corpus/$t" "$corpus/regress/$t"; do
    [ -d "$d" ] || continue
    LLVM_PROFILE_FILE="$prof/$t-%p.profraw" "$bin" "$d" >"$prof/$t.log" 2>&1 ||
      echo "fuzz-coverage: replay_$t $d failed (see $prof/$t.log); its profile is lost"
    tail -1 "$prof/$t.log" | sed "s|^|$t ${d#$corpus/}: |"
  done
done
"$profdata" merge -sparse "$prof"/*.profraw -o "$prof/all.profdata"

# The first -object is the main binary for llvm-cov; the rest follow it.
main_bin=${objects[1]}
rest=("${objects[@]:2}")
"$llvmcov" export "$main_bin" "${rest[@]}" -instr-profile="$prof/all.profdata" -summary-only \
  "$root/codec/src" >"$prof/summary.json"
python3 - "$prof/summary.json" "$root/" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))["data"][0]
root = sys.argv[2]
def pct(s):
    return "%5.1f%% %5d/%-5d" % (s["percent"], s["covered"], s["count"])
print("%-28s %-18s %-18s %-18s %-18s" % ("file", "lines", "regions", "branches", "functions"))
for f in sorted(data["files"], key=lambda f: f["filename"]):
    s = f["summary"]
    print("%-28s %-18s %-18s %-18s %-18s" % (f["filename"].replace(root, ""), pct(s["lines"]),
          pct(s["regions"]), pct(s["branches"]), pct(s["functions"])))
t = data["totals"]
print("%-28s %-18s %-18s %-18s %-18s" % ("TOTAL", pct(t["lines"]), pct(t["regions"]),
      pct(t["branches"]), pct(t["functions"])))
EOF
if [ -n "$html" ]; then
  "$llvmcov" show "$main_bin" "${rest[@]}" -instr-profile="$prof/all.profdata" -format=html \
    -output-dir="$html" "$root/codec/src"
  echo "fuzz-coverage: HTML report in $html/index.html"
fi
