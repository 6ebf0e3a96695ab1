"""Score extractions against hand-made answers, by the rules of the extraction contract.

The contract (the shape of an extraction and how it is scored) says:

* ``kind`` and ``cycle`` must be equal; ``force`` must name the same force once the words
  police, constabulary, service, force and "the" are dropped;
* a predicted judgment matches an expected one when the grades are equal and the subjects are
  alike (normalised similarity of at least 0.75 against the expected subject or any alias);
* a finding matches when the types are equal and the first 200 normalised characters of the
  texts are alike (similarity of at least 0.8);
* a response matches when the finding it answers maps to the expected response's finding and
  the openings of the texts are alike (at least 0.8);
* each expected item matches at most one prediction; items marked ``"optional": true`` neither
  reward nor penalise;
* ``evidence`` of judgments and findings should be an exact substring of the document (after
  collapsing whitespace); the share that is, is the "evidence real" rate.

Figures are micro-averaged over documents. This module uses the standard library only so that
it can be trusted independently of the code it measures (the extractor is run by
:func:`score_folder` only when it is asked to).
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

SUBJECT_MIN = 0.75
TEXT_MIN = 0.80
HEAD = 200
PARTS = ("judgments", "findings", "responses")
META = ("kind", "force", "cycle")
TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
_FORCE_NOISE = {"the", "police", "constabulary", "service", "force"}
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


# --------------------------------------------------------------------------- normalisation


def normalise(text: str | None) -> str:
    """Lower-case words and digits: NFKC, curly quotes straightened, other punctuation dropped."""
    text = unicodedata.normalize("NFKC", text or "").lower().translate(_QUOTES)
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return " ".join(text.split())


def force_key(name: str | None) -> str | None:
    """A force name without the words that vary between its official and informal names."""
    words = [w for w in normalise(name).split() if w not in _FORCE_NOISE]
    return " ".join(words) or None


def similarity(a: str | None, b: str | None) -> float:
    """How alike two texts are after normalisation, from 0 to 1.

    Equal texts score 1; a text contained in another at least twice its length scores 0.95;
    otherwise the :class:`difflib.SequenceMatcher` ratio (without its junk heuristic).
    """
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if shorter in longer and 2 * len(shorter) >= len(longer):
        return 0.95
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _head(text: str | None) -> str:
    return normalise(text)[:HEAD]


def subject_similarity(pred: dict, gold: dict) -> float:
    subject = gold.get("subject")
    names = list(subject) if isinstance(subject, list) else [subject]
    names.extend(gold.get("aliases") or [])
    return max((similarity(pred.get("subject") or "", n or "") for n in names), default=0.0)


def judgment_score(pred: dict, gold: dict) -> float:
    """Similarity of a predicted and an expected judgment, or 0 when they cannot match."""
    if (pred.get("grade") or "").strip().lower() != (gold.get("grade") or "").strip().lower():
        return 0.0
    s = subject_similarity(pred, gold)
    return s if s >= SUBJECT_MIN else 0.0


def finding_score(pred: dict, gold: dict) -> float:
    if pred.get("type") != gold.get("type"):
        return 0.0
    s = similarity(_head(pred.get("text")), _head(gold.get("text")))
    return s if s >= TEXT_MIN else 0.0


# --------------------------------------------------------------------------- matching


@dataclass
class Counts:
    """True positives, false positives and false negatives of one part."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


