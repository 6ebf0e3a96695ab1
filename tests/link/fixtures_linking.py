"""A small record written for the linking tests: two forces, two cycles, a letter, a claim."""

from __future__ import annotations

from docs_builder import Doc

AFI = "area_for_improvement"
CALLS = (
    "The constabulary should make sure it answers non-emergency calls promptly and calls back "
    "people who abandon a call."
)
SUPERVISION_2021 = (
    "The constabulary should make sure that investigations are supervised actively and that "
    "supervision is recorded, so that their quality and progress are checked."
)
SUPERVISION_2023 = (
    "The constabulary needs to make sure investigations are actively supervised and the "
    "supervision recorded, so that the quality and progress of each investigation are checked."
)
ADVISORY = (
    "The constabulary should review its independent advisory group arrangements, including an "
    "independent chair and regular meetings with chief officers."
)
OTHER_FORCE_SUPERVISION = (
    "The force should make sure that investigations are actively supervised and that the "
    "supervision is recorded, so that their quality and progress are checked."
)
UNRELATED = "The force should publish its stop and search data on its website every month."
DISCHARGE = (
    "The constabulary has reviewed its independent advisory group arrangements, which now have an "
    "independent chair, so this area for improvement has been discharged."
)


def report_2021() -> Doc:
    return Doc(
        "report 2021",
        "Cheshire Constabulary",
        "2021/22",
        grades=[("Responding to the public", "requires improvement"), ("Investigating crime", "adequate")],
        findings=[(AFI, CALLS), (AFI, SUPERVISION_2021), (AFI, ADVISORY)],
    )


def letter_2021() -> Doc:
    return Doc(
        "commissioner letter 2021",
        "Cheshire Constabulary",
        "2021/22",
        kind="pcc_response",
        grades=[("Responding to the public", "good"), ("Investigating crime", "adequate")],
        findings=[(AFI, "AFI 1: " + CALLS.replace("promptly", "promptly,"))],
    )


def report_2023() -> Doc:
    return Doc(
        "report 2023",
        "Cheshire Constabulary",
        "2023–25",
        grades=[("Investigating crime", "good")],
        findings=[(AFI, SUPERVISION_2023)],
        discharges=[("discharged", DISCHARGE)],
    )


def other_force_2021() -> Doc:
    return Doc(
        "other force report 2021",
        "Dorset Police",
        "2021/22",
        grades=[("Investigating crime", "good")],
        findings=[(AFI, OTHER_FORCE_SUPERVISION), (AFI, UNRELATED)],
    )


def record() -> list[Doc]:
    """Every document of the small record."""
    return [report_2021(), letter_2021(), report_2023(), other_force_2021()]
