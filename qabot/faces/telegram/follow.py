"""Following people and topics: /follow, /following, /unfollow, /digest, and the alerts.

`/follow Kosachev` follows a person when the name matches someone the articles quote (the
same name matching as "what did X say", so "Kosachov" works); anything else, or a phrase
in quotes (`/follow "oil prices"`), follows a topic, matched by retrieval.

The bot checks every `[telegram] alert_check_seconds` whether a build has made a new
snapshot current, even when nobody is asking. If so, the articles that are new or changed
since the last snapshot it looked at are offered to each follow: new quotes by a followed
person, new articles on a followed topic, one message per follow with at most
`alerts_per_follow` items, cited, with the Sources buttons. Each item is marked sent (by a
key on its content, `qabot.answering.News.keys`) right after its message went out, and the
snapshot is marked looked-at only after all alerts, so a crash or restart re-offers
what was not sent and never sends anything twice. The first snapshot a bot ever sees is
only recorded: following starts from there, not with the whole archive.

Alerts go through python-telegram-bot's `AIORateLimiter` (30 messages a second overall);
a 429 that still comes back is waited out (`retry_after`) and retried; a 403 (the user
blocked the bot) unsubscribes that chat, with a log line. Users no longer on the allowlist
are skipped.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import warnings
from collections.abc import Awaitable, Callable

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning
from telegram.ext import ContextTypes

from qabot.answering import News, Newsroom
from qabot.config import TelegramSettings
from qabot.faces.telegram.follow_store import Follow, FollowStore
from qabot.faces.telegram.guard import AccessPolicy
from qabot.faces.telegram.render import escape, render_answer, sources_buttons
from qabot.records import Answer

log = logging.getLogger(__name__)

DAY = 24 * 3600
RETRIES = 3
SEND_CONCURRENCY = 16  # alerts in flight at once; AIORateLimiter sets the actual pace
WHATS_NEW = re.compile(r"^\s*what['’]?s\s+new\s*[?!.]*\s*$|^\s*what\s+is\s+new\s*[?!.]*\s*$", re.IGNORECASE)
_QUOTED = re.compile(r"^\s*[\"“'‘«](.+?)[\"”'’»]\s*$")


class Following:
    """The follow commands and the alert loop; owns the state file."""

    def __init__(self, newsroom: Newsroom, store: FollowStore, policy: AccessPolicy, settings: TelegramSettings,
                 admitted: Callable[[Update], Awaitable[bool]]):
        self.newsroom = newsroom
        self.store = store
        self.policy = policy
        self.interval = settings.alert_check_seconds
        self.per_follow = settings.alerts_per_follow
        self.digest_stories = settings.digest_stories
        self.admitted = admitted
        self._check_lock = asyncio.Lock()

    # --- commands ---------------------------------------------------------------------

    async def follow(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self.admitted(update):
            return
        raw = " ".join(context.args or []).strip()
        message = update.effective_message
        if not raw:
            await message.reply_text('Send /follow and a name or a topic, e.g. /follow Kosachev or /follow "oil prices".')
            return
        if len(raw) > 100:
            await message.reply_text("Please follow something shorter than 100 characters.")
            return
        quoted = _QUOTED.match(raw)
        person = None if quoted else await asyncio.to_thread(self.newsroom.person, raw)
        kind, name = ("person", person) if person else ("topic", quoted.group(1).strip() if quoted else raw)
        user = update.effective_user
        added = self.store.follow(update.effective_chat.id, user.id if user else update.effective_chat.id, kind, name)
        what = f"<b>{escape(name)}</b>" if kind == "person" else f"the topic “{escape(name)}”"
        if not added:
            await message.reply_text(f"You already follow {what}.", parse_mode=ParseMode.HTML)
            return
        after = "new quotes by them" if kind == "person" else "new articles on it"
        await message.reply_text(f"Following {what}. After each index build I'll send you {after}, with sources.",
                                 parse_mode=ParseMode.HTML)

    async def following(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self.admitted(update):
            return
        follows = self.store.following(update.effective_chat.id)
        if not follows:
            await update.effective_message.reply_text('You follow nothing yet. Try /follow Kosachev or /follow "oil prices".')
            return
        lines = [f"• {escape(f.name)}" + (" (person)" if f.kind == "person" else " (topic)") for f in follows]
        await update.effective_message.reply_text("You follow:\n" + "\n".join(lines) + "\n\n/unfollow NAME stops one.",
                                                  parse_mode=ParseMode.HTML)

    async def unfollow(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self.admitted(update):
            return
        raw = " ".join(context.args or []).strip()
        quoted = _QUOTED.match(raw)
        name = quoted.group(1).strip() if quoted else raw
        chat_id = update.effective_chat.id
        gone = self.store.unfollow(chat_id, name) if name else []
        if not gone and name:
            person = await asyncio.to_thread(self.newsroom.person, name)
            gone = self.store.unfollow(chat_id, person) if person else []
        if gone:
            await update.effective_message.reply_text(f"Stopped following {escape(gone[0].name)}.", parse_mode=ParseMode.HTML)
            return
        names = ", ".join(f.name for f in self.store.following(chat_id)) or "nothing"
        await update.effective_message.reply_text(f"You don't follow {name or 'that'}; you follow: {names}.")

    async def digest(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """`/digest` and "what's new?": the main new stories since the chat's last digest (or 24 h)."""
        if not await self.admitted(update):
            return
        chat_id = update.effective_chat.id
        now = time.time()
        since = self.store.last_digest(chat_id) or now - DAY
        article_ids = self.store.articles_seen_since(since)
        answer = await asyncio.to_thread(self.newsroom.digest, article_ids, self.digest_stories) if article_ids else None
        if answer is None:
            await update.effective_message.reply_text("Nothing new since your last digest (or in the last 24 hours).")
            return
        await self._send_answer(context.bot, chat_id, answer)
        self.store.mark_digest(chat_id, now)

    # --- alerts -----------------------------------------------------------------------

    async def watch(self, bot: Bot) -> None:
        """Check for a new snapshot every `alert_check_seconds`, forever (cancelled at shutdown)."""
        while True:
            try:
                await self.check(bot)
            except asyncio.CancelledError:
                raise
            except Exception:  # one bad round must not end following for everyone
                log.exception("checking for new articles to alert on failed; will try again")
            await asyncio.sleep(self.interval)

    async def check(self, bot: Bot) -> int:
        """If a new snapshot is current, send each follow what is new; returns messages sent."""
        async with self._check_lock:
            snapshot = await asyncio.to_thread(self.newsroom.snapshot_name)
            last = self.store.last_snapshot()
            if snapshot == last:
                return 0
            versions = await asyncio.to_thread(self.newsroom.article_versions)
            seen = self.store.seen_articles()
            new = {aid: h for aid, h in versions.items() if seen.get(aid) != h}
            if last is None and not seen:
                self.store.remember_articles(versions, snapshot)
                log.info("following starts from snapshot %s (%d articles)", snapshot, len(versions))
                return 0
            sent = await self._alert(bot, frozenset(new)) if new else 0
            self.store.remember_articles(new, snapshot)
            log.info("snapshot %s: %d new or changed articles, %d alerts sent", snapshot, len(new), sent)
            return sent

    async def _alert(self, bot: Bot, new_articles: frozenset[str]) -> int:
        """Work out every follow's alert off the event loop, then send them side by side
        (the rate limiter keeps the pace); each is marked sent as soon as it went out."""
        follows = [f for f in self.store.all_follows() if self.policy.allows(f.user_id, f.chat_id)]  # allowlist now

        def news_for(follow: Follow) -> News | None:
            fetch = self.newsroom.for_person if follow.kind == "person" else self.newsroom.for_topic
            return fetch(follow.name, new_articles, lambda key: self.store.was_sent(follow.chat_id, key), self.per_follow)

        batch = await asyncio.to_thread(lambda: [(f, news_for(f)) for f in follows])
        lanes = asyncio.Semaphore(SEND_CONCURRENCY)

        async def deliver(follow: Follow, news: News) -> int:
            async with lanes:
                try:
                    if not await self._send_answer(bot, follow.chat_id, news.answer):
                        return 0
                except Exception:  # one chat's failure must not cost the others their alerts
                    log.exception("alert to chat %s failed and is skipped", follow.chat_id)
                    return 0
            self.store.mark_sent(follow.chat_id, news.keys)
            return 1

        return sum(await asyncio.gather(*(deliver(f, n) for f, n in batch if n is not None)))

    async def _send_answer(self, bot: Bot, chat_id: int, answer: Answer) -> bool:
        """Send a rendered answer with its Sources buttons; False if the chat cannot get it."""
        parts = render_answer(answer)
        buttons = [InlineKeyboardButton(label, callback_data=data) for label, data in sources_buttons(answer.citations)]
        keyboard = InlineKeyboardMarkup([buttons[i:i + 4] for i in range(0, len(buttons), 4)]) if buttons else None
        for i, part in enumerate(parts):
            markup = keyboard if i == len(parts) - 1 else None
            if not await self._send(bot, chat_id, part, markup):
                return False
        return True

    async def _send(self, bot: Bot, chat_id: int, text: str, markup) -> bool:
        for attempt in range(RETRIES + 1):
            try:
                await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, disable_web_page_preview=True,
                                       reply_markup=markup)
                return True
            except RetryAfter as wait:
                seconds = _seconds(wait)
                log.warning("Telegram asks to slow down: waiting %.0f s before writing to chat %s again", seconds, chat_id)
                if attempt == RETRIES:
                    break
                await asyncio.sleep(seconds)
            except Forbidden as problem:
                dropped = self.store.unsubscribe(chat_id)
                log.info("chat %s cannot be written to (%s): unsubscribed from %d follows", chat_id, problem.message, dropped)
                return False
            except TelegramError as problem:
                log.warning("could not send an alert to chat %s: %s", chat_id, problem)
                return False
        return False


def _seconds(wait: RetryAfter) -> float:
    """`retry_after` in seconds (an int now, a timedelta in a later python-telegram-bot)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = wait.retry_after
    return value.total_seconds() if hasattr(value, "total_seconds") else float(value)
