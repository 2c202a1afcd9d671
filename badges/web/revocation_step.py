"""The one question asked before a badge is revoked, from the admin's awards page or the validator's claim page."""

from __future__ import annotations

from flask.typing import ResponseReturnValue

from ..models import Award
from .confirm import confirmation_step


def ask_before_revoking(award: Award, reason: str, cancel_url: str) -> ResponseReturnValue | None:
    """None once confirmed; otherwise the confirmation page (the checked reason is carried through it)."""
    return confirmation_step(
        title="Revoke this badge?",
        message=f"“{award.badge_class.name}” held by {award.user.name} will be revoked now, for good.",
        details=[
            f"The reason you gave: {reason}",
            "The holder is told this reason, the audit log keeps it, and anyone who checks the badge sees it "
            "as revoked from now on. A revoked badge cannot be restored: it would have to be awarded again.",
        ],
        button="Revoke badge",
        cancel_url=cancel_url,
    )
