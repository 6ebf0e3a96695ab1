"""HTML pages: keep the main content as headings, paragraphs, list items and table rows.

selectolax (lexbor) gives the structure quickly. Pages that mark their content with <main> or
<article> are cut down to it. Pages that do not lose the elements whose class names or link
density mark them as site chrome; if what is left is still mostly links, trafilatura (the tool
that measured best at dropping banners, side bars and footers) picks the main text. It is
imported only then: importing it takes over a second and it needs 50-150 ms for a 100 KB page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser, LexborNode

from peelwatch.errors import CorruptDocumentError
from peelwatch.readers._builder import TextBuilder, list_number
from peelwatch.readers._html_depth import limit_depth
from peelwatch.readers.model import BlockKind, Document
from peelwatch.readers.text import mostly_utf8

# Never content, wherever they are.
_ALWAYS_DROP = (
    "script, style, noscript, template, svg, canvas, iframe, object, embed, nav, aside, footer, "
    "button, select, input, textarea, dialog, [hidden], [aria-hidden=true], [role=navigation], "
    "[role=search], [role=complementary], [role=contentinfo], [role=banner]"
)
# Cookie notices; checked against _is_content first, because some sites put "cookie" classes on
# a wrapper of the whole page.
_COOKIE_NOTICE = '[class*="cookie" i], [id*="cookie" i], [class*="consent" i], [id*="consent" i]'
# A form is a search box or a sign-up unless it holds text structure: ASP.NET sites wrap the
# whole page in one <form>.
_FORM_CONTENT = "p, h1, h2, h3, h4, h5, h6, main, article, table, li"
# ... and more text than a "Was this page helpful?" box or a sign-up form holds.
_FORM_TEXT = 200
# A <header> inside <main>/<article> holds the title; the page's own header is site chrome.
_PAGE_CHROME = "header"

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_PARAGRAPH_TAGS = frozenset(
    [
        "p",
        "pre",
        "blockquote",
        "figcaption",
        "caption",
        "address",
        "dt",
        "dd",
        "legend",
        "summary",
        "details",
        "center",
    ]
)
_CONTAINER_TAGS = frozenset(
    [
        "td",
        "th",
        "div",
        "section",
        "article",
        "main",
        "body",
        "html",
        "fieldset",
        "figure",
        "hgroup",
        "search",
        "dl",
        "header",
    ]
)
_LIST_TAGS = frozenset(("ul", "ol", "menu"))
_TABLE_PARTS = frozenset(("thead", "tbody", "tfoot", "tr"))
_ROW = frozenset(("tr",))
_CELLS = frozenset(("td", "th"))
# Block elements that, inside a list item, hold the item's own text.
_LIST_ITEM_PARTS = frozenset(("p", "div", "section", "blockquote", "address"))
# Inside a table cell, any of these means the table lays out the page.
_LAYOUT_CONTENT = "h1, h2, h3, h4, h5, h6, ul, ol, table, article, main, section"
_SKIP_LINK = re.compile(r"^\s*(?:skip\s+(?:to|navigation)|back\s+to\s+(?:the\s+)?top\b)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.-]+)", re.IGNORECASE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Attribute names that carry a publication date, in order of trust.
_DATE_META = (
    "article:published_time",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "datepublished",
    "date",
)
# Legacy charsets a page may declare; browsers read all of these as windows-1252.
_AS_CP1252 = frozenset(("iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii", "windows-1252", "cp1252"))
_DEPTH_LIMIT = 300
# trafilatura's main-text pass costs seconds per megabyte; pages larger than any real page that
# needs it keep what our own rules found, so reading time stays in proportion to size.
_MAIN_TEXT_MAX = 512 * 1024


def decode_html(data: bytes) -> tuple[str, str | None]:
    """Decode page bytes: BOM, then the declared charset, then UTF-8, then cp1252 (with a warning)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec, errors="replace"), None
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        codec = "cp1252" if name in _AS_CP1252 else name
        if codec.startswith(("utf-16", "utf16")):
            # Bytes that can show an ASCII <meta> tag are not UTF-16; browsers read them as UTF-8.
            codec = "utf-8"
        try:
            text = data.decode(codec)
        except LookupError:
            pass
        except UnicodeDecodeError:
            if codec not in ("utf-8", "utf8"):
                return data.decode(codec, errors="replace"), f"not valid {name}; some characters replaced"
        else:
            return text, None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    lenient = mostly_utf8(data)
    if lenient is not None:
        return lenient, "not valid UTF-8; some characters replaced"
    return data.decode("cp1252", errors="replace"), "not valid UTF-8; decoded as cp1252"


