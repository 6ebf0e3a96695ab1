"""Metadata over the shared corpus: no title is boilerplate, and documents that state their date get
``published``. Skipped when the corpus is not beside the repository.

Every corpus document is read (000-249, and the rendered HTML, PDF and DOCX copies).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from meta_survey import survey

DEVELOPMENT = ["0*", "1*", "2*"]


@pytest.fixture(scope="module")
def rows(shared_corpus: Path):
    text = survey(shared_corpus / "documents", DEVELOPMENT)
    rendered = shared_corpus / "rendered" / "documents"
    return text + (survey(rendered, DEVELOPMENT) if rendered.is_dir() else [])


@pytest.mark.corpus
def test_no_corpus_document_is_titled_with_boilerplate(rows) -> None:
    bad = [(r.name, r.title) for r in rows if r.boilerplate_title]
    assert not bad, bad


@pytest.mark.corpus
def test_documents_that_state_a_date_get_published(rows) -> None:
    stated = [r for r in rows if r.states_date]
    missing = [r.name for r in stated if not r.published]
    assert stated
    assert len(missing) <= 0.2 * len(stated), missing
