'use strict';
/*
 * cases/tests/faulty/check_faults.js - proves on the wire that every fault of
 * the fault-injection testee (server.js) really shows, and that the faithful
 * server (SIOSPEC_FAULT unset) does not show it.
 *
 * For each fault in faults.tsv: start server.js with SIOSPEC_FAULT=<fault> on
 * a free 127.0.0.1 port, run a smoke flow (handshake, CONNECT, an echo: the
 * rest of the contract still works) and the fault's own small wire check,
 * which must report the fault. The same wire checks run against one faithful
 * server, where none may report anything. It also checks that faults.tsv
 * matches `node server.js --list` and that an unknown fault exits with 2.
 *
 *   node cases/tests/faulty/check_faults.js [-j N] [fault ...]
 *
 * Prints one line per fault; exit status 0 only if everything passed. Only
 * node:* modules and `ws` from harness/targets/node-sio4/node_modules are used.
 * Every request has a timeout, and a watchdog ends the run after 170 s.
 */

const http = require('http');
const net = require('net');
const path = require('path');
const fs = require('fs');
const { spawn, spawnSync } = require('child_process');

const HERE = __dirname;
const SERVER = path.join(HERE, 'server.js');
const WebSocket = require(path.join(HERE, '../../../harness/targets/node-sio4/node_modules/ws'));

const SEP = '\x1e';
const EIO_PATH = '/socket.io/';
const WATCHDOG_MS = 170000;

/* ---------------------------------------------------------------------- */
/* Small utilities                                                        */

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.on('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const { port } = s.address();
            s.close(() => resolve(port));
        });
    });
}

/* One HTTP request; never rejects. Resolves {status, headers, body, ms}; on a
 * timeout or a socket error status is 0 and error says why. */
function request(port, { method = 'GET', query = '', body, headers = {}, timeout = 2000 } = {}) {
    return new Promise((resolve) => {
        const t0 = Date.now();
        let done = false;
        const finish = (r) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            r.ms = Date.now() - t0;
            resolve(r);
        };
        const req = http.request({
            host: '127.0.0.1', port, method, path: EIO_PATH + '?' + query, headers, agent: false,
        }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => finish({
                status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'),
            }));
            res.on('error', (e) => finish({ status: 0, error: e.message, body: '' }));
        });
        const timer = setTimeout(() => {
            finish({ status: 0, error: 'timeout', body: '' });
            req.destroy();
        }, timeout);
        req.on('error', (e) => finish({ status: 0, error: e.message, body: '' }));
        if (body !== undefined) req.end(body);
        else req.end();
    });
}

function parseJson(s) {
    try {
        return JSON.parse(s);
    } catch (e) {
        return undefined;
    }
}

/* ---------------------------------------------------------------------- */
/* Engine.IO v4 polling client                                             */

class Poller {
    constructor(port) {
        this.port = port;
        this.sid = null;
        this.open = null;
    }

    /* Polling handshake; resolves the open object or throws. */
    async handshake(extraHeaders = {}) {
        const r = await request(this.port, { query: 'EIO=4&transport=polling', headers: extraHeaders });
        this.last = r;
        if (r.status !== 200 || !r.body.startsWith('0{')) {
            throw new Error(`handshake: HTTP ${r.status} ${r.error || ''} ${r.body.slice(0, 80)}`);
        }
        this.open = JSON.parse(r.body.split(SEP)[0].slice(1));
        this.sid = this.open.sid;
        this.tOpen = Date.now();
        return this.open;
    }

    q() {
        return `EIO=4&transport=polling&sid=${encodeURIComponent(this.sid)}`;
    }

    get(timeout = 1500) {
        return request(this.port, { query: this.q(), timeout });
    }

    post(body, headers = {}, timeout = 2000) {
        return request(this.port, {
            method: 'POST', query: this.q(), body,
            headers: Object.assign({ 'content-type': 'text/plain;charset=UTF-8' }, headers), timeout,
        });
    }

