"""Calibration rounds as validators take part (badges.calibration.rounds): who may rate which round,
the checks on a rating (the same as a real review's), the blind rule, and a validator's own results."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from badges.base import InvalidInput, StateConflict
from badges.calibration import rounds
from badges.calibration.key_questions import set_indicators
from badges.extensions import db
from badges.models import AuditEvent, CalibrationRating, CalibrationRound, District, ExemplarSet, User, utcnow
from badges.people import scope
from badges.permissions import can_rate_round
from tests.calibration_setup import make_set, open_round, rate


@dataclass
class World:
    district: District
    admin: User
    validator: User  # in scope: delivery-operations, teacher
    outsider: User  # a validator whose scope is another domain
    curator: User  # a validator in scope who curated the set
    stranger: User  # a validator of another district, in scope there
    exemplar_set: ExemplarSet
    round: CalibrationRound

    def codes(self) -> dict[str, int]:
        return {ind.code: ind.id for ind in set_indicators(self.exemplar_set)}


@pytest.fixture
def world(make_user, district, framework, admin) -> World:
    validator = make_user("val@northfield.example.org", roles=("validator",), name="Vera Validator")
    outsider = make_user("out@northfield.example.org", roles=("validator",), name="Otto Outsider")
    curator = make_user("lead@northfield.example.org", roles=("validator",), name="Lee Lead")
    other = District(slug="southdale", name="Southdale District", framework=framework)
    db.session.add(other)
    other_admin = make_user("admin@southdale.example.org", roles=("admin",), in_district=other, professional_role=None)
    stranger = make_user("val@southdale.example.org", roles=("validator",), in_district=other, name="Sid Stranger")
    for person in (validator, curator):
        scope.set_scope(admin, person, ["delivery-operations"], ["teacher"], [], True)
    scope.set_scope(admin, outsider, ["engagement-communication"], ["teacher"], [], True)
    scope.set_scope(other_admin, stranger, ["delivery-operations"], ["teacher"], [], True)
    # Two exemplars, anchored at 3 and at 2 on every key question, curated by the lead validator.
    exemplar_set = make_set(district, curator)
    calibration_round = open_round(exemplar_set, curator)
    db.session.commit()
    return World(district, admin, validator, outsider, curator, stranger, exemplar_set, calibration_round)


def levels(world: World, **by_code: int) -> dict[str, int]:
    """{"4.1": 3, ...} from keyword arguments k4_1=3 (every key question of the set at `all`, if given)."""
    every = by_code.pop("all", None)
    chosen = {code: every for code in world.codes()} if every is not None else {}
    chosen.update({key[1:].replace("_", "."): value for key, value in by_code.items()})
    return {str(world.codes()[code]): value for code, value in chosen.items()}


def ratings_recorded() -> int:
    return db.session.scalar(select(func.count()).select_from(CalibrationRating))


# -- who takes part -------------------------------------------------------------------------------


def test_a_validator_in_scope_sees_the_open_round_with_their_progress(world):
    mine = rounds.rounds_for(world.validator)
    assert [(p.round.id, p.rated, p.total) for p in mine.open] == [(world.round.id, 0, 2)]
    assert mine.finished == []
    assert rounds.round_for(world.validator, world.round.id) is world.round
    assert can_rate_round(world.validator, world.round)


@pytest.mark.parametrize("who", ["outsider", "curator", "stranger", "admin"])
def test_out_of_scope_curator_other_district_and_non_validators_do_not_see_the_round(world, who):
    person = getattr(world, who)
    assert rounds.rounds_for(person).open == []
    assert rounds.round_for(person, world.round.id) is None
    assert rounds.round_for(person, str(world.round.id)) is None
    assert not can_rate_round(person, world.round)
    with pytest.raises(PermissionError):
        rounds.rate_exemplar(person, world.round, world.exemplar_set.exemplars[0].id, levels(world, all=3), 3)


def test_the_curator_of_a_set_rates_other_sets(world):
    others = open_round(make_set(world.district, world.admin, title="Ada's exemplars"), world.admin)
    db.session.commit()
    assert [p.round.id for p in rounds.rounds_for(world.curator).open] == [others.id]
    assert [p.round.id for p in rounds.rounds_for(world.validator).open] == [world.round.id, others.id]


def test_a_lead_validator_in_scope_can_read_the_anchors_so_is_not_offered_the_round(world, admin):
    scope.set_scope(admin, world.validator, ["delivery-operations"], ["teacher"], [], True, lead=True)
    db.session.commit()
    assert rounds.rounds_for(world.validator).open == []
    assert rounds.round_for(world.validator, world.round.id) is None
    assert not can_rate_round(world.validator, world.round)


def test_made_up_ids_are_none(world):
    for made_up in (0, -1, 999999, 2**40, "x", None):
        assert rounds.round_for(world.validator, made_up) is None
        assert rounds.exemplar_in(world.round, made_up) is None


def test_progress_and_finished_rounds(world):
    first, second = world.exemplar_set.exemplars
    rounds.rate_exemplar(world.validator, world.round, first.id, levels(world, all=3), 3)
    db.session.commit()
    assert [(p.rated, p.total) for p in rounds.rounds_for(world.validator).open] == [(1, 2)]
    rounds.rate_exemplar(world.validator, world.round, second.id, levels(world, all=2), 2)
    db.session.commit()
    mine = rounds.rounds_for(world.validator)
    assert mine.open == [] and [(p.round.id, p.rated, p.finished) for p in mine.finished] == [(world.round.id, 2, True)]


def test_a_closed_round_taken_part_in_is_finished_and_refuses_ratings(world):
    first, second = world.exemplar_set.exemplars
    rate(world.validator, world.round, first, 3)
    world.round.closed_at = utcnow()
    db.session.commit()
    mine = rounds.rounds_for(world.validator)
    assert mine.open == [] and [p.round.id for p in mine.finished] == [world.round.id]
    assert rounds.round_for(world.validator, world.round.id) is world.round  # still readable
    with pytest.raises(StateConflict, match="closed"):
        rounds.rate_exemplar(world.validator, world.round, second.id, levels(world, all=2), 2)
    assert ratings_recorded() == 1


# -- rating ---------------------------------------------------------------------------------------


def test_a_rating_is_recorded_and_audited(world):
    first = world.exemplar_set.exemplars[0]
    rating = rounds.rate_exemplar(
        world.validator, world.round, first.id, levels(world, k4_1=3, k4_2="4", k4_3=2), "3", "  Paced by evidence. "
    )
    db.session.commit()
    assert rating.overall_level == 3 and rating.note == "Paced by evidence."
    assert sorted(rating.level_of.values()) == [2, 3, 4]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calibration.rated"))
    assert event.actor_id == world.validator.id and event.subject_id == rating.id
    assert "Exemplar 1" in event.summary and event.district_id == world.district.id


def test_ratings_may_be_keyed_by_code(world):
    first = world.exemplar_set.exemplars[0]
    rating = rounds.rate_exemplar(world.validator, world.round, first.id, {code: 3 for code in world.codes()}, 3)
    assert set(rating.level_of) == set(world.codes().values())


def refused(world, ratings, overall=3, note="", exemplar=None) -> dict[str, list[str]]:
    exemplar_id = exemplar if exemplar is not None else world.exemplar_set.exemplars[0].id
    with pytest.raises(InvalidInput) as caught:
        rounds.rate_exemplar(world.validator, world.round, exemplar_id, ratings, overall, note)
    assert not isinstance(caught.value, StateConflict)
    db.session.rollback()
    assert ratings_recorded() == 0
    return caught.value.errors


def test_every_key_question_must_be_rated(world):
    errors = refused(world, levels(world, k4_1=3, k4_2=3))
    assert errors["ratings"] == ["Rate every key question: 4.3 not rated."]


def test_levels_are_1_to_4(world):
    errors = refused(world, levels(world, k4_1=0, k4_2=5, k4_3=3))
    assert errors["ratings"] == [
        "4.1: a rating is 1 (Explorer) to 4 (Expert), not 0.",
        "4.2: a rating is 1 (Explorer) to 4 (Expert), not 5.",
    ]


def test_whole_numbers_only(world):
    chosen = levels(world, all=3)
    first = next(iter(chosen))
    for bad in ("3.5", 2.5, "three", None, True):
        errors = refused(world, {**chosen, first: bad})
        assert errors["ratings"] == [f"Ratings are whole numbers 1 to 4: {first}: {bad}."]


def test_key_questions_not_of_the_set_are_refused(world, framework):
    foreign = next(i for d in framework.domains if d.code == "engagement-communication" for i in d.indicators)
    errors = refused(world, {**levels(world, all=3), str(foreign.id): 3})
    assert errors["ratings"] == [f"Key question id {foreign.id} is not one this exemplar set is judged by."]
    errors = refused(world, {**levels(world, all=3), "9.9": 3})
    assert errors["ratings"] == ["Key question 9.9 is not one this exemplar set is judged by."]


def test_overall_level_and_note_are_checked(world):
    for bad in (None, "", 0, 5, "x", 2.0, True):
        assert refused(world, levels(world, all=3), overall=bad)["overall_level"]
    assert "NUL" in refused(world, levels(world, all=3), note="a\x00b")["note"][0]
    assert refused(world, levels(world, all=3), note="x" * (rounds.NOTE_MAX + 1))["note"]


def test_every_problem_is_named_at_once(world):
    errors = refused(world, levels(world, k4_1=9), overall=7, note="\x00")
    assert set(errors) == {"ratings", "overall_level", "note"}


def test_an_exemplar_of_another_set_is_refused(world):
    other = make_set(world.district, world.admin, title="Other")
    db.session.commit()
    assert rounds.exemplar_in(world.round, other.exemplars[0].id) is None
    assert refused(world, levels(world, all=3), exemplar=other.exemplars[0].id)["exemplar"]


def test_a_second_rating_of_the_same_exemplar_is_a_conflict_naming_it(world):
    first = world.exemplar_set.exemplars[0]
    rounds.rate_exemplar(world.validator, world.round, first.id, levels(world, all=3), 3)
    db.session.commit()
    with pytest.raises(StateConflict, match="“Exemplar 1”"):
        rounds.rate_exemplar(world.validator, world.round, first.id, levels(world, all=2), 2)
    # ... in a later round of the same set too: once ever.
    later = open_round(world.exemplar_set, world.curator, title="Spring calibration")
    db.session.commit()
    with pytest.raises(StateConflict, match="already rated"):
        rounds.rate_exemplar(world.validator, later, first.id, levels(world, all=2), 2)
    assert ratings_recorded() == 1


def test_the_unique_key_backs_up_a_race(world, monkeypatch):
    first = world.exemplar_set.exemplars[0]
    rate(world.validator, world.round, first, 3)
    db.session.commit()
    monkeypatch.setattr(rounds, "revealed", lambda validator, exemplar: False)  # the other post not yet seen
    with pytest.raises(StateConflict, match="already rated"):
        rounds.rate_exemplar(world.validator, world.round, first.id, levels(world, all=2), 2)
    db.session.rollback()
    assert ratings_recorded() == 1


# -- the blind rule and the results ---------------------------------------------------------------


def test_anchors_are_revealed_only_once_rated(world):
    first, second = world.exemplar_set.exemplars
    assert not rounds.revealed(world.validator, first) and rounds.reveal(world.validator, first) is None
    view = rounds.round_view(world.validator, world.round)
    assert [item.reveal for item in view.items] == [None, None]
    rounds.rate_exemplar(world.validator, world.round, first.id, levels(world, k4_1=3, k4_2=4, k4_3=1), 2)
    db.session.commit()
    assert rounds.revealed(world.validator, first) and not rounds.revealed(world.validator, second)
    assert not rounds.revealed(world.outsider, first)  # one validator's rating reveals nothing to another
    shown = rounds.reveal(world.validator, first)
    assert [(kq.indicator.code, kq.mine, kq.anchor, kq.agreement) for kq in shown.key_questions] == [
        ("4.1", 3, 3, "match"),
        ("4.2", 4, 3, "off by one"),
        ("4.3", 1, 3, "off by more"),
    ]
    assert (shown.overall.mine, shown.overall.anchor, shown.overall.agreement) == (2, 3, "off by one")
    assert shown.rationale.startswith("Agreed at 3")
    view = rounds.round_view(world.validator, world.round)
    assert [item.rated for item in view.items] == [True, False] and (view.rated, view.total) == (1, 2)
    assert view.next_after(first) is second and view.next_after(second) is None


def test_my_results_on_a_hand_counted_case(world):
    first, second = world.exemplar_set.exemplars  # anchored 3, 3, 3 (overall 3) and 2, 2, 2 (overall 2)
    rounds.rate_exemplar(world.validator, world.round, first.id, levels(world, k4_1=3, k4_2=3, k4_3=4), 3)
    rounds.rate_exemplar(world.validator, world.round, second.id, levels(world, k4_1=2, k4_2=4, k4_3=1), 3)
    db.session.commit()
    # Pairs (mine, anchor): (3,3) (3,3) (4,3) | (2,2) (4,2) (1,2): exact 3 of 6, within one 5 of 6.
    [result] = rounds.my_results(world.validator)
    assert result.round.id == world.round.id and result.ratings == 6
    assert (result.exact.value, result.exact.percent) == (0.5, 50)
    assert result.within_one.percent == 83 and result.within_one.n == 6
    assert result.overall_exact.value is None and result.overall_exact.n == 2  # two overall levels: too few
    assert [r.exemplar.id for r in result.exemplars] == [first.id, second.id]
    assert [kq.mine - kq.anchor for kq in result.exemplars[1].key_questions] == [0, 2, -1]
    assert [r.overall.agreement for r in result.exemplars] == ["match", "off by one"]
    assert rounds.results_of(world.validator, world.round) is not None
    assert rounds.my_results(world.outsider) == [] and rounds.results_of(world.outsider, world.round) is None


def test_results_are_per_round_newest_first(world):
    first, second = world.exemplar_set.exemplars
    rate(world.validator, world.round, first, 3)
    later = open_round(world.exemplar_set, world.curator, title="Spring calibration")
    rate(world.validator, later, second, 1)
    db.session.commit()
    results = rounds.my_results(world.validator)
    assert [(r.round.title, r.ratings, r.exact.value) for r in results] == [
        ("Spring calibration", 3, None),  # fewer than five ratings: too few to say
        ("Autumn calibration", 3, None),
    ]
    assert results[1].exact.reason and "Too few" in results[1].exact.reason
    # Every exemplar of the set is rated (in one round or the other): both rounds are finished.
    assert {p.round.id for p in rounds.rounds_for(world.validator).finished} == {world.round.id, later.id}
