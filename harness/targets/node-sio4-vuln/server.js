'use strict';
/* siospec fixture: socket.io 4.6.1 with engine.io 6.4.1 and
 * socket.io-parser 4.2.2 (pinned by npm overrides). Deliberately
 * vulnerable: the positive control of `siospec fuzz`, which must crash it
 * with CVE-2023-32695, CVE-2024-38355 and CVE-2023-31125. Never expose it
 * beyond 127.0.0.1. Same testee contract as node-sio4. */
require('../common/sio-server.cjs').start(require('socket.io'), 4, 'socket.io 4.6.1 (node, vulnerable)');
