#!/usr/bin/env node
/*
 * oracle.js - siospec's differential oracle: the reference Node parsers
 * (engine.io-parser 5 for Engine.IO v4, engine.io's lib/parser-v3 for v3,
 * socket.io-parser 4 for Socket.IO) behind a pipe.
 *
 * Protocol (one persistent process, stdin -> stdout, little-endian):
 *   request  = u32 length, u8 layer, the fuzz input (flag byte + bytes)
 *   response = u32 length, UTF-8 canonical text
 * The canonical text is one event per line, in the exact format that
 * fuzz/diff/diff_canon.c produces from the C codec, so the two compare
 * byte for byte. Layers and flag bytes are those of the fuzz targets:
 *   1 eio_packet  2 eio_payload_v4  3 eio_payload_v3  4 sio_packet
 *   5 sio_decoder (parts separated by FE FD FC FB; opcode t/b/r/n)
 * Events:
 *   E <type> <t|b> <hex of data bytes>     an Engine.IO packet
 *   S <type> <nsp JSON> <id|-> <data|->    a Socket.IO packet; 5/6 map to
 *                                          2/3, data canonical JSON
 *   PENDING                                attachments awaited
 *   ERR <reason>                           rejected (reason not compared)
 *   END                                    payload finished cleanly
 *   R                                      decoder reset / recreated
 * Canonical JSON: sorted keys (by the bytes of their JSON form), numbers
 * and strings as JSON.stringify writes them, Buffers as {"$binary":b64}.
 * With --selftest it decodes a few known inputs and exits.
 */
"use strict";
const eioParser = require("engine.io-parser");
const sioParser = require("socket.io-parser");
/* engine.io does not export its v3 parser; load the file by path. */
const parserV3 = require(require("path").join(
  require.resolve("engine.io").replace(/build[\\/]engine\.io\.js$/, ""), "build", "parser-v3", "index.js"));

const SEP = Buffer.from([0xfe, 0xfd, 0xfc, 0xfb]);
const TYPES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];

function keyCompare(a, b) {
  return Buffer.compare(Buffer.from(a[0], "utf8"), Buffer.from(b[0], "utf8"));
}

function canon(v) {
  if (v === undefined) return undefined;
  if (v === null) return "null";
  if (Buffer.isBuffer(v) || v instanceof ArrayBuffer) {
    return canon({ $binary: Buffer.from(v).toString("base64") });
  }
  if (Array.isArray(v)) {
    return "[" + v.map((x) => { const c = canon(x); return c === undefined ? "null" : c; }).join(",") + "]";
  }
  switch (typeof v) {
    case "number": return JSON.stringify(v);
    case "string": return JSON.stringify(v);
    case "boolean": return v ? "true" : "false";
    case "object": {
      const members = [];
      for (const k of Object.keys(v)) {
        const c = canon(v[k]);
        if (c !== undefined) members.push([JSON.stringify(k), c]);
      }
      members.sort(keyCompare);
      return "{" + members.map((m) => m[0] + ":" + m[1]).join(",") + "}";
    }
    default: return undefined;
  }
}

function eioEvent(p) {
  if (!p || p.type === "error" || TYPES.indexOf(p.type) < 0) return "ERR " + (p && p.type);
  const t = TYPES.indexOf(p.type);
  if (p.data === undefined) return "E " + t + " t ";
  if (typeof p.data === "string") return "E " + t + " t " + Buffer.from(p.data, "utf8").toString("hex");
  return "E " + t + " b " + Buffer.from(p.data).toString("hex");
}

function layerEioPacket(flags, body) {
  const v3 = flags & 1, bin = flags & 4;
  if (v3) return [eioEvent(parserV3.decodePacket(bin ? body : body.toString("utf8")))];
  return [eioEvent(eioParser.decodePacket(bin ? body : body.toString("utf8"), "nodebuffer"))];
}

function layerPayloadV4(flags, body) {
  const out = [];
  for (const p of eioParser.decodePayload(body.toString("utf8"), "nodebuffer")) {
    const e = eioEvent(p);
    out.push(e);
    if (e.startsWith("ERR")) return out;
  }
  out.push("END");
  return out;
}

function layerPayloadV3(flags, body) {
  const out = [];
  let failed = false;
  const cb = (p) => {
    if (failed) return false;
    const e = eioEvent(p);
    out.push(e);
    if (e.startsWith("ERR")) { failed = true; return false; }
    return true;
  };
  if (flags & 4) parserV3.decodePayloadAsBinary(body, "nodebuffer", cb);
  else parserV3.decodePayload(body.toString("utf8"), "nodebuffer", cb);
  if (!failed) out.push("END");
  return out;
}

