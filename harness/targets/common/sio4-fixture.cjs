'use strict';
/*
 * harness/targets/common/sio4-fixture.cjs - what siospec's own testees built
 * on the reference target share: the fault-injection fixture
 * (cases/tests/faulty/server.js) and the live fuzzer's planted-bug fixture
 * (fuzz/live/planted/server.js).
 *
 * Both are sio4 (socket.io 4.8.4 from node-sio4, the contract of
 * docs/testee-contract.md) with exactly one change chosen by an environment
 * variable. They change socket.io by patching the prototypes of the copies in
 * node-sio4/node_modules (the very instances socket.io loads) before the
 * server is created; the patched code is confined to the fixture's process.
 */

const path = require('path');
const http = require('http');

const NM = path.join(__dirname, '../node-sio4/node_modules');
const contract = require('./sio-contract.cjs');

/* A module of node-sio4's node_modules, by its path there. */
function load(rel) {
    return require(path.join(NM, rel));
}

/* Replaces proto[name] with make(original). */
function patch(proto, name, make) {
    const orig = proto[name];
    if (typeof orig !== 'function') throw new Error(`cannot patch ${name}: not a function`);
    proto[name] = make(orig);
}

/* A socket.io parser (of module set |m|) whose Encoder post-processes the
 * encoded packets: edit(obj, out) may change |out| ([text, ...attachments])
 * in place. */
function editingParser(m, edit) {
    const P = m.parser;
    class EditingEncoder extends P.Encoder {
        encode(obj) {
            const out = super.encode(obj);
            edit(obj, out);
            return out;
        }
    }
    return Object.assign({}, P, { Encoder: EditingEncoder });
}

/* Rewrites the encoded acknowledgement |out| of packet |obj| to carry its
 * arguments as an object keyed by position (3<id>{"0":...}) instead of an
 * array, a payload the protocol forbids. Only plain (text) acks. */
function ackArgsAsObject(obj, out) {
    if (out.length !== 1 || typeof out[0] !== 'string' || !Array.isArray(obj.data)) return;
    const head = /^3(\/[^,]*,)?\d+/.exec(out[0]);
    if (head) out[0] = head[0] + JSON.stringify(Object.assign({}, obj.data));
}

/* The classes and modules a change may patch. */
function modules() {
    const m = {
        sio: load('socket.io'),
        SioSocket: load('socket.io/dist/socket.js').Socket,
        Namespace: load('socket.io/dist/namespace.js').Namespace,
        Client: load('socket.io/dist/client.js').Client,
        parser: load('socket.io-parser'),
        hasBinary: load('socket.io-parser/build/cjs/is-binary.js').hasBinary,
        EioServer: load('engine.io/build/server.js').Server,
        EioSocket: load('engine.io/build/socket.js').Socket,
        Polling: load('engine.io/build/transports/polling.js').Polling,
        WebSocketT: load('engine.io/build/transports/websocket.js').WebSocket,
        eioParser: load('engine.io-parser'),
    };
    m.SioServer = m.sio.Server;
    return m;
}

/*
 * Picks the entry of |list| named by environment variable |env| (null when
 * it is unset or empty). An unknown name prints an error naming |fixture|
 * and exits with status 2.
 */
function choose(env, list, fixture, what) {
    const name = process.env[env] || '';
    const entry = name ? list.find((e) => e.name === name) : null;
    if (name && !entry) {
        console.error(`siospec ${fixture} fixture: unknown ${env} '${name}' ` +
                      `(node server.js --list shows the ${what})`);
        process.exit(2);
    }
    return entry;
}

/*
 * Serves the contract on HOST:PORT. |before(m, opts)| may change the
 * modules and the server options (and return a custom parser);
 * |after(m, io)| runs once the server exists, before the contract's
 * handlers are installed. Prints "siospec fixture ready: <fixture>
 * (socket.io 4, <label>) on host:port" once listening.
 */
function serve({ fixture, label, before, after }) {
    const m = modules();
    const { host, port } = contract.listenAddress();
    const opts = contract.serverOptions(4);
    if (before) {
        const parser = before(m, opts);
        if (parser) opts.parser = parser;
    }
    const httpServer = http.createServer((req, res) => {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
    });
    const io = new m.SioServer(httpServer, opts);
    if (after) after(m, io);
    contract.install(io, 4);
    httpServer.on('error', (err) => {
        console.error(`siospec ${fixture} fixture: ${err.message}`);
        process.exit(1);
    });
    httpServer.listen(port, host, () => {
        console.log(`siospec fixture ready: ${fixture} (socket.io 4, ${label}) on ${host}:${port}`);
    });
    return io;
}

module.exports = { load, patch, editingParser, ackArgsAsObject, modules, choose, serve };
