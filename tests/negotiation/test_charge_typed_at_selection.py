"""A charge typed at the dispute's charge selection is that charge.

"the late fee, I paid on time" typed at "Which charges do you want to dispute?" got
"Sorry, I didn't understand that". A message that names a charge now chooses it
(whatever else it is read to mean); when it also says why, it is the dispute's reason
as written and the dispute is recorded without asking again; naming the charge
alone, the reason is asked for. Driven through the runtime, SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.service.text import clean_text
from bot.store.tables import DisputeRow
from tests.negotiation.test_one_arrangement import _tap
from tests.runtime.conftest import WebChat

# account, birth, the charge and why, the charge alone, its id, a reason asked for
WHO = {
    "en": (
        "T-EN",
        "1990-05-17",
        "the late fee, I paid on time",
        "the late fee",
        "T-EN-F",
        "I paid before the due date",
    ),
    "zh_Hans": ("T-HANS", "1985年3月9日", "滞纳金不合理，我是按时还款的", "滞纳金", "T-HANS-F", "我按时还了"),
    "zh_Hant": ("T-HANT", "1978年12月24日", "年費唔應該收，我已經取消咗張卡", "年費", "T-HANT-A", "我已經取消咗張卡"),
}  # fmt: skip
DISPUTE_BUTTON = 3  # the menu: pay in full, installments, more time, dispute


async def _disputes(web: WebChat, account: str) -> list[DisputeRow]:
    async with web.app.sessions() as session:
        query = select(DisputeRow).where(col(DisputeRow.account_id) == account)
        return list((await session.execute(query)).scalars())


async def _at_selection(web: WebChat, user: str, locale: str) -> str:
    account, birth, *_ = WHO[locale]
    await web.verify(user, account, birth)
    await _tap(web, user, DISPUTE_BUTTON)
    return account


@pytest.mark.rule("R8")
@pytest.mark.parametrize("locale", list(WHO))
async def test_a_charge_and_its_reason_typed_at_the_selection_are_the_dispute(
    web: WebChat, locale: str
) -> None:
    user = f"why-{locale}"
    account = await _at_selection(web, user, locale)
    _, _, said, _, charge, _ = WHO[locale]
    await web.say(user, said)
    (dispute,) = await _disputes(web, account)
    # As the runtime keeps every message (full-width punctuation folded).
    assert (dispute.charge_ids, dispute.reason) == ([charge], clean_text(said))


@pytest.mark.rule("R8")
@pytest.mark.parametrize("locale", list(WHO))
async def test_a_charge_named_alone_is_chosen_and_the_reason_asked(
    web: WebChat, locale: str
) -> None:
    user = f"alone-{locale}"
    account = await _at_selection(web, user, locale)
    _, _, _, named, charge, reason = WHO[locale]
    (asked,) = await web.say(user, named)
    assert asked.buttons == ()  # the reason question: words, no buttons
    assert await _disputes(web, account) == []
    await web.say(user, reason)
    (dispute,) = await _disputes(web, account)
    assert (dispute.charge_ids, dispute.reason) == ([charge], clean_text(reason))


async def test_words_that_name_no_charge_ask_again_with_the_charges(web: WebChat) -> None:
    await _at_selection(web, "none", "en")
    before = [label for label, _ in web.sender.sent["none"][-1].buttons]
    replies = await web.say("none", "I paid on time")
    # The charges listed again, none ticked.
    assert [label for label, _ in replies[-1].buttons] == before
    assert await _disputes(web, "T-EN") == []
