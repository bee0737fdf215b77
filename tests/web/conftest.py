"""The console and the API through a real ASGI client, on a real database, with
escalations opened by borrowers talking through the third test channel."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from bot.service import people
from bot.service.people import Role
from bot.web.app import create_app
from tests.runtime.conftest import NOW, WebChat, web  # noqa: F401 - the fixture

PASSWORD = "correct horse battery"
TOKEN_ROLES = ("agent", "supervisor")


@dataclass
class Console:
    chat: WebChat
    web: FastAPI
    tokens: dict[str, str]

    def client(self, **headers: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.web), base_url="http://console", headers=headers
        )

    def api(self, who: str = "agent") -> httpx.AsyncClient:
        return self.client(Authorization=f"Bearer {self.tokens[who]}")

    async def signed_in(self, name: str) -> tuple[httpx.AsyncClient, str]:
        """A browser signed in as `name`, and its session's CSRF token."""
        client = self.client()
        page = await client.get("/login")
        login_csrf = _hidden(page.text, "csrf")
        done = await client.post(
            "/login", data={"name": name, "password": PASSWORD, "csrf": login_csrf}
        )
        assert done.status_code == 303 and done.headers["location"] == "/queue", done.text
        queue = await client.get("/queue")
        return client, _csrf_header(queue.text)

    async def escalation(self, user: str, account: str = "T-EN", birth: str = "1990-05-17") -> str:
        """A borrower links, verifies and asks for a person; returns the ticket."""
        await self.chat.say(user, f"/start {await self.chat.link(account)}")
        await self.chat.say(user, birth)
        (handoff,) = await self.chat.say(user, "/human")
        found = re.search(r"T-[0-9A-Z]+", handoff.text)
        assert found, handoff.text
        return found.group(0)


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no hidden {name}"
    return found.group(1)


def _csrf_header(html: str) -> str:
    found = re.search(r'"X-CSRF-Token": "([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture
async def console(web: WebChat) -> AsyncIterator[Console]:  # noqa: F811 - the fixture above
    tokens = {}
    async with web.app.sessions() as session, session.begin():
        for name, role in (
            ("mei", Role.AGENT),
            ("ken", Role.AGENT),
            ("sue", Role.SUPERVISOR),
            ("ada", Role.ADMIN),
        ):
            await people.add_user(session, name=name, role=role, password=PASSWORD, now=NOW)
        for role_name in TOKEN_ROLES:
            tokens[role_name] = await people.add_token(
                session, name=f"crm-{role_name}", role=Role(role_name), now=NOW
            )
    yield Console(web, create_app(web.app), tokens)
