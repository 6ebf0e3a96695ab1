"""The extractor on our own test documents: a quality gate with pinned floors, plus strict traps.

Each document under ``documents/`` has an answer ``NAME.expected.json`` written from what the
document states (see docs/test-documents.md). The real extractor runs in-process on every
document; the scores are compared with the floors in ``quality_floor.json`` rather than demanding
exact equality. A few precision traps are asserted strictly.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest
from extract_expectations import DOCUMENTS, expectation_names, load_expectation

from peelwatch.evaluate import FolderScore, below_floor, decode_text, judgment_score, score_folder

KINDS = {"inspection_report", "pcc_response", "force_statement", "news", "other"}
CYCLES = {"2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25", None}
SCOPES = {"overall", "pillar", "question", "area"}
GRADES = {"outstanding", "good", "adequate", "requires improvement", "inadequate", "ungraded"}
FINDING_TYPES = {"area_for_improvement", "cause_of_concern", "recommendation"}
NAMES = expectation_names()
# Titles that are page furniture, never a document's own title.
BOILERPLATE_TITLE = re.compile(
    r"^(skip to|cookies?\b|we use cookies|accept|menu$|home$|search$|news$|contents$|print this"
    r"|leave this site|quick exit|you are here|back to top|main navigation|untitled)",
    re.IGNORECASE,
)
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def source_text(name: str) -> str:
    """The words of a document as written: the file itself, or the markup of a PDF/DOCX source."""
    import peel_doc_builders

    gold = load_expectation(name)
    source = DOCUMENTS / gold["source"]
    if source.exists():
        return decode_text(source.read_bytes())
    markup = (DOCUMENTS / f"{gold['source']}.md").read_text(encoding="utf-8")
    return peel_doc_builders.plain_text(markup, fmt=Path(gold["source"]).suffix.lstrip("."))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def extract(built: Path, name: str) -> dict:
    from peelwatch.extract import extract_file

    gold = load_expectation(name)
    return extract_file(built / gold["source"]).to_dict()


def test_there_are_enough_documents() -> None:
    assert len(NAMES) >= 80
    formats = [load_expectation(n)["source"].rsplit(".", 1)[-1] for n in NAMES]
    assert {"txt", "html", "pdf", "docx"} <= set(formats)
    for fmt in ("html", "pdf", "docx"):
        assert formats.count(fmt) >= 10, fmt
    cycles = {load_expectation(n)["cycle"] for n in NAMES}
    assert {"2014", "2015", "2016", "2017", "2018/19", "2021/22", "2023–25"} <= cycles
    kinds = {load_expectation(n)["kind"] for n in NAMES}
    assert kinds == KINDS


@pytest.mark.parametrize("name", NAMES)
def test_expectation_is_well_formed(name: str) -> None:
    """Every answer follows the contract and quotes its document exactly."""
    gold = load_expectation(name)
    assert gold["kind"] in KINDS
    assert gold["cycle"] in CYCLES
    assert Path(gold["source"]).stem == name
    text = flat(source_text(name))
    for j in gold["judgments"]:
        assert j["scope"] in SCOPES, j
        assert j["grade"] in GRADES, j
        if j["grade"] == "adequate":
            assert gold["cycle"] in {"2021/22", "2023–25"}, "adequate exists from 2021/22 only"
        assert j["subject"].strip(), j
        assert flat(j["evidence"]) in text, f"judgment evidence not in the document: {j['evidence']!r}"
    for f in gold["findings"]:
        assert f["type"] in FINDING_TYPES, f
        assert flat(f["evidence"]) in text, f"finding evidence not in the document: {f['evidence']!r}"
        first_line = f["text"].split("\n")[0]
        assert flat(first_line) in text, (
            f"finding text does not start with the document's words: {first_line!r}"
        )
    for r in gold["responses"]:
        assert 0 <= r["finding"] < len(gold["findings"]), r
        assert r["by"] in {"pcc", "force", "inspectorate", "other"}
        assert flat(r["text"])[:150] in text, f"response text not in the document: {r['text'][:60]!r}"
    meta = gold.get("meta", {})
    assert set(meta) <= {"title", "published"}, meta
    if "title" in meta:
        assert not BOILERPLATE_TITLE.match(meta["title"]), meta["title"]
        words = set(_words(meta["title"]))
        assert words <= set(_words(text)), f"title words not in the document: {words - set(_words(text))}"
    if "published" in meta:
        assert DATE.match(meta["published"]), meta["published"]


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def titles_agree(found: str, expected: str) -> bool:
    """The same title, allowing a site suffix (" | Site name") or a subtitle joined to it."""
    a, b = " ".join(_words(found)), " ".join(_words(expected))
    return bool(a) and (a in b or b in a or difflib.SequenceMatcher(None, a, b).ratio() >= 0.75)


def test_built_binaries_exist(built_documents: Path) -> None:
    for name in NAMES:
        source = load_expectation(name)["source"]
        assert (built_documents / source).is_file(), source
    assert (built_documents / "lancashire-2018-19-summary.pdf").read_bytes().startswith(b"%PDF")
    assert (built_documents / "hampshire-2023-25-report.docx").read_bytes().startswith(b"PK")


@pytest.mark.parametrize("name", NAMES)
def test_document_extracts_and_scores(name: str, document_scores, quality_floor: dict) -> None:
    """The extractor runs on the document without error, and meets any floor pinned for it."""
    score = next(d for d in document_scores.documents if d.name == name)
    assert score.error is None, score.error
    floor = quality_floor.get("per_document", {}).get(name)
    if floor is not None:
        assert score.overall.f1 + 1e-9 >= floor, (
            f"{name}: overall F1 {score.overall.f1:.3f} below its floor {floor}"
        )


def test_quality_floor_on_test_documents(document_scores, quality_floor: dict) -> None:
    figures = document_scores.figures()
    problems = below_floor(figures, quality_floor["documents"])
    assert not problems, "\n".join(problems) + "\n" + json.dumps(document_scores.summary(), indent=1)


@pytest.fixture(scope="module")
def corpus_score(shared_corpus: Path) -> FolderScore:
    """The real extractor scored on every document of the shared corpus (computed once)."""
    return score_folder(shared_corpus / "gold", shared_corpus / "documents")


@pytest.mark.corpus
def test_quality_floor_on_shared_corpus(corpus_score: FolderScore, quality_floor: dict) -> None:
    problems = below_floor(corpus_score.figures(), quality_floor["corpus"])
    assert not problems, "\n".join(problems) + "\n" + json.dumps(corpus_score.summary(), indent=1)
    assert corpus_score.failures == 0, [(d.name, d.error) for d in corpus_score.documents if d.error]


@pytest.mark.corpus
def test_quality_floor_on_the_newer_corpus_families(corpus_score: FolderScore, quality_floor: dict) -> None:
    """Letters, revisits, trackers, minutes, news, statements and look-alikes (101 onwards) are
    held to their own floor, so the first corpus's reports cannot hide a fall on them."""
    newer = FolderScore([d for d in corpus_score.documents if not d.name.startswith("0")])
    assert len(newer.documents) >= 100
    problems = below_floor(newer.figures(), quality_floor["corpus_newer"])
    assert not problems, "\n".join(problems) + "\n" + json.dumps(newer.summary(), indent=1)


