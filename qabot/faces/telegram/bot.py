"""The Telegram bot: a list of short handlers over the same `ask()` as the CLI.

Each question handler: check access and rate, show "typing…", run `library.ask` in a worker
thread (so one slow question never stalls other chats), render HTML, reply. In groups the
bot answers only when addressed: an @mention, a reply to one of its messages, or /ask.
State lives in the `QabotBot` object (library, allowlist, rate limiter) and per chat in
`context.chat_data` (the follow-up `Conversation`), never in module globals.

Under abuse the bot stays quiet rather than loud: a refusal ("slow down", "this bot is
private") is sent once per user per minute, a Sources button pressed again within a minute
sends nothing new, and everything the bot sends goes through python-telegram-bot's
`AIORateLimiter`, which keeps within Telegram's limits (30 messages a second overall, 20 a
minute per group) by waiting instead of failing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
from collections.abc import AsyncIterator
from datetime import datetime

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from qabot.answering import Conversation, Library, Newsroom
from qabot.config import Settings
from qabot.errors import ConfigError, QuestionError
from qabot.faces.telegram.follow import WHATS_NEW, Following
from qabot.faces.telegram.follow_store import FollowStore
from qabot.faces.telegram.guard import AccessPolicy, OncePerWindow, RateLimiter
from qabot.faces.telegram.render import (
    escape,
    parse_sources_callback,
    render_answer,
    render_passages,
    sources_buttons,
)

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("ask", "Ask a question about the indexed articles"),
    BotCommand("status", "What is indexed"),
    BotCommand("follow", "Get new quotes by a person or new articles on a topic"),
    BotCommand("following", "What you follow"),
    BotCommand("unfollow", "Stop following a person or topic"),
    BotCommand("digest", "The main new stories since your last digest"),
    BotCommand("help", "How to use this bot"),
    BotCommand("start", "Greeting and example questions"),
]
HELP = ("Ask me about the indexed news articles, e.g. <i>What did Kosachev say?</i>, "
        "<i>Who is Bogdanov?</i> or <i>When did Soleimani visit Moscow?</i>\n\n"
        "Every statement carries a citation [n]; the Sources button shows the full passages. "
        "Follow-ups work: <i>what else did he say?</i>, <i>and Bogdanov?</i>\n\n"
        "Time and source work too: <i>What did Kosachev say last week?</i>, "
        "<i>What has the BBC reported about Yukos since March?</i>, <i>timeline of Blair on Iraq</i>\n\n"
        "/follow Kosachev or /follow \"oil prices\": I send new quotes or articles after each index build; "
        "/following, /unfollow, /digest (or <i>what's new?</i>).\n\n"
        "In a group, mention me, reply to me or use /ask &lt;question&gt;.\n"
        "/status shows what is indexed.")
APOLOGY = "Sorry, something went wrong — please try again."
REFUSAL = "Sorry, this bot is private."
NOT_TEXT = "Please send me a question as text."
STALE_BUTTON = "That button no longer works; please ask the question again."
SLOW_DOWN = "You're asking very fast — please slow down and try again in a minute."
ALREADY_SENT = "Those passages were sent just above."
SAY_ONCE_SECONDS = 60.0  # a refusal or a Sources answer is not repeated within this window
TYPING_REFRESH = 4.0  # seconds; Telegram shows "typing…" for 5 s or until the bot sends
START_RETRY_MAX = 60.0  # seconds between attempts to reach the Bot API at start-up, at most


class QabotBot:
    """Owns the library, the access policy and the rate limiter; its methods are the handlers."""

    def __init__(self, library: Library, settings: Settings):
        t = settings.telegram
        self.library = library
        self.policy = AccessPolicy(frozenset(t.allowed_user_ids), frozenset(t.allowed_chat_ids))
        self.limiter = RateLimiter(t.questions_per_minute)
        self.told_to_slow_down = OncePerWindow(SAY_ONCE_SECONDS)  # per user
        self.told_private = OncePerWindow(SAY_ONCE_SECONDS)  # per user (or chat)
        self.sources_sent = OncePerWindow(SAY_ONCE_SECONDS)  # per (chat, button)
        self.max_chars = t.max_question_chars
        self.base_url = t.base_url
        self.settings = settings
        self._refresh: asyncio.Task | None = None
        # Following's state lives next to the index, never inside a snapshot.
        self.follows = Following(Newsroom(library), FollowStore(settings.index_dir / "telegram.sqlite"),
                                 self.policy, t, self._admitted)
        self._watcher: asyncio.Task | None = None

    def build(self, token: str) -> Application:
        app = (ApplicationBuilder().token(token).base_url(self.base_url).concurrent_updates(True)
               # Paces everything sent, alerts to many followers included; follow.py waits out a 429.
               .rate_limiter(AIORateLimiter(max_retries=3)).post_init(self.post_init)
               .post_shutdown(self.post_shutdown).build())
        app.add_handler(CommandHandler("start", self.start))
        app.add_handler(CommandHandler("help", self.help))
        app.add_handler(CommandHandler("status", self.status))
        app.add_handler(CommandHandler("ask", self.ask_command))
        app.add_handler(CommandHandler("follow", self.follows.follow))
        app.add_handler(CommandHandler("following", self.follows.following))
        app.add_handler(CommandHandler("unfollow", self.follows.unfollow))
        app.add_handler(CommandHandler("digest", self.follows.digest))
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGES & filters.TEXT & ~filters.COMMAND, self.text))
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGES & filters.ChatType.PRIVATE & ~filters.TEXT
                                       & ~filters.COMMAND & ~filters.StatusUpdate.ALL, self.not_text))
        app.add_handler(CallbackQueryHandler(self.sources, pattern="^s:"))
        app.add_error_handler(self.on_error)
        if self.policy.open_to_everyone:
            log.warning("telegram.allowed_user_ids and allowed_chat_ids are empty: the bot answers everyone")
        return app

    async def post_init(self, app: Application) -> None:
        await app.bot.set_my_commands(COMMANDS)
        s = self.settings.sources
        if s.feeds or s.sitemaps or s.pages:  # following sources: fetch + build on a schedule
            from qabot.faces.refresh import refresh_forever

            log.info("refreshing from %d sources every %s", len(s.feeds + s.sitemaps + s.pages), s.refresh_every)
            self._refresh = asyncio.create_task(refresh_forever(self.settings))
        self._watcher = asyncio.create_task(self.follows.watch(app.bot))  # alerts, even when nobody asks

    async def post_shutdown(self, app: Application) -> None:
        for task in (self._refresh, self._watcher):  # a running refresh's build is killed; the snapshot stays whole
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admitted(update):
            return
        examples = await asyncio.to_thread(self.library.example_questions, 3)
        lines = "\n".join(f"• <i>{escape(q)}</i>" for q in examples)
        await update.effective_message.reply_text(
            f"Hello! I answer questions from the indexed news articles, citing every statement.\n\nTry:\n{lines}",
            parse_mode=ParseMode.HTML)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update):
            await update.effective_message.reply_text(HELP, parse_mode=ParseMode.HTML)

    async def status(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admitted(update):
            return
        s = await asyncio.to_thread(self.library.status)
        await update.effective_message.reply_text(
            f"Indexed: <b>{s['articles']}</b> articles, <b>{s['chunks']}</b> passages, {s['quotes']} quotes.\n"
            f"Snapshot built {escape(_when(s['created']))} with {escape(s['model'])}.", parse_mode=ParseMode.HTML)

    async def ask_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        question = " ".join(context.args or [])
        if not question.strip():
            if await self._admitted(update):
                await update.effective_message.reply_text("Send /ask followed by your question, e.g. /ask Who is Bogdanov?")
            return
        await self._answer(update, context, question)

    async def text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if update.effective_chat.type == ChatType.PRIVATE:
            if WHATS_NEW.match(message.text or ""):
                await self.follows.digest(update, context)
                return
            await self._answer(update, context, message.text)
            return
        question = self._addressed(message, context.bot.username, context.bot.id)
        if question is not None:
            await self._answer(update, context, question)

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update):
            await update.effective_message.reply_text(NOT_TEXT)

    async def sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The full cited passages, once per button and minute; presses beyond the rate get a
        short notice on the button (not a message)."""
        query = update.callback_query
        user = update.effective_user
        if not self.policy.allows(user.id if user else None, update.effective_chat.id if update.effective_chat else None):
            await query.answer()
            await self._admitted(update)
            return
        # The same button in the same chat, with the same snapshot current: already sent above.
        pressed = (update.effective_chat.id, query.data, await asyncio.to_thread(self._current_snapshot))
        if not self.sources_sent.first(pressed):
            await query.answer(ALREADY_SENT)
            return
        if not self.limiter.allow(user.id if user else update.effective_chat.id):
            self.sources_sent.forget(pressed)
            await query.answer(SLOW_DOWN)
            return
        await query.answer()
        parsed = parse_sources_callback(query.data or "")
        if parsed is None:
            await context.bot.send_message(update.effective_chat.id, STALE_BUTTON)
            return
        first, keys = parsed
        passages = await asyncio.to_thread(lambda: [self.library.passage(a, p) for a, p in keys])
        for text in render_passages(passages, range(first, first + len(keys))):
            await context.bot.send_message(update.effective_chat.id, text, parse_mode=ParseMode.HTML,
                                           disable_web_page_preview=True)

    def _current_snapshot(self) -> str | None:
        self.library.refresh()
        return self.library.snapshot.manifest.name

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("error while handling update %s", update_id, exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat:
            try:
                await context.bot.send_message(update.effective_chat.id, APOLOGY)
            except Exception:  # the apology itself failed (network): the log has the story
                log.exception("could not send the apology for update %s", update_id)

    async def _answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
        message = update.effective_message
        if not await self._admitted(update):
            return
        if not question.strip():
            await message.reply_text("Please send a question, e.g. Who is Bogdanov?")
            return
        if len(question) > self.max_chars:
            await message.reply_text(f"That question is {len(question):,} characters long; "
                                     f"please keep it under {self.max_chars:,}.")
            return
        sender = update.effective_user or update.effective_chat  # a channel post has no user
        if not self.limiter.allow(sender.id):
            if self.told_to_slow_down.first(sender.id):
                await message.reply_text(SLOW_DOWN)
            return
        conversation = context.chat_data.setdefault("conversation", Conversation())
        async with _typing(context.bot, update.effective_chat.id):
            try:
                answer = await asyncio.to_thread(self.library.ask, question, conversation=conversation)
            except QuestionError as problem:
                await message.reply_text(str(problem))
                return
        parts = render_answer(answer)
        buttons = [InlineKeyboardButton(label, callback_data=data)
                   for label, data in sources_buttons(answer.citations or answer.closest)]
        keyboard = InlineKeyboardMarkup([buttons[i:i + 4] for i in range(0, len(buttons), 4)]) if buttons else None
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            await message.reply_text(part, parse_mode=ParseMode.HTML, disable_web_page_preview=True,
                                     reply_markup=keyboard if last else None)

    async def _admitted(self, update: Update) -> bool:
        user = update.effective_user
        chat = update.effective_chat
        if self.policy.allows(user.id if user else None, chat.id if chat else None):
            return True
        who = user.id if user else (chat.id if chat else None)
        if self.told_private.first(who):  # said (and logged) once a minute, however many messages
            log.info("refused user %s in chat %s", user.id if user else None, chat.id if chat else None)
            if update.effective_message:
                await update.effective_message.reply_text(REFUSAL)
        return False

    @staticmethod
    def _addressed(message: Message, username: str, bot_id: int) -> str | None:
        """The question if a group message is meant for the bot, else None."""
        text = message.text or ""
        mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE) if username else None
        if mention and mention.search(text):
            return mention.sub("", text).strip(" ,:")
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
            return text
        return None