def match_items(
    preds: list[dict], golds: list[dict], score: Callable[[dict, dict], float]
) -> tuple[dict[int, int], Counts]:
    """Pair predictions with expected items one-to-one, as many pairs as possible.

    Each prediction tries required expected items before optional ones, and more similar ones
    first; a later prediction may take an item from an earlier one when that one can move to
    another item (augmenting paths). Returns ``{pred index: gold index}`` and the counts, where a
    prediction paired with an optional item counts neither way.
    """
    options: list[list[int]] = []
    best: list[float] = []
    for p in preds:
        scored = [(j, score(p, g)) for j, g in enumerate(golds)]
        scored = [(j, s) for j, s in scored if s > 0]
        scored.sort(key=lambda js: (not golds[js[0]].get("optional"), js[1], js[0]), reverse=True)
        options.append([j for j, _ in scored])
        best.append(scored[0][1] if scored else 0.0)

    holder: dict[int, int] = {}  # gold index -> pred index

    def place(i: int, visited: set[int]) -> bool:
        for j in options[i]:
            if j in visited:
                continue
            visited.add(j)
            if j not in holder or place(holder[j], visited):
                holder[j] = i
                return True
        return False

    for i in sorted(range(len(preds)), key=lambda i: -best[i]):
        place(i, set())
    required = {j for j, g in enumerate(golds) if not g.get("optional")}
    tp = sum(1 for j in holder if j in required)
    neutral = len(holder) - tp
    counts = Counts(tp=tp, fp=len(preds) - tp - neutral, fn=len(required - holder.keys()))
    return {i: j for j, i in holder.items()}, counts


# --------------------------------------------------------------------------- one document


@dataclass
class DocScore:
    """How one extraction compares with its expected answer."""

    name: str
    kind: bool = False
    force: bool = False
    cycle: bool = False
    judgments: Counts = field(default_factory=Counts)
    findings: Counts = field(default_factory=Counts)
    responses: Counts = field(default_factory=Counts)
    evidence_real: int = 0
    evidence_total: int = 0
    seconds: float = 0.0
    error: str | None = None
    # readable lines for what went wrong: "cycle: said 2017, expected 2016", "missed judgment …"
    mismatches: list[str] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for part in PARTS:
            total.add(getattr(self, part))
        return total

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, **{k: getattr(self, k) for k in META}}
        for part in PARTS:
            out[part] = getattr(self, part).as_dict()
        out["overall"] = self.overall.as_dict()
        out["evidence"] = [self.evidence_real, self.evidence_total]
        out["seconds"] = round(self.seconds, 4)
        out["error"] = self.error
        return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def score_extraction(pred: dict, gold: dict, doc_text: str, name: str | None = None) -> DocScore:
    """Compare one extraction (a SCHEMA object) with its expected answer.

    ``doc_text`` is the document's text, used to check that every ``evidence`` is a real substring.
    """
    result = DocScore(name=name or gold.get("source") or "")
    result.kind = (pred.get("kind") or None) == (gold.get("kind") or None)
    result.cycle = (pred.get("cycle") or None) == (gold.get("cycle") or None)
    result.force = force_key(pred.get("force")) == force_key(gold.get("force"))

    for key in META:
        if not getattr(result, key):
            result.mismatches.append(f"{key}: said {pred.get(key)!r}, expected {gold.get(key)!r}")

    pj, gj = pred.get("judgments") or [], gold.get("judgments") or []
    judgment_map, result.judgments = match_items(pj, gj, judgment_score)
    result.mismatches += _unmatched("judgment", pj, gj, judgment_map, _describe_judgment)
    pf, gf = pred.get("findings") or [], gold.get("findings") or []
    finding_map, result.findings = match_items(pf, gf, finding_score)
    result.mismatches += _unmatched("finding", pf, gf, finding_map, _describe_finding)

    def response_score(p: dict, g: dict) -> float:
        index = p.get("finding")
        if not isinstance(index, int) or finding_map.get(index) != g.get("finding"):
            return 0.0
        s = similarity(_head(p.get("text")), _head(g.get("text")))
        return s if s >= TEXT_MIN else 0.0

    pr, gr = pred.get("responses") or [], gold.get("responses") or []
    response_map, result.responses = match_items(pr, gr, response_score)
    result.mismatches += _unmatched("response", pr, gr, response_map, _describe_response)

    flat = _flat(doc_text)
    facts = [*pj, *pf]
    result.evidence_total = len(facts)
    result.evidence_real = sum(1 for x in facts if x.get("evidence") and _flat(x["evidence"]) in flat)
    return result


def _describe_judgment(item: dict) -> str:
    return f"{item.get('grade')!r} for {item.get('subject')!r}"


def _describe_finding(item: dict) -> str:
    return f"{item.get('type')} {normalise(item.get('text'))[:100]!r}"