@pytest.mark.corpus
def test_rendered_corpus_scores_as_its_text(
    shared_corpus: Path, corpus_score: FolderScore, quality_floor: dict
) -> None:
    """The same words as an HTML page, a two-column PDF or a DOCX letter give the same figures as
    the text (within the pinned gap), document set for document set."""
    rendered = shared_corpus / "rendered"
    if not (rendered / "gold").is_dir():
        pytest.skip(f"the rendered corpus is not beside the repository ({rendered} not found)")
    as_rendered = score_folder(rendered / "gold", rendered / "documents")
    names = {d.name for d in as_rendered.documents}
    as_text = FolderScore([d for d in corpus_score.documents if d.name in names])
    assert len(as_text.documents) == len(names)
    assert as_rendered.failures == 0, [(d.name, d.error) for d in as_rendered.documents if d.error]
    gap = as_text.overall.f1 - as_rendered.overall.f1
    assert gap <= quality_floor["rendered_gap"], (
        f"rendered overall F1 {as_rendered.overall.f1:.3f} is {gap:.3f} below the text's "
        f"{as_text.overall.f1:.3f}"
    )


# --------------------------------------------------------------------------- title and date

# Documents whose title or date the extractor did not get right when these tests were written
# (title and date detection is being rebuilt); they are expected failures until it does, and
# every other document must keep passing. Remove a name once its case passes (it shows as XPASS).
TITLE_NOT_YET = {
    # a PDF heading wrapped over two lines comes out cut ("… Commissioner and Chief")
    "essex-2021-22-audit-committee",
    # the site's name above its strapline: the strapline, which names the inspection, is taken
    "staffordshire-2023-25-tracker",
    # the title line is not styled as a heading, so the Word file's stored title is taken
    "cambridgeshire-pcc-2018-19",
}
DATE_NOT_YET: set[str] = set()


def _cases(names: list[str], not_yet: set[str], reason: str) -> list:
    xfail = pytest.mark.xfail(strict=False, reason=reason)
    return [pytest.param(n, marks=xfail) if n in not_yet else n for n in names]


