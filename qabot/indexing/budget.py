"""A time budget for one article's work, so one hostile file cannot hold a build.

A build holds the index lock; while one article takes minutes, every scheduled build is
refused and no new article reaches users. Each article's chunking and quote finding run
inside `time_budget(seconds)`: past it, `OverBudget` is raised and the build skips the
article with a reason.

On the main thread (the CLI, the bench) a SIGALRM interval timer interrupts the work
where it is; elsewhere, or when a SIGALRM timer is already in use, the budget is checked
when the work ends (the article is still skipped, after finishing).
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator


class OverBudget(Exception):
    """The work ran past its time budget."""


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise `OverBudget` from the block once it has run `seconds`."""
    if not _can_interrupt():
        started = time.monotonic()
        yield
        if time.monotonic() - started > seconds:
            raise OverBudget
        return

    def on_alarm(signum, frame) -> None:
        raise OverBudget

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _can_interrupt() -> bool:
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0
            and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None))
