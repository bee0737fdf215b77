"""The splitter's edges: exactly at the limit, one over, a line longer than a message,
tags and entities never cut. Each HTML part is read back with the Bot API stand-in's
own parser, which refuses unbalanced tags as Telegram does."""

from __future__ import annotations

from html import escape

import pytest

from bot.service.split import MESSAGE_LIMITS, Piece, limit_for, split_message, visible_length
from tests.telegram.fake_bot_api import ApiError, parse_html


def _shown(pieces: list[Piece]) -> list[str]:
    """What Telegram would show for each part (its parser raises on broken HTML)."""
    return [parse_html(p.html)[0] if p.html is not None else p.text for p in pieces]


def _lines(count: int, width: int) -> str:
    return "\n".join(f"{i:04d} " + "x" * (width - 5) for i in range(count))


def test_the_limits_are_known_in_one_place() -> None:
    assert limit_for("telegram") == MESSAGE_LIMITS["telegram"] == 4096
    assert limit_for("terminal") is None
    long = _lines(100, 200)
    assert split_message(long, escape(long), None) == [Piece(long, escape(long))]


def test_exactly_at_the_limit_is_one_message() -> None:
    text = "a" * 40 + "\n" + "b" * 59  # 100 characters with the line break
    assert split_message(text, None, 100) == [Piece(text, None)]
    html = f"<b>{'a' * 40}</b>\n{'b' * 58}&amp;"  # tags and the entity are not counted
    assert visible_length(html) == 100
    assert split_message(text, html, 100) == [Piece(text, html)]


def test_one_over_the_limit_is_cut_at_the_line_break() -> None:
    text = "a" * 40 + "\n" + "b" * 60
    pieces = split_message(text, escape(text), 100)
    assert [p.text for p in pieces] == ["a" * 40, "b" * 60]
    assert _shown(pieces) == ["a" * 40, "b" * 60]


def test_lines_are_packed_in_order_and_none_is_lost() -> None:
    text = _lines(100, 200)  # 20,099 characters
    pieces = split_message(text, escape(text), 4096)
    assert len(pieces) == 5
    shown = _shown(pieces)
    assert all(len(part) <= 4096 for part in shown)
    assert "\n".join(shown) == text
    assert [p.text for p in pieces] == shown


def test_a_single_huge_line_is_cut_at_spaces() -> None:
    words = [f"w{i:03d}" for i in range(400)]  # 400 words of 4 letters: 1,999 characters
    text = " ".join(words)
    pieces = split_message(text, escape(text), 500)
    shown = _shown(pieces)
    assert all(len(part) <= 500 for part in shown)
    assert " ".join(shown).split(" ") == words  # cut between words, never inside one
    assert all(not part.startswith(" ") and not part.endswith(" ") for part in shown)


def test_a_line_without_spaces_is_cut_where_the_limit_falls() -> None:
    text = "长" * 250
    pieces = split_message(text, escape(text), 100)
    assert [len(p) for p in _shown(pieces)] == [100, 100, 50]
    assert "".join(_shown(pieces)) == text


def test_entities_are_never_cut() -> None:
    text = "&" * 150
    html = escape(text)  # "&amp;" 150 times: 750 characters of HTML, 150 shown
    pieces = split_message(text, html, 100)
    assert [p.html for p in pieces] == ["&amp;" * 100, "&amp;" * 50]
    assert "".join(_shown(pieces)) == text


def test_a_bold_run_across_a_cut_is_closed_and_opened_again() -> None:
    html = "Total:\n<b>" + "\n".join(["1,234.00"] * 30) + "</b>\nend"
    text = parse_html(html)[0]
    pieces = split_message(text, html, 100)
    assert len(pieces) > 2
    for piece in pieces:
        shown, entities = parse_html(piece.html or "")  # raises if unbalanced
        assert shown == piece.text
        assert all(e["type"] == "bold" for e in entities)
    assert "\n".join(_shown(pieces)) == text
    # Every amount is still bold in whichever part it landed.
    bold = [b for p in pieces for b in _bold(p)]
    assert bold.count("1,234.00") == 30


def _bold(piece: Piece) -> list[str]:
    shown, entities = parse_html(piece.html or "")
    pieces = [shown[e["offset"] : e["offset"] + e["length"]] for e in entities]
    return [line for piece in pieces for line in piece.split("\n") if line]


def test_an_amount_is_not_cut_at_its_no_break_space() -> None:
    line = "x " * 40 + "<b>HK$\u00a06,510.00</b>"
    text = parse_html(line)[0]
    pieces = split_message(text, line, 90)
    assert any("HK$\u00a06,510.00" in p.text for p in pieces)


def test_the_last_part_keeps_room_for_the_answer() -> None:
    text = "a" * 60 + "\n" + "b" * 30  # 91: fits in 100, but not with 20 kept free
    pieces = split_message(text, None, 100, last_room=20)
    assert [p.text for p in pieces] == ["a" * 60, "b" * 30]
    assert split_message(text, None, 100, last_room=9) == [Piece(text, None)]
    long = _lines(50, 60)
    pieces = split_message(long, escape(long), 1000, last_room=300)
    assert len(pieces[-1].text) <= 700
    assert all(len(p.text) <= 1000 for p in pieces)
    assert "\n".join(p.text for p in pieces) == long


def test_emoji_count_as_telegram_counts_them() -> None:
    text = "🙂" * 60  # 60 characters, 120 UTF-16 units
    pieces = split_message(text, None, 100)
    assert [len(p.text) for p in pieces] == [50, 10]


def test_a_part_never_starts_with_blank_lines() -> None:
    text = "a" * 90 + "\n\n\n" + "b" * 90
    pieces = split_message(text, escape(text), 100)
    assert [p.text for p in pieces] == ["a" * 90, "b" * 90]


def test_the_stand_in_refuses_what_telegram_refuses() -> None:
    # The checks above lean on the stand-in's parser: it must fail on a cut tag.
    with pytest.raises(ApiError):
        parse_html("<b>open")
