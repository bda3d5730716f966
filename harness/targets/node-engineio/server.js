'use strict';
/* siospec fixture: standalone engine.io 6.6.x at /engine.io/, echoing every
 * message (docs/testee-contract.md). EIO3=1 also accepts EIO=3 clients. */
const http = require('http');
const engine = require('engine.io');
const contract = require('../common/sio-contract.cjs');

const { host, port } = contract.listenAddress();
const httpServer = http.createServer((req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
});
const eio = new engine.Server(contract.engineOptions(6, '/engine.io/'));
eio.attach(httpServer);
contract.installEcho(eio, 'message', 'send');
httpServer.on('error', (err) => {
    console.error(`siospec fixture engine.io: ${err.message}`);
    process.exit(1);
});
httpServer.listen(port, host, () => {
    console.log(`siospec fixture ready: engine.io on ${host}:${port} profiles=${contract.profileNames()}`);
});
