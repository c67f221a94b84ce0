"""The real bot (python-telegram-bot) against a local Bot API server, over real HTTP."""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from botapi_server import BOT_USERNAME, BotApiServer, check_html
from conftest import REPO, make_corpus, sample_files

from qabot.answering.library import Library
from qabot.faces.telegram.bot import APOLOGY, NOT_TEXT, REFUSAL, QabotBot
from qabot.faces.telegram.render import parse_sources_callback
from qabot.indexing.build import build_index

ALLOWED = list(range(1, 80))
STRANGER = 666
LONG_QUOTES = "\n\n".join(
    f'"Point {i}: the harbour authority must publish every inspection report on the quay walls, the cranes, '
    f'the fuel depots and the ferry ramps, and it must do so within a week of each inspection, because the '
    f'people who work here deserve to know what the engineers found and what will be repaired first," '
    f'engineer Ana Lungu said.' for i in range(1, 16)
)
LONG_ARTICLE = f"---\ntitle: Harbour safety row\nsource: Harbour Times\npublished: 2024-06-01\n---\n{LONG_QUOTES}\n"


class RunningBot:
    """`QabotBot` run with `run_polling` (as `qabot bot` does) in a thread with its own loop."""

    def __init__(self, library: Library, settings):
        self.app = QabotBot(library, settings).build("123456:TEST-TOKEN")
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.app.run_polling(timeout=1, stop_signals=None, close_loop=False)

    def start(self) -> RunningBot:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.app.stop_running)  # run_polling then shuts down cleanly
        self.thread.join(30)
        self.loop.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    server = BotApiServer().start()
    files = {**sample_files(), "harbour.md": LONG_ARTICLE}
    settings = make_corpus(tmp_path_factory.mktemp("bot"), files,
                           telegram={"base_url": server.base_url, "allowed_user_ids": ALLOWED, "questions_per_minute": 20})
    build_index(settings)
    library = Library.open(settings)
    bot = RunningBot(library, settings).start()
    server.wait_for(lambda: server.calls("setMyCommands"), timeout=30)
    yield server, settings, library
    bot.stop()
    server.stop()


def answers(server, chat_id, count=1, timeout=60.0):
    return server.wait_for(lambda: [m for m in server.messages_to(chat_id)][:count]
                           if len(server.messages_to(chat_id)) >= count else None, timeout)


def paragraph_texts(library) -> set[str]:
    return {row[0] for row in library.snapshot.query("SELECT text FROM paragraphs")}


def test_private_question_gets_a_cited_answer_whose_quotes_are_in_the_cited_paragraph(world):
    server, _, library = world
    server.user_says("What did Kosachev say?", chat_id=11, user_id=11)
    (reply,) = answers(server, 11)
    text = check_html(reply.params["text"])
    assert "retaliation by Iran will inevitably follow" in text
    assert reply.params["parse_mode"] == "HTML"
    sources = {int(n): (title, int(p)) for n, title, p in re.findall(r"\[(\d+)\] (.+?)(?: — .*?)?, paragraph (\d+)", text)}
    assert sources, text
    titles = dict(library.snapshot.query("SELECT title, id FROM articles"))
    quotes = re.findall(r"“(.+?)” \[(\d+)\]", text, re.DOTALL)
    assert len(quotes) >= 3
    for quote, number in quotes:
        title, paragraph = sources[int(number)]
        assert quote in library.snapshot.paragraph(titles[title], paragraph).text
    assert server.calls("sendChatAction")[0].params["action"] == "typing"
    assert not server.errors


def test_start_help_and_status(world):
    server, _, _ = world
    server.user_says("/start", chat_id=12, user_id=12)
    (start,) = answers(server, 12)
    assert "What did" in check_html(start.params["text"])
    server.user_says("/help", chat_id=12, user_id=12)
    help_reply = answers(server, 12, 2)[1]
    assert "mention me" in check_html(help_reply.params["text"])
    server.user_says("/status", chat_id=12, user_id=12)
    status = answers(server, 12, 3)[2]
    assert re.search(r"Indexed: \d+ articles, \d+ passages", check_html(status.params["text"]))
    commands = {c["command"] for c in server.calls("setMyCommands")[0].params["commands"]}
    assert commands == {"ask", "status", "help", "start", "follow", "following", "unfollow", "digest"}


