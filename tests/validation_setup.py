"""Building blocks for validation tests: a district with two schools, people, scopes, claims."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from badges.catalogue.badge_classes import role_indicators
from badges.educator import evidence
from badges.extensions import db
from badges.models import BadgeClass, Claim, School, User
from badges.people import scope
from badges.validation import claims, reviews

ALL_DOMAINS = None  # set_scope_for(..., domains=ALL_DOMAINS) means every domain of the framework


def badge(name: str) -> BadgeClass:
    found = db.session.scalar(select(BadgeClass).where(BadgeClass.name == name))
    assert found is not None, f"no badge class {name!r}"
    return found


def indicator_id(framework, code: str) -> int:
    return next(i.id for d in framework.domains for i in d.indicators if i.code == code)


@dataclass
class World:
    framework: object
    north: School
    south: School
    admin: User
    teacher: User

    def person(self, make_user, email, roles=("educator",), role="teacher", school="north") -> User:
        user = make_user(email, roles=roles, professional_role=role)
        user.school = {"north": self.north, "south": self.south, None: None}[school]
        db.session.commit()
        return user

    def set_scope(self, validator, domains=ALL_DOMAINS, roles=("teacher",), schools=("north",), whole_district=False):
        codes = [d.code for d in self.framework.domains] if domains is ALL_DOMAINS else list(domains)
        ids = [{"north": self.north, "south": self.south}[s].id for s in schools]
        scope.set_scope(self.admin, validator, codes, roles, ids, whole_district, "test")
        db.session.commit()

    def claim(
        self, owner=None, name="Delivery and Operations: Experienced, Teacher", statement="It shows it."
    ) -> Claim:
        owner = owner or self.teacher
        item = evidence.add_link(
            owner, f"Evidence {name}", "What it shows.", "https://example.org/e", [indicator_id(self.framework, "4.1")]
        )
        made = claims.create_claim(owner, badge(name).id, statement, [item.id])
        db.session.commit()
        return made


def full_ratings(claim: Claim, level: int) -> dict[int, int]:
    return {ind.id: level for ind in role_indicators(claim.badge_class)}


def approve(validator, claim, level=None):
    outcome = reviews.decide(
        validator, claim.id, "approve", "Well shown.", full_ratings(claim, level or claim.badge_class.level)
    )
    db.session.commit()
    return outcome


def make_world(make_user, district, framework) -> World:
    south = School(slug="south", name="South School")
    district.schools.append(south)
    db.session.commit()
    north = next(s for s in district.schools if s.slug == "north")
    admin = make_user("admin@northfield.example.org", roles=("admin",), professional_role=None)
    teacher = make_user("teacher@northfield.example.org", name="Terry Teacher")
    teacher.school = north
    db.session.commit()
    return World(framework, north, south, admin, teacher)


def cite_in_claim(owner: User, item_id: int, name: str = "Delivery and Operations: Novice, Teacher") -> Claim:
    """A real claim by `owner` citing their evidence item."""
    made = claims.create_claim(owner, badge(name).id, "My evidence shows it.", [item_id])
    db.session.commit()
    return made
