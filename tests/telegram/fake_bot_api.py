"""A local stand-in for the Telegram Bot API, on 127.0.0.1, for the test suite.

It speaks the wire format both aiogram and python-telegram-bot use
(`<base>/bot<token>/<method>`, JSON or form bodies, `{"ok": ..., "result": ...}`),
plays Telegram users (type, press a button, share a contact, block the bot)
and injects faults (429 with retry_after, 5xx, slow answers, redelivered
updates), so the real adapters can be driven end to end over HTTP.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Self

from aiohttp import web

# The calls Telegram counts against a bot's message limits.
_COUNTED = frozenset({"sendMessage", "editMessageText", "editMessageReplyMarkup"})
BOT_ID = 7000000001
BOT_USERNAME = "repay_test_bot"


# The tags Telegram's HTML parse mode knows; anything else is refused like Telegram does.
_ENTITY_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "blockquote": "blockquote",
}


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _TelegramHtml(HTMLParser):
    """Telegram's HTML: plain text plus entities (offsets in UTF-16 units)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text = ""
        self.entities: list[dict[str, Any]] = []
        self._open: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _ENTITY_TAGS:
            raise ApiError(400, f"Bad Request: can't parse entities: Unsupported start tag {tag!r}")
        self._open.append((tag, _utf16(self.text)))

    def handle_endtag(self, tag: str) -> None:
        if not self._open or self._open[-1][0] != tag:
            raise ApiError(400, f"Bad Request: can't parse entities: Unmatched end tag {tag!r}")
        _, start = self._open.pop()
        length = _utf16(self.text) - start
        if length:
            self.entities.append({"type": _ENTITY_TAGS[tag], "offset": start, "length": length})

    def handle_data(self, data: str) -> None:
        self.text += data


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    parser = _TelegramHtml()
    parser.feed(source)
    parser.close()
    if parser._open:
        raise ApiError(400, "Bad Request: can't parse entities: Unclosed start tag")
    return parser.text, sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))


