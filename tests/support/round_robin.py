"""A load balancer on 127.0.0.1 that hands each webhook post to the next of its back ends.

Two bot processes behind one webhook URL, as an operator would run them: every
update may reach either process, so consecutive messages of one leader are
handled by different processes.
"""

from __future__ import annotations

import itertools
from types import TracebackType

import aiohttp
from aiohttp import web

#: Headers the proxy passes on: the secret token the bot checks, and the body's type.
_FORWARDED = ("Content-Type", "X-Telegram-Bot-Api-Secret-Token")


class RoundRobin:
    """Forwards ``POST path`` to ``http://127.0.0.1:{port}{path}`` for each port in turn."""

    def __init__(self, ports: list[int], port: int) -> None:
        self.ports = ports
        self.port = port
        self._next = itertools.cycle(ports)
        #: Which back end each post went to, in order.
        self.routed: list[int] = []
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> RoundRobin:
        app = web.Application()
        app.router.add_post("/{path:.*}", self._forward)
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        port = next(self._next)
        self.routed.append(port)
        headers = {name: request.headers[name] for name in _FORWARDED if name in request.headers}
        async with self._session.post(
            f"http://127.0.0.1:{port}{request.path}", data=await request.read(), headers=headers
        ) as answer:
            return web.Response(status=answer.status, body=await answer.read())
