"""PTB over aiohttp: the form PTB would send, and PTB's own errors for timeouts and outages.

A small aiohttp server on 127.0.0.1 stands in for the Bot API; the conversation
tests drive the same transport through the whole PTB adapter.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram.ptb_transport import AiohttpRequest

Seen = dict[str, Any]


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Seen]]:
    seen: Seen = {}

    async def echo(request: web.Request) -> web.Response:
        seen["content_type"] = request.content_type
        if request.content_type.startswith("multipart/"):
            fields = {}
            async for part in await request.multipart():
                fields[part.name] = (part.filename, await part.read())  # type: ignore[union-attr]
            seen["fields"] = fields
        else:
            seen["fields"] = dict(await request.post())
        return web.json_response({"ok": True, "result": True})

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/echo", echo)
    app.router.add_post("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


async def test_plain_parameters_go_url_encoded_as_ptb_sends_them(
    server: tuple[str, Seen],
) -> None:
    base, seen = server
    request = AiohttpRequest()
    await request.initialize()
    try:
        data = RequestData(
            [RequestParameter("chat_id", 42, []), RequestParameter("text", "你好", [])]
        )
        status, body = await request.do_request(f"{base}/echo", "POST", data)
    finally:
        await request.shutdown()
    assert status == 200
    assert b'"ok": true' in body or b'"ok":true' in body
    assert seen["content_type"] == "application/x-www-form-urlencoded"
    assert seen["fields"] == {"chat_id": "42", "text": "你好"}


async def test_a_file_goes_multipart_with_its_name(server: tuple[str, Seen]) -> None:
    base, seen = server
    request = AiohttpRequest()
    await request.initialize()
    try:
        document = RequestParameter.from_input("document", InputFile(b"IOU", filename="a.txt"))
        data = RequestData([RequestParameter("chat_id", 7, []), document])
        assert data.contains_files
        status, _ = await request.do_request(f"{base}/echo", "POST", data)
    finally:
        await request.shutdown()
    assert status == 200
    assert seen["content_type"] == "multipart/form-data"
    assert seen["fields"]["chat_id"] == (None, b"7")
    assert seen["fields"]["document"] == ("a.txt", b"IOU")


async def test_an_answer_slower_than_the_read_timeout_is_ptbs_timed_out(
    server: tuple[str, Seen],
) -> None:
    base, _ = server
    request = AiohttpRequest(read_timeout=0.2, write_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"{base}/slow", "POST", None)
        # A longer budget for this one call (as getUpdates asks) is honoured.
        status, _ = await request.do_request(f"{base}/slow", "POST", None, read_timeout=5)
    finally:
        await request.shutdown()
    assert status == 200


async def test_nobody_listening_is_ptbs_network_error() -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError, match="aiohttp"):
            await request.do_request("http://127.0.0.1:9/getMe", "POST", None)
    finally:
        await request.shutdown()


async def test_a_request_before_initialize_or_after_shutdown_is_refused() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/getMe", "POST", None)
    await request.initialize()
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/getMe", "POST", None)
