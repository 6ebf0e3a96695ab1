"""The shapes of the API's answers, for the OpenAPI schema.

The views return plain dicts (one view, two renderings); these models describe them for
clients and the documentation page. Each model lists the fields a client can rely on and allows
more, so a field added to a view does not break the schema. ``ListPage[Item]`` is the shape of
every paginated list (see :mod:`peelwatch.web.lists`).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

Item = TypeVar("Item")


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ErrorBody(_Open):
    """Every error: ``{"error": kind, "status": code, "message": ...}``."""

    error: str
    status: int
    message: str
    suggestions: list[str] | None = None
    parameter: str | None = None
    allowed: list[str] | None = Field(None, description="The values a `sort` accepts")


class ListPage(_Open, Generic[Item]):
    """One page of a list: the items, how many match in all, links to the pages either side."""

    items: list[Item]
    total: int
    total_exact: bool = Field(
        True, description="False when a search matched more than it counts: `total` is then a lower bound"
    )
    limit: int
    offset: int
    next: str | None = Field(None, description="Root-relative URL of the next page, filters kept")
    previous: str | None = Field(None, description="Root-relative URL of the previous page")
    sort: str | None = Field(None, description="The order in force: a column, `-column` descending")
    filters: dict[str, Any] = {}


class SnippetPiece(BaseModel):
    """A piece of a search snippet; ``hit`` marks the matched words."""

    text: str
    hit: bool


class ForceItem(_Open):
    slug: str
    name: str
    region: str
    aliases: list[str]
    documents: int
    judgments: int
    findings: int
    url: str


class ForceRegion(_Open):
    region: str
    forces: list[ForceItem]


class ForcesList(_Open):
    """Every force, and the same grouped by region."""

    forces: list[ForceItem]
    regions: list[ForceRegion]
    total: int
    next: str | None = None
    previous: str | None = None
    sort: str | None = None


class ForceProfile(_Open):
    """A force's grades by cycle with the claims beside them, findings and documents."""

    force: dict[str, Any]
    counts: dict[str, int]
    cycles: list[dict[str, Any]]
    unmatched_claims: list[dict[str, Any]]
    chart: dict[str, Any]
    findings_table: list[dict[str, Any]]
    finding_counts: dict[str, Any]
    findings: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    warnings: list[str]


class Matrix(_Open):
    """Forces × subjects of one cycle; each cell a grade with a ``url`` to its evidence."""

    cycle: str | None
    cycles: list[str]
    scale: list[str]
    warnings: list[str]
    columns: list[dict[str, Any]]
    column_groups: list[dict[str, Any]]
    groups: list[dict[str, Any]]


class CycleItem(_Open):
    label: str
    scale: list[str]
    documents: int
    judgments: int
    findings: int
    warnings: list[str]


class CyclesList(_Open):
    cycles: list[CycleItem]


class FindingItem(_Open):
    id: int
    force: str | None
    force_name: str | None
    cycle: str | None
    type: str
    ref: str | None
    text: str
    area_key: str | None
    status: str
    rag: str | None = Field(description="Red, amber, green or complete; null unless logged in")
    owner: str | None = Field(description="Who owns it (person or team); null unless logged in")
    due_date: str | None
    authoritative: bool
    mentions: int
    url: str


class FindingDetail(_Open):
    """A finding with each mention's passage, the responses, follow-ups and related findings."""

    finding: dict[str, Any]
    corrections: list[dict[str, Any]] = Field(
        default_factory=list,
        description="People's corrections in force on the finding (who, when, the extracted value)",
    )
    mentions: list[dict[str, Any]]
    responses: list[dict[str, Any]]
    discharges: list[dict[str, Any]]
    related: list[dict[str, Any]]
    links: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Every link of the finding with its score, rejected ones included "
        "(link_id, kind, direction, other_id, score, rejected, evidence, url)",
    )


class DocumentItem(_Open):
    id: int
    content_hash: str
    source: str | None
    kind: str
    force: str | None
    force_name: str | None
    force_slug: str | None
    cycle: str | None
    title: str | None
    published: str | None
    reader: str | None
    size: int
    ingested_at: str
    judgments: int
    findings: int
    url: str


class DocumentDetail(_Open):
    """A document's text and every extracted fact with its ``start``/``end`` span."""

    id: int
    document: dict[str, Any]
    text: str
    judgments: list[dict[str, Any]]
    findings: list[dict[str, Any]]
    responses: list[dict[str, Any]]
    discharges: list[dict[str, Any]]
    statistics: list[dict[str, Any]]
    counts: dict[str, int]


class UploadResult(DocumentDetail):
    """The uploaded document's view, with whether it was new."""

    status: str | None
    url: str


class GradeItem(_Open):
    force: str
    force_name: str
    cycle: str | None
    scope: str
    subject: str
    area_key: str | None
    grade: str
    claim: bool
    judgment_id: int
    document_id: int
    document: str | None
    evidence: str
    url: str


class SearchHit(_Open):
    kind: str
    id: int
    title: str
    snippet: list[SnippetPiece]
    score: float
    force: str | None
    force_name: str | None
    cycle: str | None
    document_id: int | None
    kind_label: str
    url: str


class SearchResults(_Open):
    """Ranked results, best first unless sorted, with ``next``/``previous`` pages."""

    q: str
    total: int
    total_exact: bool = Field(
        True, description="False when more matched than a search counts: `total` is then a lower bound"
    )
    limit: int
    offset: int
    results: list[SearchHit]
    next: str | None = None
    previous: str | None = None
    sort: str | None = None
    filters: dict[str, Any] = {}


def json_and_csv(model: type[BaseModel], description: str) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry of a list route: the JSON model, and the same list as CSV."""
    return {
        200: {
            "model": model,
            "description": description,
            "content": {"text/csv": {"schema": {"type": "string", "description": "The rows as CSV"}}},
        }
    }
