"""A small Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real bot.

It implements the methods qabot's bot uses (getMe, getUpdates with long polling,
deleteWebhook, setMyCommands, sendMessage, sendChatAction, answerCallbackQuery,
editMessageText) and checks what Telegram checks: message text of 1..4096 characters
after entity parsing (UTF-16 units), well-formed HTML with only Telegram's tags and
escaped `<`, `>`, `&`, and callback_data of at most 64 bytes. A bad request gets
Telegram's 400 answer, and is recorded, so a test can assert there were none.

Tests play users: `user_says(...)` queues a message update, `press(...)` a button press;
`wait_for(...)` waits until the bot has sent what the test expects.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

BOT_ID = 7000001
BOT_USERNAME = "qabot_test_bot"
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code",
                "pre", "blockquote", "tg-emoji"}
_JSON_FIELDS = {"chat_id", "reply_markup", "commands", "allowed_updates", "offset", "timeout", "limit",
                "message_id", "reply_parameters", "link_preview_options", "disable_web_page_preview",
                "drop_pending_updates", "show_alert", "reply_to_message_id", "entities"}
_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+\s*=\s*\"[^\"]*\")*)\s*(/?)>")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class TelegramError(Exception):
    """A request Telegram would refuse; the message is Telegram's description."""


def check_html(text: str) -> str:
    """The plain text Telegram would show, or TelegramError for what it would refuse."""
    plain, stack, pos = [], [], 0
    for match in _TAG.finditer(text):
        plain.append(_check_text(text[pos:match.start()]))
        closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if name not in ALLOWED_TAGS:
            raise TelegramError(f"Bad Request: can't parse entities: unsupported start tag \"{name}\"")
        if closing:
            if not stack or stack.pop() != name:
                raise TelegramError(f"Bad Request: can't parse entities: unmatched end tag \"{name}\"")
        else:
            if name == "a" and "href=" not in attrs:
                raise TelegramError("Bad Request: can't parse entities: a tag needs href")
            stack.append(name)
        pos = match.end()
    plain.append(_check_text(text[pos:]))
    if stack:
        raise TelegramError(f"Bad Request: can't parse entities: can't find end tag corresponding to start tag \"{stack[-1]}\"")
    return html.unescape("".join(plain))


def _check_text(chunk: str) -> str:
    if "<" in chunk or ">" in chunk:
        raise TelegramError("Bad Request: can't parse entities: unexpected < or > outside a tag")
    for amp in re.finditer("&", chunk):
        if not _ENTITY.match(chunk, amp.start()):
            raise TelegramError("Bad Request: can't parse entities: unescaped &")
    return chunk


@dataclass
class Sent:
    """One call the bot made."""

    method: str
    params: dict
    message_id: int | None = None


