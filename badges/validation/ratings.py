"""The one check of a validator's ratings per key question, for a real claim's review and for a
calibration rating alike: both are judged by the same key questions, in the same words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..frameworks.levels import level_names, numbered_range
from ..models import Indicator


def check_ratings(
    errors: dict[str, list[str]],
    ratings: Any,
    indicators: Sequence[Indicator],
    judged_by: str = "this badge",
    codes: bool = False,
) -> dict[int, int]:
    """The ratings as {key question id: level 1..4}; each problem is added to errors["ratings"].

    `ratings` maps key question ids (or, with `codes`, also their codes) to levels, whole numbers
    as ints or text. Ids not among `indicators` are refused, naming `judged_by`. Whether every key
    question was rated is the caller's to say (see `unrated`): a return need not rate them all."""
    by_id = {ind.id: ind for ind in indicators}
    by_code = {ind.code: ind.id for ind in indicators} if codes else {}
    levels: dict[int, int] = {}
    bad = []
    items = ratings.items() if isinstance(ratings, Mapping) else ()
    for key, value in items:
        if codes and isinstance(key, str) and key not in by_code and not key.strip().isdigit():
            errors.setdefault("ratings", []).append(f"Key question {key} is not one {judged_by} is judged by.")
            continue
        try:
            if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            indicator_id, level = by_code[key] if key in by_code else int(key), int(value)
        except (TypeError, ValueError):
            bad.append(f"{key!s}: {value!s}")  # as sent: the code, or the id
            continue
        if indicator_id not in by_id:
            errors.setdefault("ratings", []).append(
                f"Key question id {indicator_id} is not one {judged_by} is judged by."
            )
        elif not 1 <= level <= 4:
            errors.setdefault("ratings", []).append(
                f"{by_id[indicator_id].code}: a rating is "
                f"{numbered_range(level_names(by_id[indicator_id].domain.framework))}, not {level}."
            )
        else:
            levels[indicator_id] = level
    if bad:
        errors.setdefault("ratings", []).append(f"Ratings are whole numbers 1 to 4: {', '.join(bad)}.")
    return levels


def unrated(indicators: Sequence[Indicator], levels: Mapping[int, int]) -> list[str]:
    """The codes of the key questions without a level, in their order."""
    return [ind.code for ind in indicators if ind.id not in levels]
