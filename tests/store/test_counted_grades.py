"""The matrix a page shows, read in one pass, says what the general matrix says.

``counted_grades`` reads a cycle's documents, judgments and forces in one statement and orders
the judgments itself; ``counted_grade_matrix`` builds the same matrix through the general
``build_matrix``. On a record with everything that decides a cell (newer and older reports,
claims, a provisional document, hidden judgments, subjects without a key whose names differ only
in case or punctuation, judgments of no force) the two agree on every cycle, on both databases.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update
from test_store_views import _doc, put

from peelwatch.errors import UnknownNameError
from peelwatch.store.models import Document, Judgment
from peelwatch.store.provenance import counted_grade_matrix, counted_grades

INVESTIGATING = ("Investigating crime", "investigating-crime")
OFFENDERS = ("Managing offenders", "managing-offenders")


def _grades(*items: tuple[tuple[str, str | None], str]) -> list[tuple[str, str | None, str]]:
    return [(subject, key, grade) for (subject, key), grade in items]


def _seed(store) -> dict[str, int]:
    """A record with what decides a cell, and the ids of its documents."""
    ids = {
        "kent_old": put(
            store,
            *_doc(
                "kent-2024",
                "Kent Police",
                "2023–25",
                _grades((INVESTIGATING, "inadequate"), (OFFENDERS, "good"), (("Crime Data!", None), "good")),
                published="2024-03-01",
            ),
        ),
        "kent_new": put(
            store,
            *_doc(
                "kent-2025",
                "Kent Police",
                "2023–25",
                _grades((INVESTIGATING, "adequate"), (("crime data", None), "requires improvement")),
                published="2025-01-10",
            ),
        ),
        "kent_undated": put(
            store,
            *_doc("kent-undated", "Kent Police", "2023–25", _grades((OFFENDERS, "outstanding"))),
        ),
        "letter": put(
            store,
            *_doc(
                "kent-letter",
                "Kent Police",
                "2023–25",
                _grades((INVESTIGATING, "good"), (INVESTIGATING, "adequate"), (OFFENDERS, "good")),
                kind="pcc_response",
                published="2025-02-01",
            ),
        ),
        "essex": put(
            store,
            *_doc(
                "essex-2024",
                "Essex Police",
                "2023–25",
                _grades((INVESTIGATING, "good"), (("Zeal", None), "outstanding"), (("Apex", None), "good")),
                published="2024-06-01",
            ),
        ),
        "essex_note": put(
            store,
            *_doc(
                "essex-note",
                "Essex Police",
                "2023–25",
                _grades((INVESTIGATING, "inadequate"), (OFFENDERS, "inadequate")),
                published="2025-05-01",
            ),
        ),
        "older_cycle": put(
            store,
            *_doc("kent-2021", "Kent Police", "2021/22", _grades((("Workforce", "workforce"), "good"))),
        ),
    }
    with store.write() as session:
        # A guess at a report waits for a person; a grade a correction hid counts no more.
        session.execute(update(Document).where(Document.id == ids["essex_note"]).values(provisional=True))
        session.execute(
            update(Judgment)
            .where(Judgment.document_id == ids["kent_new"], Judgment.area_key == INVESTIGATING[1])
            .values(hidden=True)
        )
    return ids


def _general(store, cycle: str) -> dict:
    counted = counted_grade_matrix(store, cycle)
    matrix = counted.matrix
    keys = [c.key for c in matrix.columns]
    return {
        "cycle": matrix.cycle,
        "columns": matrix.columns,
        "rows": [
            (
                row.force,
                [
                    None
                    if (cell := row.cells.get(key)) is None
                    else (cell.grade, cell.judgment_id, cell.document_id, len(cell.claims))
                    for key in keys
                ],
            )
            for row in matrix.rows
        ],
        "sources": counted.sources,
        "held_out": (counted.held_out, counted.held_out_documents),
    }


def _one_pass(store, cycle: str | None) -> dict:
    counted = counted_grades(store, cycle)
    return {
        "cycle": counted.cycle,
        "columns": counted.columns,
        "rows": [
            (
                row.force,
                [None if c is None else (c.grade, c.judgment_id, c.document_id, c.claims) for c in row.cells],
            )
            for row in counted.rows
        ],
        "sources": counted.sources,
        "held_out": (counted.held_out, counted.held_out_documents),
    }


def test_the_one_pass_matrix_is_the_general_matrix_on_every_cycle(store) -> None:
    ids = _seed(store)
    for cycle in ("2023–25", "2023-25", "2021/22", "2018/19"):
        assert _one_pass(store, cycle) == _general(store, cycle)
    matrix = _one_pass(store, "2023–25")
    kent = next(cells for force, cells in matrix["rows"] if force.slug == "kent")
    by_key = dict(zip([c.key for c in matrix["columns"]], kent, strict=True))
    # The newest report's grade, unless a correction hid it: then the older report's, with the
    # letter's two restatements beside it.
    assert by_key["investigating-crime"][0] == "inadequate" and by_key["investigating-crime"][3] == 2
    # An undated report counts after every dated one; the letter restates that grade.
    assert (by_key["managing-offenders"][0], by_key["managing-offenders"][3]) == ("good", 1)
    # Subjects without a key that differ only in case and punctuation are one column.
    crime_data = by_key["other/crime-data"]
    assert (crime_data[0], crime_data[2]) == ("requires improvement", ids["kent_new"])
    assert [c.key for c in matrix["columns"] if c.group == "other"] == [
        "other/apex",
        "other/crime-data",
        "other/zeal",
    ]
    # The provisional note fills nothing: its two grades are held out.
    assert matrix["held_out"] == (2, [ids["essex_note"]])
    assert set(matrix["sources"]) == {ids["kent_old"], ids["kent_new"], ids["essex"]}


def test_the_default_cycle_is_the_latest_the_inspectorate_graded(store) -> None:
    _seed(store)
    assert counted_grades(store).cycle == "2023–25"
    assert counted_grades(store).cycles == counted_grades(store, "2021/22").cycles
    assert "2021/22" in counted_grades(store).cycles


def test_a_record_without_grades_shows_its_last_cycle_and_an_unknown_cycle_is_an_error(store) -> None:
    # The framework's cycles and forces are there from the start; nothing is graded yet.
    empty = counted_grades(store)
    assert empty.cycle == empty.cycles[-1] and empty.columns == [] and empty.held_out == 0
    assert empty.rows and all(row.cells == [] for row in empty.rows)
    with pytest.raises(UnknownNameError):
        counted_grades(store, "1999")
