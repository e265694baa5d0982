"""The connections to Telegram: httpcore's pool over asyncio's own transports.

httpx sends the bot's requests through httpcore, whose network backend for asyncio
is anyio's. Each read and write there enters and leaves a cancel scope of anyio's,
and looks up the running task for it, several times; reading is paused and resumed
around each read; and asking an idle connection whether Telegram closed it built
every attribute of its socket (a ``getpeername``) each time. Together they were a
seventh of a busy bot's CPU, more than the bytes cost.

:class:`TelegramTransport` is httpx's own transport, with httpcore's own pool and
HTTP/1.1, on the network backend below: one asyncio connection per stream, its
bytes gathered by an :class:`asyncio.Protocol`, time-outs as :func:`asyncio.timeout`,
TLS as :meth:`asyncio.loop.start_tls`. Failures become httpcore's own exceptions
(``ConnectError``, ``ReadTimeout``, …), which httpx and python-telegram-bot turn into
theirs as before.
"""

from __future__ import annotations

import asyncio
import select
import ssl
from collections.abc import Awaitable, Iterable
from typing import Any

import httpcore
import httpx

#: Bytes gathered unread before the connection stops reading from its socket.
_READ_AHEAD = 256 * 1024
#: How long connecting to the first address may take before the next one is tried too.
_HAPPY_EYEBALLS_DELAY = 0.25


class _Connection(asyncio.Protocol):
    """What arrived on one connection and not yet read, and whether it ended."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.received = bytearray()
        self.ended = False
        self.error: BaseException | None = None
        self.writable = True
        self._waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.received += data
        if len(self.received) > _READ_AHEAD and self.transport is not None:
            self.transport.pause_reading()  # nothing when paused already
        self._wake()

    def eof_received(self) -> bool:
        self.ended = True
        self._wake()
        return False  # the transport closes itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended = True
        self.error = exc
        self.writable = True
        self._wake()

    def pause_writing(self) -> None:
        self.writable = False

    def resume_writing(self) -> None:
        self.writable = True
        self._wake()

    def take(self, max_bytes: int) -> bytes:
        """Up to ``max_bytes`` of what arrived, reading from the socket again below the limit."""
        data = bytes(self.received[:max_bytes])
        del self.received[:max_bytes]
        if len(self.received) <= _READ_AHEAD and self.transport is not None:
            self.transport.resume_reading()  # nothing when reading, or closed
        return data

    def waiter(self) -> asyncio.Future[None]:
        """A future done at the next change: bytes in, the end, room to write.

        HTTP/1.1 reads and writes one connection in turn, so one waits at a time.
        """
        if self._waiter is None or self._waiter.done():
            self._waiter = asyncio.get_running_loop().create_future()
        return self._waiter

    def _wake(self) -> None:
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)


async def _until(
    waiter: asyncio.Future[None],
    timeout: float | None,  # noqa: ASYNC109
    late: type[Exception],
) -> None:
    """Wait for ``waiter``; ``late`` (httpcore's time-out) when ``timeout`` passes first."""
    try:
        async with asyncio.timeout(timeout):
            await waiter
    except TimeoutError as error:
        raise late(str(error)) from error


class _Stream(httpcore.AsyncNetworkStream):
    """One connection to Telegram, plain or TLS, as httpcore reads and writes it."""

    def __init__(self, transport: asyncio.Transport, connection: _Connection) -> None:
        self._transport = transport
        self._connection = connection
        self._poller = select.poll()
        raw = transport.get_extra_info("socket")
        self._fileno = raw.fileno() if raw is not None else -1
        if self._fileno >= 0:
            self._poller.register(self._fileno, select.POLLIN)

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109
        connection = self._connection
        while not connection.received and not connection.ended:
            await _until(connection.waiter(), timeout, httpcore.ReadTimeout)
        if not connection.received:
            if connection.error is not None:
                raise httpcore.ReadError(str(connection.error)) from connection.error
            return b""
        return connection.take(max_bytes)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
        if not buffer:
            return
        connection = self._connection
        if self._transport.is_closing():
            raise httpcore.WriteError(str(connection.error or "the connection is closed"))
        self._transport.write(buffer)
        while not connection.writable and not self._transport.is_closing():
            await _until(connection.waiter(), timeout, httpcore.WriteTimeout)
        if connection.error is not None:
            raise httpcore.WriteError(str(connection.error)) from connection.error

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                wrapped = await loop.start_tls(
                    self._transport, self._connection, ssl_context, server_hostname=server_hostname
                )
        except TimeoutError as error:
            self._transport.abort()
            raise httpcore.ConnectTimeout(str(error)) from error
        except (OSError, ssl.SSLError) as error:
            self._transport.abort()
            raise httpcore.ConnectError(str(error)) from error
        assert isinstance(wrapped, asyncio.Transport)
        # What arrives now is what TLS decrypted, on the wrapping transport.
        self._connection.transport = wrapped
        return _Stream(wrapped, self._connection)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # Whether reading would not wait (bytes, or the end), as httpcore asks it of
            # an idle connection: gathered already, or waiting in the socket.
            connection = self._connection
            if connection.received or connection.ended or self._fileno < 0:
                return True
            return bool(self._poller.poll(0))
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        return None


async def _connected(
    connecting: Awaitable[tuple[asyncio.Transport, _Connection]],
    timeout: float | None,  # noqa: ASYNC109
    socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
) -> _Stream:
    """The stream of a connection being made, or httpcore's failure to connect."""
    try:
        async with asyncio.timeout(timeout):
            transport, connection = await connecting
    except TimeoutError as error:
        raise httpcore.ConnectTimeout(str(error)) from error
    except OSError as error:
        raise httpcore.ConnectError(str(error)) from error
    raw = transport.get_extra_info("socket")
    for option in socket_options or ():
        raw.setsockopt(*option)
    return _Stream(transport, connection)


class _Backend(httpcore.AsyncNetworkBackend):
    """Connections as asyncio makes them (asyncio's TCP ones have TCP_NODELAY set)."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        connecting = loop.create_connection(
            _Connection,
            host,
            port,
            local_addr=(local_address, 0) if local_address else None,
            happy_eyeballs_delay=_HAPPY_EYEBALLS_DELAY,
        )
        return await _connected(connecting, timeout, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        connecting = asyncio.get_running_loop().create_unix_connection(_Connection, path)
        return await _connected(connecting, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


class TelegramTransport(httpx.AsyncHTTPTransport):
    """httpx's transport for HTTP/1.1, on a pool of ``connections`` over asyncio's own."""

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