@dataclass
class BotApiServer:
    """Start with `start()`; `base_url` is what qabot's `[telegram] base_url` should be."""

    port: int = 0  # 0: any free port; a fixed one lets a test start the server after the bot
    updates: list[dict] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)  # the tokens bots used, to check they stay out of logs
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _messages: itertools.count = field(default_factory=lambda: itertools.count(1000))
    _bot_messages: dict[int, dict] = field(default_factory=dict)
    _failures: dict[str, str] = field(default_factory=dict)
    _blocked: set[int] = field(default_factory=set)
    _throttle: list[int] = field(default_factory=list)

    def start(self) -> BotApiServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the real API server; httpx reuses connections
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8")
                token, _, method = self.path.removeprefix("/bot").partition("/")
                with server._lock:
                    server.tokens.add(token)
                status, reply = server.handle(method, _parse(body, self.headers.get("Content-Type", "")))
                payload = json.dumps(reply).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

            def log_message(self, *args) -> None:
                pass

        self.httpd = _QuietServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/bot"

    # --- what users do -------------------------------------------------------------

    def user_says(self, text: str, *, chat_id: int, user_id: int, chat_type: str = "private",
                  reply_to: int | None = None, kind: str = "text") -> int:
        """Queue a message from a user; returns its update id."""
        message = {
            "message_id": next(self._messages),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, **({"title": "News group"} if chat_type != "private" else {"first_name": "User"})},
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
        }
        if kind == "text":
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
            mention = f"@{BOT_USERNAME}"
            if mention in text:
                message.setdefault("entities", []).append({"type": "mention", "offset": text.index(mention), "length": len(mention)})
        elif kind == "sticker":
            message["sticker"] = {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512,
                                  "is_animated": False, "is_video": False, "type": "regular"}
        elif kind == "photo":
            message["photo"] = [{"file_id": "p1", "file_unique_id": "pu1", "width": 90, "height": 90}]
        if reply_to is not None:
            message["reply_to_message"] = self._bot_messages[reply_to]
        return self._push({"message": message})

    def press(self, data: str, *, chat_id: int, user_id: int, message_id: int) -> int:
        """Queue a press on an inline button of one of the bot's messages."""
        return self._push({"callback_query": {
            "id": str(next(self._ids)), "chat_instance": "ci",
            "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
            "message": self._bot_messages[message_id], "data": data}})

    def fail_next(self, method: str, description: str) -> None:
        """Make the next call of `method` fail as Telegram does (e.g. "Bad Request: chat not found")."""
        with self._lock:
            self._failures[method] = description

    def block(self, chat_id: int) -> None:
        """The user of this private chat blocks the bot: sending to it gets 403 from now on."""
        with self._lock:
            self._blocked.add(chat_id)

    def throttle_next(self, retry_after: int) -> None:
        """The next sendMessage gets 429 Too Many Requests with this `retry_after`."""
        with self._lock:
            self._throttle.append(retry_after)

    def _push(self, content: dict) -> int:
        with self._lock:
            update_id = len(self.updates) + 1
            self.updates.append({"update_id": update_id, **content})
            self._lock.notify_all()
            return update_id

    # --- what tests check ------------------------------------------------------------

    def messages_to(self, chat_id: int) -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if s.method in ("sendMessage", "editMessageText") and s.params.get("chat_id") == chat_id]

    def calls(self, method: str) -> list[Sent]:
        with self._lock:
            return [s for s in self.sent if s.method == method]

    def wait_for(self, predicate, timeout: float = 60.0):
        """Wait until `predicate()` is truthy (checked whenever the bot calls); return its value."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out after {timeout}s; the bot sent: {[(s.method, s.params.get('text', '')[:80]) for s in self.sent][-10:]}")
                self._lock.wait(min(remaining, 0.5))

    # --- the Bot API -------------------------------------------------------------------

    def handle(self, method: str, params: dict) -> tuple[int, dict]:
        if method == "sendMessage":
            with self._lock:
                chat = _chat_id(params.get("chat_id"))
                if chat in self._blocked:
                    return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
                if self._throttle:
                    wait = self._throttle.pop(0)
                    self.throttled = getattr(self, "throttled", 0) + 1
                    return 429, {"ok": False, "error_code": 429, "description": f"Too Many Requests: retry after {wait}",
                                 "parameters": {"retry_after": wait}}
        try:
            result = self._call(method, params)
        except TelegramError as err:
            with self._lock:
                self.errors.append(f"{method}: {err}")
                self._lock.notify_all()
            return 400, {"ok": False, "error_code": 400, "description": str(err)}
        return 200, {"ok": True, "result": result}

    def _call(self, method: str, params: dict):
        if method == "getUpdates":
            return self._get_updates(int(params.get("offset") or 0), float(params.get("timeout") or 0))
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "qabot", "username": BOT_USERNAME,
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
        with self._lock:
            failure = self._failures.pop(method, None)
        if failure:
            raise TelegramError(failure)
        return self._record(method, params)

    def _record(self, method: str, params: dict):
        if method in ("sendMessage", "editMessageText"):
            text = params.get("text") or ""
            shown = check_html(text) if params.get("parse_mode") == "HTML" else text
            units = len(shown.encode("utf-16-le")) // 2
            if not shown.strip():
                raise TelegramError("Bad Request: message text is empty")
            if units > 4096:
                raise TelegramError("Bad Request: message is too long")
            for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if len(button.get("callback_data", "").encode("utf-8")) > 64:
                        raise TelegramError("Bad Request: BUTTON_DATA_INVALID")
        with self._lock:
            sent = Sent(method, params)
            result: object = True
            if method == "sendMessage":
                sent.message_id = next(self._messages)
                message = {"message_id": sent.message_id, "date": int(time.time()),
                           "chat": {"id": params["chat_id"], "type": "private"},
                           "from": {"id": BOT_ID, "is_bot": True, "first_name": "qabot", "username": BOT_USERNAME},
                           "text": params.get("text", "")}
                self._bot_messages[sent.message_id] = message
                result = message
            self.sent.append(sent)
            self._lock.notify_all()
        return result

    def _get_updates(self, offset: int, timeout: float) -> list[dict]:
        deadline = time.monotonic() + min(timeout, 2.0)
        with self._lock:
            while True:
                pending = [u for u in self.updates if u["update_id"] >= offset]
                if pending or time.monotonic() >= deadline:
                    return pending
                self._lock.wait(max(0.0, deadline - time.monotonic()))


class _QuietServer(ThreadingHTTPServer):
    """Connections the bot drops while shutting down are not test failures."""

    # The default listen backlog of 5 resets connections when twenty chats' replies arrive
    # at once (seen in CI as httpx.ReadError); a real Bot API server queues them.
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:
        pass


def _chat_id(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _parse(body: str, content_type: str) -> dict:
    if "json" in content_type:
        return json.loads(body or "{}")
    params = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
    for key in list(params):
        if key in _JSON_FIELDS:
            try:
                params[key] = json.loads(params[key])
            except ValueError:
                pass
    return params
