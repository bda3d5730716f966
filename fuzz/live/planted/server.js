'use strict';
/*
 * fuzz/live/planted/server.js - the live fuzzer's planted-bug testee.
 *
 * The reference target sio4 (socket.io 4.8.4 from harness/targets/node-sio4,
 * the contract of docs/testee-contract.md via harness/targets/common) with
 * exactly ONE planted bug, chosen by the environment variable SIOSPEC_PLANT.
 * Unset or empty: no bug, the server behaves like sio4. An unknown name
 * prints an error and exits with status 2.
 *
 * The bugs are of the kinds a live fuzzer exists to find: crashes,
 * hangs, leaks, protocol violations and missing reactions, each behind a
 * trigger of some depth (an argument shape, a size, a count, a sequence of
 * actions, a namespace, a transport state). No trigger depends on a magic
 * string that only a dictionary of the plant could guess: they are
 * structural (nesting depth, key counts, sizes, packet counts, attachment
 * counts, ack id ranges) or sequences of the contract's own events.
 * plants.tsv (`node server.js --list`) documents them.
 *
 * Plants are installed like the faults of cases/tests/faulty/server.js: by
 * patching engine.io / socket.io / socket.io-parser prototypes of the copies
 * in node-sio4/node_modules (the instances socket.io loads), by a custom
 * parser, or by per-socket middleware (socket.use) that only observes the
 * event and always passes it on. Crashes are thrown from a timer, so they
 * are uncaught whatever the caller does, and each prints one exception line
 * that names the plant (the fuzzer's crash signature).
 *
 *   SIOSPEC_PLANT=<name> HOST=127.0.0.1 PORT=3000 node server.js
 *   node server.js --list        prints "<plant>\t<class>\t<trigger>" per plant (plants.tsv)
 */

const fs = require('fs');

const { patch, editingParser, ackArgsAsObject, choose, serve } =
    require('../../../harness/targets/common/sio4-fixture.cjs');

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */

/* The planted crash: an uncaught exception thrown from a timer. */
function crashSoon(ErrorType, message) {
    setImmediate(() => {
        throw new ErrorType(message);
    });
}

function isBinaryValue(v) {
    return Buffer.isBuffer(v) || ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
}

/* True when |v| holds a binary value anywhere (bounded depth). */
function hasBinary(v, depth = 0) {
    if (isBinaryValue(v)) return true;
    if (depth > 64 || !v || typeof v !== 'object') return false;
    if (Array.isArray(v)) return v.some((x) => hasBinary(x, depth + 1));
    return Object.keys(v).some((k) => hasBinary(v[k], depth + 1));
}

/* Array nesting depth of |v|: [] is 1, [[]] is 2 (bounded). */
function arrayDepth(v, depth = 0) {
    if (!Array.isArray(v) || depth > 1000) return 0;
    let inner = 0;
    for (const x of v) inner = Math.max(inner, arrayDepth(x, depth + 1));
    return 1 + inner;
}

/* The event's arguments without the ack callback socket.io appends. */
function splitAck(packet) {
    const n = packet.length;
    const ack = n > 1 && typeof packet[n - 1] === 'function';
    return { name: packet[0], args: packet.slice(1, ack ? n - 1 : n), ack };
}

/* Registers fn(socket, nsp) for every accepted socket on / and /custom,
 * before the contract's own connection handler. */
function onSocket(io, fn) {
    for (const name of ['/', '/custom']) {
        const nsp = io.of(name);
        nsp.on('connection', (socket) => fn(socket, nsp));
    }
}

/* Observes every incoming event of every socket: fn(socket, ev) with
 * ev = {name, args, ack}; the event always goes on unchanged. */
function onEvent(io, fn) {
    onSocket(io, (socket) => {
        socket.use((packet, next) => {
            try {
                fn(socket, splitAck(packet));
            } finally {
                next();
            }
        });
    });
}

/* ---------------------------------------------------------------------- */
/* The plants. apply(m, opts, io) runs twice: phase 'pre' before the        */
/* server exists (prototype patches, options, a parser to return) and      */
/* phase 'post' with the socket.io server (per-socket hooks).               */