# Stands for a <br> in text taken from the tree; becomes a newline once spaces are collapsed.
_BREAK = "\u2028"
# Block-level elements that, found inside a paragraph-like element, need the slow walk.
_NESTED_BLOCKS = "p, div, ul, ol, li, table, h1, h2, h3, h4, h5, h6, dl, blockquote, pre, section, article"
# Elements that are usually leaves of the block structure: their text can be taken in one call.
_LEAF_CANDIDATES = frozenset([*_HEADINGS, "p", "li", "dt", "dd", "caption", "figcaption", "address"])


def _int_attribute(node: LexborNode, name: str) -> int | None:
    value = (node.attributes.get(name) or "").strip()
    return int(value) if value.lstrip("-").isdigit() and len(value) < 10 else None


@dataclass(slots=True)
class _OpenList:
    """A list being read: ``<ul>`` items are shown with a bullet, ``<ol>`` items with their
    number as a browser shows it ("3.", "c.", "iv.", from ``start``, ``type`` and ``value``)."""

    numbered: bool
    style: str = "1"
    next_number: int = 1

    @classmethod
    def of(cls, node: LexborNode, tag: str) -> _OpenList:
        if tag != "ol":
            return cls(numbered=False)
        start = _int_attribute(node, "start")
        return cls(
            numbered=True,
            style=(node.attributes.get("type") or "1").strip()[:1] or "1",
            next_number=1 if start is None else start,
        )

    def next_marker(self, item: LexborNode) -> str | None:
        """The marker of the next ``<li>``; None (a plain bullet) in an unordered list."""
        if not self.numbered:
            return None
        value = _int_attribute(item, "value")
        number = self.next_number if value is None else value
        self.next_number = number + 1
        return f"{list_number(number, self.style)}."


