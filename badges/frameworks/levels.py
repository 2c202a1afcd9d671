"""A framework version's four levels as people read them.

Level names belong to the version: a district renames and rewords its levels in a draft, and a
second framework (the leadership rubric) has levels of its own. So every page, chart and message
takes the names from the version it is about; nothing names a level from a constant.
"""

from __future__ import annotations

from ..models import Framework

# A framework has exactly four levels (the file schema says so): badges, readiness and charts are built on them.
LEVEL_VALUES = (1, 2, 3, 4)


def level_names(framework: Framework | None) -> dict[int, str]:
    """Level value -> name in that version (1 lowest); {} when there is no framework."""
    return {level.value: level.name for level in framework.levels} if framework is not None else {}


def level_name(names: dict[int, str], value: int) -> str:
    """ "Emerging" for 1 in the leadership rubric; "level 5" for a value the version lacks."""
    return names.get(value, f"level {value}")


def scale_words(names: dict[int, str]) -> str:
    """The scale in one line, "Explorer (1), Novice (2), Experienced (3), Expert (4)"; "" without names."""
    return ", ".join(f"{name} ({value})" for value, name in sorted(names.items()))


def range_words(names: dict[int, str]) -> str:
    """ "Explorer (1) to Expert (4)": the lowest and highest levels; "1 to 4" without names."""
    if not names:
        return "1 to 4"
    low, high = min(names), max(names)
    return f"{names[low]} ({low}) to {names[high]} ({high})"


def numbered_range(names: dict[int, str]) -> str:
    """ "1 (Explorer) to 4 (Expert)", for a message about a number out of range; "1 to 4" without names."""
    if not names:
        return "1 to 4"
    low, high = min(names), max(names)
    return f"{low} ({names[low]}) to {high} ({names[high]})"


def numbered_choices(names: dict[int, str]) -> str:
    """ "1 (Explorer), 2 (Novice), 3 (Experienced) or 4 (Expert)"; "1, 2, 3 or 4" without names."""
    words = [f"{value} ({names[value]})" if value in names else str(value) for value in LEVEL_VALUES]
    return f"{', '.join(words[:-1])} or {words[-1]}"
