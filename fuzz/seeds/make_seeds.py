#!/usr/bin/env python3
"""make_seeds.py - siospec's seed and regression inputs for the fuzz targets.

Every input is one flag byte (fuzz/fuzz_common.h: bit0 EIO v3 / SIO v4,
bit1 compat, bit2 the target's alternative framing) followed by wire bytes.
Sources: the test vectors of protocol-notes §4, the official test suites
(§3), the observed behaviour tables E1-E42 / S1-S30, the JS quirk table of
fuzzing-notes §2.3 and the real server transcripts of servers-notes §4.4-4.5.

  make_seeds.py seeds OUTDIR     writes OUTDIR/<target>/<sha1> (raw seeds,
                                 to be minimised with libFuzzer -merge=1)
  make_seeds.py regress CORPUS   writes CORPUS/regress/<target>/<name>
                                 (named regression inputs; never merged)
"""
import hashlib
import os
import sys

RS = "\x1e"
PH0 = '{"_placeholder":true,"num":0}'
PH1 = '{"_placeholder":true,"num":1}'
HS_V4 = ('{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,'
         '"pingTimeout":20000,"maxPayload":1000000}')
HS_SIO4 = ('{"sid":"PmzF1A3Q1TQobG44AAA-","upgrades":["websocket"],"pingInterval":300,'
           '"pingTimeout":200,"maxPayload":1000000}')
HS_WS = '{"sid":"PmzF1A3Q1TQobG44AAA-","upgrades":[],"pingInterval":300,"pingTimeout":200,"maxPayload":1000000}'
HS_V3 = '{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],"pingInterval":25000,"pingTimeout":5000}'
HS_V3_WSONLY = '{"sid":"lv_VI97HAXpY6yYWAAAC","pingInterval":25000,"pingTimeout":5000}'
HS_SIO2 = '{"sid":"H5JcHGyl_IGg7hk1AAAA","upgrades":["websocket"],"pingInterval":300,"pingTimeout":200}'
HS_PY = '{"sid":"NB5Czf_25evA_B9NAABX","upgrades":["websocket"],"pingTimeout":200,"pingInterval":300}'
HS_EVENTLET = '{"sid":"NB5Czf_25evA_B9NAABX","upgrades":["websocket"],"pingTimeout":200,"pingInterval":0}'
HS_WT = ('{"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket","webtransport"],'
         '"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}')


def b(s):
    return s.encode("utf-8") if isinstance(s, str) else bytes(s)


def u16len(s):
    """Length of |s| in UTF-16 code units, as a JS string length."""
    return len(s.encode("utf-16-le")) // 2


def v3text(*packets):
    """A v3 text payload: <len>:<packet> with UTF-16 lengths."""
    return "".join("%d:%s" % (u16len(p), p) for p in packets)


def xhr2(*entries):
    """A v3 XHR2 binary payload from (is_binary, bytes) entries."""
    out = bytearray()
    for is_bin, data in entries:
        data = b(data)
        out.append(1 if is_bin else 0)
        out += bytes(int(c) for c in str(len(data)))
        out.append(0xFF)
        out += data
    return bytes(out)


def wt(is_bin, payload):
    """A WebTransport frame: 1/3/9-byte header, then the payload."""
    payload = b(payload)
    n, top = len(payload), 0x80 if is_bin else 0
    if n <= 125:
        return bytes([top | n]) + payload
    if n <= 65535:
        return bytes([top | 126]) + n.to_bytes(2, "big") + payload
    return bytes([top | 127]) + n.to_bytes(8, "big") + payload


SEP = b"\xfe\xfd\xfc\xfb"


def seq(*parts):
    """A fuzz_sio_decoder opcode stream: ('t'|'b'|'r'|'n', bytes) parts."""
    return SEP.join(op.encode() + b(data) for op, data in parts)


