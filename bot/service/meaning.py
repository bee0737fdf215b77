"""Read a typed message once, for the engine: the understanding layer's answer as engine data.

The engine is pure and never reads text for meaning, so the runtime reads the
message here (in the account's time zone and region, with the intent model
`build_app` made) and hands the engine a `Reading`: everything a later step may
want from the text, down to the value a question asks for (a number, a date).
Numeric dates follow the account region's order: "01/02/1995" from a US account
is 2 January, from a British one 1 February. Only a date that still reads two
ways (no region known, a Minguo year, "next Friday") keeps both readings, and
the engine asks which.

The runtime first matches a typed choice (choice_matching.py), then reads the
message: both take it from `prepared`, so the text is normalized and folded
once for the two.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from bot.domain.accounts import Account
from bot.domain.regions import region_of
from bot.engine.router import CONTACT_TIMES, QUIET_REQUEST
from bot.engine.types import Reading, Sense
from bot.understanding import CrisisLevel, Period, Prepared, prepare, understand
from bot.understanding.model import IntentModel
from bot.understanding.quiet_hours import (
    asks_about_contact_times,
    asks_for_quiet,
    read_quiet_windows,
)

# The runtime matches a typed choice and reads the same message with no await
# between the two, so a handful of entries is plenty; a miss costs one more
# preparation, never a wrong reading (the same text always prepares the same).
_PREPARED_KEPT = 16


@lru_cache(maxsize=_PREPARED_KEPT)
def prepared(text: str) -> Prepared:
    """The message prepared once (bot/understanding/text.py), for the choice matcher
    and the reading alike."""
    return prepare(text)


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
    message = prepared(text)
    found = understand(
        message,
        locale=locale,
        today=today,
        region=region,
        charges=account.charges,
        model=model,
    )
    amount = found.amount
    quiet = read_quiet_windows(message)
    cues = frozenset(cue.value for cue in found.cues)
    if asks_for_quiet(message, quiet):
        cues |= {QUIET_REQUEST}
    elif not quiet and asks_about_contact_times(message):
        cues |= {CONTACT_TIMES}
    return Reading(
        # Unfamiliar text has no likely meanings to offer: "not understood" instead.
        senses=()
        if found.unfamiliar
        else tuple(Sense(s.meaning.value, s.score) for s in found.intents),
        sure=found.sure,
        crisis=found.crisis,
        possible_crisis=found.crisis_level is CrisisLevel.POSSIBLE,
        safe=found.safe,
        hardship=found.hardship,
        answer=found.answer,
        amount=amount.value if amount is not None else None,
        monthly=amount is not None and amount.period is Period.MONTH,
        other_period=amount is not None and amount.period in (Period.WEEK, Period.FORTNIGHT),
        dates=in_region_order(found.dates, region),
        birth_dates=in_region_order(found.birth_dates, region),
        charges=found.charges,
        # The dispute's reason as the borrower wrote it, when the message gives one.
        charge_reason=found.text if found.charge_reason else "",
        all_of_it=found.all_of_it,
        cues=cues,
        value_amount=found.value_amount,
        number=found.number,
        value_date=found.value_date,
        quiet_windows=quiet,
    )
