"""Word lists the features and rules look for (several languages; features never depend on them alone)."""

from __future__ import annotations

import functools
import re

# Characters that make an alternative start with something other than a plain literal character.
_SPECIAL = frozenset("\\()[]^$.*+?{}|")
_QUANTIFIERS = frozenset("?*+{")


def alternatives(alternation: str) -> list[str]:
    """The top-level alternatives of a regex alternation (``|`` inside groups or character
    classes does not split)."""
    parts, depth, start, index = [], 0, 0, 0
    while index < len(alternation):
        char = alternation[index]
        if char == "\\":
            index += 1
        elif char == "[":
            index = _class_end(alternation, index)
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(alternation[start:index])
            start = index + 1
        index += 1
    parts.append(alternation[start:])
    return parts


def _class_end(pattern: str, start: int) -> int:
    """The index of the ``]`` that closes the character class opened at ``start``."""
    index = start + 1
    index += pattern.startswith("^", index)
    index += pattern.startswith("]", index)  # a "]" first in the class is a member
    while pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index


def literal_start(alternative: str) -> tuple[str, str]:
    """An alternative's first character and the rest; ValueError unless that first character is
    a plain literal, matched once (not special, not quantified)."""
    first, rest = alternative[:1], alternative[1:]
    if not first or first in _SPECIAL or rest[:1] in _QUANTIFIERS:
        raise ValueError(f"alternative {alternative!r} does not start with a literal character")
    return first, rest


def by_first_character(alternation: str) -> str:
    """The same alternation with its alternatives grouped by their (literal) first character.

    Under ``re.IGNORECASE`` it matches exactly what the original matches, the first matching
    alternative first (alternatives whose first characters differ, ignoring case, never both match
    at one position), but the regex engine rejects a position after one test per first character
    instead of one per alternative.
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives(alternation):
        first, rest = literal_start(alternative)
        groups.setdefault(first.lower(), []).append(rest)
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


def first_characters(alternation: str) -> str:
    """The first characters of an alternation's alternatives, escaped for a character class."""
    return "".join(sorted({re.escape(alternative[:1]) for alternative in alternatives(alternation)}))


# Headings that end the article and open a block of other articles or site chrome.
SECTION_END = (
    r"related|recommended|more from|more on|more stories|more news|more in|more articles|read more|"
    r"read next|read also|also read|see also|you may also|you might also|you may like|popular|"
    r"most read|most viewed|most shared|trending|latest news|latest stories|top stories|opinion|"
    r"comments?|leave a (?:comment|reply)|join the (?:conversation|discussion)|share this|tags?|"
    r"topics|further reading|around the web|sponsored|promoted|editor'?s picks|our picks|also on|"
    r"in other news|what to read next|don'?t miss|recent posts|from the web|"
    r"mehr zum thema|weitere artikel|das könnte sie auch interessieren|lesen sie auch|kommentare|"
    r"ähnliche artikel|meistgelesen|à lire aussi|lire aussi|sur le même sujet|articles similaires|"
    r"commentaires|te puede interesar|noticias relacionadas|más noticias|comentarios|"
    r"相关|推荐|热门|延伸阅读|猜你喜欢|评论|更多|関連"
)
SECTION_END_RE = re.compile(rf"^\W*(?:{by_first_character(SECTION_END)})\b", re.IGNORECASE)

# Words of site chrome: ads, promos, sharing, accounts, legal, navigation.
CHROME_WORDS = (
    r"advertisement|advertising|anzeige|publicité|sponsored|subscribe|subscription|newsletter|"
    r"sign up|sign in|log ?in|log out|register|cookies?|privacy|terms of (?:use|service)|copyright|"
    r"all rights reserved|share|tweet|facebook|twitter|whatsapp|linkedin|pinterest|reddit|e-?mail|"
    r"print|download the app|app store|google play|follow us|skip to|menu|search|home|contact us|"
    r"about us|back to top|click here|loading|javascript|free trial|paywall|premium|"
    r"teilen|abonnieren|anmelden|partager|s'abonner|compartir|suscríbete|分享|登录|注册|订阅|广告|版权"
)
CHROME_WORDS_RE = re.compile(rf"(?:{by_first_character(CHROME_WORDS)})", re.IGNORECASE)

MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember|"
    r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
)
WEEKDAYS = (
    r"mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|"
    r"sun(?:day)?|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|"
    r"jeudi|vendredi|samedi|dimanche"
)
_MONTHS = by_first_character(MONTHS)
# A weekday name: the one kind of date without a digit.
WEEKDAY_RE = re.compile(rf"\b(?:{by_first_character(WEEKDAYS)})\b", re.IGNORECASE)
# Every date starts with a digit or a month or weekday name: the lookahead skips other positions.
DATE_RE = re.compile(
    rf"(?=[\d{first_characters(MONTHS)}{first_characters(WEEKDAYS)}])(?:"
    rf"\b\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}\b|\b\d{{4}}[./-]\d{{1,2}}[./-]\d{{1,2}}\b|"
    rf"\b\d{{1,2}}:\d{{2}}\b|\d{{4}}年\d{{1,2}}月|\b(?:{_MONTHS})\.?\s+\d{{1,2}}\b|"
    rf"\b\d{{1,2}}\.?\s+(?:{_MONTHS})\b|{WEEKDAY_RE.pattern}|"
    rf"\b\d+\s+(?:hours?|minutes?|days?|mins?)\s+ago\b)",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d")


# Texts whose date test is remembered: the features, the metadata rules and the page features
# test the same short blocks of one page (a few hundred). Kept small: the features test a long
# block's first 300 characters, a string of its own that the cache would keep alive.
DATE_CACHE = 1 << 12


# The same patterns without IGNORECASE, for ASCII text lower-cased first: their letters are all
# lower-case. Measured on the dev pages' distinct blocks (first 300 characters): chrome words 12.8
# against 6.0 us a block, dates 7.7 against 6.9. (URL_RE and CAPTION_RE gained nothing this way:
# they start with a lookahead on their first characters, which IGNORECASE does not slow.) Other
# text keeps the IGNORECASE patterns, as lower() is not the regex engine's case folding beyond
# ASCII (tests/test_lexicon.py).
_CHROME_WORDS_ASCII_RE = re.compile(CHROME_WORDS_RE.pattern)
_DATE_ASCII_RE = re.compile(DATE_RE.pattern)
_WEEKDAY_ASCII_RE = re.compile(WEEKDAY_RE.pattern)


def count_chrome_words(text: str) -> int:
    """How many times ``CHROME_WORDS_RE`` matches in the text."""
    if text.isascii():
        return len(_CHROME_WORDS_ASCII_RE.findall(text.lower()))
    return len(CHROME_WORDS_RE.findall(text))


@functools.lru_cache(maxsize=DATE_CACHE)
def has_date(text: str) -> bool:
    """Whether ``DATE_RE`` finds a date in the text (without a digit only a weekday can match)."""
    date, weekday = DATE_RE, WEEKDAY_RE
    if text.isascii():
        text, date, weekday = text.lower(), _DATE_ASCII_RE, _WEEKDAY_ASCII_RE
    return bool(date.search(text) if _DIGIT_RE.search(text) else weekday.search(text))


# Words that introduce a byline or a date stamp.
META_LEAD_RE = re.compile(
    r"^\W*(?:by|von|par|por|door|di|作者|记者|published|updated|posted|last updated|modified|"
    r"veröffentlicht|aktualisiert|publié|mis à jour|publicado|actualizado|source|quelle|"
    r"reporting by|writing by|editing by|photo|foto)\b",
    re.IGNORECASE,
)
