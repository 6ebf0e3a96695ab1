"""Read the YAML data files into the typed model, and check them for mistakes.

The checks run once per process, on first load, so a typo in a data file fails loudly at once
(with the file and the entry named) instead of silently weakening a lookup later.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from peelwatch._cache import cache_dir, write_whole
from peelwatch.errors import FrameworkError

from ._text import label_key, name_key
from .model import PILLARS, Cycle, Force, Grade, Subject

T = TypeVar("T")

_KEY_SHAPE = re.compile(r"^[a-z]+(-[a-z]+)*$")
# The data files beside this code (read as files, as the code is hashed for the cache key: see
# _code_digest). Not through importlib.resources, whose import pulls in tempfile, shutil and
# zipfile, a tenth of a short command's start-up.
_DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class RawFramework:
    """Everything the data files hold, already typed and checked."""

    forces: tuple[Force, ...]
    preferred: dict[str, str]  # ambiguous alias -> slug of the force meant by default
    cycles: tuple[Cycle, ...]
    grades: tuple[Grade, ...]
    pending: tuple[str, ...]
    not_peel: tuple[str, ...]
    keys: dict[str, str]  # key -> description
    related: dict[str, tuple[str, ...]]


def _yaml_files() -> dict[str, str]:
    return {p.name: p.read_text("utf-8") for p in _DATA.iterdir() if p.name.endswith(".yaml")}


def _parse(text: str, filename: str) -> Any:
    import yaml  # imported here so that importing the package stays cheap

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise FrameworkError(f"framework data {filename}: not valid YAML: {exc}") from exc


def _strs(value: Any) -> tuple[str, ...]:
    # YAML turns an unquoted 2018 into an int; labels and aliases are always text.
    return tuple(str(v) for v in (value or ()))


def _fail(filename: str, message: str) -> FrameworkError:
    return FrameworkError(f"framework data {filename}: {message}")


# Bump to retire every cached copy (a change to this package's code already does).
_CACHE_FORMAT = 1


def read_framework() -> RawFramework:
    """The checked framework: parsed from the data files, or read back from the copy cached
    under :func:`cache_dir` by an earlier process for exactly these files.

    Parsing the YAML takes about 100 ms, most of a short command's start-up; the cached copy is
    named by a hash of every data file's name and text, so an edited file is parsed (and
    checked) again. A cache that cannot be read or written is simply not used.
    """
    files = _yaml_files()
    return read_cached("framework", files, RawFramework, lambda: _read_framework(files))


def read_pickle(path: Path) -> object | None:
    """What an earlier process pickled at ``path``, or None when there is no usable copy there
    (missing, unreadable, cut short, or written by another version of the code)."""
    try:
        with path.open("rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        return None


def read_cached(tag: str, files: dict[str, str], kind: type[T], build: Callable[[], T]) -> T:
    """``build()``, or the copy of its result an earlier process cached for exactly ``files``
    (names and texts of the data files it is made from) under :func:`cache_dir`.

    The vocabulary, the wording and the stems of the data files' words are cached this way
    beside the framework: a short command then neither imports a YAML parser nor a stemmer.
    """
    path = _cache_path(tag, files)
    if path is not None:
        cached = read_pickle(path)
        if isinstance(cached, kind):
            return cached
    value = build()
    if path is not None:
        _write_cache(path, value)
    return value


def data_file(name: str) -> dict[str, str]:
    """The name and text of one data file, as :func:`read_cached` takes them."""
    return {name: (_DATA / name).read_text("utf-8")}


def read_stems() -> dict[str, str]:
    """The Snowball stem of every lower-case word of the data files (cached as above), so that
    matching a document against the framework's own words needs no stemmer."""
    files = _yaml_files()
    return read_cached("stems", files, dict, lambda: _stems_of(files))


def _stems_of(files: dict[str, str]) -> dict[str, str]:
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("english")
    words: set[str] = set()
    for text in files.values():
        # Hyphenated words also stand joined ("re-offending" is matched as "reoffending").
        for variant in (text.lower(), text.lower().replace("-", "")):
            words.update(re.findall(r"[a-z0-9]+", variant))
    return {w: stemmer.stemWord(w) for w in sorted(words)}


def _cache_path(tag: str, files: dict[str, str]) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(f"{_CACHE_FORMAT}\0{_code_digest()}".encode())
    for name in sorted(files):
        digest.update(f"\0{name}\0{files[name]}".encode())
    return folder / f"{tag}-{digest.hexdigest()[:32]}.pickle"


