"""Bad input through the real ``peelwatch extract`` command, and mutated documents through the API.

Every bad file must give either one clear stderr line naming the file and the problem with a
non-zero exit, or (a valid file that says nothing) an empty extraction with one warning line and
exit 0. Never a traceback. The property test feeds damaged versions of the test documents to
``extract_bytes`` and accepts no exception other than the project's own error types.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peelwatch.errors import PeelwatchError

# --------------------------------------------------------------------------- helpers


def run_extract(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "peelwatch", "extract", str(path), "--format", "json", *extra],
        capture_output=True,
        text=True,
        timeout=120,
    )


def stderr_lines(run: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.strip()]


def assert_clear_error(run: subprocess.CompletedProcess[str], path: Path, problem: str) -> None:
    """Non-zero exit, exactly one stderr line naming the file and matching ``problem``."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode != 0, f"expected a failure, got exit 0 with {run.stdout[:300]!r}"
    lines = stderr_lines(run)
    assert len(lines) == 1, lines
    assert path.name in lines[0], lines[0]
    assert re.search(problem, lines[0], re.IGNORECASE), f"{lines[0]!r} does not say /{problem}/"


def assert_empty_with_warning(run: subprocess.CompletedProcess[str], path: Path) -> None:
    """Exit 0, an extraction with nothing in it, and one warning line naming the file."""
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["judgments"] == [] and result["findings"] == [] and result["responses"] == []
    lines = stderr_lines(run)
    assert len(lines) == 1, lines
    assert path.name in lines[0] and "warning" in lines[0].lower(), lines[0]


def assert_error_or_empty(run: subprocess.CompletedProcess[str], path: Path, problem: str) -> None:
    """Either of the two clear outcomes (for files that may count as valid but empty)."""
    if run.returncode == 0:
        assert_empty_with_warning(run, path)
    else:
        assert_clear_error(run, path, problem)


def simple_pdf(text: str | None = "Kent Police is good at preventing crime.") -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF()
    pdf.add_page()
    if text is None:
        pdf.rect(20, 20, 120, 60, style="F")  # a drawing only: no text layer
    else:
        pdf.set_font("Helvetica", size=12)
        for _ in range(20):
            pdf.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


# --------------------------------------------------------------------------- the command on bad files


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert_error_or_empty(run_extract(path), path, r"empty|no text|nothing")


def test_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "noise.bin"
    path.write_bytes(random.Random(7).randbytes(8192))
    assert_clear_error(
        run_extract(path), path, r"unsupported|not a|format|binary|unknown|cannot|can't|unreadable"
    )


def test_random_bytes_named_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "noise.pdf"
    path.write_bytes(random.Random(8).randbytes(8192))
    assert_clear_error(
        run_extract(path),
        path,
        r"unsupported|not a|format|binary|unknown|corrupt|damaged|invalid|cannot|can't",
    )


def test_truncated_pdf(tmp_path: Path) -> None:
    data = simple_pdf()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert_clear_error(run_extract(path), path, r"corrupt|damaged|truncat|invalid|broken|cannot|can't")


def test_encrypted_pdf(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner-secret", user_password="user-secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 6, "Kent Police is good at preventing crime.")
    path = tmp_path / "locked.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert_clear_error(run_extract(path), path, r"encrypt|password|protected")


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Kent Police is good at preventing crime.\n" * 200, encoding="utf-8")
    assert_clear_error(run_extract(path, "--max-bytes", "1000"), path, r"large|size|limit|bytes")


def test_invalid_utf8(tmp_path: Path) -> None:
    path = tmp_path / "mangled.txt"
    path.write_bytes(
        b"\xff\xfe\xfa PEEL " + b"\xc3\x28\xa0\xa1 \xe2\x82 " * 40 + b"\x80\x81\x8d\x8f\x90\x9d" * 30
    )
    run = run_extract(path)
    assert "Traceback" not in run.stderr, run.stderr
    assert_error_or_empty(run, path, r"encod|decod|utf|unsupported|binary|format|not a|unreadable")


def test_invalid_utf8_in_a_real_document(tmp_path: Path) -> None:
    """A document with a few broken bytes is still read; at most one warning, never a traceback."""
    good = (Path(__file__).parent / "documents" / "gwent-2021-22-news.txt").read_bytes()
    path = tmp_path / "gwent-broken.txt"
    path.write_bytes(good[:400] + b"\xc3\x28\xff" + good[400:])
    run = run_extract(path)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 0, run.stderr
    assert len(stderr_lines(run)) <= 1
    assert json.loads(run.stdout)["force"] == "Gwent Police"


