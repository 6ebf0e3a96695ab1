"""peelwatch.evaluate: the contract's matching rules, and agreement with the reference scorer."""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from extract_expectations import SHARED

from peelwatch.evaluate import (
    below_floor,
    force_key,
    match_items,
    normalise,
    score_extraction,
    score_folder,
    similarity,
)

GOLD = {
    "source": "x.txt",
    "kind": "inspection_report",
    "force": "Avon and Somerset Constabulary",
    "cycle": "2021/22",
    "judgments": [
        {
            "scope": "area",
            "subject": "Investigating crime",
            "grade": "requires improvement",
            "evidence": "Investigating crime",
        },
        {
            "scope": "area",
            "subject": "Treatment of the public",
            "aliases": ["how it treats the public"],
            "grade": "good",
            "evidence": "treats the public",
        },
        {
            "scope": "area",
            "subject": "sharing information",
            "grade": "good",
            "optional": True,
            "evidence": "sharing",
        },
    ],
    "findings": [
        {
            "type": "area_for_improvement",
            "text": "The force should improve how it supervises investigations.",
            "evidence": "x",
        },
        {
            "type": "cause_of_concern",
            "text": "The force does not answer calls quickly enough.",
            "evidence": "x",
        },
    ],
    "responses": [{"finding": 1, "by": "pcc", "text": "I have funded more call handlers this year."}],
}
DOC = "Investigating crime requires improvement. The force treats the public well."


def test_normalise_and_force_key() -> None:
    assert normalise("  The Force’s “Good”  use-of   resources!") == "the force's good use of resources"
    assert (
        force_key("Avon and Somerset Police")
        == force_key("Avon and Somerset Constabulary")
        == "avon and somerset"
    )
    assert force_key("the Metropolitan Police Service") == "metropolitan"
    assert force_key(None) is None and force_key("Police") is None


def test_similarity_rules() -> None:
    assert similarity("Preventing crime", "preventing  CRIME") == 1.0
    assert (
        similarity("investigating crime", "how the force is investigating crime") == 0.95
    )  # contained, >= half
    assert similarity("crime", "investigating crime and reducing re-offending") < 0.75  # contained, too short
    assert similarity("", "x") == 0.0


def test_perfect_prediction_scores_one() -> None:
    pred = copy.deepcopy(GOLD)
    pred["judgments"] = [j for j in pred["judgments"] if not j.get("optional")]
    s = score_extraction(pred, GOLD, DOC)
    assert (s.kind, s.force, s.cycle) == (True, True, True)
    assert s.overall.f1 == 1.0
    assert (s.judgments.tp, s.findings.tp, s.responses.tp) == (2, 2, 1)


def test_optional_items_are_neutral_and_aliases_count() -> None:
    pred = {
        "kind": "inspection_report",
        "force": "Avon and Somerset Police",
        "cycle": "2021/22",
        "judgments": [
            {"subject": "how it treats the public", "grade": "good", "evidence": "treats the public"},
            {"subject": "Sharing information", "grade": "good", "evidence": "sharing"},  # optional: neutral
            {"subject": "Investigating crime", "grade": "good", "evidence": "nowhere"},  # wrong grade: fp
        ],
    }
    s = score_extraction(pred, GOLD, DOC)
    assert (s.judgments.tp, s.judgments.fp, s.judgments.fn) == (1, 1, 1)
    assert s.force  # renamed force still matches
    assert (s.evidence_real, s.evidence_total) == (1, 3)  # only "treats the public" is in DOC


def test_each_gold_item_matches_one_prediction() -> None:
    golds = [{"subject": "Preventing crime", "grade": "good"}]
    preds = [
        {"subject": "Preventing crime", "grade": "good"},
        {"subject": "preventing crime", "grade": "good"},
    ]
    from peelwatch.evaluate import judgment_score

    mapping, counts = match_items(preds, golds, judgment_score)
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 0)
    assert len(mapping) == 1


def test_matching_reassigns_to_fit_more_pairs() -> None:
    """A prediction gives way when another needs its item and it can take a different one."""
    from peelwatch.evaluate import judgment_score

    golds = [
        {"subject": "investigating crime", "grade": "good"},
        {"subject": "investigating crime and managing offenders", "grade": "good"},
    ]
    preds = [
        {"subject": "investigating crime and managing offenders", "grade": "good"},
        {"subject": "investigating crime", "grade": "good"},
    ]
    _, counts = match_items(preds, golds, judgment_score)
    assert counts.tp == 2


def test_responses_follow_the_finding_mapping() -> None:
    pred = {
        "findings": [
            {"type": "cause_of_concern", "text": "The force does not answer calls quickly enough."},
            {
                "type": "area_for_improvement",
                "text": "The force should improve how it supervises investigations.",
            },
        ],
        "responses": [
            {
                "finding": 0,
                "by": "pcc",
                "text": "I have funded more call handlers this year.",
            },  # maps to gold 1: ok
            {
                "finding": 1,
                "by": "pcc",
                "text": "I have funded more call handlers this year.",
            },  # wrong finding
        ],
    }
    s = score_extraction(pred, GOLD, DOC)
    assert s.findings.tp == 2
    assert (s.responses.tp, s.responses.fp, s.responses.fn) == (1, 1, 0)


