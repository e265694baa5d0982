"""Benchmark: the CPU of a request to Telegram, httpx's own transport next to the bot's.

Run it from the project folder::

    .venv/bin/python -m tests.bench.connections [--requests 3000 --at-once 8 --rounds 3]

A server in a process of its own on 127.0.0.1 answers every POST at once with a short
JSON answer, as the Bot API answers ``sendMessage``; over plain TCP and over TLS (a
certificate made for the run). In this process an ``httpx.AsyncClient`` sends
``--requests`` POSTs, ``--at-once`` at a time, over each transport:

* **httpx**: httpx's own transport (httpcore's pool on anyio), as python-telegram-bot
  makes it by default;
* **bot**: ``bot.telegram_connections.TelegramTransport`` (the same pool on asyncio's
  own connections), as the bot sends.

The figure is this process's CPU time per request in µs (the client's only: the server
has its own process), the median of ``--rounds`` rounds, the transports alternating.
A script, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bot.telegram_connections import TelegramTransport
from tests.support.certificates import self_signed

#: What the server answers to every request, as the Bot API answers one.
ANSWER = (
    b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}'
)

#: The server's whole program: answer every request on every connection, at once.
SERVER = """
import asyncio, ssl, sys

ANSWER = {answer!r}

async def serve(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\\r\\n\\r\\n")
            length = 0
            for line in head.split(b"\\r\\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            writer.write(ANSWER)
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()

async def main():
    tls = None
    if sys.argv[1:]:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(sys.argv[1], sys.argv[2])
    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=tls)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"""

#: What each request sends: a message to a chat, as python-telegram-bot encodes it.
BODY = b'{"chat_id": 7000001, "text": "Hallo! Waarmee kan ik je helpen?", "parse_mode": "HTML"}'


def server(certificate: tuple[Path, Path] | None) -> tuple[subprocess.Popen[str], int]:
    """Start the server; it and its port."""
    arguments = [str(path) for path in certificate] if certificate else []
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER.format(answer=ANSWER), *arguments],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    return process, int(process.stdout.readline())


async def cpu_per_request(
    transport: httpx.AsyncBaseTransport, url: str, requests: int, at_once: int
) -> float:
    """This process's CPU µs per request, after a warm-up of a tenth as many."""
    async with httpx.AsyncClient(transport=transport) as client:

        async def sender(count: int) -> None:
            for _ in range(count):
                answer = await client.post(url, content=BODY)
                assert answer.status_code == 200

        await asyncio.gather(*(sender(requests // 10 // at_once) for _ in range(at_once)))
        started = time.process_time()
        await asyncio.gather(*(sender(requests // at_once) for _ in range(at_once)))
        return (time.process_time() - started) * 1e6 / (requests // at_once * at_once)


async def measure(args: argparse.Namespace, folder: Path) -> dict[str, dict[str, float]]:
    _server_tls, client_tls = self_signed(folder)
    certificate = (folder / "cert.pem", folder / "key.pem")
    figures: dict[str, dict[str, list[float]]] = {}
    for scheme, served in (("http", None), ("https", certificate)):
        process, port = server(served)
        url = f"{scheme}://127.0.0.1:{port}/bot123:abc/sendMessage"
        try:
            for _ in range(args.rounds):
                made = {
                    "httpx": httpx.AsyncHTTPTransport(
                        verify=client_tls,
                        limits=httpx.Limits(max_connections=16, max_keepalive_connections=16),
                    ),
                    "bot": TelegramTransport(client_tls, 16),
                }
                for name, transport in made.items():
                    figure = await cpu_per_request(transport, url, args.requests, args.at_once)
                    figures.setdefault(scheme, {}).setdefault(name, []).append(figure)
        finally:
            process.terminate()
            process.wait()
    return {
        scheme: {name: statistics.median(values) for name, values in of_scheme.items()}
        for scheme, of_scheme in figures.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.connections")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--at-once", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    if min(args.requests, args.at_once, args.rounds) < 1 or args.requests < args.at_once:
        parser.error("--requests, --at-once and --rounds must be positive, requests ≥ at once")
    with tempfile.TemporaryDirectory(prefix="connections-") as name:
        figures = asyncio.run(measure(args, Path(name)))
    print("| over | httpx's transport | the bot's | ratio |")
    print("|---|---:|---:|---:|")
    for scheme, of_scheme in figures.items():
        ratio = of_scheme["bot"] / of_scheme["httpx"]
        print(
            f"| {scheme} | {of_scheme['httpx']:.0f} µs | {of_scheme['bot']:.0f} µs | {ratio:.2f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
