"""Roster import: how much a validated, all-or-nothing import of N staff costs next to the floor,
a raw bulk INSERT of the same rows, measured in the same run on the same database.

    .venv/bin/python bench/roster_import.py [--rows 5000] [--database-url URL]

Prints seconds and rows/s for: raw insert (baseline), first import, re-import (nothing changes),
and the ratios against the baseline. Uses a throwaway SQLite file unless --database-url is given
(a PostgreSQL database there is emptied first).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text  # noqa: E402

from badges import create_app  # noqa: E402
from badges.catalogue.loading import install_framework_file  # noqa: E402
from badges.extensions import db  # noqa: E402
from badges.models import District, User  # noqa: E402
from badges.people.operations import create_district, create_school  # noqa: E402
from badges.people.roster import import_roster  # noqa: E402
from badges.resources import default_framework_file  # noqa: E402

ROLES = ["teacher"] * 8 + ["school-leader", "district-staff"]


def roster_csv(rows: int, domain: str) -> str:
    lines = ["email,name,school,professional_role,system_roles"]
    for i in range(rows):
        school = "north" if i % 2 else "south"
        lines.append(f"staff{i}@{domain},Staff Member {i},{school},{ROLES[i % len(ROLES)]},educator")
    return "\n".join(lines) + "\n"


def empty_database() -> None:
    db.drop_all()
    db.create_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app({"ENVIRONMENT": "testing", "SECRET_KEY": "b" * 40, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        empty_database()
        framework = install_framework_file(default_framework_file()).framework
        district = create_district("bench", "Bench District", framework=framework)
        schools = {slug: create_school(district, slug, slug.title()) for slug in ("north", "south")}
        db.session.commit()

        # Baseline: the same rows as one Core INSERT, no validation and no upsert.
        started = time.perf_counter()
        db.session.execute(
            insert(User),
            [
                {
                    "district_id": district.id,
                    "school_id": schools["north" if i % 2 else "south"].id,
                    "email": f"raw{i}@raw.example.org",
                    "name": f"Staff Member {i}",
                    "professional_role": ROLES[i % len(ROLES)],
                    "active": True,
                }
                for i in range(args.rows)
            ],
        )
        db.session.commit()
        baseline = time.perf_counter() - started
        db.session.execute(text("DELETE FROM users"))
        db.session.commit()

        csv_text = roster_csv(args.rows, "bench.example.org")
        district = db.session.get(District, district.id)
        started = time.perf_counter()
        first = import_roster(district, csv_text)
        db.session.commit()
        first_seconds = time.perf_counter() - started

        started = time.perf_counter()
        again = import_roster(district, csv_text)
        db.session.commit()
        again_seconds = time.perf_counter() - started

    print(f"database: {url.split(':')[0]}, rows: {args.rows}")
    print(f"{'run':<28}{'seconds':>10}{'rows/s':>12}{'x baseline':>12}")
    for name, seconds in (
        ("raw bulk insert (baseline)", baseline),
        ("roster import, first", first_seconds),
        ("roster import, again", again_seconds),
    ):
        print(f"{name:<28}{seconds:>10.3f}{args.rows / seconds:>12.0f}{seconds / baseline:>12.2f}")
    print(f"first import: {first}; again: {again}")


if __name__ == "__main__":
    main()
