'use strict';
/* siospec fixture: socket.io 4.8.x on Node, the reference target. Profiles
 * via EIO3=1, RECOVERY=1, COOKIE=1 (docs/testee-contract.md). */
require('../common/sio-server.cjs').start(require('socket.io'), 4, 'socket.io 4 (node)');
