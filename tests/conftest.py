"""Fixtures: a migrated database (SQLite by default, PostgreSQL with TEST_DATABASE_URL),
the app (made once per process, put back after each test), HTTP clients that sign in through the
real login form, and the CLI runner.

Tests that need PostgreSQL or Chromium skip with a reason on a laptop and fail under CI=true.

Each test starts from an empty database plus what its fixtures add, and may commit freely. The
worlds fixtures add (the seed framework, the demo district, ...) are built once per test process
and restored from a snapshot in later tests (see `shared_world`): loading the framework and
generating its badge classes for every test was most of the suite's time. Under pytest-xdist
(`make test` runs `-n auto`) each worker has its own database: SQLite in its own temporary
folder, PostgreSQL as TEST_DATABASE_URL's database with the worker's name appended.
"""

from __future__ import annotations

import atexit
import copy
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy import bindparam, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from werkzeug.security import generate_password_hash

from badges import create_app
from badges.config import normalize_database_url
from badges.extensions import db, limiter
from badges.resources import default_framework_file

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SECRET = "test-secret-key-that-is-long-enough-0123456789"


def need(condition: bool, reason: str) -> None:
    """Skip on a developer's machine, fail in CI, when something a test needs is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


def _worker_database(url: str):
    """Under xdist, a database of this worker's own (created here, dropped at the end); else `url`."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url, None
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return base.set(database=name).render_as_string(hide_password=False), (admin, name)


