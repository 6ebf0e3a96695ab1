"""Whatever bytes arrive, the readers return a Document or raise a ReadError: nothing else."""

from __future__ import annotations

import io
import zipfile
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.readers.builders import (
    DIV_SOUP_PAGE,
    html_bytes,
    letter_docx,
    paragraphs_pdf,
    text_bytes,
    two_column_pdf,
)

from peelwatch.errors import ReadError
from peelwatch.readers import read_bytes
from peelwatch.readers._builder import UNSHOWN
from peelwatch.readers.model import Document


@cache
def seeds() -> dict[str, bytes]:
    return {
        "notes.txt": text_bytes(),
        "page.html": html_bytes(),
        "update.html": DIV_SOUP_PAGE.encode(),
        "brief.pdf": paragraphs_pdf(),
        "review.pdf": two_column_pdf(pages=2),
        "plain.pdf": two_column_pdf(pages=2, compress=False),
        "letter.docx": letter_docx(),
    }


@st.composite
def mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    """A valid document with a few bytes flipped, cut off, inserted or removed."""
    name = draw(st.sampled_from(sorted(seeds())))
    data = bytearray(seeds()[name])
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "zero"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[at] = draw(st.integers(0, 255))
        elif action == "truncate":
            del data[at:]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif action == "delete":
            del data[at : at + draw(st.integers(1, 256))]
        else:
            data[at : at + 16] = bytes(min(16, len(data) - at))
    return bytes(data), name


@st.composite
def docx_with_mutated_xml(draw: st.DrawFn) -> tuple[bytes, str]:
    """A DOCX whose ZIP is sound but whose main XML part has bytes changed or cut off."""
    with zipfile.ZipFile(io.BytesIO(seeds()["letter.docx"])) as source:
        parts = {item.filename: source.read(item.filename) for item in source.infolist()}
    xml = bytearray(parts["word/document.xml"])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(xml) - 1))
        if draw(st.booleans()):
            xml[at] = draw(st.sampled_from(b"<>/=\"' x0\x00"))
        else:
            del xml[at : at + draw(st.integers(1, 200))]
    parts["word/document.xml"] = bytes(xml)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return buffer.getvalue(), "letter.docx"


def assert_reads_or_raises_read_error(data: bytes, name: str | None) -> None:
    try:
        doc = read_bytes(data, name)
    except ReadError as error:
        assert error.reason  # every refusal says why
        return
    assert isinstance(doc, Document)
    # No control bytes or private-use characters reach the text (the store relies on it).
    assert not UNSHOWN.search(doc.text)
    for meta in (doc.title, doc.published):
        assert meta is None or (
            meta.strip() == meta and meta and "\n" not in meta and not UNSHOWN.search(meta)
        )
    # Whatever was read, the blocks point inside the text.
    for block in doc.blocks:
        assert 0 <= block.start <= block.end <= len(doc.text)
        for start, end in block.cells:
            assert block.start <= start <= end <= block.end


SETTINGS = settings(
    max_examples=250, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@SETTINGS
@given(mutated())
def test_mutated_documents_only_raise_read_errors(case):
    assert_reads_or_raises_read_error(*case)


@SETTINGS
@given(docx_with_mutated_xml())
def test_docx_with_broken_xml_only_raises_read_errors(case):
    assert_reads_or_raises_read_error(*case)


@SETTINGS
@given(st.binary(max_size=4096), st.sampled_from([None, "x.txt", "x.pdf", "x.docx", "x.html", "x"]))
def test_random_bytes_only_raise_read_errors(data, name):
    assert_reads_or_raises_read_error(data, name)


@SETTINGS
@given(st.text(max_size=2000), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_any_text_is_read_or_refused_cleanly(text, encoding):
    assert_reads_or_raises_read_error(text.encode(encoding, errors="replace"), "t.txt")


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            [
                "<div>",
                "</div>",
                "<p>",
                "</p>",
                "<ul>",
                "<li>",
                "</ul>",
                "<table>",
                "<tr>",
                "<td>",
                "</table>",
                "<h2>",
                "</h2>",
                "<br>",
                "<main>",
                "</main>",
                "text ",
                "&amp;",
                "&#0;",
                "<script>",
                "</script>",
                "<!--",
            ]
        ),
        max_size=200,
    )
)
def test_tag_soup_is_read_cleanly(parts):
    assert_reads_or_raises_read_error(("<html><body>" + "".join(parts)).encode(), "soup.html")


def test_deeply_nested_html_does_not_overflow_the_stack():
    page = "<html><body>" + "<div>" * 5000 + "deep text" + "</div>" * 5000 + "</body></html>"
    doc = read_bytes(page.encode(), "deep.html")
    assert "deep text" in doc.text
