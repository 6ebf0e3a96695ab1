"""Loading: cheap to import, parsed once, and mistakes in the data files fail loudly."""

from __future__ import annotations

import subprocess
import sys

import pytest

from peelwatch.errors import FrameworkError
from peelwatch.framework import load_framework, pillar_for
from peelwatch.framework._load import _read_cycle, _read_forces, _read_keys

KEYS = {"preventing-crime": "", "effectiveness": ""}
SCALES = {"four-tier": ("outstanding", "good", "requires improvement", "inadequate")}


def test_importing_the_package_does_not_parse_yaml_or_load_rapidfuzz() -> None:
    code = (
        "import sys, peelwatch.framework as f;"
        "print('yaml' in sys.modules, 'rapidfuzz' in sys.modules, f.load_framework.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "0"]


def test_the_framework_is_loaded_once() -> None:
    assert load_framework() is load_framework()


def test_the_package_imports_nothing_else_of_peelwatch() -> None:
    code = (
        "import sys, peelwatch.framework as f; f.load_framework().match_subject('investigating crime');"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('peelwatch'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    outside = [m for m in out.split() if not m.startswith("peelwatch.framework") and m != "peelwatch"]
    # its errors, and where copies are kept between processes (a module of the standard library's
    # imports alone)
    assert outside == ["peelwatch._cache", "peelwatch.errors"]


class TestPillarFor:
    @pytest.mark.parametrize(
        ("text", "pillar"),
        [
            ("Effectiveness", "effectiveness"),
            ("How effectively does the force reduce crime", "effectiveness"),
            ("the force is effective at", "effectiveness"),
            ("PEEL: Police efficiency 2016", "efficiency"),
            ("How efficiently does the force operate", "efficiency"),
            ("legitimacy", "legitimacy"),
            ("How legitimately does the force treat the public", "legitimacy"),
            ("Police leadership 2016", "leadership"),
            ("How well led is the force?", "leadership"),
        ],
    )
    def test_pillar_words(self, text: str, pillar: str) -> None:
        assert pillar_for(text) == pillar

    def test_the_first_pillar_word_wins_and_other_text_gives_none(self) -> None:
        assert pillar_for("efficient and effective") == "efficiency"
        assert pillar_for("Investigating crime") is None
        assert pillar_for("ineffectiveness") is None  # a whole word only


class TestDataChecks:
    """The loader refuses inconsistent data instead of weakening lookups silently."""

    def force(self, slug: str, name: str, **more: object) -> dict[str, object]:
        return {"slug": slug, "name": name, "region": "R", "policing_body": "B", **more}

    def test_a_name_shared_by_two_forces_is_refused(self) -> None:
        raw = {
            "forces": [self.force("a", "A Police", aliases=["X"]), self.force("b", "B Police", aliases=["x"])]
        }
        with pytest.raises(FrameworkError, match="names both"):
            _read_forces(raw)

    def test_an_ambiguous_alias_needs_a_preferred_force(self) -> None:
        raw = {
            "forces": [
                self.force("a", "A Police", ambiguous_aliases=["AP"]),
                self.force("b", "B Police", ambiguous_aliases=["AP"]),
            ]
        }
        with pytest.raises(FrameworkError, match="preferred"):
            _read_forces(raw)
        forces, preferred = _read_forces({**raw, "preferred": {"AP": "b"}})
        assert preferred == {"AP": "b"} and len(forces) == 2

    def cycle(self, **more: object) -> dict[str, object]:
        return {"label": "2030", "order": 9, "scale": "four-tier", **more}

    def test_an_undeclared_key_is_refused(self) -> None:
        raw = self.cycle(areas=[{"key": "made-up", "name": "Made up"}])
        with pytest.raises(FrameworkError, match="not listed in keys"):
            _read_cycle(raw, "cycle-2030.yaml", SCALES, KEYS)

    def test_a_key_used_twice_in_a_cycle_is_refused(self) -> None:
        area = {"key": "preventing-crime", "name": "Preventing crime"}
        with pytest.raises(FrameworkError, match="used by both"):
            _read_cycle(self.cycle(areas=[area, area]), "cycle-2030.yaml", SCALES, KEYS)

    def test_an_unknown_scale_is_refused(self) -> None:
        with pytest.raises(FrameworkError, match="scale"):
            _read_cycle(self.cycle(scale="ten-tier"), "cycle-2030.yaml", SCALES, KEYS)

    def test_questions_are_numbered_within_their_pillar(self) -> None:
        raw = self.cycle(
            slug="2030",
            pillars=[
                {
                    "pillar": "effectiveness",
                    "name": "How effective?",
                    "questions": [{"key": "preventing-crime", "name": "Preventing crime?"}],
                }
            ],
        )
        order, cycle = _read_cycle(raw, "cycle-2030.yaml", SCALES, KEYS)
        assert order == 9
        assert [s.id for s in cycle.subjects] == ["2030/effectiveness", "2030/effectiveness/q1"]

    def test_keys_must_be_lower_case_words_joined_by_hyphens(self) -> None:
        with pytest.raises(FrameworkError, match="lower-case"):
            _read_keys({"keys": {"Preventing_Crime": {"description": "x"}}})