def test_group_answers_only_when_addressed(world):
    server, _, _ = world
    group = -1001
    server.user_says("What did Kosachev say?", chat_id=group, user_id=13, chat_type="supergroup")
    server.user_says(f"@{BOT_USERNAME} Who is Bogdanov?", chat_id=group, user_id=13, chat_type="supergroup")
    (first,) = answers(server, group)
    assert "a fellow at the Institute of World Economy" in check_html(first.params["text"])
    time.sleep(1.0)
    assert len(server.messages_to(group)) == 1  # the unaddressed question was ignored

    server.user_says("What did he say?", chat_id=group, user_id=13, chat_type="supergroup", reply_to=first.message_id)
    second = answers(server, group, 2)[1]
    assert "Soleimani was in charge of Iranian military" in check_html(second.params["text"])
    server.user_says("/ask When did Soleimani visit Moscow?", chat_id=group, user_id=13, chat_type="group")
    third = answers(server, group, 3)[2]
    assert "late July 2015" in check_html(third.params["text"])


def test_stranger_is_refused_and_nothing_is_retrieved(world):
    server, _, _ = world
    typing_before = len(server.calls("sendChatAction"))
    server.user_says("What did Kosachev say?", chat_id=STRANGER, user_id=STRANGER)
    (reply,) = answers(server, STRANGER)
    assert reply.params["text"] == REFUSAL  # sent before any retrieval, and the handler then returns
    assert not [c for c in server.calls("sendChatAction")[typing_before:] if c.params["chat_id"] == STRANGER]


