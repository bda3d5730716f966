#!/bin/sh
# Fails when a module includes something its layer may not use.
top=${1:-.}
rc=0
bad() { echo "layering: $1"; rc=1; }
# codec: libc and cJSON only; no I/O, no sockets, no clocks.
out=$(grep -nE '#include *[<"](libwebsockets|curl/|harness/|cases/|reports/|sys/socket|unistd|time\.h|stdio\.h|pthread)' \
      "$top"/codec/src/*.c "$top"/codec/include/codec/*.h 2>/dev/null)
[ -n "$out" ] && bad "codec includes a forbidden header:
$out"
out=$(grep -nE '#include.*cjson|cJSON *\*|cJSON_' "$top"/codec/include/codec/*.h 2>/dev/null)
[ -n "$out" ] && bad "codec public header mentions cJSON:
$out"
out=$(grep -nE '\b(printf|fprintf|puts|fopen|getenv|exit|abort)\s*\(' "$top"/codec/src/*.c 2>/dev/null)
[ -n "$out" ] && bad "codec prints, exits or reads the environment:
$out"
# fuzz: the libFuzzer targets (fuzz/*.c) use the codec only.
if [ -d "$top/fuzz" ]; then
  out=$(grep -nE '#include *[<"](libwebsockets|curl/|harness/|live/|cases/|reports/)' "$top"/fuzz/*.c 2>/dev/null)
  [ -n "$out" ] && bad "fuzz includes a forbidden header:
$out"
fi
# fuzz/live: the live-server fuzzer drives servers through the harness's
# public headers only: no libwebsockets, no curl, no harness/src.
if [ -d "$top/fuzz/live" ]; then
  out=$(grep -rnE --include='*.[ch]' \
        '#include *[<"]([^>"]*/)?(libwebsockets|curl/|cases/|reports/|harness/src/|[^>"/]*_lws\.h)' \
        "$top"/fuzz/live 2>/dev/null)
  [ -n "$out" ] && bad "fuzz/live includes a forbidden header:
$out"
fi
# harness: the protocol driver alone; the live fuzzer lives in fuzz/live.
if [ -d "$top/harness" ]; then
  out=$(find "$top/harness" -name node_modules -prune -o \
        -regextype posix-extended -iregex '.*/([^/]*[_.-])?live([_.-][^/]*)?' -print 2>/dev/null)
  [ -n "$out" ] && bad "harness holds live-fuzzer files (they belong in fuzz/live):
$out"
  out=$(grep -rnE --include='*.[ch]' '#include *[<"]live/' "$top"/harness/src "$top"/harness/include \
        "$top"/harness/tests 2>/dev/null)
  [ -n "$out" ] && bad "harness includes the live fuzzer:
$out"
fi
# cases: the harness case API only.
if [ -d "$top/cases" ]; then
  out=$(grep -nE '#include *[<"](libwebsockets|curl/|harness/src|.*_lws\.h)' "$top"/cases/*.c 2>/dev/null)
  [ -n "$out" ] && bad "cases include a forbidden header:
$out"
fi
# reports: the result document (and cJSON) only: no harness, no catalogue,
# no network, so a saved result renders anywhere.
if [ -d "$top/reports/src" ]; then
  out=$(grep -nE '#include *[<"]([^>"]*/)?(libwebsockets|curl/|harness/|cases/|hx_|ck_)' \
        "$top"/reports/src/*.[ch] "$top"/reports/include/reports/*.h "$top"/reports/tests/*.c 2>/dev/null)
  [ -n "$out" ] && bad "reports include a harness, catalogue or network header:
$out"
fi
[ $rc -eq 0 ] && echo "layering: ok"
exit $rc
