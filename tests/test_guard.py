"""The Telegram guard's memory stays bounded: users idle for a window are forgotten."""

from qabot.faces.telegram.guard import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_rate_limiter_forgets_users_idle_for_a_window():
    clock = Clock()
    limiter = RateLimiter(per_minute=2, clock=clock)
    for user in range(5000):
        assert limiter.allow(user)
    assert len(limiter._asked) == 5000
    clock.now += 61  # a window later, one user comes back: the 4999 idle ones are dropped
    assert limiter.allow(7)
    assert set(limiter._asked) == {7}


def test_a_sweep_keeps_a_user_still_within_the_window_limited():
    clock = Clock()
    limiter = RateLimiter(per_minute=2, clock=clock)
    assert limiter.allow(1)
    clock.now += 30
    assert limiter.allow(1)
    clock.now += 31  # a sweep is due; user 1 last asked 31 s ago, so is kept
    assert limiter.allow(1)  # the first ask has left the window
    assert not limiter.allow(1)  # the one 31 s ago has not: two in the window already
    assert set(limiter._asked) == {1}
