#!/usr/bin/env bash
# Regenerates the committed cross-server matrix (reports/matrix/): builds
# siospec, runs `siospec matrix` against every bundled target (except the
# known-vulnerable controls) into a temporary folder, copies matrix.md,
# matrix.html and the compact per-target summaries (<target>.json) into
# reports/matrix/, and rewrites the README's totals table.
#   scripts/matrix.sh [--keep DIR] [-- siospec matrix options]
# --keep DIR writes the full output there instead (every target's
# result.json, report.html, junit.xml, summary.md and transcripts, which
# the committed cells link to) and keeps it. Anything after -- goes to
# `siospec matrix`, e.g. -- --timeout-scale 2 --targets-dir DIR.
# The bundled servers must be installed (scripts/install-deps.sh --servers).
# Nothing is copied unless every target was judged.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
keep=
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) keep=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "matrix.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
cd "$here"
build=${BUILD_DIR:-build}
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" -j2 --target siospec >/dev/null
if [ -n "$keep" ]; then
  out=$keep
  mkdir -p "$out"
else
  out=$(mktemp -d)
  trap 'rm -rf "$out"' EXIT
fi
status=0
"$build/siospec" matrix --out "$out" "$@" || status=$?
if [ $status -ne 0 ]; then
  echo "matrix.sh: siospec matrix exited $status; reports/matrix/ left as it was" >&2
  exit $status
fi
dest=reports/matrix
mkdir -p "$dest"
find "$dest" -maxdepth 1 -name '*.json' -delete
cp "$out/matrix.md" "$out/matrix.html" "$dest/"
for f in "$out"/*.json; do
  [ "$(basename "$f")" = matrix.json ] || cp "$f" "$dest/"
done
python3 - "$dest" README.md <<'EOF'
# Rewrites the README's totals table (between the matrix-totals markers)
# from the per-target summaries.
import glob, json, os, sys
dest, readme = sys.argv[1], sys.argv[2]
rows = ["| target | implementation | cases | PASS | FAIL | NON-STRICT | INFO | SKIP | ERROR | XFAIL | XPASS |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
for p in sorted(glob.glob(os.path.join(dest, "*.json")), key=lambda p: os.path.basename(p)[:-5]):
    s = json.load(open(p, encoding="utf-8"))
    t, c = s["target"], s["counts"]
    rows.append("| `%s` | %s %s | %d | %s |" % (
        t["name"], t["implementation"], t["implementation_version"], c["total"],
        " | ".join(str(c[v]) for v in ("PASS", "FAIL", "NON-STRICT", "INFO", "SKIP", "ERROR",
                                       "XFAIL", "XPASS"))))
text = open(readme, encoding="utf-8").read()
begin, end = "<!-- matrix-totals:begin -->\n", "<!-- matrix-totals:end -->"
i, j = text.find(begin), text.find(end)
if i < 0 or j < i:
    sys.exit("matrix.sh: README.md has no matrix-totals markers")
text = text[:i + len(begin)] + "\n".join(rows) + "\n" + text[j:]
open(readme, "w", encoding="utf-8").write(text)
EOF
du -ch "$dest"/* | tail -1 | sed 's/^/matrix.sh: reports\/matrix\/ holds /'
echo "matrix.sh: reports/matrix/ and the README's totals table regenerated${keep:+ (full output in $keep)}"
