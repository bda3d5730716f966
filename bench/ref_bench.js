#!/usr/bin/env node
/*
 * ref_bench.js - the reference side of the siospec codec benchmark.
 *
 * Runs the reference Node parsers pinned in bench/package.json
 * (engine.io-parser for Engine.IO v4, engine.io's bundled parser-v3 for v3
 * polling payloads, socket.io-parser for Socket.IO v5) over the corpus
 * written by codec_bench, class by class, with the same classes, the same
 * notion of a pass and packet, and the same timing rules as the C side
 * (codec_bench.c): an untimed warm-up of at least --warmup seconds (at
 * least one pass), then --rounds rounds of --min-time / --rounds seconds
 * each, of which the fastest is reported, or one round of exactly
 * --iterations passes.
 *
 * What a pass does (mirrors bench_codec.c):
 *   decode: each record's bytes become a string with buf.toString("utf8")
 *           (what the engine.io transports do with a body or a WebSocket
 *           message), then decodePayload / decodePacket; Socket.IO classes
 *           feed the message data (and binary attachments) to one
 *           socket.io-parser Decoder per class.
 *   encode: from the decoded packets back to wire bytes: encodePayload /
 *           encodePacket (Socket.IO: Encoder.encode, then encodePacket of
 *           each part as a message), and Buffer.from(string) for text, the
 *           conversion the transports make before writing.
 * With --no-utf8 the string conversions are left out of both directions
 * (parsers only), which is kinder to the reference.
 *
 * Before measuring, every class is decoded and re-encoded once and the
 * output compared with the corpus byte for byte, so both sides provably do
 * the same work. Output is a line protocol read by codec_bench:
 *   REF meta <versions>
 *   REF result class=<c> dir=<decode|encode> passes=N seconds=S bytes=B packets=P
 *   REF error <text>          (then exit status 1)
 */
"use strict";

const fs = require("fs");
const path = require("path");
const eio = require("engine.io-parser");
const sio = require("socket.io-parser");
const eio3 = require(path.join(path.dirname(require.resolve("engine.io")), "parser-v3", "index.js"));

const MAGIC = "SIOBNCH1";
/* Record kinds, as in bench/bench.h. */
const K = { EIO4_POLL: 1, EIO4_WS: 2, EIO3_POLL: 3, SIO_SMALL: 4, SIO_MEDIUM: 5,
            SIO_BINARY: 6, SIO_ATTACHMENT: 7, SIO_LARGE: 8 };

function parseArgs(argv) {
  const o = { corpus: "siospec-bench.corpus", minTime: 2, warmup: 0.5, iterations: 0, rounds: 5,
              classes: null, dirs: ["decode", "encode"], utf8: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === "--corpus") o.corpus = v();
    else if (a === "--min-time") o.minTime = Number(v());
    else if (a === "--warmup") o.warmup = Number(v());
    else if (a === "--iterations") o.iterations = Number(v());
    else if (a === "--rounds") o.rounds = Number(v());
    else if (a === "--clock") o.cpuClock = v() === "cpu";
    else if (a === "--class") o.classes = v().split(",");
    else if (a === "--dir") o.dirs = [v()];
    else if (a === "--no-utf8") o.utf8 = false;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/* Splits the file into records and groups them into units per kind; a
 * binary header owns the attachment records that follow it. */
function loadCorpus(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 8 || buf.toString("latin1", 0, 8) !== MAGIC) throw new Error(`${file}: bad magic`);
  const units = new Map();
  let pos = 8;
  let last = null;
  while (pos < buf.length) {
    if (buf.length - pos < 5) throw new Error(`${file}: truncated record at ${pos}`);
    const kind = buf[pos];
    const len = buf.readUInt32LE(pos + 1);
    if (len > buf.length - pos - 5) throw new Error(`${file}: truncated record at ${pos}`);
    const rec = buf.subarray(pos + 5, pos + 5 + len);
    pos += 5 + len;
    if (kind === K.SIO_ATTACHMENT) {
      if (!last || last.kind !== K.SIO_BINARY) throw new Error(`${file}: stray attachment`);
      last.recs.push(rec);
      continue;
    }
    last = { kind, recs: [rec] };
    if (!units.has(kind)) units.set(kind, []);
    units.get(kind).push(last);
  }
  return units;
}

