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

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import Session

from peelwatch.store.engine import Store
from peelwatch.store.models import Cycle, Force
from peelwatch.store.names import load_framework_or_none, resolve_cycle, resolve_force
from peelwatch.store.queries import InvalidFilterError
from peelwatch.store.snippets import HIT_END, HIT_START, Highlighter

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
    # False when the words are so common that the newest matches come first instead of the
    # best (see :func:`rankable`).
    ranked: bool = True
    # False when more entries matched than a search counts (:data:`COUNT_LIMIT`): ``total`` is
    # then that bound, and "at least".
    total_exact: bool = True


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


# A query is cut to its first few distinct terms before it reaches the index. Each term costs a
# posting-list read for the match, for every ranked row and again for every snippet, so a query
# of the same word typed two hundred times took seconds; with these bounds any ``q`` costs at
# most what a query of MAX_TERMS different words costs. Every term must occur, so terms past the
# bound could only have narrowed the results.
MAX_TERMS = 6
MAX_PHRASE_WORDS = 5
MAX_TERM_CHARS = 64
# A query matching more entries than this is ranked among its newest RANK_WINDOW matches only:
# bm25 costs a little for every ranked row, and ranking all of a common word's 100,000 matches
# took longer than the answer may. The count still covers every match.
RANK_WINDOW = 1000
# A term found in more entries than this makes a query unranked (see :func:`rankable`). Both
# the check and bm25's own statistics read each term's posting list up to this length.
FREQUENT_TERM = 5_000
# Matches are counted up to this many: a count is a pass over every term's posting list, and
# counting the 100,000 matches of a word found in every finding took longer than the answer
# may. Past it, the total is given as "at least COUNT_LIMIT" (``total_exact`` false).
COUNT_LIMIT = 10_000


def capped(n: int) -> tuple[int, bool]:
    """``(total, exact)`` of ``n`` matches counted up to ``COUNT_LIMIT + 1``: past
    :data:`COUNT_LIMIT` the total is "at least" it."""
    return (COUNT_LIMIT, False) if n > COUNT_LIMIT else (n, True)


def bounded_count(session: Session, sql: str, params: dict[str, Any]) -> tuple[int, bool]:
    """``(count, exact)`` of the rows ``sql`` selects, counted up to :data:`COUNT_LIMIT`."""
    n = (
        session.connection()
        .execute(
            text(f"SELECT count(*) FROM ({sql} LIMIT :pw_count_cap) AS counted"),
            {**params, "pw_count_cap": COUNT_LIMIT + 1},
        )
        .scalar_one()
    )
    return capped(n)


@dataclass(frozen=True, slots=True)
class QueryTerms:
    """The words and "quoted phrases" of a user's query, deduplicated and bounded."""

    phrases: tuple[tuple[str, ...], ...]
    words: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.phrases or self.words)


def query_terms(q: str) -> QueryTerms:
    """The terms of ``q``: repeats dropped (case-insensitively), stop words dropped unless nothing
    else is left, at most :data:`MAX_TERMS` terms of at most :data:`MAX_TERM_CHARS` characters,
    phrases of at most :data:`MAX_PHRASE_WORDS` words."""
    phrases: list[tuple[str, ...]] = []
    words: list[str] = []
    seen: set[Any] = set()
    for phrase, word in _TOKENS.findall(q):
        if phrase:
            found = tuple(w[:MAX_TERM_CHARS] for w in _WORD.findall(phrase)[:MAX_PHRASE_WORDS])
            key = tuple(w.lower() for w in found)
            if found and key not in seen:
                seen.add(key)
                phrases.append(found)
            continue
        for w in _WORD.findall(word):
            w = w[:MAX_TERM_CHARS]
            if w.lower() not in seen:
                seen.add(w.lower())
                words.append(w)
    kept = [w for w in words if w.lower() not in STOPWORDS] or ([] if phrases else words)
    room = max(0, MAX_TERMS - len(phrases[:MAX_TERMS]))
    return QueryTerms(tuple(phrases[:MAX_TERMS]), tuple(kept[:room]))


