"""Read a typed message once, for the engine: the understanding layer's answer as engine data.

The engine is pure and never reads text for meaning, so the runtime reads the
message here (in the account's time zone and region, with the intent model
`build_app` made) and hands the engine a `Reading`. Numeric dates follow the account region's order: "01/02/1995" from
a US account is 2 January, from a British one 1 February. Only a date that
still reads two ways (no region known, a Minguo year, "next Friday") keeps
both readings, and the engine asks which.
"""

from __future__ import annotations

from datetime import date

from bot.domain.accounts import Account
from bot.domain.regions import region_of
from bot.engine.types import Reading, Sense
from bot.understanding import Period, parse_birth_dates, understand
from bot.understanding.model import IntentModel


def account_region(account: Account) -> str | None:
    return region_of(account.timezone, account.phone)


def _swapped(first: date, second: date) -> bool:
    """The same numbers read day-first and month-first."""
    return first.year == second.year and (first.month, first.day) == (second.day, second.month)


def in_region_order(readings: tuple[date, ...], region: str | None) -> tuple[date, ...]:
    """With a known region, a day/month swap is no ambiguity: the region's reading wins."""
    if region is not None and len(readings) == 2 and _swapped(*readings):
        return readings[:1]
    return readings


def read_message(
    text: str,
    *,
    account: Account,
    locale: str,
    today: date,
    model: IntentModel,
) -> Reading:
    """What `text` means for this account on the borrower's `today`."""
    region = account_region(account)
    found = understand(
        text, locale=locale, today=today, region=region, charges=account.charges, model=model
    )
    amount = found.amount
    return Reading(
        # Unfamiliar text has no likely meanings to offer: "not understood" instead.
        senses=()
        if found.unfamiliar
        else tuple(Sense(s.meaning.value, s.score) for s in found.intents),
        sure=found.sure,
        crisis=found.crisis,
        hardship=found.hardship,
        answer=found.answer,
        amount=amount.value if amount is not None else None,
        monthly=amount is not None and amount.period is Period.MONTH,
        other_period=amount is not None and amount.period in (Period.WEEK, Period.FORTNIGHT),
        dates=in_region_order(found.dates, region),
        birth_dates=in_region_order(parse_birth_dates(text, today=today, region=region), region),
        charges=found.charges,
        all_of_it=found.all_of_it,
        cues=frozenset(cue.value for cue in found.cues),
    )
