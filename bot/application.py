"""The whole bot at a glance: every handler wired in one place.

Order matters: group -3 answers an edited message and stops there (an edit is
not new input); group -2 keeps group chats out before anything else runs; group
-1 reads the leader's place in the flow from the database; group 0 is the
conversation (commands, buttons, typed answers), then an answer for any
message it did not expect. Each handler saves the leader's new state itself, in
its own transaction (see ``bot.turn``).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from datetime import datetime

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from bot import states
from bot.callback_data import (
    CaseButton,
    CasesPage,
    CheckAnswer,
    CheckEdit,
    CheckStartCase,
    CheckToggle,
    LanguagePress,
    MenuPress,
    PrivacyPress,
    SettingsPress,
)
from bot.handlers import (
    case_buttons,
    case_list,
    follow_up,
    language,
    menu,
    privacy,
    quick_check,
    settings,
    setup,
    step1,
    step2,
)
from bot.handlers.errors import on_error
from bot.handlers.group_chats import keep_groups_out
from bot.intake.edits import edits_are_not_read
from bot.nudges import NudgeDispatcher
from bot.retention import RetentionJob
from bot.settings import Settings
from bot.storage.conversation_state import SqlConversationPersistence
from bot.storage.database import Database
from bot.stored_conversation import StoredConversation
from bot.turn import CONVERSATION, SERVICES_KEY, Context, Services
from flows.language import DEFAULT_LANGUAGE, SUPPORTED_LANGUAGES, _, using_language

log = logging.getLogger(__name__)


def _prefix(*kinds: type) -> str:
    return "^(" + "|".join(k.prefix for k in kinds) + "):"  # type: ignore[attr-defined]


def shared_handlers() -> list[BaseHandler[Update, Context, object]]:
    """Commands and buttons that work in every state of the conversation."""
    return [
        CommandHandler("start", menu.start),
        CommandHandler("help", menu.show_help),
        CommandHandler("cancel", menu.cancel),
        CommandHandler("criteria", quick_check.criteria_command),
        CommandHandler("new", setup.new_command),
        CommandHandler("cases", case_list.cases_command),
        CallbackQueryHandler(menu.menu_pressed, pattern=_prefix(MenuPress)),
        CallbackQueryHandler(
            quick_check.pressed,
            pattern=_prefix(CheckToggle, CheckAnswer, CheckEdit, CheckStartCase),
        ),
        CallbackQueryHandler(case_buttons.case_button, pattern=_prefix(CaseButton)),
        CallbackQueryHandler(case_list.page_pressed, pattern=_prefix(CasesPage)),
        CommandHandler("settings", settings.settings_command),
        CommandHandler("language", language.language_command),
        CommandHandler("privacy", privacy.privacy_command),
        CommandHandler("export", privacy.export_command),
        CommandHandler("delete", privacy.delete_command),
        CallbackQueryHandler(privacy.delete_pressed, pattern=_prefix(PrivacyPress)),
        CallbackQueryHandler(language.chosen, pattern=_prefix(LanguagePress)),
        CallbackQueryHandler(settings.pressed, pattern=_prefix(SettingsPress)),
    ]


# Buttons carry their case and child in their data, so they need no per-message tracking.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)


def conversation(database: Database) -> StoredConversation:
    """The leader's conversation: its states say which typed answer the bot waits for."""
    typed = filters.TEXT & ~filters.COMMAND
    return StoredConversation(
        database,
        entry_points=shared_handlers(),
        states={
            states.VICTIM_NAME: [MessageHandler(typed, setup.victim_named)],
            states.CHILD_NAME: [MessageHandler(typed, setup.child_named)],
            states.MAY_TELL: [MessageHandler(typed, step1.may_tell_typed)],
            states.FACTS: [MessageHandler(typed, step2.facts_typed)],
            states.FEELING: [MessageHandler(typed, step2.feeling_typed)],
            states.AGREEMENTS: [MessageHandler(typed, step2.agreement_typed)],
            states.FOLLOW_UP_DATE: [MessageHandler(typed, follow_up.date_typed)],
            states.NEW_PROPOSAL: [MessageHandler(typed, follow_up.new_agreement_typed)],
            states.TIME_ZONE: [MessageHandler(typed, settings.zone_typed)],
        },
        fallbacks=[
            *shared_handlers(),
            MessageHandler(filters.ALL, menu.off_script),
        ],
        allow_reentry=True,
        name=CONVERSATION,
        persistent=True,
    )


async def set_commands(application: Application) -> None:  # type: ignore[type-arg]
    """The "/" menu of Telegram, in each language."""
    for code in (None, *SUPPORTED_LANGUAGES):
        with using_language(code or DEFAULT_LANGUAGE):
            commands = [
                BotCommand("start", _("The main menu")),
                BotCommand("criteria", _("Quick check: does a one-on-one conversation fit?")),
                BotCommand("new", _("Start a new case")),
                BotCommand("cases", _("Your open cases")),
                BotCommand("settings", _("Meeting day, quiet hours, time zone")),
                BotCommand("language", _("Choose the language")),
                BotCommand("privacy", _("What is stored, and your rights")),
                BotCommand("export", _("All your data as a file")),
                BotCommand("delete", _("Erase all your data")),
                BotCommand("cancel", _("Stop what you are doing")),
                BotCommand("help", _("All commands")),
            ]
        await application.bot.set_my_commands(commands, language_code=code)


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
    dispatcher = NudgeDispatcher(database, services.clock, interval=settings.reminder_interval)

    retention = RetentionJob(database, settings, services.clock)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await set_commands(application)
        dispatcher.start(application)
        retention.start(application, interval=settings.retention_interval)

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
        .persistence(SqlConversationPersistence(database))
        .post_init(post_init)
    )
    if settings.rate_limit:
        # One message per 1/30 s rather than 30 per second: a bucket of one never lets a
        # burst of 30 through after a pause, which Telegram would answer with 429s.
        limiter = AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 30, max_retries=3)
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    if bot_api is not None:
        builder = builder.request(bot_api).updater(None)
    application = builder.build()
    application.bot_data[SERVICES_KEY] = services

    leader_conversation = conversation(database)
    # An edit is never new input (see bot.intake.edits).
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, edits_are_not_read), group=-3
    )
    application.add_handler(TypeHandler(Update, keep_groups_out), group=-2)
    application.add_handler(TypeHandler(Update, leader_conversation.refresh), group=-1)
    application.add_handler(leader_conversation, group=0)
    application.add_handler(MessageHandler(filters.ALL, menu.off_script), group=0)
    application.add_error_handler(on_error)
    return application
