"""How long the lender must keep a borrower's records (R17), and when they may go (R18).

The duty runs from an account's last activity: its last message in or out, its
last arrangement or payment, the lender's last change to it. Until the duty ends
nothing of it may be purged or erased; after, the retention job lets it go and an
erasure request is honoured.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class RecordsPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # R17: years every message and record is kept after the account's last activity
    # (US Reg F 1006.100: 3; a lender under a longer duty raises it).
    keep_years: int = Field(default=3, ge=1, le=30)


def years_before(moment: datetime, years: int) -> datetime:
    """The same day and time `years` earlier (29 February becomes 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def years_after(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)
