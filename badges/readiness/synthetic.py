"""A synthetic district for demos and benchmarks: N staff in S schools with years of history.

Everything is written with bulk Core inserts (a few statements per thousand people), not one ORM
object per row, so 50,000 staff take minutes, not hours. Core inserts do not pass through the
session's flush hooks, so the readiness figures are computed once at the end from the generated
history (`badges.readiness.upkeep.rebuild_district`), exactly as a rebuild would compute them.

The same seed and `now` give the same district, row for row (ids aside). Nobody can sign in
(no passwords) except, when a password hash is given, the first district leader. Awards are stored
unsigned (credential fields NULL): `flask credentials issue-missing` signs them if wanted; that uses
the framework's badge policy for their validity, as for any award.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

from ..base import InvalidInput
from ..catalogue.badge_classes import policy_for
from ..extensions import db
from ..models import (
    BadgeClass,
    Domain,
    Framework,
    Indicator,
    ProfessionalRole,
    ScopeDomain,
    ScopeRole,
    SystemRole,
    User,
    UserSystemRole,
    ValidatorScope,
    indicator_roles,
    utcnow,
)
from ..people.operations import create_district, create_school
from .synthetic_records import Catalogue, Counts, Person, Texture, write_history
from .upkeep import rebuild_district

MAX_STAFF = 500_000
MAX_SCHOOLS = 5_000
MAX_YEARS = 10
TEACHER, SCHOOL_LEADER, DISTRICT_STAFF = "teacher", "school-leader", "district-staff"
ROLES_NEEDED = (TEACHER, SCHOOL_LEADER, DISTRICT_STAFF)
DEFAULT_VALIDITY_MONTHS = 18  # when the framework's policy sets none: some two-year-old badges expire
PEOPLE_PER_BATCH = 2_000  # people whose history is built and inserted together (bounds memory)

FIRST_NAMES = [
    "Ada",
    "Ben",
    "Carla",
    "Dev",
    "Elif",
    "Farid",
    "Gina",
    "Hugo",
    "Iris",
    "Jonas",
    "Kira",
    "Leo",
    "Mina",
    "Nils",
    "Omar",
    "Pia",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Umar",
    "Vera",
    "Wen",
    "Xavi",
    "Yara",
    "Zane",
    "Ana",
    "Bruno",
    "Chloe",
    "Dara",
    "Emil",
    "Fern",
    "Goran",
    "Hana",
    "Ivan",
    "Jade",
    "Kofi",
    "Lina",
    "Mateo",
    "Noor",
]
LAST_NAMES = [
    "Abbott",
    "Baker",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ibrahim",
    "Jensen",
    "Kaur",
    "Lopez",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quispe",
    "Rossi",
    "Silva",
    "Tanaka",
    "Udeh",
    "Varga",
    "Wright",
    "Xu",
    "Yilmaz",
    "Zimmer",
    "Novak",
    "Osei",
    "Popescu",
    "Reyes",
]


@dataclass(frozen=True)
class SyntheticSummary:
    district_id: int
    slug: str
    staff: int
    schools: int
    assessments: int
    ratings: int
    goals: int
    claims: int
    awards: int
    counted: int  # people in the readiness figures (active, with a rated role)
    seconds: float
    leader_email: str | None = None  # the first district leader (the one who may sign in)

    def line(self) -> str:
        return (
            f"district {self.slug}: {self.staff} staff in {self.schools} schools, {self.assessments} self-assessments "
            f"({self.ratings} ratings), {self.goals} goals, {self.claims} claims, {self.awards} awards; "
            f"{self.counted} people counted; {self.seconds:.1f} s"
        )


def _check(framework: Framework, staff: int, schools: int, years: int) -> None:
    errors: dict[str, list[str]] = {}
    if not 1 <= staff <= MAX_STAFF:
        errors["staff"] = [f"staff must be between 1 and {MAX_STAFF}, not {staff}."]
    if not 1 <= schools <= MAX_SCHOOLS:
        errors["schools"] = [f"schools must be between 1 and {MAX_SCHOOLS}, not {schools}."]
    elif schools > staff:
        errors["schools"] = [f"{schools} schools need at least as many staff, not {staff}."]
    if not 1 <= years <= MAX_YEARS:
        errors["years"] = [f"years must be between 1 and {MAX_YEARS}, not {years}."]
    missing = [code for code in ROLES_NEEDED if framework.role(code) is None]
    if missing:
        errors["framework"] = [f"the framework has no professional role {', '.join(missing)}."]
    if errors:
        raise InvalidInput(errors)


def load_catalogue(framework: Framework) -> Catalogue:
    """The framework's key questions per (role, domain) and its badge classes, in a few queries."""
    indicators: dict[tuple[str, str], list[int]] = {}
    for role, domain, indicator_id in db.session.execute(
        select(ProfessionalRole.code, Domain.code, Indicator.id)
        .select_from(indicator_roles)
        .join(ProfessionalRole, ProfessionalRole.id == indicator_roles.c.role_id)
        .join(Indicator, Indicator.id == indicator_roles.c.indicator_id)
        .join(Domain, Domain.id == Indicator.domain_id)
        .where(Indicator.framework_id == framework.id)
        .order_by(Domain.position, Indicator.position)
    ):
        indicators.setdefault((role, domain), []).append(indicator_id)
    badges = {
        (role, domain, level): badge_id
        for badge_id, role, domain, level in db.session.execute(
            select(BadgeClass.id, ProfessionalRole.code, Domain.code, BadgeClass.level)
            .join(ProfessionalRole, ProfessionalRole.id == BadgeClass.role_id)
            .join(Domain, Domain.id == BadgeClass.domain_id)
            .where(BadgeClass.framework_id == framework.id)
        )
    }
    domain_ids = {d.code: d.id for d in framework.domains}
    return Catalogue(framework.id, [d.code for d in framework.domains], domain_ids, indicators, badges)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _plan_staff(rng: random.Random, staff: int, school_ids: list[int]) -> list[tuple[int | None, str]]:
    """(school id or None, professional role) per person: a district office of about 3 % district
    staff, two or three school leaders per school, and teachers."""
    office = max(1, round(staff * 0.03)) if staff > len(school_ids) * 3 else 0
    plan: list[tuple[int | None, str]] = [(None, DISTRICT_STAFF)] * office
    at_schools = staff - office
    leaders = {school: 2 + (rng.random() < 0.5) for school in school_ids}
    for index in range(at_schools):
        school = school_ids[index % len(school_ids)]
        if leaders[school] > 0 and at_schools >= len(school_ids) * 8:
            leaders[school] -= 1
            plan.append((school, SCHOOL_LEADER))
        else:
            plan.append((school, TEACHER))
    return plan


