"""Which findings the linker compares, whatever its index keeps where: a finding with an area
key is compared with its area's findings and with its own force's findings that have no key;
a finding without a key, with all its own force's findings."""

from __future__ import annotations

import fixtures_linking as fx
import pytest
from sqlalchemy import insert, select

from peelwatch.link import relink_all
from peelwatch.store.models import Cycle, Document, Finding, Force, Link

EARLIER, LATER = fx.SUPERVISION_2021, fx.SUPERVISION_2023


def _findings(store, wanted: list[tuple[int, int, str | None, str]]) -> dict[str, int]:
    """Store (force number, cycle number, area key, text) findings without a document's
    extraction, as a bulk write would, and link the record; their ids by (force, key, text)."""
    with store.write() as s:
        forces = list(s.scalars(select(Force).order_by(Force.id)))[:2]
        cycles = sorted(s.scalars(select(Cycle)), key=lambda c: c.position)[:2]
        ids = {}
        for n, (force, cycle, key, text) in enumerate(wanted):
            doc = s.scalar(
                insert(Document)
                .values(
                    content_hash=f"{n:064d}",
                    source=f"blocks-{n}.txt",
                    kind="inspection_report",
                    force_id=forces[force].id,
                    cycle_id=cycles[cycle].id,
                    title="blocks",
                    text=text,
                    size=len(text),
                    warnings=[],
                )
                .returning(Document.id)
            )
            ids[n] = s.scalar(
                insert(Finding)
                .values(
                    force_id=forces[force].id,
                    cycle_id=cycles[cycle].id,
                    type="area_for_improvement",
                    text=text,
                    norm_text=text.lower(),
                    area_key=key,
                    status="open",
                    authoritative=True,
                    source_document_id=doc,
                )
                .returning(Finding.id)
            )
        relink_all(s)
    return ids


def _pairs(store) -> set[tuple[int, int]]:
    with store.read() as s:
        return {
            (a, b) for a, b in s.execute(select(Link.finding_id, Link.other_id).where(Link.kind == "recurs"))
        }


@pytest.mark.parametrize("keys", [("investigating-crime", None), (None, "investigating-crime"), (None, None)])
def test_a_finding_without_a_key_is_compared_with_its_own_forces_findings(store, keys) -> None:
    ids = _findings(store, [(0, 0, keys[0], EARLIER), (0, 1, keys[1], LATER)])
    assert _pairs(store) == {(ids[1], ids[0])}


def test_findings_of_one_force_in_different_areas_are_not_compared(store) -> None:
    _findings(store, [(0, 0, "investigating-crime", EARLIER), (0, 1, "leadership", LATER)])
    assert _pairs(store) == set()


def test_a_finding_without_a_key_is_not_compared_with_another_forces(store) -> None:
    _findings(store, [(0, 0, "investigating-crime", EARLIER), (1, 1, None, LATER)])
    with store.read() as s:
        assert s.scalars(select(Link)).all() == []
