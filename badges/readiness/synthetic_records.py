"""The history of a batch of synthetic people (see badges.readiness.synthetic), as bulk inserts.

Each person has an ability per domain that grows over time (about a third of a level a year, more
for some, none for others), shifted by their school and the domain so the heatmap has texture.
Self-assessment rounds fall once a term (terms start on 1 January and 1 August, as the dashboard's
do); each person takes part in a round with their own likelihood (60-85 % of staff on average) and
rates every key question that applies to their role. Claims are made at about their level, in every
status, with revisions, reviews and (when approved) an award; some awards are revoked, and every
award ends after the validity period, so the older ones have expired by `now`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert

from ..credentials.issuing import add_months
from ..extensions import db
from ..models import (
    Award,
    Claim,
    ClaimRevision,
    EvidenceItem,
    Goal,
    Rating,
    Review,
    SelfAssessment,
    revision_evidence,
)

TERM_STARTS = ((1, 1), (8, 1))
ACTIONS = (
    "Observe two colleagues and try one of their routines in my classes.",
    "Redesign one unit around competencies and share it with my team.",
    "Join the district's learning walk and write up what I saw.",
    "Read the framework's guidance and plan three changes for next term.",
)
SUPPORT = (
    "Coaching from someone who has done this in a classroom like mine.",
    "Time with a colleague to plan a unit together.",
    "A workshop on this domain, with follow-up.",
    "",
)


@dataclass(frozen=True)
class Person:
    user_id: int
    school_id: int | None
    role: str
    active: bool


@dataclass(frozen=True)
class Catalogue:
    framework_id: int
    domains: list[str]  # domain codes in the framework's order
    domain_ids: dict[str, int]
    indicators: dict[tuple[str, str], list[int]]  # (role, domain) -> key questions that apply
    badges: dict[tuple[str, str, int], int]  # (role, domain, level) -> badge class id


@dataclass
class Counts:
    assessments: int = 0
    ratings: int = 0
    goals: int = 0
    claims: int = 0
    awards: int = 0


@dataclass
class _Life:
    """One person's abilities over time: a level per domain at `begin`, and levels gained a year."""

    person: Person
    domains: list[str]
    ability: dict[str, float]
    growth: float
    begin: datetime

    def at(self, moment: datetime, code: str) -> float:
        return self.ability[code] + self.growth * (moment - self.begin).days / 365


@dataclass(frozen=True)
class Texture:
    """How far each school and each domain sits above or below the district (drawn once per district)."""

    school_shift: dict[int | None, float]
    domain_shift: dict[str, float]

    @classmethod
    def draw(cls, rng: random.Random, school_ids: list[int], domains: list[str]) -> Texture:
        schools: dict[int | None, float] = {school: rng.gauss(0, 0.3) for school in school_ids}
        schools[None] = rng.gauss(0.2, 0.2)  # the district office
        return cls(schools, {code: rng.gauss(0, 0.25) for code in domains})


@dataclass(frozen=True)
class _When:
    begin: datetime
    now: datetime
    validity_months: int
    district_id: int


@dataclass
class _Batch:
    """Rows of one batch, waiting for the ids the rows before them get."""

    assessments: list[dict] = field(default_factory=list)
    ratings: list[list[tuple[int, int, datetime]]] = field(default_factory=list)  # per assessment
    goals: list[dict] = field(default_factory=list)
    claims: list[tuple[dict, list[dict], dict | None]] = field(default_factory=list)  # claim, revisions, award


def term_starts(begin: datetime, now: datetime) -> list[datetime]:
    found = [
        datetime(year, month, day)
        for year in range(begin.year, now.year + 1)
        for month, day in TERM_STARTS
        if begin <= datetime(year, month, day) <= now
    ]
    return sorted(found)


def _level(ability: float, rng: random.Random) -> int:
    return min(4, max(1, round(ability + rng.gauss(0, 0.45))))


def _ids(model: type, rows: list[dict]) -> list[int]:
    """Insert the rows and return their ids, in the rows' order (INSERT ... RETURNING)."""
    if not rows:
        return []
    stmt = insert(model).returning(model.id, sort_by_parameter_order=True)  # type: ignore[attr-defined]
    return list(db.session.execute(stmt, rows).scalars())


def write_history(
    people: list[Person],
    catalogue: Catalogue,
    validators: list[int],
    texture: Texture,
    district_id: int,
    begin: datetime,
    now: datetime,
    validity_months: int,
    rng: random.Random,
    counts: Counts,
) -> None:
    batch = _Batch()
    when = _When(begin, now, validity_months, district_id)
    terms = term_starts(begin, now)
    for person in people:
        domains = [code for code in catalogue.domains if (person.role, code) in catalogue.indicators]
        base = 1.6 + (0.4 if person.role != "teacher" else 0.0) + texture.school_shift[person.school_id]
        ability = {code: base + texture.domain_shift[code] + rng.gauss(0, 0.6) for code in domains}
        life = _Life(person, domains, ability, max(0.0, rng.gauss(0.35, 0.25)), begin)
        latest = _assess(life, catalogue, terms, now, rng, batch)
        if latest is not None:
            _goals(life, catalogue, latest, now, rng, batch)
        if domains and rng.random() < 0.35:
            _claims(life, catalogue, validators, when, rng, batch)
    _insert(batch, counts)