def test_html_full_of_scripts(tmp_path: Path) -> None:
    script = "<script>var grades = ['Outstanding', 'Good']; function f(){ return 'Kent Police is good at preventing crime'; }</script>"
    html = (
        "<!DOCTYPE html><html><head><title></title>"
        + script * 30
        + "<style>body{color:red}</style></head><body>"
        + script * 30
        + "<noscript></noscript></body></html>"
    )
    path = tmp_path / "scripts.html"
    path.write_text(html, encoding="utf-8")
    assert_error_or_empty(run_extract(path), path, r"no text|empty|nothing|no content")


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "scanned.pdf"
    path.write_bytes(simple_pdf(None))
    assert_error_or_empty(run_extract(path), path, r"no text|scanned|image|empty|nothing|OCR")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "does-not-exist.txt"
    run = run_extract(path)
    assert "Traceback" not in run.stderr
    assert run.returncode != 0
    assert len(stderr_lines(run)) == 1 and path.name in run.stderr


# --------------------------------------------------------------------------- mutated documents


def _seed_documents() -> list[tuple[str, bytes]]:
    import peel_doc_builders

    folder = Path(__file__).parent / "documents"
    picks = [
        "hertfordshire-pcc-2021-22.txt",
        "kent-2014-efficiency.html",
        "northumbria-2018-19-effectiveness.txt",
        "greater-manchester-2015-vulnerability-cp1252.txt",
        "city-of-london-2021-22-report.txt",
    ]
    seeds = [(name, (folder / name).read_bytes()) for name in picks]
    pdf_source = (folder / "lancashire-2018-19-summary.pdf.md").read_text(encoding="utf-8")
    docx_source = (folder / "thames-valley-pcc-2023-25.docx.md").read_text(encoding="utf-8")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        pdf = peel_doc_builders.build_pdf(pdf_source, Path(tmp) / "seed.pdf").read_bytes()
        docx = peel_doc_builders.build_docx(docx_source, Path(tmp) / "seed.docx").read_bytes()
    return [*seeds, ("seed.pdf", pdf), ("seed.docx", docx)]


SEEDS = _seed_documents()


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name, data = draw(st.sampled_from(SEEDS))
    buf = bytearray(data)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        op = draw(st.sampled_from(["flip", "truncate", "insert", "shuffle", "delete"]))
        if not buf:
            break
        if op == "flip":
            for _ in range(draw(st.integers(min_value=1, max_value=20))):
                i = draw(st.integers(min_value=0, max_value=len(buf) - 1))
                buf[i] ^= 1 << draw(st.integers(min_value=0, max_value=7))
        elif op == "truncate":
            buf = buf[: draw(st.integers(min_value=0, max_value=len(buf)))]
        elif op == "insert":
            i = draw(st.integers(min_value=0, max_value=len(buf)))
            junk = draw(
                st.one_of(
                    st.binary(max_size=200),
                    st.sampled_from(
                        [
                            b"\x00" * 50,
                            b"%PDF-1.7\n",
                            b"<script>",
                            b"\t\t\t\n",
                            b"AFI 1:",
                            b"Good\n",
                            b"Outstanding\tGood\tAdequate\tRequires improvement\tInadequate\n",
                        ]
                    ),
                    st.text(max_size=80).map(lambda s: s.encode("utf-8")),
                )
            )
            buf[i:i] = junk
        elif op == "shuffle":
            lines = bytes(buf).split(b"\n")
            random.Random(draw(st.integers(min_value=0, max_value=10_000))).shuffle(lines)
            buf = bytearray(b"\n".join(lines))
        elif op == "delete":
            i = draw(st.integers(min_value=0, max_value=len(buf) - 1))
            j = draw(st.integers(min_value=i, max_value=min(len(buf), i + 500)))
            del buf[i:j]
    return name, bytes(buf)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(mutated())
def test_mutated_documents_raise_only_project_errors(case: tuple[str, bytes]) -> None:
    from peelwatch.extract import extract_bytes

    name, data = case
    try:
        result = extract_bytes(data, name)
    except PeelwatchError:
        return
    out = result.to_dict()
    json.dumps(out)  # serialisable
    for j in out["judgments"]:
        assert j["grade"] in {
            "outstanding",
            "good",
            "adequate",
            "requires improvement",
            "inadequate",
            "ungraded",
        }
    for r in out["responses"]:
        assert 0 <= r["finding"] < len(out["findings"])


@pytest.mark.parametrize("name", [n for n, _ in SEEDS])
def test_seed_documents_extract_cleanly(name: str) -> None:
    from peelwatch.extract import extract_bytes

    data = dict(SEEDS)[name]
    assert extract_bytes(data, name).to_dict()["kind"] in {"inspection_report", "pcc_response"}
