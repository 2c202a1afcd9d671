"""The district's calibration report (badges.calibration.report), on data small enough to count by hand:
agreement with the anchors, alpha across validators, the rounds over time, live drift from claims that
two validators rated, flags, scope, and the CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from badges.base import InvalidInput
from badges.calibration.drift import load_live
from badges.calibration.key_questions import set_indicators
from badges.calibration.policy import set_policy
from badges.calibration.report import CSV_COLUMNS, calibration_report, export_csv
from badges.calibration.statistics import krippendorff_alpha_ordinal
from badges.extensions import db
from badges.models import District
from badges.validation import reviews
from badges.validation.claims import resubmit_claim
from tests.calibration_setup import DOMAIN, make_set, open_round, rate
from tests.validation_setup import full_ratings, make_world

EXPERT = "Delivery and Operations: Expert, Teacher"
EXPERIENCED = "Delivery and Operations: Experienced, Teacher"


@pytest.fixture
def world(make_user, district, framework):
    return make_world(make_user, district, framework)


def validator(world, make_user, email, name):
    v = world.person(make_user, email, roles=("validator",), role="school-leader", school="south")
    v.name = name
    world.set_scope(v, domains=[DOMAIN], roles=["teacher"], schools=["north"])
    return v


@pytest.fixture
def ann(world, make_user):
    return validator(world, make_user, "ann@northfield.example.org", "Ann Able")


@pytest.fixture
def ben(world, make_user):
    return validator(world, make_user, "ben@northfield.example.org", "Ben Best")


@pytest.fixture
def rated_round(world, ann, ben):
    """One set (anchors 3 and 2 on the three key questions 4.1, 4.2, 4.3) rated by Ann and Ben:
    Ann: exemplar 1 -> 3, 3, 4; exemplar 2 -> 2, 2, 1.  Ben: every key question 3."""
    exemplar_set = make_set(world.admin.district, world.admin)
    calibration_round = open_round(exemplar_set, world.admin)
    ids = [ind.id for ind in set_indicators(exemplar_set)]
    first, second = exemplar_set.exemplars
    rate(ann, calibration_round, first, dict(zip(ids, (3, 3, 4), strict=True)))
    rate(ann, calibration_round, second, dict(zip(ids, (2, 2, 1), strict=True)))
    rate(ben, calibration_round, first, 3)
    rate(ben, calibration_round, second, 3)
    db.session.commit()
    return calibration_round, ids, (first.id, second.id)


def row_of(report, person):
    return next(r for r in report.validators if r.validator_id == person.id and r.domain_code == DOMAIN)


def test_agreement_with_the_anchors_counted_by_hand(world, ann, ben, rated_round):
    report = calibration_report(world.admin.district, DOMAIN)
    a, b = row_of(report, ann), row_of(report, ben)
    # Ann's pairs: (3,3) (3,3) (4,3) (2,2) (2,2) (1,2): 4 exact of 6, all within one.
    assert (a.exact.percent, a.exact.n, a.within_one.percent, a.within_one.n) == (67, 6, 100, 6)
    # Quadratic weights (i-j)^2/9: observed disagreement 2/9 over 6 = 1/27; expected 7/54; kappa 1 - 2/7.
    assert a.kappa.value == pytest.approx(5 / 7) and a.kappa.n == 6
    # Ben: three exact of six, all within one; one level throughout: kappa 0 (no better than chance).
    assert (b.exact.percent, b.within_one.percent) == (50, 100)
    assert b.kappa.value == pytest.approx(0)
    assert [p.exact.percent for p in a.history] == [67] and a.history[0].round_id == rated_round[0].id
    assert a.flags == () and b.flags == ("agreed exactly on 50% of 6 ratings, below the district's 60%",)
    assert [r.name for r in report.flagged] == ["Ben Best"]


def test_alpha_across_validators_is_over_exemplar_key_questions(world, ann, ben, rated_round):
    _, ids, (first, second) = rated_round
    ann_levels = {first: (3, 3, 4), second: (2, 2, 1)}
    expected = krippendorff_alpha_ordinal(
        {(e, i): [ann_levels[e][k], 3] for e in (first, second) for k, i in enumerate(ids)}
    )
    domain = calibration_report(world.admin.district, DOMAIN).domains[0]
    assert domain.code == DOMAIN and domain.alpha == expected and domain.alpha.n == 12
    assert domain.live_alpha.value is None and domain.live_alpha.n == 0


def test_history_one_point_per_round_dated_by_the_latest_rating(world, ann, rated_round):
    later = make_set(world.admin.district, world.admin, anchors=[4, 1], title="Spring")
    spring = open_round(later, world.admin, title="Spring")
    for exemplar in later.exemplars:
        last = rate(ann, spring, exemplar, exemplar.anchor_level)
    db.session.commit()
    a = row_of(calibration_report(world.admin.district), ann)
    assert [(p.round_title, p.exact.percent) for p in a.history] == [("Autumn calibration", 67), ("Spring", 100)]
    assert a.history[-1].rated_at == last.submitted_at
    assert (a.exact.percent, a.exact.n) == (83, 12)  # every round: 10 of 12
    assert a.standing.latest.round.title == "Spring"


def test_live_drift_from_two_approvers_and_a_return_decided_by_another(world, ann, ben):
    expert = world.claim(name=EXPERT)  # two approvals needed
    ids = list(full_ratings(expert, 4))
    reviews.decide(ann, expert.id, "approve", "Shown.", dict(zip(ids, (4, 4, 4), strict=True)))
    reviews.decide(ben, expert.id, "approve", "Shown.", dict(zip(ids, (4, 4, 3), strict=True)))
    returned = world.claim(name=EXPERIENCED)
    reviews.decide(ann, returned.id, "return", "More on pacing.", full_ratings(returned, 1))
    db.session.commit()
    resubmit_claim(world.teacher, returned, "With pacing data.", [e.id for e in returned.current.evidence])
    reviews.decide(ben, returned.id, "approve", "Shown now.", full_ratings(returned, 3))
    db.session.commit()
    report = calibration_report(world.admin.district, DOMAIN)
    a, b = row_of(report, ann), row_of(report, ben)
    # Shared units: Expert claim (4,4) (4,4) (4,3); returned claim (1,3) x3.
    assert (a.live_exact.percent, a.live_exact.n, a.live_within_one.percent) == (33, 6, 50)
    assert (b.live_exact.percent, b.live_within_one.percent) == (33, 50)
    units = {(expert.id, i): [4, lv] for i, lv in zip(ids, (4, 4, 3), strict=True)} | {
        (returned.id, i): [1, 3] for i in ids
    }
    assert report.domains[0].live_alpha == krippendorff_alpha_ordinal(units)
    assert a.exact.n == 0 and a.flags == ()  # the district has no round in the domain to take


def test_each_validators_latest_review_of_a_claim_counts(world, ann, ben):
    claim = world.claim(name=EXPERIENCED)
    reviews.decide(ann, claim.id, "return", "More.", full_ratings(claim, 1))
    db.session.commit()
    resubmit_claim(world.teacher, claim, "More evidence.", [e.id for e in claim.current.evidence])
    reviews.decide(ann, claim.id, "return", "Still more.", full_ratings(claim, 2))
    db.session.commit()
    resubmit_claim(world.teacher, claim, "Yet more.", [e.id for e in claim.current.evidence])
    reviews.decide(ben, claim.id, "approve", "Shown.", full_ratings(claim, 3))
    db.session.commit()
    live = load_live(world.admin.district.id)
    # Ann's latest review (2s) against Ben's 3s; her first (1s) is replaced.
    assert live.pairs_of(ann.id, claim.badge_class.domain_id) == [(2, 3)] * 3
    assert live.pairs_of(ben.id, claim.badge_class.domain_id) == [(3, 2)] * 3
    a = row_of(calibration_report(world.admin.district, DOMAIN), ann)
    assert (a.live_exact.n, a.live_exact.reason) == (3, "Too few ratings to say (3; at least 5 are needed).")


def test_another_districts_validators_are_never_in_the_report(world, ann, rated_round, make_user, framework):
    other = District(slug="southfield", name="Southfield", framework=framework)
    db.session.add(other)
    db.session.commit()
    outsider = make_user("out@southfield.example.org", roles=("validator",), in_district=other)
    theirs = make_set(other, outsider, title="Theirs")
    their_round = open_round(theirs, outsider)
    for exemplar in theirs.exemplars:
        rate(outsider, their_round, exemplar, 1)
    db.session.commit()
    ours = calibration_report(world.admin.district)
    assert outsider.id not in {r.validator_id for r in ours.validators}
    assert ours.domains[[d.code for d in ours.domains].index(DOMAIN)].alpha.n == 12  # their ratings not counted
    theirs_report = calibration_report(other)
    assert {r.validator_id for r in theirs_report.validators} == {outsider.id}


def test_unknown_domain_is_refused(world):
    with pytest.raises(InvalidInput, match="no such domain"):
        calibration_report(world.admin.district, "nope")


def test_csv_one_row_per_validator_and_domain_with_n_and_safe_names(world, ann, ben, rated_round):
    ann.name = "=HYPERLINK(1)"
    set_policy(world.admin, world.admin.district, 60, 365, [4])
    db.session.commit()
    text = "".join(export_csv(calibration_report(world.admin.district, DOMAIN)))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == CSV_COLUMNS
    assert [(r["validator"], r["domain"]) for r in rows] == [("'=HYPERLINK(1)", DOMAIN), ("Ben Best", DOMAIN)]
    first = rows[0]
    assert (first["exact_percent"], first["exact_n"], first["within_one_percent"], first["kappa"]) == (
        "67",
        "6",
        "100",
        "0.714",
    )
    assert (first["latest_exact_percent"], first["latest_exact_n"], first["flags"]) == ("67", "6", "")
    assert rows[1]["flags"] == "agreed exactly on 50% of 6 ratings, below the district's 60%"
    assert first["domain_alpha_n"] == "12" and first["live_exact_n"] == "0" and first["live_exact_percent"] == ""


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_the_report_reads_a_constant_number_of_statements(world, ann, ben, rated_round, make_user):
    def statements() -> int:
        db.session.expire_all()
        district = db.session.get(District, world.admin.district_id)
        district.framework.domains  # noqa: B018 - loaded before counting, as any page has
        with counted() as seen:
            calibration_report(district)
        return len(seen)

    claim = world.claim(name=EXPERT)
    reviews.decide(ann, claim.id, "approve", "Shown.", full_ratings(claim, 4))
    reviews.decide(ben, claim.id, "approve", "Shown.", full_ratings(claim, 4))
    db.session.commit()
    before = statements()
    calibration_round, _, _ = rated_round
    added = []
    for n in range(4):
        more = validator(world, make_user, f"more{n}@northfield.example.org", f"More {n}")
        added.append(more)
        for exemplar in calibration_round.exemplar_set.exemplars:
            rate(more, calibration_round, exemplar, 2)
    another = world.claim(owner=world.person(make_user, "tess@northfield.example.org"), name=EXPERT)
    for more in added[:2]:
        reviews.decide(more, another.id, "approve", "Shown.", full_ratings(another, 4))
    db.session.commit()
    assert statements() == before <= 12
