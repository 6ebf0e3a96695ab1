"""Discharge statements: the outcome a later document states and the finding it names.

Sentences are written for these tests. Each pins one rule of ``framework/data/discharges.yaml``
or one way a statement names its finding (docs/linking.md, "Discharge").
"""

from __future__ import annotations

import pytest

from peelwatch.extract.discharges import extract_discharges, load_discharge_rules
from peelwatch.extract.model import Finding
from peelwatch.extract.pipeline import run
from peelwatch.readers import Document


def _finding(text: str, body: str, type_: str = "area_for_improvement") -> Finding:
    start = body.index(text)
    return Finding(type=type_, text=text, evidence=text, start=start, end=start + len(text))  # type: ignore[arg-type]


def _said(text: str, findings: list[Finding] | None = None) -> list[tuple[str, str | None, str | None, str]]:
    return [(d.status, d.finding_type, d.names, d.referent) for d in extract_discharges(text, findings)]


@pytest.mark.parametrize(
    ("sentence", "status", "names"),
    [
        (
            "We are now closing the cause of concern about how the force answers 101 calls.",
            "discharged",
            "how the force answers 101 calls",
        ),
        (
            "Our cause of concern regarding the supervision of investigations is now closed.",
            "discharged",
            "the supervision of investigations",
        ),
        (
            "The force has met our 2019 recommendation to publish its custody data.",
            "discharged",
            "publish its custody data",
        ),
        ("Last spring we closed the cause of concern on missing children.", "discharged", "missing children"),
        ("Call handling remains an area for improvement.", "not_discharged", "Call handling"),
        (
            "We found that knife crime prevention is still an area for improvement.",
            "not_discharged",
            "knife crime prevention",
        ),
        ("Victim updates are no longer a cause of concern.", "discharged", "Victim updates"),
        (
            "We will keep the cause of concern on crime recording open until the next audit.",
            "not_discharged",
            "crime recording",
        ),
    ],
)
def test_an_outcome_and_the_finding_named_by_what_it_is_about(sentence: str, status: str, names: str) -> None:
    [(got_status, _type, got_names, referent)] = _said(sentence)
    assert (got_status, got_names, referent) == (status, names, "named")


def test_what_a_finding_is_about_stops_where_the_sentence_turns_to_something_else() -> None:
    text = (
        "Our cause of concern for custody checks and area of concern regarding call waiting times remained."
    )
    assert _said(text) == [("not_discharged", "cause_of_concern", "custody checks", "named")]


def test_this_area_for_improvement_is_the_one_listed_just_before() -> None:
    first = "The force should record every use of a spit hood."
    second = "The force should train all staff in the new crime recording system."
    body = (
        f"In 2020 we set two areas for improvement:\n\n  • {first}\n\n"
        "This area of improvement has not yet been discharged.\n\n"
        f"  • {second}\n\n"
        "All staff have now been trained, so this area for improvement has been discharged.\n"
    )
    found = extract_discharges(body, [_finding(first, body), _finding(second, body)])
    assert [(d.status, d.names, d.finding, d.referent) for d in found] == [
        ("not_discharged", first, 0, "finding"),
        ("discharged", second, 1, "finding"),
    ]
    assert all(body[d.start : d.end] == d.text for d in found)


def test_a_plural_that_means_every_finding_listed_gives_one_statement_each() -> None:
    one = "was slow to attend emergency calls"
    two = "did not check on repeat victims"
    body = (
        "We are glad to say that we can close the force's remaining causes of concern, set out below.\n\n"
        f"In 2022 we found that the force:\n- {one}; and\n- {two}.\n"
    )
    findings = [_finding(one, body, "cause_of_concern"), _finding(two, body, "cause_of_concern")]
    found = extract_discharges(body, findings)
    assert [(d.status, d.names, d.finding) for d in found] == [("discharged", one, 0), ("discharged", two, 1)]
    assert found[0].text == found[1].text  # one sentence, two findings


def test_some_findings_unnamed_are_kept_but_name_none() -> None:
    assert _said("We are pleased that several of the causes of concern have been addressed.") == [
        ("discharged", "cause_of_concern", None, "unnamed")
    ]


def test_a_singular_finding_not_listed_in_the_document_is_left_to_the_words_around_it() -> None:
    assert _said(
        "The force has developed its volunteer scheme, so this area for improvement has been discharged."
    ) == [("discharged", "area_for_improvement", None, "context")]


@pytest.mark.parametrize(
    "sentence",
    [
        "We will look at how forces have addressed the areas for improvement in this report.",
        "We asked whether the force has met the recommendation on stop and search.",
        "One area for improvement remained from the earlier inspection.",  # stands, no outcome
        "When the police close a case, they record an outcome.",  # no finding
        "The remaining causes of concern are set out in the next chapter.",  # no outcome
        "The judgment from 2017 remains in place.",  # a grade, not a finding
        "We have addressed the committee on the recommendations.",
    ],
)
def test_questions_intentions_and_mentions_are_not_statements(sentence: str) -> None:
    assert _said(sentence) == []


def test_the_rules_are_read_from_the_data_file() -> None:
    rules = load_discharge_rules()
    assert {"{finding} has been discharged", "closing {finding}", "{subject} remains {a_finding}"} <= {
        r.sentence for r in rules.rules
    }
    assert rules.types["area of improvement"] == "area_for_improvement"


def test_the_pipeline_ties_statements_to_the_documents_own_findings() -> None:
    afi = "The force should publish the minutes of its ethics board."
    text = (
        "Some Police: PEEL 2018\n\nIn 2017 we identified one area for improvement:\n\n"
        f"  • {afi}\n\nThe minutes are now published and this area for improvement has been discharged.\n"
    )
    result = run(Document(text=text, format="text", source="t.txt"))
    [d] = result.discharges
    assert (d.status, d.finding, d.names, d.referent) == ("discharged", 0, afi, "finding")
    assert result.findings[0].text == afi
    assert "discharged" in d.rule and "listed before" in d.rule
