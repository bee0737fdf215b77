"""The understanding layer: what a borrower means, in English and Chinese.

Between the channels and the engine. Pure at run time: the intent model is
loaded once (built from data/nlu/train first if missing or stale) and then
every call is a function of its arguments. Entry points:

- `understand(text, locale=, today=, region=, charges=)` -> `Understanding`
- `is_crisis(text)`: the crisis check alone, run before anything else (R12)
- `yes_or_no(text)`: a plain yes or no at a confirmation
- `parse_dates(text, today=, region=)`: payment dates, absolute or relative
- `parse_birth_dates(text, today=, region=)`: every reading of a birth date
- `find_amount(text)`: an amount with its currency and period
"""

from bot.understanding.amounts import Amount, Period, find_amount
from bot.understanding.dates import parse_birth_dates, parse_dates
from bot.understanding.labels import Meaning
from bot.understanding.understand import (
    Scored,
    Understanding,
    classify,
    default_model,
    is_crisis,
    understand,
)
from bot.understanding.yesno import yes_or_no

__all__ = [
    "Amount",
    "Meaning",
    "Period",
    "Scored",
    "Understanding",
    "classify",
    "default_model",
    "find_amount",
    "is_crisis",
    "parse_birth_dates",
    "parse_dates",
    "understand",
    "yes_or_no",
]
