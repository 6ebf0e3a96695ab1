"""The shapes of the tracker's answers, for the OpenAPI schema.

Like :mod:`peelwatch.web.schemas`: the views in :mod:`peelwatch.web.track_views` (and the audit and
user views of :mod:`peelwatch.web.auth_routes`) return plain dicts; these models describe them. Each
lists every field the view gives today and allows more, so a field added to a view does not break
the schema. Downloads (committee reports, response letters) are files, described by
:func:`download`; every error is a :class:`~peelwatch.web.schemas.ErrorBody`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import Field

from peelwatch.web.schemas import ErrorBody, _Open

__all__ = [
    "Accountability",
    "ActionItem",
    "AuditEntry",
    "AuditPage",
    "Board",
    "BoardItem",
    "DisagreementItem",
    "EvidenceItem",
    "FindingTracking",
    "ForceAccountability",
    "ResponseClockItem",
    "StatusEventItem",
    "TokenItem",
    "UserItem",
    "Users",
    "download",
    "errors",
    "model_of",
]


# --------------------------------------------------------------------------- the 56-day clock


class ResponseClockItem(_Open):
    """One inspection report's 56-day clock and the commissioner's response, if any."""

    report_id: int
    report_title: str
    force: str
    force_slug: str
    cycle: str | None
    published: date | None
    deadline: date | None
    status: str = Field(description="`on_time`, `late`, `missing`, `not_yet_due` or `undated`")
    response_id: int | None
    response_title: str | None
    response_date: date | None
    days_late: int | None
    days_left: int | None
    label: str = Field(description="The status in words, e.g. `late by 12 days`")
    report_url: str = Field(description="The report's page")
    response_url: str | None = Field(description="The response's page; null when there is none")


class ForceRef(_Open):
    slug: str
    name: str


class ForceClockCounts(ForceRef):
    counts: dict[str, int] = Field(description="Reports per clock status")


class Accountability(_Open):
    """Every force inspection report's 56-day clock, with national and per-force counts."""

    today: date
    response_days: int = Field(description="Days a commissioner has to respond (section 55)")
    statuses: list[str]
    counts: dict[str, int] = Field(description="Reports per clock status, nationally")
    forces: list[ForceClockCounts] = Field(description="Forces with at least one report")
    clocks: list[ResponseClockItem]


class ForceAccountability(_Open):
    """One force's 56-day clocks."""

    force: ForceRef
    today: date
    counts: dict[str, int]
    clocks: list[ResponseClockItem]


# --------------------------------------------------------------------------- a finding's record


class TrackedFindingSummary(_Open):
    id: int
    label: str
    type: str
    ref: str | None
    text: str
    status: str
    owner: str | None
    rag: str = Field(description="`red`, `amber`, `green` or `complete`")
    rag_reason: str
    published: date | None = Field(description="When the report stating the finding was published")


class StatusEventItem(_Open):
    """A status change: a person's decision or a document's statement."""

    id: int
    at: datetime
    from_status: str | None
    to_status: str
    note: str
    source: str = Field(description="`user` or `document`")
    actor: str
    document_id: int | None
    evidence: str
    start: int
    end: int
    document_url: str | None = Field(description="The stating document's page")


class DisagreementItem(_Open):
    """A document states a status different from the latest human decision."""

    document_id: int
    stated: str
    stated_at: datetime
    evidence: str
    decided: str
    decided_by: str
    decided_at: datetime
    document_url: str


class NoteItem(_Open):
    id: int
    on: date
    text: str
    author: str


class EvidenceItem(_Open):
    id: int
    document_id: int | None
    url: str | None = Field(description="The URL given as evidence, when it is one")
    label: str
    target_url: str = Field(description="Where the evidence is: the document's page or the URL")


class ActionItem(_Open):
    id: int
    finding_id: int
    title: str
    owner: str | None
    due: date | None
    status: str
    notes: list[NoteItem] = Field(description="Oldest first")
    evidence: list[EvidenceItem]


