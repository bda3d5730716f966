'use strict';
/* siospec fixture: socket.io 2.5.1 on Node, Engine.IO v3 / Socket.IO v4
 * (docs/testee-contract.md). */
require('../common/sio-server.cjs').start(require('socket.io'), 2, 'socket.io 2 (node)');
