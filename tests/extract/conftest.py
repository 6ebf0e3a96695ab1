"""Fixtures for the extraction tests: the built test documents, their scores, the quality floors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import peel_doc_builders  # noqa: E402
from extract_expectations import FLOOR_FILE, SHARED  # noqa: E402


@pytest.fixture(scope="session")
def built_documents(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with every test document (PDF and DOCX rendered from their sources) and answer."""
    return peel_doc_builders.build_all(tmp_path_factory.mktemp("extract-documents"))


@pytest.fixture(scope="session")
def document_scores(built_documents: Path):
    """The real extractor, in-process, scored on every test document (computed once)."""
    from peelwatch.evaluate import score_folder

    return score_folder(built_documents, built_documents)


@pytest.fixture(scope="session")
def quality_floor() -> dict:
    return json.loads(FLOOR_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not ((corpus / "gold").is_dir() and (corpus / "documents").is_dir()):
        pytest.skip(f"the shared corpus is not beside the repository ({corpus} not found)")
    return corpus


@pytest.fixture
def fresh_python() -> Callable[[str], str]:
    """Run Python ``code`` in a new interpreter importing this tree's package; its printed output.

    For what only a fresh process shows: which modules a command loads."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[1] / "src")}

    def run(code: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
        )
        return done.stdout.strip()

    return run
