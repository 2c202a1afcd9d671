"""The key questions an exemplar set is judged by: its domain's, for its professional role, exactly as a
claim on that domain and role's badge is judged (badges.catalogue.badge_classes.role_indicators)."""

from __future__ import annotations

from ..models import ExemplarSet, Indicator


def set_indicators(exemplar_set: ExemplarSet) -> list[Indicator]:
    return [ind for ind in exemplar_set.domain.indicators if exemplar_set.role in ind.roles]