@functools.cache
def _code_digest() -> str:
    # The code that builds the cached objects is part of the key too: a changed model or
    # loader must not read objects built by the old one.
    digest = hashlib.sha256()
    for code in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(code.read_bytes())
    return digest.hexdigest()


def _write_cache(path: Path, value: object) -> None:
    write_whole(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def _read_framework(files: dict[str, str]) -> RawFramework:
    """Parse and check every data file; raise FrameworkError naming the file on any mistake."""
    for required in ("forces.yaml", "grades.yaml", "keys.yaml"):
        if required not in files:
            raise FrameworkError(f"framework data file {required} is missing")
    keys, related, columns = _read_keys(_parse(files["keys.yaml"], "keys.yaml"))
    forces, preferred = _read_forces(_parse(files["forces.yaml"], "forces.yaml"))
    grades_raw = _parse(files["grades.yaml"], "grades.yaml")
    grades = tuple(
        Grade(
            value=str(g["value"]),
            variants=_strs(g.get("variants")),
            rank=int(g["rank"]),
            abbreviations=_strs(g.get("abbreviations")),
        )
        for g in grades_raw["grades"]
    )
    scales = {str(k): _strs(v) for k, v in grades_raw["scales"].items()}
    known_values = {g.value for g in grades}
    for scale_name, values in scales.items():
        if unknown := set(values) - known_values:
            raise _fail("grades.yaml", f"scale {scale_name} names unknown grades {sorted(unknown)}")
    cycle_files = sorted(n for n in files if n.startswith("cycle-"))
    if not cycle_files:
        raise FrameworkError("framework data has no cycle-*.yaml files")
    cycles = [_read_cycle(_parse(files[n], n), n, scales, keys, columns) for n in cycle_files]
    cycles.sort(key=lambda c: c[0])
    result = RawFramework(
        forces=forces,
        preferred=preferred,
        cycles=tuple(c for _, c in cycles),
        grades=grades,
        pending=_strs(grades_raw.get("pending")),
        not_peel=_strs(grades_raw.get("not_peel")),
        keys=keys,
        related=related,
    )
    _check_cycle_names(result.cycles)
    return result


def _read_keys(raw: Any) -> tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, str]]:
    keys: dict[str, str] = {}
    related: dict[str, tuple[str, ...]] = {}
    columns: dict[str, str] = {}  # key -> the few words that head its column in a table
    for key, entry in raw["keys"].items():
        if not _KEY_SHAPE.match(key):
            raise _fail("keys.yaml", f"key {key!r} is not lower-case words joined by '-'")
        keys[key] = str((entry or {}).get("description", ""))
        related[key] = _strs((entry or {}).get("related"))
        if (entry or {}).get("column"):
            columns[key] = str(entry["column"])
    for key, others in related.items():
        if unknown := [o for o in others if o not in keys]:
            raise _fail("keys.yaml", f"key {key!r} is related to unknown keys {unknown}")
    return keys, related, columns


def _read_forces(raw: Any) -> tuple[tuple[Force, ...], dict[str, str]]:
    forces = tuple(
        Force(
            slug=str(f["slug"]),
            name=str(f["name"]),
            aliases=_strs(f.get("aliases")),
            former_names=_strs(f.get("former_names")),
            noun=f.get("noun", "force"),
            region=str(f.get("region", "")),
            rocu=None if f.get("rocu") is None else str(f["rocu"]),
            policing_body=str(f.get("policing_body", "")),
            ambiguous_aliases=_strs(f.get("ambiguous_aliases")),
            abbreviations=_strs(f.get("abbreviations")),
        )
        for f in raw["forces"]
    )
    preferred = {str(k): str(v) for k, v in (raw.get("preferred") or {}).items()}
    slugs = {f.slug for f in forces}
    if len(slugs) != len(forces):
        raise _fail("forces.yaml", "two forces share a slug")
    # Every unambiguous name must point to exactly one force.
    owner: dict[str, str] = {}
    for force in forces:
        if force.noun not in ("force", "constabulary"):
            raise _fail("forces.yaml", f"{force.slug}: noun must be 'force' or 'constabulary'")
        for name in (force.slug, force.name, *force.aliases, *force.abbreviations, *force.former_names):
            key = name_key(name)
            if owner.setdefault(key, force.slug) != force.slug:
                raise _fail("forces.yaml", f"{name!r} names both {owner[key]} and {force.slug}")
    for force in forces:
        for alias in force.ambiguous_aliases:
            if alias not in preferred:
                raise _fail("forces.yaml", f"ambiguous alias {alias!r} has no entry under 'preferred'")
            if name_key(alias) in owner:
                raise _fail("forces.yaml", f"ambiguous alias {alias!r} is also an ordinary alias")
    for alias, slug in preferred.items():
        sharing = [f.slug for f in forces if alias in f.ambiguous_aliases]
        if slug not in sharing:
            raise _fail("forces.yaml", f"preferred force for {alias!r} ({slug}) does not list it")
    return forces, preferred


