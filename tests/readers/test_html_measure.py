"""The chrome rules' figures for every element come from one walk over the page; they must be
what asking each element directly gives (its text, its words, its links, an <h1> in it)."""

from __future__ import annotations

import random

from selectolax.lexbor import LexborHTMLParser

from peelwatch.readers import read_bytes
from peelwatch.readers.html import _measure

TAGS = [
    "div",
    "p",
    "span",
    "a",
    "ul",
    "li",
    "section",
    "td",
    "table",
    "tr",
    "h1",
    "h2",
    "form",
    "b",
    "article",
]
ATTRIBUTES = ["", ' class="nav"', ' class="cookie-banner"', ' id="footer"', ' class="share x"', ' href="#"']
WORDS = ["Kent", "Police", "is", "good", "link text", "Home", "  ", "\n", "<!-- a comment -->"]


def random_markup(rng: random.Random, depth: int = 0) -> str:
    if depth > 6 or rng.random() < 0.3:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 5)))
    tag = rng.choice(TAGS)
    inner = "".join(random_markup(rng, depth + 1) for _ in range(rng.randint(0, 4)))
    return f"<{tag}{rng.choice(ATTRIBUTES)}>{inner}" + (f"</{tag}>" if rng.random() < 0.9 else "")


def test_figures_from_one_walk_equal_asking_each_element():
    rng = random.Random(10)
    for _ in range(200):
        root = LexborHTMLParser(f"<html><body>{random_markup(rng)}{random_markup(rng)}</body></html>").body
        measures = _measure(root)
        for node in root.traverse():
            if node.tag == "-comment":
                continue
            text = node.text(separator=" ") or ""
            # css() matches the element itself too; a link counts for the elements around it.
            links = [link for link in node.css("a") if link.mem_id != node.mem_id]
            expected = (
                len(text),
                len(" ".join(text.split())),
                len(links),
                node.css_first("h1") is not None,
            )
            measure = measures[node.mem_id]
            assert (measure.spaced, measure.words, measure.links, measure.titles > 0) == expected, node.html


def test_a_title_with_a_chrome_class_stays():
    page = b'<html><body><h1 class="nav">Kent Police inspection</h1><p>Some words.</p></body></html>'
    assert read_bytes(page, "p.html").text.startswith("Kent Police inspection")