def _assess(
    life: _Life, catalogue: Catalogue, terms: list[datetime], now: datetime, rng: random.Random, batch: _Batch
) -> datetime | None:
    """One round a term, taken with the person's own likelihood; returns when they last submitted."""
    person, likelihood = life.person, rng.uniform(0.55, 0.95)
    latest = None
    for term in terms:
        if rng.random() >= likelihood:
            continue
        submitted = term + timedelta(days=rng.randint(14, 90), minutes=rng.randint(0, 600))
        if submitted >= now:
            continue
        started = submitted - timedelta(days=rng.randint(0, 10), minutes=rng.randint(1, 300))
        batch.assessments.append(
            {
                "user_id": person.user_id,
                "framework_id": catalogue.framework_id,
                "professional_role": person.role,
                "started_at": started,
                "submitted_at": submitted,
            }
        )
        batch.ratings.append(
            [
                (indicator_id, _level(life.at(submitted, code), rng), started)
                for code in life.domains
                for indicator_id in catalogue.indicators[(person.role, code)]
            ]
        )
        latest = submitted
    return latest


def _goals(
    life: _Life, catalogue: Catalogue, latest: datetime, now: datetime, rng: random.Random, batch: _Batch
) -> None:
    """A goal or two in the weakest domains for about a third of those who assessed."""
    if rng.random() >= 0.35:
        return
    weakest = sorted(life.domains, key=lambda code: life.at(latest, code))[: 1 + (rng.random() < 0.25)]
    for code in weakest:
        created = latest + timedelta(days=rng.randint(0, 20))
        created = min(created, now - timedelta(hours=1))
        target_date = (created + timedelta(days=rng.randint(120, 360))).date()
        if target_date < now.date():
            status = rng.choices(("achieved", "set_aside", "in_progress"), (5, 2, 3))[0]
        else:
            status = rng.choices(("not_started", "in_progress"), (4, 6))[0]
        batch.goals.append(
            {
                "user_id": life.person.user_id,
                "domain_id": catalogue.domain_ids[code],
                "target_level": min(4, _level(life.at(latest, code), rng) + 1),
                "target_date": target_date,
                "actions": rng.choice(ACTIONS),
                "support_needed": rng.choice(SUPPORT),
                "status": status,
                "created_at": created,
                "updated_at": created,
            }
        )


def _claims(
    life: _Life, catalogue: Catalogue, validators: list[int], when: _When, rng: random.Random, batch: _Batch
) -> None:
    """One to three claims in distinct domains (so at most one is open per badge class)."""
    person, begin, now = life.person, when.begin, when.now
    others = [v for v in validators if v != person.user_id]
    if not others:
        return
    span = max(60 * 86400, int((now - begin).total_seconds()))
    for code in rng.sample(life.domains, min(len(life.domains), rng.choices((1, 2, 3), (6, 3, 1))[0])):
        created = min(begin + timedelta(seconds=rng.randint(60 * 86400, span)), now - timedelta(hours=2))
        level = _level(life.at(created, code), rng)
        badge_id = catalogue.badges.get((person.role, code, level))
        if badge_id is None:
            continue
        required = 2 if level == 4 else 1
        claim, revisions, awarded_at = _claim_story(person.user_id, badge_id, required, others, created, now, rng)
        award = None
        if awarded_at is not None:
            until = add_months(awarded_at, when.validity_months)
            award = {"user_id": person.user_id, "badge_class_id": badge_id, "awarded_at": awarded_at}
            award.update(district_id=when.district_id, valid_from=awarded_at, valid_until=until)
            award.update(revoked_at=None, revoked_reason=None, revoked_by_id=None)
            if rng.random() < 0.04:  # a few are revoked while in force
                end = min(until, now)
                award["revoked_at"] = awarded_at + (end - awarded_at) * rng.uniform(0.1, 0.9)
                award["revoked_reason"] = "Issued in error: the evidence belonged to another course."
                award["revoked_by_id"] = rng.choice(others)
        batch.claims.append((claim, revisions, award))