@dataclass(slots=True)
class _Walker:
    """Walks an element tree in document order, turning block elements into Document blocks.

    Elements that hold only inline content (most <p>, <li> and headings) have their text taken
    in one call into lexbor; only containers are walked node by node in Python, which keeps a
    100 KB page well within the time budget.
    """

    builder: TextBuilder = field(default_factory=TextBuilder)
    buffer: list[str] = field(default_factory=list)
    # The open block that loose text belongs to: (kind, level, element path, list marker).
    context: list[tuple[BlockKind, int, str, str | None]] = field(default_factory=list)
    # The open lists, innermost last: the marker style and the number of the next item.
    lists: list[_OpenList] = field(default_factory=list)
    in_pre: bool = False
    # Tag names by lexbor tag id: reading ``node.tag`` builds a new string each time, and the walk
    # asks for every node's tag.
    tag_names: dict[int, str] = field(default_factory=dict)
    # mem_ids of elements that contain a block-level element (see _holding_blocks).
    holding_blocks: set[int] = field(default_factory=set)

    def flush(self) -> None:
        if not self.buffer:
            return
        text = _collapse("".join(self.buffer))
        self.buffer.clear()
        kind, level, path, marker = self.context[-1]
        self.builder.add(kind, text, level=level, locator=f"html:{path}", marker=marker)

    def visit_children(self, node: LexborNode, path: str, depth: int) -> None:
        counts: dict[str, int] = {}
        names = self.tag_names
        child = node.child
        while child is not None:
            tag_id = child.tag_id
            tag = names.get(tag_id)
            if tag is None:
                tag = names[tag_id] = child.tag or ""
            if tag == "-text":
                text = child.text_content or ""
                # Whitespace between block elements is most text nodes on a page and never content.
                if self.buffer or not text.isspace():
                    self.buffer.append(text if self.in_pre else text.replace("\n", " ").replace("\r", " "))
            elif not tag.startswith("-"):
                counts[tag] = counts.get(tag, 0) + 1
                self.visit(child, tag, f"{path}/{tag}[{counts[tag]}]", depth + 1)
            child = child.next

    def visit(self, node: LexborNode, tag: str, path: str, depth: int) -> None:
        if depth > _DEPTH_LIMIT:
            # Pathologically deep markup: take its text in one go rather than recurse further.
            self.buffer.append(" " + (node.text(separator=" ") or ""))
            return
        if tag == "table":
            self.flush()
            if self.is_layout(node):
                # A table that lays out the page: its cells are containers, not data.
                self.visit_children(node, path, depth)
            else:
                self.table(node, path)
        elif tag in _LIST_TAGS:
            self.flush()
            self.lists.append(_OpenList.of(node, tag))
            self.visit_children(node, path, depth)
            self.flush()
            self.lists.pop()
        elif tag == "li":
            marker = self.lists[-1].next_marker(node) if self.lists else None
            self.block(node, tag, path, depth, "list_item", max(len(self.lists), 1), marker)
        elif self.context and self.context[-1][0] == "list_item" and tag in _LIST_ITEM_PARTS:
            # <li><p>...</p></li>: the paragraph is the item's text, on a line of its own.
            self.buffer.append(_BREAK)
            self.visit_children(node, path, depth)
            self.buffer.append(_BREAK)
        elif tag in _HEADINGS:
            self.block(node, tag, path, depth, "heading", _HEADINGS[tag])
        elif tag in _PARAGRAPH_TAGS:
            self.block(node, tag, path, depth, "paragraph", 1 if tag == "dd" else 0)
        elif tag in _CONTAINER_TAGS:
            self.block(node, tag, path, depth, "paragraph", 0)
        else:
            # Inline elements (and unknown ones) add their text to the surrounding block.
            self.visit_children(node, path, depth)

    def block(
        self,
        node: LexborNode,
        tag: str,
        path: str,
        depth: int,
        kind: BlockKind,
        level: int,
        marker: str | None = None,
    ) -> None:
        self.flush()
        if tag in _LEAF_CANDIDATES and not self.in_pre and node.mem_id not in self.holding_blocks:
            text = _collapse((node.text(separator="") or "").replace("\n", " "))
            self.builder.add(kind, text, level=level, locator=f"html:{path}", marker=marker)
            return
        was_pre = self.in_pre
        self.in_pre = was_pre or tag == "pre"
        self.context.append((kind, level, path, marker))
        self.visit_children(node, path, depth)
        self.flush()
        self.context.pop()
        self.in_pre = was_pre

    def children(self, node: LexborNode, wanted: frozenset[str]) -> list[LexborNode]:
        """Child elements of ``node`` whose tag is in ``wanted``."""
        names = self.tag_names
        found: list[LexborNode] = []
        child = node.child
        while child is not None:
            tag_id = child.tag_id
            tag = names.get(tag_id)
            if tag is None:
                tag = names[tag_id] = child.tag or ""
            if tag in wanted:
                found.append(child)
            child = child.next
        return found

    def own_rows(self, table: LexborNode) -> list[LexborNode]:
        """Rows of this table, not of tables nested in its cells, in order."""
        rows: list[LexborNode] = []
        for part in self.children(table, _TABLE_PARTS):
            rows.extend(self.children(part, _ROW) if self.tag_names[part.tag_id] != "tr" else [part])
        return rows

    def is_layout(self, table: LexborNode) -> bool:
        """Is this table page layout rather than data?

        Old sites put the whole page in a table. A cell holding headings, lists, another table
        or several paragraphs is not a data cell.
        """
        if (table.attributes.get("role") or "").lower() in ("presentation", "none"):
            return True
        if table.mem_id not in self.holding_blocks:
            return False
        for row in self.own_rows(table):
            for cell in self.children(row, _CELLS):
                if cell.mem_id in self.holding_blocks and (
                    cell.css_first(_LAYOUT_CONTENT) is not None or len(cell.css("p")) > 1
                ):
                    return True
        return False

    def table(self, table: LexborNode, path: str) -> None:
        for row_index, row in enumerate(self.own_rows(table), start=1):
            cells = [self.cell_text(cell) for cell in self.children(row, _CELLS)]
            self.builder.add_row(cells, locator=f"html:{path}//tr[{row_index}]")

    def cell_text(self, cell: LexborNode) -> str:
        # Text nodes of inline content carry their own spaces; blocks inside a cell need one added.
        separator = " " if cell.mem_id in self.holding_blocks else ""
        return " ".join((cell.text(separator=separator) or "").split())


