"""What the pages are built from: the grade matrix by canonical key, response titles, findings search."""

from __future__ import annotations

import samples

from peelwatch.extract.model import Extraction, Finding, Judgment, Response
from peelwatch.store import force_profile, get_finding, grade_matrix, list_findings
from peelwatch.store.repository import store_extraction


def put(store, text: str, extraction: Extraction) -> int:
    with store.write() as session:
        return store_extraction(
            session,
            content_hash=samples.digest(text),
            text=text,
            extraction=extraction,
            source=extraction.source,
        ).document_id


def _doc(
    name: str,
    force: str,
    cycle: str,
    grades: list[tuple[str, str | None, str]],
    *,
    kind: str = "inspection_report",
    published: str | None = None,
    title: str | None = None,
    findings: list[str] = (),  # type: ignore[assignment]
) -> tuple[str, Extraction]:
    """A document stating ``grades`` (subject as written, key, grade) and ``findings``, with spans."""
    lines = [f"{title or name}\n"]
    lines += [f"{subject}: {grade}" for subject, _key, grade in grades]
    lines += ["", *findings]
    text = "\n".join(lines) + "\n"
    ex = Extraction(
        source=f"{name}.txt", kind=kind, force=force, cycle=cycle, title=title, published=published
    )
    for subject, key, grade in grades:
        line = f"{subject}: {grade}"
        start = text.index(line)
        ex.judgments.append(
            Judgment(
                "area",
                subject,
                grade,
                line,
                start,
                start + len(line),
                key=key,
                claim=kind != "inspection_report",
            )  # type: ignore[arg-type]
        )
    for words in findings:
        start = text.index(words)
        ex.findings.append(Finding("area_for_improvement", words, words, start, start + len(words)))
    return text, ex


# --------------------------------------------------------------------------- the grade matrix


def test_matrix_columns_are_framework_subjects_by_key(store) -> None:
    # Three reports write the same two framework areas three ways.
    put(
        store,
        *_doc(
            "cheshire",
            "Cheshire Constabulary",
            "2021/22",
            [
                (
                    "Strategic planning, organisational management and value for money",
                    "use-of-resources",
                    "good",
                ),
                ("Building, supporting and protecting the workforce", "workforce", "adequate"),
                ("Responding to the public", "responding-to-the-public", "good"),
            ],
        ),
    )
    put(
        store,
        *_doc(
            "kent",
            "Kent Police",
            "2021/22",
            [
                ("Developing a positive workforce", "workforce", "outstanding"),
                ("Good use of resources", "use-of-resources", "requires improvement"),
                ("Something the framework lacks", None, "good"),
            ],
        ),
    )
    matrix = grade_matrix(store, "2021/22")
    # The framework's order for 2021/22: responding … workforce, use of resources; then the rest.
    assert [(c.key, c.name, c.group) for c in matrix.columns] == [
        ("responding-to-the-public", "Responding to the public", "framework"),
        ("workforce", "Developing a positive workplace", "framework"),
        ("use-of-resources", "Good use of resources", "framework"),
        ("other/something-the-framework-lacks", "Something the framework lacks", "other"),
    ]
    workforce = matrix.columns[1]
    assert workforce.official == "Building, supporting and protecting the workforce"
    rows = {r.force.slug: r.cells for r in matrix.rows}
    assert rows["cheshire"]["workforce"].grade == "adequate"
    assert rows["kent"]["workforce"].grade == "outstanding"
    assert rows["kent"]["use-of-resources"].grade == "requires improvement"
    assert rows["kent"]["other/something-the-framework-lacks"].grade == "good"
    assert "other/something-the-framework-lacks" not in rows["cheshire"]


def test_matrix_shows_the_most_recent_documents_grade(store) -> None:
    grades_new = [("Investigating crime", "investigating-crime", "good")]
    grades_old = [("Investigating crime", "investigating-crime", "inadequate")]
    # The later report is ingested first: publication date decides, not ingest order.
    put(store, *_doc("revisit", "Essex Police", "2023–25", grades_new, published="2025-06-01"))
    put(store, *_doc("first", "Essex Police", "2023–25", grades_old, published="2024-02-01"))
    cell = next(r for r in grade_matrix(store, "2023-25").rows if r.force.slug == "essex").cells[
        "investigating-crime"
    ]
    assert cell.grade == "good"
    profile = force_profile(store, "essex")
    assert [c.grade for c in profile.cycles[0].grades] == ["good"]


