"""Importing a district's staff from a CSV roster: all rows are checked before any is written.

    email,name,school,professional_role,system_roles
    dana@lincoln.example.org,Dana Teacher,lincoln-elementary,teacher,educator

`school` is a school slug of the district (empty: district office); `system_roles` is a
`;`-separated list (empty: educator). Rows are matched to existing users by email, so
importing the same file again changes nothing. Users missing from the file are left alone.

One implementation for the command line, the upload page and the API: `validate_roster` reads and
checks the file and says what would happen (nothing written), `apply_roster` writes that plan.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace

from sqlalchemy import insert, select

from .. import audit
from ..extensions import db
from ..models import District, School, SystemRole, User, UserSystemRole, utcnow
from .operations import clean_name, email_problem, name_problem, normalize_email, role_problem
from .staff import role_names

COLUMNS = ("email", "name", "school", "professional_role", "system_roles")
DEFAULT_ROLES = frozenset({SystemRole.EDUCATOR})
# Emails per IN (...) query: well under every backend's bound-parameter limit.
QUERY_CHUNK = 500


class RosterError(ValueError):
    """A roster that was refused; nothing from it was imported.

    `problems` is a list of (line number in the file, message). `whole_file` is true when the
    file itself is unusable (not UTF-8, no header) rather than some of its rows.
    """

    def __init__(self, problems: list[tuple[int, str]], *, whole_file: bool = False):
        self.problems = problems
        self.whole_file = whole_file
        super().__init__("; ".join(f"line {line}: {message}" for line, message in problems))

    @property
    def bad_rows(self) -> int:
        return len({line for line, _ in self.problems})


@dataclass(frozen=True)
class RosterResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str
    name: str
    school: School | None
    role: str | None
    system_roles: frozenset[SystemRole]
    # The district's person with this email (None: the row creates one), and what would change.
    user: User | None = None
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RosterPlan:
    """What a roster would do, before anything is written: the good rows and every bad line."""

    rows: list[RosterRow]
    problems: list[tuple[int, str]]

    @property
    def to_create(self) -> list[RosterRow]:
        return [r for r in self.rows if r.user is None]

    @property
    def to_update(self) -> list[RosterRow]:
        return [r for r in self.rows if r.user is not None and r.changes]

    @property
    def unchanged(self) -> int:
        return sum(1 for r in self.rows if r.user is not None and not r.changes)

    @property
    def bad_rows(self) -> int:
        return len({line for line, _ in self.problems})


def import_roster(district: District, csv_text: str | bytes, actor: User | None = None) -> RosterResult:
    """Create or update the district's staff from a roster, or raise RosterError listing every bad row."""
    plan = validate_roster(district, csv_text, actor)
    if plan.problems:
        raise RosterError(plan.problems)
    return apply_roster(district, plan, actor)


def validate_roster(district: District, csv_text: str | bytes, actor: User | None = None) -> RosterPlan:
    """Every row checked, nothing written: the rows to create or change and the problems by line.
    RosterError (whole_file) when the file itself is unusable: not UTF-8, not CSV, a wrong header.
    With an `actor`, a row that would take the actor's own admin role is a problem."""
    records = _parse(_decode(csv_text))
    schools = {s.slug: s for s in db.session.scalars(select(School).where(School.district_id == district.id))}
    emails = [normalize_email(values.get("email", "")) for _, values, _ in records]
    elsewhere = _emails_in_other_districts(district, emails)
    rows, problems = _validate(district, records, schools, elsewhere)
    existing = _users_by_email(district, [r.email for r in rows])
    planned = []
    for row in rows:
        user = existing.get(row.email)
        if user is None:
            planned.append(row)
            continue
        if actor is not None and user.id == actor.id and SystemRole.ADMIN not in row.system_roles:
            problems.append((row.line, "this row would remove your own admin role; keep admin in system_roles"))
            continue
        planned.append(replace(row, user=user, changes=tuple(_changes(user, row))))
    problems.sort()
    return RosterPlan(planned, problems)


