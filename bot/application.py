"""The whole bot at a glance: every handler wired in one place.

The leader's place in the flow is a row in the database, read and written in the
same transaction as their data (see ``bot.turn`` and ``flows.protocol``), so the
bot needs no conversation handler: python-telegram-bot's ConversationHandler
keeps states in each process's memory, which two processes sharing one database
(a webhook behind a load balancer, or one taking over from another) would each
hold differently. Instead, a typed message goes to :func:`bot.handlers.typed.typed`,
which reads what the leader's place waits for; buttons carry what they do.

Order matters: group -3 answers an edited message and stops there (an edit is
not new input, see ``bot.intake.edits``); group -2 keeps group chats out; in
group 0 the first handler that matches an update takes it: commands, a button
(parsed once and routed by its kind, :data:`PRESSES`; one not ours is answered so),
a typed answer, then an answer for anything else (a photo, an unknown command).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable
from datetime import datetime

import httpx
from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest, HTTPXRequest

from bot.callback_data import (
    AskCamp,
    AskLead,
    AskMeetingDay,
    AskMeetingEnd,
    AskMoreDays,
    AskQuietHours,
    AskTimeZone,
    CalendarFile,
    CasePress,
    CasesPage,
    CheckAnswer,
    CheckApproach,
    CheckEdit,
    CheckStartCase,
    CheckToggle,
    KeepFirstPart,
    LanguagePress,
    LeadChosen,
    MeetingDayAdded,
    MeetingDayChosen,
    MeetingEndChosen,
    MeetingHourChosen,
    MenuPress,
    NoBlameAnswer,
    NoBlameShow,
    NoBlameToggle,
    NoCamp,
    NoMeeting,
    PracticeGo,
    PracticeReply,
    PracticeStart,
    Pressed,
    PrivacyPress,
    QuietHoursChosen,
    TakeRest,
    TimeZoneChosen,
    Why,
    parse,
)
from bot.handlers import (
    approaches,
    calendar,
    case,
    case_list,
    history,
    language,
    menu,
    practice,
    privacy,
    quick_check,
    settings,
    team,
    team_case,
    typed,
)
from bot.handlers.commands import COMMANDS, menu_pressed
from bot.handlers.errors import on_error
from bot.handlers.group_chats import keep_groups_out
from bot.intake.edits import edits_are_not_read
from bot.intake.polling import UPDATES_REQUEST_KEY, UpdatesRequest
from bot.nudges import NudgeDispatcher
from bot.rate_limits import TelegramLimits
from bot.retention import RetentionJob
from bot.settings import Settings
from bot.storage.database import Database
from bot.team_callbacks import CASE_TEAM_BUTTONS, HISTORY_BUTTONS, TEAM_BUTTONS
from bot.team_rounds import TeamRounds
from bot.telegram_connections import TelegramTransport
from bot.turn import SERVICES_KEY, Context, Services, TurnCallback
from flows.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, _, using_language

log = logging.getLogger(__name__)


#: Which handler takes a press, by the type of its parsed data.
PRESSES: dict[type[Pressed], TurnCallback] = {
    MenuPress: menu_pressed,
    **dict.fromkeys((CheckToggle, CheckAnswer, CheckEdit, CheckStartCase), quick_check.pressed),
    **dict.fromkeys(
        (CheckApproach, NoBlameShow, NoBlameToggle, NoBlameAnswer, Why), approaches.pressed
    ),
    CasePress: case.pressed,
    CalendarFile: calendar.pressed,
    KeepFirstPart: typed.keep_first_part,
    TakeRest: typed.take_rest,
    CasesPage: case_list.page_pressed,
    PrivacyPress: privacy.delete_pressed,
    **dict.fromkeys(TEAM_BUTTONS, team.pressed),
    **dict.fromkeys(CASE_TEAM_BUTTONS, team_case.pressed),
    **dict.fromkeys(HISTORY_BUTTONS, history.pressed),
    LanguagePress: language.chosen,
    **dict.fromkeys((PracticeStart, PracticeReply, PracticeGo), practice.pressed),
    **dict.fromkeys(
        (
            AskMeetingDay,
            MeetingDayChosen,
            NoMeeting,
            MeetingHourChosen,
            AskMoreDays,
            MeetingDayAdded,
            AskMeetingEnd,
            MeetingEndChosen,
            AskLead,
            LeadChosen,
            AskCamp,
            NoCamp,
            AskQuietHours,
            QuietHoursChosen,
            AskTimeZone,
            TimeZoneChosen,
        ),
        settings.pressed,
    ),
}


class PressHandler(BaseHandler[Update, Context, None]):
    """Every button press: its data parsed once, and handed to the handler of its type.

    Data that is not (or no longer) ours goes to ``otherwise``.
    """

    def __init__(self, routes: dict[type[Pressed], TurnCallback], otherwise: TurnCallback):
        super().__init__(otherwise)
        self.routes = routes
        self.otherwise = otherwise

    def check_update(self, update: object) -> tuple[Pressed | None] | None:
        """The parsed press (in a tuple, so that data not ours still matches), or ``None``."""
        if not isinstance(update, Update) or update.callback_query is None:
            return None
        return (parse(update.callback_query.data),)

    async def handle_update(
        self,
        update: Update,
        application: Application,  # type: ignore[type-arg]
        check_result: object,
        context: Context,
    ) -> None:
        """Hand the press to the handler of its type."""
        assert isinstance(check_result, tuple)
        press = check_result[0]
        await self.routes.get(type(press), self.otherwise)(update, context, press)


def handlers() -> list[BaseHandler[Update, Context, None]]:
    """Every handler of group 0, in the order they are tried."""
    new_messages = filters.UpdateType.MESSAGE
    return [
        # An invitation link opens the bot with "/start <token>".
        CommandHandler("start", team.join_command, filters=new_messages, has_args=1),
        *(CommandHandler(c.name, c.handler, filters=new_messages) for c in COMMANDS),
        # A button: parsed once, to the handler of its kind; not ours, an answer saying so.
        PressHandler(PRESSES, menu.outdated_button),
        # What the leader types is the answer their place in the flow waits for.
        MessageHandler(filters.TEXT & ~filters.COMMAND & new_messages, typed.typed),
        # Anything else: an unknown command, a photo.
        MessageHandler(new_messages, menu.off_script),
    ]


#: Connections to Telegram at most. On every request httpcore asks each idle connection
#: of its pool whether Telegram closed it, so connections beyond what the replies in
#: flight need cost CPU on every request: with python-telegram-bot's 256 a busy bot kept
#: as many as its busiest moment had opened, and in some runs those questions took a
#: fifth of its CPU (each is cheaper now, see bot.telegram_connections). Sixteen carry
#: fifteen leaders tapping at once, Telegram 60 ms away, no slower (docs/benchmarks.md).
TELEGRAM_CONNECTIONS = 16
#: How long a request waits for one of them when all are busy (Telegram slow to answer)
#: before it counts as timed out and is tried again (bot.telegram_faults).
CONNECTION_WAIT = 10.0

#: Where the database remembers which "/" menus this bot was last given (``meta``).
MENUS_KEY = "command_menus"


async def set_commands(application: Application, database: Database) -> None:  # type: ignore[type-arg]
    """The "/" menu of Telegram, in each language, when it is not what Telegram has.

    Telegram keeps a bot's menus; the database remembers a digest of the menus it last
    gave this bot, so a start-up with the same commands and texts sends nothing (five
    calls fewer before the first update), and a new version or a new bot token sends
    them all again (all at once: start-up waits for them).
    """
    menus: dict[str, list[BotCommand]] = {}
    for code in (None, *SUPPORTED_LANGUAGES):
        with using_language(code or DEFAULT_LANGUAGE):
            menus[code or ""] = [BotCommand(c.name, _(c.description)) for c in COMMANDS]
    given = {code: [c.to_dict() for c in commands] for code, commands in menus.items()}
    shape = json.dumps([application.bot.id, given], sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(shape.encode()).hexdigest()
    if await database.fact(MENUS_KEY) == digest:
        return
    await asyncio.gather(
        *(
            application.bot.set_my_commands(commands, language_code=code or None)
            for code, commands in menus.items()
        )
    )
    await database.remember(MENUS_KEY, digest)


def build_application(
    settings: Settings,
    database: Database,
    *,
    clock: Callable[[], datetime] | None = None,
    bot_api: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    """The bot: handlers, persistence in ``database``, Bot API at ``settings.api_url``.

    ``clock`` replaces the wall clock for the rules and the reminders (tests and the
    console move it). ``bot_api`` answers the Bot API calls instead of Telegram (the
    console); the bot then has no updater: its caller hands it the updates.
    """
    services = Services(database, settings, clock) if clock else Services(database, settings)
    dispatcher = NudgeDispatcher(
        database,
        services.clock,
        interval=settings.reminder_interval,
        escalate_after=settings.escalate_after_rounds,
    )

    retention = RetentionJob(database, settings, services.clock)
    team_rounds = TeamRounds(database, services.clock)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await set_commands(application, database)
        dispatcher.start(application)
        retention.start(application, interval=settings.retention_interval)
        team_rounds.start(application, interval=settings.reminder_interval)

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        # Closing the engine empties SQLite's write-ahead log (see Database.dispose).
        await database.dispose()

    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.bot_api_base_url)
        .base_file_url(f"{settings.api_url.rstrip('/')}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.rate_limit:
        # Telegram's limits as Telegram counts them (see bot.rate_limits).
        builder = builder.rate_limiter(TelegramLimits(max_retries=3))  # type: ignore[arg-type]
    updates_request = None
    if bot_api is not None:
        builder = builder.request(bot_api).updater(None)
    else:
        # One TLS context for both connections to Telegram: making one reads the
        # certificate authorities' bundle, a thirtieth of the start-up each time.
        context = httpx.create_ssl_context()
        tls = {"verify": context}
        # Replies and nudges, and the updates, go over asyncio's own connections.
        transport = TelegramTransport(context, TELEGRAM_CONNECTIONS)
        builder = builder.request(
            HTTPXRequest(
                connection_pool_size=TELEGRAM_CONNECTIONS,
                pool_timeout=CONNECTION_WAIT,
                httpx_kwargs={**tls, "transport": transport},
            )
        )
        # Updates are stored in the inbox as Telegram sent them (see bot.intake.polling).
        updates_request = UpdatesRequest(
            httpx_kwargs={**tls, "transport": TelegramTransport(context, 1)}
        )
        builder = builder.get_updates_request(updates_request)
    application = builder.build()
    if updates_request is not None:
        application.bot_data[UPDATES_REQUEST_KEY] = updates_request
    application.bot_data[SERVICES_KEY] = services

    # An edit is never new input (see bot.intake.edits).
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, edits_are_not_read), group=-3
    )
    application.add_handler(TypeHandler(Update, keep_groups_out), group=-2)
    application.add_handlers(handlers(), group=0)
    application.add_error_handler(on_error)
    return application
