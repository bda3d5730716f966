#!/usr/bin/env bash
# Installs the npm-based servers under test from their committed lockfiles:
# `npm ci` in every folder of harness/targets that has a package-lock.json.
#
# - Idempotent: a folder whose node_modules was installed from the same
#   lockfile (stamp file node_modules/.siospec-stamp) and whose runtime
#   binaries work is skipped.
# - Needs only the npm registry (Bun and Deno ship inside npm packages);
#   nothing is fetched from anywhere else.
# - The Python targets come from Debian packages, installed by
#   scripts/install-deps.sh --servers; this script only checks that
#   /usr/bin/python3 can import them and says what is missing.
#
# usage: harness/targets/install.sh [--force] [FOLDER...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

force=0
folders=()
for a in "$@"; do
  case "$a" in
    --force) force=1 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "install.sh: unknown option $a" >&2; exit 2 ;;
    *) folders+=("$a") ;;
  esac
done
if [ ${#folders[@]} -eq 0 ]; then
  for lock in "$here"/*/package-lock.json; do
    folders+=("$(basename "$(dirname "$lock")")")
  done
fi

command -v node >/dev/null 2>&1 || { echo "install.sh: node is required (scripts/install-deps.sh)" >&2; exit 1; }
command -v npm >/dev/null 2>&1 || { echo "install.sh: npm is required (scripts/install-deps.sh)" >&2; exit 1; }

stamp_of() { # lockfile hash + node major: a new node may need a fresh install
  echo "$(sha256sum "$1/package-lock.json" | cut -d' ' -f1) node$(node -p 'process.versions.node.split(".")[0]')"
}

# Runtime binaries that a postinstall script puts in place; npm may skip
# install scripts in the future, so run them ourselves when needed.
check_runtime() {
  local dir=$1
  case "$(basename "$dir")" in
    bun)
      "$dir/node_modules/.bin/bun" --version >/dev/null 2>&1 && return 0
      (cd "$dir/node_modules/bun" && node install.js >/dev/null 2>&1) || true
      "$dir/node_modules/.bin/bun" --version >/dev/null 2>&1 ;;
    deno)
      "$dir/node_modules/@deno/linux-x64-glibc/deno" --version >/dev/null 2>&1 ;;
    *) [ -d "$dir/node_modules" ] ;;
  esac
}

failed=0
for f in "${folders[@]}"; do
  dir="$here/$f"
  if [ ! -f "$dir/package-lock.json" ]; then
    echo "install.sh: $f has no package-lock.json" >&2; failed=1; continue
  fi
  want=$(stamp_of "$dir")
  if [ $force -eq 0 ] && [ "$(cat "$dir/node_modules/.siospec-stamp" 2>/dev/null)" = "$want" ] &&
     check_runtime "$dir"; then
    echo "targets: $f up to date"
    continue
  fi
  echo "targets: $f: npm ci ..."
  start=$(date +%s)
  if ! (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error --prefer-offline \
          >"$dir/.npm-ci.log" 2>&1); then
    echo "targets: $f: npm ci failed; last lines of $dir/.npm-ci.log:" >&2
    tail -n 15 "$dir/.npm-ci.log" >&2
    failed=1; continue
  fi
  if ! check_runtime "$dir"; then
    echo "targets: $f: runtime binary missing after npm ci" >&2; failed=1; continue
  fi
  echo "$want" > "$dir/node_modules/.siospec-stamp"
  rm -f "$dir/.npm-ci.log"
  echo "targets: $f installed in $(( $(date +%s) - start )) s"
done

# Python targets: Debian packages (scripts/install-deps.sh --servers).
py=/usr/bin/python3
missing=()
for m in socketio engineio aiohttp uvicorn eventlet; do
  [ -x "$py" ] && "$py" -c "import $m" >/dev/null 2>&1 || missing+=("$m")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "targets: python targets ready ($("$py" -c 'import socketio.server, engineio; import importlib.metadata as m; print("python-socketio", m.version("python-socketio"), "python-engineio", m.version("python-engineio"))' 2>/dev/null || echo "versions unknown"))"
else
  echo "targets: python targets unavailable: $py cannot import ${missing[*]} (run scripts/install-deps.sh --servers)"
fi

exit $failed
