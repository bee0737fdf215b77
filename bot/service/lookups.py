"""A query's rows for a list of keys (account ids, tickets), as a fixed set of
statements whatever the list's length.

PostgreSQL takes the whole list as one array parameter: one statement text and one
prepared statement whatever the length, planned from the table's statistics. An IN
list renders one statement text per length, and the drivers keep a prepared
statement per text (sqlite3 up to 128 a connection, asyncpg up to 100, each with its
plan on the server): lists of every length from 1 to 1,000 would fill both with
statements used once. So elsewhere each list is padded (its last value repeated,
which changes nothing in an IN) to one of a few lengths.

The statements are built once, here: one built per call would clone its bound
parameters, and SQLAlchemy's cloned parameters sit in a reference cycle that keeps a
batch's values until the cyclic collector runs (docs/performance.md, memory).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

SHAPES = (4, 16, 64, 256, 1_024)
CHUNK = SHAPES[-1]  # keys looked up at once in an IN list


def shaped(values: Sequence[str]) -> list[str]:
    """`values` (1 to CHUNK of them) padded to the next length of SHAPES."""
    size = next(shape for shape in SHAPES if shape >= len(values))
    return [*values, *[values[-1]] * (size - len(values))]


def chunks(values: Sequence[str]) -> list[list[str]]:
    """`values` as IN lists of CHUNK at most, each of one of the SHAPES."""
    return [shaped(values[start : start + CHUNK]) for start in range(0, len(values), CHUNK)]


class Lookup:
    """`query`'s rows whose `column` (a string) is one of the values given."""

    def __init__(self, query: Select[Any], column: Any) -> None:
        self.listed = query.where(column.in_(bindparam("keys", expanding=True)))
        self.arrayed = query.where(column == any_(bindparam("keys", type_=ARRAY(String))))

    async def __call__(self, session: AsyncSession, values: Sequence[str]) -> list[Any]:
        if not values:
            return []
        if session.get_bind().dialect.name == "postgresql":
            return list((await session.execute(self.arrayed, {"keys": list(values)})).all())
        found: list[Any] = []
        for chunk in chunks(values):
            found += (await session.execute(self.listed, {"keys": chunk})).all()
        return found
