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

const { serve } = require('../../../../harness/targets/common/sio4-fixture.cjs');

let acks = 0;

serve({
    fixture: 'flaky',
    label: 'every second ack malformed',
    before(m) {
        const P = m.parser;
        class FlakyEncoder extends P.Encoder {
            encode(obj) {
                const out = super.encode(obj);
                if (obj.type !== P.PacketType.ACK || out.length !== 1 || typeof out[0] !== 'string' ||
                    !Array.isArray(obj.data) || ++acks % 2 === 0)
                    return out;
                const head = /^3(\/[^,]*,)?\d+/.exec(out[0]);
                if (head) out[0] = head[0] + JSON.stringify(Object.assign({}, obj.data));
                return out;
            }
        }
        return Object.assign({}, P, { Encoder: FlakyEncoder });
    },
});
