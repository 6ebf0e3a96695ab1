"""Searches and lists answer in bounded time whatever is typed, and still find the right things.

A query is cut to its first few distinct terms; the newest matches are ranked (all of them, on a
small record); words found nearly everywhere leave a query unranked; lists page in index order.
"""

from __future__ import annotations

import importlib

import pytest
from test_store_views import _doc, put

from peelwatch.store import list_findings, search
from peelwatch.store.search import MAX_TERMS, fts5_query, query_terms, websearch_query
from peelwatch.store.snippets import HIT_END, HIT_START, Highlighter

# The module, not the function of the same name that peelwatch.store exports.
search_module = importlib.import_module("peelwatch.store.search")

HOSTILE = [
    "a" * 200,
    " ".join(["a"] * 100),
    " ".join(["missing"] * 200),
    "should force " * 40,
    '"' + "force should " * 30 + '"',
    '"' * 101,
    "!@#$%^&*()_+{}|:<>?~`-=[]\\;',./" * 5,
    'NEAR(a b) OR "c" AND NOT d* ^e {title}: f -g',
    "é" * 100 + " 漢字" * 50,
    "x" * 10_000,
    "\x00\ue000\ue001 children",
]


def test_repeated_words_are_searched_once() -> None:
    terms = query_terms("Missing missing MISSING children missing")
    assert terms.words == ("Missing", "children")
    assert fts5_query(" ".join(["a"] * 100)) == '"a"'  # only stop words: kept, once


def test_a_query_keeps_its_first_few_terms_and_short_phrases() -> None:
    words = [f"word{i}" for i in range(50)]
    assert query_terms(" ".join(words)).words == tuple(words[:MAX_TERMS])
    (phrase,) = query_terms('"' + " ".join(words) + '"').phrases
    assert len(phrase) == search_module.MAX_PHRASE_WORDS
    assert len(query_terms("y" * 1000).words[0]) == search_module.MAX_TERM_CHARS


def test_postgres_gets_the_same_bounded_terms() -> None:
    assert websearch_query('kent kent "missing children" -calls OR') == '"missing children" kent calls'
    assert websearch_query("!!! ???") == ""


def test_highlighter_marks_words_as_the_index_stems_them() -> None:
    hl = Highlighter(["calls", "children"])
    text = "It called about children; the calendar and a child were not hits."
    marked = [text[a:b] for a, b in hl.hits(text)]
    assert marked == ["called", "children"]
    snippet = hl.snippet(text, 24)
    assert f"{HIT_START}called{HIT_END}" in snippet and "calendar" in snippet
    assert f"{HIT_START}calendar" not in snippet


def test_a_snippet_starts_near_the_first_hit_of_a_long_text() -> None:
    text = "Filler words here. " * 5000 + "The force must find missing children sooner. " + "More. " * 100
    snippet = Highlighter(["missing"]).snippet(text, 24)
    assert snippet.startswith("…") and snippet.endswith("…")
    assert f"{HIT_START}missing{HIT_END}" in snippet
    assert len(snippet) < 400
    # A text without the word (the entry matched by its title) gives its opening.
    assert Highlighter(["absent"]).snippet(text, 5) == "Filler words here. Filler words…"


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_answer_with_ordinary_results(store, q: str) -> None:
    put(store, *_doc("r", "Kent Police", "2023–25", [], findings=["The force should find missing children."]))
    results = search(store, q, limit=20)
    assert results.total >= 0 and len(results.items) <= 20
    page = list_findings(store, q=q, limit=20)
    assert page.total >= len(page.items)


def test_repeated_words_find_what_the_word_finds(store) -> None:
    put(store, *_doc("r", "Kent Police", "2023–25", [], findings=["The force should find missing children."]))
    once = search(store, "missing", limit=20)
    many = search(store, " ".join(["missing"] * 200), limit=20)
    assert once.total >= 1 and many.total == once.total
    assert [h.id for h in many.items] == [h.id for h in once.items]
    assert list_findings(store, q="missing " * 200).total == list_findings(store, q="missing").total == 1


FINDINGS = [f"The force should review case {n} of missing children." for n in range(8)]


def _record(store) -> None:
    put(store, *_doc("a", "Kent Police", "2021/22", [], findings=FINDINGS[:3]))
    put(store, *_doc("b", "Kent Police", "2023–25", [], findings=FINDINGS[3:6]))
    put(store, *_doc("c", "Cheshire Constabulary", "2023–25", [], findings=FINDINGS[6:]))


def _all_pages(store, size: int, **filters) -> list[int]:
    ids: list[int] = []
    for offset in range(0, 20, size):
        ids += [f.id for f in list_findings(store, limit=size, offset=offset, **filters).items]
    return ids


