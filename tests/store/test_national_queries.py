"""The national questions over a small known record, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from national_seed import NationalSeed, seed_national

from peelwatch.errors import UnknownNameError
from peelwatch.store import national_queries as nq


@pytest.fixture
def seeded(store: object) -> Iterator[tuple[object, NationalSeed]]:
    yield store, seed_national(store)  # type: ignore[arg-type]


def test_every_claim_is_set_against_the_inspectorates_grade_for_its_key(seeded) -> None:
    store, ids = seeded
    checks = {(c.force, c.key): c for c in nq.claim_checks(store)}
    assert len(checks) == 5
    kent_inv = checks[("kent", "investigating-crime")]
    assert (kent_inv.claimed, kent_inv.inspectorate, kent_inv.outcome) == (
        "good",
        "requires improvement",
        "higher",
    )
    # The 2023–25 grade, not the older "good" of 2021/22: same cycle only.
    assert kent_inv.inspectorate_judgment_id == ids.judgments["kent-2023/investigating-crime"]
    assert checks[("kent", "preventing-crime")].outcome == "agrees"
    assert checks[("kent", "workforce")].outcome == "no_inspectorate_grade"
    assert checks[("kent", "workforce")].inspectorate is None
    assert checks[("essex", "investigating-crime")].outcome == "higher"
    assert checks[("essex", "preventing-crime")].outcome == "lower"
    assert checks[("essex", "preventing-crime")].document_kind == "news"


def test_claims_filter_by_force_cycle_and_outcome(seeded) -> None:
    store, _ids = seeded
    assert {c.force for c in nq.claim_checks(store, force="Essex Police")} == {"essex"}
    assert nq.claim_checks(store, cycle="2021/22") == []
    assert len(nq.claim_checks(store, cycle="2023-25")) == 5
    differs = nq.claim_checks(store, outcome="differs")
    assert sorted(c.outcome for c in differs) == ["higher", "higher", "lower"]
    assert [c.key for c in nq.claim_checks(store, outcome="lower")] == ["preventing-crime"]
    with pytest.raises(UnknownNameError):
        nq.claim_checks(store, force="Atlantis")


def test_distribution_counts_forces_at_each_grade_per_key(seeded) -> None:
    store, _ids = seeded
    dist = nq.grade_distribution(store, "2023–25")
    rows = {r.key: r for r in dist.rows}
    assert rows["investigating-crime"].counts == {"requires improvement": 1, "inadequate": 1}
    assert rows["preventing-crime"].counts == {"good": 2}
    assert rows["responding-to-the-public"].graded == 1
    assert rows["preventing-crime"].not_graded == dist.forces - 2
    # Claims never count: the commissioner's "outstanding" workforce is no inspectorate grade.
    assert "workforce" not in rows
    assert dist.comparability  # the framework's warning about earlier cycles
    assert nq.grade_distribution(store).cycle == "2023–25"  # the latest graded by default


def test_trajectory_marks_where_the_scale_changed(seeded) -> None:
    store, ids = seeded
    points = [p for p in nq.trajectory(store, "kent") if p.key == "investigating-crime"]
    assert [(p.cycle, p.grade) for p in points] == [
        ("2018/19", "good"),
        ("2021/22", "good"),
        ("2023–25", "requires improvement"),
    ]
    assert [p.scale_changed for p in points] == [False, True, False]
    assert points[0].question_changed is False
    # Each point links to the passage its grade was read from.
    assert points[-1].judgment_id == ids.judgments["kent-2023/investigating-crime"]


def test_what_changed_moves_grades_and_follows_findings(seeded) -> None:
    store, ids = seeded
    changed = nq.what_changed(store, "kent", "2021/22", "2023–25")
    moves = {g.key: g.change for g in changed.grades}
    assert moves == {
        "investigating-crime": "down",
        "preventing-crime": "up",
        "leadership": "same",
        "responding-to-the-public": "new",
    }
    fates = {f.finding_id: f.change for f in changed.findings}
    assert fates[ids.findings["kent-supervision-2023"]] == "recurring"
    # The earlier finding stays open (no statement closed it), raised again by the later one.
    earlier = next(f for f in changed.findings if f.finding_id == ids.findings["kent-supervision-2021"])
    assert (earlier.change, earlier.related_ids) == ("open", (ids.findings["kent-supervision-2023"],))
    assert fates[ids.findings["kent-calls-2023"]] == "new"
    assert fates[ids.findings["kent-missing-2021"]] == "discharged"
    # Linked only by a link an editor rejected: nothing says it came back.
    assert fates[ids.findings["kent-workforce-2021"]] == "open"
    # The cycles in either order give the same answer.
    assert nq.what_changed(store, "kent", "2023-25", "2021/22") == changed


def test_themes_are_clusters_spanning_forces(seeded) -> None:
    store, ids = seeded
    found = nq.themes(store)
    assert len(found) == 1
    theme = found[0]
    assert theme.area_key == "investigating-crime"
    assert theme.count == 3
    assert [slug for slug, _name in theme.forces] == ["essex", "kent"]
    assert {f.id for f in theme.findings} == {
        ids.findings["kent-supervision-2021"],
        ids.findings["kent-supervision-2023"],
        ids.findings["essex-supervision-2023"],
    }
    assert nq.themes(store, area="leadership") == []
    assert [t.id for t in nq.themes(store, area="investigating-crime")] == [theme.id]


def test_feed_lists_new_documents_then_their_grades_and_findings(seeded) -> None:
    store, ids = seeded
    entries = nq.feed_entries(store)
    assert entries[0].kind == "document"
    assert entries[0].id == ids.documents["essex-news-2023"]  # the newest first
    kinds = {(e.kind, e.id) for e in entries}
    assert ("grade", ids.judgments["kent-2023/leadership"]) in kinds
    assert ("finding", ids.findings["essex-supervision-2023"]) in kinds
    # Claims are not the inspectorate's grades.
    assert ("grade", ids.judgments["kent-pcc-2023/workforce"]) not in kinds
    kent = nq.feed_entries(store, force="kent")
    assert kent and {e.force for e in kent} == {"kent"}


def test_areas_are_named_as_the_framework_names_them_in_the_cycle() -> None:
    assert nq.area_label("investigating-crime", "2023–25") == "Investigating crime"
    assert nq.area_label(None, "2023–25", "Police powers") == "Police powers"
    assert nq.area_label("not-a-key", None) == "Not a key"


def test_force_cycles_are_those_with_grades_or_findings_in_time_order(seeded) -> None:
    store, _ids = seeded
    assert nq.force_cycles(store, "kent") == ["2018/19", "2021/22", "2023–25"]
    assert nq.force_cycles(store, "essex") == ["2023–25"]
    assert nq.force_cycles(store, "surrey") == []