def test_matrix_cells_never_hold_claims(store) -> None:
    put(
        store,
        *_doc(
            "report", "Kent Police", "2023–25", [("Investigating crime", "investigating-crime", "adequate")]
        ),
    )
    put(
        store,
        *_doc(
            "letter",
            "Kent Police",
            "2023–25",
            [
                ("Investigating crime", "investigating-crime", "good"),
                ("Managing offenders", "managing-offenders", "outstanding"),
            ],
            kind="pcc_response",
        ),
    )
    matrix = grade_matrix(store, "2023–25")
    # A claimed grade with no inspectorate grade beside it makes no column and no cell.
    assert [c.key for c in matrix.columns] == ["investigating-crime"]
    cell = next(r for r in matrix.rows if r.force.slug == "kent").cells["investigating-crime"]
    assert cell.grade == "adequate"
    assert [(c.grade, c.agrees) for c in cell.claims] == [("good", False)]
    # The force's page still shows the claim that has nothing to compare with.
    cells = force_profile(store, "kent").cycles[0].grades
    assert any(c.grade is None and c.claims[0].grade == "outstanding" for c in cells)


# --------------------------------------------------------------------------- finding pages


def test_response_carries_its_documents_title(store) -> None:
    afi = "The force should make sure that it answers emergency calls promptly."
    put(
        store,
        *_doc("report", "Kent Police", "2023–25", [], title="PEEL 2023–25: Kent Police", findings=[afi]),
    )
    text, letter = _doc(
        "letter",
        "Kent Police",
        "2023–25",
        [],
        kind="pcc_response",
        title="Commissioner's letter",
        findings=[afi],
    )
    answer = "I have asked the Chief Constable for a plan."
    text += answer + "\n"
    start = text.index(answer)
    letter.responses.append(Response(0, "pcc", answer, answer, start, start + len(answer)))
    put(store, text, letter)
    finding = list_findings(store, force="kent").items[0]
    responses = get_finding(store, finding.id).responses
    assert [(r.text, r.document_title) for r in responses] == [(answer, "Commissioner's letter")]


# --------------------------------------------------------------------------- findings search

SHORT = "The force should find missing children quickly, so that missing children are safe."
LONG = (
    "The force should review its custody records, its training plans, its vehicle fleet and its "
    "estate, and where relevant the way it looks for missing children."
)
OTHER = "The force should improve how it handles calls from the public."


def test_list_findings_q_ranks_by_relevance_and_still_filters(store) -> None:
    put(store, *_doc("older", "Cheshire Constabulary", "2021/22", [], findings=[SHORT]))
    put(store, *_doc("newer", "Cheshire Constabulary", "2023–25", [], findings=[LONG, OTHER]))
    put(store, *_doc("kent", "Kent Police", "2023–25", [], findings=[LONG.replace("estate", "buildings")]))
    # Without words the newest cycle comes first; with them the best match does.
    assert list_findings(store, force="cheshire").items[0].cycle == "2023–25"
    page = list_findings(store, q="missing children")
    assert page.total == 3
    assert page.items[0].text == SHORT
    assert OTHER not in [f.text for f in page.items]
    # Words anywhere in the text, in any order, not only as one phrase.
    assert list_findings(store, q="children missing").total == 3
    # Filters still apply, and the total counts the filtered matches.
    assert [f.text for f in list_findings(store, q="missing children", force="kent").items] == [
        LONG.replace("estate", "buildings")
    ]
    page = list_findings(store, q="missing children", cycle="2023–25", force="cheshire")
    assert (page.total, [f.text for f in page.items]) == (1, [LONG])
    assert list_findings(store, q="missing children", type="cause_of_concern").total == 0
    # Paging follows the ranking.
    second = list_findings(store, q="missing children", limit=1, offset=1)
    assert second.total == 3 and second.items[0].text != SHORT
    # Only the finding's words are searched, not its title (force, cycle, type).
    assert list_findings(store, q="Cheshire").total == 0
    # Operators and markup are words, never syntax; a query with no words finds nothing.
    list_findings(store, q='missing NEAR "children" OR * ) title:')
    assert list_findings(store, q="!!!").total == 0
