"""A link index entry holds where its finding stands (force, cycle, key) beside its profile, so
a candidate is read from the entry alone; any write of what the entry was computed from marks
it (``changed``), and a marked entry is checked against its finding."""

from __future__ import annotations

import fixtures_linking as fx
from docs_builder import indexed, put
from sqlalchemy import select, text, update

from peelwatch.link import relink_finding
from peelwatch.store.models import Cycle, Finding, Link, LinkSignature


def _entry(session, finding_id: int) -> LinkSignature:
    session.expire_all()
    return session.get(LinkSignature, finding_id)


def _by_text(session, words: str) -> Finding:
    return session.scalars(select(Finding).where(Finding.text == words)).one()


def test_an_entry_keeps_its_findings_force_cycle_and_key(store) -> None:
    with indexed(store, fx.record()) as (s, entries):
        for e in entries:
            f = s.get(Finding, e.finding_id)
            assert (e.force_id, e.cycle_id, e.area_key, e.changed) == (
                f.force_id,
                f.cycle_id,
                f.area_key,
                False,
            )


def test_writing_a_findings_words_force_cycle_or_key_marks_its_entry_and_relinking_clears_it(store) -> None:
    for doc in fx.record():
        put(store, doc)
    with store.write() as s:
        finding = _by_text(s, fx.SUPERVISION_2021)
        other_cycle = s.scalars(select(Cycle.id).where(Cycle.id != finding.cycle_id)).first()
        changes = {
            "text": finding.text + " It should do so quickly.",
            "area_key": "a-key-of-its-own",
            "cycle_id": other_cycle,
            "force_id": _by_text(s, fx.OTHER_FORCE_SUPERVISION).force_id,
        }
        for column, value in changes.items():
            s.execute(update(Finding).where(Finding.id == finding.id).values({column: value}))
            assert _entry(s, finding.id).changed, column
            relink_finding(s, finding.id)
            assert not _entry(s, finding.id).changed, column
        # what the entry was not computed from leaves it as it is
        s.execute(
            update(Finding).where(Finding.id == finding.id).values(status="in_progress", owner="someone")
        )
        assert not _entry(s, finding.id).changed


def test_a_finding_moved_into_another_findings_cycle_outside_the_linker_is_no_longer_linked_to_it(
    store,
) -> None:
    """Its cycle is not part of the words an entry is computed from, yet decides whether two
    findings are compared (two findings of one report never are): read as it is now."""
    for doc in fx.record():
        put(store, doc)
    with store.write() as s:
        earlier, later = _by_text(s, fx.SUPERVISION_2021), _by_text(s, fx.SUPERVISION_2023)
        assert s.scalars(select(Link).where(Link.finding_id == later.id, Link.other_id == earlier.id)).all()
        earlier.cycle_id = later.cycle_id  # a correction of the document's cycle moves it so
        relink_finding(s, later.id)
        s.flush()
        pairs = {(link.finding_id, link.other_id) for link in s.scalars(select(Link))}
        assert (later.id, earlier.id) not in pairs and (earlier.id, later.id) not in pairs


def test_upgrading_a_record_keeps_its_entries_and_marks_those_its_findings_no_longer_match(store) -> None:
    from alembic import command

    from peelwatch.store.engine import _alembic_config, migrate

    for doc in fx.record():
        put(store, doc)
    with store.read() as s:
        before = {e.finding_id: (e.digest, e.core) for e in s.scalars(select(LinkSignature))}
        moved = _by_text(s, fx.SUPERVISION_2021).id
    with store.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0016")
        # written where no trigger marks it: the entry is stale
        conn.execute(
            text("UPDATE finding SET text = 'The force should vet new recruits.' WHERE id = :i"), {"i": moved}
        )
    migrate(store.engine)
    with store.read() as s:
        entries = {e.finding_id: e for e in s.scalars(select(LinkSignature))}
        assert {i: (e.digest, e.core) for i, e in entries.items()} == before
        for i, e in entries.items():
            f = s.get(Finding, i)
            assert (e.force_id, e.cycle_id, e.area_key) == (f.force_id, f.cycle_id, f.area_key)
            assert e.changed == (i == moved)


def test_candidates_read_in_several_statements_give_the_same_links(store, monkeypatch) -> None:
    """A large batch's candidates are read a few thousand at a time (the databases bound how
    many parameters a statement takes): the links are those of one statement."""
    import peelwatch.link.linker as linker
    from peelwatch.link import relink_all

    for doc in fx.record():
        put(store, doc)
    with store.read() as s:
        before = sorted(
            (link.finding_id, link.other_id, link.kind, link.score) for link in s.scalars(select(Link))
        )
    assert before
    monkeypatch.setattr(linker, "_IDS_PER_PART", 1)
    monkeypatch.setattr(linker, "_PARAMS_PER_STATEMENT", 4)
    with store.write() as s:
        relink_all(s)
    with store.read() as s:
        after = sorted(
            (link.finding_id, link.other_id, link.kind, link.score) for link in s.scalars(select(Link))
        )
    assert after == before
