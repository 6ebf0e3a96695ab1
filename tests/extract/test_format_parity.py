"""The same document gives the same facts whether it arrives as text, HTML, DOCX or PDF.

Each plain-text document is turned, at test time, into a web page (with and without <main>, with
a cookie banner, navigation, a breadcrumb trail, "Back to top" links, share links, a feedback
form and a footer), a Word document (heading styles and list paragraphs, numbered by style or
by Word's own bullet numbering), and PDFs in one column, in two columns with hyphenation and
running footers, and in two columns drawn line by line across the page
(``tests/readers/plain_to_formats.py``). The readers should give the extractor text whose lines
and blank lines mirror the document's blocks, so every copy states what the text states: the
same kind, force and cycle, and the same judgments, findings and responses, matched by the
contract's rules.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from tests.readers.plain_to_formats import FORMATS, render

from peelwatch.evaluate import score_extraction
from peelwatch.extract import extract_document
from peelwatch.readers import read_bytes

HERE = Path(__file__).parent
OWN = HERE / "format_parity"
OWN_DOCUMENTS = sorted(p.stem for p in OWN.glob("*.txt"))
# The plain-text documents of the extraction tests, every cycle's layout.
TEST_DOCUMENTS = sorted(p.stem for p in (HERE / "documents").glob("*.txt"))
SHARED_REPORT = HERE.parents[2] / "shared" / "corpus" / "documents" / "003_91c02cffd4913b8e.txt"
FACTS = ("kind", "force", "cycle", "judgments", "findings", "responses")


@lru_cache(maxsize=8)
def text_facts(path: Path) -> dict:
    """What the extractor finds in the plain-text document (the answer the copies must give)."""
    result = extract_document(read_bytes(path.read_bytes(), path.name)).to_dict()
    return {key: result.get(key) for key in FACTS}


def differences(path: Path, fmt: str) -> list[str]:
    """How the copy of ``path`` in ``fmt`` differs from the text, as the scorer words it."""
    raw = path.read_bytes()
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError:
        source = raw.decode("cp1252")
    data, suffix = render(source, fmt)
    doc = read_bytes(data, path.stem + suffix)
    copy = extract_document(doc).to_dict()
    score = score_extraction(copy, text_facts(path), doc.text)
    assert score.evidence_real == score.evidence_total, "every evidence is words of the copy"
    return score.mismatches


@pytest.mark.parametrize("name", OWN_DOCUMENTS)
def test_own_documents_state_what_they_say_as_text(name):
    """The answer the copies are held to is itself right: the text gives every expected fact."""
    expected = json.loads((OWN / f"{name}.expected.json").read_text(encoding="utf-8"))
    path = OWN / f"{name}.txt"
    score = score_extraction(text_facts(path), expected, path.read_text(encoding="utf-8"))
    assert score.mismatches == []


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", OWN_DOCUMENTS)
def test_own_documents_give_the_same_facts_in_every_format(name, fmt):
    assert differences(OWN / f"{name}.txt", fmt) == []


@pytest.mark.parametrize("fmt", list(FORMATS))
@pytest.mark.parametrize("name", TEST_DOCUMENTS)
def test_the_extraction_test_documents_give_the_same_facts_in_every_format(name, fmt):
    assert differences(HERE / "documents" / f"{name}.txt", fmt) == []


@pytest.mark.corpus
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_86_kb_report_gives_the_same_facts_in_every_format(fmt):
    """The long two-column report of the shared corpus, rebuilt in every format, states the same
    judgments and findings as its text."""
    if not SHARED_REPORT.exists():
        pytest.skip("the shared corpus is not beside the project")
    assert differences(SHARED_REPORT, fmt) == []
