"""Database models. Import from here; the submodules are split by subject."""

from .assessment import Rating, SelfAssessment
from .framework import Domain, Framework, Indicator, Level, ProfessionalRole, indicator_roles
from .keys import KeyAlgorithm, KeyStatus, SigningKey
from .oversight import AuditEvent, Conflict, Notification, ScopeDomain, ScopeRole, ScopeSchool, ValidatorScope
from .people import District, School, SystemRole, User, UserSystemRole
from .portfolio import EvidenceItem, EvidenceKind, Goal, GoalStatus, evidence_indicators, goal_evidence
from .readiness import (
    ALL_ROLES,
    ALL_SCHOOLS,
    DISTRICT_OFFICE,
    Cohort,
    CohortMember,
    ReadinessChange,
    ReadinessCount,
    ReadinessStanding,
    ReadinessTarget,
)
from .status_lists import StatusListCredential
from .timestamps import utcnow
from .validation import (
    OPEN_STATUSES,
    Award,
    BadgeClass,
    BadgePolicy,
    Claim,
    ClaimRevision,
    ClaimStatus,
    Review,
    ReviewDecision,
    ReviewRating,
    revision_evidence,
)

__all__ = [
    "EvidenceItem",
    "EvidenceKind",
    "Goal",
    "GoalStatus",
    "Rating",
    "SelfAssessment",
    "evidence_indicators",
    "goal_evidence",
    "District",
    "Domain",
    "Framework",
    "Indicator",
    "Level",
    "ProfessionalRole",
    "School",
    "SystemRole",
    "User",
    "UserSystemRole",
    "indicator_roles",
    "utcnow",
    "OPEN_STATUSES",
    "Award",
    "BadgeClass",
    "BadgePolicy",
    "Claim",
    "ClaimRevision",
    "ClaimStatus",
    "Review",
    "ReviewDecision",
    "ReviewRating",
    "revision_evidence",
    "KeyAlgorithm",
    "KeyStatus",
    "SigningKey",
    "StatusListCredential",
    "AuditEvent",
    "Conflict",
    "Notification",
    "ScopeDomain",
    "ScopeRole",
    "ScopeSchool",
    "ValidatorScope",
    "ALL_ROLES",
    "ALL_SCHOOLS",
    "DISTRICT_OFFICE",
    "Cohort",
    "CohortMember",
    "ReadinessChange",
    "ReadinessCount",
    "ReadinessStanding",
    "ReadinessTarget",
]
