"""The console speaks en, zh_Hans and zh_Hant, chosen per person, from its own catalogs."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n.build import CONSOLE_LOCALES, LOCALES_DIR, ROOT, extract_console
from bot.service import people
from bot.service.people import Role
from tests.runtime.conftest import NOW
from tests.web.conftest import PASSWORD, Console


def _ids(path: Path) -> set[str]:
    with path.open("rb") as source:
        return {str(m.id) for m in read_po(source) if m.id}


def test_the_console_template_is_up_to_date(tmp_path: Path) -> None:
    fresh = extract_console(ROOT, tmp_path / "console.pot")
    assert _ids(fresh) == _ids(LOCALES_DIR / "console.pot")


@pytest.mark.parametrize("locale", [c for c in CONSOLE_LOCALES if c != "en"])
def test_every_console_text_is_translated(locale: str) -> None:
    path = LOCALES_DIR / locale / "LC_MESSAGES" / "console.po"
    with path.open("rb") as source:
        catalog = read_po(source, locale=locale)
    untranslated = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []
    assert _ids(path) == _ids(LOCALES_DIR / "console.pot")


async def test_each_person_reads_the_console_in_their_language(console: Console) -> None:
    await console.escalation("l1", "T-HANT", "1978-12-24")
    async with console.chat.app.sessions() as session, session.begin():
        await people.add_user(
            session, name="wing", role=Role.AGENT, password=PASSWORD, now=NOW, locale="zh_Hant"
        )
    wing, csrf = await console.signed_in("wing")
    queue = (await wing.get("/queue")).text
    assert "待處理佇列" in queue and "要求真人服務" in queue and "逾期天數" in queue
    assert "HK$6,510.00" in queue  # the account's currency, as the reader's locale writes it
    mei, mei_csrf = await console.signed_in("mei")
    assert "Days past due" in (await mei.get("/queue")).text
    await mei.post("/me", data={"locale": "zh_Hans"}, headers={"X-CSRF-Token": mei_csrf})
    assert "逾期天数" in (await mei.get("/queue")).text
    assert csrf
