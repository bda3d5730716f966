'use strict';
/*
 * sio-server.cjs - starts a node:http server running socket.io with the
 * siospec testee contract. Used by node-sio4, node-sio3, node-sio2 and deno
 * (Deno runs it through its Node compatibility layer). Each fixture passes
 * in its own copy of socket.io, so every folder pins its own version.
 *
 * Prints one "siospec fixture ready" line once listening; siospec itself
 * does not rely on it (it probes the port), the line is for humans.
 */

const http = require('http');
const contract = require('./sio-contract.cjs');

function start(sio, major, label) {
    const { host, port } = contract.listenAddress();
    const httpServer = http.createServer((req, res) => {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found\n');
    });
    const opts = contract.serverOptions(major);
    const io = major <= 2 ? sio(httpServer, opts) : new sio.Server(httpServer, opts);
    contract.install(io, major);
    httpServer.on('error', (err) => {
        console.error(`siospec fixture ${label}: ${err.message}`);
        process.exit(1);
    });
    httpServer.listen(port, host, () => {
        console.log(`siospec fixture ready: ${label} on ${host}:${port} ` +
                    `profiles=${contract.profileNames()}`);
    });
    return io;
}

module.exports = { start };
