"""The console in a real headless Chromium (Debian's, driven by Playwright): an agent
signs in, takes an escalation, replies, sees the borrower's answer arrive without
reloading, and hands back to the bot. `make test` installs Debian's chromium
(.ci/services.sh); a machine without it fails here rather than skipping the gap,
unless a developer's quick loop sets REPAYBOT_TEST_SKIP_BROWSER=1."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket

import pytest

from bot.web.serve import serve_console
from tests.runtime.conftest import CHANNEL
from tests.web.conftest import PASSWORD, Console

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(
    os.environ.get("REPAYBOT_TEST_SKIP_BROWSER") == "1",
    reason="REPAYBOT_TEST_SKIP_BROWSER=1: a developer's quick loop without a browser",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_an_agent_works_a_conversation_in_the_browser(console: Console) -> None:
    from playwright.async_api import async_playwright, expect

    ticket = await console.escalation("b1")
    port = _free_port()
    stop = asyncio.Event()
    server = asyncio.create_task(serve_console(console.chat.app, port=port, stop=stop))
    try:
        async with async_playwright() as driver:
            browser = await driver.chromium.launch(
                executable_path=CHROMIUM,
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            page = await browser.new_page()
            await page.goto(f"http://127.0.0.1:{port}/login")
            await page.fill("input[name=name]", "mei")
            await page.fill("input[name=password]", PASSWORD)
            await page.click("button.primary")
            await page.click(f"a:has-text('{ticket}')")
            await expect(page.locator("form[action$='/take'] button")).to_be_visible()
            await page.locator("form[action$='/take'] button").click()
            await page.fill("#reply-text", "Hello, this is Mei from the team.")
            await page.locator("form[action$='/reply'] button").click()
            await expect(page.locator("li.agent").last).to_contain_text("Hello, this is Mei")
            await console.chat.app.outbox.deliver_chat(CHANNEL, "b1")
            assert console.chat.sender.sent["b1"][-1].text == "Hello, this is Mei from the team."
            await console.chat.say("b1", "Thank you, can I pay on Friday?")
            # Arrives through the event stream and htmx: no reload.
            await expect(page.locator("li.borrower").last).to_contain_text("pay on Friday")
            await page.select_option("form[action$='/hand-back'] select[name=state]", "menu")
            await page.locator("form[action$='/hand-back'] button").click()
            await expect(page.locator("li.event").last).to_contain_text("Handed back")
            await browser.close()
    finally:
        stop.set()
        await server
    await console.chat.app.outbox.deliver_chat(CHANNEL, "b1")
    assert "What would you like to do?" in console.chat.sender.sent["b1"][-1].text
