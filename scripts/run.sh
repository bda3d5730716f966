#!/usr/bin/env bash
# README command 1: installs what is needed (system packages and the bundled
# servers), builds siospec, and runs it against the bundled reference server
# (socket.io 4.8.4), writing every report to ./out (or $OUT_DIR): result.json,
# junit.xml, summary.md, report.html and transcripts/. Its last line says
# where the HTML report is (== HTML report: out/report.html).
# Extra arguments go to `siospec run`, e.g. `--target py-aiohttp` or `--all`.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
"$here/scripts/install-deps.sh" --servers
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2
out=${OUT_DIR:-out}
if [ $# -eq 0 ]; then
  set -- --target sio4
fi
exec "$build/siospec" run --report "$out" "$@"
