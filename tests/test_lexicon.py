"""lexicon: word-list regexes regrouped for speed match exactly what the plain alternations match."""

from __future__ import annotations

import re

import pytest

from declutter.lexicon import (
    CHROME_WORDS,
    CHROME_WORDS_RE,
    DATE_RE,
    MONTHS,
    WEEKDAY_RE,
    WEEKDAYS,
    alternatives,
    by_first_character,
    count_chrome_words,
    first_characters,
    has_date,
)

SAMPLES = [
    "",
    "Advertisement",
    "SHARE this on Facebook and Twitter",
    "Sign up for our newsletter; log in or LogIn; e-mail or email",
    "Published Mon, 6 Jan 2024 04:58 | 3 hours ago | 2024年5月",
    "Dienstag, 12. März 2024 / mardi 5 décembre / martes 3 de marzo",
    "ſubscribe Kelvin \u212a Sharing homeless shareholders",
    "No date here at all, just words.",
    "TUESDAY, MARCH 5 | 3 HOURS AGO | Sat | SEPT. 12 | 12/03/2024 | 10:45",
    "PRIVACY POLICY | Terms Of Use | COOKIES | Follow Us | DOWNLOAD THE APP | Back To Top",
    "PRİVACY and pri\u0307vacy; İstanbul, Mon 4",
    "SATURDAY MORNING NEWS",
    "Posted MARCH 5",
]


def test_alternatives_split_at_the_top_level_only() -> None:
    assert alternatives(r"jan(?:uary)?|may|tue(?:s(?:day)?)?|a\|b") == [
        "jan(?:uary)?",
        "may",
        "tue(?:s(?:day)?)?",
        r"a\|b",
    ]
    assert first_characters("mon|Tue|march") == "Tm"


def test_alternatives_do_not_split_inside_character_classes() -> None:
    assert alternatives(r"a[(|]b|c[^]|]d|e[\]|]f|g") == ["a[(|]b", "c[^]|]d", r"e[\]|]f", "g"]


@pytest.mark.parametrize("words", [CHROME_WORDS, MONTHS, WEEKDAYS])
@pytest.mark.parametrize("text", SAMPLES)
def test_grouped_alternation_finds_the_same_matches(words: str, text: str) -> None:
    plain = re.compile(f"(?:{words})", re.IGNORECASE)
    grouped = re.compile(f"(?:{by_first_character(words)})", re.IGNORECASE)
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_alternatives_must_start_with_a_literal() -> None:
    with pytest.raises(ValueError, match="literal"):
        by_first_character(r"a?b|c")
    with pytest.raises(ValueError, match="literal"):
        by_first_character(r"(?:x)|y")


@pytest.mark.parametrize("text", SAMPLES)
def test_has_date_agrees_with_the_date_regex(text: str) -> None:
    assert has_date(text) == bool(DATE_RE.search(text))


@pytest.mark.parametrize("pattern", [CHROME_WORDS_RE, DATE_RE, WEEKDAY_RE])
def test_case_folded_patterns_spell_every_letter_in_lower_case(pattern: re.Pattern[str]) -> None:
    # the fast paths lower-case ASCII text and match without IGNORECASE: sound only for such patterns
    assert not any(c.isupper() for c in re.sub(r"\\.", "", pattern.pattern))


@pytest.mark.parametrize("text", SAMPLES)
def test_chrome_word_count_agrees_with_the_regex(text: str) -> None:
    assert count_chrome_words(text) == len(CHROME_WORDS_RE.findall(text))