def fts5_query(q: str) -> str:
    """A user's words as a safe FTS5 query: each word quoted, "quoted phrases" kept together.

    Quoting every token means FTS5 operators typed by a user (``NEAR``, ``*``, ``:``) are
    searched as words instead of being interpreted. Terms are bounded by :func:`query_terms`.
    """
    return " ".join(_fts5_terms(query_terms(q)))


def websearch_query(q: str) -> str:
    """``q`` for PostgreSQL's ``websearch_to_tsquery``, bounded as :func:`query_terms` bounds it.

    Only the distinct words and "quoted phrases" are passed on, without the operators
    (``or``, ``-word``) that ``websearch_to_tsquery`` would read: stop words go as on SQLite,
    where the "english" configuration would drop them anyway.
    """
    terms = query_terms(q)
    return " ".join([*('"' + " ".join(p) + '"' for p in terms.phrases), *terms.words])


def _filters(session: Session, force: str | None, cycle: str | None) -> dict[str, int]:
    """The ids of the force and cycle a search is limited to."""
    fw = load_framework_or_none() if (force or cycle) else None
    ids: dict[str, int] = {}
    if force:
        ids["force_id"] = resolve_force(session, force, fw).id
    if cycle:
        ids["cycle_id"] = resolve_cycle(session, cycle, fw).id
    return ids


def _fts5_terms(terms: QueryTerms) -> list[str]:
    return [*('"' + " ".join(p) + '"' for p in terms.phrases), *(f'"{w}"' for w in terms.words)]


def rankable(session: Session, terms: QueryTerms, columns: str) -> bool:
    """Whether every term of the query occurs in at most :data:`FREQUENT_TERM` entries.

    FTS5's bm25 counts the entries of each term before it scores a row: a pass over the term's
    whole posting list, so ranking a query of common words costs in proportion to the record,
    however few rows are ranked. Each term is counted here only up to the bound.
    """
    words = _rank_words(terms)
    if not words:
        return True
    # A phrase is checked through its words: no more entries hold it than hold any of them. One
    # statement for all the words; CASE stops at the first frequent one, as a loop would.
    count = "(SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH :m{} LIMIT :cap))"
    sql = (
        "SELECT CASE "
        + " ".join(f"WHEN {count.format(i)} > :cap - 1 THEN 0" for i in range(len(words)))
        + " ELSE 1 END"
    )
    params = {f"m{i}": f'{columns} : ("{word}")' for i, word in enumerate(words)}
    conn = session.connection()
    return bool(conn.execute(text(sql), {**params, "cap": FREQUENT_TERM + 1}).scalar_one())


def _rank_words(terms: QueryTerms) -> list[str]:
    """The distinct words :func:`rankable` counts: a phrase is checked through its words."""
    return sorted({w.lower() for w in [*terms.words, *(w for phrase in terms.phrases for w in phrase)]})


def column_filter(terms: QueryTerms, columns: str) -> str:
    """The FTS5 column filter (``"{title body} : "``) a search of ``terms`` needs, if any.

    The tags column holds only the tokens of migrations 0002 and 0003 (``pwforce12``,
    ``pwcycle3``, ``pwkindfinding``), so a word that cannot be one of them matches titles and
    bodies wherever it matches at all: searching every column finds the same rows with the same
    bm25 scores (the tags weigh 0.0 and hold none of its instances), and FTS5 then checks no
    column row by row. A word holding "pw" or a letter outside ASCII (folded by the tokenizer)
    keeps the filter.
    """
    if columns == "{title body}" and all(w.isascii() and "pw" not in w.lower() for w in _rank_words(terms)):
        return ""
    return f"{columns} : "


