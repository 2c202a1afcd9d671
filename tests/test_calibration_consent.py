"""Consent (badges.calibration.consent): an educator's own evidence, offered and withdrawn; copies made
only while consent is in force, inside the district, with the owner's names removed and a neutral file."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from badges.base import StateConflict
from badges.calibration import consent, sets
from badges.educator import evidence
from badges.extensions import db
from badges.models import AuditEvent, CalibrationConsent, District
from badges.visibility import COPYABLE_CONSENT, find_visible
from tests import test_calibration_sets as set_tests
from tests.calibration_setup import DOMAIN
from tests.test_calibration_sets import PDF, stored
from tests.test_evidence import ind

evidence_dir = set_tests.evidence_dir
validator = set_tests.validator
stranger_admin = set_tests.stranger_admin


@pytest.fixture
def item(teacher, framework):
    return evidence.add_link(
        teacher,
        "Terry Teacher's unit plan",
        "I, Terry, planned this (teacher@northfield.example.org). TEACHER reviewed it.",
        "https://example.org/plan",
        [ind(framework, "4.1").id],
    )


@pytest.fixture
def file_item(teacher, framework):
    return evidence.add_file(
        teacher, "Plan by Teacher", "Narrative.", "terry-plan.pdf", PDF, [ind(framework, "4.1").id]
    )


@pytest.fixture
def exemplar_set(admin):
    return sets.create_set(admin, DOMAIN, "teacher", "Delivery exemplars")


def test_remove_names_whole_words_any_case(teacher):
    text = (
        "Terry Teacher wrote: terry, TEACHER, Terry's. Email Teacher@Northfield.example.org. Terrys, Terry-ann, xTerry."
    )
    assert consent.remove_names(text, teacher) == (
        "[the educator] wrote: [the educator], [the educator], [the educator]'s. Email [the educator]. "
        "Terrys, Terry-ann, xTerry."
    )


def test_grant_is_recorded_once_and_withdrawal_stops_it(teacher, item):
    granted = consent.grant_consent(teacher, item)
    assert consent.grant_consent(teacher, item) is granted and granted.in_force
    assert consent.consent_for(item) is granted
    withdrawn = consent.withdraw_consent(teacher, item)
    assert withdrawn is granted and not granted.in_force and consent.consent_for(item) is None
    assert consent.withdraw_consent(teacher, item) is None
    actions = list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.startswith("calibration."))))
    assert actions == ["calibration.consent_granted", "calibration.consent_withdrawn"]


def test_another_persons_evidence_is_refused(make_user, item):
    other = make_user("other@northfield.example.org")
    with pytest.raises(PermissionError):
        consent.grant_consent(other, item)
    with pytest.raises(PermissionError):
        consent.withdraw_consent(other, item)


def test_curators_see_consented_items_without_names(admin, teacher, item, validator):
    assert consent.consented_items(admin) == []
    given = consent.grant_consent(teacher, item)
    listed = consent.consented_items(admin)
    assert [c.consent_id for c in listed] == [given.id]
    assert listed[0].title == "[the educator]'s unit plan"
    assert "Terry" not in listed[0].narrative and "teacher@" not in listed[0].narrative
    assert consent.consented_items(validator) == []  # not a lead: curates nothing
    consent.withdraw_consent(teacher, item)
    assert consent.consented_items(admin) == []


def test_copy_removes_names_and_never_names_the_owner(admin, teacher, item, exemplar_set):
    given = consent.grant_consent(teacher, item)
    copy = consent.copy_consented(admin, exemplar_set, given)
    assert copy.consent_id == given.id and copy.title == "[the educator]'s unit plan"
    assert copy.narrative.startswith("I, [the educator], planned this ([the educator]). [the educator] reviewed it")
    assert copy.url == "https://example.org/plan" and copy.anchors == [] and copy.stored_name is None
    summary = db.session.scalar(select(AuditEvent.summary).where(AuditEvent.action == "calibration.exemplar_copied"))
    assert "Terry" not in summary
    assert consent.copies_made(given) == 1


def test_copied_file_is_a_new_stored_file_with_a_neutral_name(admin, teacher, file_item, exemplar_set, evidence_dir):
    given = consent.grant_consent(teacher, file_item)
    copy = consent.copy_consented(admin, exemplar_set, given)
    db.session.commit()
    assert copy.stored_name != file_item.stored_name and copy.sha256 == file_item.sha256
    assert copy.original_filename == f"exemplar-{copy.id}.pdf" and copy.title == "Plan by [the educator]"
    assert sorted(stored(evidence_dir)) == sorted([file_item.stored_name, copy.stored_name])
    # The copy stays when the educator deletes the original (the consent record outlives it).
    evidence.delete_evidence(teacher, file_item)
    db.session.commit()
    assert stored(evidence_dir) == [copy.stored_name]
    db.session.refresh(given)
    assert given.evidence_id is None
    with pytest.raises(StateConflict):
        consent.copy_consented(admin, exemplar_set, given)


def test_withdrawn_consent_refuses_copies_and_keeps_those_made(admin, teacher, item, exemplar_set):
    given = consent.grant_consent(teacher, item)
    made = consent.copy_consented(admin, exemplar_set, given)
    consent.withdraw_consent(teacher, item)
    with pytest.raises(StateConflict) as caught:
        consent.copy_consented(admin, exemplar_set, given)
    assert "withdrawn" in str(caught.value)
    assert exemplar_set.exemplars == [made]
    db.session.commit()
    assert find_visible(CalibrationConsent, given.id, admin, COPYABLE_CONSENT) is None


def test_no_copy_without_consent_or_from_another_district(
    admin, teacher, item, exemplar_set, stranger_admin, make_user
):
    assert find_visible(CalibrationConsent, 999999, admin, COPYABLE_CONSENT) is None
    given = consent.grant_consent(teacher, item)
    db.session.commit()
    assert find_visible(CalibrationConsent, given.id, admin, COPYABLE_CONSENT) is given
    assert find_visible(CalibrationConsent, given.id, stranger_admin, COPYABLE_CONSENT) is None
    assert consent.consented_items(stranger_admin) == []
    theirs = sets.create_set(stranger_admin, DOMAIN, "teacher", "Theirs")
    with pytest.raises(PermissionError):
        consent.copy_consented(stranger_admin, theirs, given)
    # An educator elsewhere: their consent is not ours to copy either.
    far = make_user(
        "far@elsewhere.example.org", in_district=db.session.scalar(select(District).filter_by(slug="elsewhere"))
    )
    far_item = evidence.add_link(far, "Far", "Text.", "https://example.org/far", [item.indicators[0].id])
    far_consent = consent.grant_consent(far, far_item)
    with pytest.raises(PermissionError):
        consent.copy_consented(admin, exemplar_set, far_consent)


def test_copy_into_an_opened_set_is_refused(admin, teacher, item):
    from tests.calibration_setup import make_set, open_round

    opened = make_set(admin.district, admin)
    open_round(opened, admin)
    with pytest.raises(sets.SetFrozen):
        consent.copy_consented(admin, opened, consent.grant_consent(teacher, item))
