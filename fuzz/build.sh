#!/bin/bash -eu
# build.sh - builds siospec's fuzz targets the OSS-Fuzz / ClusterFuzzLite way.
#
# Honours the standard environment: $CC, $CFLAGS (sanitizer and coverage
# flags chosen by the infrastructure), $LIB_FUZZING_ENGINE (libFuzzer,
# AFL++ or honggfuzz driver), $SRC (where the sources live) and $OUT (where
# binaries go). Builds without CMake so it works in the base-builder image.
# For each target t it writes $OUT/fuzz_<t>, $OUT/fuzz_<t>.options, the
# dictionaries, and $OUT/fuzz_<t>_seed_corpus.zip (corpus/<t> plus
# corpus/regress/<t>).
#
# fuzz_json compares with cJSON: it is built against $SRC/cJSON/cJSON.c
# when that checkout exists, else against a system libcjson, else without
# the comparison (-DSIOSPEC_NO_CJSON).
#
# Local use: CC=clang CFLAGS="-fsanitize=address,fuzzer-no-link -g -O1" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=/tmp/out SRC=.. fuzz/build.sh
here=$(cd "$(dirname "$0")/.." && pwd)
proj=${SIOSPEC_DIR:-$here}
[ -d "${SRC:-}/siospec/codec" ] && proj=$SRC/siospec
: "${OUT:?set OUT}" "${CC:=clang}" "${CFLAGS:=}" "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT"

inc="-I$proj/codec/include -I$proj/codec/src -I$proj/fuzz"
objs=()
for f in "$proj"/codec/src/*.c "$proj"/fuzz/fuzz_common.c "$proj"/fuzz/fuzz_payload.c; do
  o=$work/$(basename "$f" .c).o
  $CC $CFLAGS -std=c11 $inc -c "$f" -o "$o"
  objs+=("$o")
done

cjson_flags=()
cjson_libs=()
if [ -f "${SRC:-/nonexistent}/cJSON/cJSON.c" ]; then
  $CC $CFLAGS -c "$SRC/cJSON/cJSON.c" -I"$SRC/cJSON" -o "$work/cJSON.o"
  mkdir -p "$work/inc/cjson" && cp "$SRC/cJSON/cJSON.h" "$work/inc/cjson/"
  cjson_flags=(-I"$work/inc")
  cjson_libs=("$work/cJSON.o")
elif pkg-config --exists libcjson 2>/dev/null; then
  cjson_flags=($(pkg-config --cflags libcjson))
  cjson_libs=($(pkg-config --libs libcjson))
else
  cjson_flags=(-DSIOSPEC_NO_CJSON)
fi

for src in "$proj"/fuzz/fuzz_*.c; do
  name=$(basename "$src" .c)
  case $name in fuzz_common | fuzz_payload) continue ;; esac
  t=${name#fuzz_}
  extra=()
  libs=()
  if [ "$t" = json ]; then extra=("${cjson_flags[@]}"); libs=("${cjson_libs[@]}"); fi
  $CC $CFLAGS -std=c11 $inc "${extra[@]}" -c "$src" -o "$work/$name.o"
  $CC $CFLAGS $LIB_FUZZING_ENGINE "$work/$name.o" "${objs[@]}" "${libs[@]}" -lm -o "$OUT/$name"
  if [ -f "$proj/fuzz/$t.options" ]; then
    cp "$proj/fuzz/$t.options" "$OUT/$name.options"
  fi
  zipdirs=()
  for d in "$proj/corpus/$t" "$proj/corpus/regress/$t"; do [ -d "$d" ] && zipdirs+=("$d"); done
  if [ ${#zipdirs[@]} -gt 0 ] && command -v zip >/dev/null; then
    rm -f "$OUT/${name}_seed_corpus.zip"
    for d in "${zipdirs[@]}"; do (cd "$d" && zip -q -j "$OUT/${name}_seed_corpus.zip" ./*); done
  fi
done
cp "$proj"/fuzz/*.dict "$OUT/"
echo "build.sh: targets in $OUT"
