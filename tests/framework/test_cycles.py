"""The PEEL cycles: labels, the other ways a label is written, scales and cues."""

from __future__ import annotations

import pytest

from peelwatch.errors import UnknownNameError
from peelwatch.framework import Framework, load_framework

FW = load_framework()

LABELS = ["2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25", "2025–27"]


def test_the_cycles_in_order(fw: Framework) -> None:
    assert [c.label for c in fw.cycles] == LABELS


def test_there_was_no_peel_in_2020(fw: Framework) -> None:
    assert fw.find_cycle("2020") is None
    assert all(2020 not in c.years or c.label == "2018/19" for c in fw.cycles)


@pytest.mark.parametrize("cycle", FW.cycles, ids=lambda c: c.slug)
def test_every_label_alias_and_slug_finds_its_cycle(fw: Framework, cycle) -> None:
    for name in (cycle.label, cycle.slug, *cycle.aliases):
        assert fw.cycle(name) is cycle, name
        if not name.startswith("PEEL"):
            assert fw.cycle(f"PEEL {name}") is cycle, name


@pytest.mark.parametrize(
    ("written", "label"),
    [
        ("2018-19", "2018/19"),
        ("2018/2019", "2018/19"),
        ("PEEL 2018", "2018/19"),  # the inspectorate files 2018/19 under peel-2018
        ("2021-22", "2021/22"),
        ("2021/2022", "2021/22"),
        ("PEEL 2021/22", "2021/22"),
        ("peel 2021-22", "2021/22"),
        ("2023-25", "2023–25"),
        ("2023–2025", "2023–25"),
        ("2023-2025", "2023–25"),
        ("2023 to 2025", "2023–25"),
        ("PEEL 2023–2025", "2023–25"),
        ("PEEL: 2014", "2014"),
        ("2025-27", "2025–27"),
    ],
)
def test_common_ways_of_writing_a_cycle(fw: Framework, written: str, label: str) -> None:
    assert fw.cycle(written).label == label


def test_an_unknown_label_raises_and_suggests_cycles_of_those_years(fw: Framework) -> None:
    with pytest.raises(UnknownNameError) as info:
        fw.cycle("2022/23")
    assert info.value.what == "cycle"
    assert "2021/22" in info.value.suggestions
    assert fw.find_cycle("2022/23") is None


def test_the_first_five_cycles_are_numbered(fw: Framework) -> None:
    ordinals = {c.label: c.ordinal for c in fw.cycles}
    assert [ordinals[label] for label in LABELS[:5]] == ["first", "second", "third", "fourth", "fifth"]
    assert all(ordinals[label] is None for label in LABELS[5:])


def test_four_tier_scale_until_2018_19_then_five_tier_with_adequate(fw: Framework) -> None:
    four = ("outstanding", "good", "requires improvement", "inadequate")
    five = ("outstanding", "good", "adequate", "requires improvement", "inadequate")
    assert {c.label: c.scale for c in fw.cycles} == {
        label: four if label in LABELS[:5] else five for label in LABELS
    }


@pytest.mark.parametrize(
    ("label", "slugs"),
    [
        ("2014", ("peel-2014",)),
        ("2017", ("peel-2017",)),
        ("2018/19", ("peel-2018",)),
        ("2021/22", ("-2021-22",)),
        ("2023–25", ("-2023-25",)),
    ],
)
def test_url_slugs(fw: Framework, label: str, slugs: tuple[str, ...]) -> None:
    assert fw.cycle(label).url_slugs == slugs


def test_slugs_are_ascii_and_used_in_subject_ids(fw: Framework) -> None:
    for cycle in fw.cycles:
        assert cycle.slug.isascii()
        assert all(s.id.startswith(cycle.slug + "/") for s in cycle.subjects)


def test_labels_and_aliases_name_only_one_cycle(fw: Framework) -> None:
    # load_framework() checks this; the test documents the rule.
    seen: dict[str, str] = {}
    for cycle in fw.cycles:
        for name in (cycle.label, *cycle.aliases):
            assert seen.setdefault(name.lower(), cycle.label) == cycle.label


def test_each_cycle_has_cues_and_the_recent_ones_warn_about_comparisons(fw: Framework) -> None:
    assert all(c.cues for c in fw.cycles)
    assert fw.cycle("2018/19").cues[0] == "fifth PEEL assessment"
    for label in ("2021/22", "2023–25"):
        assert "compar" in fw.cycle(label).comparability


def test_2021_22_had_two_versions_of_its_framework(fw: Framework) -> None:
    assert fw.cycle("2021/22").framework_versions == ("original", "revised")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("PEEL 2023–2025: An inspection of Essex Police", "2023–25"),
        ("PEEL 2021/22 – An inspection of West Midlands Police", "2021/22"),
        ("Response to the PEEL 2018/19 report", "2018/19"),
        ("peel 2017 effectiveness", "2017"),
    ],
)
def test_find_cycle_reads_peel_and_a_label_inside_text(fw: Framework, text: str, label: str) -> None:
    found = fw.find_cycle(text)
    assert found is not None and found.label == label


@pytest.mark.parametrize("text", ["our 2021/22 budget", "PEEL 2019", "since 2014", "PEEL assessments"])
def test_find_cycle_ignores_bare_years_and_unknown_labels(fw: Framework, text: str) -> None:
    # "2021/22" alone is as likely a financial year as a PEEL cycle.
    assert fw.find_cycle(text) is None
