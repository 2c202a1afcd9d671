"""The educator's badge catalogue: every badge of the role by domain and level, with the person's state on
each (held, expired, revoked, claimed, returned, open), on the page and through GET /api/v1/me/catalogue,
in a constant number of queries."""

from __future__ import annotations

from datetime import timedelta

from badges.catalogue.badge_classes import badge_classes_for, role_indicators, set_policy
from badges.credentials.revocation import revoke
from badges.extensions import db
from badges.models import Award, utcnow
from badges.validation.catalogue import BadgeState, my_catalogue
from tests.test_claims_http import DOMAIN, badge, claim_of, item_of, judge, login
from tests.test_readiness_query_count import counted

PAGE = "/educator/badges/catalogue"
API = "/api/v1/me/catalogue"


def _validator(make_user):
    from badges.people.scope import set_scope

    admin = make_user("admin@northfield.example.org", roles=("admin",), professional_role=None)
    person = make_user("val@northfield.example.org", roles=("validator",), professional_role=None, name="Vera Val")
    set_scope(admin, person, [DOMAIN], ["teacher"], [], True)
    db.session.commit()
    return person


def award(validator, teacher, badge_class, item) -> Award:
    claim = claim_of(teacher, badge_class, [item])
    return judge(
        validator, claim, "approve", "Clear.", {i.id: badge_class.level for i in role_indicators(badge_class)}
    ).award


def states(teacher) -> dict[tuple[str, int], BadgeState]:
    return {(g.domain.code, e.badge_class.level): e.state for g in my_catalogue(teacher) for e in g.entries}


def test_every_badge_of_the_role_by_domain_and_level(teacher, framework):
    catalogue = my_catalogue(teacher)
    assert [g.domain.position for g in catalogue] == sorted(g.domain.position for g in catalogue)
    assert sum(len(g.entries) for g in catalogue) == len(badge_classes_for(teacher))
    for group in catalogue:
        assert [e.badge_class.level for e in group.entries] == [1, 2, 3, 4]
        assert [e.level_name for e in group.entries] == ["Explorer", "Novice", "Experienced", "Expert"]
        assert all(e.state is BadgeState.OPEN and e.claimable for e in group.entries)
        assert {e.badge_class.role.code for e in group.entries} == {"teacher"}


def test_each_state_is_told_honestly(teacher, framework, make_user):
    validator = _validator(make_user)
    item = item_of(teacher)
    set_policy(framework, validity_months=12)
    held = award(validator, teacher, badge(framework, 1), item)
    expired = award(validator, teacher, badge(framework, 2), item)
    expired.valid_until = utcnow() - timedelta(days=1)
    revoked = award(validator, teacher, badge(framework, 3), item)
    revoke(validator, revoked, "Evidence was not the teacher's own.")
    returned = claim_of(teacher, badge(framework, 4), [item])
    judge(validator, returned, "return")
    db.session.commit()
    found = states(teacher)
    assert [found[(DOMAIN, level)] for level in (1, 2, 3, 4)] == [
        BadgeState.HELD,
        BadgeState.EXPIRED,
        BadgeState.REVOKED,
        BadgeState.RETURNED,
    ]
    entries = {e.badge_class.level: e for g in my_catalogue(teacher) if g.domain.code == DOMAIN for e in g.entries}
    assert not entries[1].claimable and "renew it from 60 days" in entries[1].note and entries[1].award.id == held.id
    assert entries[2].claimable and entries[2].renewal and entries[2].award.id == expired.id
    assert entries[3].claimable and entries[3].renewal
    assert not entries[4].claimable and entries[4].claim.id == returned.id


