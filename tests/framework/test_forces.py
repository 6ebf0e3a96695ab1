"""The 43 forces: every way of naming a force leads to it, and unknown names are explained."""

from __future__ import annotations

import pytest

from peelwatch.errors import UnknownNameError
from peelwatch.framework import Framework, load_framework

FW = load_framework()


def test_there_are_exactly_43_territorial_forces(fw: Framework) -> None:
    assert len(fw.forces) == 43
    assert len({f.slug for f in fw.forces}) == 43
    assert len({f.name for f in fw.forces}) == 43


def test_forces_outside_peel_are_not_listed(fw: Framework) -> None:
    for name in ("British Transport Police", "Police Scotland", "Ministry of Defence Police", "PSNI"):
        assert fw.find_force(name) is None


@pytest.mark.parametrize("force", FW.forces, ids=lambda f: f.slug)
def test_every_force_is_found_by_slug_name_alias_abbreviation_and_former_name(fw: Framework, force) -> None:
    for name in (force.slug, force.name, *force.aliases, *force.abbreviations, *force.former_names):
        assert fw.force(name) is force, name
        assert fw.force(name.upper()) is force, name
        assert fw.force(f"  {name.lower()}  ") is force, name


@pytest.mark.parametrize("force", FW.forces, ids=lambda f: f.slug)
def test_every_force_has_its_bare_place_name_and_reference_details(force) -> None:
    place = force.slug.replace("-", " ")
    spelled = {a.lower().replace("&", "and").replace("-", " ") for a in force.aliases}
    assert place in spelled or force.slug == "metropolitan"
    assert force.noun in ("force", "constabulary")
    assert force.region
    assert force.policing_body
    # The two London forces have no regional organised crime unit.
    assert (force.rocu is None) == (force.region == "London")


def test_the_noun_follows_the_official_name(fw: Framework) -> None:
    for force in fw.forces:
        assert (force.noun == "constabulary") == force.name.endswith("Constabulary"), force.slug


@pytest.mark.parametrize(
    ("written", "slug"),
    [
        ("West Midlands", "west-midlands"),
        ("West Mids", "west-midlands"),
        ("the Met", "metropolitan"),
        ("The Met", "metropolitan"),
        ("MPS", "metropolitan"),
        ("Metropolitan Police", "metropolitan"),
        ("Avon & Somerset", "avon-and-somerset"),
        ("Avon and Somerset Police", "avon-and-somerset"),
        ("avon-and-somerset", "avon-and-somerset"),
        ("Devon & Cornwall", "devon-and-cornwall"),
        ("Dyfed Powys", "dyfed-powys"),
        ("Dyfed-Powys Police", "dyfed-powys"),
        ("Heddlu Dyfed-Powys", "dyfed-powys"),
        ("Heddlu Gogledd Cymru", "north-wales"),
        ("Heddlu De Cymru", "south-wales"),
        ("Heddlu Gwent", "gwent"),
        ("GMP", "greater-manchester"),
        ("Northants", "northamptonshire"),
        ("Notts", "nottinghamshire"),
        ("Staffs", "staffordshire"),
        ("TVP", "thames-valley"),
        ("West Yorkshire", "west-yorkshire"),
        ("Cheshire", "cheshire"),
        ("Hampshire Constabulary", "hampshire"),
        ("Hampshire and Isle of Wight Constabulary", "hampshire"),
        ("hampshire-and-isle-of-wight", "hampshire"),
        ("West Mercia Constabulary", "west-mercia"),
        ("Wiltshire Constabulary", "wiltshire"),
        ("Leicestershire Constabulary", "leicestershire"),
        ("City of London", "city-of-london"),
    ],
)
def test_common_ways_of_writing_a_force(fw: Framework, written: str, slug: str) -> None:
    assert fw.force(written).slug == slug


def test_hampshire_is_known_by_its_current_name(fw: Framework) -> None:
    hampshire = fw.force("hampshire")
    assert hampshire.name == "Hampshire and Isle of Wight Constabulary"
    assert "Hampshire Constabulary" in hampshire.former_names


def test_a_generic_ending_the_data_does_not_list_is_tolerated(fw: Framework) -> None:
    # People write "Cheshire Police" and "Kent Constabulary" whatever the official noun.
    assert fw.force("Cheshire Police").slug == "cheshire"
    assert fw.force("Kent Constabulary").slug == "kent"
    assert fw.force("Essex Police Service").slug == "essex"


