"""Canned replies for agents, per language, with {name}, {amount} and {date} filled in
the borrower's language and format. Kept as data in dialogs/console/canned_replies.yaml (beside, not among, the scripts)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, field_validator

from bot.domain.accounts import LOCALES

PLACEHOLDERS = frozenset({"name", "amount", "date"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class CannedReply(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: dict[str, str]
    text: dict[str, str]

    @field_validator("title", "text")
    @classmethod
    def _every_language(cls, value: dict[str, str]) -> dict[str, str]:
        missing = set(LOCALES) - set(value)
        if missing:
            raise ValueError(f"missing language(s) {sorted(missing)}")
        for text in value.values():
            unknown = set(_PLACEHOLDER.findall(text)) - PLACEHOLDERS
            if unknown:
                raise ValueError(f"unknown placeholder(s) {sorted(unknown)}")
        return value


class CannedReplies(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    replies: tuple[CannedReply, ...]


@lru_cache(maxsize=4)
def load(path: Path) -> tuple[CannedReply, ...]:
    if not path.is_file():
        return ()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return CannedReplies.model_validate(data).replies


def fill(template: str, values: dict[str, str]) -> str:
    """One pass: a value that looks like a placeholder ("{amount}" in a name) stays as it is."""
    pieces = _PLACEHOLDER.split(template)
    return "".join(
        values.get(piece, "") if odd else piece
        for odd, piece in ((i % 2 == 1, p) for i, p in enumerate(pieces))
    )
