"""ruleset: user keep/drop rules from TOML, scoped by host or URL, applied last under their names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SEEDS, load_fixture, with_settings

from declutter import Declutter, Label, RulesError, Settings
from declutter.cli import main
from declutter.ruleset import parse_rules

RULES = """
[[rule]]
name = "no-weather"
action = "drop"
phrases = ["Weather forecast"]

[[rule]]
name = "keep-notes"
action = "keep"
patterns = ['^Editor.s note:']

[[rule]]
name = "example-only"
action = "drop"
phrases = ["the council"]
hosts = ["example.com"]

[[rule]]
name = "news-section"
action = "drop"
patterns = ["schools"]
urls = ['^https://news\\.test/local/']
"""
PAGE = "\n\n".join(
    [
        "Council approves budget",
        "The council approved the new budget on Tuesday after a long debate about school funding.",
        "Weather forecast: sunny spells, 18C. The council meets again next week after the recess.",
        "Editor's note: this story was updated.",
        "Members said the plan would add teachers in every district and rebuild three schools.",
    ]
)


def test_a_rules_file_parses_into_named_rules() -> None:
    rules = parse_rules(RULES, "r.toml")
    assert [r.name for r in rules.rules] == ["no-weather", "keep-notes", "example-only", "news-section"]
    assert [r.label for r in rules.rules] == [Label.CHROME, Label.BODY, Label.CHROME, Label.CHROME]
    assert rules.rules[0].matches("WEATHER FORECAST today") and not rules.rules[0].matches("weather")


def test_host_and_url_scopes() -> None:
    rules = parse_rules(RULES)
    assert [r.name for r in rules.for_url(None)] == ["no-weather", "keep-notes"]
    assert "example-only" in [r.name for r in rules.for_url("https://www.example.com/a")]
    assert "example-only" not in [r.name for r in rules.for_url("https://notexample.com/a")]
    assert "news-section" in [r.name for r in rules.for_url("https://news.test/local/x")]
    assert "news-section" not in [r.name for r in rules.for_url("https://news.test/world/x")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[rule]\nname='x'", "not valid TOML"),
        ("[[rule]]\nname = 'a b'\naction='drop'\nphrases=['x']", "'name'"),
        ("[[rule]]\nname = 'a'\naction='delete'\nphrases=['x']", "'action'"),
        ("[[rule]]\nname = 'a'\naction='drop'", "give 'phrases' or 'patterns'"),
        ("[[rule]]\nname = 'a'\naction='drop'\npatterns=['(unclosed']", "bad regular expression"),
        ("[[rule]]\nname = 'a'\naction='drop'\nphrases=['']", "empty phrase"),
        ("[[rule]]\nname = 'a'\naction='drop'\nphrase=['x']", "unknown key"),
        ("[[rule]]\nname = 'a'\naction='drop'\nphrases=[1]", "list of strings"),
        (
            "[[rule]]\nname='a'\naction='drop'\nphrases=['x']\n[[rule]]\nname='a'\naction='keep'\nphrases=['y']",
            "twice",
        ),
        ("rules = 3", "unknown top-level"),
    ],
)
def test_mistakes_are_clear_errors(text: str, message: str) -> None:
    with pytest.raises(RulesError, match=message):
        parse_rules(text, "bad.toml")


def test_a_bad_file_fails_when_the_settings_are_made(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[[rule]]\nname = 'x'\naction = 'maybe'\nphrases = ['y']\n")
    with pytest.raises(RulesError, match=str(path)):
        Settings(rules=path)
    with pytest.raises(RulesError, match="cannot read"):
        Settings(rules=tmp_path / "missing.toml")


def _reasons(cleaner: Declutter, url: str | None = None) -> dict[str, tuple[Label, str]]:
    doc = cleaner.run(PAGE, url=url)
    return {line.text[:20]: (line.label, line.reason) for line in doc.lines if line.text}


def test_rules_overrule_the_model_under_their_names(cleaner: Declutter, tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    ruled = with_settings(cleaner, rules=path)
    plain = _reasons(cleaner)
    got = _reasons(ruled)
    assert got["Weather forecast: su"] == (Label.CHROME, "rule:user:no-weather")
    assert got["Editor's note: this "] == (Label.BODY, "rule:user:keep-notes")
    assert got["The council approved"] == plain["The council approved"]  # example-only: not this page
    on_example = _reasons(ruled, "https://example.com/story")
    assert on_example["The council approved"] == (Label.CHROME, "rule:user:example-only")
    local = _reasons(ruled, "https://news.test/local/budget")
    assert local["Members said the pla"][1] == "rule:user:news-section"


def test_an_html_page_is_scoped_by_its_canonical_url(cleaner: Declutter) -> None:
    rules = parse_rules("[[rule]]\nname='site'\naction='drop'\nphrases=['budget']\nhosts=['example.com']")
    page = (
        "<html><head><link rel='canonical' href='https://example.com/b'></head><body>"
        + "".join(f"<p>{block}</p>" for block in PAGE.split("\n\n"))
        + "</body></html>"
    )
    doc = with_settings(cleaner, rules=rules).run(page)
    assert "budget" not in doc.text.lower()
    assert any(line.reason == "rule:user:site" for line in doc.lines)


def test_cli_rules_apply_to_a_batch_and_a_bad_file_stops_it_at_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES)
    source = tmp_path / "pages.jsonl"
    records = [{"id": "a", "url": "https://example.com/1", "text": PAGE}, {"id": "b", "text": PAGE}]
    source.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert main(["clean", str(source), "--format", "jsonl", "--rules", str(rules), "-q"]) == 0
    a, b = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert "The council approved" not in a["text"] and "The council approved" in b["text"]
    assert "Weather forecast" not in a["text"] + b["text"]
    bad = tmp_path / "bad.toml"
    bad.write_text("[[rule]]\nname='x'\naction='keep'\n")
    out = tmp_path / "out"
    assert main(["clean", str(source), "-o", str(out), "--rules", str(bad), "-q"]) == 2
    assert "bad.toml" in capsys.readouterr().err and not out.exists()


def test_a_seed_page_is_unchanged_by_rules_that_do_not_fire(cleaner: Declutter) -> None:
    text = load_fixture(SEEDS[0]).text
    rules = parse_rules("[[rule]]\nname='never'\naction='drop'\nphrases=['zzzz-not-there']")
    assert with_settings(cleaner, rules=rules).run(text).to_dict(lines=True) == cleaner.run(text).to_dict(
        lines=True
    )