function sioEvent(p) {
  const type = p.type === 5 ? 2 : p.type === 6 ? 3 : p.type;
  const id = p.id === undefined ? "-" : JSON.stringify(p.id);
  const data = p.data === undefined ? "-" : canon(p.data);
  return "S " + type + " " + JSON.stringify(p.nsp) + " " + id + " " + (data === undefined ? "-" : data);
}

/* A Socket.IO decoder session; feed() returns the event of one message. */
function sioSession() {
  let dec, got;
  const make = () => {
    dec = new sioParser.Decoder();
    dec.on("decoded", (p) => { got = p; });
  };
  make();
  let failed = false;
  return {
    feed(msg) {
      if (failed) return null; /* after an error the connection is gone */
      got = undefined;
      try {
        dec.add(msg);
      } catch (e) {
        failed = true;
        return "ERR " + e.message;
      }
      return got ? sioEvent(got) : "PENDING";
    },
    reset() { dec.destroy(); make(); failed = false; },
  };
}

/* Engine.IO unwrapping for FZ_ALT: the message that reaches Socket.IO. */
function unwrap(flags, isBin, part) {
  let p;
  if (flags & 1) p = parserV3.decodePacket(isBin ? part : part.toString("utf8"), "nodebuffer");
  else p = eioParser.decodePacket(isBin ? part : part.toString("utf8"), "nodebuffer");
  if (!p || p.type !== "message" || p.data === undefined) return undefined;
  return p.data;
}

function layerSioPacket(flags, body) {
  let msg = body.toString("utf8");
  if (flags & 4) {
    msg = unwrap(flags, false, body);
    if (typeof msg !== "string") return ["SKIP"];
  }
  return [sioSession().feed(msg)];
}

function splitParts(body) {
  const parts = [];
  let start = 0;
  for (;;) {
    const i = body.indexOf(SEP, start);
    if (i < 0) { parts.push(body.subarray(start)); return parts; }
    parts.push(body.subarray(start, i));
    start = i + SEP.length;
  }
}

function layerSioDecoder(flags, body) {
  const s = sioSession(), out = [];
  for (const part of splitParts(body)) {
    const op = part.length ? String.fromCharCode(part[0]) : "t";
    const rest = part.subarray(part.length ? 1 : 0);
    if (op === "r" || op === "n") { s.reset(); out.push("R"); continue; }
    let msg = op === "b" ? rest : rest.toString("utf8");
    if (flags & 4) {
      msg = unwrap(flags, op === "b", rest);
      if (msg === undefined) continue;
    }
    const e = s.feed(msg);
    if (e !== null) out.push(e);
  }
  return out;
}

const LAYERS = { 1: layerEioPacket, 2: layerPayloadV4, 3: layerPayloadV3, 4: layerSioPacket, 5: layerSioDecoder };

function answer(layer, input) {
  const fn = LAYERS[layer];
  if (!fn || input.length < 1) return "BADREQ";
  try {
    return fn(input[0], input.subarray(1)).join("\n");
  } catch (e) {
    return "CRASH " + String(e && e.message).replace(/\n/g, " ");
  }
}

function serve() {
  let buf = Buffer.alloc(0);
  process.stdin.on("data", (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4) {
      const n = buf.readUInt32LE(0);
      if (buf.length < 4 + n) break;
      const req = buf.subarray(4, 4 + n);
      buf = buf.subarray(4 + n);
      const text = Buffer.from(n >= 1 ? answer(req[0], req.subarray(1)) : "BADREQ", "utf8");
      const hdr = Buffer.alloc(4);
      hdr.writeUInt32LE(text.length, 0);
      process.stdout.write(Buffer.concat([hdr, text]));
    }
  });
  process.stdin.on("end", () => process.exit(0));
}

if (process.argv[2] === "--selftest") {
  const show = (l, f, s) => console.log(l, JSON.stringify(s), "=>", JSON.stringify(answer(l, Buffer.concat([Buffer.from([f]), Buffer.from(s, "latin1")]))));
  show(1, 0, "4hello"); show(1, 2, "b!!AQID"); show(2, 0, "4hi\x1e2\x1e9");
  show(3, 1, "6:4hello2:4\u00e2\u0082\u00ac"); show(4, 0, '2 ["a"]'); show(4, 0, "451-[\"a\",{\"_placeholder\":true,\"num\":0}]");
  show(5, 0, "t51-[\"a\",{\"_placeholder\":true,\"num\":0}]\xfe\xfd\xfc\xfbb\x01\x02");
  show(4, 0, "2" + "9".repeat(30) + "[1]");
} else {
  serve();
}
