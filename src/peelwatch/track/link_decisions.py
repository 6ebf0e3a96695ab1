"""An editor's decision on a link the linker made: reject it (it stays rejected through every
re-linking) or restore it, with what follows for the tracker.

A rejected ``discharges`` link no longer ties its statement to the finding, so the status event
the statement made is withdrawn (and comes back when the link is restored): the finding's status
never keeps resting on a tie a person has said is wrong.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from peelwatch.errors import NotFoundError
from peelwatch.store.link_queries import FindingLink, finding_links
from peelwatch.store.models import Discharge, Link
from peelwatch.store.rows import get_row
from peelwatch.track.audit import Actor
from peelwatch.track.from_documents import apply_document_statuses

__all__ = ["decide_link"]


def decide_link(
    session: Session, actor: Actor, link_id: int, *, reject: bool, reason: str = ""
) -> FindingLink:
    """Reject (``reject=True``) or restore a link (editor or admin; audited); the link as its
    finding's page shows it afterwards. Raises :class:`NotFoundError` for an unknown link."""
    # peelwatch.link records its own audit entries through this package: imported here, not above
    from peelwatch.link import reject_link, restore_link

    actor.require("editor")
    link = get_row(session, Link, link_id)
    if link is None:
        raise NotFoundError(f"there is no link {link_id}")
    if reject:
        reject_link(session, actor, link.id, reason=reason)
    else:
        restore_link(session, actor, link.id)
    if link.kind == "discharges" and link.discharge_id is not None:
        statement = session.get(Discharge, link.discharge_id)
        if statement is not None:
            session.flush()
            apply_document_statuses(session, statement.document_id)
    return next(item for item in finding_links(session, link.finding_id) if item.link_id == link.id)