# --- Engine.IO packets -----------------------------------------------------
EIO_V4_TEXT = [
    "4hello", "4test", "4HelloWorld", "4hi", "4", "4\u20ac", "4test1", "2", "3", "2probe",
    "3probe", "5", "1", "6", "0", "0" + HS_V4, "0" + HS_WS, "abc", "", "7", "9", "a123",
    " 4", "bAQIDBA==", "bAQID", "bAQ==", "bAg==", "b!!AQID", "b!!!", "b", "b4AQIDBA==",
    "b4AQID", "bAQID-_", "bAQIDBA", '42["message",1,"2",{"3":[true]}]', '40{"token":"123"}',
    '40{"sid":"j4Otz1LRQPI9CHVVAAAk"}', '42["auth",{"token":"123"}]', "4abc", "42{}",
    '451-["message",' + PH0 + ',' + PH1 + ']', '44/random,{"message":"Invalid namespace"}',
]
EIO_V3_TEXT = ["4hey", "4hello", "4world", "2probe", "3probe", "5", "2", "3", "1", "4HelloWorld",
               "b4AQIDBA==", "b4AQID", "b2", "0" + HS_V3, "0" + HS_V3_WSONLY, "40", "abc", ""]
EIO_BINARY = [bytes([1, 2, 3, 4]), bytes([9, 9]), b"", bytes([4, 0, 1, 2, 3, 4, 5]),
              bytes([4, 1, 2, 3]), bytes([4, 1, 2, 3, 4]), bytes([2]), bytes([7, 1])]


def eio_packet_seeds():
    out = []
    for mode in (0, 2):
        out += [bytes([mode]) + b(s) for s in EIO_V4_TEXT]
        out += [bytes([mode | 1]) + b(s) for s in EIO_V3_TEXT]
        out += [bytes([mode | 4]) + d for d in EIO_BINARY]
        out += [bytes([mode | 5]) + d for d in EIO_BINARY]
        out += [bytes([mode]) + b"4\xc3\x28", bytes([mode]) + b"4\xed\xa0\x80"]
    return out


