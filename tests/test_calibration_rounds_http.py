"""Calibration rounds through HTTP, pages and API, with a real sign-in: the blind rule (no anchor and no
rationale before rating, both after), refused ratings (kept as typed, each problem named, nothing
recorded), once-ever ratings, closed rounds, and who gets 404."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from badges.calibration.key_questions import set_indicators
from badges.extensions import db
from badges.models import CalibrationRating, CalibrationRound, District, ExemplarSet, User, utcnow
from badges.people import scope
from tests.calibration_setup import make_set, open_round, rate
from tests.conftest import USER_PASSWORD, Browserless, api_headers, csrf_token_from

RATIONALE = "Agreed at 3: the plan paces students by evidence."  # make_set's, for the first exemplar
REVEAL_HEADING = "Your rating beside the anchors"
API = "/api/v1/calibration"


@dataclass
class World:
    validator: User
    outsider: User
    curator: User
    stranger: User
    exemplar_set: ExemplarSet
    round: CalibrationRound

    @property
    def first(self):
        return self.exemplar_set.exemplars[0]

    @property
    def second(self):
        return self.exemplar_set.exemplars[1]

    def ids(self) -> dict[str, int]:
        return {ind.code: ind.id for ind in set_indicators(self.exemplar_set)}

    def page(self, exemplar=None) -> str:
        base = f"/validator/calibration/rounds/{self.round.id}"
        return base if exemplar is None else f"{base}/exemplars/{exemplar.id}"


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
    exemplar_set = make_set(district, curator)  # anchored at 3 (exemplar 1) and 2 (exemplar 2)
    calibration_round = open_round(exemplar_set, curator)
    db.session.commit()
    return World(validator, outsider, curator, stranger, exemplar_set, calibration_round)


def signed_in(app, user: User):
    client = app.test_client()
    assert Browserless(client).login(user.email, USER_PASSWORD).status_code == 302
    return client


@pytest.fixture
def val(app, world):
    return signed_in(app, world.validator)


def ratings_recorded() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(CalibrationRating))


def post_page(client, world: World, exemplar, levels: dict[str, object], overall="3", note=""):
    page = client.get(world.page(exemplar))
    data = {"csrf_token": csrf_token_from(page.get_data(as_text=True)), "note": note}
    if overall is not None:
        data["overall_level"] = overall
    data.update({f"rating-{world.ids()[code]}": value for code, value in levels.items()})
    return client.post(world.page(exemplar) + "/rating", data=data)


def post_api(client, world: World, exemplar, ratings: dict, overall=3, note=""):
    body = {"ratings": ratings, "overall_level": overall, "note": note}
    return client.post(
        f"{API}/rounds/{world.round.id}/exemplars/{exemplar.id}/rating", json=body, headers=api_headers(client)
    )


ALL_3 = {"4.1": "3", "4.2": "3", "4.3": "3"}


# -- pages ----------------------------------------------------------------------------------------


def test_the_validator_finds_the_round_from_home_and_menu(val, world):
    home = val.get("/home/validator").get_data(as_text=True)
    assert 'href="/validator/calibration/"' in home and "1 calibration round to rate" in home
    index = val.get("/validator/calibration/")
    body = index.get_data(as_text=True)
    assert index.status_code == 200
    assert f'href="{world.page()}"' in body and "0 of 2 rated" in body
    assert 'aria-current="page">Calibration</a>' in body


def test_the_blind_rule_on_the_pages(val, world):
    before = val.get(world.page(world.first)).get_data(as_text=True)
    assert "A unit plan" in before and 'name="overall_level"' in before
    assert RATIONALE not in before and REVEAL_HEADING not in before
    round_page = val.get(world.page()).get_data(as_text=True)
    assert RATIONALE not in round_page and "Shown once you have rated it" in round_page

    answer = post_page(val, world, world.first, {"4.1": "3", "4.2": "4", "4.3": "1"}, overall="2", note="Paced.")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(world.page(world.first))
    after = val.get(world.page(world.first)).get_data(as_text=True)
    assert RATIONALE in after and REVEAL_HEADING in after
    assert "Match" in after and "Off by one" in after and "Off by more" in after
    assert 'name="overall_level"' not in after  # no second rating
    assert f'href="{world.page(world.second)}"' in after  # the next exemplar
    # The other exemplar stays blind.
    other = val.get(world.page(world.second)).get_data(as_text=True)
    assert "Agreed at 2" not in other and REVEAL_HEADING not in other
    assert ratings_recorded() == 1


def test_a_refused_rating_keeps_what_was_typed_and_names_each_problem(val, world):
    answer = post_page(val, world, world.first, {"4.1": "3", "4.2": "9"}, overall=None, note="My reasoning")
    body = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "4.2: a rating is 1 (Explorer) to 4 (Expert), not 9." in body
    assert "Choose an overall level" in body and 'id="overall-errors"' in body
    assert f'name="rating-{world.ids()["4.1"]}" value="3" checked' in body
    assert "My reasoning" in body and RATIONALE not in body
    missing = post_page(val, world, world.first, {"4.1": "3", "4.2": "3"}).get_data(as_text=True)
    assert "Rate every key question: 4.3 not rated." in missing
    assert ratings_recorded() == 0


def test_a_second_rating_on_the_page_is_refused(val, world):
    rate(world.validator, world.round, world.first, 3)
    db.session.commit()
    page = val.get(world.page(world.first)).get_data(as_text=True)
    token = csrf_token_from(page)
    data = {"csrf_token": token, "overall_level": "2", **{f"rating-{i}": "2" for i in world.ids().values()}}
    answer = val.post(world.page(world.first) + "/rating", data=data)
    assert answer.status_code == 409 and "already rated “Exemplar 1”" in answer.get_data(as_text=True)
    assert ratings_recorded() == 1


def test_a_closed_round_shows_but_takes_no_rating(val, world):
    world.round.closed_at = utcnow()
    db.session.commit()
    page = val.get(world.page(world.first)).get_data(as_text=True)
    assert "This round is closed" in page and 'name="overall_level"' not in page and RATIONALE not in page
    assert post_api(val, world, world.first, ALL_3).status_code == 409
    assert ratings_recorded() == 0


def test_the_exemplar_file_link(val, world):
    world.first.stored_name, world.first.original_filename = "a" * 32, "plan.pdf"
    world.first.size_bytes, world.first.media_type = 1200, "application/pdf"
    db.session.commit()
    body = val.get(world.page(world.first)).get_data(as_text=True)
    assert f'href="/calibration/exemplars/{world.first.id}/file"' in body and "plan.pdf" in body
    data = val.get(f"{API}/rounds/{world.round.id}").get_json()
    assert data["exemplars"][0]["file_url"].endswith(f"/calibration/exemplars/{world.first.id}/file")
    assert data["exemplars"][1]["file_url"] is None


@pytest.mark.parametrize("who", ["outsider", "curator", "stranger"])
def test_other_districts_out_of_scope_and_the_curator_get_404(app, world, who):
    client = signed_in(app, getattr(world, who))
    assert client.get(world.page()).status_code == 404
    assert client.get(world.page(world.first)).status_code == 404
    assert f'href="{world.page()}"' not in client.get("/validator/calibration/").get_data(as_text=True)
    assert client.get(f"{API}/rounds/{world.round.id}").status_code == 404
    assert client.get(f"{API}/rounds").get_json() == {"open": [], "finished": []}
    assert post_api(client, world, world.first, ALL_3).status_code == 404
    page = client.get("/validator/calibration/").get_data(as_text=True)
    answer = client.post(
        world.page(world.first) + "/rating", data={"csrf_token": csrf_token_from(page), "overall_level": "3"}
    )
    assert answer.status_code == 404
    assert ratings_recorded() == 0


def test_an_exemplar_of_another_set_is_404(val, world, district):
    other = make_set(district, world.curator, title="Other")
    db.session.commit()
    assert val.get(world.page(other.exemplars[0])).status_code == 404
    assert post_api(val, world, other.exemplars[0], ALL_3).status_code == 404


# -- API ------------------------------------------------------------------------------------------


def test_the_blind_rule_in_the_api(val, world):
    before = val.get(f"{API}/rounds/{world.round.id}")
    assert before.status_code == 200
    text = before.get_data(as_text=True)
    assert "anchor" not in text and "Agreed at" not in text and "rationale" not in text
    data = before.get_json()
    assert [e["rated"] for e in data["exemplars"]] == [False, False]
    assert [e["result"] for e in data["exemplars"]] == [None, None]
    assert [kq["code"] for kq in data["key_questions"]] == ["4.1", "4.2", "4.3"]

    answer = post_api(val, world, world.first, {"4.1": 3, "4.2": 4, "4.3": 1}, overall=2, note="Paced.")
    assert answer.status_code == 201, answer.get_json()
    shown = answer.get_json()
    assert shown["rationale"] == RATIONALE and shown["note"] == "Paced."
    assert [(k["code"], k["your_level"], k["anchor_level"], k["agreement"]) for k in shown["key_questions"]] == [
        ("4.1", 3, 3, "match"),
        ("4.2", 4, 3, "off by one"),
        ("4.3", 1, 3, "off by more"),
    ]
    assert shown["overall"] == {"your_level": 2, "anchor_level": 3, "agreement": "off by one"}

    after = val.get(f"{API}/rounds/{world.round.id}").get_json()
    first, second = after["exemplars"]
    assert first["rated"] and first["result"]["rationale"] == RATIONALE
    assert second["rated"] is False and second["result"] is None
    assert "Agreed at 2" not in val.get(f"{API}/rounds/{world.round.id}").get_data(as_text=True)
    assert (after["rated"], after["total"]) == (1, 2)


def test_api_rating_checks(val, world, framework):
    def errors(ratings, overall=3):
        answer = post_api(val, world, world.first, ratings, overall)
        assert answer.status_code == 400, answer.get_json()
        return answer.get_json()["errors"]

    assert errors({"4.1": 3, "4.2": 3})["ratings"] == ["Rate every key question: 4.3 not rated."]
    assert errors({"4.1": 0, "4.2": 3, "4.3": 5})["ratings"] == [
        "4.1: a rating is 1 (Explorer) to 4 (Expert), not 0.",
        "4.3: a rating is 1 (Explorer) to 4 (Expert), not 5.",
    ]
    foreign = next(i for d in framework.domains if d.code == "engagement-communication" for i in d.indicators)
    assert errors({**{k: 3 for k in ALL_3}, str(foreign.id): 3})["ratings"] == [
        f"Key question id {foreign.id} is not one this exemplar set is judged by."
    ]
    assert errors({**{k: 3 for k in ALL_3}, "1.1": 3})["ratings"] == [
        "Key question 1.1 is not one this exemplar set is judged by."
    ]
    assert errors({k: 3 for k in ALL_3}, overall=None)["overall_level"]
    assert errors({k: 3 for k in ALL_3}, overall=5)["overall_level"]
    assert errors({"4.1": 2.5, "4.2": "3", "4.3": 3})["ratings"] == ["Ratings are whole numbers 1 to 4: 4.1: 2.5."]
    assert errors({k: 3 for k in ALL_3}, overall=2.5)["overall_level"]
    assert post_api(val, world, world.first, {"4.1": [3]}, 3).status_code == 400
    assert ratings_recorded() == 0
    assert post_api(val, world, world.first, {k: 3 for k in ALL_3}).status_code == 201
    again = post_api(val, world, world.first, {k: 2 for k in ALL_3}, overall=2)
    assert again.status_code == 409 and "already rated “Exemplar 1”" in again.get_json()["message"]
    assert ratings_recorded() == 1


def test_api_lists_rounds_and_results(val, world):
    listed = val.get(f"{API}/rounds").get_json()
    assert [(r["id"], r["rated"], r["total"], r["is_open"]) for r in listed["open"]] == [(world.round.id, 0, 2, True)]
    assert listed["open"][0]["exemplar_set"]["domain"] == "delivery-operations"
    assert val.get(f"{API}/me/results").get_json() == []
    # Hand-counted: pairs (3,3) (3,3) (4,3) and (2,2) (4,2) (1,2): exact 3 of 6, within one 5 of 6.
    assert post_api(val, world, world.first, {"4.1": 3, "4.2": 3, "4.3": 4}, overall=3).status_code == 201
    assert post_api(val, world, world.second, {"4.1": 2, "4.2": 4, "4.3": 1}, overall=3).status_code == 201
    listed = val.get(f"{API}/rounds").get_json()
    assert listed["open"] == [] and [r["id"] for r in listed["finished"]] == [world.round.id]
    [result] = val.get(f"{API}/me/results").get_json()
    assert result["round_id"] == world.round.id and result["ratings"] == 6
    assert result["exact"] == {"value": 0.5, "percent": 50, "n": 6, "reason": None}
    assert result["within_one"]["percent"] == 83
    assert result["overall_exact"]["value"] is None and "Too few" in result["overall_exact"]["reason"]
    assert [e["overall"]["agreement"] for e in result["exemplars"]] == ["match", "off by one"]
    assert [e["rationale"] for e in result["exemplars"]][0] == RATIONALE
    # The pages show the same figures.
    index = val.get("/validator/calibration/").get_data(as_text=True)
    assert "50%" in index and "83%" in index
    round_page = val.get(world.page()).get_data(as_text=True)
    assert "<strong>50%</strong> matched the anchor exactly" in round_page
    assert round_page.count("Why the anchors are what they are") == 2 and RATIONALE in round_page


def test_rating_is_audited(val, world):
    from badges.models import AuditEvent

    assert post_api(val, world, world.first, {k: 3 for k in ALL_3}).status_code == 201
    db.session.expire_all()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calibration.rated"))
    assert event is not None and event.actor_id == world.validator.id


@pytest.mark.parametrize("hostile", ["a\x00b", "²", "٣", "9" * 5000, "99999999999", "NaN", "1e9", "3.0", "-1", ""])
def test_hostile_values_are_refused_not_crashed_on(val, world, hostile):
    page = val.get(world.page(world.first)).get_data(as_text=True)
    data = {
        "csrf_token": csrf_token_from(page),
        "overall_level": hostile,
        "note": hostile,
        f"rating-{hostile}": "3",
        **{f"rating-{i}": hostile for i in world.ids().values()},
    }
    assert val.post(world.page(world.first) + "/rating", data=data).status_code == 400
    body = {"ratings": {hostile: hostile, "4.1": hostile}, "overall_level": hostile, "note": hostile}
    answer = val.post(
        f"{API}/rounds/{world.round.id}/exemplars/{world.first.id}/rating", json=body, headers=api_headers(val)
    )
    assert answer.status_code == 400
    assert ratings_recorded() == 0
