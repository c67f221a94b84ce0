"""Cold start: `qabot ask` as a fresh process, and `qabot bot` until it answers (target <= 3 s).

Both run on the BBC index (WORK/bbc, built first if missing). `qabot ask` is timed five
times as a new process (interpreter start, imports, model and snapshot load, one answer);
the first run may also pay for a cold disk cache, so the median is the figure. The bot is
started against the local Bot API server of the tests (tests/botapi_server.py): the clock
runs from process start until the bot has sent its answer to a question that a user sent
as soon as the bot was about to poll (its deleteWebhook call).

    .venv/bin/python bench/cold_start.py [--precision int8] [--no-bot]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

from common import REPO, WORK, bbc_settings, machine, run, save_result

QUESTION = "What did Tony Blair say about the Iraq war?"
RUNS = 5
QABOT = [sys.executable, "-m", "qabot"]


def time_ask(config) -> list[float]:
    walls = []
    for _ in range(RUNS):
        wall, done = run([*QABOT, "--config", str(config), "ask", QUESTION], cwd=REPO)
        if done.returncode != 0:
            sys.exit(f"`qabot ask` failed:\n{done.stderr}")
        walls.append(wall)
    return walls


def time_bot(config) -> dict | None:
    """Seconds to polling and to the first answer; None when the bot or test server is missing."""
    sys.path.insert(0, str(REPO / "tests"))
    try:
        from botapi_server import BotApiServer
    except ImportError:
        return None
    server = BotApiServer().start()
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "123456:bench", "QABOT_TELEGRAM__BASE_URL": server.base_url}
    started = time.perf_counter()
    bot = subprocess.Popen([*QABOT, "--config", str(config), "bot"], cwd=REPO, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # python-telegram-bot calls deleteWebhook just before it starts polling.
        server.wait_for(lambda: server.calls("deleteWebhook") or bot.poll() is not None, timeout=120)
        if bot.poll() is not None:
            sys.exit(f"`qabot bot` stopped:\n{bot.stderr.read()}")
        polling = time.perf_counter() - started
        server.user_says(QUESTION, chat_id=42, user_id=42)
        reply = server.wait_for(lambda: server.messages_to(42), timeout=120)[0].params["text"]
        answered = time.perf_counter() - started
    finally:
        bot.terminate()
        try:
            bot.wait(20)
        except subprocess.TimeoutExpired:
            bot.kill()
        server.stop()
    return {"polling_seconds": polling, "first_answer_seconds": answered, "reply_starts": " ".join(reply.split())[:60]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", choices=("fp32", "int8"), default="fp32",
                        help="the index's model precision (int8: WORK/bbc-int8, questions through onnxruntime)")
    parser.add_argument("--no-bot", action="store_true", help="time `qabot ask` only")
    args = parser.parse_args()
    settings = bbc_settings(precision=args.precision)
    config = WORK / ("bbc" if args.precision == "fp32" else f"bbc-{args.precision}") / "config.toml"
    walls = time_ask(config)
    bot = None if args.no_bot else time_bot(config)
    figures = {"ask_seconds": walls, "ask_median_seconds": statistics.median(walls), "bot": bot,
               "chunks": None, "machine": machine()}
    from qabot.indexing.snapshot import IndexFolder, Manifest

    figures["chunks"] = Manifest.read(IndexFolder(settings.index_dir).current_path()).chunks
    save_result("cold_start" if args.precision == "fp32" else f"cold_start_{args.precision}", figures)
    print(f"Cold start on the BBC index ({figures['chunks']:,} chunks); {machine()}")
    print("| process | wall time |")
    print("|---|---|")
    print(f"| `qabot ask \"{QUESTION}\"` | median {statistics.median(walls):.2f} s "
          f"(runs: {', '.join(f'{w:.2f}' for w in walls)} s) |")
    if bot is None:
        print("| `qabot bot` to first answer | TODO: needs qabot/faces/telegram/bot.py and tests/botapi_server.py |")
    else:
        print(f"| `qabot bot` to first answer | {bot['first_answer_seconds']:.2f} s "
              f"(polling after {bot['polling_seconds']:.2f} s; reply: \"{bot['reply_starts']}...\") |")


if __name__ == "__main__":
    main()
