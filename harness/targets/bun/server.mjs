/*
 * siospec fixture: @socket.io/bun-engine under Bun (docs/testee-contract.md).
 * Default: socket.io 4.8.x bound to bun-engine at /socket.io/. EIO_ONLY=1:
 * bun-engine alone at /engine.io/, echoing every message.
 * bun-engine's socket emits "data" and sends with write() (not engine.io's
 * "message"/send()); a throw in a handler would end the whole process.
 */
import { Server as Engine } from '@socket.io/bun-engine';
import { Server } from 'socket.io';
import contract from '../common/sio-contract.cjs';

const { host, port } = contract.listenAddress();
const eioOnly = process.env.EIO_ONLY === '1';
const opts = contract.engineOptions(4, eioOnly ? '/engine.io/' : '/socket.io/');
delete opts.allowEIO3; /* not supported by bun-engine */
delete opts.cookie;
const engine = new Engine(opts);

if (eioOnly) {
    contract.installEcho(engine, 'data', 'write');
} else {
    const io = new Server({ connectTimeout: contract.SETTINGS.connectTimeout, serveClient: false });
    io.bind(engine);
    contract.install(io, 4);
}

Bun.serve({ hostname: host, port, ...engine.handler() });
console.log(`siospec fixture ready: bun-engine ${eioOnly ? 'engine.io echo' : 'socket.io'} on ${host}:${port}`);
