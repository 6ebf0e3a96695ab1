"""HTML pages: the main content survives, the site around it does not."""

from __future__ import annotations

from tests.readers.builders import DIV_SOUP_PAGE, html_bytes

from peelwatch.readers import read_bytes


def blocks_of(doc, kind):
    return [doc.block_text(b) for b in doc.blocks if b.kind == kind]


def test_boilerplate_is_dropped():
    doc = read_bytes(html_bytes(), "page.html")
    for chrome in (
        "Skip to main content",
        "cookies",
        "About us",
        "Related reports",
        "Copyright",
        "injected",
        "Home / Reports",
        "Back to top",
    ):
        assert chrome not in doc.text
    assert "analytics" not in doc.text and "font-family" not in doc.text


def test_headings_paragraphs_lists_and_tables_remain():
    doc = read_bytes(html_bytes(), "page.html")
    assert doc.format == "html"
    headings = [(b.level, doc.block_text(b)) for b in doc.blocks if b.kind == "heading"]
    assert headings == [(1, "Riverside Constabulary & its neighbours"), (2, "Areas to look at")]
    assert blocks_of(doc, "paragraph")[0] == (
        "The inspection found that the constabulary answers calls promptly, but "
        "its records of what happened next were often incomplete."
    )
    items = [(b.level, doc.block_text(b)) for b in doc.blocks if b.kind == "list_item"]
    assert items == [
        (1, "Recording of repeat calls"),
        (2, "especially at night"),
        (1, "Supervision of new staff"),
    ]
    rows = [doc.cell_texts(b) for b in doc.blocks if b.kind == "table_row"]
    assert rows == [
        ["Area", "Grade"],
        ["Answering calls", "Good"],
        ["Keeping records", "Requires improvement"],
    ]
    assert "Keeping records\tRequires improvement" in doc.text
    assert "Report date" in blocks_of(doc, "paragraph") and "March 2024" in blocks_of(doc, "paragraph")


def test_text_reads_like_a_plain_text_copy_of_the_page():
    """A blank line between blocks; list items one a line with their bullet, indented when
    nested; table rows one a line with tab-separated cells."""
    doc = read_bytes(html_bytes(), "page.html")
    assert doc.text == (
        "Riverside Constabulary & its neighbours\n\n"
        "The inspection found that the constabulary answers calls promptly, but "
        "its records of what happened next were often incomplete.\n\n"
        "Areas to look at\n\n"
        "• Recording of repeat calls\n"
        "  ◦ especially at night\n"
        "• Supervision of new staff\n\n"
        "Area\tGrade\n"
        "Answering calls\tGood\n"
        "Keeping records\tRequires improvement\n\n"
        "Report date\n\n"
        "March 2024"
    )


def test_numbered_lists_show_their_numbers_as_a_browser_does():
    page = (
        "<main><ol start='3'><li>Third point</li><li value='7'>Seventh point</li><li>Eighth</li></ol>"
        "<ol type='a'><li>First letter</li><li>Second letter</li></ol>"
        "<ol type='I'><li>One</li><li>Two</li><li>Three</li><li>Four</li></ol></main>"
    )
    doc = read_bytes(page.encode(), "list.html")
    assert doc.text == (
        "3. Third point\n7. Seventh point\n8. Eighth\n"
        "a. First letter\nb. Second letter\n"
        "I. One\nII. Two\nIII. Three\nIV. Four"
    )
    items = [doc.block_text(b) for b in doc.blocks if b.kind == "list_item"]
    assert items[:2] == ["Third point", "Seventh point"]


def test_title_and_published_date():
    doc = read_bytes(html_bytes(), "page.html")
    assert doc.title == "Riverside Constabulary & its neighbours"
    assert doc.published == "2024-03-14"


def test_segments_name_the_element():
    doc = read_bytes(html_bytes(), "page.html")
    heading = next(b for b in doc.blocks if b.kind == "heading")
    assert doc.locate(heading.start) == "html:/html/body/main[1]/h1[1]"


def test_page_without_main_element_still_loses_its_chrome():
    doc = read_bytes(DIV_SOUP_PAGE.encode(), "update.htm")
    assert "Quarterly update on the improvement plan" in blocks_of(doc, "heading")
    assert "closed eleven of them" in doc.text
    assert "Finish the audit of custody records started in the summer." in blocks_of(doc, "list_item")
    for chrome in ("Site map", "uses cookies", "Contact"):
        assert chrome not in doc.text
    assert doc.published == "2022-11-02"


def test_time_element_gives_the_date_when_meta_tags_do_not():
    page = "<html><body><article><h1>Note</h1><time datetime='2021-06-30'>30 June</time><p>Body.</p></article></body></html>"
    assert read_bytes(page.encode(), "n.html").published == "2021-06-30"


def test_entities_and_legacy_charset():
    page = "<html><head><meta charset='windows-1252'></head><body><p>Cost: £5 &ndash; “fair” &amp; right</p></body></html>"
    doc = read_bytes(page.encode("cp1252"), "old.html")
    assert doc.text == "Cost: £5 – “fair” & right"