def _claim_story(
    user_id: int,
    badge_id: int,
    required: int,
    validators: list[int],
    created: datetime,
    now: datetime,
    rng: random.Random,
) -> tuple[dict, list[dict], datetime | None]:
    """What happened to one claim: its revisions, each with its reviews, its status, and when it was
    awarded (None: not approved)."""
    claim: dict = {"user_id": user_id, "badge_class_id": badge_id, "approvals_required": required}
    claim.update(created_at=created, decided_at=None, version=1)
    revisions: list[dict] = [{"number": 1, "submitted_at": created, "reviews": []}]
    moment, status = created, "submitted"
    if rng.random() < 0.07:  # withdrawn by its owner before anyone looked
        moment, status = moment + timedelta(days=rng.randint(1, 20)), "withdrawn"
    elif rng.random() < 0.3:  # returned for more evidence; perhaps resubmitted
        moment += timedelta(days=rng.randint(2, 25), hours=rng.randint(0, 12))
        revisions[-1]["reviews"].append((rng.choice(validators), "return", moment))
        status = "returned"
        if rng.random() < 0.75:
            moment += timedelta(days=rng.randint(1, 20))
            revisions.append({"number": 2, "submitted_at": moment, "reviews": []})
            status = "submitted"
    if status == "submitted":
        decision = "approve" if rng.random() < 0.82 else "decline"
        judges = rng.sample(validators, min(len(validators), required)) if decision == "approve" else [validators[0]]
        when = moment
        for judge in judges:
            when = when + timedelta(days=rng.randint(1, 30), hours=rng.randint(0, 12))
            if when < now:
                revisions[-1]["reviews"].append((judge, decision, when))
        decided = len(revisions[-1]["reviews"])
        if (decision == "approve" and decided >= required) or (decision == "decline" and decided):
            moment, status = when, "approved" if decision == "approve" else "declined"
            claim["decided_at"] = moment
        elif decided:
            moment = revisions[-1]["reviews"][-1][2]  # an Expert claim with one approval of two
    moment = min(moment, now)
    claim.update(status=status, updated_at=moment, version=1 + sum(len(r["reviews"]) for r in revisions))
    return claim, revisions, moment if status == "approved" else None


def _insert(batch: _Batch, counts: Counts) -> None:
    assessment_ids = _ids(SelfAssessment, batch.assessments)
    ratings = [
        {"assessment_id": aid, "indicator_id": iid, "level": lv, "reflection": "", "rated_at": at}
        for aid, rows in zip(assessment_ids, batch.ratings, strict=True)
        for iid, lv, at in rows
    ]
    if ratings:
        db.session.execute(insert(Rating), ratings)
    if batch.goals:
        db.session.execute(insert(Goal), batch.goals)
    counts.assessments += len(assessment_ids)
    counts.ratings += len(ratings)
    counts.goals += len(batch.goals)
    if batch.claims:
        _insert_claims(batch, counts)


def _insert_claims(batch: _Batch, counts: Counts) -> None:
    evidence_ids = _ids(
        EvidenceItem,
        [
            {
                "user_id": claim["user_id"],
                "kind": "link",
                "title": "Unit plan and student work",
                "narrative": "What the unit shows about my practice, and what I would change.",
                "url": "https://example.org/evidence",
                "created_at": claim["created_at"] - timedelta(days=3),
                "updated_at": claim["created_at"] - timedelta(days=3),
            }
            for claim, _, _ in batch.claims
        ],
    )
    claim_ids = _ids(Claim, [claim for claim, _, _ in batch.claims])
    revision_rows, evidence_rows, owners = [], [], []
    for claim_id, evidence_id, (_, revisions, _) in zip(claim_ids, evidence_ids, batch.claims, strict=True):
        for revision in revisions:
            revision_rows.append(
                {
                    "claim_id": claim_id,
                    "number": revision["number"],
                    "statement": "The evidence shows this level in my daily work.",
                    "submitted_at": revision["submitted_at"],
                }
            )
            owners.append((claim_id, evidence_id, revision["reviews"]))
    revision_ids = _ids(ClaimRevision, revision_rows)
    review_rows = []
    for revision_id, (claim_id, evidence_id, reviews) in zip(revision_ids, owners, strict=True):
        evidence_rows.append({"revision_id": revision_id, "evidence_id": evidence_id})
        for validator_id, decision, moment in reviews:
            feedback = "Well shown." if decision == "approve" else "Please show it with students' work."
            review_rows.append(
                {
                    "claim_id": claim_id,
                    "revision_id": revision_id,
                    "validator_id": validator_id,
                    "decision": decision,
                    "feedback": feedback,
                    "created_at": moment,
                }
            )
    db.session.execute(insert(revision_evidence), evidence_rows)
    if review_rows:
        db.session.execute(insert(Review), review_rows)
    awards = [
        {**award, "claim_id": claim_id}
        for claim_id, (_, _, award) in zip(claim_ids, batch.claims, strict=True)
        if award is not None
    ]
    if awards:
        db.session.execute(insert(Award), awards)
    counts.claims += len(claim_ids)
    counts.awards += len(awards)
