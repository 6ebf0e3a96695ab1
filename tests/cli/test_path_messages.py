"""One message per condition, whichever command meets it: ``peelwatch extract`` and
``peelwatch ingest`` (a named file or a folder's) say the same words for a pipe, a missing
file, a file over the size limit and an archive that unpacks past its limit; a folder's
symbolic link that leads outside the folder is not followed, and said so, one line per link.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.readers.builders import docx_bomb

NOTE = "Kent Police was rated good at preventing crime.\n"


def peelwatch(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user does; ``cwd`` is the test's folder, holding its database."""
    env = {key: value for key, value in os.environ.items() if key != "PEELWATCH_DB"}
    return subprocess.run(
        [sys.executable, "-m", "peelwatch", *args],
        capture_output=True,
        text=True,
        env={**env, "COLUMNS": "250"},
        timeout=120,
    )


def ingest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return peelwatch("ingest", *args, "--db", database(cwd), "--no-progress", "--workers", "1", cwd=cwd)


def database(folder: Path) -> str:
    """The test's database, beside its folder so that ingesting the folder does not find it."""
    return str(folder.parent / f"{folder.name}.db")


def errors(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("peelwatch: error:")]


@pytest.fixture()
def pipe(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


def test_a_pipe_is_not_a_regular_file_to_extract_to_ingest_and_in_a_folder(tmp_path: Path, pipe: Path):
    expected = f"peelwatch: error: {pipe}: not a regular file"
    extracted = peelwatch("extract", str(pipe), cwd=tmp_path)
    assert extracted.returncode == 1 and errors(extracted) == [expected]
    named = ingest(str(pipe), cwd=tmp_path)
    assert named.returncode == 1 and errors(named) == [expected]
    (tmp_path / "note.txt").write_text(NOTE)
    folder = ingest(str(tmp_path), "--format", "json", cwd=tmp_path)
    assert folder.returncode == 1 and errors(folder) == [expected]
    rows = {Path(row["name"]).name: row for row in json.loads(folder.stdout)}
    assert rows["note.txt"]["status"] == "ingested"
    assert rows["pipe.txt"] == {**rows["pipe.txt"], "status": "failed", "reason": "not a regular file"}


def test_a_missing_file_is_named_the_same_by_extract_and_ingest(tmp_path: Path):
    missing = tmp_path / "gone.txt"
    for result in (peelwatch("extract", str(missing), cwd=tmp_path), ingest(str(missing), cwd=tmp_path)):
        assert result.returncode == 1
        assert errors(result) == [f"peelwatch: error: {missing}: no such file or folder"]


def test_a_file_over_the_limit_has_one_message(tmp_path: Path):
    big = tmp_path / "big.txt"
    big.write_text(NOTE * 100)  # 4.8 KB
    expected = f"peelwatch: error: {big}: file is 4.7 KB, over the 1000 bytes limit"
    for result in (
        peelwatch("extract", str(big), "--max-bytes", "1000", cwd=tmp_path),
        ingest(str(big), "--max-bytes", "1000", cwd=tmp_path),
    ):
        assert result.returncode == 1
        assert errors(result) == [expected]


def test_a_docx_that_unpacks_past_its_limit_is_refused_in_one_line(tmp_path: Path):
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(docx_bomb(30_000_000, "paragraphs"))
    limit = "--max-bytes", "5000000"  # unpacked parts may reach 1 MB
    extracted = peelwatch("extract", str(bomb), *limit, cwd=tmp_path)
    assert extracted.returncode == 1
    assert extracted.stderr.splitlines() == [
        "peelwatch: error: bomb.docx: DOCX unpacks to 29.8 MB, over the 976.6 KB limit for unpacked documents"
    ]
    ingested = ingest(str(bomb), *limit, cwd=tmp_path)
    assert ingested.returncode == 1
    assert errors(ingested) == [
        f"peelwatch: error: {bomb}: DOCX unpacks to 29.8 MB, over the 976.6 KB limit for unpacked documents"
    ]


def test_folder_ingest_does_not_follow_links_that_leave_the_folder(tmp_path: Path):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "note.txt").write_text(NOTE)
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (folder / "x.txt").symlink_to(outside)
    (folder / "sub" / "etc").symlink_to(tmp_path)  # a folder outside, through a link
    (folder / "again.txt").symlink_to(folder / "note.txt")  # stays inside: followed
    result = ingest(str(folder), "--format", "json", cwd=tmp_path)
    assert result.returncode == 1
    reason = "symbolic link to outside the folder; not followed"
    assert sorted(errors(result)) == [
        f"peelwatch: error: {folder / 'sub' / 'etc'}: {reason}",
        f"peelwatch: error: {folder / 'x.txt'}: {reason}",
    ]
    rows = {Path(row["name"]).name: row["status"] for row in json.loads(result.stdout)}
    assert rows == {"again.txt": "ingested", "note.txt": "unchanged", "etc": "failed", "x.txt": "failed"}
    shown = peelwatch("search", "root", "--db", database(tmp_path), "--format", "json", cwd=tmp_path)
    assert "root:x" not in shown.stdout
