"""A reply whose process died between the turn's commit and the send still comes.

The stand-in takes the reply's call in and stalls it; the test kills the process that
made it, so the call is never carried out (``api.abandoned``): the turn had committed
(its update is done in the inbox) and its reply was not sent, the window that used to
lose it. The screens were committed with the turn (``bot.outbox``): the surviving
process, or the restarted one, sends them, once.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.e2e.test_two_processes import healthy
from tests.e2e.test_webhook import free_port
from tests.support.bot_api_standin import BotApiStandin
from tests.support.bot_process import BotProcess
from tests.support.database_peek import count, eventually_count
from tests.support.round_robin import RoundRobin
from tests.support.standin_records import Fault
from tests.support.standin_users import SimUser
from tests.support.waiting import wait_until

EMPTY_LIST = "You have no open cases. Start one with /new."
HELP = "/cases"
DONE = "SELECT count(*) FROM inbox WHERE done_at IS NOT NULL"


async def stalled(api: BotApiStandin, method: str, leader: SimUser) -> asyncio.Event:
    """Stall the next ``method`` call about ``leader``'s chat; set the event to let it go."""
    stall = asyncio.Event()
    api.inject(method, Fault("stalled", stall=stall), chat_id=leader.chat_id)
    return stall


def shown(leader: SimUser, text: str) -> int:
    return sum(text in m.text for m in leader.messages)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_the_surviving_process_sends_the_reply_of_one_killed_after_its_commit(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    ports = [free_port(), free_port()]
    async with RoundRobin(ports, free_port()) as balancer:
        processes: dict[int, BotProcess] = {}
        for number, port in enumerate(ports):
            folder = tmp_path / f"bot-{number}"
            folder.mkdir()
            process = BotProcess(api, database_url, folder)
            process.env.update(
                WEBHOOK_URL=f"http://127.0.0.1:{balancer.port}/telegram-hook",
                WEBHOOK_SECRET="s3cret-token",
                WEBHOOK_LISTEN="127.0.0.1",
                WEBHOOK_PORT=str(port),
                LOG_LEVEL="INFO",
            )
            await process.start_without_polling()
            processes[port] = process
            await wait_until_healthy(port, process)
        leader = api.user(8301, "Jo", language_code="en")
        try:
            await leader.send("/start")
            menu = await leader.expect("What do you want to do?")
            # Repeated until the window is hit: the process that stored the press handles
            # it almost always, but the other one's sweep may be first.
            for _attempt in range(5):
                done_before = await count(database_url, DONE)
                stall = await stalled(api, "editMessageText", leader)
                await leader.press(menu, "My cases")
                await wait_until(lambda: ("editMessageText", "stalled") in api.injected, "the edit")
                api.injected.clear()
                assert await count(database_url, DONE) == done_before + 1, "committed first"
                victim = processes[balancer.routed[-1]]
                killed_at = asyncio.get_running_loop().time()
                await victim.kill()
                try:
                    await wait_until(lambda: bool(api.abandoned), "the edit to die", 3)
                    break
                except AssertionError:
                    # The other process made the edit: let it through, and try again.
                    stall.set()
                    await leader.expect(EMPTY_LIST)
                    menu = await restart_and_menu(victim, leader, api)
            else:
                raise AssertionError("the window between commit and send was never hit")
            await leader.expect(EMPTY_LIST, timeout=10)
            took = asyncio.get_running_loop().time() - killed_at
            print(f"the survivor sent the reply {took:.2f} s after the kill")
            # It keeps going, and nothing came twice.
            await leader.send("/help")
            await leader.expect(HELP)
            assert shown(leader, EMPTY_LIST) == 1
            # The rows go once the screens are sent, a moment after the leader sees them.
            await eventually_count(database_url, "SELECT count(*) FROM undelivered_replies", 0)
        finally:
            for process in processes.values():
                await process.terminate()


async def wait_until_healthy(port: int, process: BotProcess) -> None:
    for _ in range(200):
        if await healthy(port):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the bot did not start:\n{process.log.read_text()}")


async def restart_and_menu(process: BotProcess, leader: SimUser, api: BotApiStandin) -> object:
    await process.start_without_polling()
    await leader.send("/start")
    return await leader.expect("What do you want to do?")


async def test_a_restart_sends_the_reply_its_killed_process_committed_and_did_not_send(
    api: BotApiStandin, database_url: str, tmp_path: Path
) -> None:
    bot = BotProcess(api, database_url, tmp_path)
    leader = api.user(8401, "Jo", language_code="en")
    await bot.start(api)
    try:
        await leader.send("/start")
        await leader.expect("What do you want to do?")
        await stalled(api, "sendMessage", leader)
        await leader.send("/help")
        await wait_until(lambda: ("sendMessage", "stalled") in api.injected, "the reply")
        await bot.kill()
        await wait_until(lambda: bool(api.abandoned), "the reply to die with its process")
        assert not api.pending_updates, "the /help was confirmed: its turn had committed"
        assert shown(leader, HELP) == 0

        await bot.start(api)
        await leader.expect(HELP, timeout=10)
        await leader.send("/cases")
        await leader.expect(EMPTY_LIST)
        assert shown(leader, HELP) == 1, "sent once"
    finally:
        await bot.terminate()