def _counted_sql(words: int) -> str:
    checks = " ".join(
        f"WHEN (SELECT count(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH :w{i}"
        " LIMIT :frequent_cap)) > :frequent THEN 0"
        for i in range(words)
    )
    return (
        f"SELECT n, CASE WHEN n > :frequent THEN 0 {checks} ELSE 1 END FROM (SELECT count(*) AS n"
        " FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH :match LIMIT :count_cap))"
    )


def counted(
    conn: Any, match: str, terms: QueryTerms, prefix: str, *, same_as_words: bool = False
) -> tuple[int, bool, bool]:
    """``(total, exact, ranked)`` of the FTS5 query ``match`` (SQLite) in one statement: its
    entries counted up to :data:`COUNT_LIMIT`, and whether it is :func:`rankable`.

    The count comes first: a query matching more than :data:`FREQUENT_TERM` entries has words
    found in at least as many (every word must occur), so it is not ranked and no word is counted
    on its own. Otherwise each word is counted as :func:`rankable` counts it (``prefix`` is the
    column filter), unless ``same_as_words`` says ``match`` is the one word's own query.
    """
    from peelwatch.store.queries import sqlite_rows

    words = [] if same_as_words else _rank_words(terms)
    params: dict[str, Any] = {f"w{i}": f'{prefix}("{word}")' for i, word in enumerate(words)}
    params.update(
        match=match, count_cap=COUNT_LIMIT + 1, frequent=FREQUENT_TERM, frequent_cap=FREQUENT_TERM + 1
    )
    ((n, ranked),) = sqlite_rows(conn, _counted_sql(len(words)), params)
    return (*capped(n), bool(ranked))


def _page_sql(score: str) -> str:
    """The best ``:limit`` of the newest ``:window`` matches of ``:match`` by ``score``, each with
    its entry, force and cycle: only the page's rows are joined."""
    # Rank the newest RANK_WINDOW matches: FTS5 walks its index in rowid order and stops there.
    return (
        "SELECT e.kind, e.ref_id, e.title, e.document_id, f.slug, f.name, c.label, t.rank, e.body FROM ("
        " SELECT id, rank FROM ("
        f"  SELECT rowid AS id, {score} AS rank FROM search_fts"
        "  WHERE search_fts MATCH :match ORDER BY rowid DESC LIMIT :window)"
        " ORDER BY rank, id DESC LIMIT :limit) AS t"
        " JOIN search_entry e ON e.id = t.id"
        " LEFT JOIN force f ON f.id = e.force_id LEFT JOIN cycle c ON c.id = e.cycle_id"
        " ORDER BY t.rank, t.id DESC"
    )


# Unranked (a query of words found nearly everywhere: bm25 would give them almost no weight
# anyway, so the newest matches come first) and ranked.
_PAGE = (_page_sql("0.0"), _page_sql("bm25(search_fts, 3.0, 1.0, 0.0)"))


def _sqlite(conn: Any, q: str, limit: int, ids: dict[str, int]) -> tuple[int, list[_Hit], bool, bool]:
    from peelwatch.store.queries import sqlite_rows

    terms = query_terms(q)
    if not terms:
        return 0, [], True, True
    # The user's words search titles and bodies only; a force or cycle filter is one more term
    # on the tags column (see migration 0002), so no match needs a join to be filtered.
    prefix = column_filter(terms, "{title body}")
    match = prefix + "(" + " ".join(_fts5_terms(terms)) + ")"
    if "force_id" in ids:
        match += f' AND tags : "pwforce{int(ids["force_id"])}"'
    if "cycle_id" in ids:
        match += f' AND tags : "pwcycle{int(ids["cycle_id"])}"'
    one_word = not ids and not terms.phrases and len(terms.words) == 1
    total, exact, ranked = counted(conn, match, terms, prefix, same_as_words=one_word)
    if not total:
        return 0, [], ranked, True
    page = sqlite_rows(conn, _PAGE[ranked], {"match": match, "limit": limit, "window": RANK_WINDOW})
    # Snippets are cut here, not by FTS5's snippet(): that re-reads every term's posting list
    # for each row and scores every window of a long document, seconds for a report-sized body.
    hl = highlighter(terms)
    rows = [
        _Hit(
            kind, ref_id, title, document_id, slug, name, label, -rank, hl.snippet(body or "", SNIPPET_WORDS)
        )
        for kind, ref_id, title, document_id, slug, name, label, rank, body in page
    ]
    return total, rows, ranked, exact


