"""From `index build` finishing to the last alert delivered, for 200 followers of one person.

The real bot (`QabotBot`, `run_polling`, python-telegram-bot's AIORateLimiter) runs against
the local Bot API server the tests use (tests/botapi_server.py, 127.0.0.1); 200 chats follow
one speaker; an article with a new quote by them is written and `build_index` run in this
process (the model already loaded, as in a long-running cron-less setup it would not be:
the figure is the bot's part, from the new snapshot becoming current). Repeated `RUNS` times.

    .venv/bin/python bench/follow_alerts.py
"""

from __future__ import annotations

import statistics
import sys
import time

from common import REPO, WORK, bot_running, machine

sys.path.insert(0, str(REPO / "tests"))
from botapi_server import BotApiServer  # noqa: E402

FOLLOWERS = range(5000, 5200)
RUNS = 3
CHECK_SECONDS = 1.0


def article(i: int) -> str:
    return (f"---\ntitle: Costa speaks {i}\nsource: Harbour Times\npublished: 2005-04-{10 + i:02d}\n---\n"
            f"The dockers union met again on day {i}.\n\n\"Statement number {i}: we stand together,\" Maria Costa said.\n")


def main() -> None:
    from qabot.answering import Library
    from qabot.config import load_settings
    from qabot.faces.telegram.bot import QabotBot
    from qabot.faces.telegram.follow_store import FollowStore
    from qabot.indexing import build_index

    folder = WORK / "follow-alerts"
    if folder.exists():
        import shutil

        shutil.rmtree(folder)
    (folder / "articles").mkdir(parents=True)
    (folder / "articles" / "a0.md").write_text(article(0), encoding="utf-8")
    server = BotApiServer().start()
    (folder / "config.toml").write_text(
        f'[corpus]\npaths = ["articles"]\n[index]\ndir = "index"\n[telegram]\nbase_url = "{server.base_url}"\n'
        f"alert_check_seconds = {CHECK_SECONDS}\nallowed_user_ids = {list(FOLLOWERS)}\n", encoding="utf-8")
    settings = load_settings(folder / "config.toml", env={})
    build_index(settings)
    library = Library.open(settings)
    store = FollowStore(settings.index_dir / "telegram.sqlite")
    app = QabotBot(library, settings).build("123456:BENCH")
    with bot_running(app, stop_seconds=30):
        server.wait_for(lambda: store.last_snapshot() == library.folder.current_name(), timeout=60)
        for chat in FOLLOWERS:
            store.follow(chat, chat, "person", "Maria Costa")
        seconds = []
        for i in range(1, RUNS + 1):
            (folder / "articles" / f"a{i}.md").write_text(article(i), encoding="utf-8")
            build_index(settings)
            finished = time.monotonic()
            wanted = f"Statement number {i}"
            server.wait_for(lambda: sum(wanted in s.params.get("text", "") for s in server.calls("sendMessage")) >= len(FOLLOWERS),
                            timeout=300)
            seconds.append(time.monotonic() - finished)
    load = open("/proc/loadavg").read().split()[0]
    print(f"Build finished -> last of {len(FOLLOWERS)} alerts delivered (check every {CHECK_SECONDS:.0f} s), "
          f"{RUNS} builds: median {statistics.median(seconds):.1f} s, max {max(seconds):.1f} s "
          f"({', '.join(f'{s:.1f}' for s in seconds)}); load average {load}; {machine()}")
    server.stop()


if __name__ == "__main__":
    WORK.mkdir(parents=True, exist_ok=True)
    main()