def entity_texts(message: dict[str, Any], kind: str = "bold") -> list[str]:
    """The pieces of a message's text that carry an entity of `kind`."""
    units = str(message["text"]).encode("utf-16-le")
    return [
        units[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in message.get("entities", [])
        if e["type"] == kind
    ]


def _text_of(params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    text = str(params.get("text") or "")
    if str(params.get("parse_mode") or "").upper() == "HTML":
        return parse_html(text)
    return text, []


@dataclass
class Fault:
    status: int
    retry_after: int | None = None
    times: int = 1
    description: str | None = None  # Telegram's own words; a generic one when None


def _decode(value: str) -> Any:
    """Form fields carry JSON for objects and lists (aiogram, PTB)."""
    text = value.strip()
    if text[:1] in "[{" or text in ("true", "false", "null"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return value
    return value


class FakeTelegram:
    def __init__(self, token: str = "123456:TEST-TOKEN") -> None:
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.webhook: dict[str, Any] = {"url": ""}
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._callback_ids = itertools.count(1)
        self._arrived = asyncio.Condition()
        self._sent = asyncio.Condition()
        self._faults: dict[str, list[Fault]] = {}
        self._slow: dict[str, float] = {}
        self._held: dict[str, asyncio.Event] = {}
        self._drops: dict[str, int] = {}
        self._redeliver = 0
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[int, list[dict[str, Any]]] = {}
        self.blocked: set[int] = set()
        self.answered_callbacks: list[dict[str, Any]] = []
        self.reply_keyboards: dict[int, dict[str, Any]] = {}
        # (chat id, message id) of messages Telegram no longer shows the bot (older
        # than 48 hours, or deleted): presses on them carry an InaccessibleMessage,
        # and editing them fails.
        self.inaccessible: set[tuple[int, int]] = set()
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        # (monotonic time, chat id) of every call that counts against Telegram's
        # limits as it arrives, answered or refused: what a rate is measured on.
        self.counted_calls: list[tuple[float, int]] = []
        # monotonic times at which a 429 was answered (the whole bot must wait)
        self.refused_at: list[tuple[float, int]] = []

    # ---- lifecycle ----

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # A request whose client went away (a process killed mid-send) is abandoned, as
        # Telegram would never deliver it to a dead connection; without this, a slowed
        # handler finishes later, sends a message nobody asked for and holds shutdown.
        self._runner = web.AppRunner(app, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        # aiohttp tells the port it bound only through the runner's addresses.
        port = int(self._runner.addresses[0][1])
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *_: object) -> None:
        for method in list(self._held):
            self.release(method)
        async with self._arrived:
            self._arrived.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- test controls ----

    def user(
        self, user_id: int, first_name: str = "Test", language_code: str | None = "en"
    ) -> FakeUser:
        chat = {"id": user_id, "type": "private", "first_name": first_name}
        self.chats[user_id] = chat
        self.messages.setdefault(user_id, [])
        return FakeUser(self, user_id, first_name, language_code)

    def group(self, chat_id: int, kind: str = "group") -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": "Family chat"}
        self.chats[chat_id] = chat
        self.messages.setdefault(chat_id, [])
        return chat

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        description: str | None = None,
    ) -> None:
        self._faults.setdefault(method, []).append(Fault(status, retry_after, times, description))

    def drop_next(self, method: str, times: int = 1) -> None:
        """Close the connection without an answer, as a network failure would."""
        self._drops[method] = self._drops.get(method, 0) + times

    def slow(self, method: str, seconds: float) -> None:
        self._slow[method] = seconds

    def hold(self, method: str) -> None:
        """Calls of `method` hang on the wire until `release`: a send in flight for as
        long as a test needs, however slow the machine."""
        self._held.setdefault(method, asyncio.Event())

    def release(self, method: str) -> None:
        held = self._held.pop(method, None)
        if held is not None:
            held.set()

    def redeliver_next(self, times: int = 1) -> None:
        """The next getUpdates ignores its offset once, as Telegram does after a timeout."""
        self._redeliver += times

    def most_in_one_second(self, chat_id: int | None = None) -> int:
        """The most counted calls (to one chat, or to all) in any sliding second."""
        times = [t for t, chat in self.counted_calls if chat_id is None or chat == chat_id]
        most, first = 0, 0
        for last, moment in enumerate(times):
            while moment - times[first] >= 1.0:
                first += 1
            most = max(most, last - first + 1)
        return most

    def method_calls(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def next_update_id(self) -> int:
        """An update id not used yet, for a test that delivers an update itself (webhook)."""
        return next(self._update_ids)

    async def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        async with self._arrived:
            self._updates.append(update)
            self._arrived.notify_all()
        return update

    async def wait_for(
        self, chat_id: int, count: int, timeout: float = 10.0
    ) -> list[dict[str, Any]]:
        """Wait until the bot has sent at least `count` messages to the chat."""

        async def enough() -> None:
            async with self._sent:
                await self._sent.wait_for(lambda: len(self.messages.get(chat_id, [])) >= count)

        try:
            await asyncio.wait_for(enough(), timeout)
        except TimeoutError:
            texts = [m.get("text") for m in self.messages.get(chat_id, [])]
            raise AssertionError(
                f"chat {chat_id}: expected {count} messages, got {texts}"
            ) from None
        return self.messages[chat_id]

    # ---- HTTP ----

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body = await request.json()
            return dict(body) if isinstance(body, dict) else {}
        params: dict[str, Any] = {k: _decode(v) for k, v in request.query.items()}
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                params[key] = _decode(value) if isinstance(value, str) else value
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params = await self._params(request)
        self.calls.append((method, params))
        if method in _COUNTED:
            self.counted_calls.append((time.monotonic(), int(params.get("chat_id") or 0)))
        if method in self._slow:
            await asyncio.sleep(self._slow[method])
        held = self._held.get(method)
        if held is not None:
            await held.wait()
        if self._drops.get(method):
            self._drops[method] -= 1
            if request.transport is not None:
                request.transport.close()
            raise ConnectionResetError("dropped by the test")
        faults = self._faults.get(method)
        if faults:
            fault = faults[0]
            fault.times -= 1
            if fault.times <= 0:
                faults.pop(0)
            if fault.status == 429:
                self.refused_at.append((time.monotonic(), fault.retry_after or 0))
            return self._error(fault.status, fault.retry_after, fault.description)
        handler = getattr(self, f"_m_{method.lower()}", None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        try:
            result = await handler(params)
        except ApiError as exc:
            return web.json_response(
                {"ok": False, "error_code": exc.code, "description": exc.description},
                status=exc.code,
            )
        return web.json_response({"ok": True, "result": result})

    @staticmethod
    def _error(status: int, retry_after: int | None, description: str | None) -> web.Response:
        if status == 429:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                },
                status=429,
            )
        return web.json_response(
            {
                "ok": False,
                "error_code": status,
                "description": description or "Internal Server Error",
            },
            status=status,
        )

    # ---- methods ----

    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Repay Test", "username": BOT_USERNAME}

    async def _m_getme(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_user(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _m_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        async with self._arrived:
            if self._redeliver and offset:
                self._redeliver -= 1  # the confirmation is lost: deliver the same updates again
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and timeout > 0:
                try:
                    await asyncio.wait_for(
                        self._arrived.wait_for(lambda: bool(self._updates)), timeout
                    )
                except TimeoutError:
                    return []
            return list(self._updates[:limit])

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        try:
            chat = self.chats[int(chat_id)]
        except (KeyError, TypeError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        if chat["id"] in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if not markup:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                if len(str(button.get("callback_data", "")).encode()) > 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    async def _m_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        text, entities = _text_of(params)
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self._bot_user(),
            "text": text,
        }
        if entities:
            message["entities"] = entities
        markup = self._check_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        elif markup is not None and markup.get("remove_keyboard"):
            self.reply_keyboards.pop(chat["id"], None)
        elif markup is not None:
            # Telegram shows reply keyboards but never echoes them in the Message.
            self.reply_keyboards[chat["id"]] = markup
        async with self._sent:
            self.messages[chat["id"]].append(message)
            self._sent.notify_all()
        return message

    def _find(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._chat(params.get("chat_id"))
        if (chat["id"], int(params.get("message_id") or 0)) in self.inaccessible:
            raise ApiError(400, "Bad Request: message can't be edited")
        for message in self.messages[chat["id"]]:
            if message["message_id"] == int(params.get("message_id") or 0):
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        markup = self._check_markup(params.get("reply_markup"))
        if markup == message.get("reply_markup") or (not markup and "reply_markup" not in message):
            raise ApiError(400, "Bad Request: message is not modified")
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _m_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._find(params)
        text, entities = _text_of(params)
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        markup_now = self._check_markup(params.get("reply_markup"))
        if (text, entities, markup_now) == (
            message["text"],
            message.get("entities", []),
            message.get("reply_markup"),
        ):
            raise ApiError(400, "Bad Request: message is not modified")
        message["text"] = text
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        markup = self._check_markup(params.get("reply_markup"))
        if markup:
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        return message

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> bool:
        self.answered_callbacks.append(params)
        return True

    async def _m_setmycommands(self, params: dict[str, Any]) -> bool:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands[(scope, str(params.get("language_code") or ""))] = list(
            params.get("commands") or []
        )
        return True

    async def _m_getmycommands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        return self.commands.get((scope, str(params.get("language_code") or "")), [])

    async def _m_deletemycommands(self, params: dict[str, Any]) -> bool:
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        self.commands.pop((scope, str(params.get("language_code") or "")), None)
        return True

    async def _m_deletewebhook(self, _: dict[str, Any]) -> bool:
        self.webhook = {"url": ""}
        return True

    async def _m_setwebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = {"url": params.get("url", ""), "secret_token": params.get("secret_token")}
        return True

    async def _m_getwebhookinfo(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    async def _m_sendchataction(self, params: dict[str, Any]) -> bool:
        self._chat(params.get("chat_id"))
        return True

    async def _m_close(self, _: dict[str, Any]) -> bool:
        return True

    async def _m_logout(self, _: dict[str, Any]) -> bool:
        return True


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class FakeUser:
    """A Telegram user in a private chat with the bot."""

    tg: FakeTelegram
    user_id: int
    first_name: str
    language_code: str | None
    _seen: int = field(default=0)

    def _from(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def _message(self, **fields: Any) -> dict[str, Any]:
        return {
            "message_id": next(self.tg._message_ids),
            "date": int(time.time()),
            "chat": self.tg.chats[self.user_id],
            "from": self._from(),
            **fields,
        }

    @property
    def messages(self) -> list[dict[str, Any]]:
        return self.tg.messages[self.user_id]

    @property
    def texts(self) -> list[str]:
        return [str(m["text"]) for m in self.messages]

    @property
    def last(self) -> dict[str, Any]:
        return self.messages[-1]

    def keyboard(self, message: dict[str, Any] | None = None) -> list[tuple[str, str]]:
        """(text, callback_data) of the inline buttons still shown on a message."""
        message = message or self.last
        markup = message.get("reply_markup") or {}
        return [
            (b["text"], b.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for b in row
        ]

    async def wait_for_button(self, message: dict[str, Any], label: str) -> None:
        """Wait until `label` is among the message's buttons (an edit in place)."""
        for _ in range(200):
            if label in [text for text, _ in self.keyboard(message)]:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"{label!r} never shown: {self.keyboard(message)}")

    def buttons_shown(self) -> int:
        return sum(len(self.keyboard(m)) for m in self.messages)

    def text_update(self, text: str) -> dict[str, Any]:
        """The update Telegram sends for `text` (a command gets its entity), not yet sent."""
        fields: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            length = len(text.split()[0])
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return {"message": self._message(**fields)}

    def press_update(self, data: str, message: dict[str, Any]) -> dict[str, Any]:
        """The update Telegram sends for a press on `message`, not yet sent."""
        query = {
            "id": str(next(self.tg._callback_ids)),
            "from": self._from(),
            "message": message,
            "chat_instance": f"ci-{self.user_id}",
            "data": data,
        }
        return {"callback_query": query}

    async def send_text(self, text: str) -> dict[str, Any]:
        return await self.tg.push_update(self.text_update(text))

    async def send_command(self, command: str, payload: str = "") -> dict[str, Any]:
        return await self.send_text(f"{command} {payload}".strip())

    async def press(self, label: str, message: dict[str, Any] | None = None) -> dict[str, Any]:
        """Press the button whose text is `label` on the message (the latest with buttons)."""
        if message is None:
            message = next((m for m in reversed(self.messages) if self.keyboard(m)), None)
            if message is None:
                raise AssertionError("no message with buttons")
        data = dict(self.keyboard(message)).get(label)
        if data is None:
            raise AssertionError(f"no button {label!r} in {self.keyboard(message)}")
        return await self.press_data(data, message)

    async def press_data(self, data: str, message: dict[str, Any]) -> dict[str, Any]:
        return await self.tg.push_update(self.press_update(data, message))

    def old_press_update(self, data: str, message: dict[str, Any]) -> dict[str, Any]:
        """A press on a message Telegram no longer shows the bot (older than 48 hours, or
        deleted): the query carries an InaccessibleMessage, only the chat, the message id
        and a date of 0, and the message can no longer be edited. Not yet sent."""
        self.tg.inaccessible.add((self.user_id, int(message["message_id"])))
        gone = {"chat": message["chat"], "message_id": message["message_id"], "date": 0}
        return self.press_update(data, gone)

    def inline_press_update(self, data: str) -> dict[str, Any]:
        """A press that comes with no message at all, as from a message sent in inline
        mode (only an inline_message_id). Not yet sent."""
        update = self.press_update(data, {})
        query = update["callback_query"]
        del query["message"]
        query["inline_message_id"] = f"inline-{query['id']}"
        return update

    async def press_old(self, label: str, message: dict[str, Any]) -> dict[str, Any]:
        """Press `label` on `message` after Telegram stopped showing it to the bot."""
        data = dict(self.keyboard(message)).get(label)
        if data is None:
            raise AssertionError(f"no button {label!r} in {self.keyboard(message)}")
        return await self.tg.push_update(self.old_press_update(data, message))

    async def share_contact(self, phone: str, own: bool = True) -> dict[str, Any]:
        contact: dict[str, Any] = {"phone_number": phone, "first_name": self.first_name}
        if own:
            contact["user_id"] = self.user_id
        else:
            contact["user_id"] = self.user_id + 1
        return await self.tg.push_update({"message": self._message(contact=contact)})

    def block(self) -> None:
        self.tg.blocked.add(self.user_id)

    async def block_and_tell(self) -> dict[str, Any]:
        """Block the bot as the app does: Telegram then sends a my_chat_member update."""
        self.block()
        return await self._member_update("member", "kicked")

    async def unblock(self) -> dict[str, Any]:
        """Unblock without writing: only the my_chat_member update arrives."""
        self.tg.blocked.discard(self.user_id)
        return await self._member_update("kicked", "member")

    async def _member_update(self, old: str, new: str) -> dict[str, Any]:
        def member(status: str) -> dict[str, Any]:
            fields: dict[str, Any] = {"user": self.tg._bot_user(), "status": status}
            if status == "kicked":
                fields["until_date"] = 0
            return fields

        change = {
            "chat": self.tg.chats[self.user_id],
            "from": self._from(),
            "date": int(time.time()),
            "old_chat_member": member(old),
            "new_chat_member": member(new),
        }
        return await self.tg.push_update({"my_chat_member": change})

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        return await self.tg.wait_for(self.user_id, count, timeout)

    async def next_messages(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Wait for `count` new messages since the last call and return them."""
        await self.wait_for(self._seen + count, timeout)
        new = self.messages[self._seen :]
        self._seen = len(self.messages)
        return new
