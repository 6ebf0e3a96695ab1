"""A closure letter naming a cause of concern by its subject: extracted, linked to the finding in
either order of arrival, and turned into a dated status event. Texts are written for this test."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from peelwatch.ingest import ingest_bytes
from peelwatch.store import open_store
from peelwatch.store.models import Discharge, Finding, Link
from peelwatch.track import status_history

REPORT = """PEEL 2023–25: An inspection of Kent Police

Published on: 14 March 2024

Cause of concern: responding to the public

The force needs to improve how quickly it answers calls from the public that are not emergencies.

Area for improvement

The force should make sure its officers record the reasons for every stop and search.
"""

LETTER = """Kent Police: closure of cause of concern letter

Published on: 2 October 2024

We met your team in September to hear how the force has changed since the PEEL 2023–25 inspection.

I am pleased to tell you that I am closing the force's cause of concern regarding responding to the public.

Stop and search recording remains an area for improvement.
"""


def _ingest(store, order: tuple[str, ...]) -> None:
    for name in order:
        text = {"report.txt": REPORT, "letter.txt": LETTER}[name]
        ingest_bytes(store, text.encode(), name, time_budget=None)


@pytest.mark.parametrize("order", [("report.txt", "letter.txt"), ("letter.txt", "report.txt")])
def test_a_closure_letter_discharges_the_cause_of_concern_it_names_in_either_order(tmp_path, order) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'flow.db'}")
    _ingest(store, order)
    with store.read() as s:
        concern = s.scalars(select(Finding).where(Finding.type == "cause_of_concern")).one()
        statement = s.scalars(select(Discharge).where(Discharge.status == "discharged")).one()
        link = s.scalars(
            select(Link).where(Link.kind == "discharges", Link.discharge_id == statement.id)
        ).one()
        assert (statement.names, statement.referent) == ("responding to the public", "named")
        assert link.finding_id == concern.id and "closing the force" in link.evidence
        [event] = status_history(s, concern.id)
        assert (event.to_status, event.source, event.document_id) == (
            "discharged",
            "document",
            statement.document_id,
        )
        assert event.at.date().isoformat() == "2024-10-02"
        assert concern.status == "discharged"
    store.close()


UPDATE = """Kent Police: PEEL 2023–25 revisit letter

Published on: 5 February 2025

In our PEEL 2023–25 inspection we set this area for improvement:

  • The force should make sure its officers record the reasons for every stop and search.

Records still leave out the reasons too often. This area for improvement has not been discharged.
"""


def test_a_finding_said_not_to_be_discharged_gets_a_dated_open_event(tmp_path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'flow.db'}")
    _ingest(store, ("report.txt",))
    ingest_bytes(store, UPDATE.encode(), "update.txt", time_budget=None)
    with store.read() as s:
        afi = s.scalars(select(Finding).where(Finding.type == "area_for_improvement")).one()
        statement = s.scalars(select(Discharge).where(Discharge.status == "not_discharged")).one()
        assert statement.referent == "finding" and statement.finding_id == afi.id
        [event] = status_history(s, afi.id)
        assert (event.to_status, event.source) == ("open", "document")
        assert event.at.date().isoformat() == "2025-02-05" and "has not been discharged" in event.evidence
    store.close()