def test_long_answer_arrives_split_and_every_part_is_valid(world):
    server, _, _ = world
    server.user_says("What did Ana Lungu say?", chat_id=14, user_id=14)

    def whole_answer():
        sent = server.messages_to(14)
        return sent if sent and "Sources" in check_html(sent[-1].params["text"]) else None

    parts = server.wait_for(whole_answer)
    assert len(parts) >= 2
    shown = [check_html(p.params["text"]) for p in parts]
    assert all(len(s.encode("utf-16-le")) // 2 <= 4096 for s in shown)
    joined = "\n".join(shown)
    for i in range(1, 16):
        assert f"Point {i}: the harbour authority" in joined
    assert all(re.fullmatch(r".*\[\d+\]", line.strip(), re.DOTALL) for line in joined.split("\n") if line.startswith("• "))
    assert not server.errors

    buttons = [b for row in parts[-1].params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0]["text"].startswith("Sources 1–") and buttons[-1]["text"].endswith("15")
    server.press(buttons[-1]["callback_data"], chat_id=14, user_id=14, message_id=parts[-1].message_id)
    passages = server.wait_for(lambda: [m for m in server.messages_to(14)[len(parts):]])
    assert "[15] Harbour safety row — Harbour Times, 2024-06-01, paragraph 15" in check_html(passages[0].params["text"])
    assert "Point 15: the harbour authority" in check_html(passages[0].params["text"])


def test_sources_button_sends_the_cited_passages_and_survives_a_rebuild(world):
    server, settings, _ = world
    server.user_says("What did Shepovalenko say?", chat_id=15, user_id=15)
    (reply,) = answers(server, 15)
    data = reply.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64 and parse_sources_callback(data)
    server.press(data, chat_id=15, user_id=15, message_id=reply.message_id)
    passages = check_html(answers(server, 15, 2)[1].params["text"])
    assert "Maxim Shepovalenko, deputy director at the Moscow-based Centre" in passages

    (settings.article_paths[0] / "extra.md").write_text(
        "# Tram line\n\n\"The trams will run every five minutes,\" planner Ida Berg said.\n", encoding="utf-8")
    build_index(settings)
    server.press(data, chat_id=15, user_id=15, message_id=reply.message_id)
    again = check_html(answers(server, 15, 3)[2].params["text"])
    assert "Maxim Shepovalenko, deputy director" in again

    server.user_says("What did Ida Berg say?", chat_id=15, user_id=15)
    tram = answers(server, 15, 4)[3]
    tram_data = tram.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    (settings.article_paths[0] / "extra.md").unlink()
    build_index(settings)
    server.press(tram_data, chat_id=15, user_id=15, message_id=tram.message_id)
    assert "[1] That passage is no longer in the index." in check_html(answers(server, 15, 5)[4].params["text"])


def test_new_snapshot_is_picked_up_without_a_restart(world):
    server, settings, _ = world
    (settings.article_paths[0] / "bridge.md").write_text(
        "# Bridge reopens\n\n\"The bridge is safe again,\" engineer Petra Novak said on Monday.\n", encoding="utf-8")
    build_index(settings)
    server.user_says("What did Petra Novak say?", chat_id=16, user_id=16)
    (reply,) = answers(server, 16)
    assert "The bridge is safe again" in check_html(reply.params["text"])


def test_twenty_chats_at_once_each_get_their_own_answer(world):
    server, _, _ = world
    people = {"Kosachev": "retaliation by Iran", "Bogdanov": "Soleimani was in charge",
              "Shepovalenko": "revenge is a dish best served cold", "Mukrakhovsky": "A statesman is killed"}
    names = list(people)
    chats = range(30, 50)
    for chat in chats:
        server.user_says(f"What did {names[chat % 4]} say?", chat_id=chat, user_id=chat)
    for chat in chats:
        (reply,) = answers(server, chat)
        text = html.unescape(reply.params["text"])
        assert people[names[chat % 4]] in text
        for other in names:
            if other != names[chat % 4]:
                assert people[other] not in text


def test_telegram_error_in_a_handler_yields_the_apology_and_the_bot_goes_on(world):
    server, _, _ = world
    server.fail_next("sendMessage", "Bad Request: chat not found")  # the answer cannot be sent
    server.user_says("What did Kosachev say?", chat_id=17, user_id=17)
    (apology,) = answers(server, 17)
    assert apology.params["text"] == APOLOGY
    server.user_says("Who is Bogdanov?", chat_id=17, user_id=17)
    second = answers(server, 17, 2)[1]
    assert "a fellow at the Institute" in check_html(second.params["text"])


def test_a_failed_typing_indicator_does_not_cost_the_answer(world):
    server, _, _ = world
    server.fail_next("sendChatAction", "Bad Request: chat not found")
    server.user_says("What did Kosachev say?", chat_id=26, user_id=26)
    (reply,) = answers(server, 26)
    assert "retaliation by Iran will inevitably follow" in html.unescape(reply.params["text"])


@pytest.mark.parametrize("kind", ["sticker", "photo"])
def test_non_text_messages_get_a_hint(world, kind):
    server, _, _ = world
    chat = 18 if kind == "sticker" else 19
    server.user_says("", chat_id=chat, user_id=chat, kind=kind)
    (reply,) = answers(server, chat)
    assert reply.params["text"] == NOT_TEXT


def test_over_long_and_empty_questions_get_a_clear_reply(world):
    server, _, _ = world
    server.user_says("why " * 400, chat_id=20, user_id=20)
    (reply,) = answers(server, 20)
    assert "characters long; please keep it under 1,000" in reply.params["text"]
    server.user_says("/ask", chat_id=20, user_id=20)
    assert "Send /ask followed by your question" in answers(server, 20, 2)[1].params["text"]


def test_rate_limit_says_slow_down(world):
    server, _, _ = world
    for _ in range(21):
        server.user_says("Who is Bogdanov?", chat_id=21, user_id=21)
    replies = answers(server, 21, 21)
    assert sum("slow down" in r.params["text"] for r in replies) == 1


def test_missing_token_is_a_clear_error(tmp_path, monkeypatch):
    from qabot.errors import ConfigError
    from qabot.faces.telegram.bot import run_bot

    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    settings = make_corpus(tmp_path, {})
    with pytest.raises(ConfigError, match="@BotFather.*TELEGRAM_BOT_TOKEN"):
        run_bot(settings)


def test_open_bot_warns_at_start_up(world, caplog):
    _, settings, library = world
    from dataclasses import replace

    open_settings = replace(settings, telegram=replace(settings.telegram, allowed_user_ids=(), allowed_chat_ids=()))
    with caplog.at_level(logging.WARNING, logger="qabot.faces.telegram.bot"):
        QabotBot(library, open_settings).build("1:T")
    assert "answers everyone" in caplog.text


def test_qabot_bot_command_answers_and_keeps_the_token_out_of_its_output(world):
    """`qabot -v bot` as a user runs it: verbose logs on, and still no token in them."""
    _, settings, _ = world
    server = BotApiServer().start()
    token = "424242:SECRET-token-never-logged"
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": token, "QABOT_TELEGRAM__BASE_URL": f'"{server.base_url}"',
           "HF_HUB_OFFLINE": "1"}
    process = subprocess.Popen([sys.executable, "-m", "qabot", "-v", "--config", settings.source, "bot"],
                               cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        server.wait_for(lambda: server.calls("setMyCommands"), timeout=60)
        server.user_says("Who is Bogdanov?", chat_id=22, user_id=22)
        (reply,) = answers(server, 22)
        assert "a fellow at the Institute" in check_html(reply.params["text"])
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
        server.stop()
    assert server.tokens == {token}
    assert "answering from snapshot" in output
    assert token not in output and "SECRET" not in output
