"""The readiness dashboard at 5,000 and 50,000 staff, on SQLite and PostgreSQL, next to a baseline.

    .venv/bin/python bench/readiness.py [--sizes 5000,50000] [--runs 50] [--sqlite-only]
                                        [--postgres-url postgresql+psycopg://postgres@127.0.0.1/postgres]

For each database (a throwaway SQLite file in a temporary folder; a PostgreSQL database
badges_bench_readiness created on the server of --postgres-url and dropped at the end), migrates it,
loads the framework, generates one synthetic district per size (`badges.readiness.synthetic`, 2 years
of history, 500 staff a school), then times, RUNS times each after a warm-up:

  - baseline: `SELECT 1` through db.session (one round trip, no work): what any statement costs;
  - the dashboard of a district leader: `dashboard.load(scope, view)` + `report.build_report`, for
    the validated, self, gap and trend views;
  - GET /readiness through the Flask test client, signed in as the district leader, if the route
    exists (skipped when it answers 404), next to GET /static/style.css (the cheapest endpoint).

Prints generation time, p50 and p99 per size, view and database, each p50 as a multiple of the
baseline, and the ratio of the largest size to the smallest. Targets (issue 10): p50 at most 50 ms at
50,000 staff; the ratio at most 10 for ten times the staff. No assertion: other work on the machine
moves the figures, so run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from badges import create_app  # noqa: E402
from badges.catalogue.loading import install_framework_file  # noqa: E402
from badges.extensions import db  # noqa: E402
from badges.permissions import ReadinessScope  # noqa: E402
from badges.readiness import dashboard  # noqa: E402
from badges.readiness.report import build_report  # noqa: E402
from badges.readiness.synthetic import generate_district  # noqa: E402
from badges.resources import default_framework_file  # noqa: E402

VIEWS = ("validated", "self", "gap", "trend")
PASSWORD = "bench-leader-password-2026"
BENCH_DB = "badges_bench_readiness"
TARGET_P50_MS = 50.0
TARGET_RATIO = 10.0


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def timed(run: Callable[[], object], runs: int, warm: int = 3, in_app: bool = True) -> tuple[float, float]:
    for _ in range(warm):
        run()
        if in_app:
            db.session.rollback()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
        if in_app:
            db.session.rollback()  # as a request ends: the next starts with an empty session
    return percentiles(samples)


def sign_in(client, email: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)  # none when the setting turns CSRF off
    data = {"email": email, "password": PASSWORD, **({"csrf_token": token.group(1)} if token else {})}
    answer = client.post("/login", data=data)
    said = re.findall(r"<p[^>]*>([^<]+)</p>", answer.get_data(as_text=True))[:6]
    assert answer.status_code in (302, 303), f"sign-in as {email} failed: {answer.status_code} {said}"


def bench_database(label: str, url: str, sizes: list[int], runs: int, tmp: Path) -> dict[tuple[int, str], float]:
    """Generate the districts and time everything on one database; returns p50 per (size, view)."""
    app = create_app(
        {
            "ENVIRONMENT": "testing",
            "SECRET_KEY": "b" * 48,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "EVIDENCE_STORAGE_DIR": str(tmp / "evidence"),
        }
    )
    p50s: dict[tuple[int, str], float] = {}
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        framework = install_framework_file(default_framework_file()).framework
        db.session.commit()
        leaders = {}
        now = datetime.utcnow().replace(microsecond=0)  # noqa: DTZ003 (naive UTC, as the service stores)
        password_hash = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
        for size in sizes:
            summary = generate_district(
                framework,
                f"bench-{size}",
                f"Bench {size}",
                staff=size,
                schools=max(1, size // 500),
                seed=1,
                now=now,
                leader_password_hash=password_hash,
            )
            db.session.commit()
            leaders[size] = (summary.district_id, summary.leader_email)
            print(f"  {label} generated: {summary.line()}", flush=True)
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        base50, base99 = timed(lambda: db.session.execute(text("SELECT 1")).scalar(), runs * 4)
        print(f"  {label} baseline SELECT 1: p50 {base50:.3f} ms  p99 {base99:.3f} ms", flush=True)
        for size in sizes:
            district_id, _ = leaders[size]
            scope = ReadinessScope(district_id, None)
            for view in VIEWS:

                def run(scope: ReadinessScope = scope, view: str = view) -> object:
                    return build_report(dashboard.load(scope, view), dashboard.Filters(view=view), 5)

                p50, p99 = timed(run, runs)
                p50s[(size, view)] = p50
                print(
                    f"  {label} {size:>6} staff  {view:<9} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  "
                    f"({p50 / base50:6.0f}x baseline)",
                    flush=True,
                )
        db.session.remove()
    # Requests outside the app context above, so each gets its own (and its own `g`, where
    # Flask-Login keeps the signed-in user), as in a real server.
    bench_http(label, app, leaders, runs, p50s)
    with app.app_context():
        db.engine.dispose()
    return p50s


def bench_http(label: str, app, leaders: dict[int, tuple[int, str | None]], runs: int, p50s: dict) -> None:
    client = app.test_client()
    if client.get("/static/style.css").status_code != 200:
        print(f"  {label} HTTP: no /static/style.css; skipped")
        return
    static50, static99 = timed(lambda: client.get("/static/style.css"), runs, in_app=False)
    print(f"  {label} HTTP baseline GET /static/style.css: p50 {static50:.2f} ms  p99 {static99:.2f} ms")
    for size, (_, email) in leaders.items():
        if email is None:
            continue
        client = app.test_client()
        sign_in(client, email)
        status = client.get("/readiness").status_code
        if status == 404:
            print(f"  {label} HTTP GET /readiness: 404 (the route does not exist yet); skipped")
            return
        if status != 200:
            print(f"  {label} HTTP GET /readiness: answered {status}; skipped")
            return
        p50, p99 = timed(lambda client=client: client.get("/readiness"), runs, in_app=False)
        p50s[(size, "GET /readiness")] = p50
        print(
            f"  {label} {size:>6} staff  GET /readiness p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  "
            f"({p50 / static50:5.1f}x GET /static/style.css)",
            flush=True,
        )


def postgres_database(server_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database BENCH_DB on the server of `server_url`, and how to drop it."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server_url).set(database=BENCH_DB).render_as_string(hide_password=False), drop


def summarize(label: str, sizes: list[int], p50s: dict[tuple[int, str], float]) -> None:
    small, large = sizes[0], sizes[-1]
    for what in [*VIEWS, "GET /readiness"]:
        if (large, what) not in p50s:
            continue
        ratio = p50s[(large, what)] / p50s[(small, what)] if (small, what) in p50s else float("nan")
        met = "met" if p50s[(large, what)] <= TARGET_P50_MS else "NOT met"
        print(
            f"  {label:<10} {what:<15} p50 at {large}: {p50s[(large, what)]:7.2f} ms ({met}: <= {TARGET_P50_MS:.0f} ms)"
            f"   {large}/{small}: {ratio:5.2f}x "
            f"({'met' if ratio <= TARGET_RATIO else 'NOT met'}: <= {TARGET_RATIO:.0f}x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-url", default="postgresql+psycopg://postgres@127.0.0.1/postgres")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    results = {}
    with tempfile.TemporaryDirectory(prefix="badges-bench-readiness-") as tmp:
        print("SQLite", flush=True)
        results["SQLite"] = bench_database("SQLite", f"sqlite:///{tmp}/bench.sqlite", sizes, args.runs, Path(tmp))
        if not args.sqlite_only:
            print("PostgreSQL", flush=True)
            url, drop = postgres_database(args.postgres_url)
            try:
                results["PostgreSQL"] = bench_database("PostgreSQL", url, sizes, args.runs, Path(tmp))
            finally:
                drop()
    print("summary (p50 of the largest size, and its ratio to the smallest):")
    for label, p50s in results.items():
        summarize(label, sizes, p50s)


if __name__ == "__main__":
    main()
