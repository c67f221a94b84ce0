"""News over time through the real bot and the local Bot API server: time and source filters,
timelines, following people and topics with alerts after each build, /digest."""

from __future__ import annotations

import logging
import re
import time

import pytest
from botapi_server import BotApiServer, check_html
from conftest import make_corpus
from test_bot import RunningBot, answers
from test_news_over_time import COSTA, TODAY, article

from qabot.answering.library import Library
from qabot.faces.telegram.bot import REFUSAL
from qabot.faces.telegram.follow_store import FollowStore
from qabot.faces.telegram.render import parse_sources_callback
from qabot.indexing.build import build_index

FOLLOWERS = list(range(1000, 1200))  # 200 followers of one person
ALLOWED = [101, 102, 103, 104, 105, 106, *FOLLOWERS]
SYNDICATED = {  # one story carried by three outlets, and a story only one outlet has
    f"wire/{outlet.split()[0].lower()}.md": article(
        "Port reopens after strike", outlet, "2005-04-18",
        f"The northern port reopened on Monday after a three-week strike, {outlet} reported, as the first ships docked.",
        "Union and authority signed the pay deal late on Sunday.")
    for outlet in ("Harbour Times", "Capital Wire", "River Gazette")
} | {"wire/local.md": article("Bakery wins prize", "Valley Post", "2005-04-19",
                             "A small bakery in the valley won the national bread prize on Tuesday.")}


class World:
    def __init__(self, tmp_path_factory):
        self.server = BotApiServer().start()
        self.settings = make_corpus(tmp_path_factory.mktemp("follow"), COSTA, answer={"today": TODAY},
                                    telegram={"base_url": self.server.base_url, "allowed_user_ids": ALLOWED,
                                              "alert_check_seconds": 0.5, "questions_per_minute": 60})
        build_index(self.settings)
        self.library = Library.open(self.settings)
        self.bot = self.start_bot()

    def start_bot(self) -> RunningBot:
        bot = RunningBot(self.library, self.settings).start()
        self.state = self.settings.index_dir / "telegram.sqlite"
        current = self.library.folder.current_name()
        self.server.wait_for(lambda: FollowStore(self.state).last_snapshot() == current, timeout=30)
        return bot

    def restart(self) -> None:
        self.bot.stop()
        self.bot = self.start_bot()

    def publish(self, files: dict[str, str], from_scratch: bool = False) -> float:
        """Write articles, build, wait until the bot has looked at the new snapshot; returns build end time."""
        for name, text in files.items():
            target = self.settings.article_paths[0] / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        build_index(self.settings, from_scratch=from_scratch)
        finished = time.monotonic()
        current = self.library.folder.current_name()
        self.server.wait_for(lambda: FollowStore(self.state).last_snapshot() == current, timeout=120)
        return finished

    def say(self, text: str, chat: int) -> str:
        before = len(self.server.messages_to(chat))
        self.server.user_says(text, chat_id=chat, user_id=chat)
        return check_html(answers(self.server, chat, before + 1)[before].params["text"])

    def alerts(self, chat: int) -> list:
        return [m for m in self.server.messages_to(chat) if check_html(m.params["text"]).startswith("New ")]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    world = World(tmp_path_factory)
    yield world
    world.bot.stop()
    world.server.stop()


def test_last_week_through_the_bot_is_relative_to_the_configured_today(world):
    text = world.say("What did Costa say last week?", 101)
    assert "We will not go back to work until the pay offer improves" in text
    assert "patience has limits" not in text and "Nobody wants a long strike" not in text
    assert "Only articles published from 2005-04-13 to 2005-04-20. 1 undated article was left out." in text


def test_source_filter_and_unknown_source_through_the_bot(world):
    text = world.say("What did Maria Costa say in the Capital Wire?", 101)
    assert "Our members are patient people" in text and "pay offer" not in text
    assert "Capital Wire" in text
    assert "I have no articles from Reuters. Sources I have: Capital Wire, Harbour Times." in \
        world.say("What did Costa say according to Reuters?", 101)


def test_timeline_through_the_bot_is_in_date_order_under_month_headings(world):
    text = world.say("Timeline of Maria Costa", 102)
    order = [text.index(words) for words in ("January 2005", "Our members are patient people",
                                             "March 2005", "The talks have collapsed", "April 2005", "pay offer improves")]
    assert order == sorted(order)
    assert "Dockers union elects new leader — Capital Wire, 2005-01-10" in text


def test_stranger_cannot_follow(world):
    world.server.user_says("/follow Costa", chat_id=666, user_id=666)
    (reply,) = answers(world.server, 666)
    assert reply.params["text"] == REFUSAL
    assert FollowStore(world.state).following(666) == []


