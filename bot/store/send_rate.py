"""A bot token's sending slots in a row every process shares (PostgreSQL).

Each booking reads the row under a row lock (SELECT ... FOR UPDATE), applies the
pace's rule (bot.channels.telegram.pace.book_slot) and writes it back in the same
transaction: processes take slots one after another, never the same one. A 429's
pause is written to the same row, so every process waits it out.
"""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.telegram.pace import Booking, book_slot
from bot.store.tables import SendRateRow, table_of

RATES = table_of(SendRateRow)
r = RATES.c


class SharedSlots:
    def __init__(self, engine: AsyncEngine, key: str) -> None:
        self._engine = engine
        self._key = key
        self._ready = False

    async def _ensure(self) -> None:
        if self._ready:
            return
        try:
            async with self._engine.begin() as connection:
                found = await connection.execute(select(r.key).where(r.key == self._key))
                if found.first() is None:
                    await connection.execute(
                        insert(RATES).values(key=self._key, next_slot=0.0, paused_until=0.0)
                    )
        except IntegrityError:
            pass  # another process made it first
        self._ready = True

    async def book(self, now: float, interval: float, outreach: bool) -> Booking:
        await self._ensure()
        async with self._engine.begin() as connection:
            row = (
                await connection.execute(
                    select(r.next_slot, r.paused_until).where(r.key == self._key).with_for_update()
                )
            ).one()
            booking, next_slot = book_slot(
                float(row.next_slot), float(row.paused_until), now, interval, outreach
            )
            if next_slot != row.next_slot:
                await connection.execute(
                    update(RATES).where(r.key == self._key).values(next_slot=next_slot)
                )
        return booking

    async def pause_until(self, until: float) -> None:
        await self._ensure()
        async with self._engine.begin() as connection:
            await connection.execute(
                update(RATES)
                .where(r.key == self._key, r.paused_until < until)
                .values(paused_until=until)
            )

    async def paused_until(self) -> float:
        async with self._engine.connect() as connection:
            found = await connection.execute(select(r.paused_until).where(r.key == self._key))
            return float(found.scalar_one_or_none() or 0.0)
