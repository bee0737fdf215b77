"""Memos for what the engine works out from immutable models, kept safely.

Scripts and policies are frozen once loaded, so what is worked out from them can
be kept. Two rules make that safe: a memo on a model is kept with the very
objects it was made from (`kept_on`), because `model_copy` copies the instance
dict; and a model as a cache key is compared by identity (`Same`), because
comparing every field would cost more than the memo saves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


def kept_on(model: BaseModel, key: str, made_from: tuple[object, ...], build: Callable[[], T]) -> T:
    """What `build` makes from parts of a frozen model, kept in its instance dict
    (pydantic compares fields only) with the parts it was made from: model_copy
    copies the instance dict, and a copy with other contents must make its own
    rather than answer from the original's."""
    kept = model.__dict__.get(key)
    # Compared as tuples: each part is the very object nearly always, which a tuple
    # comparison answers by identity without comparing contents; a copy whose parts
    # are other but equal objects would make the same memo, so it may use it.
    if kept is not None and kept[0] == made_from:
        value: T = kept[1]
        return value
    made = build()
    model.__dict__[key] = (made_from, made)
    return made


class Same:
    """A policy (or a part of one) as a cache key: the same object, not an equal one,
    which would cost a comparison of every field. Policies are immutable once loaded,
    and the cache keeps each one alive while it holds it."""

    __slots__ = ("item",)

    def __init__(self, item: Any) -> None:
        self.item = item

    def __hash__(self) -> int:
        return id(self.item)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.item is self.item
