'use strict';
/*
 * cases/tests/faulty/server.js - siospec's fault-injection testee.
 *
 * The reference target sio4 (socket.io 4.8.4 from harness/targets/node-sio4,
 * the contract of docs/testee-contract.md via harness/targets/common), with
 * exactly ONE protocol fault injected, chosen by the environment variable
 * SIOSPEC_FAULT. Unset or empty: no fault, the server behaves like sio4.
 * An unknown name prints an error and exits with status 2.
 *
 * Every fault is a real wire-level violation that a client can observe, and
 * changes only that one behaviour: the rest of the contract keeps working, so
 * the conformance catalogue run against a fault should fail only the cases
 * that check the broken rule. faults.tsv lists the faults and their rules;
 * check_faults.js proves on the wire that each one shows (and that the
 * faithful server does not show it).
 *
 * Faults are injected by server options, by wrapping the HTTP responses, or by
 * patching engine.io / socket.io / socket.io-parser prototypes of the copies
 * in node-sio4/node_modules (the very instances socket.io loads), before the
 * server is created. The patched code is confined to this process.
 *
 *   SIOSPEC_FAULT=<name> HOST=127.0.0.1 PORT=3000 node server.js
 *   node server.js --list        prints "<name>\t<area>\t<rule>" per fault (faults.tsv)
 *   node server.js --describe    the same plus what the fault does
 */

const { patch, choose, serve } = require('../../../harness/targets/common/sio4-fixture.cjs');
const contract = require('../../../harness/targets/common/sio-contract.cjs');

/* ---------------------------------------------------------------------- */
/* Small patch helpers                                                     */

/* Rewrites the JSON of every Engine.IO open packet: edit(obj, eioSocket). */
function patchOpen(m, edit) {
    patch(m.EioSocket.prototype, 'sendPacket', (orig) => function (type, data, ...rest) {
        if (type === 'open' && typeof data === 'string') {
            const obj = JSON.parse(data);
            edit(obj, this);
            data = JSON.stringify(obj);
        }
        return orig.call(this, type, data, ...rest);
    });
}

/* Wraps the request verifier's verdict: decide(req, upgrade, code, context, next). */
function patchVerify(m, decide) {
    patch(m.EioServer.prototype, 'verify', (orig) => function (req, upgrade, fn) {
        const server = this;
        return orig.call(this, req, upgrade, (code, ctx) =>
            decide.call(server, req, upgrade, code, ctx, fn));
    });
}

/* Lets edit(res) wrap the response of every Engine.IO HTTP (non-upgrade) request. */
function patchResponses(m, edit) {
    patch(m.EioServer.prototype, 'handleRequest', (orig) => function (req, res) {
        edit(res);
        return orig.call(this, req, res);
    });
}

/* Marks verifier error responses (abortRequest writes a JSON body with them). */
function isJsonError(status, headers) {
    if (status < 400 || !headers || typeof headers !== 'object') return false;
    for (const [k, v] of Object.entries(headers)) {
        if (k.toLowerCase() === 'content-type' && String(v).startsWith('application/json')) return true;
    }
    return false;
}

function isBinaryValue(v) {
    return Buffer.isBuffer(v) || ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
}