def test_the_page_shows_states_criteria_and_claim_links(client, auth, teacher, framework, make_user):
    validator = _validator(make_user)
    item = item_of(teacher)
    novice = badge(framework, 2)
    award(validator, teacher, badge(framework, 1), item)
    waiting = claim_of(teacher, novice, [item])
    login(auth, teacher)
    response = client.get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h1>Badge catalogue</h1>" in html
    section = html[html.find(f'id="domain-{DOMAIN}"') :]
    section = section[: section.find("</section>")]
    assert "<strong>Held</strong>" in section and "Share and download" in section
    assert "<strong>Claimed, awaiting review</strong>" in section and f'href="/educator/claims/{waiting.id}"' in section
    assert f'href="/educator/claims/new?badge_class={badge(framework, 3).id}"' in section
    assert f"/educator/claims/new?badge_class={novice.id}" not in section  # one open claim per badge
    assert "<summary>Criteria" in section and badge(framework, 3).criteria.splitlines()[0][:30] in section
    assert section.count("Open to claim") == 2
    # "Claim this" opens the claim form with the badge chosen and its criteria in view.
    form = client.get(f"/educator/claims/new?badge_class={badge(framework, 3).id}").get_data(as_text=True)
    assert f'<h2 id="criteria-heading">{badge(framework, 3).name}</h2>' in form
    nav = client.get("/educator/claims/").get_data(as_text=True)
    assert 'href="/educator/badges/catalogue"' in nav


def test_the_api_lists_the_same(client, auth, teacher, framework, make_user):
    validator = _validator(make_user)
    item = item_of(teacher)
    held = award(validator, teacher, badge(framework, 1), item)
    login(auth, teacher)
    body = client.get(API).get_json()
    group = next(g for g in body if g["domain"]["code"] == DOMAIN)
    assert [b["badge_class"]["level"] for b in group["badges"]] == [1, 2, 3, 4]
    first = group["badges"][0]
    assert (first["state"], first["state_label"], first["claimable"]) == ("held", "Held", False)
    assert first["award"]["id"] == held.id and first["award"]["revoked_at"] is None and first["claim"] is None
    assert group["badges"][1]["state"] == "open" and group["badges"][1]["claimable"] is True
    assert "Experienced (3)" in group["badges"][2]["badge_class"]["criteria"]


def test_previous_level_policy_is_shown(teacher, framework):
    set_policy(framework, requires_previous_level=True)
    db.session.commit()
    entries = next(g for g in my_catalogue(teacher) if g.domain.code == DOMAIN).entries
    assert entries[0].claimable and not entries[1].claimable and "Explorer (1) first" in entries[1].note


def test_no_framework_or_role_is_explained(client, auth, make_user, framework):
    user = make_user("norole@northfield.example.org", professional_role=None)
    login(auth, user)
    response = client.get(PAGE)
    assert response.status_code == 400 and "no professional role" in response.get_data(as_text=True)


def test_a_constant_number_of_queries_whatever_the_history(teacher, framework, make_user):
    validator = _validator(make_user)
    item = item_of(teacher)
    award(validator, teacher, badge(framework, 1), item)
    claim_of(teacher, badge(framework, 2), [item])
    db.session.expire_all()
    with counted() as few:
        my_catalogue(db.session.get(type(teacher), teacher.id))
    award(validator, teacher, badge(framework, 3), item)
    others = [bc for bc in badge_classes_for(teacher) if bc.domain.code != DOMAIN][:8]
    for other in others:
        claim_of(teacher, other, [item])
    db.session.expire_all()
    with counted() as many:
        my_catalogue(db.session.get(type(teacher), teacher.id))
    assert len(many) == len(few) <= 12, many


def test_the_page_runs_a_constant_number_of_queries(client, auth, teacher, framework, make_user):
    validator = _validator(make_user)
    item = item_of(teacher)
    login(auth, teacher)
    award(validator, teacher, badge(framework, 1), item)
    claim_of(teacher, badge(framework, 2), [item])
    with counted() as few:
        assert client.get(PAGE).status_code == 200
    award(validator, teacher, badge(framework, 3), item)
    for other in [bc for bc in badge_classes_for(teacher) if bc.domain.code != DOMAIN][:8]:
        claim_of(teacher, other, [item])
    with counted() as many:
        assert client.get(PAGE).status_code == 200
    assert len(many) == len(few), many


def test_only_for_educators(client, auth, make_user, framework):
    leader = make_user("leader@northfield.example.org", roles=("district_leader",))
    login(auth, leader)
    assert client.get(PAGE).status_code == 403 and client.get(API).status_code == 403
