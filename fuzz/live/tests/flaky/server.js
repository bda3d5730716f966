'use strict';
/*
 * fuzz/live/tests/flaky/server.js - a testee whose one bug shows every
 * other time: of the acknowledgements the server sends, every second one
 * (the 1st, 3rd, 5th ... since the start) carries its arguments as an
 * object keyed by position instead of an array (3<id>{"0":...}), which the
 * strict codec refuses. Otherwise it is sio4 (socket.io 4.8.4, the contract
 * of docs/testee-contract.md).
 *
 * A case with one acked event therefore reproduces on some replays only,
 * and a case with two or more on every replay: the live fuzzer's self-test
 * of how a finding first shown by a flaky case gets the reliable
 * reproducer of a later case (live_selftest.sh retry).
 *
 *   HOST=127.0.0.1 PORT=3000 node server.js
 */

const { editingParser, ackArgsAsObject, serve } =
    require('../../../../harness/targets/common/sio4-fixture.cjs');

let acks = 0;

serve({
    fixture: 'flaky',
    label: 'every second ack malformed',
    before(m) {
        return editingParser(m, (obj, out) => {
            if (obj.type !== m.parser.PacketType.ACK || out.length !== 1 ||
                typeof out[0] !== 'string' || !Array.isArray(obj.data) || ++acks % 2 === 0)
                return;
            ackArgsAsObject(obj, out);
        });
    },
});
