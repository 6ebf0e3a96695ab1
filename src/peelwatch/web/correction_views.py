"""Corrections as the API answers them and the pages show them (one view, two renderings)."""

from __future__ import annotations

import dataclasses
from typing import Any

from peelwatch.track.audit import Actor
from peelwatch.track.corrections import (
    CorrectionInfo,
    add_finding,
    correct,
    corrections_page,
    revert,
)
from peelwatch.web.deps import Page
from peelwatch.web.lists import Column, ListSpec, Sort
from peelwatch.web.views import document_href

CORRECTIONS_LIST = ListSpec(
    "corrections",
    (
        Column("id", "Id"),
        Column("at", "When"),
        Column("actor", "By"),
        Column("entity", "Fact"),
        Column("entity_id", "Fact id", sortable=False),
        Column("document_id", "Document"),
        Column("field", "Field"),
        Column("original", "Extracted value", sortable=False),
        Column("value", "Corrected value", sortable=False),
        Column("active", "In force", sortable=False),
        Column("note", "Note", sortable=False),
        Column("url", "URL", sortable=False),
    ),
)


def fact_url(entity: str, entity_id: int | None, document_id: int | None) -> str | None:
    """Where a corrected fact is shown: its finding page, or its document scrolled to it."""
    if entity == "finding" and entity_id is not None:
        return f"/findings/{entity_id}"
    anchor = f"{entity[0]}-{entity_id}" if entity in ("judgment", "response") and entity_id else None
    return document_href(document_id, anchor)


def correction_item(info: CorrectionInfo) -> dict[str, Any]:
    """A correction as JSON, with the URL of the fact it corrects."""
    item = dataclasses.asdict(info)
    item["at"] = info.at.isoformat()
    item["url"] = fact_url(info.entity, info.entity_id, info.document_id)
    return item


def corrections_view(
    store: Any,
    *,
    page: Page,
    document_id: int | None = None,
    entity: str | None = None,
    active: bool = False,
    sort: Sort | None = None,
) -> dict[str, Any]:
    """One page of corrections, newest first unless ``sort`` says otherwise."""
    with store.read() as session:
        found = corrections_page(
            session,
            document_id=document_id,
            entity=entity,
            active_only=active,
            limit=page.limit,
            offset=page.offset,
            sort=sort.param if sort else None,
        )
    filters = {"document": document_id, "entity": entity, "active": active or None}
    return {
        "items": [correction_item(c) for c in found.items],
        "total": found.total,
        "limit": found.limit,
        "offset": found.offset,
        "filters": filters,
    }


GRADES = ("outstanding", "good", "adequate", "requires improvement", "inadequate")


def fact_corrections(store: Any, entity: str, fact_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """The corrections in force on these facts of one kind, keyed by fact id (as text, for JSON)."""
    from peelwatch.track.corrections import corrections_for

    with store.read() as session:
        found = corrections_for(session, entity, fact_ids)
    return {str(fact_id): [correction_item(c) for c in infos] for fact_id, infos in found.items()}


def judgment_corrections(store: Any, judgment_ids: list[int]) -> dict[str, list[dict[str, Any]]]:
    """The corrections in force on these judgments, keyed by judgment id (as text, for JSON)."""
    return fact_corrections(store, "judgment", judgment_ids)


def make_correction(
    store: Any, actor: Actor, *, entity: str, fact_id: int, field: str, value: Any, note: str = ""
) -> dict[str, Any]:
    """Correct one field of one fact (editor); the correction as JSON."""
    with store.write() as session:
        info = correct(session, actor, entity, fact_id, field, value, note=note)
    return correction_item(info)


def take_back(store: Any, actor: Actor, correction_id: int, note: str = "") -> dict[str, Any]:
    """Take a correction back (editor); the correction, now inactive, as JSON."""
    with store.write() as session:
        info = revert(session, actor, correction_id, note=note)
    return correction_item(info)


def add_missed_finding(
    store: Any, actor: Actor, document_id: int, *, finding_type: str, text: str, ref: str | None, note: str
) -> dict[str, Any]:
    """Add a finding the extractor missed to a document (editor); the correction recording it."""
    with store.write() as session:
        info = add_finding(session, actor, document_id, finding_type, text, ref=ref, note=note)
    return correction_item(info)


def link_item(link: Any) -> dict[str, Any]:
    """A link as the finding's page and the API show it: score, whether rejected, the other end."""
    item = dataclasses.asdict(link)
    item["url"] = f"/findings/{link.other_id}" if link.other_id is not None else None
    return item


def decide(store: Any, actor: Actor, link_id: int, *, reject: bool, reason: str = "") -> dict[str, Any]:
    """Reject or restore a link (editor); the link afterwards."""
    from peelwatch.track.link_decisions import decide_link

    with store.write() as session:
        return link_item(decide_link(session, actor, link_id, reject=reject, reason=reason))


def links_of(store: Any, finding_id: int) -> list[dict[str, Any]]:
    """Every link of a finding, rejected ones included, with its score."""
    from peelwatch.store.link_queries import finding_links

    with store.read() as session:
        return [link_item(link) for link in finding_links(session, finding_id)]
