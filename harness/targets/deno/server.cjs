'use strict';
/* siospec fixture: socket.io 4.8.x under Deno's Node compatibility layer
 * (docs/testee-contract.md). Run with: deno run -A server.cjs */
require('../common/sio-server.cjs').start(require('socket.io'), 4, 'socket.io 4 (deno)');
