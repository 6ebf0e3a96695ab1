"""Generate many small, varied inspection documents from our own templates (tests, benchmark).

Each document set is a force's report for a cycle, the commissioner's letter quoting its areas
for improvement with small differences, and a press statement. Wording varies with a seeded
random generator, so the same seed gives the same bytes.
"""

from __future__ import annotations

import random
from pathlib import Path

FORCES = [
    "Cheshire Constabulary",
    "Kent Police",
    "Merseyside Police",
    "Essex Police",
    "Suffolk Constabulary",
    "Cumbria Constabulary",
    "Lincolnshire Police",
    "Durham Constabulary",
    "Norfolk Constabulary",
    "Surrey Police",
]
CYCLES = [("2021/22", "PEEL 2021/22"), ("2023–25", "PEEL 2023–2025")]
AREAS = [
    "Preventing crime",
    "Responding to the public",
    "Investigating crime",
    "Protecting vulnerable people",
    "Managing offenders",
    "Developing a positive workplace",
]
GRADES = ["outstanding", "good", "adequate", "requires improvement", "inadequate"]
ACTIONS = [
    "answers emergency and non-emergency calls promptly",
    "records crimes accurately when they are first reported",
    "supervises investigations and keeps victims informed of progress",
    "identifies vulnerable people at the first point of contact",
    "manages registered sex offenders within the expected timescales",
    "responds to reports of missing children without delay",
    "understands the wellbeing needs of its workforce",
    "uses stop and search powers fairly and records the grounds",
    "shares information with safeguarding partners quickly",
    "reviews domestic abuse risk assessments before closing cases",
    "trains call handlers to recognise repeat victims",
    "tracks the progress of outstanding arrest warrants",
]
TAILS = [
    "so that people at risk receive the right response",
    "and that its supervisors check the quality of this work",
    "and that it can show the effect of the changes it makes",
    "across every local policing area",
    "and that the public can see how it is performing",
]


def _afis(rng: random.Random, n: int) -> list[str]:
    picks = rng.sample(ACTIONS, n)
    return [f"The force should make sure that it {a}, {rng.choice(TAILS)}." for a in picks]


def _quote(rng: random.Random, afi: str) -> str:
    """The letter's copy: capitalisation, a comma or a hyphen changed."""
    variant = afi.replace("The force", "The Force", 1)
    if rng.random() < 0.5:
        variant = variant.replace(",", "", 1)
    return variant.replace("non-emergency", "non emergency")


def document_set(rng: random.Random, n: int) -> dict[str, str]:
    """One report, letter and press statement for a random force and cycle."""
    force = rng.choice(FORCES)
    _cycle, title = rng.choice(CYCLES)
    grades = {area: rng.choice(GRADES) for area in rng.sample(AREAS, 4)}
    afis = _afis(rng, rng.randint(2, 4))
    grade_lines = "\n".join(f"{area}: {grade}" for area, grade in grades.items())
    afi_text = "\n\n".join(afis)
    report = (
        f"{title}: An inspection of {force}\n\nPublished {rng.randint(1, 28)} March 2022\n\n"
        f"HM Inspector's observations\n\nThis inspection (reference {n}) looked at how well {force} "
        f"serves the public.\n\nOur judgments\n\n{grade_lines}\n\nAreas for improvement\n\n{afi_text}\n"
    )
    letter_items = "\n\n".join(
        f"AFI {i}: {_quote(rng, afi)}\n\nPCC response: I will ask the Chief Constable for a plan "
        f"and review it at my board (item {n}-{i})."
        for i, afi in enumerate(afis, 1)
    )
    letter = (
        f"Office of the Police and Crime Commissioner\n\nResponse to the HMICFRS {title} inspection of {force}\n\n"
        f"This is the commissioner's response under section 55 of the Police Act 1996 (ref {n}).\n\n{letter_items}\n"
    )
    first_area, first_grade = next(iter(grades.items()))
    press = (
        f"{force} statement on the {title} inspection\n\n{force} welcomes the report (ref {n}). "
        f"The inspectorate found the force {first_grade} at {first_area.lower()}.\n"
    )
    return {"report": report, "letter": letter, "press": press}


def write_documents(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` documents (report, letter, press, report, ...) to ``folder``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    n = 0
    while len(paths) < count:
        docs = document_set(rng, n)
        for kind, text in docs.items():
            if len(paths) >= count:
                break
            path = folder / f"{n:05d}_{kind}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        n += 1
    return paths
