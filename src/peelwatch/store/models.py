"""SQLAlchemy 2 models of the inspection record.

The schema itself is created and changed only by the Alembic migrations in ``migrations/``;
these classes describe it for queries and must match the latest migration (a test checks that
autogenerate finds nothing to change).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """The current time in UTC (timezone-aware), used for audit columns."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every peelwatch table."""

    # Named constraints let later migrations alter them on SQLite (batch mode needs the names).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class Force(Base):
    """One of the territorial forces (seeded from the framework, or created on first mention)."""

    __tablename__ = "force"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(120), default="")
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    # Kept by triggers (migration 0014) so the forces list reads them instead of counting.
    document_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    judgment_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # not claims
    finding_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Cycle(Base):
    """A PEEL cycle such as ``2021/22``; ``position`` orders cycles in time."""

    __tablename__ = "cycle"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(20), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    scale: Mapped[list[Any]] = mapped_column(default=list)
    # Visible (not hidden) findings, kept by triggers (migration 0014): the findings list's total.
    finding_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Document(Base):
    """One ingested document; ``content_hash`` (sha256 of the bytes) is its identity."""

    __tablename__ = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("force.id"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    reader: Mapped[str | None] = mapped_column(String(20))
    size: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # what decided the kind and how sure it was ("high: 5 distinct cues …"); a document whose kind
    # was a guess is ``provisional``: stored and shown, but its grades stay out of the national
    # matrix until a person confirms it
    kind_reason: Mapped[str | None] = mapped_column(Text)
    kind_confidence: Mapped[str | None] = mapped_column(Text)
    provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    force: Mapped[Force | None] = relationship()
    cycle: Mapped[Cycle | None] = relationship()


class DocumentCounts(Base):
    """How many judgments and finding mentions a document has, kept by triggers (migration 0014)
    so the documents list reads them instead of counting. A table of its own: a counter in the
    document's row would rewrite the row, text and all, with every mention stored."""

    __tablename__ = "document_counts"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    judgment_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    mention_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Judgment(Base):
    """A grade stated by a document; ``claim`` marks a non-inspectorate restatement."""

    __tablename__ = "judgment"
    __table_args__ = (Index("ix_judgment_force_cycle", "force_id", "cycle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("force.id"))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    scope: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(Text)
    area_key: Mapped[str | None] = mapped_column(String(120))
    grade: Mapped[str] = mapped_column(String(40))
    claim: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Finding(Base):
    """A canonical finding (AFI, cause of concern, recommendation) with its tracking columns."""

    __tablename__ = "finding"
    # (hidden, cycle_id, id): the findings list reads one cycle's visible findings at a time in
    # id order (see queries).
    __table_args__ = (
        Index("ix_finding_force_cycle", "force_id", "cycle_id"),
        Index("ix_finding_listed", "hidden", "cycle_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("force.id"))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"), index=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    ref: Mapped[str | None] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    norm_text: Mapped[str] = mapped_column(Text, default="")
    area_key: Mapped[str | None] = mapped_column(String(120), index=True)
    section: Mapped[str | None] = mapped_column(Text)
    authoritative: Mapped[bool] = mapped_column(Boolean, default=False)
    source_document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(40), default="open", index=True)
    rag: Mapped[str | None] = mapped_column(String(10))
    owner: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Looked up through ix_finding_listed (hidden, cycle_id, id), which replaced its own index.
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Kept by triggers (migration 0014) so the findings list reads it instead of counting.
    mention_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    force: Mapped[Force | None] = relationship()
    cycle: Mapped[Cycle | None] = relationship()


class FindingMention(Base):
    """Where a document states a finding: its words there and the span."""

    __tablename__ = "finding_mention"
    __table_args__ = (UniqueConstraint("document_id", "position", name="uq_mention_document_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    ref: Mapped[str | None] = mapped_column(String(80))
    type: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    score: Mapped[float] = mapped_column(Float, default=100.0)
    # The status the document states for the finding (a tracker's "Completed"), with its span.
    stated_status: Mapped[str | None] = mapped_column(String(40))
    stated_word: Mapped[str | None] = mapped_column(String(80))
    stated_start: Mapped[int | None] = mapped_column(Integer)
    stated_end: Mapped[int | None] = mapped_column(Integer)


class Response(Base):
    """A commissioner's or force's answer to a finding, as one document states it."""

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    by: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Discharge(Base):
    """A statement that an earlier finding was (or was not) discharged."""

    __tablename__ = "discharge"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    finding_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20))
    finding_type: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    # the words naming the finding, and how it is named ("finding", "named", "context",
    # "unnamed"; see peelwatch.extract.discharges); both empty on statements stored before
    names: Mapped[str | None] = mapped_column(Text)
    referent: Mapped[str | None] = mapped_column(String(20))


class Statistic(Base):
    """One row of a "force in numbers" table of a document."""

    __tablename__ = "statistic"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    measure: Mapped[str] = mapped_column(Text)
    force_value: Mapped[str] = mapped_column(Text)
    national_value: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(40))
    period: Mapped[str | None] = mapped_column(String(80))
    evidence: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)


class Link(Base):
    """A relation found by the linker, with its score and evidence.

    ``recurs``: the same issue raised for the same force in another cycle; ``theme``: raised for
    another force; ``discharges``: a later statement (``discharge_id``) says whether the earlier
    finding ``finding_id`` was addressed (``other_id`` is then empty). An editor may reject a
    link; the row stays, marked, so re-linking never brings it back.
    """

    __tablename__ = "link"
    __table_args__ = (UniqueConstraint("finding_id", "other_id", "kind", name="uq_link"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    other_id: Mapped[int | None] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    score: Mapped[float] = mapped_column(Float, default=0.0)
    discharge_id: Mapped[int | None] = mapped_column(
        ForeignKey("discharge.id", ondelete="CASCADE"), unique=True
    )
    evidence: Mapped[str] = mapped_column(Text, default="")
    rejected: Mapped[bool] = mapped_column(Boolean, default=False)
    rejected_by: Mapped[str | None] = mapped_column(String(120))
    rejected_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LinkSignature(Base):
    """The words a finding is compared on (its core text), kept by the linker with a digest of
    what they were computed from, so candidates are scored without recomputing them."""

    __tablename__ = "link_signature"

    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True)
    digest: Mapped[str] = mapped_column(String(40))
    core: Mapped[str] = mapped_column(Text, default="")
    stems: Mapped[int] = mapped_column(Integer, default=0)
    # the core's scoring profile (``peelwatch.link.recurrence.Profile``, migration 0016): a
    # stored finding is a candidate of every finding like it, so this is worked out once
    head_chars: Mapped[int] = mapped_column(Integer, default=0)
    subjects: Mapped[str] = mapped_column(Text, default="")
    core_norm2: Mapped[int] = mapped_column(BigInteger, default=0)
    head_norm2: Mapped[int] = mapped_column(BigInteger, default=0)
    # the finding's force, cycle and key when the entry was written (migration 0017), so a
    # candidate is read from this row alone; ``changed`` is set by a trigger on ``finding``
    # whenever those or its words are written, and a marked entry is checked against the finding
    force_id: Mapped[int | None] = mapped_column(Integer)
    cycle_id: Mapped[int | None] = mapped_column(Integer)
    area_key: Mapped[str | None] = mapped_column(String(120))
    changed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class LinkKey(Base):
    """One content stem of a finding in one block (``area:<key>`` or ``force:<id>``): the
    inverted index the linker retrieves recurrence candidates from. Each entry carries the
    finding's stem count, which the linker's overlap rule needs for every finding a lookup
    returns (a rowless table on SQLite, so a lookup reads the key alone)."""

    __tablename__ = "link_key"
    __table_args__ = ({"sqlite_with_rowid": False},)

    block: Mapped[str] = mapped_column(String(130), primary_key=True)
    stem: Mapped[str] = mapped_column(String(20), primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("finding.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    stems: Mapped[int] = mapped_column(Integer, default=0)


class Action(Base):
    """A tracked action against a finding (tracking is built on top of the store)."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(200))
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(40), default="planned")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ActionNote(Base):
    """A dated progress note on an action."""

    __tablename__ = "action_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ActionEvidence(Base):
    """Evidence that an action was carried out: a stored document or a URL."""

    __tablename__ = "action_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="SET NULL"))
    url: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FindingStatusEvent(Base):
    """One change of a finding's lifecycle status, by a person or stated by a document.

    The finding's current status is derived from these rows (``finding.status`` is a cache of it).
    ``from_status`` is refreshed by replaying the finding's events in date order, so a document
    dated earlier but ingested later takes its place in the history.
    """

    __tablename__ = "finding_status_event"
    __table_args__ = (Index("ix_finding_status_event_finding_at", "finding_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    from_status: Mapped[str | None] = mapped_column(String(40))
    to_status: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(20))  # "user" or "document"
    actor: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    start: Mapped[int] = mapped_column(Integer, default=0)
    end: Mapped[int] = mapped_column(Integer, default=0)
    # What in the document stated it ("discharge:12", "status:3"): one event per statement.
    basis: Mapped[str | None] = mapped_column(String(80))


class User(Base):
    """A person who may change tracking data."""

    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[str] = mapped_column(String(40), default="viewer")
    password_hash: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # Users are disabled, never deleted: the audit trail keeps pointing at them.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Event(Base):
    """Audit trail: who changed what, when."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class AuthSession(Base):
    """A logged-in browser: only the SHA-256 of its cookie is stored, so a copy of the database
    cannot be used to log in; ``csrf`` is the token every form of that session must send back."""

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ApiToken(Base):
    """A token for scripts (``Authorization: Bearer``), stored as its SHA-256, with its own role."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    """A failed login, counted per account name and per client address to slow down guessing.

    Kept in the database so the limit holds across server workers.
    """

    __tablename__ = "login_attempt"
    __table_args__ = (Index("ix_login_attempt_key_at", "scope", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))  # "account" or "address"
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchEntry(Base):
    """One searchable unit (a finding, a judgment or a document's text).

    The full-text index over it is backend-specific and created by the migration: an FTS5
    external-content table ``search_fts`` on SQLite, a generated ``tsv`` column with a GIN index
    on PostgreSQL. Neither is declared here, so autogenerate must ignore them (see env.py).
    """

    __tablename__ = "search_entry"
    __table_args__ = (UniqueConstraint("kind", "ref_id", name="uq_search_entry"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    ref_id: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    force_id: Mapped[int | None] = mapped_column(ForeignKey("force.id"), index=True)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycle.id"))
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")


class Correction(Base):
    """A person's correction of one field of a fact, beside the extracted value it replaced.

    ``entity_id`` is the fact it applies to now; the anchor (document and span) finds the fact
    again when the document's facts are stored anew. Rows are never deleted: a replaced or
    reverted correction is kept with ``active`` false.
    """

    __tablename__ = "correction"
    __table_args__ = (Index("ix_correction_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    original: Mapped[Any] = mapped_column(JSON, nullable=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    anchor_start: Mapped[int] = mapped_column(Integer, default=0)
    anchor_end: Mapped[int] = mapped_column(Integer, default=0)
    anchor_text: Mapped[str] = mapped_column(Text, default="")