# --- Engine.IO payloads ------------------------------------------------------
V4_PAYLOADS = [
    "4hello" + RS + "2" + RS + "4world", "4hello" + RS + "bAQIDBA==",
    "4test1" + RS + "4test2" + RS + "4test3", "0" + RS + "1" + RS + "2probe" + RS + "3probe" + RS + "4test",
    "4test" + RS + "bAQIDBA==", "{", "{}", '["a123", "a456"]', "", RS, "7", "4a" + RS, "2", "2probe",
    "0", "5", "6" + RS + "4x", "4\u20ac" + RS + "4b", "4", "bAQID", "b4AQID", "4a" + RS + "1" + RS + "4b",
    "4a" + RS + RS + "4b", "abc", "4hi" + RS + "2" + RS + "9", "b!!AQID", "b", "6" + RS + "1", "3",
    "0" + HS_SIO4, '40{"token":"123"}',
    '40{"sid":"j4Otz1LRQPI9CHVVAAAk"}' + RS + '42["auth",{"token":"123"}]',
    '42["message",1,"2",{"3":[true]}]' + RS + '421["message-with-ack",1,"2"]',
    '42["message-back",1,"2",{"3":[true]}]' + RS + '431[1,"2"]',
    '40/custom,{"token":"abc"}' + RS + '40/forbidden,' + RS + '40/random,',
    '44/random,{"message":"Invalid namespace"}' + RS + '40/custom,{"sid":"8QNuzcp9t4PboMimAAAl"}' + RS
    + '42/custom,["auth",{"token":"abc"}]' + RS
    + '44/forbidden,{"message":"forbidden","data":{"reason":"fixture"}}',
    '40/custom,{"sid":"MnBktjhhFnAUQAJVAABY"}' + RS
    + '44/forbidden,{"message":"forbidden","data":{"reason":"fixture"}}' + RS
    + '44/random,"Unable to connect"' + RS + '42/custom,["auth",{"token":"abc"}]',
    '451-["message",' + PH0 + ']' + RS + "bAQID",
    '451-["message-back",' + PH0 + ']' + RS + "bAQID",
    '452-3["message-with-ack",' + PH1 + ',' + PH0 + ']' + RS + "bAQ==" + RS + "bAg==",
    '462-3[' + PH0 + ',' + PH1 + ']' + RS + "bAg==" + RS + "bAQ==",
    '42["hello"]' + RS + '42["world"]', '40' + RS + '42["hey","Jude"]',
]
V3_TEXT_PAYLOADS = [
    v3text("4hello"), v3text("4test1", "4test2", "4test3"), v3text("4hello", "b4AQIDBA=="),
    v3text("2"), v3text("3"), v3text("1"), v3text("6"), v3text("4\u20ac"),
    v3text("4hello", "4\u20ac"), v3text("4\u20ac", "b4AQIDBA=="), v3text("0" + HS_V3),
    v3text("4hey"), v3text("4hello", "4world"), "0:", "", "abc", "10:40/clipath",
    v3text("0" + HS_SIO4, "40"), v3text("0" + HS_SIO2, "40"), v3text('42["auth",{}]'),
    '32:42["message",1,"2",{"3":[true]}]29:421["message-with-ack",1,"2"]',
    '37:42["message-back",1,"2",{"3":[true]}]10:431[1,"2"]',
    '20:40/custom?token=abc,13:40/forbidden,10:40/random,',
    '29:44/random,"Invalid namespace"10:40/custom,34:42/custom,["auth",{"token":"abc"}]'
    '24:44/forbidden,"forbidden"',
    '2:4013:42["auth",{}]',
    v3text('451-["message",' + PH0 + ']', "b4AQID"),
    v3text('451-["message-back",' + PH0 + ']', "b4AQID"),
    v3text('42["hey","Jude"]'), v3text('42["hello"]', '42["world"]'),
    "1:", "x:4", "01:4", "1.0:4", " 1:4", "2:4\U0001F600", "3:4\U0001F600", "1e1:4hello1234",
    v3text("4a") + "5", "6:4hello6:4worl",
]
V3_XHR2_PAYLOADS = [
    xhr2((False, "4hello"), (True, bytes([4, 1, 2, 3, 4]))),
    xhr2((False, "4\u20ac"), (True, bytes([4, 1, 2, 3, 4]))),
    bytes([0, 4, 0xFF]) + "4\u20ac".encode() + bytes([1, 4, 0xFF, 1, 2, 3, 4]),
    xhr2((False, '451-["message-back",' + PH0 + ']'), (True, bytes([4, 1, 2, 3]))),
    xhr2((False, "2probe")), xhr2((True, bytes([4]))), bytes([1, 5, 0xFF, 4, 1, 2]),
    bytes([0, 1, 0xFF]), bytes([0]), b"",
]


def payload_seeds():
    v4 = [bytes([m]) + b(p) for m in (0, 2) for p in V4_PAYLOADS]
    v3 = [bytes([1 | m]) + b(p) for m in (0, 2) for p in V3_TEXT_PAYLOADS]
    v3 += [bytes([5 | m]) + p for m in (0, 2) for p in V3_XHR2_PAYLOADS]
    return v4, v3


# --- Handshakes and error bodies -------------------------------------------
HANDSHAKES = [HS_V4, HS_SIO4, HS_WS, HS_V3, HS_V3_WSONLY, HS_SIO2, HS_PY, HS_EVENTLET, HS_WT,
              '{"sid":"oSO0OpakMV_3jnilAAAA","upgrades":["websocket"],"pingInterval":25000,'
              '"pingTimeout":5000,"maxPayload":1000000}', "{}", "[]", "", "null",
              '{"sid":"","upgrades":[],"pingInterval":1,"pingTimeout":1,"maxPayload":1}',
              '{"sid":"a","upgrades":["polling","x"],"pingInterval":2147483648,"pingTimeout":1e3,'
              '"maxPayload":9007199254740992}']
