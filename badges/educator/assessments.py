"""Self-assessment rounds: start, rate (append-only), submit; and the domain-level rule.

Domain level rule (documented in the README): a domain's self-assessed level is the highest
level that MORE THAN HALF of its rated key questions reach or exceed, which is the lower median
of the ratings. One outlying rating cannot lift or sink a domain, and the result is always a
level the person actually chose. A domain with no ratings has no level.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..base import InvalidInput, clean_text
from ..extensions import db
from ..frameworks.levels import level_names, numbered_choices
from ..models import Indicator, Rating, SelfAssessment, User, utcnow
from .common import framework_and_role

MAX_REFLECTION = 2000


def derive_domain_level(levels: list[int]) -> int | None:
    """The highest level reached by more than half of the ratings (the lower median)."""
    if not levels:
        return None
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True)
class DomainLevel:
    level: int | None
    rated: int
    applicable: int

    @property
    def complete(self) -> bool:
        return self.rated == self.applicable


def current_draft(owner: User) -> SelfAssessment | None:
    return db.session.scalar(
        select(SelfAssessment).where(SelfAssessment.user_id == owner.id, SelfAssessment.submitted_at.is_(None))
    )


def start_assessment(owner: User, from_previous: bool = False) -> SelfAssessment:
    """The person's open round, or a new one against their district's framework and their role.

    from_previous: a new round starts from the ratings and reflections of the last submitted one (key
    questions matched by code, so a new framework version keeps what still applies), so the person
    changes what moved instead of rating everything again; the copies are dated now, as ratings
    of this round."""
    draft = current_draft(owner)
    if draft is not None:
        return draft
    framework, role = framework_and_role(owner)
    draft = SelfAssessment(user=owner, framework=framework, professional_role=role.code)
    db.session.add(draft)
    if from_previous:
        _carry_over(owner, draft)
    db.session.flush()
    return draft


def _carry_over(owner: User, draft: SelfAssessment) -> None:
    previous = db.session.scalar(
        select(SelfAssessment)
        .where(SelfAssessment.user_id == owner.id, SelfAssessment.submitted_at.is_not(None))
        .order_by(SelfAssessment.submitted_at.desc(), SelfAssessment.id.desc())
        .limit(1)
    )
    if previous is None:
        return
    by_code = {ind.code: ind for ind in applicable_indicators(draft)}
    now = utcnow()
    for rating in current_ratings(previous).values():
        indicator = by_code.get(rating.indicator.code)
        if indicator is not None:
            draft.ratings.append(
                Rating(indicator=indicator, level=rating.level, reflection=rating.reflection, rated_at=now)
            )


def applicable_indicators(assessment: SelfAssessment) -> list[Indicator]:
    """Indicators of the assessment's framework that apply to the role it was started under."""
    framework = assessment.framework
    return [
        ind
        for domain in framework.domains
        for ind in domain.indicators
        if any(role.code == assessment.professional_role for role in ind.roles)
    ]


def current_ratings(assessment: SelfAssessment) -> dict[int, Rating]:
    """Indicator id -> the newest rating in this round (older rows stay as history)."""
    latest: dict[int, Rating] = {}
    for rating in sorted(assessment.ratings, key=lambda r: (r.rated_at, r.id)):
        latest[rating.indicator_id] = rating
    return latest


def rate(owner: User, assessment: SelfAssessment, entries: list[dict]) -> list[Rating]:
    """Record ratings [{"indicator": code, "level": 1..4, "reflection": str}], all or none.

    An unchanged entry adds nothing; a changed one adds a new dated row.
    """
    if assessment.user_id != owner.id:
        raise InvalidInput("This is not your self-assessment.")
    if not assessment.is_draft:
        raise InvalidInput("This self-assessment was submitted and is closed; start a new one to rate again.")
    by_code = {ind.code: ind for ind in applicable_indicators(assessment)}
    all_codes = {ind.code for domain in assessment.framework.domains for ind in domain.indicators}
    errors: dict[str, list[str]] = {}
    checked: list[tuple[Indicator, int, str]] = []
    seen: set[str] = set()
    for entry in entries:
        code = str(entry.get("indicator", "")).strip()
        field = f"ratings.{code or '?'}"
        problems = []
        if code not in all_codes:
            problems.append(
                f"{code!r} is not a key question of {assessment.framework.title} {assessment.framework.version}."
            )
        elif code not in by_code:
            problems.append(f"key question {code} does not apply to your professional role.")
        elif code in seen:
            problems.append(f"key question {code} is rated twice in one request.")
        level: Any = entry.get("level")
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
            problems.append(f"level must be {numbered_choices(level_names(assessment.framework))}, not {level!r}.")
        try:
            reflection = clean_text(
                entry.get("reflection"), field=field, label="The reflection", max_length=MAX_REFLECTION, multiline=True
            )
        except InvalidInput as exc:
            problems.extend(exc.errors[field])
        if problems:
            errors[field] = problems
            continue
        seen.add(code)
        checked.append((by_code[code], level, reflection))
    if not entries:
        errors["ratings"] = ["Give at least one rating."]
    if errors:
        raise InvalidInput(errors)

    now = utcnow()
    latest = current_ratings(assessment)
    added = []
    for indicator, level, reflection in checked:
        previous = latest.get(indicator.id)
        if previous is not None and (previous.level, previous.reflection) == (level, reflection):
            continue
        rating = Rating(indicator=indicator, level=level, reflection=reflection, rated_at=now)
        assessment.ratings.append(rating)
        added.append(rating)
    db.session.flush()
    return added


def domain_levels(assessment: SelfAssessment) -> dict[int, DomainLevel]:
    """Domain id -> its derived level and how many of its applicable key questions are rated."""
    latest = current_ratings(assessment)
    applicable = {ind.id for ind in applicable_indicators(assessment)}
    result = {}
    for domain in assessment.framework.domains:
        ids = [ind.id for ind in domain.indicators if ind.id in applicable]
        levels = [latest[i].level for i in ids if i in latest]
        result[domain.id] = DomainLevel(derive_domain_level(levels), len(levels), len(ids))
    return result


def missing_ratings(assessment: SelfAssessment) -> list[str]:
    """Codes of the key questions still to rate before the round can be submitted."""
    latest = current_ratings(assessment)
    return [ind.code for ind in applicable_indicators(assessment) if ind.id not in latest]


def submit(owner: User, assessment: SelfAssessment, now: datetime | None = None) -> SelfAssessment:
    if assessment.user_id != owner.id:
        raise InvalidInput("This is not your self-assessment.")
    if not assessment.is_draft:
        raise InvalidInput("This self-assessment was already submitted.")
    missing = missing_ratings(assessment)
    if missing:
        raise InvalidInput(
            {
                "ratings": [
                    "rate every key question that applies to you before submitting; "
                    f"still to rate: {', '.join(missing)}."
                ]
            }
        )
    assessment.submitted_at = now or utcnow()
    owner.last_assessed_at = assessment.submitted_at  # participation figures read this
    db.session.flush()
    return assessment


def submitted_assessments(owner: User) -> list[SelfAssessment]:
    """The person's closed rounds, oldest first, with ratings loaded."""
    return list(
        db.session.scalars(
            select(SelfAssessment)
            .where(SelfAssessment.user_id == owner.id, SelfAssessment.submitted_at.is_not(None))
            .options(selectinload(SelfAssessment.ratings))
            .order_by(SelfAssessment.submitted_at, SelfAssessment.id)
        )
    )
