"""An educator's goals: a target level in one domain by a date, a plan, a status, and the
evidence that shows progress.

Every operation takes the acting user, checks all of its input before touching anything (so a
refusal leaves nothing half-saved) and only adds or flushes: the caller owns the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

from ..base import InvalidInput, clean_text, is_valid_id
from ..extensions import db
from ..models import Domain, EvidenceItem, Framework, Goal, GoalStatus, User
from .common import framework_and_role

LEVELS = range(1, 5)
TEXT_MAX = 5000
CLOSED = (GoalStatus.ACHIEVED, GoalStatus.SET_ASIDE)
UPDATABLE = {"domain_code", "target_level", "target_date", "actions", "support_needed", "status", "evidence_ids"}


def level_names(framework: Framework) -> dict[int, str]:
    """Level value -> name (1 -> "Explorer"), from the framework the goal's domain belongs to."""
    return {level.value: level.name for level in framework.levels}


def create_goal(
    owner: User,
    domain_code: Any,
    target_level: Any,
    target_date: Any,
    actions: Any,
    support_needed: Any = "",
    evidence_ids: Iterable[Any] = (),
    today: date | None = None,
) -> Goal:
    framework, _ = framework_and_role(owner)
    errors: dict[str, list[str]] = {}
    domain = _check(errors, "domain", _domain, framework, domain_code)
    level = _check(errors, "target_level", _level, framework, target_level)
    when = _check(errors, "target_date", _new_date, target_date, today or date.today())
    actions = _check(errors, "actions", _text, actions, "actions", required=True)
    support = _check(errors, "support_needed", _text, support_needed, "support_needed", required=False)
    evidence = _check(errors, "evidence", _evidence, owner, evidence_ids)
    if errors:
        raise InvalidInput(errors)
    goal = Goal(
        user=owner,
        domain=domain,
        target_level=level,
        target_date=when,
        actions=actions,
        support_needed=support,
        status=GoalStatus.NOT_STARTED,
        evidence=evidence,
    )
    db.session.add(goal)
    db.session.flush()
    return goal


def update_goal(owner: User, goal: Goal, *, today: date | None = None, **fields: Any) -> Goal:
    """Change the given fields. A target date left as it was may be past by now; a changed one may not."""
    _require_owner(owner, goal)
    unknown = set(fields) - UPDATABLE
    if unknown:
        raise TypeError(f"update_goal() got unexpected fields: {', '.join(sorted(unknown))}")
    errors: dict[str, list[str]] = {}
    changes: dict[str, object] = {}
    if "domain_code" in fields and fields["domain_code"] != goal.domain.code:
        framework, _ = framework_and_role(owner)
        changes["domain"] = _check(errors, "domain", _domain, framework, fields["domain_code"])
    if "target_level" in fields:
        changes["target_level"] = _check(errors, "target_level", _level, goal.domain.framework, fields["target_level"])
    if "target_date" in fields and fields["target_date"] != goal.target_date:
        changes["target_date"] = _check(errors, "target_date", _new_date, fields["target_date"], today or date.today())
    if "actions" in fields:
        changes["actions"] = _check(errors, "actions", _text, fields["actions"], "actions", required=True)
    if "support_needed" in fields:
        changes["support_needed"] = _check(
            errors, "support_needed", _text, fields["support_needed"], "support_needed", required=False
        )
    if "status" in fields:
        changes["status"] = _check(errors, "status", _status, fields["status"])
    if "evidence_ids" in fields:
        changes["evidence"] = _check(errors, "evidence", _evidence, owner, fields["evidence_ids"])
    if errors:
        raise InvalidInput(errors)
    for name, value in changes.items():
        setattr(goal, name, value)
    db.session.flush()
    return goal


def delete_goal(owner: User, goal: Goal) -> None:
    _require_owner(owner, goal)
    db.session.delete(goal)
    db.session.flush()


