"""Numbers behind the dashboard, with the small-cell rule applied where they are made.

A figure that would describe fewer than `min_cell` people (1 to min_cell-1) is never handed out:
it is None and the page says "fewer than N". Zero describes nobody and is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

VIEWS = ("validated", "self", "gap", "trend")


def describes_too_few(count: int, min_cell: int) -> bool:
    return 0 < count < min_cell


@dataclass
class Tally:
    """Counts for one group of people: staff counted, and per measure their levels."""

    staff: int = 0
    self_levels: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    validated_levels: list[int] = field(default_factory=lambda: [0, 0, 0, 0])
    ahead: int = 0  # self-assessed above the badge in force
    match: int = 0
    behind: int = 0  # self-assessed below it
    unconfirmed: int = 0  # self-assessed, no badge in force in the domain

    def add(self, other: Tally) -> None:
        self.staff += other.staff
        for i in range(4):
            self.self_levels[i] += other.self_levels[i]
            self.validated_levels[i] += other.validated_levels[i]
        self.ahead += other.ahead
        self.match += other.match
        self.behind += other.behind
        self.unconfirmed += other.unconfirmed

    def count(self, mine: int, validated: int, people: int) -> None:
        """Add (or with a negative number, take away) people at a (self, validated) pair; 0 is none."""
        if mine:
            self.self_levels[mine - 1] += people
        if validated:
            self.validated_levels[validated - 1] += people
        if mine and validated:
            if mine > validated:
                self.ahead += people
            elif mine == validated:
                self.match += people
            else:
                self.behind += people
        elif mine:
            self.unconfirmed += people

    def levels(self, measure: str) -> list[int]:
        return self.self_levels if measure == "self" else self.validated_levels

    def at_or_above(self, measure: str, level: int) -> int:
        return sum(self.levels(measure)[level - 1 :])


@dataclass(frozen=True)
class CellFigures:
    """What a cell shows for one measure: None everywhere when it describes too few people."""

    staff: int | None
    levels: (
        tuple[int, int, int, int] | None
    )  # people at levels 1..4 (named by the framework: FrameworkShape.level_names)
    not_yet: int | None  # staff without a level in this measure
    share_experienced: float | None  # percent at level 3 or above, of the staff counted
    gap: tuple[int, int, int, int] | None = None  # ahead, match, behind, unconfirmed
    # A total that leaves out the hidden cells of its column (so they cannot be worked out from it).
    leaves_out_small_groups: bool = False

    @property
    def suppressed(self) -> bool:
        return self.staff is None


def cell_figures(tally: Tally, measure: str, min_cell: int) -> CellFigures:
    if describes_too_few(tally.staff, min_cell):
        return CellFigures(None, None, None, None, None)
    levels = tally.levels("validated" if measure == "gap" else measure)
    rated = sum(levels)
    share = round(100.0 * (levels[2] + levels[3]) / tally.staff, 1) if tally.staff else None
    gap = (tally.ahead, tally.match, tally.behind, tally.unconfirmed)
    return CellFigures(tally.staff, (levels[0], levels[1], levels[2], levels[3]), tally.staff - rated, share, gap)


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
