"""The understanding layer: what a borrower means, in English and Chinese.

Between the channels and the engine, and the one vocabulary of meanings
(`Meaning`, the crisis lexicon, the word cues). Pure at run time: the intent
model is built or loaded once, by `build_app` (bot/bootstrap.py) or
`repaybot nlu train`, and handed to every call, which is then a function of its
arguments. A message is prepared once (`prepare`: the one place text is
normalized and case-folded) and every reader takes that `Prepared` value.
Entry points:

- `prepare(text)` -> `Prepared`: the message in every form a reader matches on
- `understand(text or prepared, locale=, today=, region=, charges=, model=)` -> `Understanding`
- `crisis_of(text or prepared, model=)`: the crisis check alone (sure, possible, none; R12)
- `is_crisis(text or prepared, model=)`: whether it is a sure crisis
- `yes_or_no(prepared)`: a plain yes or no at a confirmation
- `parse_dates(prepared, today=, region=)`: payment dates, absolute or relative
- `parse_birth_dates(prepared, today=, region=)`: every reading of a birth date
- `find_amount(prepared)`: an amount with its currency and period
"""

from bot.understanding.amounts import Amount, Period, find_amount
from bot.understanding.dates import parse_birth_dates, parse_dates
from bot.understanding.labels import CrisisLevel, Meaning
from bot.understanding.text import Prepared, prepare
from bot.understanding.understand import (
    Scored,
    Understanding,
    classify,
    crisis_of,
    is_crisis,
    understand,
)
from bot.understanding.yesno import yes_or_no

__all__ = [
    "Amount",
    "CrisisLevel",
    "Meaning",
    "Period",
    "Prepared",
    "Scored",
    "Understanding",
    "classify",
    "crisis_of",
    "find_amount",
    "is_crisis",
    "parse_birth_dates",
    "parse_dates",
    "prepare",
    "understand",
    "yes_or_no",
]
