#!/usr/bin/env bash
# CLI tests for `siospec decode` / `encode`: table rows of
#   name | args | input (printf %b escapes) | expected stdout | expected exit
# plus round trips: for every row that decodes, `decode | encode` must give
# the input back byte for byte (the rows use canonical wire forms).
set -u
bin=$1
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

check() { # name args input expected_out expected_rc [roundtrip]
  local name=$1 args=$2 input=$3 exp=$4 exprc=$5 rt=${6:-yes}
  printf '%b' "$input" > "$tmp/in"
  # shellcheck disable=SC2086
  out=$("$bin" decode $args "$tmp/in" 2>"$tmp/err"); rc=$?
  if [ "$rc" != "$exprc" ] || { [ -n "$exp" ] && [ "$out" != "$exp" ]; }; then
    echo "FAIL $name: rc=$rc (want $exprc)"; echo "  got:  $out"; echo "  want: $exp"
    sed 's/^/  stderr: /' "$tmp/err"; fail=$((fail+1)); return
  fi
  if [ "$rc" = 0 ] && [ "$rt" = yes ]; then
    # shellcheck disable=SC2086
    printf '%s' "$out" | "$bin" encode $args > "$tmp/rt" 2>"$tmp/err"
    if ! cmp -s "$tmp/in" "$tmp/rt"; then
      echo "FAIL $name: round trip differs"; od -c "$tmp/rt" | head -5; fail=$((fail+1)); return
    fi
  fi
  pass=$((pass+1))
}

# --- Engine.IO packets (WebSocket framing)
check eio_text "" '4hello' '{"type":"message","text":"hello"}' 0
check eio_ping_probe "" '2probe' '{"type":"ping","text":"probe"}' 0
check eio_noop "" '6' '{"type":"noop"}' 0
check eio_open "" '0{"sid":"a","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}' \
  '{"type":"open","text":"{\"sid\":\"a\",\"upgrades\":[],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}"}' 0
check eio_binary_v4 "--binary" '\x01\x02\x03\x04' '{"type":"message","binary":"AQIDBA=="}' 0
check eio_binary_v3 "--binary --eio 3" '\x04\x01\x02\x03' '{"type":"message","binary":"AQID"}' 0
check eio_utf8 "" '4\xe2\x82\xac' '{"type":"message","text":"€"}' 0
check eio_empty "" '' '' 1 no
check eio_bad_type "" '7' '' 1 no
check eio_ws_b64_strict "" 'bAQID' '' 1 no
check eio_ws_b64_compat "--compat" 'bAQID' '{"type":"message","binary":"AQID","quirks":["eio-ws-text-binary"]}' 0 no
# --- polling payloads
check payload_v4 "--layer payload" '4hello\x1e2\x1e4world' \
  '{"packets":[{"type":"message","text":"hello"},{"type":"ping"},{"type":"message","text":"world"}]}' 0
check payload_v4_bin "--layer payload" '4hello\x1ebAQIDBA==' \
  '{"packets":[{"type":"message","text":"hello"},{"type":"message","binary":"AQIDBA=="}]}' 0
check payload_v4_trailing "--layer payload" '4a\x1e' '' 1 no
check payload_v3 "--layer payload --eio 3" '6:4hello2:4\xe2\x82\xac' \
  '{"packets":[{"type":"message","text":"hello"},{"type":"message","text":"€"}]}' 0
check payload_v3_b64 "--layer payload --eio 3" '2:4\xe2\x82\xac10:b4AQIDBA==' \
  '{"packets":[{"type":"message","text":"€"},{"type":"message","binary":"AQIDBA=="}]}' 0
check payload_v3_xhr2 "--layer payload --eio 3 --binary" '\x00\x04\xff4\xe2\x82\xac\x01\x05\xff\x04\x01\x02\x03\x04' \
  '{"packets":[{"type":"message","text":"€"},{"type":"message","binary":"AQIDBA=="}]}' 0
