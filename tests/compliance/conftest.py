"""The Telegram harness and the terminal app, shared with tests/telegram and tests/conversations."""

from __future__ import annotations

from tests.conversations.conftest import app
from tests.telegram.conftest import bot, framework

__all__ = ["app", "bot", "framework"]