@contextlib.asynccontextmanager
async def _typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" for as long as the answer takes.

    Only cosmetic: a network hiccup on sendChatAction is logged, and the answer still goes out.
    """

    async def show() -> None:
        try:
            await bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as problem:
            log.debug("could not show typing in chat %s: %s", chat_id, problem)

    await show()

    async def keep_typing() -> None:
        while True:
            await asyncio.sleep(TYPING_REFRESH)
            await show()

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()


def _when(iso: str) -> str:
    """"2026-11-25T08:49:48+00:00" -> "2026-11-25 08:49 UTC" (as given if not ISO)."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return str(iso)
    return moment.strftime("%Y-%m-%d %H:%M %Z").strip()


def run_bot(settings: Settings) -> None:
    """`qabot bot`: long polling until Ctrl-C. Needs the token in the configured variable."""
    token = os.environ.get(settings.telegram.token_env, "").strip()
    if not token:
        raise ConfigError(f"no Telegram bot token: create a bot with @BotFather in Telegram and put its token in "
                          f"the {settings.telegram.token_env} environment variable (see docs/telegram.md)")
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("qabot").setLevel(logging.INFO)  # a service's log: start-up, snapshot switches, refusals
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines show URLs, and they hold the token
    library = Library.open(settings)
    app = QabotBot(library, settings).build(token)
    log.info("answering from snapshot %s", library.status()["snapshot"])
    loop = asyncio.new_event_loop()  # run_polling goes on with the same loop
    asyncio.set_event_loop(loop)
    loop.run_until_complete(reach_bot_api(app.bot, settings.telegram.token_env))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


async def reach_bot_api(bot: Bot, token_env: str, most: float = START_RETRY_MAX) -> None:
    """Wait for the Bot API (getMe), backing off 1, 2, 4 … `most` seconds; one log line if it is down.

    A network outage or a Bot API server that is still starting is worth waiting for under
    systemd; a token Telegram rejects is not, and is a ConfigError.
    """
    delay, waited = 1.0, 0.0
    while True:
        try:
            await bot.initialize()  # getMe; run_polling reuses the initialised bot
            break
        except InvalidToken:
            raise ConfigError(f"Telegram refused the bot token in {token_env}; check it with @BotFather "
                              f"(see docs/telegram.md)") from None
        except NetworkError as problem:  # TimedOut is a NetworkError too
            if waited == 0:
                log.warning("cannot reach the Telegram Bot API (%s); retrying with backoff up to every %.0f s",
                            problem, most)
            await asyncio.sleep(delay)
            waited += delay
            delay = min(delay * 2, most)
    if waited:
        log.info("reached the Telegram Bot API after %.0f s", waited)
