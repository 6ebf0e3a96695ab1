"""Opening databases: migration, schema checks and clear errors for bad URLs and files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import samples
from sqlalchemy import text

from peelwatch.errors import StoreError
from peelwatch.store import open_store
from peelwatch.store.engine import current_revision, head_revision, migrate, normalise_url
from peelwatch.store.repository import counts, store_extraction


def test_new_database_is_migrated_and_seeded(store) -> None:
    assert current_revision(store.engine) == head_revision()
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM force")).scalar_one() == 43


def test_head_constant_matches_the_scripts() -> None:
    from peelwatch.store.engine import script_head

    assert script_head() == head_revision()


def test_models_match_the_migrations(store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from peelwatch.store.migrations_support import include_object
    from peelwatch.store.models import Base

    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object, "compare_type": True})
        assert compare_metadata(ctx, Base.metadata) == []


def test_downgrade_and_upgrade_again(store) -> None:
    from alembic import command

    from peelwatch.store.engine import _alembic_config

    with store.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "base")
    assert current_revision(store.engine) is None
    assert migrate(store.engine) == (None, head_revision())


def test_upgrade_keeps_records(store, db_url) -> None:
    text_, extraction = samples.report_2021()
    with store.write() as session:
        store_extraction(
            session, content_hash=samples.digest(text_), text=text_, extraction=extraction, source="r"
        )
    store.close()
    again = open_store(db_url)
    assert migrate(again.engine) == (head_revision(), head_revision())
    with again.read() as session:
        assert counts(session)["findings"] == 3
    again.close()


def test_upgrade_from_the_first_schema_keeps_records_and_search(store, db_url) -> None:
    from alembic import command

    from peelwatch.store import list_findings, search
    from peelwatch.store.engine import _alembic_config

    for pair in (samples.report_2021(), samples.letter_2021()):
        with store.write() as session:
            store_extraction(
                session, content_hash=samples.digest(pair[0]), text=pair[0], extraction=pair[1], source="s"
            )
    with store.read() as session:
        before = counts(session)
    with store.engine.begin() as conn:
        command.downgrade(_alembic_config(conn), "0001")
    assert current_revision(store.engine) == "0001"
    store.close()
    again = open_store(db_url)  # an older schema is migrated on open
    assert current_revision(again.engine) == head_revision()
    with again.read() as session:
        assert counts(session) == before
    assert search(again, "missing children", force="cheshire", cycle="2021/22").total >= 2
    assert list_findings(again).total == 3
    again.close()


def test_newer_schema_is_refused(store, db_url) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dfeed'"))
    store.close()
    with pytest.raises(StoreError, match="newer than this peelwatch"):
        open_store(db_url)


@pytest.mark.parametrize(
    "url", ["postgres//localhost/x", "mysql://localhost/db", "sqlite:/x:y", "", "http://example.invalid/"]
)
def test_malformed_or_unsupported_url(url: str) -> None:
    with pytest.raises(StoreError):
        normalise_url(url)


def test_plain_path_is_a_sqlite_file(tmp_path: Path) -> None:
    st = open_store(str(tmp_path / "plain.db"))
    assert st.dialect == "sqlite"
    st.close()
    assert (tmp_path / "plain.db").exists()


def test_read_only_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ro.db"
    open_store(f"sqlite:///{path}").close()
    os.chmod(path, 0o444)
    with pytest.raises(StoreError, match="read-only"):
        open_store(f"sqlite:///{path}")


def test_missing_folder_and_non_database_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(f"sqlite:///{tmp_path / 'nope' / 'x.db'}")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="not a SQLite database"):
        open_store(f"sqlite:///{junk}")


def test_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot open database"):
        open_store("postgresql://nobody@127.0.0.1:1/nothing?connect_timeout=2")


def test_sqlite_pragmas(tmp_path: Path) -> None:
    st = open_store(f"sqlite:///{tmp_path / 'p.db'}")
    with st.read() as session:
        assert session.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        assert session.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    st.close()


def test_deleting_a_document_cascades(store) -> None:
    from peelwatch.store.models import Document

    text_, extraction = samples.letter_2021()
    with store.write() as session:
        doc_id = store_extraction(
            session, content_hash=samples.digest(text_), text=text_, extraction=extraction, source="l"
        ).document_id
    with store.write() as session:
        session.delete(session.get(Document, doc_id))
    with store.read() as session:
        c = counts(session)
    assert c["mentions"] == 0 and c["responses"] == 0 and c["judgments"] == 0
    # Canonical findings outlive the document (they may have tracking data); only their entries remain.
    assert c["search_entries"] == c["findings"] == 2