ERRORS = ['{"code":0,"message":"Transport unknown"}', '{"code":1,"message":"Session ID unknown"}',
          '{"code":2,"message":"Bad handshake method"}', '{"code":3,"message":"Bad request"}',
          '{"code":4,"message":"Forbidden"}', '{"code":5,"message":"Unsupported protocol version"}',
          '{"code":4,"message":"custom refusal"}', '{"code":6,"message":"x"}',
          '{"code":"1","message":"Session ID unknown"}', "Session ID unknown", "",
          '{"code":1,"message":"Session ID unknown","context":{"name":"x"}}', '{"message":"x"}']


def handshake_seeds():
    out = []
    for m in (0, 1, 2, 3):
        out += [bytes([m]) + b("0" + h) for h in HANDSHAKES]
        out += [bytes([m | 4]) + b(e) for e in ERRORS]
    return out


# --- JSON -----------------------------------------------------------------------
JSON = [HS_V4, HS_PY, '["message",1,"2",{"3":[true]}]', '{"token":"123"}', PH0,
        '"Not authorized"', '{"message":"forbidden","data":{"reason":"fixture"}}',
        '["message",{"__proto__":{"x":1}}]', "[]", "{}", "1", "-0", "0.5", "1e309", "-1.5E+3",
        '"\\ud800"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\"\\\\\\/\\b\\f\\n\\r\\t"', "[1,]", "01",
        "1.", ".5", '{"a":1,"a":2}', "[" * 40 + "]" * 40, '"\x01"', "\ufeff[]", " [ ] ", "nul",
        "tru", '{"a" 1}', "[1 2]", '"\u20ac\U0001F600"', "9007199254740993", '{"":""}',
        '[null,true,false,"",0,{},[]]', "\t\n\r 1 \t\n\r", '"\\x"', '"\\u12"', "[-]", "-",
        "1e", "1e+", "[1.5e3,-2,0.0]"]


def json_seeds():
    out = [bytes([m]) + b(j) for m in (0, 2) for j in JSON]
    out += [bytes([m]) + b'"\xc3\x28"' for m in (0, 2)]
    out += [bytes([m]) + b'"\xed\xa0\x80"' for m in (0, 2)]
    out.append(bytes([4]) + b("[[[[[1]]]]]"))
    return out


# --- Socket.IO packets ------------------------------------------------------------
SIO_V5 = [
    "0", '0/admin,{"sid":"oSO0OpakMV_3jnilAAAA"}', '4{"message":"Not authorized"}', '2["foo"]',
    '2/admin,["bar"]', '51-["baz",' + PH0 + ']', '52-/admin,["baz",' + PH0 + ',' + PH1 + ']',
    '212["foo"]', '3/admin,13["bar"]', '61-15["bar",' + PH0 + ']', "1", "1/admin,",
    '0{"token":"123"}', "0/custom,", '0/custom,{"token":"abc"}', '2["message",1,"2",{"3":[true]}]',
    '2456["message-with-ack",1,"2",{"3":[false]}]', '52-["message",' + PH0 + ',' + PH1 + ']',
    '52-789["message-with-ack",' + PH0 + ',' + PH1 + ']', '62-789[' + PH0 + ',' + PH1 + ']',
    "1/custom", "abc", "2{}", '2abc["message-with-ack",1,"2",{"3":[false]}]', "0/random",
    "0 ", "2", "2[]", '2["connect"]', '2["message"]', "2[1,2]", '2["error"]',
    '21["message-with-ack"]', '2 ["message-with-ack",1]', "2123456789012345678901234567890[1]",
    "3", "3[]", "399[]", "431[]", '4{"message":"x"}', "", "a", "7", '511-["message"]',
    '510-["message"]', '50-["message","x"]', '2/custom,["message"]',
    '2["message",{"__proto__":{"x":1}}]', '52-3["message-with-ack",' + PH1 + ',' + PH0 + ']',
    '62-3[' + PH0 + ',' + PH1 + ']', "0custom", "0[]", '0"x"', "0/custom,null", "0/custom,[1]",
    '0{"a":[1,2]}extra', "0/custom/", "0/CUSTOM,", "0/custom?x=1,", "0/random,",
    '42["some","data"', '0/admin,"invalid"', "1/admin,{}", '2/admin,"invalid', "2/admin,{}",
    '2[true,"foo"]', '2[null,"bar"]', '2["disconnect","123"]', "5", "51", "5a-", "51.23-", "999",
    '53-["a",' + PH0 + ']', '2/nsp["a"]', '5 1-["a"]', '50x1-["a"]', "2/a,", "1{}", '2 ["x"]',
    '2' + "9" * 400 + '["a"]', '2["a",1,{}]', '2[1,"a",{}]', '2/test,1["a"]', '3123["a"]',
    '4"Unauthorized"', '51-23/cool,["a",' + PH0 + ']', '61-127/back,[' + PH0 + ']',
    '0/custom,{"sid":"8QNuzcp9t4PboMimAAAl"}', '2/custom,["auth",{"token":"abc"}]',
    '4/forbidden,{"message":"forbidden","data":{"reason":"fixture"}}', '2["emit-with-ack","x"]',
    '20["emit-with-ack","x"]', '30["pong"]', '0{"sid":"x","pid":"y"}',
    '0{"token":"123","pid":"x","offset":"y"}', '2["hello","offset-1"]', '2["x-disconnect-me"]',
    '4/random,"Unable to connect"',
]
SIO_V4 = [
    "0", "0/admin,", "1/admin,", '2["hello",1]', '2/admin,456["project:delete",123]', "3/admin,456[]",
    '4/admin,"Not authorized"', '51-["hello",' + PH0 + ']',
    '51-/admin,456["project:delete",' + PH0 + ']', '61-/admin,456[' + PH0 + ']',
    "0/custom?token=abc,", '4/forbidden,"forbidden"', '4/random,"Invalid namespace"',
    '4/random,{"message":"Invalid namespace"}', "0/admin", "1/admin", '2["hey","Jude"]',
    "0/admin?token=1234&uid=abcd,", '2["auth",{}]', "0/custom,", '2/custom,["auth",{"token":"abc"}]',
]


