"""Column labels: the few words heading a subject's column in the national matrix. They are data
(keys.yaml, or a subject's own ``column``), short enough to head a narrow column."""

from __future__ import annotations

from peelwatch.framework import load_framework
from peelwatch.framework._load import _read_cycle

LONGEST_LABEL = 22  # characters: two short lines in a column of a dense cycle
LONGEST_WORD = 13  # characters: "Effectiveness" is the longest that fits one line


def test_every_subject_has_a_short_column_label() -> None:
    for cycle in load_framework().cycles:
        for s in cycle.subjects:
            assert s.column, s.id
            assert len(s.column) <= LONGEST_LABEL, (s.id, s.column)
            assert max(len(w) for w in s.column.split()) <= LONGEST_WORD, (s.id, s.column)


def test_the_label_comes_from_the_key_and_a_subject_may_override_it() -> None:
    fw = load_framework()
    prevention = {s.cycle: s.column for c in fw.cycles for s in c.subjects if s.key == "preventing-crime"}
    assert set(prevention.values()) == {"Prevention"}  # one theme, one heading, whatever the wording
    raw = {
        "label": "2099",
        "order": 99,
        "scale": "five-tier",
        "areas": [
            {"key": "preventing-crime", "name": "Preventing crime"},
            {"key": "investigating-crime", "name": "Investigating crime", "column": "Investigations"},
        ],
    }
    scales = {"five-tier": ("outstanding", "good", "adequate", "requires improvement", "inadequate")}
    keys = dict(fw.keys)
    _, cycle = _read_cycle(raw, "cycle-2099.yaml", scales, keys, {"preventing-crime": "Prevention"})
    assert [s.column for s in cycle.subjects] == ["Prevention", "Investigations"]
    # without a column label anywhere, the short label or the name heads the column
    _, bare = _read_cycle(raw, "cycle-2099.yaml", scales, keys)
    assert [s.column for s in bare.subjects] == ["Preventing crime", "Investigations"]