def _holding_blocks(root: LexborNode) -> set[int]:
    """mem_ids of every element under ``root`` that has a block-level element inside it.

    One CSS query and a walk up from each block is far cheaper than asking every paragraph
    whether it contains a block.
    """
    holding: set[int] = set()
    root_id = root.mem_id
    for block in root.css(_NESTED_BLOCKS):
        parent = block.parent
        while parent is not None:
            parent_id = parent.mem_id
            if parent_id in holding or parent_id == root_id:
                break
            holding.add(parent_id)
            parent = parent.parent
    return holding


def _children(node: LexborNode) -> list[LexborNode]:
    out: list[LexborNode] = []
    child = node.child
    while child is not None:
        out.append(child)
        child = child.next
    return out


def _collapse(text: str) -> str:
    """Collapse runs of spaces within each line (a <br> makes a line) and trim blank edges."""
    text = text.replace(_BREAK, "\n")
    if "\n" not in text:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _remove(nodes: list[LexborNode]) -> None:
    for node in nodes:
        # A node inside one already removed is detached with it; decompose copes with that.
        node.decompose()


def _content_root(tree: LexborHTMLParser) -> tuple[LexborNode | None, bool]:
    """The element holding the main content, and whether the page marked it semantically."""
    main = tree.css_first("main, [role=main]")
    if main is not None:
        return main, True
    articles = tree.css("article")
    if len(articles) == 1:
        return articles[0], True
    return tree.body, False


def _path_of(node: LexborNode) -> str:
    """The element path of ``node`` from <html>, e.g. "/html/body/main[1]" (indices among same tags)."""
    steps: list[str] = []
    current: LexborNode | None = node
    while current is not None and current.tag not in (None, "-document") and current.tag != "html":
        parent = current.parent
        index = 1
        if parent is not None:
            index = 0
            for sibling in _children(parent):
                if sibling.tag == current.tag:
                    index += 1
                if sibling.mem_id == current.mem_id:
                    break
        steps.append(f"{current.tag}[{index}]" if current.tag != "body" else "body")
        current = parent
    return "/html/" + "/".join(reversed(steps))


def _meta_values(tree: LexborHTMLParser) -> dict[str, str]:
    values: dict[str, str] = {}
    for meta in tree.css("meta"):
        attrs = meta.attributes
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop")
        content = attrs.get("content")
        if key and content and key.lower() not in values:
            values[key.lower()] = content.strip()
    return values


