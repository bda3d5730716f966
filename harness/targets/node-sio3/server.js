'use strict';
/* siospec fixture: socket.io 3.1.2 on Node (docs/testee-contract.md). */
require('../common/sio-server.cjs').start(require('socket.io'), 3, 'socket.io 3 (node)');