def sio_packet_seeds():
    out = []
    for m in (0, 2):
        out += [bytes([m]) + b(s) for s in SIO_V5]
        out += [bytes([m | 1]) + b(s) for s in SIO_V4]
        out += [bytes([m | 1]) + b(s) for s in SIO_V5[:30]]
        out += [bytes([m | 4]) + b("4" + s) for s in SIO_V5[:40]]
        out += [bytes([m | 5]) + b("4" + s) for s in SIO_V4]
    return out


# --- Socket.IO decoder sequences ------------------------------------------------
def decoder_seeds():
    hdr2 = '52-["message",' + PH0 + ',' + PH1 + ']'
    raw = [
        (0, seq(("t", '2["hello"]'))),
        (0, seq(("t", '51-["baz",' + PH0 + ']'), ("b", bytes([1, 2, 3, 4])))),
        (0, seq(("t", hdr2), ("b", bytes([1, 2, 3])), ("b", bytes([4, 5, 6])))),
        (0, seq(("t", '52-789["message-with-ack",' + PH0 + ',' + PH1 + ']'), ("b", b"\x01\x02\x03"),
                ("b", b"\x04\x05\x06"), ("t", '2["after"]'))),
        (0, seq(("t", '61-15["bar",' + PH0 + ']'), ("b", b"\x01\x02\x03\x04"))),
        (0, seq(("t", '52-/admin,["baz",' + PH0 + ',' + PH1 + ']'), ("b", b"\x01\x02"),
                ("b", b"\x03\x04"))),
        (0, seq(("t", '52-3["message-with-ack",' + PH1 + ',' + PH0 + ']'), ("b", b"\x01"),
                ("b", b"\x02"))),
        (0, seq(("t", '510-["message"]'),) + SEP + SEP.join(b"b" + bytes([i]) for i in range(10))),
        (0, seq(("t", '51-["a",' + PH0 + ']'), ("r", ""), ("t", '2["hello"]'))),
        (0, seq(("t", '51-["a",' + PH0 + ']'), ("n", ""), ("b", b"\x01"))),
        (0, seq(("b", b"\x01\x02"), ("r", ""), ("t", "0"))),
        (0, seq(("t", '51-["a",' + PH0 + ']'), ("t", '2["b"]'))),
        (0, seq(("t", "0"), ("t", '0/custom,{"token":"abc"}'), ("t", '2/custom,["x",1]'), ("t", "1"))),
        (1, seq(("t", '51-/admin,456["project:delete",' + PH0 + ']'), ("b", b"\x01\x02\x03"))),
        (1, seq(("t", '61-/admin,456[' + PH0 + ']'), ("b", b"\x03\x02\x01"))),
        (4, seq(("t", '451-["message",' + PH0 + ']'), ("b", b"\x01\x02\x03"))),
        (4, seq(("t", '451-["message",' + PH0 + ']'), ("t", "bAQID"))),
        (4, seq(("t", '452-["message",' + PH0 + ',' + PH1 + ']'), ("t", "2"), ("b", b"\x01"),
                ("b", b"\x02"))),
        (4, seq(("t", '42["message",1,"2",{"3":[true]}]'), ("t", "3"), ("t", "41"))),
        (5, seq(("t", '451-["message",' + PH0 + ']'), ("b", b"\x04\x01\x02\x03"))),
        (5, seq(("t", "40"), ("t", '42["auth",{}]'), ("b", b"\x04\x01\x02\x03"))),
    ]
    return [bytes([f | m]) + s for f, s in raw for m in (0, 2)]


