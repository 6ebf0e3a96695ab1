"""Atom (RFC 4287) rendering of a feed view, so a journalist or a panel officer can subscribe.

Built with :mod:`xml.etree.ElementTree`, which escapes every text it writes: document titles and
finding words go into the XML as text, never as markup.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from typing import Any

__all__ = ["ATOM_NS", "ATOM_TYPE", "atom_feed"]

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
# A feed with nothing in it yet still needs an <updated>: the epoch says "never".
_NEVER = datetime(1970, 1, 1, tzinfo=UTC).isoformat()


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
    if text is not None:
        el.text = text
    return el


def atom_feed(view: dict[str, Any], base_url: str) -> bytes:
    """The feed view (see :func:`peelwatch.web.national_views.feed_view`) as an Atom document.

    ``base_url`` (``http://host:port``) makes the root-relative links absolute, as Atom readers
    need; every ``id`` is the absolute URL of the thing (a fact's with its anchor), kind-tagged so
    a document and its first grade never share one.
    """
    base = base_url.rstrip("/")
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    _sub(feed, "id", base + view["feed_url"])
    _sub(feed, "title", view["title"])
    _sub(feed, "updated", view["updated"] or _NEVER)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=base + view["feed_url"])
    _sub(feed, "link", rel="alternate", type="text/html", href=base + view["url"])
    author = _sub(feed, "author")
    _sub(author, "name", "peelwatch")
    _sub(feed, "generator", "peelwatch")
    for e in view["entries"]:
        entry = _sub(feed, "entry")
        _sub(entry, "id", f"{base}{e['url']}" + ("" if "#" in e["url"] else f"#{e['kind']}-{e['id']}"))
        _sub(entry, "title", e["title"])
        _sub(entry, "updated", e["updated"])
        _sub(entry, "link", rel="alternate", type="text/html", href=base + e["url"])
        _sub(entry, "category", term=e["kind"])
        _sub(entry, "summary", e["summary"], type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
