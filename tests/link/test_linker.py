"""Linking a stored document: recurrence, themes, discharge statements, rejections, any order."""

from __future__ import annotations

import random

import fixtures_linking as fx
import pytest
from docs_builder import indexed, put, put_all
from sqlalchemy import delete, select

from peelwatch.link import RECURRENCE_THRESHOLD, LinkError, reject_link, relink_all, restore_link
from peelwatch.store import link_queries
from peelwatch.store.models import Discharge, Event, Finding, Link
from peelwatch.track.audit import Actor, RoleError

EDITOR = Actor("editor one", "editor", via="api")


def _by_text(session, text: str) -> Finding:
    return session.scalars(select(Finding).where(Finding.text == text)).one()


def snapshot(store) -> tuple:
    """Links, discharge ties and claim outcomes in terms of content (ids depend on arrival order)."""
    with store.read() as s:
        text = {f.id: (f.text, f.cycle_id is not None) for f in s.scalars(select(Finding))}
        links = sorted(
            (
                link.kind,
                text[link.finding_id][0],
                text[link.other_id][0] if link.other_id else "",
                round(link.score, 2),
                link.rejected,
            )
            for link in s.scalars(select(Link))
        )
        ties = sorted(
            (d.text, text[d.finding_id][0] if d.finding_id else "") for d in s.scalars(select(Discharge))
        )
        claims = sorted(
            tuple(x or "" for x in (c.force, c.cycle, c.key, c.subject, c.claimed, c.outcome))
            for c in link_queries.claims(s)
        )
        statuses = sorted((t, f.status) for f in s.scalars(select(Finding)) for t in [f.text])
    return links, ties, claims, statuses


def test_a_finding_raised_again_later_recurs_and_another_force_makes_a_theme(store) -> None:
    for doc in fx.record():
        put(store, doc)
    with store.read() as s:
        links = s.scalars(select(Link).where(Link.kind.in_(("recurs", "theme")))).all()
        assert links and all(link.finding_id != link.other_id for link in links)
        later, earlier = _by_text(s, fx.SUPERVISION_2023), _by_text(s, fx.SUPERVISION_2021)
        recurs = [link for link in links if link.kind == "recurs"]
        assert [(link.finding_id, link.other_id) for link in recurs] == [(later.id, earlier.id)]
        assert recurs[0].score >= RECURRENCE_THRESHOLD
        other = _by_text(s, fx.OTHER_FORCE_SUPERVISION)
        themes = {(link.finding_id, link.other_id) for link in links if link.kind == "theme"}
        assert (later.id, other.id) in themes and (other.id, earlier.id) in themes
        unrelated = _by_text(s, fx.UNRELATED)
        assert not [link for link in links if unrelated.id in (link.finding_id, link.other_id)]


def test_a_letter_restating_a_finding_is_a_mention_not_a_new_finding(store) -> None:
    put(store, fx.report_2021())
    put(store, fx.letter_2021())
    with store.read() as s:
        calls = _by_text(s, fx.CALLS)
        assert len(link_queries.finding_links(s, calls.id)) == 0
        assert s.scalar(select(Finding.id).where(Finding.text.like("AFI 1:%"))) is None


def test_a_discharge_statement_is_tied_to_the_finding_it_speaks_of_in_either_order(sqlite_store) -> None:
    put(sqlite_store, fx.report_2023())  # the statement arrives before the finding it is about
    with sqlite_store.read() as s:
        assert s.scalars(select(Discharge)).one().finding_id is None
    put(sqlite_store, fx.report_2021())
    with sqlite_store.read() as s:
        statement = s.scalars(select(Discharge)).one()
        advisory = _by_text(s, fx.ADVISORY)
        assert statement.finding_id == advisory.id
        link = s.scalars(select(Link).where(Link.kind == "discharges")).one()
        assert (link.finding_id, link.other_id, link.discharge_id) == (advisory.id, None, statement.id)
        assert "has been discharged" in link.evidence and link.score > 0
        # the tie is evidence for the tracker; the status itself is not changed silently
        assert advisory.status == "open"


def test_an_editors_rejection_persists_through_relinking_and_is_audited(store) -> None:
    for doc in fx.record():
        put(store, doc)
    with store.write() as s:
        link = s.scalars(select(Link).where(Link.kind == "recurs")).one()
        with pytest.raises(RoleError):
            reject_link(s, Actor("reader", "viewer"), link.id)
        reject_link(s, EDITOR, link.id, reason="different teams")
        rejected_id = link.id
    with store.write() as s:
        relink_all(s)
    with store.read() as s:
        again = s.scalars(select(Link).where(Link.kind == "recurs")).all()
        assert [(link.id, link.rejected, link.rejected_by) for link in again] == [
            (rejected_id, True, "editor one")
        ]
        event = s.scalars(select(Event).where(Event.entity == "link")).one()
        assert (event.action, event.entity_id, event.detail["actor"]) == ("reject", rejected_id, "editor one")
    with store.write() as s:
        restore_link(s, EDITOR, rejected_id)
        with pytest.raises(LinkError):
            reject_link(s, EDITOR, 10**9)
    with store.read() as s:
        assert s.get(Link, rejected_id).rejected is False


