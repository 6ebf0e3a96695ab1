"""Cap how deeply a page's elements nest before the HTML parser sees it.

The HTML tree-building rules look through the stack of open elements for most tags ("is there
a <p> in button scope?"), so parsing costs time proportional to nesting depth for every tag:
100,000 nested <div>s take lexbor minutes. Browsers stop nesting at a fixed depth; so does this
pass. It follows tags with a light model of the stack of open elements (implied end tags of
<p>, <li>, table parts and the like; an end tag closes up to its own element) and, only when
that model goes deeper than :data:`MAX_DEPTH`, cuts the deeper start tags and their matching
end tags out of the page. Their text stays, in the element above, a space where each tag was. Pages that never nest that
deep come back unchanged, the same ``str`` object. Every step moves forward through the page,
so the pass is linear in its length.
"""

from __future__ import annotations

import re

# Deeper than any real page nests (Chromium stops at 512), shallow enough that parsing stays fast.
MAX_DEPTH = 400

_TOKEN = re.compile(
    # A comment, a doctype or processing instruction, or a start or end tag. Quotes count only
    # around attribute values; the quantifiers are possessive, so no position is scanned twice.
    r"<!--.*?-->|<[!?][^>]*+>"
    r"|<(/?)([A-Za-z][^\t\n\f\r />]*+)(?:[^>=]++|=[\t\n\f\r ]*+(?:\"[^\"]*+\"|'[^']*+')?+)*+>",
    re.DOTALL,
)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
        "param",
        "keygen",
        "basefont",
        "bgsound",
        "frame",
        "image",
        "menuitem",
    ]
)
# Elements whose content is text up to their end tag, never markup.
_RAW_TEXT = frozenset(
    ["script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title", "plaintext"]
)
# A start tag of the key closes an open element of these names on top of the stack.
_CLOSES: dict[str, frozenset[str]] = {
    "li": frozenset(("li", "p")),
    "dt": frozenset(("dt", "dd", "p")),
    "dd": frozenset(("dt", "dd", "p")),
    "option": frozenset(("option",)),
    "optgroup": frozenset(("option", "optgroup")),
    "tr": frozenset(("tr", "td", "th", "p")),
    "td": frozenset(("td", "th", "p")),
    "th": frozenset(("td", "th", "p")),
    "thead": frozenset(("tr", "td", "th", "thead", "tbody", "tfoot", "p")),
    "tbody": frozenset(("tr", "td", "th", "thead", "tbody", "tfoot", "p")),
    "tfoot": frozenset(("tr", "td", "th", "thead", "tbody", "tfoot", "p")),
    "rb": frozenset(("rb", "rt", "rp", "rtc")),
    "rt": frozenset(("rb", "rt", "rp")),
    "rp": frozenset(("rb", "rt", "rp")),
}
_CLOSES_P = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "center",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "ul",
    ]
)
_P_ONLY = frozenset(("p",))


def limit_depth(html: str, max_depth: int = MAX_DEPTH) -> str:
    """``html`` with start tags nested deeper than ``max_depth`` (and their end tags) removed."""
    if html.count("<") <= max_depth:
        return html  # too few tags to nest that deep
    # Past the last ">" no tag can end, and past an unclosed "<!--" everything is comment; not
    # searching there keeps a failed match from scanning to the end of the page again and again.
    endpos = html.rfind(">") + 1
    last_close = html.rfind("-->")
    unclosed = html.find("<!--", last_close + 3 if last_close >= 0 else 0)
    if 0 <= unclosed < endpos:
        endpos = unclosed
    lowered: str | None = None
    stack: list[tuple[str, bool]] = []  # (tag name, cut out)
    open_count: dict[str, int] = {}
    cuts: list[tuple[int, int]] = []
    search = _TOKEN.search
    pos = 0
    while True:
        token = search(html, pos, endpos)
        if token is None:
            break
        pos = token.end()
        slash, name = token.group(1, 2)
        if name is None:
            continue  # a comment, doctype or processing instruction
        name = name.lower()
        if slash:
            if open_count.get(name):
                while True:
                    top, cut = stack.pop()
                    open_count[top] -= 1
                    if top == name:
                        if cut:
                            cuts.append((token.start(), pos))
                        break
            continue
        if name in _VOID:
            continue
        if name in _RAW_TEXT:
            if name == "plaintext":
                break
            if lowered is None:
                lowered = html.lower()
            end = lowered.find(f"</{name}", pos)
            if end < 0:
                break
            pos = end
            continue
        if html[pos - 2] == "/" and (open_count.get("svg") or open_count.get("math")):
            continue  # self-closing in SVG and MathML
        closes = _CLOSES.get(name) or (_P_ONLY if name in _CLOSES_P else None)
        while closes and stack and stack[-1][0] in closes:
            top, _ = stack.pop()
            open_count[top] -= 1
        if name == "a" and open_count.get("a"):
            # A link inside a link closes the first one.
            while True:
                top, _ = stack.pop()
                open_count[top] -= 1
                if top == "a":
                    break
        cut = len(stack) >= max_depth
        if cut:
            cuts.append((token.start(), pos))
        stack.append((name, cut))
        open_count[name] = open_count.get(name, 0) + 1
    if not cuts:
        return html
    parts: list[str] = []
    start = 0
    for cut_start, cut_end in cuts:
        parts.append(html[start:cut_start])
        start = cut_end
    parts.append(html[start:])
    # A space where a tag was keeps the words on either side apart, as the element did.
    return " ".join(parts)
