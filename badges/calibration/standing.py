"""A validator's calibration standing per domain, the flags that follow from the district's policy,
and the refusal a flagged validator meets when the policy restricts a claim's level.

A validator's standing in a domain rests on their latest round there: the latest one they finished
(rated every exemplar of the round's set), or, if they finished none, the latest one they rated in.
Its date is their last rating in it; its figure is exact agreement with the anchors over the key
question ratings of that round (one pair per key question per exemplar).

The ratings are read in a few queries as plain values (load_calibration), so the district report
computes every validator's standing from one load; standing_from is the pure part.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    CalibrationLevel,
    CalibrationPolicy,
    CalibrationRating,
    CalibrationRound,
    Claim,
    Domain,
    Exemplar,
    ExemplarAnchor,
    ExemplarSet,
    SystemRole,
    User,
    utcnow,
)
from ..people.scope import is_lead
from .policy import level_names, policy_of
from .statistics import Figure, exact_agreement

CALIBRATION_PAGE = "/validator/calibration"


@dataclass(frozen=True)
class Rated:
    """One calibration rating, reduced to what the figures need."""

    validator_id: int
    domain_id: int
    round_id: int
    set_id: int
    exemplar_id: int
    submitted_at: datetime
    levels: dict[int, int]  # key question id -> the validator's level
    anchors: dict[int, int]  # key question id -> the anchor's level

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """(validator's level, anchor level) for each key question both rated."""
        return [(level, self.anchors[i]) for i, level in sorted(self.levels.items()) if i in self.anchors]


@dataclass(frozen=True)
class RoundInfo:
    id: int
    title: str
    set_id: int


@dataclass
class CalibrationData:
    """A district's (or one validator's) calibration ratings, with the rounds and set sizes they refer to."""

    ratings: list[Rated] = field(default_factory=list)
    rounds: dict[int, RoundInfo] = field(default_factory=dict)
    set_sizes: dict[int, int] = field(default_factory=dict)  # set id -> number of exemplars
    # Domains where the district has opened an exemplar set: only there can a validator be asked to calibrate.
    domains_with_rounds: set[int] = field(default_factory=set)

    def by_validator_domain(self) -> dict[tuple[int, int], list[Rated]]:
        grouped: dict[tuple[int, int], list[Rated]] = defaultdict(list)
        for rated in self.ratings:
            grouped[(rated.validator_id, rated.domain_id)].append(rated)
        return grouped


def load_calibration(
    district_id: int, validator_id: int | None = None, domain_id: int | None = None
) -> CalibrationData:
    """The calibration ratings of the district's exemplar sets (only one validator's, one domain's, if
    given), in five queries of plain values."""
    where = [ExemplarSet.district_id == district_id]
    if validator_id is not None:
        where.append(CalibrationRating.validator_id == validator_id)
    if domain_id is not None:
        where.append(ExemplarSet.domain_id == domain_id)
    rows = db.session.execute(
        select(
            CalibrationRating.id,
            CalibrationRating.validator_id,
            ExemplarSet.domain_id,
            CalibrationRound.id,
            CalibrationRound.title,
            ExemplarSet.id,
            CalibrationRating.exemplar_id,
            CalibrationRating.submitted_at,
        )
        .join(CalibrationRound, CalibrationRating.round_id == CalibrationRound.id)
        .join(ExemplarSet, CalibrationRound.set_id == ExemplarSet.id)
        .where(*where)
        .order_by(CalibrationRating.submitted_at, CalibrationRating.id)
    ).all()
    opened = db.session.scalars(
        select(ExemplarSet.domain_id)
        .where(ExemplarSet.district_id == district_id, ExemplarSet.opened_at.is_not(None))
        .distinct()
    )
    domains_with_rounds = set(opened)
    if not rows:
        return CalibrationData(domains_with_rounds=domains_with_rounds)
    levels: dict[int, dict[int, int]] = defaultdict(dict)
    for rating_id, indicator_id, level in db.session.execute(
        select(CalibrationLevel.rating_id, CalibrationLevel.indicator_id, CalibrationLevel.level)
        .join(CalibrationRating, CalibrationLevel.rating_id == CalibrationRating.id)
        .join(CalibrationRound, CalibrationRating.round_id == CalibrationRound.id)
        .join(ExemplarSet, CalibrationRound.set_id == ExemplarSet.id)
        .where(*where)
    ):
        levels[rating_id][indicator_id] = level
    set_ids = {r[5] for r in rows}
    anchors: dict[int, dict[int, int]] = defaultdict(dict)
    for exemplar_id, indicator_id, level in db.session.execute(
        select(ExemplarAnchor.exemplar_id, ExemplarAnchor.indicator_id, ExemplarAnchor.level)
        .join(Exemplar, ExemplarAnchor.exemplar_id == Exemplar.id)
        .where(Exemplar.set_id.in_(set_ids))
    ):
        anchors[exemplar_id][indicator_id] = level
    sizes: dict[int, int] = {
        set_id: count
        for set_id, count in db.session.execute(
            select(Exemplar.set_id, func.count(Exemplar.id))
            .where(Exemplar.set_id.in_(set_ids))
            .group_by(Exemplar.set_id)
        )
    }
    data = CalibrationData(set_sizes=sizes, domains_with_rounds=domains_with_rounds)
    for rating_id, v_id, d_id, round_id, title, set_id, exemplar_id, submitted_at in rows:
        data.rounds.setdefault(round_id, RoundInfo(round_id, title, set_id))
        data.ratings.append(
            Rated(v_id, d_id, round_id, set_id, exemplar_id, submitted_at, levels[rating_id], anchors[exemplar_id])
        )
    return data


@dataclass(frozen=True)
class RoundResult:
    """One validator's ratings in one round: when they last rated in it, whether they finished it."""

    round: RoundInfo
    rated_at: datetime
    finished: bool
    pairs: list[tuple[int, int]]


def round_results(data: CalibrationData, ratings: list[Rated]) -> list[RoundResult]:
    """A validator's rounds in one domain, oldest first (by their latest rating in each)."""
    by_round: dict[int, list[Rated]] = defaultdict(list)
    for one in ratings:
        by_round[one.round_id].append(one)
    results = []
    for round_id, rated in by_round.items():
        info = data.rounds[round_id]
        done = {r.exemplar_id for r in rated}
        results.append(
            RoundResult(
                info,
                max(r.submitted_at for r in rated),
                len(done) >= data.set_sizes.get(info.set_id, 0),
                [pair for r in rated for pair in r.pairs],
            )
        )
    return sorted(results, key=lambda result: (result.rated_at, result.round.id))


@dataclass(frozen=True)
class Standing:
    """A validator's calibration in one domain, and what the policy makes of it."""

    validator_id: int
    domain_code: str
    domain_name: str
    latest: RoundResult | None
    exact: Figure | None  # exact agreement with the anchors in the latest round
    flags: tuple[str, ...]  # for a district admin: "never calibrated in this domain", ...
    reasons: tuple[str, ...]  # the same, said to the validator ("your last calibration ...")

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def calibrated_at(self) -> datetime | None:
        return self.latest.rated_at if self.latest else None


def day_of(moment: datetime) -> str:
    """The service's one date format ("3 Dec 2026"; badges.web.dates.day)."""
    return f"{moment.day} {moment:%b %Y}"


def standing_from(
    data: CalibrationData,
    ratings: list[Rated],
    validator_id: int,
    domain: Domain,
    policy: CalibrationPolicy,
    now: datetime | None = None,
) -> Standing:
    """The standing of one validator in one domain, from their ratings there (pure)."""
    results = round_results(data, ratings)
    finished = [result for result in results if result.finished]
    latest = (finished or results)[-1] if results else None
    if latest is None and domain.id not in data.domains_with_rounds:
        # Nothing to calibrate against yet: a policy cannot hold a validator to a round nobody can take.
        return Standing(validator_id, domain.code, domain.name, None, None, (), ())
    if latest is None:
        return Standing(
            validator_id,
            domain.code,
            domain.name,
            None,
            None,
            ("never calibrated in this domain",),
            ("you have never taken a calibration round in this domain",),
        )
    flags, reasons = [], []
    on = day_of(latest.rated_at)
    if (now or utcnow()) - latest.rated_at > timedelta(days=policy.max_age_days):
        flags.append(f"last calibrated on {on}, more than {policy.max_age_days} days ago")
        reasons.append(f"your last calibration in this domain was on {on}, more than {policy.max_age_days} days ago")
    exact = exact_agreement(latest.pairs)
    if exact.value is None:
        flags.append("too few ratings to say")
        reasons.append(
            f"your last calibration in this domain had too few ratings ({exact.n}) to say how well you agree "
            "with the anchors"
        )
    elif (exact.percent or 0) < policy.min_exact_percent:
        flags.append(
            f"agreed exactly on {exact.percent}% of {exact.n} ratings, below the district's {policy.min_exact_percent}%"
        )
        reasons.append(
            f"your last calibration in this domain agreed exactly with the anchors on {exact.percent}% of "
            f"{exact.n} ratings, below the district's {policy.min_exact_percent}%"
        )
    return Standing(validator_id, domain.code, domain.name, latest, exact, tuple(flags), tuple(reasons))


def standing_in(validator: User, domain: Domain, policy: CalibrationPolicy | None = None) -> Standing:
    """The validator's standing in one domain of their district's framework."""
    data = load_calibration(validator.district_id, validator.id, domain.id)
    return standing_from(data, data.ratings, validator.id, domain, policy or policy_of(validator.district))


def standings(validator: User) -> dict[str, Standing]:
    """The validator's standing in every domain of their district's framework, by domain code."""
    framework = validator.district.framework
    if framework is None:
        return {}
    policy = policy_of(validator.district)
    data = load_calibration(validator.district_id, validator.id)
    grouped = data.by_validator_domain()
    return {
        domain.code: standing_from(data, grouped.get((validator.id, domain.id), []), validator.id, domain, policy)
        for domain in framework.domains
    }


def decision_refusal(validator: User, claim: Claim) -> str | None:
    """Why the validator may not decide this claim yet, and what to do, or None: a claim at a level the
    district's policy restricts, in a domain where the validator is flagged."""
    policy = policy_of(validator.district)
    if claim.badge_class.level not in (policy.restricted_levels or []):
        return None
    domain = claim.badge_class.domain
    return _refusal(validator, claim, policy, standing_in(validator, domain, policy))


def refusals(validator: User, claims: Iterable[Claim]) -> dict[int, str]:
    """decision_refusal for each of the claims (a review queue), from one load: claim id -> the message."""
    claims = list(claims)
    policy = policy_of(validator.district)
    if not policy.restricted_levels or not any(c.badge_class.level in policy.restricted_levels for c in claims):
        return {}
    mine = standings(validator)
    found = {}
    for claim in claims:
        standing = mine.get(claim.badge_class.domain.code)
        if claim.badge_class.level in policy.restricted_levels and standing is not None:
            message = _refusal(validator, claim, policy, standing)
            if message:
                found[claim.id] = message
    return found


def _refusal(validator: User, claim: Claim, policy: CalibrationPolicy, standing: Standing) -> str | None:
    # Curators (a lead validator, or an admin who also validates) can read the anchors and so cannot rate
    # blind (badges.permissions.can_rate_round): their judgment is the reference; the policy does not hold them.
    if not standing.flagged or is_lead(validator) or validator.has_role(SystemRole.ADMIN):
        return None
    level = level_names(validator.district).get(claim.badge_class.level, f"level {claim.badge_class.level}")
    domain = claim.badge_class.domain.name
    waiting = open_round_to_take(validator, claim.badge_class.domain_id)
    what_to_do = (
        f"Take the calibration round “{waiting}” (Calibration, on your home page)"
        if waiting
        else f"Ask your district's administrator for a new calibration round in {domain}"
    )
    return (
        f"You cannot decide {level} claims in {domain} yet: {'; and '.join(standing.reasons)}. "
        f"{what_to_do}; once your agreement is {policy.min_exact_percent}% or more you can decide these claims."
    )


def open_round_to_take(validator: User, domain_id: int) -> str | None:
    """The title of an open round in the domain with an exemplar the validator has not rated, if any
    (whether they may rate it, scope and curators aside, is badges.permissions.can_rate_round's to say)."""
    rated = select(CalibrationRating.exemplar_id).where(CalibrationRating.validator_id == validator.id)
    return db.session.scalar(
        select(CalibrationRound.title)
        .join(ExemplarSet, CalibrationRound.set_id == ExemplarSet.id)
        .join(Exemplar, Exemplar.set_id == ExemplarSet.id)
        .where(
            ExemplarSet.district_id == validator.district_id,
            ExemplarSet.domain_id == domain_id,
            CalibrationRound.closed_at.is_(None),
            Exemplar.id.not_in(rated),
        )
        .order_by(CalibrationRound.opened_at.desc())
        .limit(1)
    )
