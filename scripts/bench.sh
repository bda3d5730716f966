#!/usr/bin/env bash
# The codec benchmark: installs the pinned reference parsers (npm ci in
# bench/), builds a Release codec_bench (-O2, no sanitizers) in build-bench,
# writes the deterministic corpus there, measures the siospec codec and the
# reference parsers on it, and prints the comparison table. Extra arguments
# go to codec_bench (e.g. --class sio-small, --min-time 3, --no-compare);
# see bench/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
build=${BENCH_BUILD_DIR:-build-bench}

if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
  (cd bench && npm ci --silent --no-audit --no-fund) ||
    echo "bench: npm ci failed; the reference side will be skipped" >&2
else
  echo "bench: node/npm not found; measuring the codec only" >&2
fi

gen=()
command -v ninja >/dev/null 2>&1 && gen=(-G Ninja)
cmake -S . -B "$build" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DENABLE_SANITIZERS=OFF -DENABLE_WERROR=OFF \
  -DENABLE_FUZZING=OFF -DENABLE_COVERAGE=OFF >/dev/null
cmake --build "$build" --target codec_bench -j2 >/dev/null

echo "siospec commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (+ uncommitted changes)')"
exec "$build/bench/codec_bench" --corpus "$build/bench.corpus" --generate "$@"
