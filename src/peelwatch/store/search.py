"""Ranked full-text search over findings, judgments and document text.

SQLite uses the FTS5 index ``search_fts`` ranked by bm25; PostgreSQL the ``tsv`` column of
``search_entry`` (GIN index) ranked by ``ts_rank_cd``. Both are queried with bound parameters
only. Snippets are returned as segments (``{"text": ..., "hit": bool}``) so a page can escape
the text and mark the hits itself: no HTML ever comes out of the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from peelwatch.store.engine import Store
from peelwatch.store.models import Cycle, Force
from peelwatch.store.names import load_framework_or_none, resolve_cycle, resolve_force
from peelwatch.store.queries import InvalidFilterError

# Private-use characters mark the hits inside snippets; they never occur in the documents we
# store (readers drop them), so splitting on them is unambiguous.
HIT_START = "\ue000"
HIT_END = "\ue001"
SNIPPET_WORDS = 24
MAX_LIMIT = 200
_TOKENS = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(slots=True)
class Segment:
    """A piece of snippet text; ``hit`` marks words that matched the query."""

    text: str
    hit: bool


@dataclass(slots=True)
class SearchHit:
    """One ranked result: a finding, a judgment or a document."""

    kind: str
    id: int
    title: str
    snippet: list[Segment]
    score: float
    force: str | None
    force_name: str | None
    cycle: str | None
    document_id: int | None


@dataclass(slots=True)
class SearchResults:
    """The best hits for a query, and how many entries matched in all."""

    query: str
    total: int
    items: list[SearchHit]


def segments(snippet: str) -> list[Segment]:
    """Split a sentinel-marked snippet into plain and hit segments."""
    out: list[Segment] = []
    for part in re.split(f"({HIT_START}.*?{HIT_END})", snippet, flags=re.DOTALL):
        if not part:
            continue
        if part.startswith(HIT_START):
            out.append(Segment(part[1:-1], True))
        else:
            out.append(Segment(part.replace(HIT_START, "").replace(HIT_END, ""), False))
    return out


# Words too common to narrow a search. PostgreSQL's "english" configuration drops them too;
# on SQLite, reading their posting lists (every finding has "the") was most of a query's cost.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "with",
    ]
)


def fts5_query(q: str) -> str:
    """A user's words as a safe FTS5 query: each word quoted, "quoted phrases" kept together.

    Quoting every token means FTS5 operators typed by a user (``NEAR``, ``*``, ``:``) are
    searched as words instead of being interpreted. Unquoted stop words are dropped unless
    nothing else is left.
    """
    phrases: list[str] = []
    words: list[str] = []
    for phrase, word in _TOKENS.findall(q):
        if phrase:
            found = _WORD.findall(phrase)
            if found:
                phrases.append('"' + " ".join(found) + '"')
        else:
            words.extend(_WORD.findall(word))
    kept = [w for w in words if w.lower() not in STOPWORDS] or ([] if phrases else words)
    return " ".join([*phrases, *(f'"{w}"' for w in kept)])


def _filters(session: Session, force: str | None, cycle: str | None) -> dict[str, int]:
    """The ids of the force and cycle a search is limited to."""
    fw = load_framework_or_none() if (force or cycle) else None
    ids: dict[str, int] = {}
    if force:
        ids["force_id"] = resolve_force(session, force, fw).id
    if cycle:
        ids["cycle_id"] = resolve_cycle(session, cycle, fw).id
    return ids


def _sqlite(session: Session, q: str, limit: int, ids: dict[str, int]) -> tuple[int, list[Any]]:
    words = fts5_query(q)
    if not words:
        return 0, []
    # The user's words search titles and bodies only; a force or cycle filter is one more term
    # on the tags column (see migration 0002), so no match needs a join to be filtered.
    match = "{title body} : (" + words + ")"
    if "force_id" in ids:
        match += f' AND tags : "pwforce{int(ids["force_id"])}"'
    if "cycle_id" in ids:
        match += f' AND tags : "pwcycle{int(ids["cycle_id"])}"'
    params = {"match": match, "limit": limit, "hs": HIT_START, "he": HIT_END, "words": SNIPPET_WORDS}
    total = session.execute(
        text("SELECT count(*) FROM search_fts WHERE search_fts MATCH :match"), params
    ).scalar_one()
    # Rank first, then build snippets for the few rows kept (snippet() is the costly part); the
    # CROSS JOIN makes SQLite look the kept rows up by rowid instead of re-running the match.
    rows = session.execute(
        text(
            "WITH top AS ("
            "  SELECT rowid AS id, bm25(search_fts, 3.0, 1.0, 0.0) AS rank"
            "  FROM search_fts WHERE search_fts MATCH :match ORDER BY rank LIMIT :limit)"
            " SELECT e.kind, e.ref_id, e.title, e.document_id, e.force_id, e.cycle_id, -top.rank AS score,"
            "  snippet(search_fts, 1, :hs, :he, '…', :words) AS snip"
            " FROM top CROSS JOIN search_fts ON search_fts.rowid = top.id"
            " JOIN search_entry e ON e.id = top.id"
            " WHERE search_fts MATCH :match ORDER BY top.rank"
        ),
        params,
    ).all()
    return total, rows


def _postgres(session: Session, q: str, limit: int, ids: dict[str, int]) -> tuple[int, list[Any]]:
    if not _WORD.search(q):
        return 0, []
    where = "".join(f" AND e.{column} = :{column}" for column in sorted(ids))
    params: dict[str, Any] = dict(ids)
    options = f'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
    params.update(q=q, limit=limit, opts=options)
    total = session.execute(
        text(
            f"SELECT count(*) FROM search_entry e WHERE e.tsv @@ websearch_to_tsquery('english', :q){where}"
        ),
        params,
    ).scalar_one()
    rows = session.execute(
        text(
            "WITH query AS (SELECT websearch_to_tsquery('english', :q) AS tq),"
            " top AS (SELECT e.id, ts_rank_cd(e.tsv, query.tq) AS rank FROM search_entry e, query"
            f"  WHERE e.tsv @@ query.tq{where} ORDER BY rank DESC, e.id LIMIT :limit)"
            " SELECT e.kind, e.ref_id, e.title, e.document_id, e.force_id, e.cycle_id, top.rank AS score,"
            "  ts_headline('english', e.body, query.tq, :opts) AS snip"
            " FROM top JOIN search_entry e ON e.id = top.id, query ORDER BY top.rank DESC, e.id"
        ),
        params,
    ).all()
    return total, rows


def search(
    store: Store, q: str, *, limit: int = 20, force: str | None = None, cycle: str | None = None
) -> SearchResults:
    """Ranked results for ``q`` over findings, judgments and documents, with highlighted snippets.

    ``force`` accepts any alias ("WMP"), ``cycle`` any common spelling; unknown values raise
    :class:`~peelwatch.errors.UnknownNameError`.
    """
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidFilterError("limit", str(limit), [f"1..{MAX_LIMIT}"])
    with store.read() as session:
        ids = _filters(session, force, cycle)
        runner = _sqlite if store.dialect == "sqlite" else _postgres
        total, rows = runner(session, q, limit, ids)
        force_ids = {r.force_id for r in rows if r.force_id is not None}
        forces = (
            {
                f.id: f
                for f in session.execute(
                    select(Force.id, Force.slug, Force.name).where(Force.id.in_(force_ids))
                )
            }
            if force_ids
            else {}
        )
        cycles = dict(session.execute(select(Cycle.id, Cycle.label)).all()) if rows else {}
        items = [
            SearchHit(
                kind=r.kind,
                id=r.ref_id,
                title=r.title,
                snippet=segments(r.snip or ""),
                score=round(float(r.score), 4),
                force=forces[r.force_id].slug if r.force_id in forces else None,
                force_name=forces[r.force_id].name if r.force_id in forces else None,
                cycle=cycles.get(r.cycle_id),
                document_id=r.document_id,
            )
            for r in rows
        ]
        return SearchResults(query=q, total=total, items=items)