class FindingTracking(_Open):
    """A finding's tracking record: status and its history, owner, actions, RAG with its reason."""

    finding: TrackedFindingSummary
    today: date
    history: list[StatusEventItem]
    disagreements: list[DisagreementItem]
    actions: list[ActionItem]
    next_statuses: list[str] = Field(description="The statuses the finding may move to next")
    reason_required: list[str] = Field(description="Statuses a move to which needs a note")
    status_labels: dict[str, str]
    action_statuses: list[str]


# --------------------------------------------------------------------------- the board


class BoardItem(_Open):
    id: int
    force: str | None
    force_slug: str | None
    cycle: str | None
    type: str
    type_label: str
    ref: str | None
    text: str
    status: str
    owner: str | None
    rag: str
    rag_reason: str
    next_due: date | None
    actions: int = Field(description="How many actions the finding has")
    url: str


class BoardFilters(_Open):
    force: str | None
    cycle: str | None
    owner: str | None
    rag: str | None
    status: str | None
    sort: str
    descending: bool
    me: str | None = Field(description="The logged-in user's name when `mine=true`")


class BoardOptions(_Open):
    forces: list[ForceRef]
    rags: list[str]
    statuses: list[str]
    sorts: list[str]


class Board(_Open):
    """Findings with owner, status, RAG (and why) and next due date, filtered and sorted."""

    today: date
    filters: BoardFilters
    total: int
    rag_counts: dict[str, int]
    items: list[BoardItem]
    options: BoardOptions


# --------------------------------------------------------------------------- audit and users


class AuditEntry(_Open):
    """One write: who, when, how they came in, what changed."""

    id: int
    at: datetime
    user: str
    role: str
    via: str = Field(description="`web`, `api` or `cli`")
    action: str
    entity: str
    entity_id: int | None
    before: Any = None
    after: Any = None


class AuditFilters(_Open):
    user: str | None
    entity: str | None
    entity_id: int | None
    action: str | None
    since: date | None
    until: date | None


class AuditOptions(_Open):
    entities: list[str]
    actions: list[str]


class AuditPage(_Open):
    """One page of the audit trail, newest first (no ``next``/``previous``: page with ``offset``)."""

    query: str = Field(description="The filters as a query string")
    total: int
    limit: int
    offset: int
    filters: AuditFilters
    items: list[AuditEntry]
    options: AuditOptions = Field(description="The entities and actions that occur in the trail")


class UserItem(_Open):
    id: int
    name: str
    role: str
    active: bool
    created_at: datetime


class TokenItem(_Open):
    """An API token, never with its secret."""

    id: int
    user: str
    name: str
    role: str
    created_at: datetime
    revoked_at: datetime | None


class Users(_Open):
    """Every user and API token."""

    users: list[UserItem]
    tokens: list[TokenItem]
    roles: list[str]


# --------------------------------------------------------------------------- responses= helpers

_ERROR_TEXT = {
    401: "Not logged in (no session or API token, or a token that is not valid)",
    403: "The role is too low, or a browser write without its CSRF token",
    404: "Unknown force, finding, action or document",
    409: "The finding cannot move to that status",
    422: "A parameter or a field of the body has a value that cannot be used",
}


def errors(*codes: int, **texts: str) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entries of the error answers a route can give (``ErrorBody``), with the
    default description of each code or the one given as ``e404="..."``."""
    return {
        code: {"model": ErrorBody, "description": texts.get(f"e{code}", _ERROR_TEXT[code])} for code in codes
    }


def download(media_types: dict[str, str], description: str) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry of a file download: one binary body per media type."""
    binary = {"type": "string", "format": "binary"}
    return {
        200: {
            "description": description,
            "content": {m.split(";")[0]: {"schema": binary} for m in media_types.values()},
        }
    }


def model_of(model: Any, description: str, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry of a JSON answer."""
    return {status: {"model": model, "description": description}}
