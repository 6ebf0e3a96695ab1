"""Small things users hit: a claim repeated in one document is listed once, a response names who
made it and when, and a finding's passages are placed in words a person reads, not offsets."""

from __future__ import annotations

import hashlib
from pathlib import Path

from fastapi.testclient import TestClient
from web_seed import SMALL_LIMIT, _judgment, pcc_response, report_2023

from peelwatch.config import Settings
from peelwatch.store import open_store
from peelwatch.store.repository import store_extraction
from peelwatch.web import create_app


def _seed(url: str, *builds: tuple[str, object]) -> list[int]:
    store = open_store(url)
    ids = []
    try:
        for text, ex in builds:
            with store.write() as session:
                stored = store_extraction(
                    session,
                    content_hash=hashlib.sha256(text.encode()).hexdigest(),
                    text=text,
                    extraction=ex,
                    source=ex.source,
                    reader="text",
                    size=len(text.encode()),
                )
                ids.append(stored.document_id)
    finally:
        store.close()
    return ids


def _letter_repeating_a_claim() -> tuple[str, object]:
    """The commissioner's letter, stating its claim of one grade twice (summary, then body)."""
    text, ex = pcc_response()
    text += "\nTo repeat: the force was graded outstanding in developing a positive workplace.\n"
    words = "graded outstanding in developing a positive workplace"
    again = _judgment(text, "Developing a positive workplace", "outstanding", words, claim=True)
    again.start = text.rindex(words)
    again.end = again.start + len(words)
    ex.judgments.append(again)
    ex.published = "2024-05-02"
    return text, ex


def test_a_claim_repeated_in_one_document_is_listed_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'claims.db'}"
    _seed(url, report_2023(), _letter_repeating_a_claim())
    with TestClient(create_app(Settings(db_url=url, max_bytes=SMALL_LIMIT))) as client:
        view = client.get("/api/forces/kent").json()
        claims = [
            (c["grade"], c["document_id"])
            for cyc in view["cycles"]
            for j in cyc["judgments"]
            for c in j["claims"]
        ] + [(c["grade"], c["document_id"]) for c in view["unmatched_claims"]]
        assert len(claims) == len(set(claims)), claims
        repeated = [
            c
            for cyc in view["cycles"]
            for j in cyc["judgments"]
            for c in j["claims"]
            if c["grade"] == "outstanding"
        ] + [c for c in view["unmatched_claims"] if c["grade"] == "outstanding"]
        assert len(repeated) == 1 and repeated[0]["times"] == 2
        assert "(stated 2 times)" in client.get("/forces/kent").text


def test_a_response_names_its_responder_and_date_and_no_offsets_are_shown(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'responses.db'}"
    _seed(url, report_2023(), _letter_repeating_a_claim())
    with TestClient(create_app(Settings(db_url=url, max_bytes=SMALL_LIMIT))) as client:
        findings = client.get("/api/findings", params={"force": "kent"}).json()["items"]
        answered = [client.get(f"/api/findings/{f['id']}").json() for f in findings]
        answered = [a for a in answered if a["responses"]]
        assert answered, "the seed answers one finding"
        response = answered[0]["responses"][0]
        # the framework names Kent's policing body; the letter's own date
        assert "Commissioner" in response["responder"] and "Kent" in response["responder"]
        assert response["published"] == "2024-05-02"
        page = client.get(f"/findings/{answered[0]['finding']['id']}").text
        assert response["responder"] in page
        assert '<time datetime="2024-05-02">' in page
        assert "characters " not in page  # offsets are for machines (the API keeps start/end)
        assert "See it in the full document" in page and "Show in document" in page
