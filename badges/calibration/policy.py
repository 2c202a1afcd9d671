"""A district's calibration policy: how closely a validator must agree with the anchors, how recently they
must have calibrated, and which claim levels a flagged validator may not decide.

A district without a policy row has the defaults, which flag but restrict nothing (restricting is the
district's choice): policy_of answers an unsaved row with them, so every reader sees one shape.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import audit
from ..base import InvalidInput, parse_small_int
from ..extensions import db
from ..models import CalibrationPolicy, District, User

DEFAULT_MIN_EXACT_PERCENT = 60
DEFAULT_MAX_AGE_DAYS = 365
MAX_AGE_DAYS_LIMIT = 3650


def policy_of(district: District) -> CalibrationPolicy:
    """The district's policy: its row, or an unsaved one holding the defaults (never added to the session)."""
    found = db.session.get(CalibrationPolicy, district.id)
    if found is not None:
        return found
    return CalibrationPolicy(
        district_id=district.id,
        min_exact_percent=DEFAULT_MIN_EXACT_PERCENT,
        max_age_days=DEFAULT_MAX_AGE_DAYS,
        restricted_levels=[],
    )


def level_names(district: District) -> dict[int, str]:
    """Level value -> name in the district's framework (1 Explorer .. 4 Expert)."""
    framework = district.framework
    return {level.value: level.name for level in framework.levels} if framework else {}


def describe_levels(levels: Iterable[int], names: dict[int, str]) -> str:
    chosen = sorted(levels)
    return ", ".join(names.get(level, str(level)) for level in chosen) if chosen else "none"


def set_policy(
    admin: User, district: District, min_exact_percent: object, max_age_days: object, restricted_levels: object
) -> CalibrationPolicy:
    """Change the district's policy (the caller has checked can_set_calibration_policy). Every value is
    checked and all problems reported at once (InvalidInput by field); a change is audited with the
    policy before and after (saving the same values changes and records nothing)."""
    if admin.district_id != district.id:
        raise PermissionError(f"{admin!r} may not set the calibration policy of district {district.id}")
    names = level_names(district)
    errors: dict[str, list[str]] = {}
    percent = parse_small_int(min_exact_percent, 0, 100)
    if percent is None:
        errors["min_exact_percent"] = ["The agreement threshold is a whole percentage from 0 to 100."]
    days = parse_small_int(max_age_days, 1, MAX_AGE_DAYS_LIMIT)
    if days is None:
        errors["max_age_days"] = [f"The period is a whole number of days from 1 to {MAX_AGE_DAYS_LIMIT:,}."]
    levels: set[int] = set()
    if restricted_levels is None:
        restricted_levels = []
    if isinstance(restricted_levels, str | bytes) or not isinstance(restricted_levels, Iterable):
        errors["restricted_levels"] = ["The restricted levels are a list of level numbers."]
    else:
        for value in restricted_levels:
            level = parse_small_int(value, 1, 4)
            if level is None or level not in names:
                allowed = ", ".join(f"{v} ({n})" for v, n in sorted(names.items()))
                errors.setdefault("restricted_levels", []).append(
                    f"{value!s} is not a level of the framework; choose among {allowed}."
                )
            else:
                levels.add(level)
    if errors:
        raise InvalidInput(errors)
    assert percent is not None and days is not None
    policy = policy_of(district)
    if (policy.min_exact_percent, policy.max_age_days, sorted(policy.restricted_levels or [])) == (
        percent,
        days,
        sorted(levels),
    ):
        return policy  # nothing changed: nothing to save or audit
    before = _describe(policy, names)
    policy.min_exact_percent, policy.max_age_days, policy.restricted_levels = percent, days, sorted(levels)
    if policy not in db.session:
        db.session.add(policy)
    db.session.flush()
    audit.record(
        district,
        admin,
        "calibration.policy_changed",
        district,
        f"{admin.name} changed the calibration policy of {district.name}: before, {before}; after, "
        f"{_describe(policy, names)}.",
    )
    return policy


def _describe(policy: CalibrationPolicy, names: dict[int, str]) -> str:
    return (
        f"at least {policy.min_exact_percent}% exact agreement, calibrated within {policy.max_age_days} days, "
        f"restricted levels: {describe_levels(policy.restricted_levels, names)}"
    )
