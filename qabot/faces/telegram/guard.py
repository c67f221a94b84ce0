"""Who may ask the bot, and how often: the allowlist and the per-user rate limit."""

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
    """At most `per_minute` questions per user in any sliding 60-second window."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _asked: dict[int, deque] = field(default_factory=dict)

    def allow(self, user_id: int) -> bool:
        now = self.clock()
        recent = self._asked.setdefault(user_id, deque())
        while recent and now - recent[0] >= 60.0:
            recent.popleft()
        if len(recent) >= self.per_minute:
            return False
        recent.append(now)
        return True
