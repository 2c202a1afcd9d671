"""Migrations: they build exactly the schema the models declare, from nothing and back again."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from badges.extensions import db
from tests.conftest import make_app


def test_migrated_database_matches_the_models(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == [], "models changed without a migration (flask db migrate): " + repr(differences)


@pytest.fixture
def fresh_sqlite_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def test_upgrade_builds_every_table_on_a_new_sqlite_file(fresh_sqlite_app):
    assert table_names() == set()
    upgrade()
    assert table_names() == set(db.metadata.tables) | {"alembic_version"}
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []


def test_downgrade_to_base_then_upgrade_again(fresh_sqlite_app):
    upgrade()
    downgrade(revision="base")
    assert table_names() <= {"alembic_version"}
    upgrade()
    assert table_names() == set(db.metadata.tables) | {"alembic_version"}
    with db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []


def test_upgrading_a_sqlite_file_with_frameworks_keeps_every_row_and_names_them_for_case(fresh_sqlite_app):
    """The editable-frameworks migration rebuilds `frameworks` and the tables under it (SQLite batch mode).
    Rebuilding drops the old table: with foreign keys on, that would cascade into levels, domains and key
    questions (migrations/env.py switches them off for the rebuild). Every loaded version comes out published,
    every row with a CASE identifier of its own."""
    upgrade(revision="c7a1e5b3d920")
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO frameworks (id, slug, version, title, description, source, content_hash, loaded_at) "
            "VALUES (1, 'f', '1.0', 'F', '', '', 'x', '2026-01-02 03:04:05')"
        )
        connection.exec_driver_sql(
            "INSERT INTO levels (framework_id, value, code, name, descriptor) "
            "VALUES (1, 1, 'a', 'A', 'd'), (1, 2, 'b', 'B', 'd')"
        )
        connection.exec_driver_sql(
            "INSERT INTO domains (id, framework_id, position, code, name, description) VALUES (1, 1, 1, 'd', 'D', '')"
        )
        connection.exec_driver_sql(
            "INSERT INTO indicators (framework_id, domain_id, position, code, text) VALUES (1, 1, 1, '1.1', 'Q?')"
        )
    upgrade()
    with db.engine.connect() as connection:
        frameworks = connection.exec_driver_sql("SELECT identifier, published_at, change_summary FROM frameworks").all()
        identifiers = [
            row[0]
            for table in ("levels", "domains", "indicators")
            for row in connection.exec_driver_sql(f"SELECT identifier FROM {table}").all()
        ]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert [(published, summary) for _, published, summary in frameworks] == [("2026-01-02 03:04:05", "[]")]
    assert len(identifiers) == 4 and len(set(identifiers + [frameworks[0][0]])) == 5