def _describe_response(item: dict) -> str:
    return f"to finding {item.get('finding')} by {item.get('by')} {normalise(item.get('text'))[:80]!r}"


def _unmatched(
    what: str, preds: list[dict], golds: list[dict], mapping: dict[int, int], describe: Callable[[dict], str]
) -> list[str]:
    """ "missed …" for each required expected item left unpaired, "extra …" for each unpaired prediction."""
    paired = set(mapping.values())
    lines = [
        f"missed {what} {describe(g)}"
        for j, g in enumerate(golds)
        if j not in paired and not g.get("optional")
    ]
    lines += [f"extra {what} {describe(p)}" for i, p in enumerate(preds) if i not in mapping]
    return lines


# --------------------------------------------------------------------------- a folder


@dataclass
class FolderScore:
    """Scores of every document of a folder, and their totals."""

    documents: list[DocScore] = field(default_factory=list)

    def part(self, name: str) -> Counts:
        total = Counts()
        for doc in self.documents:
            total.add(getattr(doc, name))
        return total

    @property
    def overall(self) -> Counts:
        total = Counts()
        for part in PARTS:
            total.add(self.part(part))
        return total

    def accuracy(self, key: str) -> float | None:
        if not self.documents:
            return None
        return sum(1 for d in self.documents if getattr(d, key)) / len(self.documents)

    @property
    def evidence_real(self) -> float | None:
        total = sum(d.evidence_total for d in self.documents)
        return sum(d.evidence_real for d in self.documents) / total if total else None

    @property
    def failures(self) -> int:
        return sum(1 for d in self.documents if d.error)

    def figures(self) -> dict[str, float | None]:
        """The figures a quality floor is set on (F1 per part and overall, accuracies, evidence)."""
        out: dict[str, float | None] = {"overall_f1": self.overall.f1}
        for part in PARTS:
            out[f"{part}_f1"] = self.part(part).f1
        for key in META:
            out[key] = self.accuracy(key)
        out["evidence_real"] = self.evidence_real
        return out

    def summary(self) -> dict[str, Any]:
        """Totals in the shape the reference scorer prints with ``--json``."""
        out: dict[str, Any] = {
            "documents": len(self.documents),
            "failures": self.failures,
            "seconds": round(sum(d.seconds for d in self.documents), 3),
        }
        for part in PARTS:
            out[part] = self.part(part).as_dict()
        for key in META:
            value = self.accuracy(key)
            out[key] = round(value, 3) if value is not None else None
        ev = self.evidence_real
        out["evidence_real"] = round(ev, 3) if ev is not None else None
        overall = self.overall
        out["overall"] = {k: round(getattr(overall, k), 3) for k in ("precision", "recall", "f1")}
        return out


def gold_files(gold_dir: Path) -> list[Path]:
    """Expected answers in a folder: ``NAME.expected.json`` or ``NAME.json``."""
    return sorted(p for p in Path(gold_dir).iterdir() if p.is_file() and p.suffix == ".json")


def gold_stem(path: Path) -> str:
    name = path.name
    return name[: -len(".expected.json")] if name.endswith(".expected.json") else path.stem


def find_document(gold: dict, gold_path: Path, docs_dir: Path) -> Path | None:
    """The document an answer is about: by its ``source`` name, else by the answer's stem."""
    stem = gold_stem(gold_path)
    source = gold.get("source")
    candidates = [p for p in sorted(Path(docs_dir).iterdir()) if p.is_file() and p.suffix != ".json"]
    for p in candidates:
        if source and p.name == source:
            return p
    for p in candidates:
        if p.stem == stem:
            return p
    return None


def decode_text(data: bytes) -> str:
    """Bytes of a text document as text: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def document_text(path: Path) -> str:
    """The text evidence is checked against.

    Text and HTML files: their own characters (decoded), as the reference scorer uses. Any
    format: also the text the project's reader gives, when it can read the file, because the
    extractor quotes that text (entities decoded, PDF and DOCX turned into text).
    """
    parts: list[str] = []
    if path.suffix.lower() in TEXT_SUFFIXES:
        parts.append(decode_text(path.read_bytes()))
    from peelwatch.errors import ReadError
    from peelwatch.readers import read_file

    # a file the reader refuses is checked against its own characters alone
    with contextlib.suppress(ReadError):
        parts.append(read_file(path).text)
    return "\n\n".join(parts)


Extractor = Callable[[Path], dict]


def run_extractor(path: Path) -> dict:
    """The project's extractor, in-process, as a SCHEMA object."""
    from peelwatch.extract import extract_file

    return extract_file(path).to_dict()


