"""Recurrence scores on the labelled pairs (recurrence_pairs.yaml): the precision and recall
reported in docs/linking.md, and the properties the linker relies on."""

from __future__ import annotations

from pathlib import Path

import yaml

from peelwatch.link import RECURRENCE_THRESHOLD, core_text, pair_score

PAIRS = Path(__file__).parent / "recurrence_pairs.yaml"


def labelled() -> list[tuple[str, str, bool]]:
    data = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))
    texts = {f"{g['id']}/{i}": t for g in data["groups"] for i, t in enumerate(g["texts"])}
    return [(texts[a], texts[b], label == "same") for a, b, label in data["pairs"]]


def test_the_labelled_set_has_at_least_300_pairs_of_both_kinds() -> None:
    pairs = labelled()
    assert len(pairs) >= 300
    assert sum(same for *_t, same in pairs) >= 100 and sum(not same for *_t, same in pairs) >= 150


def precision_recall(threshold: float = RECURRENCE_THRESHOLD) -> tuple[float, float]:
    """Precision and recall of "same issue" at ``threshold`` on the labelled pairs."""
    scored = [(pair_score(a, b) >= threshold, same) for a, b, same in labelled()]
    tp = sum(1 for hit, same in scored if hit and same)
    fp = sum(1 for hit, same in scored if hit and not same)
    fn = sum(1 for hit, same in scored if not hit and same)
    return tp / (tp + fp), tp / (tp + fn)


def test_precision_and_recall_at_the_threshold_meet_the_goal() -> None:
    precision, recall = precision_recall()
    assert precision >= 0.9, precision
    assert recall >= 0.85, recall


def test_the_score_is_symmetric_and_ignores_framing_and_force_names() -> None:
    a = "Within three months, Dorset Police should review how it supervises investigations."
    b = "The force should review how it supervises investigations."
    assert core_text(a) == core_text(b) == "review how it supervises investigations"
    assert pair_score(a, b) == pair_score(b, a) == 100.0


def test_a_shared_purpose_clause_does_not_make_two_findings_one() -> None:
    tail = ", to continually improve its approach to preventing crime and anti-social behaviour."
    a = "The force should evaluate and share effective practice routinely" + tail
    b = "The force should use evidence of what works drawn from academics and partners" + tail
    assert pair_score(a, b) < RECURRENCE_THRESHOLD


def test_findings_naming_different_subjects_are_not_one_issue() -> None:
    stem = "The force should monitor a full set of data on its officers' use of {}, so that it can show it is fair."
    force, search = stem.format("force"), stem.format("stop and search")
    assert pair_score(force, force) == 100.0
    assert pair_score(force, search) == 0.0


def test_a_short_finding_whose_words_occur_in_a_long_one_is_not_the_same_issue() -> None:
    short = "The force is not carrying out sufficiently effective investigations."
    long = (
        "The force should make sure that in all investigations the risk to victims is assessed, "
        "recorded in sufficient detail and reduced wherever it can be, and that supervisors check this."
    )
    assert pair_score(short, long) == 0.0


def test_the_hard_pairs_shaped_like_the_real_record_are_mostly_kept_apart() -> None:
    """The corpus-like "different" pairs (ids starting hard-) rarely reach the threshold."""
    data = yaml.safe_load(PAIRS.read_text(encoding="utf-8"))
    texts = {f"{g['id']}/{i}": t for g in data["groups"] for i, t in enumerate(g["texts"])}
    hard = [
        (texts[a], texts[b])
        for a, b, label in data["pairs"]
        if a.startswith("hard-") and label == "different"
    ]
    wrong = sum(pair_score(a, b) >= RECURRENCE_THRESHOLD for a, b in hard)
    assert len(hard) >= 30 and wrong <= len(hard) // 10, wrong


def test_the_linkers_ngram_cosines_are_the_vectorisers() -> None:
    """The linker builds the n-gram vectors from its words' cached features; the cosines are
    those of scikit-learn's vectoriser."""
    from peelwatch.link.recurrence import ngram_cosine, vectors

    for a, b, _same in labelled():
        ca, cb = core_text(a), core_text(b)
        matrix = vectors([ca, cb])
        assert abs(ngram_cosine(ca, cb) - (matrix[0] @ matrix[1].T).toarray()[0, 0]) < 1e-12