    /* Long-polls (answering pings) until pred(packets) holds, the session
     * closes, or ms pass. Resolves {ok, closed, timedOut, packets}. */
    async until(pred, ms = 1500) {
        const packets = [];
        const deadline = Date.now() + ms;
        for (;;) {
            if (pred(packets)) return { ok: true, packets };
            const left = deadline - Date.now();
            if (left <= 0) return { timedOut: true, packets };
            const r = await this.get(left);
            if (r.status === 0 && r.error === 'timeout') return { timedOut: true, packets };
            if (r.status !== 200) return { closed: true, packets, status: r.status, body: r.body };
            const got = r.body.split(SEP);
            for (const p of got) {
                packets.push(p);
                if (p === '2') await this.post('3');
            }
            if (pred(packets)) return { ok: true, packets };
            if (got.includes('1')) return { closed: true, packets };
        }
    }
}

/* Handshake plus a Socket.IO CONNECT to / over polling; waits for the auth event. */
async function sioPolling(port) {
    const c = new Poller(port);
    await c.handshake();
    const p = await c.post('40');
    if (p.status !== 200) throw new Error(`CONNECT post: HTTP ${p.status}`);
    const r = await c.until((ps) => ps.some((x) => x.startsWith('42["auth"')), 1500);
    if (!r.ok) throw new Error(`no auth event after CONNECT (${r.packets.join('|')})`);
    c.connectPackets = r.packets;
    return c;
}

/* True if the Socket.IO connection on / still echoes a message. */
async function sioAlive(c, tag = 'alive') {
    const p = await c.post(`42["message","${tag}"]`);
    if (p.status !== 200) return false;
    const r = await c.until((ps) => ps.includes(`42["message-back","${tag}"]`), 1200);
    return !!r.ok;
}

/* ---------------------------------------------------------------------- */
/* WebSocket client                                                        */

