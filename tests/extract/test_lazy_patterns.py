"""Patterns compile on first use and then behave as the compiled pattern."""

from __future__ import annotations

import re

import pytest

from peelwatch.extract._lazy import LazyPattern, lazy_compile


def test_a_lazy_pattern_compiles_only_when_used_and_then_matches_like_re():
    pattern = lazy_compile(r"(?P<grade>good|outstanding)", re.I)
    assert "_compiled" not in pattern.__dict__
    assert pattern.search("It was Good.").group("grade") == "Good"
    assert pattern.__dict__["_compiled"] is pattern.compiled()
    assert pattern.findall("good, outstanding") == ["good", "outstanding"]
    assert pattern.sub("x", "good day") == "x day"
    assert pattern.groupindex == {"grade": 1}
    assert pattern.pattern == "(?P<grade>good|outstanding)"


def test_a_bad_pattern_fails_when_first_used():
    pattern = LazyPattern("(unclosed")
    with pytest.raises(re.error):
        pattern.match("x")