def _published(tree: LexborHTMLParser, meta: dict[str, str]) -> str | None:
    """Publication date from meta tags or a <time datetime>, as YYYY-MM-DD when it starts with one."""
    value = next((meta[key] for key in _DATE_META if meta.get(key)), None)
    if value is None:
        time = tree.css_first("time[datetime]")
        value = (time.attributes.get("datetime") or "").strip() if time is not None else None
    if not value:
        return None
    iso = _ISO_DATE.match(value)
    return iso.group(0) if iso else value


def _title(tree: LexborHTMLParser, root: LexborNode | None, meta: dict[str, str]) -> str | None:
    h1 = root.css_first("h1") if root is not None else None
    for candidate in (
        h1.text(separator=" ") if h1 is not None else None,
        meta.get("og:title"),
        tree.css_first("title").text() if tree.css_first("title") is not None else None,
    ):
        if candidate and candidate.strip():
            return _collapse(candidate.replace("\n", " "))
    return None


_SITE_SEPARATOR = re.compile(r"\s+(?:\||-|–|—)\s+")
_SITE_MAX_WORDS = 8


def _site(tree: LexborHTMLParser, meta: dict[str, str]) -> str | None:
    """The publisher's name the page states: og:site_name, else the part of <title> after its last
    " | " or " - " ("News | Nottinghamshire Police" -> "Nottinghamshire Police")."""
    named = meta.get("og:site_name")
    if named and named.strip():
        return _collapse(named)
    node = tree.css_first("title")
    parts = _SITE_SEPARATOR.split(_collapse(node.text() or "")) if node is not None else []
    if len(parts) < 2 or not parts[-1] or len(parts[-1].split()) > _SITE_MAX_WORDS:
        return None
    return parts[-1]


def read_html(data: bytes, source: str | None = None) -> Document:
    """Read an HTML page into a Document holding its main content."""
    html, warning = decode_html(data)
    html = limit_depth(html)
    warnings = [warning] if warning else []
    try:
        tree = LexborHTMLParser(html)
    except Exception as exc:  # the parser's own failure modes are not documented
        raise CorruptDocumentError("HTML could not be parsed") from exc
    meta = _meta_values(tree)
    published = _published(tree, meta)
    root, semantic = _content_root(tree)
    if root is None:
        return Document(text="", format="html", source=source, warnings=[*warnings, "no readable text"])
    _remove(root.css(_ALWAYS_DROP))
    _remove(_not_content(root.css(_COOKIE_NOTICE), root))
    _remove([form for form in root.css("form") if not _form_holds_content(form)])
    _remove([a for a in root.css("a") if _SKIP_LINK.match(a.text() or "")])
    _remove(_chrome_by_name(root, _CHROME_IN_CONTENT))
    if not semantic:
        _remove(root.css(_PAGE_CHROME))
        _remove(_chrome_by_name(root, _CHROME_WORDS))
        _remove(_link_lists(root))
    for br in root.css("br"):
        br.replace_with(_BREAK)
    title = _title(tree, root, meta)
    walker = _Walker(holding_blocks=_holding_blocks(root))
    root_path = _path_of(root)
    walker.context.append(("paragraph", 0, root_path, None))
    walker.visit_children(root, root_path, 0)
    walker.flush()
    builder = walker.builder
    if not semantic and len(builder.blocks) > 1 and len(html) <= _MAIN_TEXT_MAX and _link_density(root) > 0.5:
        # Our own rules left a page that is still mostly links; let trafilatura pick the text.
        builder = _keep_main_text(html, builder)
    text = builder.text()
    if not text.strip():
        warnings.append("no readable text")
    return Document(
        text=text,
        format="html",
        blocks=builder.blocks,
        source=source,
        title=title,
        published=published,
        site=_site(tree, meta),
        segments=builder.segments,
        warnings=warnings,
    )


