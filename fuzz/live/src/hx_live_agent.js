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
 *             process reached for the first time (functions, blocks, sets
 *             of blocks not run; node: internals and this file left out)
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
     * function ran), "B start end url" (a block inside it ran), "Z start
     * hash url" (the set of its blocks that did not run: V8 folds a block
     * into its function when both ran equally often, so a branch taken for
     * the first time shows as a new zero set). */
    const seen = new Set();

    function skip(url) {
        return !url || url.startsWith('node:') || url.endsWith('hx_live_agent.js');
    }

    function zeroHash(ranges) {
        let h = 2166136261;
        for (let i = 1; i < ranges.length; i++) {
            if (ranges[i].count !== 0)
                continue;
            h = Math.imul(h ^ ranges[i].startOffset, 16777619) >>> 0;
            h = Math.imul(h ^ ranges[i].endOffset, 16777619) >>> 0;
        }
        return h;
    }

    function add(lines, key) {
        if (!seen.has(key)) {
            seen.add(key);
            lines.push(key);
        }
    }

    function takeCoverage() {
        const r = post('Profiler.takePreciseCoverage');
        const lines = [];
        for (const sc of r.result) {
            if (skip(sc.url))
                continue;
            for (const f of sc.functions) {
                const rs = f.ranges;
                if (!rs.length || rs[0].count === 0)
                    continue;
                add(lines, 'F ' + rs[0].startOffset + ' ' + rs[0].endOffset + ' ' + sc.url);
                for (let i = 1; i < rs.length; i++)
                    if (rs[i].count > 0)
                        add(lines, 'B ' + rs[i].startOffset + ' ' + rs[i].endOffset + ' ' + sc.url);
                add(lines, 'Z ' + rs[0].startOffset + ' ' + zeroHash(rs) + ' ' + sc.url);
            }
        }
        return 'cov ' + lines.length + '\n' + (lines.length ? lines.join('\n') + '\n' : '');
    }

    function memory() {
        try {
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