check payload_v3_badlen "--layer payload --eio 3" '7:4hello' '' 1 no
# --- Socket.IO packets
check sio_connect "--layer sio" '0' '{"type":"CONNECT","nsp":"/"}' 0
check sio_connect_nsp "--layer sio" '0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}' \
  '{"type":"CONNECT","nsp":"/admin","data":{"sid":"oSO0OpakMV_3jnilAAAA"}}' 0
check sio_event "--layer sio" '2["foo"]' '{"type":"EVENT","nsp":"/","data":["foo"]}' 0
check sio_event_id "--layer sio" '212["foo"]' '{"type":"EVENT","nsp":"/","id":12,"data":["foo"]}' 0
check sio_ack "--layer sio" '3/admin,13["bar"]' '{"type":"ACK","nsp":"/admin","id":13,"data":["bar"]}' 0
check sio_bin_event "--layer sio" '52-/admin,["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]' \
  '{"type":"BINARY_EVENT","attachments":2,"nsp":"/admin","data":["baz",{"_placeholder":true,"num":0},{"_placeholder":true,"num":1}]}' 0
check sio_disconnect "--layer sio" '1/admin,' '{"type":"DISCONNECT","nsp":"/admin"}' 0
check sio_connect_error "--layer sio" '4{"message":"Not authorized"}' \
  '{"type":"CONNECT_ERROR","nsp":"/","data":{"message":"Not authorized"}}' 0
check sio_v4_error "--layer sio --sio 4" '4/admin,"Not authorized"' \
  '{"type":"ERROR","nsp":"/admin","data":"Not authorized"}' 0
check sio_reserved "--layer sio" '2["connect"]' '' 1 no
check sio_bad_json "--layer sio" '2{}' '' 1 no
check sio_no_payload_strict "--layer sio" '2' '' 1 no
check sio_no_payload_compat "--layer sio --compat" '2' '{"type":"EVENT","nsp":"/","quirks":["sio-no-payload"]}' 0 no
check sio_space_id_compat "--layer sio --compat" '2 ["x"]' \
  '{"type":"EVENT","nsp":"/","id":0,"data":["x"],"quirks":["sio-ack-id-space"]}' 0 no

# --- error object shape and hint
printf '42["foo"]' > "$tmp/in"
out=$("$bin" decode --layer sio "$tmp/in"); rc=$?
case "$out" in
  '{"error":"'*'","offset":'*',"message":"'*"drop the leading '4'"*) [ $rc = 1 ] && pass=$((pass+1)) || { echo "FAIL hint rc"; fail=$((fail+1)); } ;;
  *) echo "FAIL hint: $out"; fail=$((fail+1)) ;;
esac
# --- usage errors exit 2, --help exits 0
for args in "decode --layer nope" "decode --eio 5" "decode --bogus" "encode --sio 9" "nope" \
            "decode a b" "decode /nonexistent/file" "decode --binary --layer payload"; do
  # shellcheck disable=SC2086
  "$bin" $args </dev/null >/dev/null 2>&1; rc=$?
  if [ $rc = 2 ]; then pass=$((pass+1)); else echo "FAIL usage '$args' rc=$rc"; fail=$((fail+1)); fi
done
for args in "--help" "decode --help" "encode --help"; do
  # shellcheck disable=SC2086
  "$bin" $args >/dev/null 2>&1 && pass=$((pass+1)) || { echo "FAIL help '$args'"; fail=$((fail+1)); }
done
# --- encode rejects bad canonical JSON with exit 1
for doc in '{"type":"bogus"}' '{"type":"message","text":1}' '{"type":"message","extra":1}' 'nope'; do
  printf '%s' "$doc" | "$bin" encode >/dev/null 2>&1; rc=$?
  if [ $rc = 1 ]; then pass=$((pass+1)); else echo "FAIL encode '$doc' rc=$rc"; fail=$((fail+1)); fi
done
# --- oversized input
head -c 2000 /dev/zero | tr '\0' 'a' | sed 's/^/4/' > "$tmp/big"
"$bin" decode --max-payload 1000 "$tmp/big" > "$tmp/out"; rc=$?
if [ $rc = 1 ] && grep -q ERR_TOO_LARGE "$tmp/out"; then pass=$((pass+1)); else echo "FAIL too large rc=$rc"; fail=$((fail+1)); fi

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
