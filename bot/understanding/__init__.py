"""The understanding layer: what a borrower means, in English and Chinese.

Between the channels and the engine, and the one vocabulary of meanings
(`Meaning`, the crisis lexicon, the word cues). Pure at run time: the intent
model is built or loaded once, by `build_app` (bot/bootstrap.py) or
`repaybot nlu train`, and handed to every call, which is then a function of its
arguments. Entry points:

- `understand(text, locale=, today=, region=, charges=, model=)` -> `Understanding`
- `is_crisis(text, model=)`: the crisis check alone, run before anything else (R12)
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
    "find_amount",
    "is_crisis",
    "parse_birth_dates",
    "parse_dates",
    "understand",
    "yes_or_no",
]
