"""An admin's account actions on a person of their district: invite, send a reset link, deactivate
(after the one confirmation step) and reactivate.

The buttons are the partial templates/admin/people/_account_actions.html, which any page about a
person includes; each action goes back to the page named by the form's `next` field (a same-site
path only), else the admin home. Another district's person answers 404; the domain writes the audit
events and the mail, which leaves only once the request commits.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from ..access import acting_user, admin_required, get_visible_or_404, managed_district
from ..base import StateConflict
from ..credentials.urls import account_link
from ..models import User
from ..people import account_links, operations
from ..people.operations import PeopleError
from ..visibility import DISTRICT_MEMBER
from .auth import safe_next
from .confirm import confirmation_step

bp = Blueprint("accounts", __name__, url_prefix="/admin/people")


def _person(user_id: int) -> tuple[User, User]:
    """The acting admin and the person of their district with this id (404 otherwise)."""
    actor = acting_user()
    managed_district(actor)
    return actor, get_visible_or_404(User, user_id, actor, DISTRICT_MEMBER)


def _back() -> str:
    return safe_next(request.form.get("next")) or url_for("homes.role_home", home="admin")


@bp.post("/<int:user_id>/invite")
@admin_required
def invite(user_id: int) -> ResponseReturnValue:
    actor, person = _person(user_id)
    again = person.invited_at is not None
    account_links.invite(actor, person, account_link)
    flash(
        f"{'Sent the invitation again' if again else 'Sent an invitation'} to {person.name} <{person.email}>: "
        f"the link works once, for {account_links.INVITATION.lasts}."
    )
    return redirect(_back())


@bp.post("/<int:user_id>/send-reset")
@admin_required
def send_reset(user_id: int) -> ResponseReturnValue:
    actor, person = _person(user_id)
    account_links.send_reset(person, account_link, actor=actor)
    flash(
        f"Sent a password reset link to {person.name} <{person.email}>: "
        f"it works once, for {account_links.RESET.lasts}. Their password stays until they use it."
    )
    return redirect(_back())


@bp.post("/<int:user_id>/deactivate")
@admin_required
def deactivate(user_id: int) -> ResponseReturnValue:
    actor, person = _person(user_id)
    if not person.active:
        raise StateConflict(f"{person.name} is already deactivated.")
    if person.id == actor.id:
        raise StateConflict("You cannot deactivate your own account: ask another administrator.")
    asked = confirmation_step(
        title=f"Deactivate {person.name}?",
        message=f"{person.name} <{person.email}> will no longer be able to sign in.",
        details=[
            "Their badges stay valid; their sessions end now.",
            "You can reactivate the account later; they then sign in with the same password.",
        ],
        button="Deactivate account",
        cancel_url=_back(),
    )
    if asked:
        return asked
    try:
        operations.deactivate_user(person, actor=actor)
    except PeopleError as exc:  # changed by someone else since the question was asked
        raise StateConflict(str(exc)) from None
    flash(f"Deactivated {person.name}: they can no longer sign in, and their sessions have ended.")
    return redirect(_back())


@bp.post("/<int:user_id>/reactivate")
@admin_required
def reactivate(user_id: int) -> ResponseReturnValue:
    actor, person = _person(user_id)
    try:
        operations.reactivate_user(person, actor=actor)
    except PeopleError as exc:
        raise StateConflict(str(exc)) from None
    flash(f"Reactivated {person.name}: they may sign in again.")
    return redirect(_back())