# --- WebTransport -----------------------------------------------------------------
def wt_seeds():
    raw = [
        bytes.fromhex("063468656c6c6f"), bytes.fromhex("053431e282ac0132 0133".replace(" ", "")),
        bytes.fromhex("83010203"), bytes.fromhex("86010002000101"), bytes([0x0B]) + b"4" * 11,
        bytes([0]), bytes.fromhex("0130"), bytes.fromhex("fe3039") + b"\x00" * 20,
        bytes.fromhex("ff00000000075bcd15"), bytes.fromhex("ff0020000000000000"),
        bytes.fromhex("7e007d") + b"4" * 125, wt(False, "0"), wt(False, '0{"sid":"lv_VI97HAXpY6yYWAAAC"}'),
        wt(False, "2probe") + wt(False, "3probe") + wt(False, "5"), wt(False, "0" + HS_V4),
        wt(True, bytes(range(200))), wt(False, "4" + "x" * 300), wt(False, "2") + wt(False, "3"),
        wt(False, '0{"sid":"__proto__"}'), wt(True, b"\x01\x02\x03")[:3],
    ]
    return [bytes([m]) + r for r in raw for m in (0, 2)]


def roundtrip_seeds():
    out = []
    pat = bytes(range(7, 250, 3))
    for flags in range(8):
        for layer in range(5):
            out.append(bytes([flags, layer]) + pat)
            out.append(bytes([flags, layer, 1, 3, 200, 5]) + pat[::-1])
    return out


def all_seeds():
    v4, v3 = payload_seeds()
    return {
        "eio_packet": eio_packet_seeds(), "eio_payload_v4": v4, "eio_payload_v3": v3,
        "eio_handshake": handshake_seeds(), "json": json_seeds(), "sio_packet": sio_packet_seeds(),
        "sio_decoder": decoder_seeds(), "wt_frame": wt_seeds(), "roundtrip": roundtrip_seeds(),
    }


# --- Regression inputs (named after the CVE or the bug they reproduce) ---------
def ph(num):
    return '{"_placeholder":true,"num":%s}' % num