# Words in class names and ids that mark site chrome on pages without <main>/<article>.
_CHROME_WORDS = frozenset(
    [
        "nav",
        "navbar",
        "navigation",
        "menu",
        "menubar",
        "breadcrumb",
        "breadcrumbs",
        "sidebar",
        "footer",
        "header",
        "masthead",
        "cookie",
        "cookies",
        "consent",
        "skip",
        "share",
        "sharing",
        "social",
        "related",
        "newsletter",
        "subscribe",
        "advert",
        "advertisement",
        "ads",
        "promo",
        "pagination",
        "pager",
        "toolbar",
        "topbar",
        "search",
    ]
)
# The subset that is chrome even inside <main>/<article>: trails, share bars, pagers.
_CHROME_IN_CONTENT = frozenset(
    [
        "breadcrumb",
        "breadcrumbs",
        "share",
        "sharing",
        "social",
        "pagination",
        "pager",
        "skip",
        "print",
        "toolbar",
    ]
)
_NAME_SPLIT = re.compile(r"[\s_-]+")
# An element is chrome by its links when at least this many links make up this share of its text.
_MIN_LINKS = 3
_LINK_SHARE = 0.6


def _named_as(node: LexborNode, words: frozenset[str]) -> bool:
    attrs = node.attributes
    names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower()
    return any(word in words for word in _NAME_SPLIT.split(names) if word)


def _form_holds_content(form: LexborNode) -> bool:
    """Is this form a wrapper of page content rather than a search, sign-up or feedback box?"""
    if form.css_first(_FORM_CONTENT) is None:
        return False
    return len(" ".join((form.text(separator=" ") or "").split())) > _FORM_TEXT


@dataclass(slots=True)
class _Measure:
    """What the chrome rules ask of an element, counted for many elements in one walk.

    Asking each element for its text costs the size of its subtree; asked of every element of
    a deeply nested page that is quadratic. One walk in document order keeps running totals
    instead: an element's figures are the totals at its end less the totals at its start.
    """

    spaced: int  # len(element.text(separator=" "))
    words: int  # len(" ".join(element.text(separator=" ").split()))
    links: int  # <a> elements inside it
    link_text: int  # their stripped text, summed
    titles: int  # <h1> elements, itself included


def _measure(root: LexborNode, wanted: set[int] | None = None, min_links: int = 0) -> dict[int, _Measure]:
    """Figures of the elements under ``root`` (and of ``root``): of the ``wanted`` ones, or of
    every one with at least ``min_links`` links."""
    # Running totals, kept in locals (this loop visits every node of the page): characters,
    # text nodes, word characters, words, links, link text and <h1>s so far.
    chars = texts = word_chars = words = links = link_text = titles = 0
    found: dict[int, _Measure] = {}
    # Open elements, innermost last: (mem_id, the totals when it opened).
    open_elements: list[tuple[int, int, int, int, int, int, int, int]] = []
    pop = open_elements.pop

    def close(opened: tuple[int, ...], now: tuple[int, ...]) -> None:
        mem_id, c0, c1, c2, c3, c4, c5, c6 = opened
        n0, n1, n2, n3, n4, n5, n6 = now
        if n4 - c4 >= min_links and (wanted is None or mem_id in wanted):
            found[mem_id] = _Measure(
                spaced=n0 - c0 + n1 - c1 - 1 if n1 > c1 else 0,
                words=n2 - c2 + n3 - c3 - 1 if n3 > c3 else 0,
                links=n4 - c4,
                link_text=n5 - c5,
                titles=n6 - c6,
            )

    root_id = root.mem_id
    for node in root.traverse(include_text=True):
        tag = node.tag
        if tag == "-comment":
            continue
        mem_id = node.mem_id
        if mem_id != root_id:
            parent_id = node.parent.mem_id
            while open_elements and open_elements[-1][0] != parent_id:
                close(pop(), (chars, texts, word_chars, words, links, link_text, titles))
        if tag == "-text":
            text = node.text_content or ""
            chars += len(text)
            texts += 1
            parts = text.split()
            if parts:
                word_chars += sum(map(len, parts))
                words += len(parts)
            continue
        if tag == "a":
            # Counted before the link opens: it counts for the elements around it, not itself.
            links += 1
            link_text += len((node.text(separator=" ") or "").strip())
        open_elements.append((mem_id, chars, texts, word_chars, words, links, link_text, titles))
        if tag == "h1":
            titles += 1  # counted after: an <h1> is the title itself
    while open_elements:
        close(pop(), (chars, texts, word_chars, words, links, link_text, titles))
    return found