def _subject(
    entry: dict[str, Any],
    *,
    cycle: str,
    sid: str,
    scope: str,
    pillar: str | None,
    key: str,
    keys: dict[str, str],
    filename: str,
    versions: tuple[str, ...],
    columns: dict[str, str],
) -> Subject:
    if key not in keys:
        raise _fail(filename, f"subject {sid}: key {key!r} is not listed in keys.yaml")
    own_versions = _strs(entry.get("framework_versions"))
    if unknown := set(own_versions) - set(versions):
        raise _fail(filename, f"subject {sid}: unknown framework versions {sorted(unknown)}")
    return Subject(
        id=sid,
        key=key,
        cycle=cycle,
        scope=scope,  # type: ignore[arg-type]  # one of the Scope literals, set by the caller
        name=" ".join(str(entry["name"]).split()),
        pillar=pillar,
        short=None if entry.get("short") is None else str(entry["short"]),
        column=str(entry.get("column") or columns.get(key) or entry.get("short") or entry["name"]),
        aliases=_strs(entry.get("aliases")),
        graded=bool(entry.get("graded", True)),
        verified=bool(entry.get("verified", True)),
        core=bool(entry.get("core", True)),
        framework_versions=own_versions,
    )


def _read_cycle(
    raw: Any,
    filename: str,
    scales: dict[str, tuple[str, ...]],
    keys: dict[str, str],
    columns: dict[str, str] | None = None,
) -> tuple[int, Cycle]:
    label = str(raw["label"])
    slug = str(raw.get("slug") or label)
    versions = _strs(raw.get("framework_versions"))
    if raw.get("scale") not in scales:
        raise _fail(filename, f"scale {raw.get('scale')!r} is not one of {sorted(scales)}")
    common = {
        "cycle": label,
        "keys": keys,
        "filename": filename,
        "versions": versions,
        "columns": columns or {},
    }
    subjects: list[Subject] = []
    if overall := raw.get("overall"):
        subjects.append(
            _subject(overall, sid=f"{slug}/overall", scope="overall", pillar=None, key="overall", **common)
        )
    for p in raw.get("pillars") or ():
        pillar = str(p["pillar"])
        if pillar not in PILLARS:
            raise _fail(filename, f"unknown pillar {pillar!r}")
        subjects.append(
            _subject(p, sid=f"{slug}/{pillar}", scope="pillar", pillar=pillar, key=pillar, **common)
        )
        for n, q in enumerate(p.get("questions") or (), start=1):
            sid = f"{slug}/{pillar}/q{n}"
            subjects.append(
                _subject(q, sid=sid, scope="question", pillar=pillar, key=str(q["key"]), **common)
            )
    for a in raw.get("areas") or ():
        key = str(a["key"])
        subjects.append(
            _subject(a, sid=f"{slug}/{key}", scope="area", pillar=a.get("pillar"), key=key, **common)
        )
    seen: dict[str, str] = {}
    for s in subjects:
        if s.key in seen:
            raise _fail(filename, f"key {s.key!r} used by both {seen[s.key]} and {s.id}")
        seen[s.key] = s.id
    cycle = Cycle(
        label=label,
        aliases=_strs(raw.get("aliases")),
        scale=scales[raw["scale"]],
        ordinal=raw.get("ordinal"),
        url_slugs=_strs(raw.get("url_slugs")),
        years=tuple(int(y) for y in raw.get("years") or ()),
        subjects=tuple(subjects),
        slug=slug,
        cues=_strs(raw.get("cues")),
        comparability=" ".join(str(raw.get("comparability") or "").split()),
        framework_versions=versions,
    )
    return int(raw["order"]), cycle


def _check_cycle_names(cycles: tuple[Cycle, ...]) -> None:
    owner: dict[str, str] = {}
    for cycle in cycles:
        for name in (cycle.label, cycle.slug, *cycle.aliases):
            key = label_key(name)
            if owner.setdefault(key, cycle.label) != cycle.label:
                raise FrameworkError(
                    f"framework data: cycle name {name!r} names both {owner[key]} and {cycle.label}"
                )
