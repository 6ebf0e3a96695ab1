"""The counts the lists show are columns kept by the database (migration 0014), right after
every kind of write: storing documents, hiding a finding, moving a finding, deleting a document
and its cascades. Each is checked against a count made from the rows themselves."""

from __future__ import annotations

import samples
from sqlalchemy import func, select, update

from peelwatch.store.models import Cycle, Document, DocumentCounts, Finding, FindingMention, Force, Judgment
from peelwatch.store.queries import list_documents, list_findings, list_forces
from peelwatch.store.repository import store_extraction


def _store(store, make) -> int:
    text_, extraction = make()
    with store.write() as session:
        return store_extraction(
            session, content_hash=samples.digest(text_), text=text_, extraction=extraction, source="s"
        ).document_id


def _counted(session) -> dict[str, dict[int, tuple[int, ...]]]:
    """Every counter column beside the same count made from the rows."""

    def n(model, *where) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    forces = {
        f.id: (
            (f.document_count, f.judgment_count, f.finding_count),
            (
                n(Document, Document.force_id == f.id),
                n(Judgment, Judgment.force_id == f.id, Judgment.claim.is_(False)),
                n(Finding, Finding.force_id == f.id),
            ),
        )
        for f in session.scalars(select(Force))
    }
    cycles = {
        c.id: ((c.finding_count,), (n(Finding, Finding.cycle_id == c.id, Finding.hidden.is_(False)),))
        for c in session.scalars(select(Cycle))
    }
    documents = {
        d.document_id: (
            (d.judgment_count, d.mention_count),
            (
                n(Judgment, Judgment.document_id == d.document_id),
                n(FindingMention, FindingMention.document_id == d.document_id),
            ),
        )
        for d in session.scalars(select(DocumentCounts))
    }
    # Every document has its row of counts, and no other row is left.
    assert set(documents) == set(session.scalars(select(Document.id)))
    findings = {
        f.id: ((f.mention_count,), (n(FindingMention, FindingMention.finding_id == f.id),))
        for f in session.scalars(select(Finding))
    }
    return {"force": forces, "cycle": cycles, "document": documents, "finding": findings}


def assert_counts_true(store) -> None:
    with store.read() as session:
        for table, rows in _counted(session).items():
            wrong = {k: v for k, v in rows.items() if v[0] != v[1]}
            assert not wrong, f"{table} counters (kept, counted): {wrong}"


def test_counts_follow_every_write(store) -> None:
    report = _store(store, samples.report_2021)
    letter = _store(store, samples.letter_2021)
    _store(store, samples.report_2023)
    assert_counts_true(store)
    with store.read() as session:
        assert session.get(DocumentCounts, report).judgment_count == 2
        assert session.get(DocumentCounts, report).mention_count == 3
        some = session.scalars(select(Finding.id).order_by(Finding.id)).first()
        other_cycle = session.scalars(select(Cycle.id).where(Cycle.label == "2014")).one()

    with store.write() as session:  # an editor hides a finding: out of its cycle's count
        session.execute(update(Finding).where(Finding.id == some).values(hidden=True))
    assert_counts_true(store)
    with store.write() as session:  # a finding moved to another cycle and force
        session.execute(update(Finding).where(Finding.id == some).values(hidden=False, cycle_id=other_cycle))
        session.execute(update(Finding).where(Finding.id == some).values(force_id=None))
    assert_counts_true(store)
    with store.write() as session:  # a claim restated as the inspectorate's grade
        session.execute(update(Judgment).where(Judgment.document_id == letter).values(claim=False))
    assert_counts_true(store)
    with store.write() as session:  # judgments and mentions go with their document (cascade)
        session.delete(session.get(Document, letter))
    assert_counts_true(store)


def test_lists_show_the_kept_counts(store) -> None:
    _store(store, samples.report_2021)
    _store(store, samples.letter_2021)
    findings = list_findings(store)
    assert findings.total == len(findings.items) > 0
    # A finding stated in the report and again in the commissioner's letter has two mentions.
    assert sorted(f.mentions for f in findings.items)[-1] == 2
    docs = {d.kind: d for d in list_documents(store).items}
    assert (docs["inspection_report"].judgments, docs["inspection_report"].findings) == (2, 3)
    cheshire = next(f for f in list_forces(store) if f.slug == "cheshire")
    # Two documents; the letter's grade is a claim, not counted with the inspectorate's.
    assert (cheshire.documents, cheshire.judgments, cheshire.findings) == (2, 2, findings.total)

    with store.write() as session:
        session.execute(update(Finding).where(Finding.id == findings.items[0].id).values(hidden=True))
    after = list_findings(store)
    assert after.total == findings.total - 1 == len(after.items)
