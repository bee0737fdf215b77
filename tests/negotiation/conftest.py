"""Negotiation tests drive the runtime through the web-chat channel of tests/runtime."""

from tests.runtime.conftest import web

__all__ = ["web"]
