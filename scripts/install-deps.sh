#!/usr/bin/env bash
# Installs what siospec needs on Debian 12: the build toolchain and C
# libraries (apt), with --servers the bundled servers under test (apt + npm,
# see harness/targets/install.sh), and with --browser Debian's Chromium (the
# HTML report's browser test). Safe to run again: it installs only what is
# missing.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

want_servers=0
want_browser=0
for a in "$@"; do
  case "$a" in
    --servers) want_servers=1 ;;
    --browser) want_browser=1 ;;
    -h|--help) echo "usage: $0 [--servers] [--browser]"; exit 0 ;;
    *) echo "install-deps: unknown option $a" >&2; exit 2 ;;
  esac
done

pkgs=(build-essential cmake pkg-config ninja-build clang llvm-14 libclang-rt-14-dev
      libcjson-dev libcunit1-dev libwebsockets-dev libcurl4-openssl-dev
      nodejs npm python3 python3-jsonschema libxml2-utils)
if [ $want_servers -eq 1 ]; then
  pkgs+=(python3-socketio python3-engineio python3-aiohttp python3-uvicorn
         python3-websockets python3-eventlet python3-coverage)
fi
if [ $want_browser -eq 1 ]; then
  pkgs+=(chromium)
fi

missing=()
for p in "${pkgs[@]}"; do
  # nodejs may come from a non-Debian build that also provides npm.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "install-deps: apt-get install ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: system packages present"
fi

if [ $want_servers -eq 1 ] && [ -x "$here/harness/targets/install.sh" ]; then
  "$here/harness/targets/install.sh"
fi