const PLANTS = [
    /* ---------------- crashes ---------------- */
    {
        name: 'crash-nested-arg', cls: 'crash',
        trigger: 'An event (any name, any namespace) whose 3rd argument is an array nested at least 3 deep, e.g. 42["message",1,2,[[[0]]]]. One packet, but a specific shape: argument position and depth.',
        post(m, io) {
            onEvent(io, (socket, ev) => {
                if (ev.args.length >= 3 && arrayDepth(ev.args[2]) >= 3) {
                    crashSoon(RangeError, 'planted crash-nested-arg: argument 3 nested too deep');
                }
            });
        },
    },
    {
        name: 'crash-custom-binary', cls: 'crash',
        trigger: 'An event carrying at least one binary attachment on namespace /custom (the same event on / is fine). Needs the /custom CONNECT first, then a BINARY_EVENT with its attachment.',
        post(m, io) {
            onEvent(io, (socket, ev) => {
                if (socket.nsp.name === '/custom' && ev.args.some((a) => hasBinary(a))) {
                    crashSoon(TypeError, 'planted crash-custom-binary: attachment on /custom');
                }
            });
        },
    },
    {
        name: 'crash-custom-sequence', cls: 'crash',
        trigger: 'A sequence on one /custom socket: join (any room), then emit-with-ack, then leave, in this order (other events may come between). Three actions of the contract, order matters.',
        post(m, io) {
            onEvent(io, (socket, ev) => {
                if (socket.nsp.name !== '/custom') return;
                const st = socket.data.plantStage || 0;
                if (ev.name === 'join' && st === 0) socket.data.plantStage = 1;
                else if (ev.name === 'emit-with-ack' && st === 1) socket.data.plantStage = 2;
                else if (ev.name === 'leave' && st === 2) {
                    socket.data.plantStage = 3;
                    crashSoon(TypeError, 'planted crash-custom-sequence: join, emit-with-ack, leave');
                }
            });
        },
    },
    {
        name: 'crash-batch', cls: 'crash',
        trigger: 'One polling POST whose payload batches more than 6 Engine.IO packets (7 or more records separated by 0x1e), whatever they contain.',
        pre(m) {
            patch(m.Polling.prototype, 'onData', (orig) => function (data) {
                if (this.protocol === 4 && typeof data === 'string' &&
                    data.split('\x1e').length > 6) {
                    crashSoon(RangeError, 'planted crash-batch: too many packets in one payload');
                }
                return orig.call(this, data);
            });
        },
    },
    {
        name: 'crash-probe-message', cls: 'crash',
        trigger: 'A message packet posted over polling while a WebSocket upgrade probe is pending (after 2probe/3probe, before 5); the crash comes when the probe ends (upgrade done, abandoned or timed out). Transport state plus timing.',
        pre(m) {
            patch(m.EioSocket.prototype, '_maybeUpgrade', (orig) => function (transport) {
                const r = orig.call(this, transport);
                const sock = this;
                const onUpgrading = () => { sock.plantProbing = true; };
                const end = () => {
                    sock.removeListener('upgrading', onUpgrading);
                    sock.removeListener('upgrade', end);
                    transport.removeListener('close', end);
                    const hit = sock.plantProbing && sock.plantProbeMessage;
                    sock.plantProbing = false;
                    sock.plantProbeMessage = false;
                    if (hit) crashSoon(TypeError, 'planted crash-probe-message: message during the upgrade probe');
                };
                sock.once('upgrading', onUpgrading);
                sock.once('upgrade', end);
                transport.once('close', end);
                return r;
            });
            patch(m.EioSocket.prototype, 'onPacket', (orig) => function (packet) {
                if (this.plantProbing && packet && packet.type === 'message') this.plantProbeMessage = true;
                return orig.call(this, packet);
            });
        },
    },
    /* ---------------- hangs ---------------- */
    {
        name: 'hang-big-event', cls: 'hang-server',
        trigger: 'An event whose arguments serialise to more than 50 000 bytes of JSON: the event loop is blocked (busy loop) for 4 s. A size threshold well below maxPayload.',
        post(m, io) {
            onEvent(io, (socket, ev) => {
                let size = 0;
                try {
                    size = JSON.stringify(ev.args).length;
                } catch (e) {
                    size = 0;
                }
                if (size > 50000) {
                    const until = Date.now() + 4000;
                    while (Date.now() < until) { /* planted hang */ }
                }
            });
        },
    },
    {
        name: 'hang-request-empty-ack', cls: 'hang-request',
        trigger: 'Over polling, an event with no arguments that asks for an acknowledgement (e.g. 421["message-with-ack"]): the POST that carried it is never answered (the session goes on).',
        pre(m) {
            const PT = m.parser.PacketType;
            patch(m.Client.prototype, 'ondecoded', (orig) => function (packet) {
                const tp = this.conn && this.conn.transport;
                if (packet && packet.type === PT.EVENT && packet.id != null &&
                    Array.isArray(packet.data) && packet.data.length === 1 &&
                    tp && tp.name === 'polling') {
                    tp.plantHold = true;
                }
                return orig.call(this, packet);
            });
            patch(m.Polling.prototype, 'onDataRequest', (orig) => function (req, res) {
                const transport = this;
                const writeHead = res.writeHead;
                const end = res.end;
                let held = false;
                res.writeHead = function (status, ...rest) {
                    if (status === 200 && transport.plantHold) {
                        transport.plantHold = false;
                        held = true;
                        return res;
                    }
                    return writeHead.call(this, status, ...rest);
                };
                res.end = function (...args) {
                    if (held) return res;
                    return end.apply(this, args);
                };
                return orig.call(this, req, res);
            });
        },
    },
    /* ---------------- protocol violations ---------------- */
    {
        name: 'proto-ack-id', cls: 'protocol-violation',
        trigger: 'An acknowledgement for a client ack id of 1000 or more (message-with-ack with an id >= 1000) carries its arguments as an object keyed by position instead of an array, 431000{"0":1}. An ack id range, not a value.',
        pre(m) {
            const PT = m.parser.PacketType;
            return editingParser(m, (obj, out) => {
                if (obj.type === PT.ACK && Number.isSafeInteger(obj.id) && obj.id >= 1000)
                    ackArgsAsObject(obj, out);
            });
        },
    },
    {
        name: 'proto-binary-ack', cls: 'protocol-violation',
        trigger: 'An acknowledgement carrying 2 or more binary attachments (message-with-ack with two binary arguments) announces one attachment too few and leaves the last one out, so a placeholder points past the attachments.',
        pre(m) {
            const PT = m.parser.PacketType;
            return editingParser(m, (obj, out) => {
                if ((obj.type !== PT.ACK && obj.type !== PT.BINARY_ACK) || out.length < 3 ||
                    typeof out[0] !== 'string') return;
                out[0] = out[0].replace(/^6(\d+)-/, (all, n) => `6${Number(n) - 1}-`);
                out.pop();
            });
        },
    },
    /* ---------------- error output ---------------- */
    {
        name: 'error-wide-object', cls: 'error-output',
        trigger: 'An event argument that is an object with 12 or more keys: the server logs a TypeError with its stack trace and goes on (the event is still handled).',
        post(m, io) {
            onEvent(io, (socket, ev) => {
                const wide = ev.args.some((a) => a && typeof a === 'object' && !Array.isArray(a) &&
                                           !isBinaryValue(a) && Object.keys(a).length >= 12);
                if (wide) {
                    console.error(new TypeError('planted error-wide-object: too many keys in an argument').stack);
                }
            });
        },
    },
    /* ---------------- missing reactions ---------------- */
    {
        name: 'reaction-after-join', cls: 'required-reaction-missing',
        trigger: 'Once a socket of the connection has joined a room, a packet the Socket.IO decoder rejects (42{}, 4abc, an invalid event name, ...) no longer closes the connection. join, then an invalid packet, then watch for the close.',
        pre(m) {
            patch(m.Client.prototype, 'onerror', (orig) => function (err) {
                for (const socket of this.sockets.values()) {
                    if (socket.rooms && socket.rooms.size > 1) return undefined;
                }
                return orig.call(this, err);
            });
        },
    },
    /* ---------------- leaks ---------------- */
    {
        name: 'leak-join', cls: 'leak-memory',
        trigger: 'Every join keeps a 100 KB buffer for good (also after the socket is gone). Grows with the number of joins: needs the action repeated.',
        post(m, io) {
            const kept = [];
            onEvent(io, (socket, ev) => {
                if (ev.name === 'join' && kept.length < 10000) kept.push(Buffer.alloc(100 * 1024, 1));
            });
        },
    },
    {
        name: 'leak-fd-binary', cls: 'leak-fds',
        trigger: 'Every event carrying a binary attachment (either namespace) opens a file descriptor that is never closed. Grows with the number of binary events.',
        post(m, io) {
            const fds = [];
            onEvent(io, (socket, ev) => {
                if (fds.length < 2000 && ev.args.some((a) => hasBinary(a))) {
                    fds.push(fs.openSync(__filename, 'r'));
                }
            });
        },
    },
    {
        name: 'leak-thread-connect', cls: 'leak-threads',
        trigger: 'Every namespace CONNECT with a non-empty auth object (40{"k":1}, 40/custom,{...}) starts a worker thread that never exits (at most 32). Grows with the number of such connects.',
        post(m, io) {
            const { Worker } = require('worker_threads');
            let n = 0;
            onSocket(io, (socket) => {
                const auth = socket.handshake.auth;
                if (n < 32 && auth && typeof auth === 'object' && Object.keys(auth).length > 0) {
                    n++;
                    const w = new Worker('setInterval(() => {}, 1 << 30);', {
                        eval: true, resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
                    });
                    w.on('error', () => {});
                }
            });
        },
    },
];

/* ---------------------------------------------------------------------- */

/* plants.tsv is exactly this output. */
function listPlants() {
    process.stdout.write('plant\tclass\ttrigger\n');
    for (const p of PLANTS) process.stdout.write(`${p.name}\t${p.cls}\t${p.trigger}\n`);
}

function main() {
    if (process.argv.includes('--list')) {
        listPlants();
        return;
    }
    const plant = choose('SIOSPEC_PLANT', PLANTS, 'planted', 'plants');
    serve({
        fixture: 'planted',
        label: `plant=${plant ? plant.name : 'none'}`,
        before: plant && plant.pre ? (m, opts) => plant.pre(m, opts) : null,
        /* Plant hooks first: they see each socket before the contract's handler. */
        after: plant && plant.post ? (m, io) => plant.post(m, io) : null,
    });
}

main();
