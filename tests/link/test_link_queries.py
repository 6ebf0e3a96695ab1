"""The questions the pages ask, answered from the links of a small record."""

from __future__ import annotations

import fixtures_linking as fx
import pytest
from docs_builder import put
from sqlalchemy import select

from peelwatch.errors import UnknownNameError
from peelwatch.link import compare_grades
from peelwatch.store import link_queries as q
from peelwatch.store.models import Finding


@pytest.fixture
def record(store):
    for doc in fx.record():
        put(store, doc)
    return store


def test_compare_grades_ranks_on_the_framework_scale() -> None:
    assert compare_grades("good", "requires improvement") == "higher"
    assert compare_grades("inadequate", "adequate") == "lower"
    assert compare_grades("good", "good") == "agrees"
    assert compare_grades("good", None) == "no_inspectorate_grade"
    assert compare_grades("good", "ungraded") == "no_inspectorate_grade"


def test_claims_are_compared_with_the_inspectorates_grade_for_the_same_key(record) -> None:
    with record.read() as s:
        checks = {(c.force, c.cycle, c.key): c for c in q.claims(s)}
        responding = checks[("cheshire", "2021/22", "responding-to-the-public")]
        assert (responding.claimed, responding.inspectorate, responding.outcome) == (
            "good",
            "requires improvement",
            "higher",
        )
        assert checks[("cheshire", "2021/22", "investigating-crime")].outcome == "agrees"
        assert [c.outcome for c in q.claims(s, force="Cheshire", outcome="higher")] == ["higher"]
        assert q.claims(s, cycle="2023–25") == []
        with pytest.raises(UnknownNameError):
            q.claims(s, force="Atlantis Police")


def test_grade_distribution_counts_forces_per_cycle_and_key(record) -> None:
    with record.read() as s:
        rows = {(r.cycle, r.key): r for r in q.grade_distribution(s, cycle="2021/22")}
        investigating = rows[("2021/22", "investigating-crime")]
        assert investigating.counts == {"good": 1, "adequate": 1} and investigating.forces == 2
        assert investigating.comparability  # the inspectorate's warning travels with the numbers


def test_trajectory_and_what_changed_for_a_force(record) -> None:
    with record.read() as s:
        points = [(p.key, p.cycle, p.grade) for p in q.trajectory(s, "cheshire")]
        assert ("investigating-crime", "2021/22", "adequate") in points
        assert ("investigating-crime", "2023–25", "good") in points
        changed = q.what_changed(s, "cheshire", "2021/22", "2023–25")
        grades = {g.key: g.change for g in changed.grades}
        assert grades["investigating-crime"] == "up" and grades["responding-to-the-public"] == "gone"
        fate = {f.text: f.change for f in changed.findings}
        assert fate[fx.SUPERVISION_2023] == "recurring"
        assert fate[fx.ADVISORY] == "discharged"
        assert fate[fx.CALLS] == "open"


def test_themes_and_the_links_of_a_finding(record) -> None:
    with record.read() as s:
        themes = q.themes(s)
        assert len(themes) == 1 and themes[0].forces == ("cheshire", "dorset") and themes[0].count == 3
        advisory = s.scalars(select(Finding).where(Finding.text == fx.ADVISORY)).one()
        links = q.finding_links(s, advisory.id)
        assert [(x.kind, x.direction, x.status, x.rejected) for x in links] == [
            ("discharges", "statement", "discharged", False)
        ]
        later = s.scalars(select(Finding).where(Finding.text == fx.SUPERVISION_2023)).one()
        kinds = sorted((x.kind, x.direction) for x in q.finding_links(s, later.id))
        assert kinds == [("recurs", "to"), ("theme", "to")]