def highlighter(terms: QueryTerms) -> Highlighter:
    """The highlighter of a query's words (each word of its phrases too)."""
    return Highlighter([*terms.words, *(w for phrase in terms.phrases for w in phrase)])


@dataclass(slots=True)
class _Hit:
    """A result row as the database gives it: its entry, force and cycle named, a raw snippet."""

    kind: str
    ref_id: int
    title: str
    document_id: int | None
    force: str | None
    force_name: str | None
    cycle: str | None
    score: float
    snip: str | None


_PG_FORCES = select(Force.id, Force.slug, Force.name).where(Force.id.in_(bindparam("ids", expanding=True)))
_PG_CYCLES = select(Cycle.id, Cycle.label)


def _postgres(
    session: Session, q: str, limit: int, ids: dict[str, int]
) -> tuple[int, list[_Hit], bool, bool]:
    q = websearch_query(q)
    if not q:
        return 0, [], True, True
    where = "".join(f" AND e.{column} = :{column}" for column in sorted(ids))
    params: dict[str, Any] = dict(ids)
    options = f'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'
    params.update(q=q, limit=limit, opts=options)
    total, exact = bounded_count(
        session,
        f"SELECT e.id FROM search_entry e WHERE e.tsv @@ websearch_to_tsquery('english', :q){where}",
        params,
    )
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
    conn = session.connection()
    force_ids = sorted({r.force_id for r in rows if r.force_id is not None})
    forces = {f.id: f for f in conn.execute(_PG_FORCES, {"ids": force_ids})} if force_ids else {}
    cycles = dict(conn.execute(_PG_CYCLES).all()) if rows else {}
    hits = [
        _Hit(
            r.kind,
            r.ref_id,
            r.title,
            r.document_id,
            forces[r.force_id].slug if r.force_id in forces else None,
            forces[r.force_id].name if r.force_id in forces else None,
            cycles.get(r.cycle_id),
            r.score,
            r.snip,
        )
        for r in rows
    ]
    return total, hits, True, exact


def search(
    store: Store, q: str, *, limit: int = 20, force: str | None = None, cycle: str | None = None
) -> SearchResults:
    """Ranked results for ``q`` over findings, judgments and documents, with highlighted snippets.

    ``force`` accepts any alias ("WMP"), ``cycle`` any common spelling; unknown values raise
    :class:`~peelwatch.errors.UnknownNameError`. The matches are counted up to
    :data:`COUNT_LIMIT` (``total_exact`` says whether ``total`` is the whole count).
    """
    if limit < 1 or limit > MAX_LIMIT:
        raise InvalidFilterError("limit", str(limit), [f"1..{MAX_LIMIT}"])
    if store.dialect == "sqlite" and not (force or cycle):
        # The search most asked for: two statements on a bare connection (a session cost about
        # as much as one of them).
        with store.engine.connect() as conn:
            total, rows, ranked, exact = _sqlite(conn, q, limit, {})
    else:
        with store.read() as session:
            ids = _filters(session, force, cycle)
            if store.dialect == "sqlite":
                total, rows, ranked, exact = _sqlite(session.connection(), q, limit, ids)
            else:
                total, rows, ranked, exact = _postgres(session, q, limit, ids)
    items = [
        SearchHit(
            kind=r.kind,
            id=r.ref_id,
            title=r.title,
            snippet=segments(r.snip or ""),
            score=round(float(r.score), 4),
            force=r.force,
            force_name=r.force_name,
            cycle=r.cycle,
            document_id=r.document_id,
        )
        for r in rows
    ]
    return SearchResults(query=q, total=total, items=items, ranked=ranked, total_exact=exact)