const toWire = (s, o) => (o.utf8 ? Buffer.from(s, "utf8") : s);

/* Engine.IO classes: decoded state is one packet array per unit. */
function eioClass(name, kind, decodeUnit, encodeUnit) {
  return {
    name, kind,
    prepare(units, o) {
      const input = units.map((u) => (o.utf8 ? u.recs[0] : u.recs[0].toString("utf8")));
      const decoded = units.map((u) => decodeUnit(u.recs[0].toString("utf8")));
      return { input, decoded, sink: 0 };
    },
    decode(st, o) {
      let n = 0;
      for (const x of st.input) n += decodeUnit(o.utf8 ? x.toString("utf8") : x).length;
      return n;
    },
    encode(st, o) {
      let n = 0;
      for (const pkts of st.decoded) {
        st.sink += toWire(encodeUnit(pkts), o).length;
        n += pkts.length;
      }
      return n;
    },
    encodeForCheck: (st, i) => [Buffer.from(encodeUnit(st.decoded[i]), "utf8")],
  };
}

function decodeV3(str) {
  const out = [];
  eio3.decodePayload(str, (p) => { out.push(p); });
  return out;
}

function encodeV3(pkts) {
  let s;
  eio3.encodePayload(pkts, false, (r) => { s = r; });
  return s;
}

function encodeV4Payload(pkts) {
  let s;
  eio.encodePayload(pkts, (r) => { s = r; });
  return s;
}

function encodeV4Packet(pkts) {
  let s;
  eio.encodePacket(pkts[0], true, (r) => { s = r; });
  return s;
}

/* Socket.IO classes: WS messages through decodePacket and one Decoder. */
function sioClass(name, kind) {
  const decodeUnit = (dec, u, o, pre) => {
    for (let i = 0; i < u.recs.length; i++) {
      const r = u.recs[i];
      const msg = i === 0 ? (o.utf8 ? r.toString("utf8") : pre) : r;
      dec.add(eio.decodePacket(msg).data);
    }
  };
  return {
    name, kind,
    prepare(units, o) {
      const dec = new sio.Decoder();
      const decoded = [];
      dec.on("decoded", (p) => decoded.push(p));
      const pre = units.map((u) => u.recs[0].toString("utf8"));
      units.forEach((u, i) => decodeUnit(dec, u, { utf8: false }, pre[i]));
      if (decoded.length !== units.length) throw new Error(`${name}: decoded ${decoded.length} of ${units.length}`);
      /* What a server's emit() hands the encoder: EVENT/ACK holding Buffers. */
      for (const p of decoded) {
        if (p.type === sio.PacketType.BINARY_EVENT) p.type = sio.PacketType.EVENT;
        if (p.type === sio.PacketType.BINARY_ACK) p.type = sio.PacketType.ACK;
      }
      const counter = { n: 0 };
      const live = new sio.Decoder();
      live.on("decoded", () => { counter.n++; });
      return { units, pre, decoded, live, counter, enc: new sio.Encoder() };
    },
    decode(st, o) {
      st.counter.n = 0;
      st.units.forEach((u, i) => decodeUnit(st.live, u, o, st.pre[i]));
      return st.counter.n;
    },
    encode(st, o) {
      for (const p of st.decoded) {
        for (const part of st.enc.encode(p)) {
          eio.encodePacket({ type: "message", data: part }, true, (w) => {
            if (typeof w === "string") toWire(w, o);
          });
        }
      }
      return st.decoded.length;
    },
    encodeForCheck(st, i) {
      const out = [];
      for (const part of st.enc.encode(st.decoded[i])) {
        eio.encodePacket({ type: "message", data: part }, true, (w) => {
          out.push(typeof w === "string" ? Buffer.from(w, "utf8") : Buffer.from(w));
        });
      }
      return out;
    },
  };
}

