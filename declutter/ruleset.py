"""User rules: keep/drop phrases and regular expressions from a TOML file, optionally per host or
URL pattern, applied last as named rules (``rule:user:<name>`` in a line's reason).

    [[rule]]
    name = "newsletter"             # letters, digits, - and _
    action = "drop"                 # or "keep"
    phrases = ["Sign up for our newsletter"]   # a block containing one (case-insensitive)
    patterns = ['^Read more:']      # or matching one (Python regular expressions, searched)
    hosts = ["example.com"]         # optional: only pages from these hosts or their subdomains
    urls = ['^https://example\\.com/news/']    # optional: only pages whose URL matches one

Rules are checked in file order and the first that fires decides; a rule with ``hosts`` or
``urls`` never fires on a page whose URL is unknown. The whole file is checked when it is loaded,
so a mistake is an error before the first page, never halfway through a batch.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from declutter.document import RULE_PREFIX, Verdict
from declutter.errors import DeclutterError
from declutter.labels import Label
from declutter.segmenter import Block

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

USER_PREFIX = RULE_PREFIX + "user:"
ACTIONS = {"keep": Label.BODY, "drop": Label.CHROME}
RULE_KEYS = frozenset({"name", "action", "phrases", "patterns", "hosts", "urls"})
NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class RulesError(DeclutterError, ValueError):
    """A rules file cannot be read or says something impossible."""


@dataclass(frozen=True)
class UserRule:
    """One named keep or drop rule."""

    name: str
    label: Label
    phrases: tuple[str, ...] = ()  # casefolded
    patterns: tuple[re.Pattern[str], ...] = ()
    hosts: tuple[str, ...] = ()  # lower case
    urls: tuple[re.Pattern[str], ...] = ()

    def applies_to(self, url: str | None) -> bool:
        """Whether the rule covers a page at this URL."""
        if not self.hosts and not self.urls:
            return True
        if url is None:
            return False
        host = (urlsplit(url).hostname or "").lower()
        in_host = not self.hosts or any(host == h or host.endswith("." + h) for h in self.hosts)
        return in_host and (not self.urls or any(p.search(url) for p in self.urls))

    def matches(self, text: str) -> bool:
        """Whether the rule fires on a block's text."""
        folded = text.casefold()
        return any(p in folded for p in self.phrases) or any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class RuleSet:
    """The rules of one file, in order, and where they came from."""

    rules: tuple[UserRule, ...]
    source: str = "<rules>"
    text: str = field(default="", repr=False, compare=False)  # the file as read (for run plans)

    def for_url(self, url: str | None) -> tuple[UserRule, ...]:
        """The rules that cover a page at this URL."""
        return tuple(rule for rule in self.rules if rule.applies_to(url))


def load_rules(path: str | Path) -> RuleSet:
    """Read and check a rules file; RulesError names the file and the mistake."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RulesError(f"{path}: cannot read the rules file: {error}") from error
    return parse_rules(text, str(path))


def parse_rules(text: str, source: str = "<rules>") -> RuleSet:
    """Rules from TOML text."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{source}: not valid TOML: {error}") from error
    unknown = set(data) - {"rule"}
    if unknown:
        raise RulesError(
            f"{source}: unknown top-level key(s) {', '.join(sorted(unknown))}; rules go in [[rule]]"
        )
    entries = data.get("rule", [])
    if not isinstance(entries, list):
        raise RulesError(f"{source}: 'rule' must be an array of tables ([[rule]])")
    rules = tuple(_rule(entry, f"{source}: rule {number}") for number, entry in enumerate(entries, 1))
    names = [rule.name for rule in rules]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise RulesError(f"{source}: rule name(s) used twice: {', '.join(duplicated)}")
    return RuleSet(rules, source, text)


def _rule(entry: Any, where: str) -> UserRule:
    if not isinstance(entry, dict):
        raise RulesError(f"{where}: must be a table")
    unknown = set(entry) - RULE_KEYS
    if unknown:
        raise RulesError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(RULE_KEYS))}"
        )
    name = entry.get("name")
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise RulesError(f"{where}: 'name' must be 1-64 letters, digits, - or _ (got {name!r})")
    where = f"{where} ({name})"
    action = entry.get("action")
    if action not in ACTIONS:
        raise RulesError(f'{where}: \'action\' must be "keep" or "drop" (got {action!r})')
    phrases = _strings(entry, "phrases", where)
    patterns = _patterns(_strings(entry, "patterns", where), where)
    if not phrases and not patterns:
        raise RulesError(f"{where}: give 'phrases' or 'patterns'")
    if any(not phrase.strip() for phrase in phrases):
        raise RulesError(f"{where}: an empty phrase would match every line")
    hosts = tuple(host.lower().strip(".") for host in _strings(entry, "hosts", where))
    urls = _patterns(_strings(entry, "urls", where), where)
    return UserRule(name, ACTIONS[action], tuple(p.casefold() for p in phrases), patterns, hosts, urls)


def _strings(entry: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RulesError(f"{where}: '{key}' must be a string or a list of strings")
    return tuple(value)


def _patterns(sources: Iterable[str], where: str) -> tuple[re.Pattern[str], ...]:
    compiled = []
    for source in sources:
        try:
            compiled.append(re.compile(source))
        except re.error as error:
            raise RulesError(f"{where}: bad regular expression {source!r}: {error}") from error
    return tuple(compiled)


def apply_user_rules(
    rules: tuple[UserRule, ...], blocks: list[Block], verdicts: list[Verdict]
) -> list[Verdict]:
    """Each block's verdict, overruled by the first user rule that fires on it (the model's
    probability stays as it was). A kept block that is already the title stays the title."""
    if not rules:
        return verdicts
    out = []
    for block, verdict in zip(blocks, verdicts, strict=True):
        rule = next((rule for rule in rules if rule.matches(block.text)), None)
        if rule is None:
            out.append(verdict)
            continue
        keep = rule.label is Label.BODY
        label = verdict.label if keep and verdict.label is Label.TITLE else rule.label
        out.append(Verdict(label, verdict.probability, USER_PREFIX + rule.name))
    return out
