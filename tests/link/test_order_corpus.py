"""The shared corpus ingested in three random orders, linked in batches of three sizes, gives the
same links, ties, claims and statuses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from test_linker import snapshot

from peelwatch.ingest import ingest_paths
from peelwatch.store import open_store


@pytest.mark.corpus
@pytest.mark.slow
def test_corpus_in_three_random_orders(shared_corpus: Path, tmp_path: Path) -> None:
    files = sorted(p for p in shared_corpus.iterdir() if p.is_file())
    seen = []
    # one document per transaction and link pass, a batch that splits the corpus unevenly, and
    # ingest's own batch size
    for seed, batch in ((11, 1), (22, 7), (33, 32)):
        order = files[:]
        random.Random(seed).shuffle(order)
        st = open_store(str(tmp_path / f"corpus{seed}.db"))
        try:
            report = ingest_paths(st, order, workers=1, batch=batch)
            assert report.count("failed") == 0
            seen.append(snapshot(st))
        finally:
            st.close()
    links, ties, claims, statuses = seen[0]
    assert links and ties and claims and statuses
    assert seen[0] == seen[1] == seen[2]
