"""An export keeps what decided each document's kind and whether it is provisional, so a
document whose kind was a guess does not start counting on the matrix after an import."""

from __future__ import annotations

import csv
from pathlib import Path

from peelwatch.ingest import ingest_bytes
from peelwatch.store import open_store
from peelwatch.store.export import export_store, import_store
from peelwatch.store.provenance import document_standing

NOTE = b"We inspected Kent Police (PEEL 2023-25). Protecting vulnerable people: Inadequate\n"


def test_provisional_survives_an_export_and_an_import(tmp_path: Path) -> None:
    source = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    target = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        doc = ingest_bytes(source, NOTE, "note.txt").document_id
        assert document_standing(source, doc).provisional
        export_store(source, tmp_path / "out", "csv")
        import_store(target, tmp_path / "out")
        standing = document_standing(target, doc)
        assert standing.provisional and standing.kind_confidence.startswith("low:")
        assert standing.kind_reason
    finally:
        source.close()
        target.close()


def test_an_export_from_before_the_columns_imports_as_counted(tmp_path: Path) -> None:
    source = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    target = open_store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        doc = ingest_bytes(source, NOTE, "note.txt").document_id
        out = tmp_path / "out"
        export_store(source, out, "csv")
        path = out / "documents.csv"
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        old = [c for c in rows[0] if c not in ("kind_reason", "kind_confidence", "provisional")]
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, old, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        import_store(target, out)
        assert not document_standing(target, doc).provisional  # as every document was before 0008
    finally:
        source.close()
        target.close()