def test_a_batch_linked_in_one_pass_ends_where_one_document_after_another_does(tmp_path) -> None:
    from peelwatch.store import open_store

    docs = fx.record()
    seen = []
    for name, write in (("each", lambda st, order: [put(st, d) for d in order]), ("batch", put_all)):
        for seed in (4, 5):
            order = docs[:]
            random.Random(seed).shuffle(order)
            st = open_store(str(tmp_path / f"{name}{seed}.db"))
            try:
                write(st, order)
                seen.append(snapshot(st))
            finally:
                st.close()
    links, ties, _claims, _statuses = seen[0]
    assert links and ties
    assert all(s == seen[0] for s in seen)


def test_linking_a_document_that_is_not_stored_is_an_error(sqlite_store) -> None:
    from peelwatch.link import link_documents

    known = put(sqlite_store, fx.report_2021())
    with sqlite_store.write() as s, pytest.raises(LinkError, match="no document 999999"):
        link_documents(s, [known, 999999])


def test_three_random_orders_give_the_same_links_ties_claims_and_statuses(tmp_path) -> None:
    from peelwatch.store import open_store

    docs = fx.record()
    seen = []
    for seed in (1, 2, 3):
        order = docs[:]
        random.Random(seed).shuffle(order)
        st = open_store(str(tmp_path / f"order{seed}.db"))
        try:
            for doc in order:
                put(st, doc)
            seen.append(snapshot(st))
        finally:
            st.close()
    assert seen[0][0], "the record has links to compare"
    assert seen[0] == seen[1] == seen[2]


def test_findings_stored_without_an_index_entry_are_indexed_and_linked_on_the_next_run(store) -> None:
    """A record written before the linker's index existed (or in bulk) gets its entries on the
    first link run, and the links come out as if the index had always been there."""
    from peelwatch.link import index_findings
    from peelwatch.store.models import LinkKey, LinkSignature

    for doc in fx.record():
        put(store, doc)
    before = snapshot(store)[0]
    with store.write() as s:
        s.execute(delete(LinkKey))
        s.execute(delete(LinkSignature))
    with store.write() as s:
        assert index_findings(s) == len(s.scalars(select(Finding.id)).all())
        assert index_findings(s) == 0
        relink_all(s)
    assert snapshot(store)[0] == before


def test_a_finding_whose_words_changed_outside_the_linker_is_scored_on_its_new_words(store) -> None:
    for doc in fx.record():
        put(store, doc)
    with store.write() as s:
        earlier = _by_text(s, fx.SUPERVISION_2021)
        later = _by_text(s, fx.SUPERVISION_2023)
        assert s.scalars(select(Link).where(Link.finding_id == later.id, Link.other_id == earlier.id)).all()
        earlier.text = "The force should review how it vets new recruits."  # its index entry is now stale
        from peelwatch.link import relink_finding

        relink_finding(s, later.id)
        s.flush()
        pairs = {(link.finding_id, link.other_id) for link in s.scalars(select(Link))}
        assert (later.id, earlier.id) not in pairs


def test_the_index_keeps_each_findings_scoring_profile(store) -> None:
    """What scoring a candidate needs of it (head, subjects, norms) is kept with its core, and
    is what working it out from the core gives."""
    from peelwatch.link.recurrence import profile

    with indexed(store, fx.record()) as (_, entries):
        for e in entries:
            kept = (e.core[: e.head_chars], frozenset(filter(None, e.subjects.split("|"))))
            worked_out = profile(e.core)
            assert kept == (worked_out.head, worked_out.subjects)
            assert (e.core_norm2, e.head_norm2) == (worked_out.norm2, worked_out.head_norm2)


def test_a_links_score_is_the_score_of_its_two_findings_words(store) -> None:
    """Candidates are scored from what the index keeps of them: the same score as their words."""
    from peelwatch.link import pair_score

    for doc in fx.record():
        put(store, doc)
    with store.read() as s:
        text = dict(s.execute(select(Finding.id, Finding.text)).all())
        links = s.scalars(select(Link).where(Link.kind.in_(("recurs", "theme")))).all()
        assert links
        for link in links:
            assert link.score == pair_score(text[link.finding_id], text[link.other_id])