def test_findings_list_pages_newest_cycle_first_without_gaps_or_repeats(store) -> None:
    _record(store)
    page = list_findings(store, limit=50)
    assert page.total == 8
    assert [f.cycle for f in page.items] == ["2023–25"] * 5 + ["2021/22"] * 3
    ids = [f.id for f in page.items]
    assert ids[:5] == sorted(ids[:5]) and ids[5:] == sorted(ids[5:])  # by id within a cycle
    for size in (1, 2, 3, 5):
        assert _all_pages(store, size) == ids
    assert [f.id for f in list_findings(store, force="kent", limit=50).items] == [
        i for i in ids if i in {f.id for f in list_findings(store, force="kent", limit=50).items}
    ]
    assert list_findings(store, force="kent").total == 6


def test_ranked_window_and_the_rest_page_without_gaps_or_repeats(store, monkeypatch) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the ranking window is the SQLite full-text index's")
    _record(store)
    full = [f.id for f in list_findings(store, q="missing children", limit=50).items]
    assert sorted(full) == sorted(f.id for f in list_findings(store, limit=50).items)
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)
    windowed = list_findings(store, q="missing children", limit=50)
    assert windowed.total == 8 and sorted(f.id for f in windowed.items) == sorted(full)
    for size in (1, 2, 3, 4):
        assert _all_pages(store, size, q="missing children") == [f.id for f in windowed.items]
    assert list_findings(store, q="missing children", type="recommendation").total == 0


def test_words_found_nearly_everywhere_leave_a_search_unranked(store, monkeypatch) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the bound is the SQLite full-text index's")
    _record(store)
    assert search(store, "missing children").ranked
    monkeypatch.setattr(search_module, "FREQUENT_TERM", 2)
    results = search(store, "missing children", limit=50)
    assert not results.ranked and results.total == 11  # 8 findings and 3 documents
    ids = [h.id for h in results.items if h.kind == "finding"]
    assert ids == sorted(ids, reverse=True)  # the newest first
    assert all(any(s.hit for s in h.snippet) for h in results.items)


def test_matches_past_the_count_bound_are_at_least_the_bound(store, monkeypatch) -> None:
    _record(store)
    exact = search(store, "missing children", limit=50)
    assert exact.total_exact and exact.total == 11  # 8 findings and 3 documents
    findings = list_findings(store, q="missing children")
    assert findings.total_exact and findings.total == 8
    monkeypatch.setattr(search_module, "RANK_WINDOW", 3)  # SQLite counts only past a full window
    windowed = search(store, "missing children", limit=50)
    assert (windowed.total, windowed.total_exact) == (11, True)
    monkeypatch.setattr(search_module, "COUNT_LIMIT", 5)
    bounded = search(store, "missing children", limit=50)
    assert (bounded.total, bounded.total_exact) == (5, False)
    assert bounded.items == windowed.items  # the results themselves are not cut
    page = list_findings(store, q="missing children", limit=50)
    assert (page.total, page.total_exact) == (5, False)
    # A sorted search orders the newest matches up to the bound, and says the total is more.
    by_date = list_findings(store, q="missing children", sort="id", limit=50)
    assert (by_date.total, by_date.total_exact) == (5, False)
    assert [f.id for f in by_date.items] == sorted(f.id for f in by_date.items)
    newest = sorted((f.id for f in findings.items), reverse=True)
    assert {f.id for f in by_date.items} <= set(newest[:6])


def test_a_rare_query_of_a_frequent_word_is_unranked_and_a_frequent_match_needs_no_word_count(
    store, monkeypatch
) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the bound is the SQLite full-text index's")
    _record(store)
    monkeypatch.setattr(search_module, "FREQUENT_TERM", 5)
    # Two matches (the finding and its report), but "children" is in 11 entries: the words are
    # counted one by one.
    rare = search(store, "children 3", limit=50)
    assert (rare.total, rare.ranked) == (2, False)
    assert search(store, "3").ranked
    assert not search(store, '"case 3"').ranked  # a phrase is counted through its words
    # 11 matches: more than the bound, so some word is in as many entries.
    assert not search(store, "missing children").ranked


def test_the_tags_are_never_matched_by_a_users_words(store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the tags column is the SQLite full-text index's")
    _record(store)
    for q in [
        "pwkindfinding",
        "PWKINDFINDING children",
        "x_pwkindfinding",
        '"pwkindfinding"',
        "pẁkindfinding",
    ]:
        assert search(store, q).total == 0, q
        assert list_findings(store, q=q).total == 0, q
    assert search_module.column_filter(query_terms("missing children"), "{title body}") == ""
    assert search_module.column_filter(query_terms("missing pwcycle1"), "{title body}") == "{title body} : "
    assert search_module.column_filter(query_terms("café"), "{title body}") == "{title body} : "
    assert search_module.column_filter(query_terms("missing"), "{body}") == "{body} : "
    assert search(store, "missing children").total == 11