TITLED = [n for n in NAMES if "title" in load_expectation(n).get("meta", {})]
DATED = [n for n in NAMES if "published" in load_expectation(n).get("meta", {})]


@pytest.mark.parametrize("name", _cases(TITLED, TITLE_NOT_YET, "a known miss, explained beside its name"))
def test_title_is_the_documents_own(name: str, built_documents: Path) -> None:
    """The title is the document's own heading, not a cookie banner, "Skip to content" or a
    site name; where the answer gives the title, the extracted one is the same words."""
    expected = load_expectation(name)["meta"]["title"]
    title = (extract(built_documents, name).get("title") or "").strip()
    assert title, "no title"
    assert not BOILERPLATE_TITLE.match(title), title
    assert titles_agree(title, expected), f"{title!r} is not {expected!r}"


@pytest.mark.parametrize("name", _cases(DATED, DATE_NOT_YET, "a known miss"))
def test_published_date_is_the_stated_one(name: str, built_documents: Path) -> None:
    """The date the document states for itself ("Published on", a dateline, a letter's date)."""
    expected = load_expectation(name)["meta"]["published"]
    published = extract(built_documents, name).get("published") or ""
    assert published[:10] == expected


# --------------------------------------------------------------------------- strict precision traps


def _extract_text(text: str, name: str = "trap.txt") -> dict:
    from peelwatch.extract import extract_bytes

    return extract_bytes(text.encode("utf-8"), name).to_dict()


def test_generally_good_service_is_not_a_judgment(built_documents: Path) -> None:
    statement = extract(built_documents, "wiltshire-2023-25-force-statement")
    assert statement["judgments"] == []
    one_line = _extract_text(
        "PEEL 2021/22 – An inspection of Gwent Police\n\n"
        "The force generally provides a good service to victims of crime, and it has made good progress.\n"
    )
    assert one_line["judgments"] == []


def test_not_yet_graded_is_not_a_judgment(built_documents: Path) -> None:
    for name, pending in (
        ("suffolk-2016-overview", ("effective", "leadership")),
        ("kent-2017-overview", ("effective",)),
    ):
        result = extract(built_documents, name)
        for j in result["judgments"]:
            assert "not yet graded" not in j["evidence"].lower()
            assert "to be graded" not in j["evidence"].lower()
            assert not any(word in j["subject"].lower() for word in pending), j


def test_grade_definitions_annex_is_not_a_judgment(built_documents: Path) -> None:
    assert extract(built_documents, "kent-2021-22-annex")["judgments"] == []
    text = (
        "Annex A – HMIC judgments\n\nThe categories are:\n\n• outstanding;\n\n• good;\n\n"
        "• requires improvement; and\n\n• inadequate.\n\n"
        "Outstanding: the force substantially exceeds the standard.\n\n"
        "Good: the force meets the standard expected.\n"
    )
    assert _extract_text(text)["judgments"] == []


def test_other_forces_and_counts_are_not_judgments(built_documents: Path) -> None:
    result = extract(built_documents, "gwent-2021-22-news")
    for j in result["judgments"]:
        assert "Dyfed-Powys" not in j["evidence"] and "eight forces" not in j["evidence"], j
        assert "four other areas" not in j["evidence"], j
    assert extract(built_documents, "unrelated-parish-newsletter")["judgments"] == []


@pytest.mark.parametrize("name", ["leicestershire-2021-22-press-release", "durham-2023-25-press-release"])
def test_named_list_gives_exactly_those_judgments(name: str, built_documents: Path) -> None:
    """A press release naming the areas of each grade gives those judgments, and nothing else."""
    gold = load_expectation(name)
    result = extract(built_documents, name)
    assert len(result["judgments"]) == len(gold["judgments"]), result["judgments"]
    for g in gold["judgments"]:
        assert any(judgment_score(p, g) for p in result["judgments"]), f"missing {g['grade']} {g['subject']}"


LOOK_ALIKES = [
    "hampshire-fire-2023-inspection",
    "south-wales-crime-data-integrity-2019",
    "ofsted-children-services-news",
    "thematic-stalking-2025",
]
LOOK_ALIKES_NOT_YET: set[str] = set()


@pytest.mark.parametrize(
    "name",
    _cases(LOOK_ALIKES, LOOK_ALIKES_NOT_YET, "the extractor does not yet tell PEEL from other inspections"),
)
def test_look_alikes_give_no_peel_grades(name: str, built_documents: Path) -> None:
    """Fire and rescue, crime-data-integrity, Ofsted and thematic inspections use the same grade
    words, but they are not PEEL: no judgment, and no cycle."""
    result = extract(built_documents, name)
    assert result["judgments"] == [], result["judgments"]
    assert result["cycle"] is None
