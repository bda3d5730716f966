"""siospec fixture: python-socketio (Debian python3-socketio) implementing
the siospec testee contract (docs/testee-contract.md).

MODE selects the web stack: aiohttp (default), asgi (uvicorn) or eventlet
(WSGI). PORT and HOST (default 127.0.0.1) select the listening address.
Run it with /usr/bin/python3: Debian's packages live in dist-packages.

python-socketio sends the CONNECT reply only after the connect handler
returns, so the "auth" event is emitted from a background task started by
the handler; handlers run in order (async_handlers=False).
"""

import os
import sys

import socketio

NAMESPACES = ('/', '/custom')
OPTIONS = dict(
    ping_interval=0.3,
    ping_timeout=0.2,
    max_http_buffer_size=1_000_000,
    cors_allowed_origins='*',
    async_handlers=False,
    cookie=None,
)


def address():
    try:
        port = int(os.environ['PORT'])
    except (KeyError, ValueError):
        sys.exit('siospec fixture: PORT must be set to a TCP port')
    return os.environ.get('HOST', '127.0.0.1'), port


def refuse(sid, environ, auth=None):
    raise socketio.exceptions.ConnectionRefusedError(
        'forbidden', {'reason': 'forbidden'})


def plan(event, args):
    """Maps one incoming event to (reply kind, payload) for the contract."""
    if event == 'message':
        return 'emit', ('message-back', args)
    if event == 'message-with-ack':
        return 'ack', args
    if event in ('join', 'leave', 'broadcast', 'emit-with-ack',
                 'disconnect-me', 'close-me'):
        return event, args
    return None, None


def room_of(args):
    if args and isinstance(args[0], (str, int)) and not isinstance(args[0], bool):
        return args[0]
    return None


def build_async(mode):
    sio = socketio.AsyncServer(async_mode=mode, **OPTIONS)

    async def emit_auth(sid, ns, auth):
        await sio.sleep(0)
        await sio.emit('auth', auth, to=sid, namespace=ns)

    async def close_later(sid, ns):
        # Closing inside the handler would cut the request that carried
        # "close-me"; close once it has been answered.
        await sio.sleep(0)
        eio_sid = sio.manager.eio_sid_from_sid(sid, ns)
        if eio_sid is not None:
            await sio.eio.disconnect(eio_sid)

    def make(ns):
        async def connect(sid, environ, auth=None):
            sio.start_background_task(emit_auth, sid, ns, auth or {})

        async def catch_all(event, sid, *args):
            kind, data = plan(event, args)
            if kind == 'emit':
                await sio.emit(data[0], data[1], to=sid, namespace=ns)
            elif kind == 'ack':
                return tuple(args)
            elif kind == 'emit-with-ack':
                async def result(*res):
                    await sio.emit('emit-with-ack-result', res, to=sid, namespace=ns)
                await sio.emit('emit-with-ack', args, to=sid, namespace=ns,
                               callback=result)
            elif kind in ('join', 'leave', 'broadcast'):
                room = room_of(args)
                if room is None:
                    return None
                if kind == 'join':
                    sio.enter_room(sid, room, namespace=ns)
                elif kind == 'leave':
                    sio.leave_room(sid, room, namespace=ns)
                else:
                    await sio.emit('broadcast', args[1:], room=room, namespace=ns)
            elif kind == 'disconnect-me':
                await sio.disconnect(sid, namespace=ns)
            elif kind == 'close-me':
                sio.start_background_task(close_later, sid, ns)
            return None

        sio.on('connect', connect, namespace=ns)
        sio.on('*', catch_all, namespace=ns)

    for ns in NAMESPACES:
        make(ns)
    sio.on('connect', refuse, namespace='/forbidden')
    return sio


def build_sync():
    sio = socketio.Server(async_mode='eventlet', **OPTIONS)

    def emit_auth(sid, ns, auth):
        sio.sleep(0)
        sio.emit('auth', auth, to=sid, namespace=ns)

    def close_later(sid, ns):
        sio.sleep(0)
        eio_sid = sio.manager.eio_sid_from_sid(sid, ns)
        if eio_sid is not None:
            sio.eio.disconnect(eio_sid)

    def make(ns):
        def connect(sid, environ, auth=None):
            sio.start_background_task(emit_auth, sid, ns, auth or {})

        def catch_all(event, sid, *args):
            kind, data = plan(event, args)
            if kind == 'emit':
                sio.emit(data[0], data[1], to=sid, namespace=ns)
            elif kind == 'ack':
                return tuple(args)
            elif kind == 'emit-with-ack':
                def result(*res):
                    sio.emit('emit-with-ack-result', res, to=sid, namespace=ns)
                sio.emit('emit-with-ack', args, to=sid, namespace=ns, callback=result)
            elif kind in ('join', 'leave', 'broadcast'):
                room = room_of(args)
                if room is None:
                    return None
                if kind == 'join':
                    sio.enter_room(sid, room, namespace=ns)
                elif kind == 'leave':
                    sio.leave_room(sid, room, namespace=ns)
                else:
                    sio.emit('broadcast', args[1:], room=room, namespace=ns)
            elif kind == 'disconnect-me':
                sio.disconnect(sid, namespace=ns)
            elif kind == 'close-me':
                sio.start_background_task(close_later, sid, ns)
            return None

        sio.on('connect', connect, namespace=ns)
        sio.on('*', catch_all, namespace=ns)

    for ns in NAMESPACES:
        make(ns)
    sio.on('connect', refuse, namespace='/forbidden')
    return sio


def ready(mode, host, port):
    print(f'siospec fixture ready: python-socketio {mode} on {host}:{port}', flush=True)


def run_aiohttp(host, port):
    from aiohttp import web
    sio = build_async('aiohttp')
    app = web.Application()
    sio.attach(app)
    web.run_app(app, host=host, port=port, print=None,
                access_log=None, handle_signals=True)


def run_asgi(host, port):
    import uvicorn
    sio = build_async('asgi')
    app = socketio.ASGIApp(sio)
    uvicorn.run(app, host=host, port=port, log_level='warning', lifespan='off')


def run_eventlet(host, port):
    import eventlet
    import eventlet.wsgi
    sio = build_sync()
    sock = eventlet.listen((host, port))
    ready('eventlet', host, port)
    eventlet.wsgi.server(sock, socketio.WSGIApp(sio), log_output=False)


def main():
    host, port = address()
    mode = os.environ.get('MODE', 'aiohttp')
    runners = {'aiohttp': run_aiohttp, 'asgi': run_asgi, 'eventlet': run_eventlet}
    if mode not in runners:
        sys.exit(f'siospec fixture: unknown MODE {mode!r}')
    if mode != 'eventlet':
        ready(mode, host, port)
    runners[mode](host, port)


if __name__ == '__main__':
    main()