function wsOpen(port, query) {
    return new Promise((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}${EIO_PATH}?${query}`, { handshakeTimeout: 2000 });
        const queue = [];
        const waiters = [];
        ws.closed = false;
        const push = (m) => {
            if (waiters.length) waiters.shift()(m);
            else queue.push(m);
        };
        ws.on('message', (data, isBinary) => push({ data: isBinary ? data : data.toString(), isBinary }));
        ws.on('close', () => {
            ws.closed = true;
            while (waiters.length) waiters.shift()(null);
        });
        ws.on('error', (e) => {
            ws.closed = true;
            reject(e);
            while (waiters.length) waiters.shift()(null);
        });
        /* next message, or null on a timeout or close */
        ws.next = (ms = 1500) => new Promise((res) => {
            if (queue.length) return res(queue.shift());
            if (ws.closed) return res(null);
            let fired = false;
            const w = (m) => {
                if (fired) return;
                fired = true;
                clearTimeout(t);
                res(m);
            };
            const t = setTimeout(() => {
                const i = waiters.indexOf(w);
                if (i >= 0) waiters.splice(i, 1);
                w(null);
            }, ms);
            waiters.push(w);
        });
        /* next text message satisfying pred (answering pings), or null */
        ws.nextWhere = async (pred, ms = 1500) => {
            const deadline = Date.now() + ms;
            for (;;) {
                const m = await ws.next(Math.max(1, deadline - Date.now()));
                if (!m) return null;
                if (!m.isBinary && m.data === '2') ws.send('3');
                if (pred(m)) return m;
            }
        };
        ws.on('open', () => resolve(ws));
    });
}

function wsClose(ws) {
    try {
        ws.terminate();
    } catch (e) { /* already gone */ }
}

/* ---------------------------------------------------------------------- */
/* The wire checks: check(port) resolves {shown, detail}.                   */

const FIVE_KEYS = ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades'];

async function probeUpgrade(port) {
    const c = new Poller(port);
    await c.handshake();
    const ws = await wsOpen(port, `EIO=4&transport=websocket&sid=${encodeURIComponent(c.sid)}`);
    ws.send('2probe');
    const m = await ws.next(1500);
    return { c, ws, answer: m ? m.data : null };
}

async function binaryEchoPolling(port) {
    const c = await sioPolling(port);
    await c.post(`451-["message",{"_placeholder":true,"num":0}]${SEP}bAQID`);
    const r = await c.until((ps) => ps.some((p) => p.includes('"message-back"')) &&
                                     (!ps.some((p) => p.startsWith('451-')) || ps.some((p) => p.startsWith('b'))), 1500);
    const i = r.packets.findIndex((p) => p.includes('"message-back"'));
    return { packets: r.packets.slice(Math.max(0, i)), reply: i >= 0 ? r.packets[i] : null };
}

function sioData(p) {
    const at = p.indexOf('[');
    return at < 0 ? undefined : parseJson(p.slice(at));
}

const CHECKS = {
    'handshake-extra-key': async (port) => {
        const o = await new Poller(port).handshake();
        const extra = Object.keys(o).filter((k) => !FIVE_KEYS.includes(k));
        return { shown: extra.length > 0, detail: `keys ${Object.keys(o).join(',')}` };
    },
    'handshake-no-max-payload': async (port) => {
        const o = await new Poller(port).handshake();
        return { shown: !('maxPayload' in o), detail: `maxPayload ${o.maxPayload}` };
    },
    'ws-handshake-upgrades': async (port) => {
        const ws = await wsOpen(port, 'EIO=4&transport=websocket');
        const m = await ws.next(1500);
        wsClose(ws);
        const o = m && !m.isBinary && m.data.startsWith('0') ? parseJson(m.data.slice(1)) : null;
        if (!o) return { shown: false, detail: `no open packet (${m && m.data})` };
        return { shown: Array.isArray(o.upgrades) && o.upgrades.length > 0, detail: `upgrades ${JSON.stringify(o.upgrades)}` };
    },
    'eio5-accepted': async (port) => {
        const r = await request(port, { query: 'EIO=5&transport=polling' });
        return { shown: r.status === 200 && r.body.startsWith('0{'), detail: `EIO=5: HTTP ${r.status} ${r.body.slice(0, 40)}` };
    },
    'ping-interval-lie': async (port) => {
        const c = new Poller(port);
        const o = await c.handshake();
        const r = await c.get(2000);
        const ms = Date.now() - c.tOpen;
        const ok = r.status === 200 && r.body === '2';
        return { shown: ok && ms > o.pingInterval + 200, detail: `advertised ${o.pingInterval} ms, first ping after ${ms} ms (${r.status} ${r.body})` };
    },
    'ping-timeout-lie': async (port) => {
        const c = new Poller(port);
        const o = await c.handshake();
        await sleep(o.pingInterval + o.pingTimeout + 300);
        const r = await c.get(1000);
        return { shown: r.status === 200, detail: `GET after ${o.pingInterval + o.pingTimeout + 300} ms of silence: HTTP ${r.status} ${r.body.slice(0, 40)}` };
    },
    'client-ping-accepted': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        const p = await c.post('2');
        await sleep(50);
        const r = await c.get(1000);
        return { shown: r.status === 200 && !r.body.split(SEP).includes('1'), detail: `POST 2: ${p.status}; next GET: HTTP ${r.status} ${r.body.slice(0, 40)}` };
    },
    'unknown-sid-code': async (port) => {
        const r = await request(port, { query: 'EIO=4&transport=polling&sid=NoSuchSessionAAAAAAA' });
        const j = parseJson(r.body);
        return { shown: !!j && typeof j.code === 'number' && j.code !== 1, detail: `HTTP ${r.status} ${r.body}` };
    },
    'error-status-500': async (port) => {
        const r = await request(port, { query: 'EIO=4&transport=polling&sid=NoSuchSessionAAAAAAA' });
        return { shown: r.status === 500, detail: `unknown sid: HTTP ${r.status}` };
    },
    'error-body-not-json': async (port) => {
        const r = await request(port, { query: 'EIO=4&transport=abc' });
        const ct = String(r.headers && r.headers['content-type'] || '');
        const j = parseJson(r.body);
        return { shown: !j || !ct.startsWith('application/json'), detail: `HTTP ${r.status} ${ct}: ${r.body}` };
    },
    'no-cors-header': async (port) => {
        const c = new Poller(port);
        await c.handshake({ origin: 'http://example.test' });
        const h = c.last.headers['access-control-allow-origin'];
        return { shown: !h, detail: `Access-Control-Allow-Origin: ${h}` };
    },
    'duplicate-get-accepted': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        const g1 = c.get(1500);
        await sleep(80);
        const r2 = await c.get(1500);
        const r1 = await g1;
        return { shown: r2.status === 200, detail: `first GET ${r1.status} "${r1.body}", second GET ${r2.status} "${r2.body}"` };
    },
    'oversize-post-accepted': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        const body = '6' + (SEP + '6').repeat(500000); /* 1 000 001 bytes of noops */
        const r = await c.post(body, {}, 5000);
        return { shown: r.status === 200, detail: `POST of ${Buffer.byteLength(body)} bytes: HTTP ${r.status} ${r.error || ''}` };
    },
    'octet-stream-accepted': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        const r = await c.post('6', { 'content-type': 'application/octet-stream' });
        return { shown: r.status === 200, detail: `octet-stream POST: HTTP ${r.status} ${r.body}` };
    },
    'close-packet-ignored': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        const p = await c.post('1');
        const r = await c.get(1000);
        return { shown: r.status === 200 && !r.body.split(SEP).includes('1'), detail: `POST 1: ${p.status}; next GET: HTTP ${r.status} ${r.body.slice(0, 40)}` };
    },
    'invalid-packet-ignored': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        const p = await c.post('7');
        const r = await c.get(1000);
        return { shown: r.status === 200 && !r.body.split(SEP).includes('1'), detail: `POST 7: ${p.status}; next GET: HTTP ${r.status} ${r.body.slice(0, 40)}` };
    },
    'wrong-probe-answer': async (port) => {
        const { ws, answer } = await probeUpgrade(port);
        wsClose(ws);
        return { shown: answer !== '3probe', detail: `2probe answered ${JSON.stringify(answer)}` };
    },
    'no-upgrade-noop': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        const pending = c.get(1500);
        await sleep(30);
        const ws = await wsOpen(port, `EIO=4&transport=websocket&sid=${encodeURIComponent(c.sid)}`);
        ws.send('2probe');
        const m = await ws.next(1500);
        /* A ping may beat the noop to the pending GET; then poll again: while the
         * upgrade is pending the server must release every GET with a noop
         * (it checks every 100 ms). Watch for 700 ms after the probe. */
        const t = Date.now();
        const seen = [];
        let r = await pending;
        for (;;) {
            seen.push(`${r.status} "${r.body}" +${Date.now() - t} ms`);
            if (r.status !== 200 || r.body.split(SEP).includes('6')) break;
            if (r.body.split(SEP).includes('2')) await c.post('3');
            const left = 700 - (Date.now() - t);
            if (left <= 0) break;
            r = await c.get(left);
            if (r.status === 0) {
                seen.push('no answer');
                break;
            }
        }
        wsClose(ws);
        const noop = r.status === 200 && r.body.split(SEP).includes('6');
        return { shown: !!m && m.data === '3probe' && !noop, detail: `probe ${m && m.data}; polling GETs: ${seen.join(', ')}` };
    },
    'polling-after-upgrade': async (port) => {
        const { c, ws, answer } = await probeUpgrade(port);
        ws.send('5');
        await sleep(60);
        const r = await c.get(1000);
        wsClose(ws);
        return { shown: answer === '3probe' && r.status === 200, detail: `GET after upgrade: HTTP ${r.status} ${r.body.slice(0, 60)}` };
    },
    'binary-ws-base64': async (port) => {
        const ws = await wsOpen(port, 'EIO=4&transport=websocket');
        await ws.next(1500);
        ws.send('40');
        const auth = await ws.nextWhere((m) => !m.isBinary && m.data.startsWith('42["auth"'), 1500);
        ws.send('451-["message",{"_placeholder":true,"num":0}]');
        ws.send(Buffer.from([1, 2, 3]));
        const head = await ws.nextWhere((m) => !m.isBinary && m.data.includes('"message-back"'), 1500);
        const att = head ? await ws.next(1500) : null;
        wsClose(ws);
        if (!auth || !head || !att) return { shown: false, detail: `incomplete exchange (${head && head.data})` };
        return {
            shown: !att.isBinary,
            detail: `attachment arrived as ${att.isBinary ? 'binary frame ' + att.data.toString('hex') : 'text ' + JSON.stringify(att.data)}`,
        };
    },
    'connect-no-sid': async (port) => {
        const c = await sioPolling(port);
        const p = c.connectPackets.find((x) => x.startsWith('40'));
        const j = p ? parseJson(p.slice(2)) : undefined;
        return { shown: !j || typeof j.sid !== 'string', detail: `CONNECT reply ${p}` };
    },
    'sio-sid-is-eio-sid': async (port) => {
        const c = await sioPolling(port);
        const p = c.connectPackets.find((x) => x.startsWith('40'));
        const j = p ? parseJson(p.slice(2)) : undefined;
        return { shown: !!j && j.sid === c.sid, detail: `engine sid ${c.sid}, socket sid ${j && j.sid}` };
    },
    'connect-error-string': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        await c.post('40/forbidden,');
        const r = await c.until((ps) => ps.some((p) => p.startsWith('44/forbidden,')), 1500);
        const p = r.packets.find((x) => x.startsWith('44/forbidden,'));
        const j = p ? parseJson(p.slice('44/forbidden,'.length)) : undefined;
        return { shown: typeof j === 'string', detail: `refusal ${p}` };
    },
    'unknown-nsp-accepted': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        await c.post('40/random,');
        const r = await c.until((ps) => ps.some((p) => /^4[04]\/random,/.test(p)), 1500);
        const p = r.packets.find((x) => /^4[04]\/random,/.test(x));
        return { shown: !!p && p.startsWith('40/random,'), detail: `reply ${p}` };
    },
    'no-connect-timeout': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        const r = await c.until(() => false, 1500); /* connectTimeout is 1000 ms */
        return { shown: !!r.timedOut && !r.closed, detail: r.closed ? `closed (${r.packets.join('|')})` : 'open after 1500 ms without CONNECT' };
    },
    'duplicate-connect-accepted': async (port) => {
        const c = await sioPolling(port);
        await c.post('40');
        const alive = await sioAlive(c);
        return { shown: alive, detail: alive ? 'still echoing after a second CONNECT' : 'closed after a second CONNECT' };
    },
    'event-before-connect': async (port) => {
        const c = new Poller(port);
        await c.handshake();
        await c.post('42["message","early"]');
        await sleep(100);
        await c.post('40');
        const r = await c.until((ps) => ps.some((p) => p.startsWith('40{')), 1500);
        return { shown: !!r.ok, detail: r.ok ? 'CONNECT accepted after an early EVENT' : `closed (${r.packets.join('|')})` };
    },
    'auth-before-connect': async (port) => {
        const c = await sioPolling(port);
        const ps = c.connectPackets;
        const iConn = ps.findIndex((p) => p.startsWith('40'));
        const iAuth = ps.findIndex((p) => p.startsWith('42["auth"'));
        return { shown: iAuth >= 0 && (iConn < 0 || iAuth < iConn), detail: `order ${ps.join(' | ')}` };
    },
    'disconnect-me-closes-session': async (port) => {
        const c = await sioPolling(port);
        await c.post('42["disconnect-me"]');
        const r = await c.until((ps) => ps.includes('41'), 1000);
        let after = '';
        if (r.ok) {
            const g = await c.get(1000); /* the Engine.IO session must still be there */
            after = `; then GET ${g.status} "${g.body}"`;
            if (g.status !== 200) return { shown: true, detail: `41 but session gone${after}` };
        }
        return { shown: !r.ok, detail: `${r.ok ? 'got 41' : 'no 41'}${r.closed ? ', session closed' : ''} (${r.packets.join('|')})${after}` };
    },
    'ack-wrong-id': async (port) => {
        const c = await sioPolling(port);
        await c.post('421["message-with-ack",1]');
        const r = await c.until((ps) => ps.some((p) => p.startsWith('43')), 1500);
        const p = r.packets.find((x) => x.startsWith('43'));
        return { shown: !!p && p !== '431[1]', detail: `ack ${p}` };
    },
    'emit-with-ack-no-id': async (port) => {
        const c = await sioPolling(port);
        await c.post('42["emit-with-ack","x"]');
        const r = await c.until((ps) => ps.some((p) => p.includes('["emit-with-ack","x"]')), 1500);
        const p = r.packets.find((x) => x.includes('["emit-with-ack","x"]'));
        return { shown: !!p && !/^42\d+\[/.test(p), detail: `server event ${p}` };
    },
    'binary-echo-base64': async (port) => {
        const { packets, reply } = await binaryEchoPolling(port);
        const d = reply && reply.startsWith('42') ? sioData(reply) : undefined;
        return { shown: !!d && typeof d[1] === 'string', detail: `echo ${packets.join(' | ')}` };
    },
    'binary-echo-array': async (port) => {
        const { packets, reply } = await binaryEchoPolling(port);
        const d = reply && reply.startsWith('42') ? sioData(reply) : undefined;
        return { shown: !!d && Array.isArray(d[1]), detail: `echo ${packets.join(' | ')}` };
    },
    'invalid-sio-packet-ignored': async (port) => {
        const c = await sioPolling(port);
        await c.post('42{}');
        const alive = await sioAlive(c);
        return { shown: alive, detail: alive ? 'still echoing after 42{}' : 'closed after 42{}' };
    },
    'reserved-event-accepted': async (port) => {
        const c = await sioPolling(port);
        await c.post('42["connect"]');
        const alive = await sioAlive(c);
        return { shown: alive, detail: alive ? 'still echoing after 42["connect"]' : 'closed after 42["connect"]' };
    },
};

/* The rest of the contract still works: CONNECT, auth, echo, ack. */
async function smoke(port) {
    const c = await sioPolling(port);
    await c.post('42["message",1,"2",{"3":[true]}]' + SEP + '425["message-with-ack","a"]');
    const r = await c.until((ps) => ps.includes('42["message-back",1,"2",{"3":[true]}]') &&
                                     ps.some((p) => p.startsWith('43')), 1500);
    if (!r.ok) throw new Error(`smoke: no echo/ack (${r.packets.join('|')})`);
}

/* ---------------------------------------------------------------------- */
/* Server processes                                                        */

const children = new Set();

async function startServer(fault) {
    const port = await freePort();
    const env = Object.assign({}, process.env, { HOST: '127.0.0.1', PORT: String(port) });
    if (fault) env.SIOSPEC_FAULT = fault;
    else delete env.SIOSPEC_FAULT;
    const child = spawn(process.execPath, [SERVER], { cwd: HERE, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    let exited = null;
    child.on('exit', (code, sig) => {
        exited = sig || code;
        children.delete(child);
    });
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
        if (exited !== null) throw new Error(`server exited (${exited}): ${out.trim().slice(-300)}`);
        const r = await request(port, { query: 'EIO=4&transport=polling', timeout: 500 });
        if (r.status === 200 && r.body.startsWith('0{')) {
            return { port, child, output: () => out, exited: () => exited };
        }
        await sleep(50);
    }
    stopServer({ child });
    throw new Error(`server not ready within 5 s: ${out.trim().slice(-300)}`);
}

function stopServer(s) {
    return new Promise((resolve) => {
        const child = s.child;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const t = setTimeout(() => {
            try {
                child.kill('SIGKILL');
            } catch (e) { /* gone */ }
        }, 2000);
        child.once('exit', () => {
            clearTimeout(t);
            resolve();
        });
        child.kill('SIGTERM');
    });
}

async function withTimeout(promise, ms, what) {
    let t;
    const timeout = new Promise((_, reject) => {
        t = setTimeout(() => reject(new Error(`${what}: no verdict within ${ms} ms`)), ms);
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(t);
    }
}

async function runCheck(name, port) {
    try {
        return await withTimeout(CHECKS[name](port), 8000, name);
    } catch (e) {
        return { error: e.message };
    }
}

/* Runs fn over items with at most |jobs| at once, keeping the order of results. */
async function pool(items, jobs, fn) {
    const out = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, worker));
    return out;
}

/* ---------------------------------------------------------------------- */

function readTsv() {
    const lines = fs.readFileSync(path.join(HERE, 'faults.tsv'), 'utf8').split('\n').filter((l) => l !== '');
    const header = lines.shift();
    return { header, rows: lines.map((l) => l.split('\t')) };
}

async function main() {
    const args = process.argv.slice(2);
    let jobs = 4;
    const only = [];
    for (let i = 0; i < args.length; i++) {
        if (args[i] === '-j') jobs = Math.max(1, Number.parseInt(args[++i], 10) || 1);
        else only.push(args[i]);
    }
    const watchdog = setTimeout(() => {
        console.log('FAIL watchdog: the run took longer than the time budget');
        for (const c of children) c.kill('SIGKILL');
        process.exit(1);
    }, WATCHDOG_MS);
    watchdog.unref();

    let failures = 0;
    const fail = (msg) => {
        failures++;
        console.log(`FAIL ${msg}`);
    };

    /* faults.tsv agrees with the server's own list, and every fault has a check. */
    const { header, rows } = readTsv();
    if (header !== 'fault\tarea\trule') fail(`faults.tsv: header is not fault<TAB>area<TAB>rule`);
    const listed = spawnSync(process.execPath, [SERVER, '--list'], { encoding: 'utf8', timeout: 10000 });
    const tsvText = rows.map((r) => r.join('\t')).join('\n');
    if (listed.status !== 0 || listed.stdout.trim() !== tsvText.trim()) {
        fail('faults.tsv differs from `node server.js --list`');
    }
    const names = rows.map((r) => r[0]);
    for (const r of rows) {
        if (r.length !== 3 || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(r[0])) fail(`faults.tsv: bad row ${r.join(' | ')}`);
    }
    for (const n of names) if (!CHECKS[n]) fail(`${n}: no wire check`);
    for (const n of Object.keys(CHECKS)) if (!names.includes(n)) fail(`${n}: check for a fault not in faults.tsv`);
    if (names.length < 30) fail(`only ${names.length} faults`);

    /* An unknown fault name is refused with exit status 2. */
    const bogus = spawnSync(process.execPath, [SERVER], {
        encoding: 'utf8', timeout: 10000,
        env: Object.assign({}, process.env, { SIOSPEC_FAULT: 'no-such-fault', PORT: '1', HOST: '127.0.0.1' }),
    });
    if (bogus.status !== 2) fail(`unknown SIOSPEC_FAULT: exit status ${bogus.status}, want 2`);

    const selected = only.length ? names.filter((n) => only.includes(n)) : names.filter((n) => CHECKS[n]);
    for (const n of only) if (!names.includes(n)) fail(`${n}: not a fault`);

    /* 1. The faithful server shows none of the faults. */
    const t0 = Date.now();
    const faithful = {};
    let base;
    try {
        base = await startServer('');
        await smoke(base.port);
        const res = await pool(selected, jobs, (n) => runCheck(n, base.port));
        selected.forEach((n, i) => { faithful[n] = res[i]; });
    } catch (e) {
        fail(`faithful server: ${e.message}`);
    } finally {
        if (base) await stopServer(base);
    }

    /* 2. Each fault shows on its own server, whose rest still works. */
    const results = await pool(selected, jobs, async (n) => {
        let s;
        try {
            s = await startServer(n);
            let smokeErr = null;
            try {
                await withTimeout(smoke(s.port), 8000, 'smoke');
            } catch (e) {
                smokeErr = e.message;
            }
            const r = await runCheck(n, s.port);
            const crashed = s.exited() !== null ? `server died (${s.exited()})` : null;
            return { r, smokeErr, crashed };
        } catch (e) {
            return { r: { error: e.message } };
        } finally {
            if (s) await stopServer(s);
        }
    });

    selected.forEach((n, i) => {
        const { r, smokeErr, crashed } = results[i];
        const f = faithful[n] || { error: 'not run' };
        const problems = [];
        if (r.error) problems.push(`faulty check error: ${r.error}`);
        else if (!r.shown) problems.push('fault does not show');
        if (smokeErr) problems.push(`rest of the contract broken: ${smokeErr}`);
        if (crashed) problems.push(crashed);
        if (f.error) problems.push(`faithful check error: ${f.error}`);
        else if (f.shown) problems.push('faithful server shows it too');
        const line = `${n.padEnd(30)} faulty: ${r.detail || r.error || ''} / faithful: ${f.detail || f.error || ''}`;
        if (problems.length) fail(`${line} -- ${problems.join('; ')}`);
        else console.log(`ok   ${line}`);
    });

    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    console.log(`${failures ? 'FAILED' : 'passed'}: ${selected.length} faults checked, ${failures} problem(s), ${secs} s`);
    clearTimeout(watchdog);
    process.exitCode = failures ? 1 : 0;
}

process.on('exit', () => {
    for (const c of children) {
        try {
            c.kill('SIGKILL');
        } catch (e) { /* gone */ }
    }
});

main().catch((e) => {
    console.log(`FAIL internal error: ${e.stack || e.message}`);
    process.exit(1);
});