def pytest_collection_modifyitems(config, items) -> None:
    """Under xdist, the browser tests share one worker, so one Chromium starts, not one per worker."""
    if config.pluginmanager.hasplugin("xdist"):
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    dropped = None
    if url:
        url, dropped = _worker_database(normalize_database_url(url))
        engine = create_engine(url)
        with engine.begin() as conn:  # a throwaway database: start from nothing
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    app = create_app({"ENVIRONMENT": "testing", "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        WORLDS.start(db.session.connection())
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    yield url
    if dropped:
        admin, name = dropped
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def is_postgres(database_url) -> bool:
    return database_url.startswith("postgresql")


class RequestIsolatedClient(FlaskClient):
    """Each request gets its own app context (and so its own `g` and db session), as under a
    real server; otherwise requests would share the test's context and its cached `g`."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


_EVIDENCE_ROOT: list[str] = []


def _evidence_root() -> str:
    """One temporary folder per test run for uploaded evidence: tests never write under instance/."""
    if not _EVIDENCE_ROOT:
        root = tempfile.mkdtemp(prefix="badges-test-evidence-")
        atexit.register(shutil.rmtree, root, True)
        _EVIDENCE_ROOT.append(root)
    return _EVIDENCE_ROOT[0]


def make_app(database_url: str, **overrides):
    config = {
        "ENVIRONMENT": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": SECRET,
        "RATELIMIT_STORAGE_URI": "memory://",
        "EVIDENCE_STORAGE_DIR": _evidence_root(),
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = RequestIsolatedClient
    return app


# Statements that change no rows; anything else (INSERT, UPDATE, DELETE, WITH ..., DDL) marks the
# database as no longer holding a known world.
_READ_ONLY = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SHOW", "SET ", "EXPLAIN")


@dataclass
class Snapshot:
    rows: dict[str, list[dict]]  # table -> its rows, for the tables that have any
    sequences: dict[str, int | None]  # PostgreSQL sequence -> last value (None: never used)
    files: dict[str, bytes]  # evidence files written while building, by name
    value: Any = None  # what the builder returned: plain values (ids), never ORM objects
    copies: str = ""  # PostgreSQL: the prefix of its tables' copies in schema test_worlds


@dataclass
class Worlds:
    """The database states fixtures build, each built once per process and restored afterwards.

    `current` names the state the database holds, as the tuple of worlds entered since it was empty,
    while nothing else has written to it; None once anything else wrote (an engine-wide listener
    watches every statement, from every app and thread of this process). Restoring deletes only the
    tables the known state filled (every table when unknown) and inserts the snapshot's rows."""

    current: tuple[str, ...] | None = None
    snapshots: dict[tuple[str, ...], Snapshot] = field(default_factory=dict)
    restoring: bool = False
    restores: int = 0  # PostgreSQL: how many restores since the last VACUUM
    truncated: set[str] = field(default_factory=set)  # tables whose triggers refuse DELETE
    scripts: dict[tuple, str] = field(default_factory=dict)  # PostgreSQL: (from, to) -> the restoring SQL

    def start(self, conn) -> None:
        """On the freshly migrated, empty database."""
        self.snapshots[()] = Snapshot({}, self._sequences(conn), {})
        if conn.dialect.name == "postgresql":  # the audit log is append-only: its trigger refuses DELETE
            self.truncated = set(
                conn.execute(
                    text(
                        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                        "WHERE NOT t.tgisinternal"
                    )
                ).scalars()
            )
            conn.execute(text("DROP SCHEMA IF EXISTS test_worlds CASCADE"))
            conn.execute(text("CREATE SCHEMA test_worlds"))
        self.current = ()

    def note(self, statement: str) -> None:
        if (
            self.current is not None
            and not self.restoring
            and not statement.lstrip()[:10].upper().startswith(_READ_ONLY)
        ):
            self.current = None

    def enter(self, name: str, build: Callable[[], Any]) -> Any:
        """The database now also holds world `name`, as `build()` makes it; returns build()'s value."""
        if self.current is None:  # someone wrote first: build on top of that, as the fixture always did
            value = build()
            db.session.commit()
            return value
        key = self.current + (name,)
        if key in self.snapshots:
            self.restore(key)
            return self.snapshots[key].value
        storage = Path(current_app.config["EVIDENCE_STORAGE_DIR"])
        before = set(os.listdir(storage)) if storage.is_dir() else set()
        value = build()
        db.session.commit()
        after = set(os.listdir(storage)) if storage.is_dir() else set()
        files = {n: (storage / n).read_bytes() for n in sorted(after - before)}
        conn = db.session.connection()
        rows = {}
        for table in db.metadata.sorted_tables:
            found = [dict(r) for r in conn.execute(table.select().order_by(*table.primary_key.columns)).mappings()]
            if found:
                rows[table.name] = found
        snapshot = self.snapshots[key] = Snapshot(rows, self._sequences(conn), files, value)
        if conn.dialect.name == "postgresql":  # restored by the server itself, in one round trip
            snapshot.copies = f"w{len(self.snapshots)}_"
            self.restoring = True
            try:
                for name in rows:
                    conn.execute(text(f'CREATE TABLE test_worlds."{snapshot.copies}{name}" AS SELECT * FROM "{name}"'))
            finally:
                self.restoring = False
        db.session.commit()
        self.current = key
        return value

    def reset(self) -> None:
        """Back to the empty, migrated database (cheap when it still holds a known world)."""
        if self.current != ():
            self.restore(())

    def restore(self, key: tuple[str, ...]) -> None:
        target = self.snapshots[key]
        filled = self.snapshots[self.current].rows.keys() if self.current is not None else None
        doomed = [t for t in db.metadata.sorted_tables if filled is None or t.name in filled]
        conn = db.session.connection()
        self.restoring = True
        try:
            if conn.dialect.name == "postgresql":
                # Each statement is a round trip (several ms on a busy machine): one script does it all.
                script = self.scripts.get((self.current, key))
                if script is None:
                    script = self.scripts[(self.current, key)] = self._postgresql_script(doomed, target)
                conn.connection.cursor().execute(script)
            else:
                self._restore_rows(conn, doomed, target)
            db.session.commit()
            if conn.dialect.name == "postgresql":
                self._vacuum_now_and_then()
        finally:
            self.restoring = False
        self.current = key
        if target.files:
            storage = Path(current_app.config["EVIDENCE_STORAGE_DIR"])
            storage.mkdir(parents=True, exist_ok=True)
            for name, data in target.files.items():
                if not (storage / name).exists():  # a test deleted it: the snapshot's rows still name it
                    (storage / name).write_bytes(data)
                    os.chmod(storage / name, 0o600)

    def _vacuum_now_and_then(self) -> None:
        """Each restore deletes and re-inserts the same rows: within a few hundred restores the tables and
        their indexes hold many times more dead rows than live ones, faster than autovacuum clears them, and
        every later restore (and every foreign-key check) slows down. A VACUUM every 100 restores keeps them
        small (it cannot run in a transaction, hence the engine's own autocommit connection)."""
        self.restores += 1
        if self.restores % 100:
            return
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as autocommit:
            autocommit.execute(text("VACUUM"))

    @staticmethod
    def _restore_rows(conn, doomed, target: Snapshot) -> None:
        """SQLite, in process: delete what is there, insert the snapshot's rows."""
        deferred = _deferred_foreign_keys()
        for table in doomed:  # rows pointing at tables deleted before them (a renewal names its award)
            for column in deferred.get(table.name, ()):
                conn.execute(table.update().where(table.c[column].is_not(None)).values({column: None}))
        for table in reversed(doomed):
            conn.execute(table.delete())
        for table in db.metadata.sorted_tables:
            rows = target.rows.get(table.name)
            if not rows:
                continue
            later = deferred.get(table.name, ())
            conn.execute(table.insert(), [{**r, **{c: None for c in later}} for r in rows] if later else rows)
            for column in later:
                pk = list(table.primary_key.columns)
                links = [
                    {**{f"pk_{c.name}": r[c.name] for c in pk}, "link": r[column]}
                    for r in rows
                    if r[column] is not None
                ]
                if links:
                    where = [c == bindparam(f"pk_{c.name}") for c in pk]
                    conn.execute(table.update().where(*where).values({column: bindparam("link")}), links)

    def _postgresql_script(self, doomed, target: Snapshot) -> str:
        """Delete what is there (TRUNCATE only where a trigger refuses DELETE, and only when it has rows:
        TRUNCATE costs a file per table, 0.75 s for all of them), copy the snapshot's tables back, rewind
        the sequences. TRUNCATE's CASCADE reaches only tables emptied here anyway, or empty already."""
        deferred = _deferred_foreign_keys()
        steps = [
            f'UPDATE "{t.name}" SET "{c}" = NULL WHERE "{c}" IS NOT NULL'
            for t in doomed
            for c in deferred.get(t.name, ())
        ]
        for t in reversed(doomed):
            truncate = (
                f'DO $$ BEGIN IF EXISTS (SELECT FROM "{t.name}") THEN TRUNCATE "{t.name}" CASCADE; END IF; END $$'
            )
            steps.append(truncate if t.name in self.truncated else f'DELETE FROM "{t.name}"')
        for t in db.metadata.sorted_tables:
            if t.name not in target.rows:
                continue
            source, later = f'test_worlds."{target.copies}{t.name}"', deferred.get(t.name, ())
            names = ", ".join(f'"{c.name}"' for c in t.columns)
            values = ", ".join("NULL" if c.name in later else f'"{c.name}"' for c in t.columns)
            steps.append(f'INSERT INTO "{t.name}" ({names}) SELECT {values} FROM {source}')
            for c in later:
                same = " AND ".join(f'"{t.name}"."{k.name}" = w."{k.name}"' for k in t.primary_key.columns)
                steps.append(
                    f'UPDATE "{t.name}" SET "{c}" = w."{c}" FROM {source} w WHERE {same} AND w."{c}" IS NOT NULL'
                )
        if target.sequences:
            steps.append(
                "SELECT "
                + ", ".join(
                    f"setval('\"{name}\"', {value or 1}, {'true' if value else 'false'})"
                    for name, value in target.sequences.items()
                )
            )
        return ";\n".join(steps)

    @staticmethod
    def _sequences(conn) -> dict[str, int | None]:
        if conn.dialect.name != "postgresql":
            return {}  # SQLite numbers rows from the largest id there is: nothing to rewind
        found = conn.execute(
            text("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()")
        )
        return {name: value for name, value in found}


WORLDS = Worlds()


@event.listens_for(Engine, "connect")
def _sqlite_without_fsync(dbapi_connection, connection_record) -> None:
    """A test database need not survive a power cut: without fsync each commit costs microseconds, not
    milliseconds (the suite commits thousands of times). Locking and transactions are unchanged."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.execute("PRAGMA synchronous = OFF")


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(conn, cursor, statement, parameters, context, executemany) -> None:
    WORLDS.note(statement)


@functools.cache
def _deferred_foreign_keys() -> dict[str, list[str]]:
    """Nullable foreign-key columns that point at a table inserted later (or at their own table):
    restored as NULL first, filled in once every row exists."""
    tables = db.metadata.sorted_tables
    order = {t.name: i for i, t in enumerate(tables)}
    deferred = {}
    for i, table in enumerate(tables):
        later = sorted(
            {
                fk.parent.name
                for fk in table.foreign_keys
                if order.get(fk.column.table.name, -1) >= i and fk.parent.nullable
            }
        )
        if later:
            deferred[table.name] = later
    return deferred


def shared_world(name: str, build: Callable[[], Any]) -> Any:
    """For a fixture: add world `name` to the database, built by `build()` the first time in this
    process and restored from its snapshot afterwards; returns what build() returned.

    `build` runs inside the app context, commits nothing it needs to undo, and returns plain values
    (ids, strings): the fixture looks its objects up again, since a restored test has a new session.
    When anything else wrote to the database first, `build` simply runs, as a plain fixture would."""
    return WORLDS.enter(name, build)


def _empty_all_tables() -> None:
    db.session.rollback()
    WORLDS.reset()


_APPS: dict[str, Flask] = {}


@pytest.fixture
def app(database_url):
    """The app, made once per process (making one compiles every route, template and the API document,
    about 0.15 s) and put back as it was after each test: its config, its extensions and its test client class. So a
    test may change those freely, but cannot add routes to this app (Flask
    refuses once it has served): a test that needs its own routes or settings at start-up uses make_app."""
    app = _APPS.get(database_url)
    if app is None:
        app = _APPS[database_url] = make_app(database_url)
    config, extensions, client_class = copy.deepcopy(dict(app.config)), dict(app.extensions), app.test_client_class
    try:
        with app.app_context():
            WORLDS.reset()  # a test without this fixture may have written
            yield app
            _empty_all_tables()
            limiter.reset()
            db.session.remove()
            db.engine.dispose()
    finally:
        app.config.clear()
        app.config.update(config)
        app.extensions.clear()
        app.extensions.update(extensions)
        app.test_client_class = client_class


class Outbox(list):
    """Mail the service sends, kept for the test instead of logged."""

    def send(self, mail) -> None:
        self.append(mail)


@pytest.fixture
def outbox(app) -> Outbox:
    """What the service mails during the test (the app fixture puts the real sender back afterwards)."""
    app.extensions["badges_mail"] = box = Outbox()
    return box


@pytest.fixture
def newcomer(make_user):
    """Imported from the roster: an account without a password yet."""
    user = make_user("nina@northfield.example.org", name="Nina Newcomer")
    user.password_hash = None
    db.session.commit()
    return user


@pytest.fixture
def framework(app):
    from badges.catalogue.loading import install_framework_file
    from badges.models import Framework

    return db.session.get(
        Framework, shared_world("framework", lambda: install_framework_file(default_framework_file()).framework.id)
    )


@pytest.fixture
def demo(app, framework):
    """The demo district (two schools, ~30 staff); returns its DemoDistrict summary."""
    from badges.models import District
    from badges.people.demo import DemoDistrict, seed_demo_district

    def build():
        result = seed_demo_district(framework)
        return result.district.id, list(result.logins), result.created

    district_id, logins, created = shared_world("demo", build)
    return DemoDistrict(db.session.get(District, district_id), logins, created)


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html) or re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


class Browserless:
    """A test client that signs in the way a person does: GET the form, POST it with its token."""

    def __init__(self, client):
        self.client = client

    def login(self, email: str, password: str):
        page = self.client.get("/login")
        return self.client.post(
            "/login",
            data={"email": email, "password": password, "csrf_token": csrf_token_from(page.get_data(as_text=True))},
        )

    def logout(self):
        page = self.client.get("/frameworks/")  # a page that shows the sign-out form, never redirects
        token = csrf_token_from(page.get_data(as_text=True))
        return self.client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(client):
    return Browserless(client)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


USER_PASSWORD = "a-long-enough-password"
# The login form checks it with scrypt as always, but with a cost of 2**10 instead of 2**15: the
# parameters travel in the hash, and the default cost made every sign-in of the suite ~0.25 s.
USER_PASSWORD_HASH = generate_password_hash(USER_PASSWORD, method="scrypt:1024:8:1")


@pytest.fixture
def district(app, framework):
    """A district using the seed framework, with one school ("north")."""
    from badges.models import District, School

    def build():
        district = District(slug="northfield", name="Northfield District", framework=framework)
        district.schools.append(School(slug="north", name="North School"))
        db.session.add(district)
        db.session.flush()
        return district.id

    return db.session.get(District, shared_world("district", build))


@pytest.fixture
def make_user(app, district):
    """make_user("a@x.org", roles={"educator"}, professional_role="teacher") -> User (password USER_PASSWORD)."""
    from badges.models import SystemRole, User

    def make(
        email: str,
        roles=("educator",),
        professional_role: str | None = "teacher",
        in_district=None,
        name: str | None = None,
    ):
        user = User(
            district=in_district or district,
            email=email,
            name=name or email.split("@")[0].title(),
            professional_role=professional_role,
            password_hash=USER_PASSWORD_HASH,
        )
        user.set_system_roles({SystemRole(r) for r in roles})
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def teacher(make_user):
    return make_user("teacher@northfield.example.org", name="Terry Teacher")


@pytest.fixture
def admin(make_user):
    return make_user("admin@northfield.example.org", roles=("admin",), professional_role=None, name="Ada Admin")


def api_headers(client) -> dict[str, str]:
    """Headers for a state-changing API call by the signed-in client: the CSRF token from /api/v1/me."""
    me = client.get("/api/v1/me")
    assert me.status_code == 200, "sign in before calling api_headers"
    return {"X-CSRFToken": me.get_json()["csrf_token"]}


@pytest.fixture
def public_server(app):
    """The app served on 127.0.0.1 in a thread, with BADGES_PUBLIC_URL pointing at it, so credentials
    issued during the test name URLs an outside verifier can fetch. Yields the base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["BADGES_PUBLIC_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
