# siospec coverage agent for Python testees (fuzz/live).
#
# siospec writes this file as sitecustomize.py into a private folder and
# starts a bundled Python target with PYTHONPATH=<that folder> and
# SIOSPEC_AGENT_DIR=<that folder>. Python imports it at start-up, before the
# server's own modules, so coverage.py (Debian's python3-coverage, C tracer)
# measures the server's lines from the first request on. The agent answers
# on the unix socket <dir>/agent-<PORT>.sock, one line per request, in the
# protocol of the Node agent (hx_live_agent.js):
#   "cov"  -> "cov N" then N lines "KIND A B FILE": lines this process ran
#             for the first time ("B LINE LINE+1 FILE"; "F 0 0 FILE" for a
#             new file); this file and coverage.py itself left out
#   "mem"  -> "err" (siospec then measures VmRSS from /proc)
#   "ping" -> "pong"
# It never prints and never raises into the testee: without coverage.py, or
# if anything fails, it stays silent and siospec goes on black-box.


def _siospec_agent():
    import os
    import socket
    import threading

    d = os.environ.get('SIOSPEC_AGENT_DIR')
    port = os.environ.get('PORT')
    if not d or not port:
        return
    try:
        import coverage
    except Exception:
        return
    me = os.path.abspath(__file__)
    cov_dir = os.path.dirname(os.path.abspath(coverage.__file__))
    try:
        cov = coverage.Coverage(data_file=None, branch=False, config_file=False)
        cov.start()
    except Exception:
        return
    seen = {}  # file -> set of lines already reported
    lock = threading.Lock()

    def take():
        out = []
        with lock:
            data = cov.get_data()
            for f in data.measured_files():
                if f == me or f.startswith(cov_dir):
                    continue
                lines = data.lines(f) or []
                s = seen.get(f)
                if s is None:
                    s = seen[f] = set()
                    out.append('F 0 0 ' + f)
                for ln in lines:
                    if ln not in s:
                        s.add(ln)
                        out.append('B %d %d %s' % (ln, ln + 1, f))
        return 'cov %d\n' % len(out) + ''.join(x + '\n' for x in out)

    def handle(cmd):
        try:
            if cmd == 'cov':
                return take()
            if cmd == 'ping':
                return 'pong\n'
        except Exception:
            pass
        return 'err\n'

    path = os.path.join(d, 'agent-%s.sock' % port)
    try:
        os.unlink(path)
    except OSError:
        pass
    try:
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(path)
        srv.listen(4)
    except Exception:
        return

    def serve(c):
        buf = b''
        try:
            while True:
                chunk = c.recv(4096)
                if not chunk:
                    return
                buf += chunk
                while b'\n' in buf:
                    line, buf = buf.split(b'\n', 1)
                    c.sendall(handle(line.decode('utf-8', 'replace').strip()).encode('utf-8'))
        except Exception:
            pass
        finally:
            c.close()

    def accept():
        while True:
            try:
                c, _ = srv.accept()
            except Exception:
                return
            threading.Thread(target=serve, args=(c,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()


try:
    _siospec_agent()
except Exception:
    pass
