"""Curating exemplar sets (badges.calibration.exemplars, .opening): drafts, exemplars with anchors and
files, who curates, opening (refused with every problem named, then frozen) and rounds."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from badges.base import InvalidInput, StateConflict
from badges.calibration import exemplars, opening, sets
from badges.calibration.key_questions import set_indicators
from badges.educator import storage
from badges.extensions import db
from badges.models import AuditEvent, District, ExemplarSet
from badges.people import scope
from badges.permissions import can_curate_calibration, can_curate_exemplar_set, can_view_exemplar_file
from badges.visibility import CURATED_SET, find_visible
from tests.calibration_setup import DOMAIN, make_set
from tests.test_uploads import HTML, minimal_pdf

PDF = minimal_pdf()


@pytest.fixture(autouse=True)
def evidence_dir(app, tmp_path):
    path = tmp_path / "evidence"
    app.config["EVIDENCE_STORAGE_DIR"] = str(path)
    return path


def stored(path) -> list[str]:
    return sorted(p.name for p in path.iterdir()) if path.exists() else []


@pytest.fixture
def validator(make_user, admin):
    user = make_user("val@northfield.example.org", roles=("validator",), name="Vera Validator")
    scope.set_scope(admin, user, [DOMAIN], ["teacher"], [], True)
    db.session.commit()
    return user


@pytest.fixture
def lead(make_user, admin):
    user = make_user("lead@northfield.example.org", roles=("validator",), name="Lee Lead")
    scope.set_scope(admin, user, [DOMAIN], ["teacher"], [], True, lead=True)
    db.session.commit()
    return user


@pytest.fixture
def stranger_admin(make_user, framework):
    other = District(slug="elsewhere", name="Elsewhere District", framework=framework)
    db.session.add(other)
    db.session.flush()
    return make_user("admin@elsewhere.example.org", roles=("admin",), professional_role=None, in_district=other)


def full_anchors(exemplar_set, level=3):
    return {ind.id: level for ind in set_indicators(exemplar_set)}


def draft(admin, title="Delivery exemplars"):
    return sets.create_set(admin, DOMAIN, "teacher", title, "For the autumn round.")


def anchored(admin, exemplar_set, title="Unit plan", level=3, **extra):
    return exemplars.add_exemplar(
        admin,
        exemplar_set,
        title,
        "A unit plan that paces students by evidence.",
        anchors=full_anchors(exemplar_set, level),
        anchor_level=level,
        rationale=f"Agreed at {level}.",
        **extra,
    )


def test_create_edit_and_delete_a_draft_audited(admin):
    exemplar_set = draft(admin)
    assert exemplar_set.is_draft and exemplar_set.domain.code == DOMAIN and exemplar_set.role.code == "teacher"
    assert exemplar_set.district_id == admin.district_id and exemplar_set.created_by_id == admin.id
    sets.update_set(admin, exemplar_set, title="  Renamed   set ", description="New words.")
    assert (exemplar_set.title, exemplar_set.description) == ("Renamed set", "New words.")
    set_id = exemplar_set.id
    sets.delete_set(admin, exemplar_set)
    db.session.commit()
    assert db.session.get(ExemplarSet, set_id) is None
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.subject_id == set_id)))
    assert {"calibration.set_created", "calibration.set_changed", "calibration.set_deleted"} <= actions


def test_create_names_every_bad_field(admin):
    with pytest.raises(InvalidInput) as caught:
        sets.create_set(admin, "nope", "astronaut", "  ", "\x00")
    assert set(caught.value.errors) == {"domain", "role", "title", "description"}


def test_only_curators_create(teacher, validator):
    for person in (teacher, validator):
        with pytest.raises(PermissionError):
            draft(person)


def test_lead_validator_curates_only_in_scope(admin, lead, validator):
    assert can_curate_calibration(lead, lead.district) and not can_curate_calibration(validator, validator.district)
    mine = draft(lead)
    assert can_curate_exemplar_set(lead, mine)
    with pytest.raises(InvalidInput) as caught:
        sets.create_set(lead, "engagement-communication", "teacher", "Outside")
    assert "validator scope" in caught.value.errors["domain"][0]
    outside = sets.create_set(admin, "engagement-communication", "teacher", "Admin's")
    assert not can_curate_exemplar_set(lead, outside)
    assert [s.id for s in sets.curated_sets(lead)] == [mine.id]


def test_making_a_lead_is_audited_and_only_changes_when_asked(admin, validator):
    assert not scope.is_lead(validator)
    scope.set_scope(admin, validator, [DOMAIN], ["teacher"], [], True, lead=True)
    assert scope.is_lead(validator)
    scope.set_scope(admin, validator, [DOMAIN], ["teacher"], [], True)  # lead not given: kept
    assert scope.is_lead(validator)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "scope.lead_changed")) is not None


def test_another_districts_set_is_not_found(admin, stranger_admin):
    exemplar_set = draft(admin)
    db.session.commit()
    assert find_visible(ExemplarSet, exemplar_set.id, stranger_admin, CURATED_SET) is None
    assert find_visible(ExemplarSet, exemplar_set.id, admin, CURATED_SET) is exemplar_set
    assert not can_curate_exemplar_set(stranger_admin, exemplar_set)
    with pytest.raises(PermissionError):
        exemplars.add_exemplar(stranger_admin, exemplar_set, "X", "Y")


def test_add_edit_and_remove_an_exemplar(admin):
    exemplar_set = draft(admin)
    exemplar = anchored(admin, exemplar_set, url="https://example.org/plan")
    assert exemplar.anchor_levels == full_anchors(exemplar_set) and exemplar.url == "https://example.org/plan"
    first = set_indicators(exemplar_set)[0]
    exemplars.update_exemplar(admin, exemplar, anchors={first.id: 4}, anchor_level=4, url="", rationale="Now 4.")
    assert exemplar.anchor_levels == {first.id: 4} and exemplar.url is None and exemplar.anchor_level == 4
    exemplars.remove_exemplar(admin, exemplar)
    assert exemplar_set.exemplars == []


def test_exemplar_checks_name_every_problem(admin, framework):
    exemplar_set = draft(admin)
    elsewhere = next(i for d in framework.domains if d.code != DOMAIN for i in d.indicators)
    first = set_indicators(exemplar_set)[0]
    with pytest.raises(InvalidInput) as caught:
        exemplars.add_exemplar(
            admin,
            exemplar_set,
            "",
            "",
            url="javascript:alert(1)",
            anchors={first.id: 7, elsewhere.id: 2},
            anchor_level="x",
        )
    errors = caught.value.errors
    assert set(errors) == {"title", "narrative", "url", "anchors", "anchor_level"}
    assert any(first.code in m for m in errors["anchors"]) and any(str(elsewhere.id) in m for m in errors["anchors"])
    by_code = exemplars.anchors_by_code(exemplar_set, {first.code: 2})
    assert by_code == {first.id: 2}
    with pytest.raises(InvalidInput):
        exemplars.anchors_by_code(exemplar_set, {"9.9": 2})


def test_uploaded_file_is_checked_stored_neutrally_and_deleted_with_the_set(admin, evidence_dir):
    exemplar_set = draft(admin)
    with pytest.raises(InvalidInput) as caught:
        anchored(admin, exemplar_set, filename="plan.pdf", data=HTML)
    assert "file" in caught.value.errors
    exemplar = anchored(admin, exemplar_set, filename="Terry's plan.pdf", data=PDF)
    db.session.commit()
    assert exemplar.original_filename == f"exemplar-{exemplar.id}.pdf"
    assert exemplar.media_type == "application/pdf" and stored(evidence_dir) == [exemplar.stored_name]
    assert storage.orphaned_names(min_age_seconds=0) == []  # exemplar files are known rows
    sets.delete_set(admin, exemplar_set)
    db.session.commit()
    assert stored(evidence_dir) == []


def test_opening_refuses_with_every_problem_named(admin):
    exemplar_set = draft(admin)
    with pytest.raises(InvalidInput) as caught:
        opening.open_set(admin, exemplar_set, "")
    assert "at least 2 exemplars to open; it has 0" in caught.value.errors["exemplars"][0]
    assert "round_title" in caught.value.errors
    anchored(admin, exemplar_set)
    partial = exemplars.add_exemplar(admin, exemplar_set, "Half done", "Narrative.")
    with pytest.raises(InvalidInput) as caught:
        opening.open_set(admin, exemplar_set, "Autumn")
    problems = caught.value.errors["exemplars"]
    codes = ", ".join(ind.code for ind in set_indicators(exemplar_set))
    assert problems == [
        f"“Half done” has no anchor level for key question {codes}.",
        "“Half done” has no overall anchor level.",
        "“Half done” has no rationale (validators read it after rating).",
    ]
    assert exemplar_set.is_draft and exemplar_set.rounds == []
    exemplars.update_exemplar(
        admin, partial, anchors=full_anchors(exemplar_set, 2), anchor_level=2, rationale="Agreed at 2."
    )
    calibration_round = opening.open_set(admin, exemplar_set, "Autumn")
    assert exemplar_set.opened_at is not None and calibration_round.title == "Autumn" and calibration_round.is_open


def test_an_opened_set_is_frozen(admin):
    exemplar_set = make_set(admin.district, admin)
    opening.open_set(admin, exemplar_set, "Autumn")
    exemplar = exemplar_set.exemplars[0]
    for attempt in (
        lambda: sets.update_set(admin, exemplar_set, title="New"),
        lambda: sets.delete_set(admin, exemplar_set),
        lambda: exemplars.add_exemplar(admin, exemplar_set, "More", "Text"),
        lambda: exemplars.update_exemplar(admin, exemplar, anchor_level=1),
        lambda: exemplars.remove_exemplar(admin, exemplar),
        lambda: opening.open_set(admin, exemplar_set, "Again"),
    ):
        with pytest.raises(sets.SetFrozen):
            attempt()
    assert exemplar.anchor_level == 3


def test_rounds_open_and_close(admin, validator):
    exemplar_set = make_set(admin.district, admin)
    with pytest.raises(StateConflict):
        opening.open_round(admin, exemplar_set, "Too soon")
    first = opening.open_set(admin, exemplar_set, "Autumn")
    with pytest.raises(StateConflict):
        opening.open_round(admin, exemplar_set, "Spring")  # Autumn is still open
    opening.close_round(admin, first)
    assert not first.is_open
    with pytest.raises(StateConflict):
        opening.close_round(admin, first)
    second = opening.open_round(admin, exemplar_set, "Spring")
    assert second.is_open and [r.title for r in exemplar_set.rounds] == ["Autumn", "Spring"]
    assert opening.raters_count(second) == 0
    with pytest.raises(PermissionError):
        opening.close_round(validator, second)


def test_curators_cannot_rate_blind(admin, lead, validator):
    exemplar_set = draft(admin)
    assert sets.curated_by(exemplar_set, admin)
    assert not sets.curated_by(exemplar_set, lead)
    anchored(lead, exemplar_set)  # the lead wrote anchors of the admin's set
    assert sets.curated_by(exemplar_set, lead) and not sets.curated_by(exemplar_set, validator)


def test_exemplar_files_are_for_curators_and_in_scope_raters_once_opened(admin, validator, make_user):
    exemplar_set = draft(admin)
    exemplar = anchored(admin, exemplar_set, filename="a.pdf", data=PDF)
    anchored(admin, exemplar_set, title="Second")
    outsider = make_user("out@northfield.example.org", roles=("validator",))
    assert can_view_exemplar_file(admin, exemplar) and not can_view_exemplar_file(validator, exemplar)
    opening.open_set(admin, exemplar_set, "Autumn")
    assert can_view_exemplar_file(validator, exemplar) and not can_view_exemplar_file(outsider, exemplar)


def test_opening_at_once_opens_one_round(app, is_postgres, admin, make_user):
    """Two curators open the same set at the same moment (PostgreSQL, two sessions): one round, one refusal."""
    if not is_postgres:
        pytest.skip("the row lock is proven on PostgreSQL (set TEST_DATABASE_URL)")
    import threading

    from badges.models import CalibrationRound, User

    second = make_user("admin2@northfield.example.org", roles=("admin",), professional_role=None)
    set_id = make_set(admin.district, admin).id
    db.session.commit()
    barrier = threading.Barrier(2)
    results = [""] * 2

    def attempt(i: int, user_id: int) -> None:
        with app.app_context():
            try:
                actor = db.session.get(User, user_id)
                exemplar_set = db.session.get(ExemplarSet, set_id)
                barrier.wait(timeout=10)
                opening.open_set(actor, exemplar_set, f"Round {i}")
                db.session.commit()
                results[i] = "opened"
            except StateConflict:
                db.session.rollback()
                results[i] = "conflict"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(i, uid)) for i, uid in enumerate((admin.id, second.id))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["conflict", "opened"]
    db.session.expire_all()
    assert len(db.session.scalars(select(CalibrationRound).where(CalibrationRound.set_id == set_id)).all()) == 1
