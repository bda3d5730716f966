'use strict';
/* siospec fixture: socket.io 4.8.4 on Node with a known-vulnerable dependency
 * pinned by npm overrides (see package.json): a control for the live
 * fuzzer's oracles. Loopback only. */
require('../common/sio-server.cjs').start(require('socket.io'), 4, 'node-sio4-eio666');