const CLASSES = [
  eioClass("eio4-polling", K.EIO4_POLL, (s) => eio.decodePayload(s), encodeV4Payload),
  eioClass("eio4-ws", K.EIO4_WS, (s) => [eio.decodePacket(s)], encodeV4Packet),
  eioClass("eio3-polling", K.EIO3_POLL, decodeV3, encodeV3),
  sioClass("sio-small", K.SIO_SMALL),
  sioClass("sio-medium", K.SIO_MEDIUM),
  sioClass("sio-binary", K.SIO_BINARY),
  sioClass("sio-large-json", K.SIO_LARGE),
];

/* Decoded packets must not be parser errors, and re-encoding must give
 * the corpus back. */
function check(cls, units, st) {
  if (st.decoded && cls.kind <= K.EIO3_POLL) {
    st.decoded.forEach((pkts, i) => {
      if (pkts.length === 0 || pkts.some((p) => p.type === "error")) throw new Error(`${cls.name} unit ${i}: parser error`);
    });
  }
  units.forEach((u, i) => {
    const got = cls.encodeForCheck(st, i);
    const same = got.length === u.recs.length && got.every((b, k) => b.equals(u.recs[k]));
    if (!same) throw new Error(`${cls.name} unit ${i}: re-encoding differs: ${JSON.stringify(got[0].toString("utf8").slice(0, 120))} vs ${JSON.stringify(u.recs[0].toString("utf8").slice(0, 120))}`);
  });
}

/* Wall time, or with --clock cpu the process CPU time (all threads: V8's
 * garbage collector and compiler threads count, as their work is part of
 * the reference's cost). */
let now = () => Number(process.hrtime.bigint()) / 1e9;
const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/* Passes for at least |secs| seconds, or exactly |iters| passes. */
function timedRound(fn, secs, iters) {
  let passes = 0;
  let pkts = 0;
  let seconds = 0;
  const t0 = now();
  for (;;) {
    pkts += fn();
    passes++;
    seconds = now() - t0;
    if (iters > 0 ? passes >= iters : seconds >= secs) break;
  }
  return { passes, seconds, pkts };
}

/* The warm-up, then the fastest of |rounds| rounds (one round of exactly
 * |iterations| passes when that is set), as codec_bench does. */
function measure(fn, o) {
  timedRound(fn, o.warmup, 0);
  const rounds = o.iterations > 0 || !(o.rounds > 0) ? 1 : o.rounds;
  let best = null;
  for (let i = 0; i < rounds; i++) {
    const r = timedRound(fn, o.minTime / rounds, o.iterations);
    if (!best || r.passes / r.seconds > best.passes / best.seconds) best = r;
  }
  return best;
}

function version(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "node_modules", name, "package.json"), "utf8")).version;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.cpuClock) now = cpuNow;
  const corpus = loadCorpus(o.corpus);
  console.log(`REF meta node ${process.version}, engine.io-parser ${version("engine.io-parser")}, ` +
              `socket.io-parser ${version("socket.io-parser")}, engine.io ${version("engine.io")} (parser-v3)` +
              `${o.utf8 ? "" : ", parsers only (--no-utf8)"}${o.cpuClock ? ", CPU time" : ""}`);
  for (const cls of CLASSES) {
    if (o.classes && !o.classes.includes(cls.name)) continue;
    const units = corpus.get(cls.kind) || [];
    const bytes = units.reduce((a, u) => a + u.recs.reduce((b, r) => b + r.length, 0), 0);
    const st = cls.prepare(units, o);
    check(cls, units, st);
    for (const dir of o.dirs) {
      process.stderr.write(`reference: ${cls.name} ${dir}\n`);
      const f = measure(() => cls[dir](st, o), o);
      console.log(`REF result class=${cls.name} dir=${dir} passes=${f.passes} ` +
                  `seconds=${f.seconds.toFixed(6)} bytes=${bytes * f.passes} packets=${f.pkts}`);
    }
  }
}

try {
  main();
} catch (e) {
  console.log(`REF error ${e && e.message ? e.message : e}`);
  process.exitCode = 1;
}