def test_page_with_nothing_readable_warns():
    doc = read_bytes(b"<html><body><script>x()</script></body></html>", "empty.html")
    assert doc.text == ""
    assert "no readable text" in doc.warnings


def test_html_is_detected_from_content_not_name():
    doc = read_bytes(html_bytes(), "download.txt")
    assert doc.format == "html"


def test_link_heavy_page_without_main_falls_back_to_trafilatura():
    links = "".join(f'<font><a href="/topic/{n}">Topic number {n}</a> </font>' for n in range(60))
    page = (
        "<html><body>" + links + "<div><h1>Opening hours</h1>"
        "<p>The front counter at the central station is open from eight in the morning until eight in "
        "the evening on weekdays, and from ten until four at weekends and on public holidays.</p>"
        "<p>Outside those hours the public can still report matters online or by telephone, and urgent "
        "calls are always answered straight away by the control room team.</p></div></body></html>"
    )
    doc = read_bytes(page.encode(), "hours.html")
    assert "open from eight in the morning" in doc.text
    assert "Topic number 7" not in doc.text


def test_control_and_private_use_characters_are_dropped():
    page = "<html><body><main><p>Icon\ue001 before a word and a \x07bell</p></main></body></html>"
    assert read_bytes(page.encode(), "icons.html").text == "Icon before a word and a bell"


def test_page_wrapped_in_one_form_keeps_its_content():
    # Some site frameworks put the whole page inside a single <form>; only small forms are chrome.
    page = (
        "<html><body class='has-cookie-consent'><form id='pageForm'>"
        "<div class='search'><form><input name='q'><button>Search</button></form></div>"
        "<h1>Commissioner responds</h1><p>The commissioner welcomed the report and set out next steps.</p>"
        "</form></body></html>"
    )
    doc = read_bytes(page.encode(), "response.aspx")
    assert doc.text == "Commissioner responds\n\nThe commissioner welcomed the report and set out next steps."


def test_utf8_page_with_one_stray_byte_stays_utf8():
    page = "<html><body><main><p>Café “menus”</p><p>Price: </p></main></body></html>".encode()
    page = page.replace(b"Price: ", b"Price: \xa3")
    doc = read_bytes(page, "menu.html")
    assert doc.text == "Café “menus”\n\nPrice: \ufffd"
    assert doc.warnings == ["not valid UTF-8; some characters replaced"]


def test_table_used_for_page_layout_is_read_as_content():
    page = (
        "<html><body><table><tr><td><h1>Annual statement</h1>"
        "<p>The first paragraph of the statement.</p><p>The second paragraph.</p>"
        "<ul><li>An item</li></ul></td></tr></table></body></html>"
    )
    doc = read_bytes(page.encode(), "old.html")
    assert [(b.kind, doc.block_text(b)) for b in doc.blocks] == [
        ("heading", "Annual statement"),
        ("paragraph", "The first paragraph of the statement."),
        ("paragraph", "The second paragraph."),
        ("list_item", "An item"),
    ]


def test_data_table_with_a_paragraph_in_a_cell_stays_a_table():
    page = "<html><body><main><table><tr><td><p>Area</p></td><td>Grade</td></tr></table></main></body></html>"
    doc = read_bytes(page.encode(), "data.html")
    assert [doc.cell_texts(b) for b in doc.blocks] == [["Area", "Grade"]]


def test_paragraphs_inside_list_items_are_the_items_text():
    page = (
        "<html><body><main><ul><li><p>The force should answer <span>calls</span> faster.</p></li>"
        "<li><p>It should record why.</p><p>And tell callers.</p></li></ul></main></body></html>"
    )
    doc = read_bytes(page.encode(), "items.html")
    assert [(b.kind, doc.block_text(b)) for b in doc.blocks] == [
        ("list_item", "The force should answer calls faster."),
        ("list_item", "It should record why.\nAnd tell callers."),
    ]


def test_site_is_the_publisher_the_page_names() -> None:
    def page(head: str) -> bytes:
        return f"<html><head>{head}</head><body><main><h1>Inspectors see progress</h1><p>Text.</p></main></body></html>".encode()

    # the part of <title> after its last separator, while the title itself is the page's heading
    doc = read_bytes(page("<title>Inspectors see progress | Riverside Constabulary</title>"), "news.html")
    assert (doc.title, doc.site) == ("Inspectors see progress", "Riverside Constabulary")
    assert (
        read_bytes(page("<title>Latest news - Riverside Police</title>"), "a.html").site == "Riverside Police"
    )
    # og:site_name, when the page gives one, is the site's own statement of its name
    og = '<meta property="og:site_name" content="Riverside Police"><title>News | Other</title>'
    assert read_bytes(page(og), "b.html").site == "Riverside Police"
    # a title without a separator names no site, nor does a long sentence after a dash
    assert read_bytes(page("<title>Inspectors see progress</title>"), "c.html").site is None
    long_tail = (
        "<title>Report - the force has been told to improve the way it answers calls from the public</title>"
    )
    assert read_bytes(page(long_tail), "d.html").site is None
