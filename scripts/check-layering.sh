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
# fuzz: codec only (plus the harness's parser units named in fuzz/ALLOWED if any)
if [ -d "$top/fuzz" ]; then
  out=$(grep -nE '#include *[<"](libwebsockets|curl/|cases/|reports/)' "$top"/fuzz/*.c 2>/dev/null)
  [ -n "$out" ] && bad "fuzz includes a forbidden header:
$out"
fi
# cases: the harness case API only.
if [ -d "$top/cases" ]; then
  out=$(grep -nE '#include *[<"](libwebsockets|curl/|harness/src|.*_lws\.h)' "$top"/cases/*.c 2>/dev/null)
  [ -n "$out" ] && bad "cases include a forbidden header:
$out"
fi
# reports: result model only.
if [ -d "$top/reports/src" ]; then
  out=$(grep -nE '#include *[<"](libwebsockets|curl/|harness/hx_transport|harness/hx_session)' "$top"/reports/src/*.c 2>/dev/null)
  [ -n "$out" ] && bad "reports include a transport header:
$out"
fi
[ $rc -eq 0 ] && echo "layering: ok"
exit $rc
