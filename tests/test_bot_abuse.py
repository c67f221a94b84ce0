"""The real bot under abuse, through the local Bot API server: floods, strangers, button
mashing, hostile article fields, and a Bot API that is down when the bot starts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from botapi_server import BotApiServer, check_html
from conftest import REPO, make_corpus
from test_bot import RunningBot

from qabot.answering.library import Library
from qabot.faces.telegram.bot import ALREADY_SENT, APOLOGY, REFUSAL, SLOW_DOWN
from qabot.indexing.build import build_index

FLOODER, STRANGER, PRESSER, READER, JS_READER, SENTINEL = 31, 666, 33, 34, 35, 36
HUGE_TITLE = "Harbour " * 625  # 5 000 characters
LONG_TITLE_ARTICLE = f"""---
title: {HUGE_TITLE.strip()}
source: {"Harbour Times " * 40}
url: https://example.org/{"x" * 3000}
---
"The cranes will be replaced by the end of the year," port director Ilse Vermeer said.
"""
JS_ARTICLE = """---
title: Ferry timetable changes
source: Island Post
url: javascript:alert(document.cookie)
---
"The ferry will run every hour from Monday," transport officer Bram Dekker said.
"""
NORMAL_ARTICLE = """---
title: Port strike ends after pay deal
source: Harbour Times
url: https://example.org/strike
---
"This is a fair deal for every worker on the quay," union leader Marta Jansen said.
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    server = BotApiServer().start()
    settings = make_corpus(tmp_path_factory.mktemp("abuse"),
                           {"long.md": LONG_TITLE_ARTICLE, "js.md": JS_ARTICLE, "strike.md": NORMAL_ARTICLE},
                           telegram={"base_url": server.base_url, "questions_per_minute": 20,
                                     "allowed_user_ids": [FLOODER, PRESSER, READER, JS_READER, SENTINEL]})
    build_index(settings)
    bot = RunningBot(Library.open(settings), settings).start()
    server.wait_for(lambda: server.calls("setMyCommands"), timeout=30)
    yield server
    bot.stop()
    server.stop()


def texts_to(server, chat_id) -> list[str]:
    return [m.params["text"] for m in server.messages_to(chat_id)]


def settle(server, user_id: int) -> None:
    """Ask once from `user_id` and wait for the answer, so the updates sent before are handled."""
    before = len(server.messages_to(user_id))
    server.user_says("What did Marta Jansen say?", chat_id=user_id, user_id=user_id)
    server.wait_for(lambda: len(server.messages_to(user_id)) > before, timeout=60)


def test_a_flood_from_one_user_gets_the_allowed_answers_and_one_slow_down(world):
    server = world
    for _ in range(200):
        server.user_says("What did Marta Jansen say?", chat_id=FLOODER, user_id=FLOODER)
    server.wait_for(lambda: len(server.messages_to(FLOODER)) >= 21, timeout=120)
    settle(server, SENTINEL)
    replies = texts_to(server, FLOODER)
    assert sum(SLOW_DOWN == t for t in replies) == 1
    assert sum("fair deal for every worker" in check_html(t) for t in replies) == 20
    assert len(replies) == 21 and APOLOGY not in replies
    assert not server.errors


def test_a_stranger_is_refused_once_however_often_they_write(world):
    server = world
    for i in range(30):
        server.user_says(f"Question number {i}?", chat_id=STRANGER, user_id=STRANGER)
    server.wait_for(lambda: server.messages_to(STRANGER), timeout=60)
    settle(server, SENTINEL)
    assert texts_to(server, STRANGER) == [REFUSAL]


def test_a_hundred_sources_presses_send_the_passages_once(world):
    server = world
    server.user_says("What did Marta Jansen say?", chat_id=PRESSER, user_id=PRESSER)
    (answer,) = server.wait_for(lambda: server.messages_to(PRESSER), timeout=60)
    data = answer.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    toasts_before = len(server.calls("answerCallbackQuery"))
    for _ in range(100):
        server.press(data, chat_id=PRESSER, user_id=PRESSER, message_id=answer.message_id)
    server.wait_for(lambda: len(server.calls("answerCallbackQuery")) >= toasts_before + 100, timeout=120)
    sent = texts_to(server, PRESSER)[1:]
    assert len(sent) == 1 and "fair deal for every worker on the quay" in check_html(sent[0])
    toasts = [c.params.get("text") for c in server.calls("answerCallbackQuery")[toasts_before:]]
    assert toasts.count(ALREADY_SENT) == 99


def test_a_five_thousand_character_title_is_capped_and_the_answer_still_arrives(world):
    server = world
    server.user_says("What did Ilse Vermeer say?", chat_id=READER, user_id=READER)
    messages = server.wait_for(lambda: server.messages_to(READER), timeout=60)
    shown = "\n".join(check_html(m.params["text"]) for m in messages)
    assert "The cranes will be replaced by the end of the year" in shown
    assert "Harbour Harbour" in shown and "…" in shown and HUGE_TITLE.strip() not in shown
    assert all(len(check_html(m.params["text"]).encode("utf-16-le")) // 2 <= 4096 for m in messages)
    assert "x" * 3000 not in "".join(m.params["text"] for m in messages)  # an overlong URL is not linked
    assert not server.errors and APOLOGY not in [m.params["text"] for m in messages]


def test_a_javascript_url_is_never_linked(world):
    server = world
    server.user_says("What did Bram Dekker say?", chat_id=JS_READER, user_id=JS_READER)
    messages = server.wait_for(lambda: server.messages_to(JS_READER), timeout=60)
    raw = "".join(m.params["text"] for m in messages)
    assert "The ferry will run every hour from Monday" in check_html(raw)
    assert "<b>Ferry timetable changes</b>" in raw
    assert "javascript" not in raw.lower() and "href" not in raw


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_bot_waits_for_an_unreachable_bot_api_and_logs_it_once(tmp_path):
    """`qabot bot` started while the Bot API is down: one log line, backoff, then it serves."""
    settings = make_corpus(tmp_path, {"strike.md": NORMAL_ARTICLE})
    build_index(settings)
    port = _free_port()
    token = "515151:SECRET-start-up-token"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": token, "HF_HUB_OFFLINE": "1",
           "QABOT_TELEGRAM__BASE_URL": f'"http://127.0.0.1:{port}/bot"'}
    log_file = tmp_path / "bot.log"
    with open(log_file, "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "qabot", "--config", settings.source, "bot"],
                                   cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)
    server = None
    try:
        deadline = time.monotonic() + 120
        while "cannot reach the Telegram Bot API" not in log_file.read_text() and process.poll() is None:
            assert time.monotonic() < deadline, log_file.read_text()
            time.sleep(0.2)
        time.sleep(4)  # a few failed attempts, backing off
        assert process.poll() is None, log_file.read_text()
        server = BotApiServer(port=port).start()
        server.wait_for(lambda: server.calls("setMyCommands"), timeout=120)
        server.user_says("What did Marta Jansen say?", chat_id=SENTINEL, user_id=SENTINEL)
        (reply,) = server.wait_for(lambda: server.messages_to(SENTINEL), timeout=60)
        assert "fair deal for every worker" in check_html(reply.params["text"])
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
        if server is not None:
            server.stop()
    output = log_file.read_text()
    assert output.count("cannot reach the Telegram Bot API") == 1
    assert "reached the Telegram Bot API after" in output
    assert "Traceback" not in output and "SECRET" not in output
