"""Who may ask the bot, and how often: the allowlist, the per-user rate limit, and the rule
that a refusal is said once per window, not once per message (a flood gets one reply).

    >>> once = OncePerWindow(60.0)
    >>> [once.first(42) for _ in range(3)]
    [True, False, False]
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AccessPolicy:
    """Empty lists serve everyone; otherwise a user or a chat on either list is served."""

    allowed_user_ids: frozenset[int] = frozenset()
    allowed_chat_ids: frozenset[int] = frozenset()

    @property
    def open_to_everyone(self) -> bool:
        return not self.allowed_user_ids and not self.allowed_chat_ids

    def allows(self, user_id: int | None, chat_id: int | None) -> bool:
        if self.open_to_everyone:
            return True
        return user_id in self.allowed_user_ids or chat_id in self.allowed_chat_ids


@dataclass
class RateLimiter:
    """At most `per_minute` questions per user in any sliding 60-second window.

    Users idle for a whole window are dropped (swept at most once a window), so a bot that
    has met a million users holds only the recent ones.
    """

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _asked: dict[int, deque] = field(default_factory=dict)
    _next_sweep: float | None = None

    def allow(self, user_id: int) -> bool:
        now = self.clock()
        if self._next_sweep is None or now >= self._next_sweep:
            self._asked = {user: times for user, times in self._asked.items() if times and now - times[-1] < 60.0}
            self._next_sweep = now + 60.0
        recent = self._asked.setdefault(user_id, deque())
        while recent and now - recent[0] >= 60.0:
            recent.popleft()
        if len(recent) >= self.per_minute:
            return False
        recent.append(now)
        return True


@dataclass
class OncePerWindow:
    """True the first time a key comes up in `seconds`, then False until that time has passed.

    The bot says "slow down", "this bot is private" or re-sends a Sources passage at most
    once per user (or button) per window, so 500 messages cost one reply, not 500.
    """

    seconds: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _last: dict = field(default_factory=dict)

    def first(self, key) -> bool:
        now = self.clock()
        last = self._last.get(key)
        if last is not None and now - last < self.seconds:
            return False
        if len(self._last) >= 10_000:  # many users: forget the ones whose window has passed
            self._last = {k: t for k, t in self._last.items() if now - t < self.seconds}
        self._last[key] = now
        return True

    def forget(self, key) -> None:
        """As if `key` had not come up: the next `first(key)` is True again."""
        self._last.pop(key, None)
