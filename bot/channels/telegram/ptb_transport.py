"""PTB's Bot API requests over aiohttp instead of httpx.

PTB lets an application bring its own `BaseRequest`. Its default, httpx with
httpcore and anyio underneath, cost about a quarter of the bot's CPU under the
full-stack bench: most of the difference between the PTB and the aiogram
adapter for the same conversations. aiohttp is already here (aiogram uses it),
and everything above the transport stays PTB's: the same Bot methods, the same
parsing of answers, the same errors (TimedOut, NetworkError) for the adapter to
translate.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """One aiohttp session for one kind of call (PTB keeps getUpdates apart from the rest)."""

    __slots__ = ("_connect_timeout", "_connections", "_read_timeout", "_session", "_write_timeout")

    def __init__(
        self,
        *,
        connections: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        # aiohttp has no separate write timeout: a request's sending and its answer
        # share the read budget, which is the longer of the two (getUpdates waits).
        read = _chosen(read_timeout, self._read_timeout)
        write = _chosen(write_timeout, self._write_timeout)
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=_chosen(connect_timeout, self._connect_timeout),
            sock_read=None if read is None or write is None else max(read, write),
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _chosen(given: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(given, DefaultValue) else given


def _body(request_data: RequestData | None) -> Any:
    """Form fields as httpx would send them: url-encoded, or multipart with files."""
    if request_data is None:
        return None
    if not request_data.contains_files:
        return request_data.json_parameters
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
