#!/usr/bin/env bash
# README command 2: installs what is needed, builds with -Werror, ASan and
# UBSan, and runs every test through ctest (unit, lint, fuzz replay, the
# integration tests against the bundled reference server and the HTML
# report's headless Chromium test).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
"$here/scripts/install-deps.sh" --servers --browser

build=${BUILD_DIR:-build-ci}
integration=OFF
[ -d "$here/harness/targets/node-sio4/node_modules" ] && integration=ON
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DENABLE_WERROR=ON -DENABLE_SANITIZERS=ON -DENABLE_INTEGRATION_TESTS=$integration
cmake --build "$build" -j2
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j2