class TestWmpIsAmbiguous:
    """ "WMP" is used for both West Midlands Police and West Mercia Police."""

    def test_both_forces_record_the_ambiguity(self, fw: Framework) -> None:
        assert "WMP" in fw.force("west-midlands").ambiguous_aliases
        assert "WMP" in fw.force("west-mercia").ambiguous_aliases

    def test_it_is_not_an_ordinary_alias_of_either(self, fw: Framework) -> None:
        assert "WMP" not in fw.force("west-midlands").aliases
        assert "WMP" not in fw.force("west-mercia").aliases

    def test_a_single_answer_prefers_west_midlands(self, fw: Framework) -> None:
        assert fw.force("WMP").slug == "west-midlands"
        assert fw.find_force("wmp").slug == "west-midlands"
        assert fw.force_names()["wmp"].slug == "west-midlands"

    def test_all_candidates_are_available_preferred_first(self, fw: Framework) -> None:
        assert [f.slug for f in fw.forces_for("WMP")] == ["west-midlands", "west-mercia"]

    def test_unambiguous_names_have_one_candidate(self, fw: Framework) -> None:
        assert [f.slug for f in fw.forces_for("West Mercia")] == ["west-mercia"]
        assert fw.forces_for("Narnia Police") == ()


class TestUnknownNames:
    def test_an_unknown_name_raises_with_fuzzy_suggestions(self, fw: Framework) -> None:
        with pytest.raises(UnknownNameError) as info:
            fw.force("West Midlnds")
        assert info.value.what == "force"
        assert info.value.name == "West Midlnds"
        assert info.value.suggestions[0] == "West Midlands Police"
        assert len(info.value.suggestions) <= 3
        assert "West Midlands Police" in str(info.value)

    def test_a_misspelt_welsh_force_is_suggested(self, fw: Framework) -> None:
        with pytest.raises(UnknownNameError) as info:
            fw.force("Dyfed Powis")
        assert "Dyfed-Powys Police" in info.value.suggestions

    def test_find_force_returns_none_instead_of_raising(self, fw: Framework) -> None:
        assert fw.find_force("West Midlnds") is None
        assert fw.find_force("") is None
        assert fw.find_force("   ") is None

    def test_nonsense_gets_no_suggestions(self, fw: Framework) -> None:
        with pytest.raises(UnknownNameError) as info:
            fw.force("qqqqzzzz")
        assert info.value.suggestions == []


def test_force_names_maps_every_lower_cased_name(fw: Framework) -> None:
    names = fw.force_names()
    assert names["west midlands police"].slug == "west-midlands"
    assert names["the met"].slug == "metropolitan"
    assert names["avon & somerset"].slug == "avon-and-somerset"
    assert names["hampshire constabulary"].slug == "hampshire"
    assert all(name == name.lower() for name in names)
    for force in fw.forces:
        assert names[force.name.lower()] is force
    # A copy: callers may change it without harming the framework.
    names.clear()
    assert fw.force_names()


@pytest.mark.parametrize(
    ("url", "slug", "cycle"),
    [
        ("https://example.org/peel-assessments/peel-2017/cheshire/", "cheshire", "2017"),
        ("https://example.org/peel-assessments/peel-2018/lincolnshire/", "lincolnshire", "2018/19"),
        ("https://example.org/peel-assessments/peel-2018/cheshire/legitimacy/", "cheshire", "2018/19"),
        ("https://example.org/peel-reports/west-midlands-2021-22/", "west-midlands", "2021/22"),
        ("https://example.org/peel-reports/avon-and-somerset-2023-25/", "avon-and-somerset", "2023–25"),
        ("https://example.org/peel-reports/metropolitan-2023-25", "metropolitan", "2023–25"),
    ],
)
def test_force_and_cycle_from_an_inspectorate_address(fw: Framework, url: str, slug: str, cycle: str) -> None:
    force, found_cycle = fw.parse_url(url)
    assert force is not None and force.slug == slug
    assert found_cycle is not None and found_cycle.label == cycle


def test_an_unrelated_address_gives_nothing(fw: Framework) -> None:
    assert fw.parse_url("https://example.org/news/") == (None, None)