def list_goals(owner: User) -> list[Goal]:
    """Open goals first, soonest target date first; then the achieved and set-aside ones."""
    closed_last = case((Goal.status.in_(CLOSED), 1), else_=0)
    return list(
        db.session.scalars(
            select(Goal)
            .where(Goal.user_id == owner.id)
            .options(
                selectinload(Goal.domain).selectinload(Domain.framework).selectinload(Framework.levels),
                selectinload(Goal.evidence),
            )
            .order_by(closed_last, Goal.target_date, Goal.id)
        )
    )


def own_evidence(owner: User) -> list[EvidenceItem]:
    """The owner's evidence items, by title: what a goal may link to."""
    return list(
        db.session.scalars(
            select(EvidenceItem).where(EvidenceItem.user_id == owner.id).order_by(EvidenceItem.title, EvidenceItem.id)
        )
    )


def _require_owner(owner: User, goal: Goal) -> None:
    # Views answer 404 for another person's goal before getting here; this keeps other callers honest.
    if goal.user_id != owner.id:
        raise InvalidInput("This goal belongs to someone else.")


def _check(errors: dict[str, list[str]], field: str, check: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run one field's check; collect its message instead of stopping at the first bad field."""
    try:
        return check(*args, **kwargs)
    except InvalidInput as exc:  # clean_text names the field itself
        errors.update(exc.errors)
        return None
    except ValueError as exc:
        errors[field] = [str(exc)]
        return None


def _domain(framework: Framework, code: Any) -> Domain:
    if not isinstance(code, str) or not code.strip():
        raise ValueError("Choose the domain this goal is about.")
    domain = next((d for d in framework.domains if d.code == code.strip()), None)
    if domain is None:
        codes = ", ".join(d.code for d in framework.domains)
        raise ValueError(f"{code!r} is not a domain of {framework.title}; choose one of: {codes}.")
    return domain


def _level(framework: Framework, value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value in LEVELS:
        return value
    names = level_names(framework)
    choices = ", ".join(f"{names.get(v, v)} {v}" for v in LEVELS)
    raise ValueError(f"Choose a target level from {LEVELS[0]} to {LEVELS[-1]}: {choices}.")


def _new_date(value: Any, today: date) -> date:
    if value is None:
        raise ValueError("Give the date you aim to reach this level by.")
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise ValueError("Give the target date as a date (YYYY-MM-DD).")
    if value < today:
        raise ValueError(
            f"The target date {value.isoformat()} is in the past; choose today ({today.isoformat()}) or later."
        )
    return value


TEXT_LABELS = {"actions": "What you will do", "support_needed": "The support you need"}


def _text(value: Any, field: str, required: bool) -> str:
    value = clean_text(value, field=field, label=TEXT_LABELS[field], max_length=TEXT_MAX, multiline=True)
    if required and not value:
        raise ValueError("Say what you will do to reach this level.")
    return value


def _status(value: Any) -> GoalStatus:
    try:
        return GoalStatus(value)
    except ValueError:
        choices = ", ".join(s.value for s in GoalStatus)
        raise ValueError(f"{value!r} is not a goal status; use one of: {choices}.") from None


def _evidence(owner: User, ids: Any) -> list[EvidenceItem]:
    if ids is None:
        return []
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Iterable):
        raise ValueError("Give the evidence as a list of ids.")
    ids = list(dict.fromkeys(ids))
    if any(not isinstance(i, int) or isinstance(i, bool) for i in ids):
        raise ValueError("Evidence ids are whole numbers.")
    if not ids:
        return []
    found = {
        item.id: item
        for item in db.session.scalars(
            select(EvidenceItem).where(
                EvidenceItem.id.in_([i for i in ids if is_valid_id(i)]), EvidenceItem.user_id == owner.id
            )
        )
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValueError(
            f"Not in your portfolio: evidence {', '.join(map(str, missing))}. "
            "A goal can only link to your own evidence."
        )
    return sorted(found.values(), key=lambda item: item.id)