def _is_content(measure: _Measure, page_text: int) -> bool:
    """Never drop the title or an element holding a large part of the page's text."""
    return measure.titles > 0 or measure.spaced > 0.4 * page_text


def _not_content(nodes: list[LexborNode], root: LexborNode) -> list[LexborNode]:
    """Those of ``nodes`` that hold neither the title nor a large part of the page's text."""
    if not nodes:
        return []
    measures = _measure(root, {node.mem_id for node in nodes} | {root.mem_id})
    page_text = measures[root.mem_id].spaced
    return [node for node in nodes if not _is_content(measures[node.mem_id], page_text)]


def _chrome_by_name(root: LexborNode, words: frozenset[str]) -> list[LexborNode]:
    """Elements whose class or id names them with one of ``words`` (navigation, footer, ...)."""
    return _not_content([node for node in root.css("[class], [id]") if _named_as(node, words)], root)


_LINK_LIST_TAGS = frozenset(("div", "ul", "ol", "p", "table", "section", "span", "td"))


def _link_lists(root: LexborNode) -> list[LexborNode]:
    """Elements that are mostly links: menus, footers and link lists drawn with plain <div>s."""
    root_id = root.mem_id
    measures = _measure(root, min_links=_MIN_LINKS)
    if not measures:
        return []
    page_text = len(root.text(separator=" ") or "")
    found: list[LexborNode] = []
    for node in root.traverse():
        mem_id = node.mem_id
        measure = measures.get(mem_id)
        if (
            mem_id == root_id
            or measure is None
            or measure.links < _MIN_LINKS
            or node.tag not in _LINK_LIST_TAGS
        ):
            continue
        text = measure.words
        if text and measure.link_text >= _LINK_SHARE * text and not _is_content(measure, page_text):
            found.append(node)
    return found


def _link_density(root: LexborNode) -> float:
    text = len(" ".join((root.text(separator=" ") or "").split()))
    if not text:
        return 0.0
    links = sum(len((a.text(separator=" ") or "").strip()) for a in root.css("a"))
    return links / text


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _keep_main_text(html: str, built: TextBuilder) -> TextBuilder:
    """Keep only the blocks trafilatura counts as the page's main text (pages without <main>)."""
    import trafilatura

    main_text = trafilatura.extract(
        html, include_tables=True, include_comments=False, favor_recall=True, deduplicate=False
    )
    if not main_text:
        # trafilatura found nothing it trusts; keeping everything beats returning nothing.
        return built
    kept_text = _squash(main_text)
    # Most kept blocks are whole lines of trafilatura's text: a set answers those at once, and
    # only the rest need a search through the kept text.
    kept_lines = {_squash(line) for line in main_text.splitlines()}

    def kept(content: str) -> bool:
        squashed = _squash(content)
        return squashed in kept_lines or squashed in kept_text

    text = built.text()
    rebuilt = TextBuilder()
    locators = {(s.start, s.end): s.locator for s in built.segments}
    for block in built.blocks:
        if block.kind == "table_row":
            cells = [text[s:e] for s, e in block.cells]
            if any(kept(cell) for cell in cells if cell.strip()):
                rebuilt.add_row(cells, locator=locators.get((block.start, block.end)))
        else:
            content = text[block.start : block.end]
            if kept(content):
                rebuilt.add(
                    block.kind, content, level=block.level, locator=locators.get((block.start, block.end))
                )
    return rebuilt if rebuilt.blocks else built
