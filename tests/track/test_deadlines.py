"""The section 55 clock: 56 days beginning with the day of publication, from fixed dates."""

from __future__ import annotations

from datetime import date

import pytest
from track_seed import report_with_findings, store_doc

from peelwatch.track import Actor, parse_date, response_clocks
from peelwatch.track.corrections import correct
from peelwatch.track.deadlines import clock_counts, response_deadline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03-14", date(2025, 3, 14)),
        ("2025-03-14T09:30:00", date(2025, 3, 14)),
        ("14/03/2025", date(2025, 3, 14)),
        ("14 March 2025", date(2025, 3, 14)),
        ("14th Mar 2025", date(2025, 3, 14)),
        ("March 14, 2025", date(2025, 3, 14)),
        ("Published: 1st September 2022", date(2022, 9, 1)),
        ("March 2025", None),
        ("2025-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_dates_are_read_as_documents_write_them(text: str | None, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_the_publication_day_is_day_one_of_fifty_six() -> None:
    assert response_deadline(date(2025, 3, 14)) == date(2025, 5, 8)


def _clock(store, today: date):
    with store.read() as session:
        [clock] = response_clocks(session, today=today, force="kent")
    return clock


def test_a_response_inside_the_window_is_on_time(any_store) -> None:
    report_with_findings(any_store, published="2025-03-14")
    store_doc(any_store, kind="pcc_response", published="2025-05-08", title="Commissioner's response")
    clock = _clock(any_store, date(2025, 9, 1))
    assert (clock.status, clock.deadline, clock.response_date) == (
        "on_time",
        date(2025, 5, 8),
        date(2025, 5, 8),
    )
    assert clock.label == "on time"


def test_a_response_after_the_deadline_is_late_by_the_days_past_it(any_store) -> None:
    report_with_findings(any_store, published="2025-03-14")
    store_doc(any_store, kind="pcc_response", published="20 May 2025", title="Commissioner's response")
    clock = _clock(any_store, date(2025, 9, 1))
    assert (clock.status, clock.days_late, clock.label) == ("late", 12, "late by 12 days")


def test_no_response_after_the_deadline_is_missing(any_store) -> None:
    report_with_findings(any_store, published="2025-03-14")
    clock = _clock(any_store, date(2025, 5, 9))
    assert (clock.status, clock.days_late, clock.response_id) == ("missing", 1, None)


def test_no_response_before_the_deadline_is_not_yet_due(any_store) -> None:
    report_with_findings(any_store, published="2025-03-14")
    clock = _clock(any_store, date(2025, 5, 8))
    assert (clock.status, clock.days_left) == ("not_yet_due", 0)


def test_a_response_to_an_earlier_report_does_not_answer_a_later_one(any_store) -> None:
    store_doc(any_store, kind="pcc_response", published="2025-01-10", title="Response to an older report")
    report_with_findings(any_store, published="2025-03-14")
    assert _clock(any_store, date(2025, 6, 1)).status == "missing"


def test_a_corrected_report_date_moves_the_deadline(any_store) -> None:
    report_id, _ = report_with_findings(any_store, published="2025-03-14")
    store_doc(any_store, kind="pcc_response", published="2025-05-20", title="Commissioner's response")
    assert _clock(any_store, date(2025, 9, 1)).status == "late"
    editor = Actor(name="sam", role="editor", user_id=None, via="web")
    with any_store.write() as session:
        correct(session, editor, "document", report_id, "published", "2025-04-01")
    clock = _clock(any_store, date(2025, 9, 1))
    assert (clock.deadline, clock.status) == (date(2025, 5, 26), "on_time")


def test_an_undated_report_says_so_and_counts_are_national(any_store) -> None:
    report_with_findings(any_store, published=None)
    report_with_findings(any_store, force="Essex Police", published="2025-03-14")
    with any_store.read() as session:
        clocks = response_clocks(session, today=date(2025, 9, 1))
    assert {c.force_slug: c.status for c in clocks} == {"kent": "undated", "essex": "missing"}
    assert clock_counts(clocks)["missing"] == 1 and clock_counts(clocks)["undated"] == 1