def test_follow_a_person_then_a_new_quote_arrives_once_even_after_rebuilds_and_a_restart(world):
    assert "Following Maria Costa." in world.say("/follow costa", 103)  # the name matching of "what did X say"
    assert FollowStore(world.state).following(103)[0].name == "Maria Costa"
    assert "already follow" in world.say("/follow Maria Costa", 103)

    world.publish({"a6.md": article("Dockers vote on deal", "Harbour Times", "2005-04-19",
                                    "Dockers voted on the new pay offer on Tuesday.",
                                    '"This deal is the best we could get," Maria Costa said.')})
    (alert,) = world.server.wait_for(lambda: world.alerts(103) or None, timeout=30)
    text = check_html(alert.params["text"])
    assert text.startswith("New from Maria Costa")
    assert "“This deal is the best we could get” [1]" in text
    assert "pay offer improves" not in text  # only what is new since the last build
    data = alert.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert parse_sources_callback(data)
    world.server.press(data, chat_id=103, user_id=103, message_id=alert.message_id)
    passage = world.server.wait_for(lambda: [m for m in world.server.messages_to(103)
                                             if "This deal is the best we could get" in check_html(m.params["text"])
                                             and m is not alert] or None)
    assert "Dockers vote on deal — Harbour Times, 2005-04-19" in check_html(passage[0].params["text"])

    world.publish({}, from_scratch=True)  # a rebuild from scratch: same articles, new snapshot
    world.restart()
    world.publish({"a7.md": article("Port quiet", "Harbour Times", "2005-04-20", "The port was quiet on Wednesday.")})
    assert len(world.alerts(103)) == 1  # nothing new about Costa: no alert, nothing sent twice

    world.publish({"a8.md": article("Costa thanks members", "Capital Wire", "2005-04-20",
                                    '"Thank you for standing together," Maria Costa told the members.')})
    alerts = world.server.wait_for(lambda: world.alerts(103) if len(world.alerts(103)) == 2 else None, timeout=30)
    second = check_html(alerts[1].params["text"])
    assert "Thank you for standing together" in second and "best we could get" not in second


def test_follow_a_topic_and_list_and_unfollow(world):
    assert "Following the topic “bread prize”" in world.say('/follow "bread prize"', 104)
    assert "Maria Costa" not in world.say("/following", 104)
    world.publish({"b1.md": article("Valley bakers celebrate", "Valley Post", "2005-04-20",
                                    "Bakers across the valley celebrated the bread prize with a street party.")})
    (alert,) = world.server.wait_for(lambda: world.alerts(104) or None, timeout=30)
    text = check_html(alert.params["text"])
    assert text.startswith("New on “bread prize”")
    assert "Bakers across the valley celebrated the bread prize" in text
    assert "bread prize (topic)" in world.say("/following", 104)
    assert "Stopped following bread prize" in world.say('/unfollow "bread prize"', 104)
    assert "You follow nothing yet" in world.say("/following", 104)


def test_digest_orders_stories_by_how_many_outlets_carried_them(world):
    world.publish(SYNDICATED)
    text = world.say("/digest", 105)
    assert text.startswith("The main new stories")
    port = text.index("Port reopens after strike — Capital Wire, Harbour Times, River Gazette (3 outlets)")
    bakery = text.index("Bakery wins prize — Valley Post")
    assert port < bakery
    assert text.count("The northern port reopened on Monday") == 1  # syndicated copies merged
    assert "Nothing new since your last digest" in world.say("what's new?", 105)


def test_blocked_user_is_unsubscribed_and_one_off_the_allowlist_gets_nothing(world, caplog):
    world.say("/follow Costa", 106)
    world.say("/follow Costa", 102)
    FollowStore(world.state).follow(777, 777, "person", "Maria Costa")  # followed, then left the allowlist
    world.server.block(106)
    with caplog.at_level(logging.INFO, logger="qabot.faces.telegram.follow"):
        world.publish({"a9.md": article("Costa on safety", "Harbour Times", "2005-04-20",
                                        '"Safety on the quay comes first," Maria Costa said.')})
        world.server.wait_for(lambda: world.alerts(102) or None, timeout=30)
    assert FollowStore(world.state).following(106) == []
    assert re.search(r"chat 106 cannot be written to .*blocked.*unsubscribed from 1 follows", caplog.text)
    assert "Safety on the quay comes first" in check_html(world.alerts(102)[0].params["text"])
    assert world.server.messages_to(777) == []


def test_two_hundred_followers_each_get_the_alert_once_within_the_rate_limit(world, capsys):
    store = FollowStore(world.state)
    for chat in FOLLOWERS:
        store.follow(chat, chat, "person", "Maria Costa")
    world.server.throttle_next(1)  # Telegram says "retry after 1 s" once: the alert still arrives
    finished = world.publish({"a10.md": article("Costa on the future", "River Gazette", "2005-04-20",
                                                '"The port has a future if we keep it working," Maria Costa said.')})
    delivered = world.server.wait_for(lambda: [c for c in FOLLOWERS if world.alerts(c)]
                                      if all(world.alerts(c) for c in FOLLOWERS) else None, timeout=120)
    last = time.monotonic()
    assert len(delivered) == 200
    assert all(len(world.alerts(c)) == 1 and "The port has a future" in check_html(world.alerts(c)[0].params["text"])
               for c in FOLLOWERS)
    assert getattr(world.server, "throttled", 0) == 1
    with capsys.disabled():
        print(f"\n[figure] 200 followers: last alert {last - finished:.1f} s after the build finished "
              f"(includes the 1 s retry_after and the {world.settings.telegram.alert_check_seconds} s check interval)")