function toBuffer(v) {
    if (Buffer.isBuffer(v)) return v;
    if (v instanceof ArrayBuffer) return Buffer.from(v);
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

/* Copy of |v| with every binary value replaced by conv(buffer). Own keys are
 * defined, not assigned, so a "__proto__" key stays an ordinary key. */
function mapBinary(v, conv) {
    if (isBinaryValue(v)) return conv(toBuffer(v));
    if (Array.isArray(v)) return v.map((x) => mapBinary(x, conv));
    if (v && typeof v === 'object' && typeof v.toJSON !== 'function') {
        const out = {};
        for (const k of Object.keys(v)) {
            Object.defineProperty(out, k, {
                value: mapBinary(v[k], conv), enumerable: true, writable: true, configurable: true,
            });
        }
        return out;
    }
    return v;
}

/* A socket.io parser whose Encoder turns binary arguments into conv(buffer). */
function binaryConvertingParser(m, conv) {
    const P = m.parser;
    class FaultEncoder extends P.Encoder {
        encode(obj) {
            if ((obj.type === P.PacketType.EVENT || obj.type === P.PacketType.ACK) &&
                m.hasBinary(obj.data)) {
                obj = Object.assign({}, obj, { data: mapBinary(obj.data, conv) });
            }
            return super.encode(obj);
        }
    }
    return Object.assign({}, P, { Encoder: FaultEncoder });
}

const SIO_RESERVED = ['connect', 'connect_error', 'disconnect', 'disconnecting',
                      'newListener', 'removeListener'];

/* True if the text packet |s| is an EVENT / BINARY_EVENT named by a reserved name. */
function isReservedEventPacket(s) {
    if (s[0] !== '2' && s[0] !== '5') return false;
    const at = s.indexOf('[');
    if (at < 0) return false;
    try {
        const data = JSON.parse(s.slice(at));
        return Array.isArray(data) && SIO_RESERVED.includes(data[0]);
    } catch (e) {
        return false;
    }
}

/* ---------------------------------------------------------------------- */
/* The faults. Each apply(m, opts) patches |m| (the loaded modules) and/or   */
/* edits the socket.io server options |opts|; it may return a parser.      */

const FAULTS = [
    /* ---------------- Engine.IO: handshake ---------------- */
    {
        name: 'handshake-extra-key', area: 'eio.handshake',
        rule: 'The open packet object carries exactly sid, upgrades, pingInterval, pingTimeout and maxPayload.',
        does: 'Adds a sixth key, "serverVersion", to the open packet.',
        apply(m) {
            patchOpen(m, (o) => { o.serverVersion = '6.6.12'; });
        },
    },
    {
        name: 'handshake-no-max-payload', area: 'eio.handshake',
        rule: 'The open packet advertises the largest accepted payload as maxPayload.',
        does: 'Sends the open packet without maxPayload.',
        apply(m) {
            patchOpen(m, (o) => { delete o.maxPayload; });
        },
    },
    {
        name: 'ws-handshake-upgrades', area: 'eio.handshake',
        rule: 'A session opened directly over WebSocket has nothing to upgrade to, so its open packet lists upgrades [].',
        does: 'Advertises upgrades ["websocket"] on a WebSocket-opened session.',
        apply(m) {
            patchOpen(m, (o, sock) => {
                if (sock.transport && sock.transport.name === 'websocket') o.upgrades = ['websocket'];
            });
        },
    },
    {
        name: 'eio5-accepted', area: 'eio.handshake',
        rule: 'A handshake asking for an Engine.IO revision the server does not speak (EIO=5) is refused with error code 5.',
        does: 'Treats EIO=5 like EIO=4 and opens a session.',
        apply(m) {
            patch(m.EioServer.prototype, 'prepare', (orig) => function (req) {
                const r = orig.call(this, req);
                if (req._query && req._query.EIO === '5') req._query.EIO = '4';
                return r;
            });
        },
    },
    /* ---------------- Engine.IO: heartbeat ---------------- */
    {
        name: 'ping-interval-lie', area: 'eio.heartbeat',
        rule: 'The server pings at the pingInterval it advertised.',
        does: 'Advertises pingInterval 300 but pings every 700 ms.',
        apply(m, opts) {
            opts.pingInterval = 700;
            patchOpen(m, (o) => { o.pingInterval = contract.SETTINGS.pingInterval; });
        },
    },
    {
        name: 'ping-timeout-lie', area: 'eio.heartbeat',
        rule: 'A session whose client does not answer a ping within pingTimeout is closed.',
        does: 'Never closes a session whose client leaves a ping unanswered.',
        apply(m) {
            patch(m.EioSocket.prototype, 'resetPingTimeout', (orig) => function () {
                if (this.protocol === 3) return orig.call(this);
                clearTimeout(this.pingTimeoutTimer);
                /* a timer that does nothing keeps the pong bookkeeping unchanged */
                this.pingTimeoutTimer = setTimeout(() => {}, this.server.opts.pingTimeout);
                return undefined;
            });
        },
    },
    {
        name: 'client-ping-accepted', area: 'eio.heartbeat',
        rule: 'In Engine.IO v4 only the server sends pings, and a ping from the client closes the session.',
        does: 'Ignores a ping (2) from a v4 client instead of closing.',
        apply(m) {
            patch(m.EioSocket.prototype, 'onPacket', (orig) => function (packet) {
                if (this.protocol !== 3 && packet && packet.type === 'ping') return undefined;
                return orig.call(this, packet);
            });
        },
    },
    /* ---------------- Engine.IO: errors ---------------- */
    {
        name: 'unknown-sid-code', area: 'eio.errors',
        rule: 'A request with an unknown sid is answered with error code 1 (Session ID unknown).',
        does: 'Answers an unknown sid with {"code":0,"message":"Session ID unknown"}.',
        apply(m) {
            patchVerify(m, function (req, upgrade, code, ctx, fn) {
                if (code === m.EioServer.errors.UNKNOWN_SID) {
                    return fn(m.EioServer.errors.UNKNOWN_TRANSPORT,
                              Object.assign({}, ctx, { message: 'Session ID unknown' }));
                }
                return fn(code, ctx);
            });
        },
    },
    {
        name: 'error-status-500', area: 'eio.errors',
        rule: 'A request the server refuses (bad transport, sid, method or version) gets HTTP 400.',
        does: 'Sends the JSON verifier errors (codes 0, 1, 2, 3, 5) with HTTP 500.',
        apply(m) {
            patchResponses(m, (res) => {
                const writeHead = res.writeHead;
                res.writeHead = function (status, ...rest) {
                    if (status === 400 && isJsonError(status, rest[rest.length - 1])) status = 500;
                    return writeHead.call(this, status, ...rest);
                };
            });
        },
    },
    {
        name: 'error-body-not-json', area: 'eio.errors',
        rule: 'An error response carries a JSON body {"code":N,"message":"..."}.',
        does: 'Sends verifier errors as text/plain with the bare message as body.',
        apply(m) {
            patchResponses(m, (res) => {
                const writeHead = res.writeHead;
                const end = res.end;
                let plain = false;
                res.writeHead = function (status, ...rest) {
                    const h = rest[rest.length - 1];
                    if (isJsonError(status, h)) {
                        plain = true;
                        for (const k of Object.keys(h)) {
                            if (k.toLowerCase() === 'content-type') h[k] = 'text/plain; charset=UTF-8';
                        }
                    }
                    return writeHead.call(this, status, ...rest);
                };
                res.end = function (body, ...rest) {
                    if (plain && typeof body === 'string') {
                        try {
                            body = String(JSON.parse(body).message);
                        } catch (e) { /* keep it */ }
                    }
                    return end.call(this, body, ...rest);
                };
            });
        },
    },
    {
        name: 'no-cors-header', area: 'eio.http',
        rule: 'Polling responses allow any origin with Access-Control-Allow-Origin.',
        does: 'Runs without the CORS middleware: no Access-Control-* headers.',
        apply(m, opts) {
            delete opts.cors;
        },
    },
    /* ---------------- Engine.IO: polling ---------------- */
    {
        name: 'duplicate-get-accepted', area: 'eio.polling',
        rule: 'A second GET while one is pending is an overlap: it gets HTTP 400 and the session is closed.',
        does: 'On a second concurrent GET, releases the older one with a noop and keeps the session.',
        apply(m) {
            patch(m.Polling.prototype, 'onPollRequest', (orig) => function (req, res) {
                if (this.req && this.writable) this.send([{ type: 'noop' }]);
                return orig.call(this, req, res);
            });
        },
    },
    {
        name: 'oversize-post-accepted', area: 'eio.polling',
        rule: 'A POST body larger than maxPayload is refused with HTTP 413.',
        does: 'Lifts the POST size limit: bodies above 1 000 000 bytes get 200 ok.',
        apply(m) {
            patch(m.Polling.prototype, 'onDataRequest', (orig) => function (req, res) {
                this.maxHttpBufferSize = Infinity;
                return orig.call(this, req, res);
            });
        },
    },
    {
        name: 'octet-stream-accepted', area: 'eio.polling',
        rule: 'In Engine.IO v4 a POST with Content-Type application/octet-stream is refused with HTTP 400 and the session closed.',
        does: 'Reads an application/octet-stream POST as a text payload.',
        apply(m) {
            patch(m.Polling.prototype, 'onDataRequest', (orig) => function (req, res) {
                if (this.protocol === 4 && req.headers['content-type'] === 'application/octet-stream') {
                    req.headers['content-type'] = 'text/plain; charset=UTF-8';
                }
                return orig.call(this, req, res);
            });
        },
    },
    {
        name: 'close-packet-ignored', area: 'eio.polling',
        rule: 'A close packet (1) posted by the client ends the session.',
        does: 'Drops a posted close packet (1) and keeps the session.',
        apply(m) {
            patch(m.Polling.prototype, 'onData', (orig) => function (data) {
                if (this.protocol === 3) return orig.call(this, data);
                for (const p of this.parser.decodePayload(data)) {
                    if (p.type !== 'close') this.onPacket(p);
                }
                return undefined;
            });
        },
    },
    {
        name: 'invalid-packet-ignored', area: 'eio.packets',
        rule: 'An Engine.IO packet that cannot be decoded (unknown type, empty) closes the session.',
        does: 'Ignores undecodable packets (e.g. POST 7) instead of closing.',
        apply(m) {
            patch(m.EioSocket.prototype, 'onPacket', (orig) => function (packet) {
                if (packet && packet.type === 'error') return undefined;
                return orig.call(this, packet);
            });
        },
    },
    /* ---------------- Engine.IO: upgrade / WebSocket ---------------- */
    {
        name: 'wrong-probe-answer', area: 'eio.upgrade',
        rule: 'The upgrade probe 2probe is answered 3probe.',
        does: 'Answers 2probe with a bare 3.',
        apply(m) {
            patch(m.WebSocketT.prototype, 'send', (orig) => function (packets) {
                return orig.call(this, packets.map((p) =>
                    (p.type === 'pong' && p.data === 'probe') ? { type: 'pong', options: p.options } : p));
            });
        },
    },
    {
        name: 'no-upgrade-noop', area: 'eio.upgrade',
        rule: 'Once the probe succeeded the server releases a pending polling GET with a noop (6).',
        does: 'Sends no noop to the pending GET while upgrading (it waits for the next ping).',
        apply(m) {
            patch(m.EioSocket.prototype, '_maybeUpgrade', (orig) => function (transport) {
                const polling = this.transport;
                polling.faultNoNoop = true;
                const clear = () => { polling.faultNoNoop = false; };
                transport.once('close', clear);
                this.once('upgrade', clear);
                this.once('close', clear);
                return orig.call(this, transport);
            });
            patch(m.Polling.prototype, 'send', (orig) => function (packets) {
                if (this.faultNoNoop && !this.shouldClose && packets.length === 1 &&
                    packets[0].type === 'noop') return undefined;
                return orig.call(this, packets);
            });
        },
    },
    {
        name: 'polling-after-upgrade', area: 'eio.upgrade',
        rule: 'After the upgrade to WebSocket, polling requests for the session are refused with error code 3.',
        does: 'After the upgrade answers polling GETs 200 with a noop and processes polling POSTs.',
        apply(m) {
            patchVerify(m, function (req, upgrade, code, ctx, fn) {
                const client = req._query && req._query.sid ? this.clients[req._query.sid] : null;
                if (code !== m.EioServer.errors.BAD_REQUEST || !ctx || ctx.name !== 'TRANSPORT_MISMATCH' ||
                    ctx.transport !== 'polling' || !client || !req.res) return fn(code, ctx);
                const res = req.res;
                req.res = null;
                if (req.method === 'GET') {
                    res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8', 'cache-control': 'no-store' });
                    res.end('6');
                    return undefined;
                }
                if (req.method !== 'POST') {
                    res.writeHead(500);
                    res.end();
                    return undefined;
                }
                let body = '';
                req.setEncoding('utf8');
                req.on('data', (c) => { if (body.length <= this.opts.maxHttpBufferSize) body += c; });
                req.on('end', () => {
                    for (const p of m.eioParser.decodePayload(body)) {
                        if (p.type === 'close') {
                            client.close();
                            break;
                        }
                        client.onPacket(p);
                    }
                    res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Length': '2' });
                    res.end('ok');
                });
                return undefined;
            });
        },
    },
    {
        name: 'binary-ws-base64', area: 'eio.websocket',
        rule: 'Over WebSocket a binary message travels as a binary frame.',
        does: 'Sends binary Engine.IO messages over WebSocket as base64 text frames (b...).',
        apply(m) {
            patch(m.WebSocketT.prototype, 'send', (orig) => function (packets) {
                this.supportsBinary = false;
                return orig.call(this, packets);
            });
        },
    },
    /* ---------------- Socket.IO: connection ---------------- */
    {
        name: 'connect-no-sid', area: 'sio.connect',
        rule: 'The CONNECT reply of Socket.IO v5 carries the socket id as {"sid":...}.',
        does: 'Replies 40{} to a CONNECT.',
        apply(m) {
            patch(m.SioSocket.prototype, '_onconnect', (orig) => function () {
                if (this.conn.protocol === 3) return orig.call(this);
                this.connected = true;
                this.join(this.id);
                this.packet({ type: m.parser.PacketType.CONNECT, data: this.pid ? { pid: this.pid } : {} });
                return undefined;
            });
        },
    },
    {
        name: 'sio-sid-is-eio-sid', area: 'sio.connect',
        rule: 'The public Socket.IO sid of a v5 connection is a fresh id, never the secret Engine.IO sid.',
        does: 'Uses the Engine.IO sid as the Socket.IO sid of namespace /.',
        apply(m) {
            patch(m.Namespace.prototype, '_createSocket', (orig) => async function (client, auth) {
                const socket = await orig.call(this, client, auth);
                if (this.name === '/' && client.conn.protocol !== 3 && !socket.recovered) socket.id = client.id;
                return socket;
            });
        },
    },
    {
        name: 'connect-error-string', area: 'sio.connect',
        rule: 'A refused v5 CONNECT is answered with CONNECT_ERROR {"message":...,"data":...}.',
        does: 'Refuses /forbidden with 44/forbidden,"forbidden".',
        apply(m) {
            patch(m.SioSocket.prototype, '_error', (orig) => function (err) {
                if (this.conn.protocol !== 3 && err && typeof err === 'object' && typeof err.message === 'string') {
                    err = err.message;
                }
                return orig.call(this, err);
            });
        },
    },
    {
        name: 'unknown-nsp-accepted', area: 'sio.connect',
        rule: 'A CONNECT to a namespace that does not exist is refused with CONNECT_ERROR.',
        does: 'Creates any unknown namespace on CONNECT and accepts it (no handlers there).',
        apply(m) {
            patch(m.SioServer.prototype, '_checkNamespace', (orig) => function (name, auth, fn) {
                return orig.call(this, name, auth, (nsp) => fn(nsp || true));
            });
        },
    },
    {
        name: 'no-connect-timeout', area: 'sio.connect',
        rule: 'An Engine.IO session that joins no namespace within connectTimeout is closed.',
        does: 'Sets connectTimeout to about 24 days.',
        apply(m, opts) {
            opts.connectTimeout = 2147483647;
        },
    },
    {
        name: 'duplicate-connect-accepted', area: 'sio.connect',
        rule: 'A CONNECT for a namespace already joined closes the connection.',
        does: 'Answers a second CONNECT to a joined namespace with the same CONNECT reply.',
        apply(m) {
            const PT = m.parser.PacketType;
            patch(m.Client.prototype, 'ondecoded', (orig) => function (packet) {
                const { namespace } = this._parseNamespace(packet);
                const socket = this.nsps.get(namespace);
                if (socket && packet.type === PT.CONNECT) {
                    socket.packet(this.conn.protocol === 3 ? { type: PT.CONNECT }
                        : { type: PT.CONNECT, data: { sid: socket.id, pid: socket.pid } });
                    return undefined;
                }
                return orig.call(this, packet);
            });
        },
    },
    {
        name: 'event-before-connect', area: 'sio.connect',
        rule: 'An EVENT that arrives before any CONNECT closes the connection.',
        does: 'Drops EVENTs silently while no namespace is joined yet (later, an EVENT for a namespace not joined still closes).',
        apply(m) {
            const PT = m.parser.PacketType;
            patch(m.Client.prototype, 'ondecoded', (orig) => function (packet) {
                if (this.nsps.size === 0 &&
                    (packet.type === PT.EVENT || packet.type === PT.BINARY_EVENT)) return undefined;
                return orig.call(this, packet);
            });
        },
    },
    {
        name: 'auth-before-connect', area: 'sio.connect',
        rule: 'Nothing is sent on a namespace before its CONNECT reply.',
        does: 'Sends the CONNECT reply one tick late, after the auth event.',
        apply(m) {
            patch(m.SioSocket.prototype, '_onconnect', (orig) => function () {
                this.connected = true;
                this.join(this.id);
                const packet = this.conn.protocol === 3 ? { type: m.parser.PacketType.CONNECT }
                    : { type: m.parser.PacketType.CONNECT, data: { sid: this.id, pid: this.pid } };
                /* the connection handler runs synchronously after this and emits auth */
                process.nextTick(() => this.packet(packet));
                return undefined;
            });
        },
    },
    {
        name: 'disconnect-me-closes-session', area: 'sio.disconnect',
        rule: 'A server-side namespace disconnect sends DISCONNECT (41) and keeps the Engine.IO session.',
        does: 'On disconnect-me closes the Engine.IO session without sending 41.',
        apply(m) {
            patch(m.Client.prototype, '_disconnect', (orig) => function () {
                this.faultInternal = true;
                try {
                    return orig.call(this);
                } finally {
                    this.faultInternal = false;
                }
            });
            patch(m.SioSocket.prototype, 'disconnect', (orig) => function (close = false) {
                if (!close && this.connected && !this.client.faultInternal) {
                    this.client.close();
                    return this;
                }
                return orig.call(this, close);
            });
        },
    },
    /* ---------------- Socket.IO: packets ---------------- */
    {
        name: 'ack-wrong-id', area: 'sio.ack',
        rule: 'An ACK carries the id of the event it acknowledges.',
        does: 'Acknowledges event id N with ACK id N+1.',
        apply(m) {
            patch(m.SioSocket.prototype, 'ack', (orig) => function (id) {
                return orig.call(this, id + 1);
            });
        },
    },
    {
        name: 'emit-with-ack-no-id', area: 'sio.ack',
        rule: 'A server event that expects an acknowledgement carries an ack id.',
        does: 'Sends 42["emit-with-ack",...] without an ack id.',
        apply(m) {
            patch(m.SioSocket.prototype, 'emit', (orig) => function (ev, ...args) {
                if (args.length > 0 && typeof args[args.length - 1] === 'function') args.pop();
                return orig.call(this, ev, ...args);
            });
        },
    },
    {
        name: 'binary-echo-base64', area: 'sio.binary',
        rule: 'Binary arguments stay binary (BINARY_EVENT with attachments).',
        does: 'Replaces binary arguments of outgoing events and acks with base64 strings.',
        apply(m) {
            return binaryConvertingParser(m, (b) => b.toString('base64'));
        },
    },
    {
        name: 'binary-echo-array', area: 'sio.binary',
        rule: 'Binary arguments stay binary (BINARY_EVENT with attachments).',
        does: 'Replaces binary arguments of outgoing events and acks with arrays of numbers.',
        apply(m) {
            return binaryConvertingParser(m, (b) => Array.from(b));
        },
    },
    {
        name: 'invalid-sio-packet-ignored', area: 'sio.packets',
        rule: 'A Socket.IO packet whose payload is invalid for its type (e.g. 42{}) closes the connection.',
        does: 'Ignores text packets refused for an invalid payload (reserved event names and malformed headers still close).',
        apply(m) {
            const P = m.parser;
            class FaultDecoder extends P.Decoder {
                add(obj) {
                    if (typeof obj === 'string' && !this.reconstructor) {
                        try {
                            this.decodeString(obj);
                        } catch (e) {
                            /* only the payload check; a reserved event name is another rule */
                            if (e && e.message === 'invalid payload' && !isReservedEventPacket(obj)) return;
                        }
                    }
                    super.add(obj);
                }
            }
            return Object.assign({}, P, { Decoder: FaultDecoder });
        },
    },
    {
        name: 'reserved-event-accepted', area: 'sio.packets',
        rule: 'An EVENT named by a reserved name (connect, disconnect, ...) is invalid and closes the connection.',
        does: 'Accepts and dispatches EVENTs named connect, disconnect, etc.',
        apply(m) {
            const P = m.parser;
            const orig = P.Decoder.isPayloadValid;
            P.Decoder.isPayloadValid = function (type, payload) {
                if ((type === P.PacketType.EVENT || type === P.PacketType.BINARY_EVENT) &&
                    Array.isArray(payload) && typeof payload[0] === 'string') return true;
                return orig.call(this, type, payload);
            };
        },
    },
];

/* ---------------------------------------------------------------------- */

/* faults.tsv is exactly this output. */
function listFaults(withDoes) {
    for (const f of FAULTS) {
        process.stdout.write(`${f.name}\t${f.area}\t${f.rule}${withDoes ? '\t' + f.does : ''}\n`);
    }
}

function main() {
    if (process.argv.includes('--list') || process.argv.includes('--describe')) {
        listFaults(process.argv.includes('--describe'));
        return;
    }
    const fault = choose('SIOSPEC_FAULT', FAULTS, 'faulty', 'faults');
    serve({
        fixture: 'faulty',
        label: `fault=${fault ? fault.name : 'none'}`,
        before: fault ? (m, opts) => fault.apply(m, opts) : null,
    });
}

main();
