"""evaluation: the baselines, and scoring systems per dataset and overall."""

from __future__ import annotations

from declutter.corpus import Record
from declutter.evaluation import OVERALL, c4_rules, evaluate, format_table, keep_all, line_labels

GOLD = "Storm closes roads\nHeavy rain closed several coastal roads on Sunday, officials said."


def _record(dataset: str = "toy") -> Record:
    dump = (
        "Home\nStorm closes roads\nHeavy rain closed several coastal roads on Sunday, officials said.\nShare"
    )
    return Record("1", dataset, "dev", "", "", "", dump, GOLD, "", "", "", "")


def test_baselines() -> None:
    lines = ["Home", "Heavy rain closed the roads.", "Yes.", "Two words."]
    assert keep_all(_record(), lines) == [True] * 4
    assert c4_rules(_record(), lines) == [False, True, False, False]


def test_line_labels_follow_the_alignment() -> None:
    record = _record()
    assert line_labels(record, record.dump.split("\n")) == [False, True, True, False]


def test_evaluate_scores_per_dataset_and_overall() -> None:
    records = [_record("a"), _record("b")]
    results = evaluate(records, lambda r: r.dump, {"keep-all": keep_all}, {"gold": lambda r: r.gold})
    assert set(results["keep-all"]) == {"a", "b", OVERALL}
    gold_score = results["gold"][OVERALL]["token"]
    assert gold_score is not None and gold_score.f1 == 1.0 and gold_score.n == 2
    keep = results["keep-all"][OVERALL]
    assert keep["line"] is not None and keep["line"].recall == 1.0
    assert "keep-all" in format_table(results)


def test_evaluate_without_line_scores_gives_the_same_token_scores() -> None:
    records = [_record("a"), _record("b")]
    full = evaluate(records, lambda r: r.dump, {"keep-all": keep_all}, {})["keep-all"][OVERALL]
    tokens_only = evaluate(records, lambda r: r.dump, {"keep-all": keep_all}, {}, line_scores=False)
    assert tokens_only["keep-all"][OVERALL]["line"] is None
    assert tokens_only["keep-all"][OVERALL]["token"] == full["token"]


def test_declutter_system_returns_one_flag_per_rendered_line() -> None:
    from declutter import Declutter, Settings
    from declutter.evaluation import declutter_system

    system = declutter_system(Declutter(Settings(rules_only=True)))
    for lines in (["a", ""], ["a", "", ""], ["", "b"], ["x"]):
        assert len(system(_record(), lines)) == len(lines)
