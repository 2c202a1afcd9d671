"""A demo district to try the service with: two schools, about thirty staff, fixed logins.

Seeding is idempotent: if the `demo` district exists it is returned as it is. The
password is public by design (it is printed by `flask demo seed`); never use it elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from ..extensions import db
from ..models import District, Framework, SystemRole, User
from .operations import create_district, create_school, create_user
from .scope import set_scope

DEMO_SLUG = "demo"
DEMO_NAME = "Demo Unified School District"
DEMO_PASSWORD = "demo-password-2026"
DOMAIN = "demo.example.org"

SCHOOLS = (("lincoln-elementary", "Lincoln Elementary School"), ("roosevelt-high", "Roosevelt High School"))

EDUCATOR = frozenset({SystemRole.EDUCATOR})
VALIDATOR = frozenset({SystemRole.VALIDATOR, SystemRole.EDUCATOR})


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    description: str


@dataclass(frozen=True)
class _Person:
    email: str
    name: str
    role: str | None
    school: str | None  # school slug; None is the district office
    system_roles: frozenset[SystemRole] = EDUCATOR
    description: str | None = None  # set for the logins printed to the person seeding


def _staff(name: str, role: str, school: str | None) -> _Person:
    local = name.lower().replace("'", "").replace(" ", ".")
    return _Person(f"{local}@{DOMAIN}", name, role, school)


PEOPLE: tuple[_Person, ...] = (
    _Person(
        f"teacher@{DOMAIN}",
        "Dana Teacher",
        "teacher",
        "lincoln-elementary",
        EDUCATOR,
        "educator: a teacher at Lincoln Elementary School",
    ),
    _Person(
        f"validator@{DOMAIN}",
        "Marcus Okafor",
        "school-leader",
        "roosevelt-high",
        VALIDATOR,
        "validator: assistant principal at Roosevelt High; validates teachers and school leaders at Lincoln Elementary",
    ),
    _Person(
        f"validator2@{DOMAIN}",
        "Priya Raman",
        "district-staff",
        None,
        VALIDATOR,
        "validator: district instructional coach; validates teachers at Roosevelt High",
    ),
    _Person(
        f"leader@{DOMAIN}",
        "Elena Vasquez",
        "district-staff",
        None,
        frozenset({SystemRole.DISTRICT_LEADER, SystemRole.EDUCATOR}),
        "district leader: assistant superintendent",
    ),
    _Person(
        f"admin@{DOMAIN}",
        "Sam Whitfield",
        None,
        None,
        frozenset({SystemRole.ADMIN}),
        "admin: manages the district's accounts",
    ),
    _staff("Harold Benson", "state-staff", None),
    _staff("Grace Liu", "district-staff", None),
    _Person(
        f"principal@{DOMAIN}",
        "Rosa Delgado",
        "school-leader",
        "lincoln-elementary",
        frozenset({SystemRole.SCHOOL_LEADER, SystemRole.EDUCATOR}),
        "school leader: principal of Lincoln Elementary; sees her school's readiness",
    ),
    _staff("James Whitaker", "school-leader", "lincoln-elementary"),
    _staff("Angela Brooks", "school-leader", "roosevelt-high"),
    # Lincoln Elementary teachers (Dana Teacher is the eleventh).
    _staff("Maria Gonzalez", "teacher", "lincoln-elementary"),
    _staff("Kevin O'Brien", "teacher", "lincoln-elementary"),
    _staff("Aisha Mohammed", "teacher", "lincoln-elementary"),
    _staff("Tyler Nguyen", "teacher", "lincoln-elementary"),
    _staff("Hannah Schmidt", "teacher", "lincoln-elementary"),
    _staff("Luis Ramirez", "teacher", "lincoln-elementary"),
    _staff("Keiko Tanaka", "teacher", "lincoln-elementary"),
    _staff("Olivia Martin", "teacher", "lincoln-elementary"),
    _staff("DeShawn Carter", "teacher", "lincoln-elementary"),
    _staff("Fatima Haddad", "teacher", "lincoln-elementary"),
    # Roosevelt High teachers.
    _staff("Robert Kowalski", "teacher", "roosevelt-high"),
    _staff("Naomi Feldman", "teacher", "roosevelt-high"),
    _staff("Carlos Mendoza", "teacher", "roosevelt-high"),
    _staff("Siobhan Kelly", "teacher", "roosevelt-high"),
    _staff("Jamal Washington", "teacher", "roosevelt-high"),
    _staff("Lena Petrova", "teacher", "roosevelt-high"),
    _staff("Brian Yazzie", "teacher", "roosevelt-high"),
    _staff("Mei Chen", "teacher", "roosevelt-high"),
    _staff("Thomas Andersen", "teacher", "roosevelt-high"),
    _staff("Grace Adeyemi", "teacher", "roosevelt-high"),
)

LOGINS: tuple[DemoLogin, ...] = tuple(
    DemoLogin(p.email, DEMO_PASSWORD, p.description) for p in PEOPLE if p.description is not None
)


@dataclass(frozen=True)
class DemoDistrict:
    district: District
    logins: list[DemoLogin] = field(default_factory=lambda: list(LOGINS))
    created: bool = False


def seed_demo_district(framework: Framework) -> DemoDistrict:
    """Create the demo district on `framework`, or return the one already there unchanged."""
    existing = db.session.scalar(select(District).where(District.slug == DEMO_SLUG))
    if existing is not None:
        return DemoDistrict(existing)

    district = create_district(DEMO_SLUG, DEMO_NAME, framework)
    schools = {slug: create_school(district, slug, name) for slug, name in SCHOOLS}
    # One hash shared by every demo account: the password is public anyway, and hashing
    # thirty times would make each seeding (and every test using it) seconds slower.
    password_hash = generate_password_hash(DEMO_PASSWORD)
    for person in PEOPLE:
        user = create_user(
            district,
            person.email,
            person.name,
            school=schools[person.school] if person.school else None,
            professional_role=person.role,
            system_roles=person.system_roles,
        )
        user.password_hash = password_hash
    db.session.flush()
    _assign_validator_scopes(district, framework)
    return DemoDistrict(district, created=True)


# validator email -> (professional roles, school slug) they validate, in every domain. A validator
# never reviews their own school here, which is how many districts keep judgements independent.
VALIDATOR_SCOPES = {
    f"validator@{DOMAIN}": (("teacher", "school-leader"), "lincoln-elementary"),
    f"validator2@{DOMAIN}": (("teacher",), "roosevelt-high"),
}


def _assign_validator_scopes(district: District, framework: Framework) -> None:
    admin = db.session.scalar(select(User).where(User.email == f"admin@{DOMAIN}"))
    schools = {school.slug: school.id for school in district.schools}
    assert admin is not None  # created by seed_demo_district before the scopes
    for email, (roles, school) in VALIDATOR_SCOPES.items():
        validator = db.session.scalar(select(User).where(User.email == email))
        assert validator is not None
        set_scope(
            admin,
            validator,
            [d.code for d in framework.domains],
            roles,
            [schools[school]],
            False,
            reason="demo district setup",
        )
