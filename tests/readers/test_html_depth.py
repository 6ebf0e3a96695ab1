"""Pages nested deeper than any real page are cut down to a fixed depth before parsing, so the
parser's per-tag look through the open elements stays cheap; real pages pass through untouched."""

from __future__ import annotations

from tests.readers.builders import html_bytes, large_page

from peelwatch.readers import read_bytes
from peelwatch.readers._html_depth import MAX_DEPTH, limit_depth
from peelwatch.readers.html import decode_html


def nested(count: int, unit: str = '<div><a href="#">link text</a> ', close: str = "</div>") -> str:
    return "<html><body>" + unit * count + close * count + "</body></html>"


def test_real_pages_come_back_as_the_same_object():
    for page in (html_bytes(), large_page(100_000, semantic=True), large_page(100_000, semantic=False)):
        text, _ = decode_html(page)
        assert limit_depth(text) is text


def test_pages_nested_within_the_limit_are_unchanged():
    page = nested(MAX_DEPTH - 5)
    assert limit_depth(page) is page


def test_tags_below_the_limit_are_cut_with_their_end_tags_and_the_text_stays():
    page = nested(1000, "<div>level ", "</div>")
    cut = limit_depth(page, max_depth=50)
    # html and body count as two levels: 48 <div>s stay open, the rest become plain text.
    assert cut.count("<div>") == 48 and cut.count("</div>") == 48
    assert cut.count("level") == 1000


def test_implied_end_tags_do_not_count_as_depth():
    # 2,000 list items and paragraphs whose end tags are left out nest no deeper than one.
    page = "<html><body><ul>" + "<li><p>item" * 2000 + "</ul></body></html>"
    assert limit_depth(page, max_depth=10) is page


def test_markup_inside_comments_scripts_and_attribute_values_is_not_counted():
    hidden = "<!-- <div> -->" + "<script>var s = '<div>';</script>" + '<p title="<div><div>">x</p>'
    page = "<html><body>" + hidden * 100 + "</body></html>"
    assert limit_depth(page, max_depth=10) is page


def test_a_deeply_nested_page_is_read_with_all_its_text():
    doc = read_bytes(nested(20_000).encode(), "deep.html")
    assert doc.text.count("link text") == 20_000
