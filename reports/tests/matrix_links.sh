#!/bin/sh
# A matrix rendered with its reports (siospec matrix --no-run over a saved
# result, as two targets), opened in Chromium: filters work and each target's
# cell links open that case alone in the target's HTML report.
# usage: matrix_links.sh SIOSPEC CHROMIUM RESULT_FIXTURE TARGETS_DIR
set -u
siospec=$1 chromium=$2 fixture=$3 targets=$4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in sio4 deno; do
  mkdir -p "$tmp/$t" && cp "$fixture" "$tmp/$t/result.json"
done
"$siospec" matrix --no-run --targets sio4,deno --targets-dir "$targets" --out "$tmp" >"$tmp/log" 2>&1 ||
  { echo "matrix_links: siospec matrix --no-run failed"; cat "$tmp/log"; exit 1; }
python3 "$here/check_matrix_browser.py" "$chromium" "$tmp/matrix.html" --follow
