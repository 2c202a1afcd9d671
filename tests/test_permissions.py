"""Every access rule, driven directly: the predicates of badges.permissions and the visibility rules
of badges.visibility (what get_visible_or_404 lets through), for each kind of actor against one
educator's evidence, claims, award and conflict. One world is built for the whole module.

Scopes: the owner; a colleague in the same district; a validator whose scope covers the claim, one
whose scope does not, one in scope but in conflict with the owner, and one of another district;
the district's admin and leader, and another district's admin; nobody signed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask_login import AnonymousUserMixin
from werkzeug.exceptions import NotFound
from werkzeug.security import generate_password_hash

from badges.access import get_visible_or_404
from badges.base import MAX_ID
from badges.catalogue.loading import install_framework_file
from badges.educator import evidence
from badges.extensions import db
from badges.models import Award, Claim, Conflict, District, EvidenceItem, School, SystemRole, User
from badges.people import scope
from badges.permissions import (
    can_decide_claim,
    can_manage_validation,
    can_read_audit_log,
    can_review_claim,
    can_revoke,
    can_view_evidence_file,
    can_view_home,
    can_view_staff_of,
)
from badges.resources import default_framework_file
from badges.validation import claims
from badges.visibility import (
    CLAIM_FOR_REVIEW,
    DISTRICT_CONFLICT,
    DISTRICT_MEMBER,
    DISTRICT_VALIDATOR,
    EVIDENCE_FILE,
    REVOCABLE_AWARD,
    find_visible,
    rule_for,
)
from tests.conftest import _empty_all_tables, make_app
from tests.validation_setup import approve, badge, indicator_id

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

ACTORS = (
    "anonymous",
    "owner",
    "colleague",
    "validator in scope",
    "validator out of scope",
    "validator in conflict",
    "validator of another district",
    "admin",
    "leader",
    "admin of another district",
)


@dataclass
class World:
    district: District
    actors: dict[str, User | AnonymousUserMixin]
    file_item: EvidenceItem  # the owner's file, cited by a claim awaiting review
    claim: Claim  # awaiting review
    award: Award  # on another claim of the owner's, approved
    conflict: Conflict  # the conflicted validator and the owner
    validator: User  # the validator in scope (a district member with the validator role)


def _person(district: District, email: str, roles: tuple[str, ...], school: School | None = None) -> User:
    user = User(
        district=district,
        email=email,
        name=email.split("@")[0].title(),
        professional_role="teacher",
        password_hash=generate_password_hash("unused-password", method="pbkdf2:sha256:1"),
        school=school,
    )
    user.set_system_roles({SystemRole(r) for r in roles})
    db.session.add(user)
    db.session.flush()
    return user


def _build() -> World:
    framework = install_framework_file(default_framework_file()).framework
    home = District(slug="northfield", name="Northfield District", framework=framework)
    north = School(slug="north", name="North School")
    home.schools.append(north)
    away = District(slug="southfield", name="Southfield District", framework=framework)
    db.session.add_all([home, away])
    db.session.flush()
    every_domain = [d.code for d in framework.domains]
    admin = _person(home, "admin@north.example.org", ("admin",))
    owner = _person(home, "owner@north.example.org", ("educator",), north)
    in_scope = _person(home, "in@north.example.org", ("validator",))
    out_of_scope = _person(home, "out@north.example.org", ("validator",))
    conflicted = _person(home, "conflicted@north.example.org", ("validator",))
    away_admin = _person(away, "admin@south.example.org", ("admin",))
    away_validator = _person(away, "validator@south.example.org", ("validator",))
    scope.set_scope(admin, in_scope, every_domain, ["teacher"], [north.id], False, "covers the owner")
    scope.set_scope(admin, conflicted, every_domain, ["teacher"], [north.id], False, "covers the owner")
    scope.set_scope(admin, out_of_scope, ["engagement-communication"], ["teacher"], [north.id], False, "elsewhere")
    scope.set_scope(away_admin, away_validator, every_domain, ["teacher"], [], True, "the whole other district")
    conflict = scope.record_conflict(admin, conflicted, owner, "spouse")

    file_item = evidence.add_file(
        owner, "Unit plan", "Shows my plan.", "plan.pdf", PDF, [indicator_id(framework, "4.1")]
    )
    awaiting = claims.create_claim(
        owner, badge("Delivery and Operations: Novice, Teacher").id, "It shows it.", [file_item.id]
    )
    link = evidence.add_link(owner, "Link", "Shows it.", "https://example.org/e", [indicator_id(framework, "4.1")])
    to_award = claims.create_claim(
        owner, badge("Delivery and Operations: Experienced, Teacher").id, "It shows it.", [link.id]
    )
    db.session.commit()
    award = approve(in_scope, to_award).award
    actors: dict[str, User | AnonymousUserMixin] = {
        "anonymous": AnonymousUserMixin(),
        "owner": owner,
        "colleague": _person(home, "colleague@north.example.org", ("educator",), north),
        "validator in scope": in_scope,
        "validator out of scope": out_of_scope,
        "validator in conflict": conflicted,
        "validator of another district": away_validator,
        "admin": admin,
        "leader": _person(home, "leader@north.example.org", ("district_leader",)),
        "admin of another district": away_admin,
    }
    db.session.commit()
    return World(home, actors, file_item, awaiting, award, conflict, in_scope)


@pytest.fixture(scope="module")
def world(database_url):
    app = make_app(database_url)
    with app.app_context():
        try:
            yield _build()
        finally:
            db.session.rollback()
            _empty_all_tables()
            db.session.remove()
            db.engine.dispose()


def _found(model, object_id, actor, rule=None) -> bool:
    return find_visible(model, object_id, actor, rule) is not None


# rule -> how to ask it, and the actors it allows (every other actor is refused).
RULES = {
    "view evidence file": (lambda w, a: can_view_evidence_file(a, w.file_item), {"owner", "validator in scope"}),
    "review claim": (lambda w, a: can_review_claim(a, w.claim), {"validator in scope"}),
    "decide claim": (lambda w, a: can_decide_claim(a, w.claim), {"validator in scope"}),
    "revoke award": (lambda w, a: can_revoke(a, w.award), {"validator in scope", "admin"}),
    "manage validation": (lambda w, a: can_manage_validation(a, w.district), {"admin"}),
    "read audit log": (lambda w, a: can_read_audit_log(a, w.district), {"admin"}),
    "view staff list": (lambda w, a: can_view_staff_of(a, w.district), {"admin", "leader"}),
    "educator home": (lambda w, a: can_view_home(a, "educator"), {"owner", "colleague"}),
    "validator home": (
        lambda w, a: can_view_home(a, "validator"),
        {"validator in scope", "validator out of scope", "validator in conflict", "validator of another district"},
    ),
    "lookup: own evidence": (lambda w, a: _found(EvidenceItem, w.file_item.id, a), {"owner"}),
    "lookup: own claim": (lambda w, a: _found(Claim, w.claim.id, a), {"owner"}),
    "lookup: own award": (lambda w, a: _found(Award, w.award.id, a), {"owner"}),
    "lookup: evidence file": (
        lambda w, a: _found(EvidenceItem, w.file_item.id, a, EVIDENCE_FILE),
        {"owner", "validator in scope"},
    ),
    "lookup: claim for review": (lambda w, a: _found(Claim, w.claim.id, a, CLAIM_FOR_REVIEW), {"validator in scope"}),
    "lookup: revocable award": (
        lambda w, a: _found(Award, w.award.id, a, REVOCABLE_AWARD),
        {"validator in scope", "admin"},
    ),
    "lookup: district conflict": (lambda w, a: _found(Conflict, w.conflict.id, a, DISTRICT_CONFLICT), {"admin"}),
    "lookup: district validator": (lambda w, a: _found(User, w.validator.id, a, DISTRICT_VALIDATOR), {"admin"}),
    "lookup: district member": (lambda w, a: _found(User, w.validator.id, a, DISTRICT_MEMBER), {"admin"}),
}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("rule", RULES)
def test_rule_table(world, rule, actor):
    ask, allowed = RULES[rule]
    assert ask(world, world.actors[actor]) is (actor in allowed)


def test_the_award_is_the_owners_and_not_the_claim_awaiting_review(world):
    # Guards the table: the rows above are about two different claims of the same owner.
    assert world.award.claim_id != world.claim.id and world.award.user_id == world.claim.user_id


@pytest.mark.parametrize(
    "bad_id", [MAX_ID + 1, 10**40, "1" * 40, "²", "١", "-1", "0", 0, -5, "", "1 ", True, None, "12abc", "1e3"]
)
def test_ids_out_of_range_or_not_ids_find_nothing(world, bad_id):
    owner = world.actors["owner"]
    assert find_visible(EvidenceItem, bad_id, owner) is None
    with pytest.raises(NotFound):
        get_visible_or_404(Claim, bad_id, owner)


def test_an_id_as_text_finds_the_same_object(world):
    owner = world.actors["owner"]
    assert get_visible_or_404(Claim, str(world.claim.id), owner).id == world.claim.id


def test_a_rule_for_another_model_is_refused(world):
    with pytest.raises(LookupError):
        rule_for(Award, CLAIM_FOR_REVIEW)
    with pytest.raises(LookupError):
        rule_for(School)  # no default rule: a lookup must say whose objects it is