def score_folder(
    gold_dir: str | Path,
    docs_dir: str | Path | None = None,
    *,
    extract: Extractor | None = None,
    predictions: dict[str, dict] | None = None,
    text_of: Callable[[Path], str] = document_text,
    progress: Callable[[str], None] | None = None,
    select: Callable[[str], bool] | None = None,
) -> FolderScore:
    """Score every answer in ``gold_dir`` against an extraction of its document in ``docs_dir``.

    By default the project's extractor runs in-process on each document; pass ``extract`` to use
    another function, or ``predictions`` (``{answer stem: SCHEMA object}``) to score ready-made
    output. A document that is missing or fails to extract scores as an empty extraction and its
    error is kept in :attr:`DocScore.error`. ``select`` (given an answer's stem) limits the run to
    some documents.
    """
    gold_dir = Path(gold_dir)
    docs_dir = Path(docs_dir) if docs_dir else gold_dir
    extract = extract or run_extractor
    result = FolderScore()
    for gpath in gold_files(gold_dir):
        gold = json.loads(gpath.read_text(encoding="utf-8"))
        stem = gold_stem(gpath)
        if select is not None and not select(stem):
            continue
        if progress:
            progress(stem)
        doc = find_document(gold, gpath, docs_dir)
        pred: dict = {}
        error: str | None = None
        seconds = 0.0
        if predictions is not None:
            pred = predictions.get(stem) or {}
            if stem not in predictions:
                error = "no prediction"
        elif doc is None:
            error = "document not found"
        else:
            start = time.perf_counter()
            try:
                pred = extract(doc)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
            seconds = time.perf_counter() - start
        text = text_of(doc) if doc is not None else ""
        score = score_extraction(pred, gold, text, name=stem)
        score.seconds, score.error = seconds, error
        result.documents.append(score)
    return result


def read_groups(path: str | Path) -> dict[str, str]:
    """``NAME<TAB>GROUP`` lines (``#`` comments allowed) as {document stem: group}."""
    groups: dict[str, str] = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, group = line.partition("\t")
        if not group.strip():
            raise ValueError(f"{path}: line {raw!r} has no tab-separated group")
        groups[Path(name.strip()).stem] = group.strip()
    return groups


def by_group(score: FolderScore, groups: dict[str, str]) -> dict[str, FolderScore]:
    """The documents of ``score`` split by group; documents with no group go under "(none)"."""
    out: dict[str, FolderScore] = {}
    for doc in score.documents:
        out.setdefault(groups.get(doc.name, "(none)"), FolderScore()).documents.append(doc)
    return dict(sorted(out.items()))


def below_floor(figures: dict[str, float | None], floors: dict[str, Any]) -> list[str]:
    """The figures under their floor, as readable lines (keys starting with ``_`` are comments)."""
    problems = []
    for key, floor in floors.items():
        if key.startswith("_") or not isinstance(floor, int | float):
            continue
        value = figures.get(key)
        if value is None:
            continue
        if value + 1e-9 < floor:
            problems.append(f"{key} = {value:.3f} is below its floor {floor:.3f}")
    return problems


def iter_rows(score: FolderScore) -> Iterable[list[str]]:
    """Per-document rows for a table: name, meta flags, each part, evidence, time, error."""
    for d in score.documents:
        flags = "".join(k[0] if getattr(d, k) else "-" for k in META)
        parts = [f"{c.tp}/{c.tp + c.fn} +{c.fp}" for c in (d.judgments, d.findings, d.responses)]
        yield [
            d.name,
            flags,
            *parts,
            f"{d.evidence_real}/{d.evidence_total}",
            f"{d.seconds * 1000:.0f}",
            d.error or "",
        ]
