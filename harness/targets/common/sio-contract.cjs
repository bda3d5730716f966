'use strict';
/*
 * sio-contract.cjs - the siospec testee contract (docs/testee-contract.md)
 * for servers written against the socket.io server API (v2, v3, v4), shared
 * by the node-sio4, node-sio3, node-sio2, deno and bun fixtures.
 *
 * It only builds options and installs handlers; each fixture's server file
 * creates the HTTP server (or Bun engine) and calls into here. Nothing here
 * may throw from a handler: a throw would kill some runtimes (Bun) and make
 * siospec report a crash that the server under test did not cause.
 *
 * Profiles come from the environment: EIO3=1 (also accept EIO=3 clients),
 * RECOVERY=1 (connection state recovery), COOKIE=1 (the io cookie).
 */

const url = require('url');

const SETTINGS = Object.freeze({
    pingInterval: 300,
    pingTimeout: 200,
    maxHttpBufferSize: 1e6,
    connectTimeout: 1000,
    upgradeTimeout: 1000,
    recoveryMs: 5000,
});

function flag(name) {
    return process.env[name] === '1';
}

function listenAddress() {
    const port = Number.parseInt(process.env.PORT || '', 10);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
        console.error('siospec fixture: PORT must be set to a TCP port');
        process.exit(2);
    }
    return { host: process.env.HOST || '127.0.0.1', port };
}

/* Engine.IO options (engine.io or @socket.io/bun-engine) for |path|. */
function engineOptions(major, path) {
    const o = {
        path,
        pingInterval: SETTINGS.pingInterval,
        pingTimeout: SETTINGS.pingTimeout,
        maxHttpBufferSize: SETTINGS.maxHttpBufferSize,
        upgradeTimeout: SETTINGS.upgradeTimeout,
    };
    if (major >= 3) {
        o.cors = { origin: '*' };
        if (flag('EIO3')) o.allowEIO3 = true;
        if (flag('COOKIE')) o.cookie = { name: 'io', path: '/', httpOnly: true, sameSite: 'lax' };
    } else {
        /* engine.io 3 sets the io cookie unless told not to; CORS is open by default. */
        o.cookie = flag('COOKIE') ? 'io' : false;
    }
    return o;
}

/* socket.io Server options for a socket.io major version |major|. */
function serverOptions(major) {
    const o = Object.assign(engineOptions(major, '/socket.io/'), { serveClient: false });
    if (major >= 3) o.connectTimeout = SETTINGS.connectTimeout;
    if (major >= 4 && flag('RECOVERY')) {
        o.connectionStateRecovery = {
            maxDisconnectionDuration: SETTINGS.recoveryMs,
            skipMiddlewares: true,
        };
    }
    return o;
}

/* v2 has no CONNECT payload: auth travels in the namespace's query string,
 * which socket.io 2 merges over the handshake request's query. */
function authV2(socket) {
    let req = {};
    try {
        req = url.parse(socket.request.url, true).query;
    } catch (e) {
        req = {};
    }
    const out = {};
    for (const [k, v] of Object.entries(socket.handshake.query || {})) {
        if (!(k in req) || req[k] !== v) out[k] = v;
    }
    return out;
}

function authOf(major, socket) {
    if (major <= 2) return authV2(socket);
    const a = socket.handshake.auth;
    return a && typeof a === 'object' ? a : {};
}

/* Splits an ack callback off the end of a handler's arguments. */
function splitAck(args) {
    if (args.length > 0 && typeof args[args.length - 1] === 'function') {
        return { args: args.slice(0, -1), ack: args[args.length - 1] };
    }
    return { args, ack: null };
}

function validRoom(room) {
    return typeof room === 'string' || typeof room === 'number';
}

function onEvents(nsp, socket) {
    socket.on('message', (...raw) => {
        socket.emit('message-back', ...splitAck(raw).args);
    });
    socket.on('message-with-ack', (...raw) => {
        const { args, ack } = splitAck(raw);
        if (ack) ack(...args);
    });
    socket.on('emit-with-ack', (...raw) => {
        const { args } = splitAck(raw);
        socket.emit('emit-with-ack', ...args, (...res) => {
            socket.emit('emit-with-ack-result', ...res);
        });
    });
    socket.on('join', (room) => {
        if (validRoom(room)) socket.join(room);
    });
    socket.on('leave', (room) => {
        if (validRoom(room)) socket.leave(room);
    });
    socket.on('broadcast', (room, ...raw) => {
        if (validRoom(room)) nsp.to(room).emit('broadcast', ...splitAck(raw).args);
    });
    socket.on('disconnect-me', () => socket.disconnect());
    socket.on('close-me', () => socket.disconnect(true));
}

/* Installs the contract's namespaces on socket.io server |io|. */
function install(io, major) {
    for (const name of ['/', '/custom']) {
        const nsp = io.of(name);
        nsp.on('connection', (socket) => {
            socket.emit('auth', authOf(major, socket));
            onEvents(nsp, socket);
        });
    }
    io.of('/forbidden').use((socket, next) => {
        const err = new Error('forbidden');
        /* v2 sends err.data instead of the message when set: keep its string form. */
        if (major >= 3) err.data = { reason: 'forbidden' };
        next(err);
    });
}

/* Engine.IO-only contract: echo every message unchanged. |sendName| is the
 * socket's send method ("send" for engine.io, "write" for bun-engine) and
 * |recvName| the message event ("message" or "data"). */
function installEcho(engine, recvName, sendName) {
    engine.on('connection', (socket) => {
        socket.on(recvName, (data) => socket[sendName](data));
    });
}

function profileNames() {
    return ['EIO3', 'RECOVERY', 'COOKIE'].filter(flag).join(',') || 'none';
}

module.exports = {
    SETTINGS,
    listenAddress,
    engineOptions,
    serverOptions,
    install,
    installEcho,
    profileNames,
};
