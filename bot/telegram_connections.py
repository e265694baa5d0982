"""The connections to Telegram: a pool whose look at an idle connection is one ``poll``.

On every request, httpcore's pool asks each idle connection whether Telegram closed it
("is the socket readable?": an idle HTTP/1.1 connection only ever reads the end of it).
Through anyio that question builds the socket's every attribute first, its peer's
address included (a ``getpeername``), and so cost more than the ``poll`` that answers
it: with sixteen connections, a tenth of a busy bot's CPU went to asking.

:class:`TelegramTransport` is httpx's own transport with httpcore's own pool and
network backend, the stream of each connection wrapped so that its socket is looked up,
and registered with a ``poll`` of its own, once, when the connection is made; the
answer is that ``poll``, as httpcore's. Everything else (reads, writes, TLS, time-outs)
is anyio's as before.
"""

from __future__ import annotations

import select
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx


class _Stream(httpcore.AsyncNetworkStream):
    """An anyio stream, with its socket looked up once."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._socket: socket.socket | None = inner.get_extra_info("socket")
        self._poller = select.poll()
        if self._socket is not None and self._socket.fileno() >= 0:
            self._poller.register(self._socket.fileno(), select.POLLIN)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        return await self._inner.read(max_bytes, timeout)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # Whether reading would not wait (data, or the end), as httpcore asks it; a
            # closed socket would return the end at once.
            if self._socket is None or self._socket.fileno() < 0:
                return True
            return bool(self._poller.poll(0))
        return self._inner.get_extra_info(info)


class _Backend(httpcore.AsyncNetworkBackend):
    """httpcore's anyio backend, each stream wrapped in :class:`_Stream`."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(
            await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        return _Stream(await self._inner.connect_unix_socket(path, timeout, socket_options))

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class TelegramTransport(httpx.AsyncHTTPTransport):
    """httpx's transport for HTTP/1.1, on a pool of ``connections`` with the cheap look."""

    def __init__(self, ssl_context: ssl.SSLContext, connections: int) -> None:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        super().__init__(verify=ssl_context, limits=limits)
        # httpx builds its pool without a way to give it a network backend: the same pool,
        # built again with one (httpx's own request handling uses it as before).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_Backend(),
        )
