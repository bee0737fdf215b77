"""Telegram's sending limits as the lender's policy states them (issue 31 point 4).

Telegram lets one bot send about 30 messages a second overall and about one a
second to one chat; a lender who pays for broadcasts (Bot API's
`allow_paid_broadcast`, charged in Stars) may send up to 1,000 a second. The
default stays free. Pacing itself is bot/channels/telegram/pace.py.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

FREE_RATE = 30.0
PAID_RATE = 1000.0


class SendingPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # Pay Telegram for a higher rate (each message above the free rate costs Stars).
    allow_paid_broadcast: bool = False
    # Messages a second for the whole bot: at most 30 free, 1,000 paid.
    messages_per_second: float = Field(default=FREE_RATE, gt=0)
    # Seconds between two messages to one chat, after a short burst (a reply of a
    # few parts goes at once, a longer run at this pace).
    seconds_per_chat_message: float = Field(default=1.0, ge=0)
    chat_burst: int = Field(default=3, ge=1, le=20)

    @model_validator(mode="after")
    def _within_telegram(self) -> SendingPolicy:
        ceiling = PAID_RATE if self.allow_paid_broadcast else FREE_RATE
        if self.messages_per_second > ceiling:
            paid = "" if self.allow_paid_broadcast else " (set allow_paid_broadcast to go faster)"
            raise ValueError(
                f"messages_per_second {self.messages_per_second:g} is above Telegram's "
                f"{ceiling:g} a second{paid}"
            )
        return self