def _users_by_email(district: District, emails: list[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    for i in range(0, len(emails), QUERY_CHUNK):
        chunk = emails[i : i + QUERY_CHUNK]
        found.update(
            (u.email, u)
            for u in db.session.scalars(select(User).where(User.district_id == district.id, User.email.in_(chunk)))
        )
    return found


def _changes(user: User, row: RosterRow) -> list[str]:
    changes = []
    if user.name != row.name:
        changes.append(f"name {user.name} → {row.name}")
    if user.school_id != (row.school.id if row.school is not None else None):
        old, new = (s.name if s is not None else "District office" for s in (user.school, row.school))
        changes.append(f"school {old} → {new}")
    if user.professional_role != row.role:
        changes.append(f"professional role {user.professional_role or 'none'} → {row.role or 'none'}")
    if user.system_roles != row.system_roles:
        changes.append(f"system roles {role_names(user.system_roles)} → {role_names(row.system_roles)}")
    return changes


def _decode(csv_text: str | bytes) -> str:
    if isinstance(csv_text, bytes):
        data = csv_text
        try:
            csv_text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise RosterError(
                [
                    (
                        line,
                        f"the file is not UTF-8 text (first bad byte on line {line}); "
                        "save it as 'CSV UTF-8' and try again",
                    )
                ],
                whole_file=True,
            ) from None
    return csv_text.removeprefix("\ufeff")


def _parse(text: str) -> list[tuple[int, dict[str, str], int]]:
    """(line the row starts on, column -> value, number of fields) for each non-blank row."""
    no_header = RosterError(
        [(1, "the file has no header line; the first line must be " + ",".join(COLUMNS))], whole_file=True
    )
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    header_line = 1
    records = []
    last_line = 0
    try:
        for cells in reader:
            start, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header, header_line = [cell.strip().lower() for cell in cells], start
                _check_header(header, header_line, no_header)
                continue
            values = {name: cell.strip() for name, cell in zip(header, cells, strict=False)}
            records.append((start, values, len(cells)))
    except csv.Error as exc:
        raise RosterError([(reader.line_num, f"the file is not valid CSV: {exc}")], whole_file=True) from None
    if header is None:
        raise no_header
    return [(line, values, count - len(header)) for line, values, count in records]


def _check_header(header: list[str], line: int, no_header: RosterError) -> None:
    known = set(COLUMNS)
    if not known & set(header):
        raise no_header
    problems = []
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c for c in header if c not in known]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(f"the header is missing column(s): {', '.join(missing)}")
    if unknown:
        problems.append(f"the header has unknown column(s): {', '.join(repr(c) for c in unknown)}")
    if repeated:
        problems.append(f"the header repeats column(s): {', '.join(repeated)}")
    if problems:
        raise RosterError([(line, "; ".join(problems) + "; expected " + ",".join(COLUMNS))], whole_file=True)


def _emails_in_other_districts(district: District, emails: list[str]) -> set[str]:
    # An address with a control character is refused row by row (and PostgreSQL refuses NUL in a query).
    wanted = sorted({e for e in emails if e and email_problem(e) is None})
    found: set[str] = set()
    for i in range(0, len(wanted), QUERY_CHUNK):
        found.update(
            db.session.scalars(
                select(User.email).where(User.email.in_(wanted[i : i + QUERY_CHUNK]), User.district_id != district.id)
            )
        )
    return found


def _validate(
    district: District, records: list[tuple[int, dict[str, str], int]], schools: dict[str, School], elsewhere: set[str]
) -> tuple[list[RosterRow], list[tuple[int, str]]]:
    problems: list[tuple[int, str]] = []
    rows: list[RosterRow] = []
    first_line_of: dict[str, int] = {}
    role_checked: dict[str, str | None] = {}
    for line, values, field_surplus in records:
        found = []
        if field_surplus:
            found.append(f"has {len(COLUMNS) + field_surplus} fields, the header has {len(COLUMNS)}")
        email = normalize_email(values.get("email", ""))
        problem = email_problem(email)
        if problem:
            found.append(problem)
        elif email in first_line_of:
            found.append(f"email {email!r} is also on line {first_line_of[email]}")
        elif email in elsewhere:
            found.append(f"email {email!r} belongs to a user of another district")
        if email and email not in first_line_of:
            first_line_of[email] = line
        # A line break inside a quoted cell is a spreadsheet's wrapped text: the name is one line.
        name = " ".join(re.split(r"[\r\n\t]+", values.get("name", "")))
        if problem := name_problem(name):
            found.append(problem)
        else:
            name = clean_name(name)
        school_slug = values.get("school", "").lower()
        school = schools.get(school_slug) if school_slug else None
        if school_slug and school is None:
            found.append(f"school {school_slug!r} is not a school of district {district.slug!r}")
        role = values.get("professional_role", "") or None
        if role is not None:
            if role not in role_checked:
                role_checked[role] = role_problem(district, role)
            if problem := role_checked[role]:
                found.append(problem)
        system_roles, problem = _system_roles(values.get("system_roles", ""))
        if problem:
            found.append(problem)
        if found:
            problems.append((line, "; ".join(found)))
        else:
            rows.append(RosterRow(line, email, name, school, role, system_roles))
    return rows, problems


def _system_roles(cell: str) -> tuple[frozenset[SystemRole], str | None]:
    names = [part.strip().lower() for part in cell.split(";") if part.strip()]
    if not names:
        return DEFAULT_ROLES, None
    by_value = {r.value: r for r in SystemRole}
    unknown = [n for n in names if n not in by_value]
    if unknown:
        known = ", ".join(by_value)
        return frozenset(), f"unknown system role(s) {', '.join(repr(n) for n in unknown)} (known: {known})"
    return frozenset(by_value[n] for n in names), None


def apply_roster(district: District, plan: RosterPlan, actor: User | None = None) -> RosterResult:
    """Write a plan validate_roster made in this transaction (refused if it has problems); audited:
    one event for the import, one for each person it changes."""
    if plan.problems:
        raise RosterError(plan.problems)
    for row in plan.to_update:
        user = row.user
        assert user is not None
        user.name, user.school, user.professional_role = row.name, row.school, row.role
        if user.system_roles != row.system_roles:
            user.set_system_roles(set(row.system_roles))
        audit.record(
            district, actor, "roster.updated", user, f"Roster import changed {user.email}: {'; '.join(row.changes)}."
        )
    db.session.flush()
    created = plan.to_create
    _bulk_create(district, created)
    result = RosterResult(created=len(created), updated=len(plan.to_update), unchanged=plan.unchanged)
    audit.record(
        district,
        actor,
        "roster.imported",
        district,
        f"Roster imported: {result.created} created, {result.updated} changed, {result.unchanged} unchanged.",
    )
    return result


def _bulk_create(district: District, rows: list[RosterRow]) -> None:
    """New staff as batched INSERT ... RETURNING statements instead of one INSERT per person."""
    if not rows:
        return
    ids = db.session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [
            {
                "district_id": district.id,
                "email": row.email,
                "name": row.name,
                "school_id": row.school.id if row.school is not None else None,
                "professional_role": row.role,
                "active": True,
                "created_at": utcnow(),
            }
            for row in rows
        ],
    ).all()
    db.session.execute(
        insert(UserSystemRole),
        [
            {"user_id": user_id, "role": role}
            for user_id, row in zip(ids, rows, strict=True)
            for role in sorted(row.system_roles, key=lambda r: r.value)
        ],
    )
