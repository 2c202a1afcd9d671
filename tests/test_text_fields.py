"""Every free-text field of the domain goes through badges.base.clean_text: NUL and other control
characters, and text over the field's bound, are refused with a message under the field's name, and
nothing is saved. On PostgreSQL a NUL that reached the database would fail the statement instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from badges.base import InvalidInput, clean_text
from badges.credentials.revocation import revoke
from badges.educator import assessments, evidence, goals
from badges.extensions import db
from badges.models import AuditEvent, Award, Claim, District, EvidenceItem, Goal, School, User
from badges.people import operations, scope
from badges.people.operations import PeopleError
from badges.people.roster import RosterError, import_roster
from badges.validation import claims, reviews
from tests.validation_setup import World, approve, badge, indicator_id, make_world

NUL, ESCAPE = "before\x00after", "before\x1b[31mafter"
BADGE = "Delivery and Operations: Experienced, Teacher"


@dataclass
class Setting:
    world: World
    validator: User
    _claim: Claim | None = None
    _award: Award | None = None

    def claim(self) -> Claim:
        """One committed claim, kept across the refused attempts (each of which rolls back)."""
        if self._claim is None:
            self._claim = self.world.claim()
        return self._claim

    def award(self) -> Award:
        if self._award is None:
            self._award = approve(self.validator, self.claim()).award
        return self._award


@pytest.fixture
def setting(make_user, district, framework) -> Setting:
    world = make_world(make_user, district, framework)
    validator = world.person(make_user, "val@northfield.example.org", roles=("validator",))
    world.set_scope(validator)
    return Setting(world, validator)


def link(s: Setting, title: str = "Exit tickets", narrative: str = "What they showed.") -> EvidenceItem:
    return evidence.add_link(
        s.world.teacher, title, narrative, "https://example.org/e", [indicator_id(s.world.framework, "4.1")]
    )


def rate(s: Setting, text: str) -> None:
    assessment = assessments.start_assessment(s.world.teacher)
    assessments.rate(s.world.teacher, assessment, [{"indicator": "4.1", "level": 3, "reflection": text}])


def claim_with(s: Setting, text: str) -> None:
    claims.create_claim(s.world.teacher, badge(BADGE).id, text, [link(s).id])


def withdraw(s: Setting, text: str) -> None:
    claims.withdraw_claim(s.world.teacher, s.claim(), text)


def feedback(s: Setting, text: str) -> None:
    reviews.decide(s.validator, s.claim().id, "return", text)


def revoke_with(s: Setting, text: str) -> None:
    revoke(s.validator, s.award(), text)


def scope_reason(s: Setting, text: str) -> None:
    scope.set_scope(
        s.world.admin,
        s.validator,
        [d.code for d in s.world.framework.domains],
        ["teacher"],
        [s.world.north.id],
        False,
        reason=text,
    )


def conflict_reason(s: Setting, text: str) -> None:
    scope.record_conflict(s.world.admin, s.validator, s.world.teacher, text)


SOON = date.today() + timedelta(days=30)

# field name -> (the operation with `text` in that field, the field's bound, multi-line?)
FIELDS = {
    "title": (lambda s, text: link(s, title=text), evidence.TITLE_MAX, False),
    "narrative": (lambda s, text: link(s, narrative=text), evidence.NARRATIVE_MAX, True),
    "actions": (
        lambda s, text: goals.create_goal(s.world.teacher, "delivery-operations", 3, SOON, text),
        goals.TEXT_MAX,
        True,
    ),
    "support_needed": (
        lambda s, text: goals.create_goal(
            s.world.teacher, "delivery-operations", 3, SOON, "Plan.", support_needed=text
        ),
        goals.TEXT_MAX,
        True,
    ),
    "ratings.4.1": (rate, assessments.MAX_REFLECTION, True),
    "statement": (claim_with, claims.STATEMENT_MAX, True),
    "reason (withdrawal)": (withdraw, claims.REASON_MAX, True),
    "feedback": (feedback, reviews.FEEDBACK_MAX, True),
    "reason (revocation)": (revoke_with, 2000, True),
    "reason (scope)": (scope_reason, scope.REASON_MAX, False),
    "reason (conflict)": (conflict_reason, scope.REASON_MAX, False),
}


def refused(s: Setting, name: str, text: str) -> str:
    operation = FIELDS[name][0]
    field = name.split(" ")[0]
    with pytest.raises(InvalidInput) as caught:
        operation(s, text)
    db.session.rollback()
    assert field in caught.value.errors, caught.value.errors
    return " ".join(caught.value.errors[field])


@pytest.mark.parametrize("name", FIELDS)
def test_nul_and_control_characters_are_refused_naming_the_field(setting, name):
    assert "a NUL character" in refused(setting, name, NUL)
    assert "U+001B" in refused(setting, name, ESCAPE)


@pytest.mark.parametrize("name", FIELDS)
def test_text_over_the_bound_is_refused_with_the_bound(setting, name):
    bound = FIELDS[name][1]
    message = refused(setting, name, "x" * (bound + 1))
    assert f"at most {bound:,} characters (it has {bound + 1:,})" in message


@pytest.mark.parametrize("name", [n for n, (_, _, multiline) in FIELDS.items() if not multiline])
def test_single_line_fields_refuse_a_line_break(setting, name):
    assert "a line break" in refused(setting, name, "first\nsecond")


def test_refused_text_saves_nothing(setting):
    before = (
        db.session.scalar(select(func.count(EvidenceItem.id))),
        db.session.scalar(select(func.count(Goal.id))),
        db.session.scalar(select(func.count(AuditEvent.id))),
    )
    for name in ("title", "actions", "reason (scope)"):
        refused(setting, name, NUL)
    assert before == (
        db.session.scalar(select(func.count(EvidenceItem.id))),
        db.session.scalar(select(func.count(Goal.id))),
        db.session.scalar(select(func.count(AuditEvent.id))),
    )


def test_clean_text_keeps_what_a_person_means(setting):
    # Trimmed, CRLF as LF, NFC (an "e" and a combining accent become one character), tabs in multi-line text.
    item = link(setting, title="  Caf\u0065\u0301 notes  ", narrative="line one\r\n\tline two")
    db.session.commit()
    assert (item.title, item.narrative) == ("Caf\u00e9 notes", "line one\n\tline two")
    with pytest.raises(InvalidInput, match="must be text"):
        clean_text(42, field="title", label="The title", max_length=10)


def test_indicator_codes_with_a_nul_are_unknown_not_a_database_error(setting):
    with pytest.raises(InvalidInput) as caught:
        evidence.indicator_ids_for_codes(setting.world.teacher, ["4.1", "4.2\x00"])
    assert "No key question '4.2\\x00'" in caught.value.errors["indicators"][0]


@pytest.mark.parametrize(
    "text, words",
    [
        (NUL, "name contains a NUL character"),
        (ESCAPE, "name contains the control character U+001B"),
        ("x" * 201, "name can be at most 200 characters"),
    ],
)
def test_people_names_are_cleaned_the_same_way(setting, text, words):
    district = db.session.get(District, setting.world.teacher.district_id)
    for create in (
        lambda: operations.create_district("elsewhere", text),
        lambda: operations.create_school(district, "west", text),
        lambda: operations.create_user(district, "new@northfield.example.org", text),
    ):
        with pytest.raises(PeopleError, match=re.escape(words)):
            create()
        db.session.rollback()
    assert db.session.scalar(select(func.count(School.id)).where(School.slug == "west")) == 0


def test_an_email_with_a_nul_is_refused_before_any_query(setting):
    district = db.session.get(District, setting.world.teacher.district_id)
    with pytest.raises(PeopleError, match="email contains a NUL character"):
        operations.create_user(district, "new\x00@northfield.example.org", "New Person")


def test_roster_rows_with_control_characters_are_reported_by_line(setting):
    district = db.session.get(District, setting.world.teacher.district_id)
    roster = (
        "email,name,school,professional_role,system_roles\n"
        "ok@northfield.example.org,Fine Name,north,teacher,educator\n"
        "bell@northfield.example.org,Ring\x07er,north,teacher,educator\n"
        "esc\x1b@northfield.example.org,Esc Aped,north,teacher,educator\n"
    )
    with pytest.raises(RosterError) as caught:
        import_roster(district, roster)
    problems = dict(caught.value.problems)
    assert "name contains the control character U+0007" in problems[3]
    assert "email contains the control character U+001B" in problems[4]
    assert 2 not in problems
