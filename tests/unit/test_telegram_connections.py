"""The connections to Telegram, against servers on 127.0.0.1: an idle connection is used
again while it is open, and one Telegram closed is not (the next request goes over a new
one and arrives); what is large arrives whole; what is late or broken fails as httpx's
time-out or error of that kind."""

from __future__ import annotations

import asyncio
import socket
import ssl
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest

from bot.telegram_connections import TelegramTransport
from tests.support.certificates import self_signed

ANSWER = (
    b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'
)


class Server:
    """Answers each request on 127.0.0.1; with ``close_after`` it closes the connection
    once it has answered (as Telegram does to a connection left idle)."""

    def __init__(self, close_after: bool) -> None:
        self.close_after = close_after
        self.connections = 0
        self.answered = 0
        #: One item for each connection the server has closed.
        self.closed: asyncio.Queue[None] = asyncio.Queue()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(ANSWER)
                await writer.drain()
                self.answered += 1
                if self.close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            # Dropped, not shut down: TLS's goodbye would wait for a client that is idle.
            writer.transport.abort()
            await writer.wait_closed()
            self.closed.put_nowait(None)


@asynccontextmanager
async def serving(server: Server, tls: ssl.SSLContext | None) -> AsyncIterator[str]:
    listening = await asyncio.start_server(server.serve, "127.0.0.1", 0, ssl=tls)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}/bot/getMe"
    finally:
        listening.close()
        await listening.wait_closed()


async def post_three_times(server: Server, tls: bool, directory: Path) -> None:
    """Three requests through the transport, one after the other, each answered; when the
    server closes each connection, the next request waits until it has."""
    server_tls, client_tls = self_signed(directory)
    async with (
        serving(server, server_tls if tls else None) as url,
        httpx.AsyncClient(transport=TelegramTransport(client_tls, 4)) as client,
    ):
        for _ in range(3):
            assert (await client.post(url)).json() == {"ok": True}
            if server.close_after:
                await server.closed.get()  # Telegram closed it: the next needs another


@pytest.mark.parametrize("tls", [False, True], ids=["plain", "tls"])
async def test_an_open_idle_connection_is_used_again(tmp_path: Path, tls: bool) -> None:
    server = Server(close_after=False)
    await post_three_times(server, tls, tmp_path)
    assert server.connections == 1


@pytest.mark.parametrize("tls", [False, True], ids=["plain", "tls"])
async def test_a_connection_telegram_closed_is_not_used_again(tmp_path: Path, tls: bool) -> None:
    server = Server(close_after=True)
    await post_three_times(server, tls, tmp_path)
    assert server.connections == 3
    assert server.answered == 3


@asynccontextmanager
async def listening(
    serve: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> AsyncIterator[int]:
    """A server on 127.0.0.1 running ``serve`` for each connection; yields its port."""
    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


def client(tmp_path: Path, **timeouts: float) -> httpx.AsyncClient:
    """A client on the transport, with ``timeouts`` (httpx's names) where given."""
    _server_tls, client_tls = self_signed(tmp_path)
    return httpx.AsyncClient(
        transport=TelegramTransport(client_tls, 4), timeout=httpx.Timeout(5.0, **timeouts)
    )


async def test_an_answer_read_slowly_arrives_whole(tmp_path: Path) -> None:
    body = bytes(range(256)) * 8192  # 2 MiB, eight times what a connection reads ahead

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()
        await reader.read()  # until the client goes
        writer.close()

    async with (
        listening(serve) as port,
        client(tmp_path, read=1.0) as http,
        http.stream("GET", f"http://127.0.0.1:{port}/") as answer,
    ):
        chunks = answer.aiter_raw()
        first = await anext(chunks)
        # Meanwhile more arrives than the connection reads ahead: it stops reading, and
        # reads on once the rest is asked for.
        await asyncio.sleep(0.2)
        rest = b"".join([chunk async for chunk in chunks])
    assert first + rest == body


async def test_a_request_larger_than_the_socket_takes_waits_for_room(tmp_path: Path) -> None:
    upload = b"x" * (16 * 1024 * 1024)
    received = bytearray()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        while len(received) < len(upload):
            await asyncio.sleep(0)  # a slow reader: the client's writes fill the socket
            received.extend(await reader.read(256 * 1024))
        writer.write(ANSWER)
        await writer.drain()
        await reader.read()
        writer.close()

    async with listening(serve) as port, client(tmp_path) as http:
        answer = await http.post(f"http://127.0.0.1:{port}/", content=upload)
    assert answer.json() == {"ok": True}
    assert bytes(received) == upload


async def test_an_answer_that_does_not_come_times_out_as_a_read(tmp_path: Path) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # never answers; until the client goes
        writer.close()

    async with listening(serve) as port, client(tmp_path, read=0.2) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.get(f"http://127.0.0.1:{port}/")


async def test_a_request_the_server_does_not_read_times_out_as_a_write(tmp_path: Path) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)  # reads nothing: the client's writes fill the socket
        writer.close()

    async with listening(serve) as port, client(tmp_path, write=0.2) as http:
        with pytest.raises(httpx.WriteTimeout):
            await http.post(f"http://127.0.0.1:{port}/", content=b"x" * (64 * 1024 * 1024))


async def test_a_connection_reset_before_the_answer_is_a_read_error(tmp_path: Path) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(ANSWER[:40])  # half an answer, then a reset
        await writer.drain()
        linger_none = struct.pack("ii", 1, 0)
        writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger_none)
        writer.transport.abort()

    async with listening(serve) as port, client(tmp_path) as http:
        with pytest.raises(httpx.ReadError):
            await http.get(f"http://127.0.0.1:{port}/")


async def test_nobody_listening_is_a_connect_error(tmp_path: Path) -> None:
    async with listening(lambda reader, writer: asyncio.sleep(0)) as port:
        pass  # closed again: nothing listens on the port now
    async with client(tmp_path) as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(f"http://127.0.0.1:{port}/")


async def test_a_server_that_never_answers_tls_times_out_connecting(tmp_path: Path) -> None:
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # takes the connection, says nothing
        writer.close()

    async with listening(serve) as port, client(tmp_path, connect=0.2) as http:
        with pytest.raises(httpx.ConnectTimeout):
            await http.get(f"https://127.0.0.1:{port}/")