def test_finding_head_similarity_and_type() -> None:
    longer = "The force should improve how it supervises investigations. It should act soon."
    pred = {
        "findings": [
            {"type": "area_for_improvement", "text": longer},
            {"type": "recommendation", "text": "The force does not answer calls quickly enough."},
        ]
    }
    s = score_extraction(pred, GOLD, DOC)
    assert (s.findings.tp, s.findings.fp, s.findings.fn) == (1, 1, 1)


def test_empty_prediction() -> None:
    s = score_extraction({}, GOLD, DOC)
    assert s.overall.tp == 0 and s.overall.fn == 5 and s.overall.f1 == 0.0
    assert not s.kind and not s.force and not s.cycle
    empty_gold = {
        "kind": "other",
        "force": None,
        "cycle": None,
        "judgments": [],
        "findings": [],
        "responses": [],
    }
    s = score_extraction({"kind": "other"}, empty_gold, "")
    assert s.overall.f1 == 1.0 and s.kind and s.force and s.cycle


def test_below_floor_lists_failures_and_ignores_comments() -> None:
    figures = {"overall_f1": 0.9, "kind": 1.0, "evidence_real": None}
    assert below_floor(figures, {"_comment": "x", "overall_f1": 0.95, "kind": 1.0, "evidence_real": 1.0}) == [
        "overall_f1 = 0.900 is below its floor 0.950"
    ]


def test_score_folder_with_predictions(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "x.expected.json").write_text(json.dumps(GOLD), encoding="utf-8")
    pred = copy.deepcopy(GOLD)
    result = score_folder(tmp_path, tmp_path, predictions={"x": pred})
    assert len(result.documents) == 1
    assert result.documents[0].judgments.tp == 2  # the optional one is neutral
    assert result.summary()["overall"]["f1"] == 1.0
    missing = score_folder(tmp_path, tmp_path, predictions={})
    assert missing.documents[0].error == "no prediction"


def _reference_scorer():
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip(f"the reference scorer is not beside the repository ({path} not found)")
    spec = importlib.util.spec_from_file_location("reference_score", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader
    spec.loader.exec_module(module)
    return module


def _perturbed(gold: dict, seed: int) -> dict:
    """A plausible imperfect prediction: items dropped, grades changed, texts clipped, extras added."""
    import random

    rnd = random.Random(seed)
    pred = copy.deepcopy(gold)
    for key in ("judgments", "findings", "responses"):
        items = [x for x in pred.get(key, []) if rnd.random() > 0.25]
        for x in items:
            x.pop("optional", None)
            if key == "judgments" and rnd.random() < 0.2:
                x["grade"] = rnd.choice(["good", "inadequate", "adequate"])
            if key == "judgments" and rnd.random() < 0.3:
                x["subject"] = x["subject"][: max(4, len(x["subject"]) // 2)]
            if key != "judgments" and rnd.random() < 0.3:
                x["text"] = x["text"][: len(x["text"]) // 2]
            if key == "responses" and rnd.random() < 0.2:
                x["finding"] = rnd.randrange(0, 5)
        if rnd.random() < 0.5 and items:
            items.append(copy.deepcopy(rnd.choice(items)))
        pred[key] = items
    if rnd.random() < 0.2:
        pred["cycle"] = "2017"
    return pred


@pytest.mark.corpus
def test_agrees_with_reference_scorer_on_corpus(shared_corpus: Path) -> None:
    """Same counts as the shared scorer on perturbed versions of every corpus answer."""
    reference = _reference_scorer()
    for gpath in sorted((shared_corpus / "gold").glob("*.json")):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        doc = shared_corpus / "documents" / gold["source"]
        text = doc.read_text(errors="replace")
        for seed in range(4):
            pred = _perturbed(gold, seed)
            theirs = reference.score_doc(copy.deepcopy(pred), copy.deepcopy(gold), text)
            ours = score_extraction(pred, gold, text)
            for part in ("judgments", "findings", "responses"):
                c = getattr(ours, part)
                assert [c.tp, c.fp, c.fn] == theirs[part], (gpath.name, seed, part)
            assert [ours.evidence_real, ours.evidence_total] == theirs["evidence"], gpath.name
            assert (int(ours.kind), int(ours.force), int(ours.cycle)) == (
                theirs["kind"],
                theirs["force"],
                theirs["cycle"],
            )


def test_evaluate_command_json(built_documents: Path, tmp_path: Path) -> None:
    """``peelwatch evaluate --json`` runs the extractor on a folder and reports per document."""
    folder = tmp_path / "one"
    folder.mkdir()
    for name in ("kent-2021-22-annex.txt", "kent-2021-22-annex.expected.json"):
        (folder / name).write_bytes((built_documents / name).read_bytes())
    run = subprocess.run(
        [sys.executable, "-m", "peelwatch", "evaluate", "--gold", str(folder), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)
    assert payload["totals"]["documents"] == 1
    assert payload["documents"][0]["name"] == "kent-2021-22-annex"
    table = subprocess.run(
        [sys.executable, "-m", "peelwatch", "evaluate", "--gold", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert table.returncode == 0, table.stderr
    assert "kent-2021-22-annex" in table.stdout and "overall" in table.stdout
