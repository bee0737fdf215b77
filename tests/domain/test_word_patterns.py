"""How lint word lists become patterns: whole English words, Chinese anywhere, longest first.

(The understanding layer's word lists are tested in tests/understanding/test_word_cues.py.)

The builders run once, when their module is imported, to compile the shipped
lists. These tests call them on small lists of their own so that each rule of
the builders is stated (and so that mutation testing, which switches a mutant
on only while tests run, sees them too).
"""

from __future__ import annotations

import re

from bot.domain.compliance import _pattern
from bot.domain.threat_patterns import _words


def test_lint_phrases_report_the_longest_phrase_at_a_place() -> None:
    pattern = _pattern(("court", "court order", "court", "order"))
    assert [m.group(0) for m in pattern.finditer("A Court Order and a court.")] == [
        "Court Order",
        "court",
    ]


def test_lint_phrases_in_english_are_whole_words_in_chinese_anywhere() -> None:
    pattern = _pattern(("sued", "逮捕"))
    assert pattern.search("You will be SUED.")
    assert not pattern.search("We pursued the matter.")
    assert pattern.search("你会被逮捕")
    assert pattern.search("逮捕")


def test_word_alternatives_form_one_group() -> None:
    # A suffix after the group applies to every alternative.
    pattern = re.compile(rf"\b{_words('son', 'daughter')}s\b")
    assert pattern.fullmatch("sons")
    assert pattern.fullmatch("daughters")
    assert not pattern.fullmatch("son")
    assert not pattern.search("daughter son")
    assert _words("a") == "(?:a)"
