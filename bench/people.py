"""The admin's staff list at 50,000 staff: first page, a deep page, a search and filters, next to a baseline.

    .venv/bin/python bench/people.py [--staff 50000] [--runs 30]
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1/badges_bench_people .venv/bin/python bench/people.py

On a throwaway SQLite file, and also on PostgreSQL when BENCH_DATABASE_URL is set (that database's
tables are dropped and made again: give it a database of its own). One district of --staff people in
100 schools, names drawn from a small pool so many are equal (the keyset's id breaks the ties), 2% of
them validators, some deactivated and some invited. Then, RUNS times each after a warm-up, the p50 of:

  - baseline: one person by primary key (`SELECT ... WHERE id = ?`): what any statement costs here;
  - the first page of everyone (badges.people.directory.directory_page), with its capped count;
  - a deep page: the page after the 40,000th person in name order (keyset: no OFFSET);
  - a search by part of a name that matches ~1/30 of the staff, and one that matches nobody (every
    row of the district is read);
  - filters: validators who can sign in (2%), and one school (1%).

Each p50 is printed in ms and as a multiple of the baseline measured in the same run, so the figures
compare across machines. No assertion: other work on the machine moves the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, select, text  # noqa: E402

from badges import create_app  # noqa: E402
from badges.extensions import db  # noqa: E402
from badges.models import District, School, SystemRole, User, UserSystemRole  # noqa: E402
from badges.people.directory import directory_page, staff_filter  # noqa: E402

FIRST = ["Ana", "Bo", "Cy", "Dana", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo", "Kim", "Lee", "Mo", "Noor", "Ola"]
LAST = ["Smith", "Jones", "García", "Nguyen", "Okafor", "Kowalski", "Silva", "Haddad", "Tanaka", "Brown"]
LAST += ["Müller", "Rossi", "Dubois", "Ivanova", "Chen", "Patel", "Khan", "Lopez", "Murphy", "Novak"]
LAST += ["Berg", "Costa", "Dahl", "Evans", "Fischer", "Greco", "Horvat", "Jensen", "Lund", "Moreau"]


def p50(run: Callable[[], object], runs: int, warm: int = 3) -> float:
    for _ in range(warm):
        run()
        db.session.rollback()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
        db.session.rollback()  # as a request ends: the next starts with an empty session
    return statistics.median(samples) * 1000


def generate(staff: int) -> District:
    rng = random.Random(1)
    district = District(slug="bench", name="Bench District")
    db.session.add(district)
    db.session.flush()
    schools = [School(district_id=district.id, slug=f"school-{i}", name=f"School {i}") for i in range(100)]
    db.session.add_all(schools)
    db.session.flush()
    now = datetime(2026, 12, 1)
    rows = []
    for i in range(staff):
        kind = rng.random()
        rows.append(
            {
                "district_id": district.id,
                "school_id": schools[i % 100].id if i % 20 else None,
                "email": f"staff{i}@bench.example.org",
                "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                "professional_role": "teacher",
                "password_hash": None if kind < 0.1 else "x",
                "invited_at": now if kind < 0.05 else None,
                "active": kind < 0.97,
                "created_at": now,
            }
        )
    ids = []
    for start in range(0, staff, 5000):
        ids += db.session.scalars(
            insert(User).returning(User.id, sort_by_parameter_order=True), rows[start : start + 5000]
        ).all()
    roles = [{"user_id": user_id, "role": SystemRole.EDUCATOR} for user_id in ids]
    roles += [{"user_id": user_id, "role": SystemRole.VALIDATOR} for n, user_id in enumerate(ids) if n % 50 == 0]
    for start in range(0, len(roles), 10000):
        db.session.execute(insert(UserSystemRole), roles[start : start + 10000])
    db.session.commit()
    return district


def bench(label: str, url: str, staff: int, runs: int, tmp: Path) -> None:
    app = create_app(
        {
            "ENVIRONMENT": "testing",
            "SECRET_KEY": "b" * 48,
            "SQLALCHEMY_DATABASE_URI": url,
            "RATELIMIT_STORAGE_URI": "memory://",
            "EVIDENCE_STORAGE_DIR": str(tmp / "evidence"),
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        started = time.perf_counter()
        district_id = generate(staff).id
        # A live database has its planner statistics (PostgreSQL's autovacuum gathers them); a bulk load
        # that has just happened does not yet, and without them PostgreSQL plans as if the tables were empty.
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(f"{label}: {staff:,} staff generated in {time.perf_counter() - started:.1f} s", flush=True)

        def district() -> District:
            found = db.session.get(District, district_id)
            assert found is not None
            return found

        ordered = list(
            db.session.scalars(select(User.id).where(User.district_id == district_id).order_by(User.name, User.id))
        )
        deep_after, some_id = ordered[min(40_000, len(ordered) - 1)], ordered[len(ordered) // 2]
        school = db.session.scalar(
            select(School.id).where(School.district_id == district_id, School.slug == "school-7")
        )
        cases: dict[str, Callable[[], object]] = {
            "baseline: one person by id": lambda: db.session.scalar(select(User).where(User.id == some_id)),
            "first page (everyone)": lambda: directory_page(district()),
            "deep page (after 40,000)": lambda: directory_page(district(), after=deep_after),
            "search 'smith'": lambda: directory_page(district(), staff_filter(district(), q="smith")),
            "search, no match": lambda: directory_page(district(), staff_filter(district(), q="zzzz")),
            "filter: active validators": lambda: directory_page(
                district(), staff_filter(district(), system_role="validator", state="active")
            ),
            "filter: one school": lambda: directory_page(district(), staff_filter(district(), school=str(school))),
        }
        baseline = None
        print(f"{'case':32} {'p50 ms':>9} {'x baseline':>11}")
        for name, run in cases.items():
            ms = p50(run, runs)
            baseline = baseline or ms
            print(f"{name:32} {ms:9.2f} {ms / baseline:11.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    bench("SQLite", f"sqlite:///{tmp}/people.sqlite", args.staff, args.runs, tmp)
    if url := os.environ.get("BENCH_DATABASE_URL"):
        bench("PostgreSQL", url, args.staff, args.runs, tmp)


if __name__ == "__main__":
    main()
