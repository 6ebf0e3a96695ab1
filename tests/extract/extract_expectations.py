"""Where the extraction test documents and their answers live (shared by the test modules)."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
DOCUMENTS = HERE / "documents"
FLOOR_FILE = HERE / "quality_floor.json"
REPO = HERE.parent.parent
SHARED = REPO.parent / "shared"


def expectation_names() -> list[str]:
    """Stems of every ``NAME.expected.json`` under ``documents/``."""
    return sorted(p.name[: -len(".expected.json")] for p in DOCUMENTS.glob("*.expected.json"))


def load_expectation(name: str) -> dict:
    return json.loads((DOCUMENTS / f"{name}.expected.json").read_text(encoding="utf-8"))
