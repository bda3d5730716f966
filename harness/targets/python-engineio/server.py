"""siospec fixture: python-engineio alone (Debian python3-engineio, aiohttp)
at /engine.io/, echoing every message unchanged (docs/testee-contract.md).
PORT and HOST (default 127.0.0.1) select the listening address. Run it
with /usr/bin/python3.
"""

import os
import sys

import engineio
from aiohttp import web


def main():
    try:
        port = int(os.environ['PORT'])
    except (KeyError, ValueError):
        sys.exit('siospec fixture: PORT must be set to a TCP port')
    host = os.environ.get('HOST', '127.0.0.1')
    eio = engineio.AsyncServer(async_mode='aiohttp', ping_interval=0.3, ping_timeout=0.2,
                               max_http_buffer_size=1_000_000, cors_allowed_origins='*',
                               cookie=None)

    @eio.on('message')
    async def message(sid, data):
        await eio.send(sid, data)

    app = web.Application()
    eio.attach(app, engineio_path='engine.io')
    print(f'siospec fixture ready: python-engineio on {host}:{port}', flush=True)
    web.run_app(app, host=host, port=port, print=None, access_log=None)


if __name__ == '__main__':
    main()