def regress():
    r = {}
    long_digits = "9" * 20000
    r["sio_packet"] = {
        "CVE-2023-32695-toString-event": b'\x00' + b'2[{"toString":"foo"}]',
        "CVE-2023-32695-true-event": b'\x00' + b'2[true,"foo"]',
        "CVE-2023-32695-null-event": b'\x00' + b'2[null,"bar"]',
        "CVE-2023-32695-array-event": b'\x00' + b'2[[1]]',
        "CVE-2023-32695-reserved-connect": b'\x00' + b'2["connect"]',
        "CVE-2023-32695-reserved-newListener": b'\x02' + b'2["newListener"]',
        "CVE-2023-32695-compat-toString": b'\x02' + b'2[{"toString":"foo"}]',
        "CVE-2024-38355-error-event": b'\x00' + b'2["error"]',
        "CVE-2024-38355-error-event-ack-nsp": b'\x02' + b'2/custom,1["error",{}]',
        "CVE-2026-33151-11-attachments": b'\x00' + b'511-["message"]',
        "CVE-2026-33151-huge-count": b'\x02' + b'599999999-["message"]',
        "CVE-2026-33151-exponent-count": b'\x02' + b'51e9-["message"]',
        "CVE-2026-69185-zero-attachments": b'\x00' + b'50-["a"]',
        "CVE-2026-69185-zero-attachments-compat": b'\x02' + b'50-["a"]',
        "CVE-2022-2421-splice": b'\x00' + b('51-["hello",' + ph('"splice"') + ']'),
        "CVE-2022-2421-num-1-of-1": b'\x02' + b('51-["hello",' + ph(1) + ']'),
        "CVE-2020-36049-long-ack-id": b'\x02' + b("2" + long_digits + '["x"]'),
        "CVE-2020-36049-long-count": b'\x02' + b("5" + long_digits + "-"),
        "CVE-2020-36049-long-nsp": b'\x02' + b("2/" + "a" * 20000),
        "js-quirk-space-ack-id": b'\x02' + b'2 ["a"]',
        "js-quirk-400-nines-ack-id": b'\x02' + b("2" + "9" * 400 + '["a"]'),
        "js-quirk-nsp-without-comma": b'\x02' + b'2/nsp["a"]',
        "js-quirk-loose-count": b'\x02' + b'50x1-["a"]',
        "js-quirk-space-count": b'\x02' + b'5 1-["a"]',
        "js-quirk-trailing-comma": b'\x02' + b'2/a,',
        "js-quirk-ack-no-data": b'\x02' + b'3',
        "ack-id-2-53": b'\x02' + b'29007199254740992["a"]',
    }
    r["sio_decoder"] = {
        "CVE-2022-2421-splice": b'\x00' + seq(("t", '51-["hello",' + ph('"splice"') + ']'), ("b", b"\x01")),
        "CVE-2022-2421-toString": b'\x02' + seq(("t", '51-["hello",' + ph('"toString"') + ']'), ("b", b"\x01")),
        "CVE-2022-2421-proto": b'\x02' + seq(("t", '51-["hello",' + ph('"__proto__"') + ']'), ("b", b"\x01")),
        "CVE-2022-2421-minus-1": b'\x02' + seq(("t", '51-["hello",' + ph(-1) + ']'), ("b", b"\x01")),
        "CVE-2022-2421-fraction": b'\x02' + seq(("t", '51-["hello",' + ph(1.5) + ']'), ("b", b"\x01")),
        "CVE-2022-2421-exponent": b'\x02' + seq(("t", '51-["hello",' + ph("1e3") + ']'), ("b", b"\x01")),
        "CVE-2022-2421-out-of-range": b'\x00' + seq(("t", '51-["hello",' + ph(1) + ']'), ("b", b"\x01")),
        "CVE-2022-2421-null": b'\x02' + seq(("t", '51-["hello",' + ph("null") + ']'), ("b", b"\x01")),
        "CVE-2022-2421-text-while-pending": b'\x00' + seq(("t", '51-["hello",' + ph(0) + ']'), ("t", '2["x"]')),
        "CVE-2026-33151-11-binaries": b'\x02' + seq(("t", '511-["message"]'),) + SEP
        + SEP.join(b"b" + bytes([i]) for i in range(11)),
        "CVE-2026-69185-zero-then-binaries": b'\x02' + seq(("t", '50-["message","x"]'), ("b", b"\x01"),
                                                            ("b", b"\x02"), ("t", '2["x"]')),
        "CVE-2026-48804-reset-mid-binary": b'\x02' + seq(("t", '51-/nsp,["a",' + ph(0) + ']'), ("r", ""),
                                                         ("b", b"\x01"), ("r", ""), ("t", '2["hello"]')),
        "socket.io-1980-binary-without-header": b'\x00' + seq(("b", b"\x01\x02\x03")),
        "destroy-mid-reconstruction": b'\x00' + seq(("t", '51-["a",' + ph(0) + ']'), ("n", ""),
                                                   ("t", '2["hello"]')),
    }
    r["eio_payload_v3"] = {
        "engineioxide-truncated-binary-payload": bytes([5]) + bytes([1, 5, 0xFF, 4, 1, 2]),
        "engineioxide-length-byte-208": bytes([5]) + bytes([1, 208, 0xFF, 4, 1, 2]),
        "xhr2-311-length-digits": bytes([5]) + bytes([0]) + bytes([9] * 311) + bytes([0xFF, 0x34]),
        "xhr2-missing-ff": bytes([5]) + bytes([0, 1, 2, 3]),
        "netty-length-larger-than-data": bytes([1]) + b"10:40/clipath",
        "netty-giant-length": bytes([1]) + b"193084926:4hello",
        "CVE-2020-36049-long-length": bytes([3]) + b"99999991:4222222222",
        "utf16-surrogate-length": bytes([1]) + "2:4\U0001F600".encode(),
        "utf16-byte-length": bytes([1]) + "4:4\u20ac".encode(),
    }
    r["eio_payload_v4"] = {
        "CVE-2020-36048-oversize-body": bytes([0]) + b"4" + b"a" * 3000,
        "js-quirk-stop-at-first-bad": bytes([2]) + b"4hi\x1e2\x1e9",
        "trailing-separator": bytes([0]) + b"4a\x1e",
        "double-separator": bytes([0]) + b"4a\x1e\x1e4b",
        "close-inside-payload": bytes([0]) + b"4a\x1e1\x1e4b",
    }
    r["eio_packet"] = {
        "js-quirk-lenient-base64": bytes([2]) + b"b!!AQID",
        "js-quirk-empty-binary": bytes([2]) + b"b",
        "engineioxide-base64-v3-style": bytes([2]) + b"b4AQIDBA==",
        "empty-text-frame": bytes([0]),
        "v3-binary-without-type": bytes([5]),
    }
    r["eio_handshake"] = {
        "CVE-2026-59724-proto-sid": bytes([0]) + b('0{"sid":"__proto__","upgrades":[],"pingInterval":300,'
                                                    '"pingTimeout":200,"maxPayload":1000000}'),
        "eventlet-ping-interval-0": bytes([2]) + b("0" + HS_EVENTLET),
        "python-no-maxpayload": bytes([2]) + b("0" + HS_PY),
        "huge-max-payload": bytes([0]) + b('0{"sid":"a","upgrades":[],"pingInterval":1,"pingTimeout":1,'
                                           '"maxPayload":9007199254740993}'),
    }
    r["wt_frame"] = {
        "CVE-2026-59724-proto-sid-open": bytes([0]) + wt(False, '0{"sid":"__proto__"}'),
        "length-above-2-53": bytes([0]) + bytes.fromhex("ff0020000000000001"),
        "zero-length-frame": bytes([0, 0]),
        "length-above-max-payload": bytes([0]) + bytes.fromhex("fe3039"),
    }
    return r


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("seeds", "regress"):
        sys.stderr.write(__doc__)
        return 2
    if sys.argv[1] == "seeds":
        for target, inputs in all_seeds().items():
            d = os.path.join(sys.argv[2], target)
            os.makedirs(d, exist_ok=True)
            for data in inputs:
                with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
                    f.write(data)
            print("%-16s %4d seeds" % (target, len(inputs)))
    else:
        for target, named in regress().items():
            d = os.path.join(sys.argv[2], "regress", target)
            os.makedirs(d, exist_ok=True)
            for name, data in named.items():
                with open(os.path.join(d, name), "wb") as f:
                    f.write(data)
            print("%-16s %4d regression inputs" % (target, len(named)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