def _system_roles(people: list[Person], rng: random.Random) -> dict[int, set[SystemRole]]:
    """Every member an educator; about one validator per 60 staff (leaders and district staff first);
    two district leaders at the district office; the first school leader of each school leads it."""
    roles = {p.user_id: {SystemRole.EDUCATOR} for p in people}
    senior = [p for p in people if p.role in (SCHOOL_LEADER, DISTRICT_STAFF)]
    for person in rng.sample(senior, min(len(senior), max(1, len(people) // 60))):
        roles[person.user_id].add(SystemRole.VALIDATOR)
    office = [p for p in people if p.school_id is None]
    for person in office[:2]:
        roles[person.user_id].add(SystemRole.DISTRICT_LEADER)
    led: set[int] = set()
    for person in people:
        if person.role == SCHOOL_LEADER and person.school_id is not None and person.school_id not in led:
            led.add(person.school_id)
            roles[person.user_id].add(SystemRole.SCHOOL_LEADER)
    return roles


def generate_district(
    framework: Framework,
    slug: str,
    name: str,
    staff: int,
    schools: int,
    years: int = 2,
    seed: int = 1,
    now: datetime | None = None,
    leader_password_hash: str | None = None,
    validity_months: int | None = None,
) -> SyntheticSummary:
    """Create district `slug` on `framework` with `staff` people in `schools` schools and `years` of
    history ending at `now`. Badges last `validity_months` (default: the framework's policy, or 18)."""
    started = time.perf_counter()
    _check(framework, staff, schools, years)
    now = (now or utcnow()).replace(microsecond=0)
    begin = now - timedelta(days=365 * years)
    rng = random.Random(seed)
    district = create_district(slug, name, framework)
    school_rows = [create_school(district, f"school-{n:04d}", f"School {n:04d}") for n in range(1, schools + 1)]
    school_ids = [school.id for school in school_rows]
    plan = _plan_staff(rng, staff, school_ids)
    user_rows: list[dict[str, Any]] = [
        {
            "district_id": district.id,
            "school_id": school_id,
            "email": f"staff{n:06d}@{slug}.example.org",
            "name": _name(rng),
            "professional_role": role,
            "password_hash": None,
            "active": rng.random() >= 0.01,  # a few have left: not counted
            "shares_self_assessment": rng.random() < 0.15,
            "created_at": begin,
        }
        for n, (school_id, role) in enumerate(plan, start=1)
    ]
    user_ids = list(
        db.session.execute(insert(User).returning(User.id, sort_by_parameter_order=True), user_rows).scalars()
    )
    people = [
        Person(user_id, row["school_id"], row["professional_role"], row["active"])
        for user_id, row in zip(user_ids, user_rows, strict=True)
    ]
    roles = _system_roles(people, rng)
    leader_id = _write_roles(district.id, framework, people, roles, leader_password_hash)
    emails = {user_id: row["email"] for user_id, row in zip(user_ids, user_rows, strict=True)}
    validators = sorted(uid for uid, held in roles.items() if SystemRole.VALIDATOR in held)
    catalogue = load_catalogue(framework)
    months = validity_months or policy_for(framework).validity_months or DEFAULT_VALIDITY_MONTHS
    texture, counts = Texture.draw(rng, school_ids, catalogue.domains), Counts()
    for start in range(0, len(people), PEOPLE_PER_BATCH):
        batch = people[start : start + PEOPLE_PER_BATCH]
        write_history(batch, catalogue, validators, texture, district.id, begin, now, months, rng, counts)
    counted = rebuild_district(db.session.connection(), district.id)
    return SyntheticSummary(
        district.id,
        slug,
        staff,
        schools,
        counts.assessments,
        counts.ratings,
        counts.goals,
        counts.claims,
        counts.awards,
        counted,
        time.perf_counter() - started,
        emails.get(leader_id) if leader_id is not None else None,
    )


def _write_roles(
    district_id: int,
    framework: Framework,
    people: list[Person],
    roles: dict[int, set[SystemRole]],
    leader_password_hash: str | None,
) -> int | None:
    """Write the system roles and validator scopes; returns the first district leader's id."""
    db.session.execute(
        insert(UserSystemRole),
        [{"user_id": uid, "role": role} for uid in sorted(roles) for role in sorted(roles[uid], key=lambda r: r.value)],
    )
    validators = sorted(uid for uid, held in roles.items() if SystemRole.VALIDATOR in held)
    if validators:  # validators judge claims anywhere in the district, in every domain and role
        db.session.execute(insert(ValidatorScope), [{"validator_id": v, "whole_district": True} for v in validators])
        db.session.execute(
            insert(ScopeDomain),
            [{"validator_id": v, "domain_code": d.code} for v in validators for d in framework.domains],
        )
        db.session.execute(
            insert(ScopeRole), [{"validator_id": v, "role_code": r.code} for v in validators for r in framework.roles]
        )
    leaders = [p.user_id for p in people if SystemRole.DISTRICT_LEADER in roles[p.user_id]]
    if leader_password_hash is not None and leaders:
        user = db.session.get(User, leaders[0])
        assert user is not None and user.district_id == district_id
        user.password_hash = leader_password_hash  # the one account that can sign in
    return leaders[0] if leaders else None
