'use strict';
/*
 * siospec coverage and memory agent for Node.js testees (fuzz/live).
 *
 * siospec starts a bundled Node target with
 *   NODE_OPTIONS="--require <this file>"  SIOSPEC_AGENT_DIR=<dir>
 * The agent opens an in-process inspector session, starts V8 precise
 * coverage (block counts, reset on every take) and listens on the unix
 * socket <dir>/agent-<PORT>.sock. One line per request:
 *   "cov"  -> "cov N" then N lines "KIND A B URL": coverage features this
 *             process reached for the first time ("F": a function, "B": a
 *             block; node: internals and this file left out)
 *   "mem"  -> "mem HEAP RSS EXTERNAL ARRAYBUFFERS" after a full GC
 *   "ping" -> "pong"
 * It never prints and never throws into the testee; if anything fails it
 * stays silent and siospec goes on without it.
 */
(function agent() {
    let inspector, net, fs;
    try {
        inspector = require('inspector');
        net = require('net');
        fs = require('fs');
    } catch (e) {
        return;
    }
    const dir = process.env.SIOSPEC_AGENT_DIR;
    const port = process.env.PORT;
    if (!dir || !port)
        return;
    const sockPath = dir + '/agent-' + port + '.sock';
    const session = new inspector.Session();
    function post(method, params) {
        let result = null, error = null;
        session.post(method, params || {}, (e, r) => { error = e; result = r; });
        if (error)
            throw error;
        return result;
    }
    try {
        session.connect();
        post('Profiler.enable');
        post('Profiler.startPreciseCoverage', {callCount: true, detailed: true});
    } catch (e) {
        return;
    }

    /* Features already reported by this process: "F start end url" (a
     * function ran) and "B start end url" (a block of it ran). V8 lists a
     * block only while its count differs from the innermost range around
     * it, so a block that ran exactly as often as that range is left out:
     * its count is then that range's. The agent remembers every block it
     * has seen listed for a function and resolves the ones left out.
     *
     * State per script url, then per function start offset (numbers, no
     * string keys): whether the function was reported, the blocks seen
     * listed and which of them were reported. A take builds strings only
     * for what is new, so its cost follows the code the case ran, not
     * what the process has seen before. */
    const scripts = new Map(); /* url -> Map(fstart -> {done, a: [], b: [], rep: []}) */

    function skip(url) {
        return !url || url.startsWith('node:') || url.endsWith('hx_live_agent.js');
    }

    /* Count at [a, b) given the listed ranges (outermost first, nested). */
    function countAt(rs, a, b) {
        let c = rs[0].count;
        for (let i = 1; i < rs.length; i++)
            if (rs[i].startOffset <= a && rs[i].endOffset >= b)
                c = rs[i].count; /* later listed ranges nest deeper */
        return c;
    }

    function takeFunction(url, fns, rs, lines) {
        const f0 = rs[0].startOffset;
        let st = fns.get(f0);
        if (!st) {
            st = {a: [], b: [], rep: [], left: 0};
            fns.set(f0, st);
            lines.push('F ' + f0 + ' ' + rs[0].endOffset + ' ' + url);
        }
        for (let i = 1; i < rs.length; i++) {
            const a = rs[i].startOffset, b = rs[i].endOffset;
            let k = 0;
            while (k < st.a.length && (st.a[k] !== a || st.b[k] !== b))
                k++;
            if (k === st.a.length && st.a.length < 4096) {
                st.a.push(a);
                st.b.push(b);
                st.rep.push(false);
                st.left++;
            }
        }
        if (!st.left)
            return; /* every block seen listed has been reported */
        for (let k = 0; k < st.a.length; k++)
            if (!st.rep[k] && countAt(rs, st.a[k], st.b[k]) > 0) {
                st.rep[k] = true;
                st.left--;
                lines.push('B ' + st.a[k] + ' ' + st.b[k] + ' ' + url);
            }
    }

    function takeCoverage() {
        const r = post('Profiler.takePreciseCoverage');
        const lines = [];
        for (const sc of r.result) {
            if (skip(sc.url))
                continue;
            let fns = scripts.get(sc.url);
            if (!fns) {
                fns = new Map();
                scripts.set(sc.url, fns);
            }
            for (const f of sc.functions)
                if (f.ranges.length && f.ranges[0].count > 0)
                    takeFunction(sc.url, fns, f.ranges, lines);
        }
        return 'cov ' + lines.length + '\n' + (lines.length ? lines.join('\n') + '\n' : '');
    }

    function memory() {
        try {
            /* Twice: ArrayBuffer backing stores freed by the first are
             * swept concurrently and only counted out after the second. */
            post('HeapProfiler.collectGarbage');
            post('HeapProfiler.collectGarbage');
        } catch (e) {
            /* measure anyway */
        }
        const m = process.memoryUsage();
        return 'mem ' + m.heapUsed + ' ' + m.rss + ' ' + m.external + ' ' + (m.arrayBuffers || 0) +
               '\n';
    }

    function handle(cmd) {
        try {
            if (cmd === 'cov')
                return takeCoverage();
            if (cmd === 'mem')
                return memory();
            if (cmd === 'ping')
                return 'pong\n';
        } catch (e) {
            /* fall through */
        }
        return 'err\n';
    }

    try {
        fs.unlinkSync(sockPath);
    } catch (e) {
        /* not there */
    }
    const server = net.createServer((c) => {
        let buf = '';
        c.setEncoding('utf8');
        c.on('error', () => {});
        c.on('data', (d) => {
            buf += d;
            let i;
            while ((i = buf.indexOf('\n')) >= 0) {
                const cmd = buf.slice(0, i).trim();
                buf = buf.slice(i + 1);
                c.write(handle(cmd));
            }
        });
        c.unref();
    });
    server.on('error', () => {});
    try {
        server.listen(sockPath);
        server.unref();
    } catch (e) {
        /* no agent then */
    }
})();
